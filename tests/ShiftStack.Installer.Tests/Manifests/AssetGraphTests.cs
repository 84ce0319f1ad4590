using System.Text.Json.Nodes;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Manifests;

namespace ShiftStack.Installer.Tests.Manifests;

public class AssetGraphTests
{
    private sealed class Leaf(string name, List<string> calls) : Asset<string>
    {
        public override string Name => name;

        public override IReadOnlyList<Asset> Dependencies => [];

        protected internal override string Generate(AssetContext context)
        {
            calls.Add(name);
            return name;
        }
    }

    private sealed class Node2(string name, Func<IReadOnlyList<Asset>> deps, Func<AssetContext, string> generate) : Asset<string>
    {
        public override string Name => name;

        public override IReadOnlyList<Asset> Dependencies => deps();

        protected internal override string Generate(AssetContext context) => generate(context);
    }

    private static AssetStore Store() => new(new AssetInputs { Directory = Path.GetTempPath() });

    [Fact]
    public async Task Each_asset_is_generated_once_per_store()
    {
        var calls = new List<string>();
        var leaf = new Leaf("leaf", calls);
        var a = new Node2("a", () => [leaf], c => c.Get(leaf) + "+a");
        var b = new Node2("b", () => [leaf, a], c => c.Get(a) + "+b");
        var store = Store();

        (await store.GetAsync(b)).ShouldBe("leaf+a+b");
        (await store.GetAsync(a)).ShouldBe("leaf+a");

        calls.ShouldBe(["leaf"]);
        store.GenerationLog.ShouldBe(["leaf", "a", "b"]);
    }

    [Fact]
    public async Task A_dependency_cycle_is_reported_with_its_path()
    {
        Node2? x = null;
        Node2? y = null;
        x = new Node2("x", () => [y!], _ => "x");
        y = new Node2("y", () => [x], _ => "y");

        var e = await Should.ThrowAsync<AssetCycleException>(() => Store().GetAsync(x));
        e.Cycle.ShouldBe(["x", "y", "x"]);
    }

    [Fact]
    public async Task Reading_an_undeclared_parent_is_a_programming_error()
    {
        var leaf = new Leaf("leaf", []);
        var sneaky = new Node2("sneaky", () => [], c => c.Get(leaf));
        await Should.ThrowAsync<InvalidOperationException>(() => Store().GetAsync(sneaky));
    }

    [Theory]
    [InlineData("mycluster", "mycluster-x7k2q")]
    [InlineData("a-very-long-cluster-name-indeed", "a-very-long-cluster-n-x7k2q")]
    [InlineData("name.with_odd--chars", "name-with-odd-chars-x7k2q")]
    [InlineData("twenty-chars-exactly-", "twenty-chars-exactly-x7k2q")]
    public void InfraId_follows_the_reference_rule(string name, string infraId)
    {
        var id = ClusterState.InfraIdFor(name, TestSupport.InfraSuffix);
        id.ShouldBe(infraId);
        id.Length.ShouldBeLessThanOrEqualTo(ClusterState.MaxInfraIdLength);
    }

    [Fact]
    public void Random_infraID_suffixes_use_the_k8s_alphabet()
    {
        var suffix = RandomIdentitySource.Instance.InfraIdSuffix();
        suffix.Length.ShouldBe(5);
        suffix.ShouldAllBe(c => RandomIdentitySource.Alphabet.Contains(c));
    }

    [Fact]
    public async Task The_identity_is_generated_once_persisted_and_reused()
    {
        // Given a directory without state
        var dir = TestSupport.NewDir(TestSupport.InstallConfigFor("example-dual-stack"));

        // When manifests are generated twice with real randomness
        var first = await new AssetStore(new AssetInputs { Directory = dir, Environment = _ => null, NetworkFacts = new FakeLookup().CollectAsync })
            .GetAsync(InstallAssets.Identity);
        var filesA = await AssetTarget.Manifests.GenerateAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())));
        var filesB = await AssetTarget.Manifests.GenerateAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())));

        // Then the state file holds the identity, later runs reuse it, and the state is private
        first.ClusterName.ShouldBe("dualstack");
        first.InfraId.ShouldMatch("^dualstack-[bcdfghjklmnpqrstvwxz2456789]{5}$");
        ClusterState.TryReadIdentity(dir).ShouldBe(first);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(ClusterState.PathIn(dir)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        filesA.Select(f => f.ContentText).ShouldBe(filesB.Select(f => f.ContentText));
        filesA.First(f => f.Path == "manifests/cluster-infrastructure-02-config.yml").ContentText.ShouldContain("infrastructureName: " + first.InfraId);
    }

    [Fact]
    public async Task State_of_another_cluster_is_refused()
    {
        var dir = TestSupport.NewDir(TestSupport.InstallConfigFor("example-dual-stack"));
        TestSupport.SeedState(dir, "othercluster");
        var e = await Should.ThrowAsync<AssetException>(() => new AssetStore(TestSupport.Inputs(dir, null)).GetAsync(InstallAssets.Identity));
        e.Message.ShouldContain("othercluster");
    }

    [Fact]
    public async Task Generating_twice_gives_byte_identical_files_written_sorted()
    {
        var dir = TestSupport.NewDir(TestSupport.InstallConfigFor("example-dual-stack"));
        TestSupport.SeedState(dir, "dualstack");
        var first = await AssetTarget.Manifests.WriteAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())));
        var bytes = first.ToDictionary(f => f.Path, f => File.ReadAllBytes(Path.Combine(dir, f.Path)));
        var second = await AssetTarget.Manifests.WriteAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())));

        first.Select(f => f.Path).ShouldBe(first.Select(f => f.Path).Order(StringComparer.Ordinal));
        second.Select(f => f.Path).ShouldBe(first.Select(f => f.Path));
        foreach (var f in second)
        {
            File.ReadAllBytes(Path.Combine(dir, f.Path)).ShouldBe(bytes[f.Path], f.Path);
        }
    }

    [Fact]
    public async Task The_pull_secret_is_only_where_the_reference_puts_it()
    {
        // Given a config whose pull secret carries a marker
        var text = TestSupport.InstallConfigFor("mt-dual-stack");
        var dir = TestSupport.NewDir(text);
        TestSupport.SeedState(dir, "manifests1");

        // When every file is written
        var files = await AssetTarget.Manifests.WriteAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())));
        files = [.. files, .. await AssetTarget.IgnitionConfigs.WriteAsync(new AssetStore(TestSupport.Inputs(dir, new FakeLookup())))];

        // Then it is in the pull-secret Secret (base64) and in bootstrap.ign (as a data URL) only, both mode 0600
        var b64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(TestSupport.PullSecret));
        var holders = files.Where(f => f.ContentText.Contains(TestSupport.PullSecretMarker, StringComparison.Ordinal)
            || f.ContentText.Contains(b64, StringComparison.Ordinal)
            || DecodedDataUrls(f).Any(d => d.Contains(TestSupport.PullSecretMarker, StringComparison.Ordinal))).Select(f => f.Path).ToList();
        holders.ShouldBe(["bootstrap.ign", "manifests/openshift-config-secret-pull-secret.yaml"], ignoreOrder: true);
        foreach (var f in files)
        {
            f.IsSecret.ShouldBe(holders.Contains(f.Path), f.Path);
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(Path.Combine(dir, f.Path));
                (mode & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)).ShouldBe(f.IsSecret ? UnixFileMode.None : UnixFileMode.GroupRead, f.Path);
            }
        }

        // And the embedded install-config has an empty pullSecret, like the reference's redacted copy
        var embedded = TestSupport.YamlToJson(files.Single(f => f.Path == "manifests/cluster-config.yaml").ContentText)!["data"]!["install-config"]!;
        ((string?)TestSupport.YamlToJson((string)embedded!)!["pullSecret"]).ShouldBe(string.Empty);
    }

    [Fact]
    public async Task The_SSH_key_goes_to_the_ssh_MachineConfigs_the_bootstrap_user_and_the_embedded_install_config()
    {
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack");
        var holders = files.Where(f => f.Value.ContentText.Contains("AAAAC3NzaC1lZDI1NTE5AAAAIIm6dsYLyOuTpzX4az6VjCTsfBb0rZze7VwE9kGNnOoB", StringComparison.Ordinal))
            .Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        holders.ShouldBe([
            "bootstrap.ign",
            "manifests/cluster-config.yaml",
            "openshift/99_openshift-machineconfig_99-master-ssh.yaml",
            "openshift/99_openshift-machineconfig_99-worker-ssh.yaml",
        ]);
    }

    private static IEnumerable<string> DecodedDataUrls(GeneratedFile f) =>
        System.Text.RegularExpressions.Regex.Matches(f.ContentText, "base64,([A-Za-z0-9+/=]+)")
            .Select(m => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));

    [Fact]
    public async Task Name_only_dual_stack_subnets_get_the_network_id_from_the_first_subnet()
    {
        // Given the dual-stack example without controlPlanePort.network
        var text = TestSupport.InstallConfigFor("example-dual-stack").Replace("      network:\n        name: dualstack\n", string.Empty, StringComparison.Ordinal);
        var dir = TestSupport.NewDir(text);
        TestSupport.SeedState(dir, "dualstack");
        var lookup = new FakeLookup();

        // When manifests are generated
        var files = await TestSupport.GenerateAsync(dir, lookup);

        // Then the network of subnet-v4 was looked up once and every providerSpec has one network with both subnets
        lookup.Calls.Count(c => c.StartsWith("subnet-network", StringComparison.Ordinal)).ShouldBe(1);
        var networkId = FakeLookup.Subnets["subnet-v4"].NetworkId;
        var spec = files.Yaml("openshift/99_openshift-cluster-api_master-machines-0.yaml")["spec"]!["providerSpec"]!["value"]!;
        var network = spec["networks"]!.AsArray().Single()!;
        ((string?)network["filter"]!["id"]).ShouldBe(networkId);
        network["subnets"]!.AsArray().Select(s => (string?)s!["filter"]!["name"]).ShouldBe(["subnet-v4", "subnet-v6"]);
        ((string?)spec["primarySubnet"]).ShouldBe(FakeLookup.Subnets["subnet-v4"].Id);
        var port = files.Yaml($"cluster-api/machines/10_inframachine_dualstack-{TestSupport.InfraSuffix}-master-0.yaml")["spec"]!["ports"]!.AsArray().Single()!;
        ((string?)port["network"]!["id"]).ShouldBe(networkId);
        port["fixedIPs"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Offline_without_a_network_fails_naming_the_field_to_set()
    {
        var text = TestSupport.InstallConfigFor("example-dual-stack").Replace("      network:\n        name: dualstack\n", string.Empty, StringComparison.Ordinal);
        var dir = TestSupport.NewDir(text);
        TestSupport.SeedState(dir, "dualstack");

        var e = await Should.ThrowAsync<AssetException>(() => AssetTarget.Manifests.GenerateAsync(new AssetStore(TestSupport.Inputs(dir, null))));

        e.Message.ShouldStartWith("platform.openstack.controlPlanePort.network:");
        e.Message.ShouldContain("--offline");
        e.Message.ShouldContain("network.id");
        e.IsCloudError.ShouldBeFalse();
    }

    [Fact]
    public async Task Example_with_subnet_ids_generates_offline()
    {
        var text = TestSupport.InstallConfigFor("example-dual-stack-ipv6-primary");
        var dir = TestSupport.NewDir(text);
        var files = await AssetTarget.Manifests.GenerateAsync(new AssetStore(TestSupport.Inputs(dir, null)));
        files.ShouldContain(f => f.Path == "openshift/99_openshift-machine-api_master-control-plane-machine-set.yaml");
    }

    [Fact]
    public async Task IPv6_primary_keeps_IPv6_first_everywhere()
    {
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack-ipv6-primary");
        var infra = files.Yaml("manifests/cluster-infrastructure-02-config.yml");
        foreach (var os in new[] { infra["spec"]!["platformSpec"]!["openstack"]!, infra["status"]!["platformStatus"]!["openstack"]! })
        {
            ((string)os["apiServerInternalIPs"]![0]!).ShouldBe("fd2e:6f44:5dd8:c956::a");
            ((string)os["ingressIPs"]![0]!).ShouldBe("fd2e:6f44:5dd8:c956::b");
            ((string)os["machineNetworks"]![0]!).ShouldBe("fd2e:6f44:5dd8:c956::/64");
        }
        ((string)infra["status"]!["platformStatus"]!["openstack"]!["apiServerInternalIP"]!).ShouldBe("fd2e:6f44:5dd8:c956::a");
        var network = files.Yaml("manifests/cluster-network-02-config.yml")["spec"]!;
        ((string)network["serviceNetwork"]![0]!).ShouldBe("fd02::/112");
        ((string)network["clusterNetwork"]![0]!["cidr"]!).ShouldBe("fd01::/48");
        files["manifests/cloud-provider-config.yaml"].ContentText.ShouldContain("address-sort-order = fd2e:6f44:5dd8:c956::/64,192.168.25.0/24");

        // The bootstrap kubelet gets --node-ip=:: because the first service network is IPv6
        var kubelet = JsonNode.Parse(files["bootstrap.ign"].ContentText)!["storage"]!["files"]!.AsArray()
            .Single(f => (string)f!["path"]! == "/usr/local/bin/kubelet.sh")!;
        Decode((string)kubelet["contents"]!["source"]!).ShouldContain("--node-ip=::");
    }

    [Fact]
    public async Task Bootstrap_carries_the_NetworkManager_files_and_IPv4_primary_has_no_node_ip()
    {
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack");
        var bootstrap = JsonNode.Parse(files["bootstrap.ign"].ContentText)!["storage"]!["files"]!.AsArray();
        Decode((string)bootstrap.Single(f => (string)f!["path"]! == "/etc/NetworkManager/conf.d/02-ipv6.conf")!["contents"]!["source"]!)
            .ShouldBe("[connection]\nipv6.addr-gen-mode=0\n");
        Decode((string)bootstrap.Single(f => (string)f!["path"]! == "/etc/NetworkManager/conf.d/99-openstack.conf")!["contents"]!["source"]!)
            .ShouldBe("[main]\nrc-manager=unmanaged\n");
        Decode((string)bootstrap.Single(f => (string)f!["path"]! == "/usr/local/bin/kubelet.sh")!["contents"]!["source"]!)
            .ShouldNotContain("--node-ip");
    }

    [Fact]
    public async Task Control_plane_ports_carry_both_fixed_IPs_and_every_VIP_as_allowed_address_pairs()
    {
        var dir = TestSupport.NewDir(TestSupport.InstallConfigFor("example-dual-stack"));
        TestSupport.SeedState(dir, "dualstack");
        var store = new AssetStore(TestSupport.Inputs(dir, new FakeLookup()));

        var machines = (await store.GetAsync(InstallAssets.Machines)).InstallerMachines;
        var inputs = await store.GetAsync(InstallAssets.Inputs);
        var ignition = (await store.GetAsync(InstallAssets.IgnitionFiles)).Files.ToDictionary(f => f.Path, f => f.ContentText, StringComparer.Ordinal);

        machines.Select(m => m.Name).ShouldBe([$"dualstack-{TestSupport.InfraSuffix}-bootstrap", .. Enumerable.Range(0, 3).Select(i => $"dualstack-{TestSupport.InfraSuffix}-master-{i}")]);
        foreach (var machine in machines)
        {
            var port = CapiManifests.Server(inputs, machine).Ports.ShouldHaveSingleItem();
            port.FixedIps.Select(f => f.Name).ShouldBe(["subnet-v4", "subnet-v6"]);
            port.AllowedAddressPairs.ShouldBe(["192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", "192.168.25.79", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad"]);
            port.Network!.Name.ShouldBe("dualstack");
            ignition[machine.IgnitionFile].ShouldNotBeEmpty();
        }
        ignition[machines[1].IgnitionFile].ShouldContain("/config/master");
        machines[0].ServerGroup.ShouldBeNull();
        CapiManifests.Server(inputs, machines[0]).ServerGroup.ShouldBeNull();
    }

    [Fact]
    public void Yaml_keys_sort_and_scalars_quote_like_go_yaml()
    {
        var doc = new MapNode()
            .Add("b", "true").Add("a10", 1).Add("a9", "3.2.0").Add("A", "").Add(".dockerconfigjson", "x: y")
            .Add("list", Node.Strings(["::/0", "10", "- x", "fd02::/112"]));
        YamlText.Write(doc).ShouldBe(".dockerconfigjson: 'x: y'\nA: \"\"\na9: 3.2.0\na10: 1\nb: \"true\"\nlist:\n- ::/0\n- \"10\"\n- '- x'\n- fd02::/112\n");
    }

    private static string Decode(string dataUrl) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(dataUrl[(dataUrl.IndexOf(',', StringComparison.Ordinal) + 1)..]));
}
