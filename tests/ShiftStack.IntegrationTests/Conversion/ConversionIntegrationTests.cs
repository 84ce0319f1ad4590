using System.Security.Cryptography;
using System.Text.Json;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.OpenStack;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.IntegrationTests.Conversion;

/// <summary>
/// <c>convert</c> against the local Neutron: the network side of a single-stack IPv4 cluster is provisioned with the
/// provisioning engineer's network-only entry point (security groups with their IPv4 rules, bootstrap and master
/// ports with the VIP pairs), plus what that entry point does not make for a single-stack cluster: the VIP ports
/// <c>&lt;infraID&gt;-api-port</c> / <c>-ingress-port</c> (as openshift-install creates them), a worker port (as MAPO
/// creates it) and a port of the user's that must never be touched. Then an IPv6 subnet is added and the cluster is
/// converted, re-converted (only GETs), reverted (original state exactly) and re-reverted (only GETs).
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConversionIntegrationTests(LocalCloud cloud)
{
    private const string ApiVip = SingleStackCluster.ApiVip;
    private const string IngressVip = SingleStackCluster.IngressVip;

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateful")]
    public async Task Converts_to_dual_stack_idempotently_and_back_to_exactly_the_original_state(string mode)
    {
        await using var cluster = await SingleStackCluster.CreateAsync(cloud, mode);

        // Given the IPv6 subnet added after the cluster's ports (with a router for the advertisements).
        var subnet = await cluster.AddIpv6SubnetAsync(new Ipv6Mode(mode));
        var original = await cluster.SnapshotAsync();
        var request = new ConversionRequest { Target = ConversionTarget.DualStack, Ipv6Subnet = subnet.Name };

        // When the plan is asked for, nothing changes.
        using (var client = cloud.CreateNetworkingClient())
        {
            var prepared = await ClusterConversion.PrepareAsync(cluster.Inputs(), request, client);
            prepared.Plan.CanApply.ShouldBeTrue(string.Join("\n", prepared.Plan.Checks));
            client.Requests.Snapshot().Keys.Where(k => k.ServiceType == NetworkingClient.ServiceType).ShouldAllBe(k => k.Method == "GET");
        }

        (await cluster.SnapshotAsync()).ShouldBe(original);

        // When converted.
        ConversionResult result;
        using (var client = cloud.CreateNetworkingClient())
        {
            result = await ClusterConversion.ApplyAsync(cluster.Inputs(), request, client);
        }

        // Then every cluster port has its IPv6 address, the node ports the IPv6 VIP pairs, the groups the IPv6 rules.
        result.After.Plan.IsOpenStackDone.ShouldBeTrue();
        var converted = await cluster.SnapshotAsync();
        var apiV6 = converted.Ports[cluster.ApiPort.Id].V6(subnet.Id);
        var ingressV6 = converted.Ports[cluster.IngressPort.Id].V6(subnet.Id);
        apiV6.ShouldNotBeNull();
        ingressV6.ShouldNotBeNull();
        result.After.Plan.Ipv6!.ApiVip.ShouldBe(apiV6);
        result.After.Plan.Ipv6.IngressVip.ShouldBe(ingressV6);
        var tag = ConversionPlanner.ConversionTag(cluster.InfraId);
        foreach (var id in cluster.ClusterPortIds)
        {
            var port = converted.Ports[id];
            var v6 = port.V6(subnet.Id);
            v6.ShouldNotBeNull(port.Name);
            if (subnet.IsAutoAddress)
            {
                v6.ShouldBe(IpAddresses.Canonical(Eui64.FromMac(port.Mac, Cidr.Parse(subnet.Cidr))), port.Name);
            }

            var before = original.Ports[id];
            port.FixedIps.Where(ip => ip.SubnetId != subnet.Id).ShouldBe(before.FixedIps.Where(ip => ip.SubnetId != subnet.Id), port.Name);
            var expectedPairs = before.Pairs.ToList();
            if (before.Pairs.Contains(ApiVip))
            {
                expectedPairs.Add(apiV6!);
            }

            if (before.Pairs.Contains(IngressVip))
            {
                expectedPairs.Add(ingressV6!);
            }

            port.Pairs.ShouldBe(expectedPairs.Order(StringComparer.Ordinal).ToList(), port.Name);
            var modified = !subnet.IsAutoAddress || expectedPairs.Count != before.Pairs.Count;
            port.Tags.Contains(tag).ShouldBe(modified, port.Name);
        }

        converted.Ports[cluster.UserPort.Id].ShouldBe(original.Ports[cluster.UserPort.Id], "the user's port is never touched");
        var dual = result.After.Plan.TargetConfig!;
        foreach (var role in SecurityGroupRuleTable.Groups)
        {
            var expected = SecurityGroupRuleTable.For(dual).Where(r => r.Group == role).Select(RuleKeys.Of).Order(StringComparer.Ordinal).ToList();
            var group = converted.Groups[role];
            group.Rules.Where(r => r.Key.StartsWith("ingress|", StringComparison.Ordinal)).Select(r => r.Key).Order(StringComparer.Ordinal).ToList().ShouldBe(expected);
            group.Rules.Where(r => r.Key.Contains("|IPV6|", StringComparison.Ordinal) && r.Key.StartsWith("ingress|", StringComparison.Ordinal))
                .ShouldAllBe(r => r.Description == ConversionPlanner.RuleDescription);
            group.Tags.ShouldContain(tag);
        }

        var record = ConversionRecord.TryLoad(cluster.Directory)!;
        record.Complete.ShouldBeTrue();
        record.ApiVip.ShouldBe(apiV6);
        result.FilesWritten.ShouldContain("conversion/apply-cluster-side.sh");
        result.FilesWritten.ShouldContain("conversion/99_openshift-machineconfig_99-dual-stack-worker.yaml");
        File.ReadAllText(Path.Combine(cluster.Directory, "conversion", "infrastructure-patch.json")).ShouldContain(apiV6!);

        // When converted again: nothing changes, only GETs are sent.
        using (var client = cloud.CreateNetworkingClient())
        {
            var again = await ClusterConversion.ApplyAsync(cluster.Inputs(), request, client);
            again.Applied.ShouldBeEmpty();
            again.Requests.Keys.Where(k => k.ServiceType == NetworkingClient.ServiceType).ShouldAllBe(k => k.Method == "GET");
            RequestCounter.Changes(again.Requests).ShouldBe(0);
        }

        (await cluster.SnapshotAsync()).ShouldBe(converted);

        // When converted back: the original state, exactly (addresses, pairs, tags, rules with their IDs).
        var back = new ConversionRequest { Target = ConversionTarget.SingleStack };
        using (var client = cloud.CreateNetworkingClient())
        {
            var reverted = await ClusterConversion.ApplyAsync(cluster.Inputs(), back, client);
            reverted.After.Plan.IsOpenStackDone.ShouldBeTrue();
        }

        (await cluster.SnapshotAsync()).ShouldBe(original);
        ConversionRecord.TryLoad(cluster.Directory)!.Target.ShouldBe(ConversionRecord.SingleStackTarget);

        // And back again: only GETs.
        using (var client = cloud.CreateNetworkingClient())
        {
            var again = await ClusterConversion.ApplyAsync(cluster.Inputs(), back, client);
            again.Applied.ShouldBeEmpty();
            RequestCounter.Changes(again.Requests).ShouldBe(0);
        }

        (await cluster.SnapshotAsync()).ShouldBe(original);
    }

    [Fact]
    public async Task An_interrupted_apply_is_finished_by_the_next_one()
    {
        await using var cluster = await SingleStackCluster.CreateAsync(cloud, "stateful-int");
        var subnet = await cluster.AddIpv6SubnetAsync(Ipv6Mode.Dhcpv6Stateful);
        var original = await cluster.SnapshotAsync();
        var request = new ConversionRequest { Target = ConversionTarget.DualStack, Ipv6Subnet = subnet.Id };

        // Given an apply killed after its third change.
        using (var client = cloud.CreateNetworkingClient())
        {
            await Should.ThrowAsync<OperationCanceledException>(() => ClusterConversion.ApplyAsync(cluster.Inputs(), request, client, new DieAfter(3)));
        }

        var partial = ConversionRecord.TryLoad(cluster.Directory)!;
        partial.Complete.ShouldBeFalse();

        // When applied again, it finishes.
        using (var client = cloud.CreateNetworkingClient())
        {
            var result = await ClusterConversion.ApplyAsync(cluster.Inputs(), request, client);
            result.Applied.ShouldNotBeEmpty();
            result.After.Plan.IsOpenStackDone.ShouldBeTrue();
        }

        var converted = await cluster.SnapshotAsync();
        foreach (var id in cluster.ClusterPortIds)
        {
            converted.Ports[id].FixedIps.Count(ip => ip.SubnetId == subnet.Id).ShouldBe(1, converted.Ports[id].Name);
        }

        // And the reversal, through the command, still restores the original, showing each change as a step (started,
        // then done) on standard error and the changes made on standard output.
        var (exit, stdout, stderr) = await RunCliAsync(cluster.Directory, "convert", "--dir", cluster.Directory, "--to", "single-stack",
            "--apply", "--cloud", LocalCloud.UserCloud);
        exit.ShouldBe(0, stderr);
        stderr.ShouldContain("] start port ");
        stderr.ShouldContain("] done  port ");
        stderr.ShouldContain("IPv6 rules deleted");
        stdout.ShouldContain("OpenStack changes made:");

        (await cluster.SnapshotAsync()).ShouldBe(original);
    }

    [Fact]
    public async Task The_command_prints_the_plan_as_JSON_and_changes_nothing()
    {
        await using var cluster = await SingleStackCluster.CreateAsync(cloud, "cli");
        var subnet = await cluster.AddIpv6SubnetAsync(Ipv6Mode.Slaac);
        var original = await cluster.SnapshotAsync();

        var (exit, stdout, stderr) = await RunCliAsync(cluster.Directory, "convert", "--dir", cluster.Directory, "--to", "dual-stack",
            "--ipv6-subnet", subnet.Id, "--plan", "-o", "json", "--cloud", LocalCloud.UserCloud);

        exit.ShouldBe(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("mode").GetString().ShouldBe("plan");
        root.GetProperty("canApply").GetBoolean().ShouldBeTrue();
        root.GetProperty("ipv6").GetProperty("addressMode").GetString().ShouldBe("slaac");
        root.GetProperty("ports").GetArrayLength().ShouldBe(cluster.ClusterPortIds.Count);
        root.GetProperty("securityGroups").EnumerateArray().Sum(g => g.GetProperty("rulesToAdd").GetArrayLength()).ShouldBe(36);
        root.GetProperty("clusterSide").GetProperty("files").EnumerateArray().Select(f => f.GetString()).ShouldContain("conversion/apply-cluster-side.sh");
        (await cluster.SnapshotAsync()).ShouldBe(original);

        // --to dual-stack on a missing subnet: exit 2 with the reason.
        var (bad, badOut, _) = await RunCliAsync(cluster.Directory, "convert", "--dir", cluster.Directory, "--to", "dual-stack",
            "--ipv6-subnet", "no-such-subnet", "--cloud", LocalCloud.UserCloud);
        bad.ShouldBe(2);
        badOut.ShouldContain("subnet no-such-subnet not found");
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(string workDir, params string[] args)
    {
        var run = await CliProcess.RunAsync(cloud, workDir, args);
        return (run.ExitCode, run.Out, run.Error);
    }

    private sealed class DieAfter(int changes) : IProgressSink
    {
        private int _done;

        public void Started(string id, string summary)
        {
        }

        public void Completed(string id, string summary)
        {
            if (++_done >= changes)
            {
                throw new OperationCanceledException("simulated interruption after: " + summary);
            }
        }

        public void Failed(string id, string summary, string error)
        {
        }

        public void Message(string text)
        {
        }
    }
}

/// <summary>A port as the assertions compare it.</summary>
internal sealed record PortState(string Name, string Mac, IReadOnlyList<FixedIp> FixedIps, IReadOnlyList<string> Pairs, IReadOnlyList<string> Tags, int Revision)
{
    public string? V6(string subnetId) => FixedIps.FirstOrDefault(ip => ip.SubnetId == subnetId)?.IpAddress;

    public bool Equals(PortState? other) => other is not null && Name == other.Name && Mac == other.Mac
        && FixedIps.SequenceEqual(other.FixedIps) && Pairs.SequenceEqual(other.Pairs) && Tags.SequenceEqual(other.Tags);

    public override int GetHashCode() => HashCode.Combine(Name, Mac);
}

/// <summary>A rule: its Neutron identity, its ID and description.</summary>
internal sealed record RuleState(string Id, string Key, string? Description);

/// <summary>A security group as the assertions compare it.</summary>
internal sealed record GroupState(IReadOnlyList<RuleState> Rules, IReadOnlyList<string> Tags)
{
    public bool Equals(GroupState? other) => other is not null && Rules.SequenceEqual(other.Rules) && Tags.SequenceEqual(other.Tags);

    public override int GetHashCode() => Rules.Count;
}

/// <summary>Everything conversion may touch, sorted so that two snapshots compare as values.</summary>
internal sealed record ClusterSnapshot(IReadOnlyDictionary<string, PortState> Ports, IReadOnlyDictionary<SecurityGroupRole, GroupState> Groups)
{
    public bool Equals(ClusterSnapshot? other) => other is not null
        && Ports.Count == other.Ports.Count && Ports.All(kv => other.Ports.TryGetValue(kv.Key, out var o) && kv.Value.Equals(o))
        && Groups.Count == other.Groups.Count && Groups.All(kv => other.Groups.TryGetValue(kv.Key, out var o) && kv.Value.Equals(o));

    public override int GetHashCode() => Ports.Count;

    public override string ToString() => string.Join("\n", Ports.OrderBy(p => p.Value.Name, StringComparer.Ordinal).Select(p =>
        $"{p.Value.Name}: {string.Join(",", p.Value.FixedIps.Select(ip => ip.IpAddress))} pairs {string.Join(",", p.Value.Pairs)} tags {string.Join(",", p.Value.Tags)}"))
        + "\n" + string.Join("\n", Groups.Select(g => $"{g.Key}: {g.Value.Rules.Count} rules, tags {string.Join(",", g.Value.Tags)}"));
}

/// <summary>
/// The network side of a single-stack IPv4 cluster on the local Neutron, in its own temporary installation directory
/// (install-config.yaml + .shiftstack/state.json). Disposing deletes every resource, also after a failure.
/// </summary>
internal sealed class SingleStackCluster : IAsyncDisposable
{
    public const string V4Cidr = "10.0.0.0/16";
    public const string ApiVip = "10.0.0.5";
    public const string IngressVip = "10.0.0.7";

    private readonly LocalCloud _cloud;
    private readonly NeutronResources _resources;

    private SingleStackCluster(LocalCloud cloud, string clusterName, string infraId, string directory)
    {
        _cloud = cloud;
        _resources = new NeutronResources(cloud.Networking, cloud);
        ClusterName = clusterName;
        InfraId = infraId;
        Directory = directory;
    }

    public string ClusterName { get; }

    public string InfraId { get; }

    public string Directory { get; }

    public Network Network { get; private set; } = null!;

    public Subnet V4 { get; private set; } = null!;

    public Port ApiPort { get; private set; } = null!;

    public Port IngressPort { get; private set; } = null!;

    public Port UserPort { get; private set; } = null!;

    /// <summary>VIP ports and node ports (bootstrap, masters, worker).</summary>
    public List<string> ClusterPortIds { get; } = [];

    private NetworkingClient Client => _cloud.Networking;

    public static async Task<SingleStackCluster> CreateAsync(LocalCloud cloud, string what)
    {
        var tag = "cv" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var clusterName = cloud.Name(tag);
        var infraId = ClusterState.InfraIdFor(clusterName, RandomIdentitySource.Instance.InfraIdSuffix());
        var directory = System.IO.Directory.CreateTempSubdirectory("ss-it-convert-").FullName;
        var cluster = new SingleStackCluster(cloud, clusterName, infraId, directory);
        try
        {
            await cluster.ProvisionAsync(what);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ConversionInputs Inputs() => ClusterConversion.LoadInputs(Directory);

    public async Task<Subnet> AddIpv6SubnetAsync(Ipv6Mode mode)
    {
        var subnet = await _resources.Ipv6SubnetAsync(Network.Id, "fd2e:6f44:5dd8:c956::/64", mode, Local("v6"));
        var router = await _resources.RouterAsync(new RouterCreateOptions { Name = Local("router") });
        await _resources.RouterInterfaceAsync(router.Id, subnet.Id);
        return subnet;
    }

    public async Task<ClusterSnapshot> SnapshotAsync()
    {
        var ids = ClusterPortIds.Append(UserPort.Id).ToList();
        var ports = await Client.Ports.ListAsync(new PortListOptions { Ids = ids });
        ports.Count.ShouldBe(ids.Count);
        var groups = await Client.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [ClusterNames.ClusterTag(InfraId)] });
        return new ClusterSnapshot(
            ports.ToDictionary(p => p.Id, p => new PortState(
                p.Name,
                p.MacAddress,
                p.FixedIps.OrderBy(ip => ip.SubnetId, StringComparer.Ordinal).ThenBy(ip => ip.IpAddress, StringComparer.Ordinal).ToList(),
                p.AllowedAddressPairs.Select(a => a.IpAddress).Order(StringComparer.Ordinal).ToList(),
                p.Tags.Order(StringComparer.Ordinal).ToList(),
                p.RevisionNumber)),
            groups.ToDictionary(
                g => g.Name.EndsWith("-master", StringComparison.Ordinal) ? SecurityGroupRole.Master : SecurityGroupRole.Worker,
                g => new GroupState(
                    g.SecurityGroupRules.Select(r => new RuleState(r.Id, RuleKeys.Of(r), r.Description)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList(),
                    g.Tags.Order(StringComparer.Ordinal).ToList())));
    }

    public async ValueTask DisposeAsync()
    {
        var errors = new List<string>();
        try
        {
            var tag = ClusterNames.ClusterTag(InfraId);
            foreach (var port in await Client.Ports.ListAsync(new PortListOptions { Tags = [tag] }))
            {
                await Client.Ports.DeleteIfExistsAsync(port.Id);
            }

            await _resources.CleanUpAsync();
            foreach (var group in await Client.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] }))
            {
                await Client.SecurityGroups.DeleteIfExistsAsync(group.Id);
            }
        }
        catch (Exception e) when (e is OpenStackException or InvalidOperationException)
        {
            errors.Add(e.Message);
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("clean-up failed: " + string.Join("; ", errors));
        }
    }

    private string Local(string name) => InfraId[_cloud.Prefix.Length..] + "-" + name;

    private async Task ProvisionAsync(string what)
    {
        Network = await _resources.NetworkAsync(Local("net-" + what));
        V4 = await _resources.SubnetAsync(new SubnetCreateOptions
        {
            NetworkId = Network.Id,
            IpVersion = 4,
            Cidr = V4Cidr,
            Name = Local("v4"),
            AllocationPools = [new AllocationPool("10.0.0.10", "10.0.255.254")],
        });

        var yaml = new InstallConfigYaml
        {
            ClusterName = ClusterName,
            NetworkType = "OVNKubernetes",
            MachineNetworks = [V4Cidr],
            DualStackNetworks = false,
            Cloud = LocalCloud.UserCloud,
            ApiVips = [ApiVip],
            IngressVips = [IngressVip],
            ControlPlaneNetwork = InstallConfigYaml.WithId(Network.Id),
            ControlPlaneSubnets = [InstallConfigYaml.WithId(V4.Id)],
        }.ToString();
        await File.WriteAllTextAsync(Path.Combine(Directory, "install-config.yaml"), yaml);
        new ClusterState(new ClusterIdentity(ClusterName, InfraId, Guid.NewGuid().ToString("D")),
            new RootCertificateAuthority("-----BEGIN CERTIFICATE-----\nnot-a-cert\n-----END CERTIFICATE-----\n", "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n")).Save(Directory);
        var config = ClusterConversion.LoadInputs(Directory).Config;

        // The provisioning engineer's network-only entry point: groups, rules, bootstrap and master ports with pairs.
        var state = ProvisioningStateStore.Open(Directory, InfraId, LocalCloud.UserCloud);
        var provisioned = await ClusterProvisioner.ProvisionAsync(config, InfraId, Client, null, state, new ProvisioningOptions { Scope = ProvisioningScope.NetworkOnly });
        provisioned.Succeeded.ShouldBeTrue(string.Join("; ", provisioned.Execution.Failures.Select(f => f.Message)));

        // What openshift-install creates for a single-stack cluster's VIPs (provisioning.md §2.3), a worker port as MAPO
        // creates it, and a port that belongs to the user.
        var clusterTag = ClusterNames.ClusterTag(InfraId);
        ApiPort = await Client.Ports.CreateAsync(new PortCreateOptions
        {
            NetworkId = Network.Id, Name = InfraId + "-api-port", FixedIps = [FixedIpRequest.Address(ApiVip, V4.Id)], Tags = [clusterTag],
            Description = "Created By OpenShift Installer",
        });
        IngressPort = await Client.Ports.CreateAsync(new PortCreateOptions
        {
            NetworkId = Network.Id, Name = InfraId + "-ingress-port", FixedIps = [FixedIpRequest.Address(IngressVip, V4.Id)], Tags = [clusterTag],
            Description = "Created By OpenShift Installer",
        });
        var groups = await Client.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [clusterTag] });
        var worker = await Client.Ports.CreateAsync(new PortCreateOptions
        {
            NetworkId = Network.Id,
            Name = InfraId + "-worker-0",
            FixedIps = [FixedIpRequest.OnSubnet(V4.Id)],
            SecurityGroups = [groups.Single(g => g.Name == InfraId + "-worker").Id],
            AllowedAddressPairs = [new AllowedAddressPair { IpAddress = ApiVip }, new AllowedAddressPair { IpAddress = IngressVip }],
            Tags = [clusterTag],
        });
        UserPort = await _resources.PortAsync(new PortCreateOptions
        {
            NetworkId = Network.Id,
            Name = Local("users-vm"),
            AllowedAddressPairs = [new AllowedAddressPair { IpAddress = ApiVip }],
        });

        var nodePorts = await Client.Ports.ListAsync(new PortListOptions { Tags = [clusterTag], NetworkId = Network.Id });
        nodePorts.Count.ShouldBe(1 + 3 + 2 + 1, "bootstrap, 3 masters, 2 VIP ports, 1 worker");
        ClusterPortIds.AddRange(nodePorts.Select(p => p.Id));
        worker.Id.ShouldBeOneOf([.. ClusterPortIds]);
    }
}
