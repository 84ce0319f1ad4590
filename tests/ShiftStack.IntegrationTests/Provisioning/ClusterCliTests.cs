using ShiftStack.Installer.Planning;
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

    [Fact]
    public async Task An_expired_application_credential_stops_create_cluster_before_anything_is_made_and_a_re_run_finishes()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "expired", new ScenarioOptions());
        var before = await ClusterProvisioningTests.UserStateAsync(s);

        // An application credential of the cluster's user that expires in a few seconds (Keystone refuses one that has
        // already expired), made with the REST API so that the test knows its secret.
        using var client = cloud.CreateNetworkingClient();
        var userId = (await client.Identity.GetTokenAsync()).UserId;
        const string Secret = "expired-credential-secret-7Qx2vL";
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(15);
        using var http = new HttpClient();
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{client.Identity.AuthUrl.AbsoluteUri.TrimEnd('/')}/users/{userId}/application_credentials")
        {
            Content = Json(new Dictionary<string, object>
            {
                ["application_credential"] = new Dictionary<string, string>
                {
                    ["name"] = cloud.Name("expired-" + s.InfraId[^4..]), ["secret"] = Secret,
                    ["expires_at"] = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                },
            }),
        };
        create.Headers.Add("X-Auth-Token", await UserTokenAsync(http, client.Identity.AuthUrl));
        using var made = await http.SendAsync(create);
        var body = await made.Content.ReadAsStringAsync();
        made.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, body);
        var credentialId = JsonDocument.Parse(body).RootElement.GetProperty("application_credential").GetProperty("id").GetString()!;
        var cloudsYaml = Path.Combine(Path.GetTempPath(), $"shiftstack-it-{s.InfraId}-clouds.yaml");
        try
        {
            await File.WriteAllTextAsync(cloudsYaml, $"""
                clouds:
                  expiring:
                    auth_type: v3applicationcredential
                    auth:
                      auth_url: {client.Identity.AuthUrl.AbsoluteUri}
                      application_credential_id: {credentialId}
                      application_credential_secret: {Secret}
                    region_name: RegionOne
                    interface: public
                """);
            while (DateTimeOffset.UtcNow < expiresAt.AddSeconds(2))
            {
                await Task.Delay(500);
            }

            // When: create cluster with the expired credential
            var refused = await CliProcess.RunAsync(cloud.RepoRoot, cloudsYaml, null, "create", "cluster", "--dir", s.Directory, "--cloud", "expiring", "--allow-preview-ignition");

            // Then: exit 3 (the cloud), one clear error that names the credential and what to do, no secret anywhere,
            // and nothing made
            refused.ExitCode.ShouldBe(3, refused.ToString());
            refused.Error.ShouldContain($"authentication failed for application credential '{credentialId}'");
            refused.Error.ShouldContain("has expired");
            refused.Error.ShouldNotContain("Exception");
            refused.ToString().ShouldNotContain(Secret);
            var log = Path.Combine(s.Directory, ".shiftstack", "shiftstack.log");
            if (File.Exists(log))
            {
                (await File.ReadAllTextAsync(log)).ShouldNotContain(Secret);
            }

            var tag = ClusterNames.ClusterTag(InfraIdOf(s));
            (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldBeEmpty();
            (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).ShouldBeEmpty();
            (await ClusterProvisioningTests.UserStateAsync(s)).ShouldBe(before);

            // And: a re-run with a valid credential finishes the cluster
            var created = await Cli("create", "cluster", "--dir", s.Directory, "--allow-preview-ignition");
            created.ExitCode.ShouldBe(0, created.ToString());
            (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldNotBeEmpty();
        }
        finally
        {
            File.Delete(cloudsYaml);
            await new ShiftStack.OpenStack.Identity.ApplicationCredentials(client.Identity).DeleteAsync(credentialId);
            (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        }
    }

    /// <summary>A JSON body with a length (Keystone under uwsgi does not read a chunked one).</summary>
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>A token of the local cloud's user, straight from Keystone (password authentication, project scope).</summary>
    private async Task<string> UserTokenAsync(HttpClient http, Uri authUrl)
    {
        var auth = cloud.Cloud().Auth;
        var request = new Dictionary<string, object>
        {
            ["auth"] = new Dictionary<string, object>
            {
                ["identity"] = new Dictionary<string, object>
                {
                    ["methods"] = new[] { "password" },
                    ["password"] = new Dictionary<string, object>
                    {
                        ["user"] = new Dictionary<string, object> { ["name"] = auth.Username!, ["domain"] = new Dictionary<string, string> { ["name"] = "Default" }, ["password"] = LocalCloudPassword() },
                    },
                },
                ["scope"] = new Dictionary<string, object>
                {
                    ["project"] = new Dictionary<string, object> { ["name"] = auth.ProjectName!, ["domain"] = new Dictionary<string, string> { ["name"] = "Default" } },
                },
            },
        };
        using var response = await http.PostAsync($"{authUrl.AbsoluteUri.TrimEnd('/')}/auth/tokens", Json(request));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    /// <summary>The infraID of the scenario's directory: its metadata.json once a command wrote one, else the scenario's own.</summary>
    private static string InfraIdOf(ProvisioningScenario s)
    {
        var metadata = Path.Combine(s.Directory, "metadata.json");
        if (!File.Exists(metadata))
        {
            return s.InfraId;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(metadata));
        return doc.RootElement.GetProperty("infraID").GetString()!;
    }

    private Task<CliRun> Cli(params string[] args) => CliProcess.RunAsync(cloud, null, args);

    private string LocalCloudPassword()
    {
        var password = cloud.Cloud().Auth.Password;
        password.ShouldNotBeNullOrEmpty();
        return password!;
    }
}
