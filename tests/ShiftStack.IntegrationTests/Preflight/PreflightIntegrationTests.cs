using ShiftStack.Installer.Preflight;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>
/// Pre-flight validation against the real local Keystone + Neutron: each test builds the situation a rule is about
/// and asserts the exact message. Never skipped: without the local cloud the fixture fails with what to run.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PreflightIntegrationTests(LocalCloud cloud, SharedDualStack shared) : IAsyncLifetime, IClassFixture<SharedDualStack>
{
    private const string Marker = "(ShiftStack check; openshift-install does not check this)";

    // Tests that change the network build their own (_s); tests that only read it use the class's (_r, Shared).
    private readonly PreflightScenario _s = new(cloud);
    private readonly PreflightScenario _r = shared.Scenario;

    private DualStackNetwork Shared => shared.Net;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _s.CleanUpAsync();

    private static string List(params string[] items) => "[" + string.Join(",", items.Select(i => "\"" + i + "\"")) + "]";

    [Fact]
    public async Task The_seed_workflow_validates_clean_with_one_token_and_six_Neutron_requests()
    {
        var net = Shared;
        var counter = new RequestCounter();

        var outcome = await _r.ValidateAsync(_r.InstallConfig(net), counter);

        outcome.Result!.Messages().ShouldBeEmpty();
        outcome.Result!.Warnings.Select(w => w.ToString()).ShouldBeEmpty();
        var requests = counter.Snapshot().ToDictionary(kv => kv.Key.ToString(), kv => kv.Value);
        requests.Where(kv => kv.Key.StartsWith("network ", StringComparison.Ordinal)).ShouldBe(
        [
            new("network GET /v2.0/subnets", 1),
            new("network GET /v2.0/networks", 1),
            new("network GET /v2.0/ports", 2),
            new("network GET /v2.0/extensions", 1),
            new("network GET /v2.0/quotas/{id}/details", 1),
        ], ignoreOrder: true);
        counter.ForService("network").ShouldBe(6);
        counter.ForService("identity").ShouldBe(1);

        // Nova is asked only when the catalog has it (hack/openstack-up --compute): flavors and quota, 2 requests.
        var computeRequests = outcome.Cloud!.Compute.HasEndpoint ? 2 : 0;
        counter.ForService("compute").ShouldBe(computeRequests);
        counter.Total.ShouldBe(7 + computeRequests);
    }

    [Fact]
    public async Task External_network_and_free_floating_IPs_validate_clean_with_two_more_requests()
    {
        var net = await _s.DualStackAsync();
        var external = (await _s.Client.Networks.ListAsync(new NetworkListOptions { Name = "public" })).ShouldHaveSingleItem();
        var api = await _s.Resources.FloatingIpAsync(new FloatingIpCreateOptions { FloatingNetworkId = external.Id });
        var ingress = await _s.Resources.FloatingIpAsync(new FloatingIpCreateOptions { FloatingNetworkId = external.Id });
        var counter = new RequestCounter();

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net, extra: $"""
                externalNetwork: public
                apiFloatingIP: {api.FloatingIpAddress}
                ingressFloatingIP: {ingress.FloatingIpAddress}
            """), counter);

        outcome.Result!.Messages().ShouldBeEmpty();
        counter.ForService("network").ShouldBe(8);
        counter.Count("GET", "/v2.0/floatingips").ShouldBe(1);
        counter.Count("GET", "/v2.0/networks").ShouldBe(2);
        outcome.Cloud!.ApiFloatingIp!.Found!.Id.ShouldBe(api.Id);
    }

    [Fact]
    public async Task Floating_IPs_that_do_not_exist_and_a_missing_external_network_are_not_found()
    {
        var net = Shared;

        var outcome = await _r.ValidateAsync(_r.InstallConfig(net, extra: $"""
                externalNetwork: {_r.Name("no-such-network")}
                apiFloatingIP: 198.51.100.77
            """));

        outcome.Result!.Messages().ShouldBe(
        [
            $"platform.openstack.externalNetwork: Not found: \"{_r.Name("no-such-network")}\"",
            "platform.openstack.apiFloatingIP: Not found: \"198.51.100.77\"",
        ]);
    }

    [Fact]
    public async Task An_IPv6_subnet_on_another_network_is_reported_as_the_reference_does()
    {
        var net = await _s.DualStackAsync(ports: false);
        var other = await _s.NetworkAsync("other");
        var otherV6 = await _s.V6SubnetAsync(other.Id, Ipv6Mode.Slaac, "other-v6");
        var api = await _s.PortAsync(net.Network.Id, "api");
        var ingress = await _s.PortAsync(net.Network.Id, "ingress");
        var withPorts = net with { Api = api, Ingress = ingress };

        var outcome = await _s.ValidateAsync(_s.InstallConfig(withPorts, v6SubnetName: otherV6.Name));

        outcome.Result!.Messages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs: Invalid value: \"{other.Id}\": fixedIPs subnets must be on the same Network",
            $"platform.openstack.controlPlanePort.network: Invalid value: \"{net.Network.Name}\": network must contain subnets",
        ]);
    }

    [Fact]
    public async Task A_network_with_MTU_1300_is_too_small_for_IPv6()
    {
        var net = await _s.DualStackAsync();
        await _s.Client.Networks.UpdateAsync(net.Network.Id, new NetworkUpdateOptions { Mtu = 1300 });

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net));

        outcome.Cloud!.ControlPlanePortNetwork!.Found!.Mtu.ShouldBe(1300);
        outcome.Result!.Messages().ShouldBe(["platform.openstack.controlPlanePort.network: Internal error: network should have an MTU of at least 1380"]);
    }

    [Fact]
    public async Task VIPs_split_across_two_ports_are_an_error()
    {
        var net = await _s.DualStackAsync();
        // Every port on the network has one IPv4 and its EUI-64 IPv6 address; take the IPv4 VIP of one and the IPv6 VIP of the other.
        var second = await _s.PortAsync(net.Network.Id, "api-2");
        var apiV4 = net.Address(net.Api!, IpFamily.IPv4);
        var apiV6 = net.Address(second, IpFamily.IPv6);

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net, apiVips: [apiV4, apiV6]));

        outcome.Result!.Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {List(apiV4, apiV6)}: the VIPs are on different ports: "
            + $"{apiV4} on port \"{net.Api!.Name}\" ({net.Api.Id}), {apiV6} on port \"{second.Name}\" ({second.Id}); "
            + $"one port must hold all of them (the installer tags, and attaches the floating IP to, only the port of apiVIPs[0]) {Marker}",
        ]);
    }

    [Fact]
    public async Task A_missing_VIP_port_on_a_SLAAC_subnet_gets_the_port_create_command()
    {
        var net = Shared;
        string[] vips = ["10.0.250.250", "2001:db8:2222:5555:f816:3eff:fe00:dead"];

        var outcome = await _r.ValidateAsync(_r.InstallConfig(net, apiVips: vips));

        outcome.Result!.Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {List(vips)}: no port on the controlPlanePort network \"{net.Network.Name}\" ({net.Network.Id}) holds these VIPs; "
            + "create the port first, then copy its addresses into apiVIPs: "
            + $"openstack port create --network {net.Network.Id} --fixed-ip subnet={net.V4.Id},ip-address=10.0.250.250 --fixed-ip subnet={net.V6.Id} {_r.ClusterName}-api-vips "
            + $"(on the slaac subnet \"{net.V6.Name}\" ({net.V6.Id}) Neutron derives the port's IPv6 address from its MAC and refuses a requested one) {Marker}",
        ]);
    }

    [Fact]
    public async Task The_suggested_port_create_command_works_and_then_validates_clean()
    {
        var net = await _s.DualStackAsync(ports: false);
        var api = await _s.PortAsync(net.Network.Id, "api");
        var ingressV4 = "10.0.250.251";

        // What the message tells the user to run: an IPv4 address of their choice and a port on the SLAAC subnet.
        var ingress = await _s.PortAsync(net.Network.Id, "ingress", FixedIpRequest.Address(ingressV4, net.V4.Id), FixedIpRequest.OnSubnet(net.V6.Id));
        var outcome = await _s.ValidateAsync(_s.InstallConfig(net with { Api = api, Ingress = ingress }));

        net.Address(ingress, IpFamily.IPv4).ShouldBe(ingressV4);
        outcome.Result!.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stateless_subnet_without_router_warns_that_nothing_sends_router_advertisements()
    {
        var net = await _s.DualStackAsync(Ipv6Mode.Dhcpv6Stateless, router: false);

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net));

        outcome.Result!.Messages().ShouldBeEmpty();
        outcome.Result!.Warnings.Select(w => w.ToString()).ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"{net.V6.Name}\" ({net.V6.Id}) has ipv6_ra_mode dhcpv6-stateless but no Neutron router has an interface on it, "
            + "so nothing sends its Router Advertisements and the nodes get no IPv6 address; "
            + $"attach it to a router: openstack router add subnet <router> {net.V6.Id} {Marker}",
        ]);
    }

    [Fact]
    public async Task A_stateful_subnet_with_a_router_validates_clean()
    {
        var net = await _s.DualStackAsync(Ipv6Mode.Dhcpv6Stateful);

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net));

        outcome.Result!.Messages().ShouldBeEmpty();
        outcome.Result!.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_IPv6_subnet_without_modes_warns_that_the_nodes_get_no_address()
    {
        var network = await _s.NetworkAsync();
        var v4 = await _s.V4SubnetAsync(network.Id);
        var v6 = await _s.Resources.SubnetAsync(new SubnetCreateOptions { NetworkId = network.Id, IpVersion = 6, Cidr = PreflightScenario.V6Cidr, Name = _s.Local("v6") });
        var api = await _s.PortAsync(network.Id, "api");
        var ingress = await _s.PortAsync(network.Id, "ingress");
        var net = new DualStackNetwork(network, v4, v6, api, ingress);

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net));

        v6.Ipv6AddressMode.ShouldBeNull();
        outcome.Result!.Messages().ShouldBeEmpty();
        outcome.Result!.Warnings.Select(w => w.ToString()).ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"{v6.Name}\" ({v6.Id}) has neither ipv6_address_mode nor ipv6_ra_mode: "
            + "Neutron sends no Router Advertisements and no DHCPv6 for it, so the nodes get no IPv6 address; "
            + $"create it with --ipv6-ra-mode slaac --ipv6-address-mode slaac (or both dhcpv6-stateless, or both dhcpv6-stateful) {Marker}",
        ]);
    }

    [Fact]
    public async Task A_subnet_that_does_not_exist_is_not_found()
    {
        var net = Shared;

        var outcome = await _r.ValidateAsync(_r.InstallConfig(net, v6SubnetName: _r.Name("no-such-subnet")));

        outcome.Result!.Messages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs: Not found: \"{_r.Name("no-such-subnet")}\"",
            "platform.openstack.controlPlanePort.fixedIPs: Internal error: one IPv4 subnet and one IPv6 subnet must be specified",
        ]);
    }

    [Fact]
    public async Task A_subnet_name_used_twice_is_an_error_naming_the_filter()
    {
        var net = await _s.DualStackAsync();
        var other = await _s.NetworkAsync("other");
        var twin = await _s.V6SubnetAsync(other.Id, Ipv6Mode.Slaac, cidr: "2001:db8:2222:6666::/64");

        var outcome = await _s.ValidateAsync(_s.InstallConfig(net));

        twin.Name.ShouldBe(net.V6.Name);
        var message = outcome.Result!.Messages().ShouldHaveSingleItem();
        message.ShouldStartWith($"platform.openstack.controlPlanePort.fixedIPs[1].subnet: Invalid value: \"{net.V6.Name}\": found multiple subnets matching name=\"{net.V6.Name}\": ");
        message.ShouldContain($"{net.V6.Id} ({PreflightScenario.V6Cidr} on network {net.Network.Id})");
        message.ShouldContain($"{twin.Id} (2001:db8:2222:6666::/64 on network {other.Id})");
        message.ShouldEndWith("set controlPlanePort.fixedIPs[1].subnet.id to the one to use "
            + "(ShiftStack check; openshift-install fails with \"found multiple subnets\" and silently skips every pre-flight check)");
    }

    [Fact]
    public async Task A_subnet_CIDR_that_is_not_a_machine_network_is_invalid()
    {
        var net = Shared;

        var outcome = await _r.ValidateAsync(_r.InstallConfig(net, machineNetworks: ["10.0.0.0/15", PreflightScenario.V6Cidr]));

        outcome.Result!.Messages().ShouldBe(
            ["platform.openstack.controlPlanePort.fixedIPs: Invalid value: \"10.0.0.0/16\": controlPlanePort CIDR does not match machineNetwork"]);
    }

    [Fact]
    public async Task Too_many_machines_for_the_port_quota_is_an_error_from_the_real_quota()
    {
        var net = Shared;
        var quota = await _r.Client.Quotas.GetDetailsForCurrentProjectAsync();
        var replicas = quota.Port.Available + 50; // more workers than free ports, with room for other tests freeing some

        var config = _r.InstallConfig(net).Replace("  replicas: 2\n", $"  replicas: {replicas}\n", StringComparison.Ordinal);
        var outcome = await _r.ValidateAsync(config);

        var needed = replicas + 4;
        var port = outcome.Result!.Messages().Single(m => m.Contains("quota of ports", StringComparison.Ordinal));
        port.ShouldStartWith($"platform.openstack.cloud: Invalid value: \"local\": the project's quota of ports is too small for this cluster: {needed} needed ({needed} for {needed} machines");
        port.ShouldContain($"free (limit {quota.Port.Limit}, ");
    }

    [Fact]
    public async Task Wrong_credentials_are_a_cloud_failure_naming_the_cloud_and_auth_URL_but_not_the_password()
    {
        var net = Shared;
        var good = cloud.Cloud();
        const string wrong = "pf-wrong-password-7c1e";
        var bad = good with { Auth = good.Auth with { Password = wrong } };
        var file = ShiftStack.Installer.Validation.InstallConfigFile.Load(_r.WriteDir(_r.InstallConfig(net, apiVips: ["10.0.0.5", "2001:db8:2222:5555::5"], ingressVips: ["10.0.0.7", "2001:db8:2222:5555::7"])));

        var outcome = await CloudCheck.RunAsync(file.Config!, LocalCloud.UserCloud, _ => bad);

        outcome.Checked.ShouldBeFalse();
        outcome.Failure.ShouldNotBeNull();
        outcome.Failure.ShouldStartWith($"cloud 'local' (auth URL {good.Auth.AuthUrl}): ");
        outcome.Failure.ShouldContain("401");
        outcome.Failure.ShouldNotContain(wrong);
    }

    [Fact]
    public async Task An_unknown_cloud_name_is_a_cloud_failure()
    {
        var net = Shared;
        var file = ShiftStack.Installer.Validation.InstallConfigFile.Load(_r.WriteDir(_r.InstallConfig(net, apiVips: ["10.0.0.5", "2001:db8:2222:5555::5"], ingressVips: ["10.0.0.7", "2001:db8:2222:5555::7"])));

        var outcome = await CloudCheck.RunAsync(file.Config!, "pf-no-such-cloud", name => ShiftStack.OpenStack.Config.CloudConfigLoader.LoadFromFile(cloud.CloudsYamlPath, name));

        outcome.Checked.ShouldBeFalse();
        outcome.Failure.ShouldStartWith($"cloud 'pf-no-such-cloud': cloud 'pf-no-such-cloud' not found in {cloud.CloudsYamlPath}");
    }
}

internal static class ResultExtensions
{
    public static IReadOnlyList<string> Messages(this PreflightResult result) => result.Errors.Select(e => e.ToString()).ToList();
}
