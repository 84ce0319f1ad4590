using System.Text.Json;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Provisioning;

/// <summary>
/// The user's path through the built CLI, each command its own process against the local cloud: create manifests →
/// create ignition-configs → <c>create cluster --plan -o json</c> (changes nothing) → <c>create cluster</c> → the plan is
/// then empty → <c>addresses</c> shows every port agreeing → <c>destroy cluster</c> twice; the log has every request and
/// no secret.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterCliTests(LocalCloud cloud)
{
    [Fact]
    public async Task Plan_create_addresses_and_destroy_through_the_CLI()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "cli", new ScenarioOptions());
        var before = await ClusterProvisioningTests.UserStateAsync(s);
        foreach (var ign in new[] { "bootstrap.ign", "master.ign" })
        {
            File.Delete(Path.Combine(s.Directory, ign));
        }

        (await Cli("create", "manifests", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        (await Cli("create", "ignition-configs", "--dir", s.Directory)).ExitCode.ShouldBe(0);

        // --plan: JSON with every step, nothing created.
        var plan = await Cli("create", "cluster", "--dir", s.Directory, "--plan", "-o", "json", "--allow-preview-ignition");
        plan.ExitCode.ShouldBe(0, plan.ToString());
        string infraId;
        using (var doc = JsonDocument.Parse(plan.Out))
        {
            var root = doc.RootElement;
            infraId = root.GetProperty("infraID").GetString()!;
            infraId.ShouldStartWith("cli-");
            root.GetProperty("complete").GetBoolean().ShouldBeFalse();
            var steps = root.GetProperty("steps").EnumerateArray().ToList();
            var kinds = steps.Select(e => e.GetProperty("kind").GetString()!).ToList();
            kinds.Count(k => k == "create-security-group").ShouldBe(2);
            kinds.ShouldContain("create-ports");
            kinds.Count(k => k == "create-server").ShouldBe(4);
            steps.Where(e => e.GetProperty("kind").GetString() == "create-rules")
                .ShouldAllBe(e => e.GetProperty("request").GetString()!.Contains("bulk", StringComparison.Ordinal), "one bulk request per group");
            root.GetProperty("expectedRequests").GetInt32().ShouldBeGreaterThan(steps.Count - 1);
        }

        var tag = ClusterNames.ClusterTag(infraId);
        (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).ShouldBeEmpty("--plan changes nothing");
        (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldBeEmpty("--plan changes nothing");

        try
        {
            // ShiftStack's preview Ignition boots only with the option, and says on every run that it cannot form a cluster.
            var created = await Cli("create", "cluster", "--dir", s.Directory, "-o", "json", "--allow-preview-ignition");
            created.Error.ShouldContain("cannot form an OpenShift cluster");
            created.ExitCode.ShouldBe(0, created.ToString());
            using (var doc = JsonDocument.Parse(created.Out))
            {
                doc.RootElement.GetProperty("succeeded").GetBoolean().ShouldBeTrue();
            }

            var servers = await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] });
            servers.Count.ShouldBe(4);
            servers.ShouldAllBe(v => v.Status.Value == "ACTIVE");

            // Converged: the plan is now empty.
            var again = await Cli("create", "cluster", "--dir", s.Directory, "--plan", "-o", "json", "--allow-preview-ignition");
            using (var doc = JsonDocument.Parse(again.Out))
            {
                doc.RootElement.GetProperty("complete").GetBoolean().ShouldBeTrue(again.Out);
                doc.RootElement.GetProperty("steps").GetArrayLength().ShouldBe(0);
            }

            // Predicted = Neutron for the VIP ports and every node port; one IPv4 + one IPv6 InternalIP per node.
            var addresses = await Cli("addresses", "--dir", s.Directory, "-o", "json");
            addresses.ExitCode.ShouldBe(0, addresses.ToString());
            using (var doc = JsonDocument.Parse(addresses.Out))
            {
                var root = doc.RootElement;
                root.GetProperty("agree").GetBoolean().ShouldBeTrue(addresses.Out);
                var ports = root.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
                ports.ShouldContain(infraId + "-bootstrap-0");
                ports.Count(p => p.StartsWith(infraId + "-master-", StringComparison.Ordinal)).ShouldBe(3);
                root.GetProperty("nodes").GetArrayLength().ShouldBe(4);
            }

            // The log: every request, no secret.
            var log = File.ReadAllText(Path.Combine(s.Directory, ".shiftstack", "shiftstack.log"));
            log.ShouldContain("/v2.0/security-group-rules");
            log.ShouldContain("/servers");
            var password = LocalCloudPassword();
            log.ShouldNotContain(password);
            log.ShouldNotContain("gAAAAA", Case.Sensitive, "no Keystone (Fernet) token");
            log.ShouldNotContain("c2hpZnRzdGFjay1pdDpzZWNyZXQtcHVsbA==", Case.Sensitive, "no pull secret");
        }
        finally
        {
            var destroyed = await Cli("destroy", "cluster", "--dir", s.Directory);
            destroyed.ExitCode.ShouldBe(0, destroyed.ToString());
        }

        (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0, "twice is harmless");
        (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await ClusterProvisioningTests.UserStateAsync(s)).ShouldBe(before, "the VIP ports as the user made them");
    }

    [Fact]
    public async Task Create_cluster_from_install_config_alone_makes_the_assets_it_needs()
    {
        // As 'openshift-install create cluster': no separate create manifests / ignition-configs.
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "ic", new ScenarioOptions());
        foreach (var ign in new[] { "bootstrap.ign", "master.ign" })
        {
            File.Delete(Path.Combine(s.Directory, ign));
        }

        // Without an option there is nothing that could form a cluster: a clear error naming the way out, nothing made.
        var refused = await Cli("create", "cluster", "--dir", s.Directory);
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Error.ShouldContain("openshift-install create ignition-configs");
        refused.Error.ShouldContain("--allow-preview-ignition");
        File.Exists(Path.Combine(s.Directory, "metadata.json")).ShouldBeFalse();

        try
        {
            // --network-only needs only the cluster's identity.
            var network = await Cli("create", "cluster", "--dir", s.Directory, "--network-only");
            network.ExitCode.ShouldBe(0, network.ToString());
            network.Error.ShouldContain("generating the cluster's identity and metadata.json first");
            using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(s.Directory, "metadata.json")));
            var infraId = metadata.RootElement.GetProperty("infraID").GetString()!;
            File.Exists(Path.Combine(s.Directory, "bootstrap.ign")).ShouldBeFalse("a network-only run boots nothing");
            var tag = "openshiftClusterID=" + infraId;
            (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).Count.ShouldBe(4);

            // With --allow-preview-ignition the same directory gets ShiftStack's Ignition and the same cluster its servers.
            var created = await Cli("create", "cluster", "--dir", s.Directory, "--allow-preview-ignition");
            created.ExitCode.ShouldBe(0, created.ToString());
            created.Error.ShouldContain("generating ShiftStack's preview Ignition configs");
            created.Error.ShouldContain("cannot form an OpenShift cluster");
            File.Exists(Path.Combine(s.Directory, "bootstrap.ign")).ShouldBeTrue();
            using var again = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(s.Directory, "metadata.json")));
            again.RootElement.GetProperty("infraID").GetString().ShouldBe(infraId, "one cluster, one identity");
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Count.ShouldBe(4);
        }
        finally
        {
            var destroyed = await Cli("destroy", "cluster", "--dir", s.Directory);
            destroyed.ExitCode.ShouldBe(0, destroyed.ToString());
        }
    }

    [Fact]
    public async Task Create_cluster_keeps_the_Ignition_files_it_finds_and_adds_only_the_identity()
    {
        // A directory with install-config.yaml and Ignition configs but no cluster identity: nothing is overwritten.
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "ik", new ScenarioOptions());
        var bootstrap = await File.ReadAllTextAsync(Path.Combine(s.Directory, "bootstrap.ign"));
        try
        {
            var created = await Cli("create", "cluster", "--dir", s.Directory, "--allow-preview-ignition", "--plan");
            created.ExitCode.ShouldBe(0, created.ToString());
            created.Error.ShouldContain("generating the cluster's identity and metadata.json first");
            (await File.ReadAllTextAsync(Path.Combine(s.Directory, "bootstrap.ign"))).ShouldBe(bootstrap);
            File.Exists(Path.Combine(s.Directory, "metadata.json")).ShouldBeTrue();
            created.Out.ShouldContain("create server");
        }
        finally
        {
            (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        }
    }

    private Task<CliRun> Cli(params string[] args) => CliProcess.RunAsync(cloud, null, args);

    private string LocalCloudPassword()
    {
        var password = cloud.Cloud().Auth.Password;
        password.ShouldNotBeNullOrEmpty();
        return password!;
    }
}
