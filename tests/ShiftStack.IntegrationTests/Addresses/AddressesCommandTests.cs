using System.Text.Json;
using ShiftStack.Cli.Commands;
using ShiftStack.IntegrationTests.OpenStack;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// <c>shiftstack addresses</c> run in-process (full command line: parsing, rendering, exit codes) against the local
/// Neutron: a dual-stack network (IPv4 + IPv6 SLAAC) with API and Ingress ports, and an install-config whose VIPs are
/// those ports' addresses.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AddressesCommandTests(LocalCloud cloud) : IAsyncLifetime, IDisposable
{
    private const string V4Cidr = "10.40.0.0/24";
    private const string V6Cidr = "fd40:41:42:43::/64";

    private readonly NeutronResources _resources = new(cloud.Networking, cloud);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "shiftstack-it-addresses-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        // The command reads clouds.yaml the way a user's shell does; point it at the local cloud's file.
        var current = Environment.GetEnvironmentVariable("OS_CLIENT_CONFIG_FILE");
        if (string.IsNullOrEmpty(current))
        {
            Environment.SetEnvironmentVariable("OS_CLIENT_CONFIG_FILE", cloud.CloudsYamlPath);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _resources.CleanUpAsync();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private sealed record Setup(Network Network, Port Api, Port Ingress);

    private async Task<Setup> DualStackWithVipPortsAsync()
    {
        var network = await _resources.NetworkAsync("addresses");
        await _resources.Ipv4SubnetAsync(network.Id, V4Cidr);
        await _resources.Ipv6SubnetAsync(network.Id, V6Cidr, Ipv6Mode.Slaac);
        var api = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "api" });
        var ingress = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "ingress" });
        return new Setup(network, api, ingress);
    }

    private static string V4(Port port) => port.FixedIpsOf(IpFamily.IPv4).Single().IpAddress;

    private static string V6(Port port) => port.FixedIpsOf(IpFamily.IPv6).Single().IpAddress;

    private void WriteInstallConfig(Setup setup, string? apiV6 = null, string additionalNetworks = "")
    {
        var config = new InstallConfigYaml
        {
            ClusterName = "addrit",
            MasterPlatformExtra = additionalNetworks,
            Workers = 0,
            NetworkType = "OVNKubernetes",
            MachineNetworks = [V4Cidr, V6Cidr],
            Cloud = LocalCloud.UserCloud,
            ApiVips = [V4(setup.Api), apiV6 ?? V6(setup.Api)],
            IngressVips = [V4(setup.Ingress), V6(setup.Ingress)],
            ControlPlaneNetwork = InstallConfigYaml.Named(setup.Network.Name),
            ControlPlaneSubnets = [InstallConfigYaml.Named(cloud.Name("v4")), InstallConfigYaml.Named(cloud.Name("v6"))],
        }.ToString();
        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), config);
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await AddressesCli.RunAsync(["--dir", _dir, "--cloud", LocalCloud.UserCloud, .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Before_install_every_VIP_port_agrees_in_three_Neutron_requests()
    {
        // Given
        var setup = await DualStackWithVipPortsAsync();
        WriteInstallConfig(setup);

        // When
        var text = await RunAsync();
        var json = await RunAsync("--output", "json");

        // Then
        text.Code.ShouldBe(0, text.Out + text.Error);
        text.Out.ShouldContain($"port {setup.Api.Name} [API VIP]");
        text.Out.ShouldContain($"  IPv6       {V6(setup.Api)}  (Neutron)");
        text.Out.ShouldContain($"  predicted  {V6(setup.Api)}  (EUI-64 of the MAC, slaac subnet {V6Cidr})  agrees");
        text.Out.ShouldContain("2 ports, 0 nodes, 3 Neutron requests: everything agrees");

        json.Code.ShouldBe(0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        root.GetProperty("agree").GetBoolean().ShouldBeTrue();
        root.GetProperty("infraID").ValueKind.ShouldBe(JsonValueKind.Null);
        root.GetProperty("neutronRequests").GetInt64().ShouldBe(3, "VIP ports, networks, subnets: one request each");
        root.GetProperty("cloudProviderNetworking").GetProperty("addressSortOrder").GetString().ShouldBe($"{V4Cidr},{V6Cidr}");
        root.GetProperty("cloudProviderNetworking").GetProperty("internalNetworkNames")[0].GetString().ShouldBe(setup.Network.Name);
        var ports = root.GetProperty("ports").EnumerateArray().ToList();
        ports.Select(p => p.GetProperty("name").GetString()).ShouldBe([setup.Api.Name, setup.Ingress.Name], ignoreOrder: true);
        foreach (var port in ports)
        {
            port.GetProperty("agree").GetBoolean().ShouldBeTrue();
            var v6 = port.GetProperty("ipv6").EnumerateArray().ShouldHaveSingleItem();
            v6.GetProperty("agreement").GetString().ShouldBe("agrees");
            v6.GetProperty("recorded").GetString().ShouldBe(v6.GetProperty("predicted").GetString());
            var mac = port.GetProperty("mac").GetString()!;
            v6.GetProperty("predicted").GetString().ShouldBe(IpAddresses.Canonical(Eui64.FromMac(mac, Cidr.Parse(V6Cidr))));
        }
    }

    [Fact]
    public async Task After_provisioning_node_ports_found_by_the_cluster_tag_publish_one_IPv4_and_one_IPv6()
    {
        // Given: the VIP setup, a storage network on the masters, and master-0's two ports tagged with the cluster
        var setup = await DualStackWithVipPortsAsync();
        var storage = await _resources.NetworkAsync("storage");
        await _resources.Ipv4SubnetAsync(storage.Id, "172.16.40.0/24", name: "storage-v4");
        WriteInstallConfig(setup, additionalNetworks: "\n      additionalNetworkIDs:\n      - " + storage.Id);
        var infraId = cloud.Name("x7k2q");
        var tag = "openshiftClusterID=" + infraId;
        var machine = await _resources.PortAsync(new PortCreateOptions { NetworkId = setup.Network.Id, Name = "x7k2q-master-0-0", Tags = [tag] });
        await _resources.PortAsync(new PortCreateOptions { NetworkId = storage.Id, Name = "x7k2q-master-0-1", Tags = [tag] });
        Directory.CreateDirectory(Path.Combine(_dir, ".shiftstack"));
        File.WriteAllText(Path.Combine(_dir, ".shiftstack", "provisioning.json"), $$"""{"version":1,"infraID":"{{infraId}}"}""");

        // When
        var result = await RunAsync("--output", "json");

        // Then: the storage address is not an InternalIP; the pair is the machine port's IPv4 + EUI-64 IPv6
        result.Code.ShouldBe(0, result.Out + result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        root.GetProperty("infraID").GetString().ShouldBe(infraId);
        root.GetProperty("neutronRequests").GetInt64().ShouldBe(4, "VIP ports and tagged ports, networks, subnets");
        root.GetProperty("ports").GetArrayLength().ShouldBe(4);
        var node = root.GetProperty("nodes").EnumerateArray().ShouldHaveSingleItem();
        node.GetProperty("name").GetString().ShouldBe(cloud.Name("x7k2q-master-0"));
        var expected = new[] { V4(machine), V6(machine) };
        node.GetProperty("cloudProviderAddresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()).ShouldBe(expected);
        node.GetProperty("providedNodeIP").GetString().ShouldBe(string.Join(",", expected));
        node.GetProperty("publishedAddresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()).ShouldBe(expected);
        node.GetProperty("agree").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task An_IPv6_VIP_that_is_not_the_ports_EUI64_address_exits_2_and_says_why()
    {
        // Given: apiVIPs[1] is another address of the /64
        var setup = await DualStackWithVipPortsAsync();
        WriteInstallConfig(setup, apiV6: "fd40:41:42:43::a");

        // When
        var result = await RunAsync();

        // Then
        result.Code.ShouldBe(2, result.Out + result.Error);
        result.Out.ShouldContain("disagreements:");
        result.Out.ShouldContain("platform.openstack.apiVIPs[1] fd40:41:42:43::a: no Neutron port has this address");
        result.Out.ShouldContain($"port {setup.Api.Name}: platform.openstack.apiVIPs[1] fd40:41:42:43::a is not an address of this port (its IPv6 address is {V6(setup.Api)})");
    }

    [Fact]
    public async Task An_unknown_cloud_is_a_cloud_error()
    {
        var setup = await DualStackWithVipPortsAsync();
        WriteInstallConfig(setup);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await AddressesCli.RunAsync(["--dir", _dir, "--cloud", "no-such-cloud"], output, error);

        code.ShouldBe(3, error.ToString());
        error.ToString().ShouldContain("clouds.yaml");
    }
}
