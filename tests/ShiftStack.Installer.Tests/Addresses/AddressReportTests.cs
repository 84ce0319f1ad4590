using ShiftStack.Installer.Addresses;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Addresses.AddressFixtures;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>The report of <c>shiftstack addresses</c> built from hand-made Neutron facts.</summary>
public sealed class AddressReportTests
{
    private const string ApiMac = "fa:16:3e:00:00:0a";
    private const string ApiV6 = "fd2e:6f44:5dd8:c956:f816:3eff:fe00:a";
    private const string IngressMac = "fa:16:3e:00:00:0b";
    private const string IngressV6 = "fd2e:6f44:5dd8:c956:f816:3eff:fe00:b";

    /// <summary>The install-config whose VIPs are the EUI-64 addresses of the VIP ports.</summary>
    private static ShiftStack.InstallConfig.InstallConfiguration ConfigWithVips(bool storage = false, bool networkByName = true)
    {
        var config = Config(storage: storage, networkByName: networkByName);
        return config with
        {
            Platform = config.Platform with
            {
                OpenStack = config.Platform.OpenStack! with { ApiVips = ["192.168.25.199", ApiV6], IngressVips = ["192.168.25.79", IngressV6] },
            },
        };
    }

    private static Port ApiPort(string v6 = ApiV6) => Port("api", ApiMac, "DOWN", NetworkId, ("sub-v4", "192.168.25.199"), ("sub-v6", v6));

    private static Port IngressPort() => Port("ingress", IngressMac, "DOWN", NetworkId, ("sub-v4", "192.168.25.79"), ("sub-v6", IngressV6));

    private static AddressFacts Facts(IReadOnlyList<Port> vipPorts, IReadOnlyList<Port>? nodePorts = null) => new()
    {
        VipPorts = vipPorts,
        NodePorts = nodePorts ?? [],
        Networks = [Machine(V4Subnet, Slaac), Storage],
        Subnets = [V4Subnet, Slaac, StorageSubnet],
        NeutronRequests = 3,
    };

    private static AddressReport Build(AddressFacts facts, bool storage = false, bool networkByName = true, string? infraId = null)
    {
        var config = ConfigWithVips(storage, networkByName);
        return AddressReportBuilder.Build(config, facts, CloudProviderNetworking.Generated(config), "test", infraId);
    }

    [Fact]
    public void Before_install_SLAAC_VIP_ports_agree()
    {
        var report = Build(Facts([ApiPort(), IngressPort()]));

        report.Agrees.ShouldBeTrue(string.Join("; ", report.AllProblems));
        report.Ports.Select(p => p.Roles.ShouldHaveSingleItem()).ShouldBe([PortRole.ApiVip, PortRole.IngressVip]);
        var api = report.Ports[0];
        api.MacAddress.ShouldBe(ApiMac);
        api.Ipv4.ShouldBe(["192.168.25.199"]);
        api.Ipv6.ShouldHaveSingleItem().Predicted.ShouldBe(ApiV6);
        api.Network.ShouldBe("dualstack");
        report.Nodes.ShouldBeEmpty();
        report.NeutronRequests.ShouldBe(3);
    }

    [Fact]
    public void A_VIP_port_whose_IPv6_address_is_not_its_EUI64_disagrees()
    {
        var report = Build(Facts([ApiPort(v6: "fd2e:6f44:5dd8:c956::a"), IngressPort()]));

        report.Agrees.ShouldBeFalse();
        var problems = report.AllProblems.ToList();
        problems.ShouldContain(p => p.StartsWith("port api: Neutron recorded fd2e:6f44:5dd8:c956::a but the guest will configure " + ApiV6, StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith($"port api: platform.openstack.apiVIPs[1] {ApiV6} is not an address of this port", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dual_stack_VIP_without_a_port_is_a_disagreement()
    {
        var report = Build(Facts([ApiPort()]));

        report.Problems.Count.ShouldBe(2);
        report.Problems[0].ShouldBe("platform.openstack.ingressVIPs[0] 192.168.25.79: no Neutron port has this address (dual-stack VIPs must be the addresses of a port created before install)");
    }

    [Fact]
    public void A_stateful_VIP_port_is_assigned_by_DHCPv6_and_agrees()
    {
        var stateful = V6("sub-v6", "dhcpv6-stateful", "dhcpv6-stateful");
        var facts = Facts([ApiPort(), IngressPort()]) with { Subnets = [V4Subnet, stateful], Networks = [Machine(V4Subnet, stateful)] };

        var report = Build(facts);

        report.Agrees.ShouldBeTrue();
        report.Ports.ShouldAllBe(p => p.Ipv6.Single().Agreement == AddressAgreement.AssignedByDhcpv6);
    }

    [Fact]
    public void Provisioned_nodes_publish_one_IPv4_and_one_IPv6_with_the_storage_network_excluded()
    {
        // Given: master-0's machine port (ACTIVE) and storage port, tagged with the cluster
        var machine = Port("addr-x7k2q-master-0-0", Mac, "ACTIVE", NetworkId, ("sub-v4", "192.168.25.10"), ("sub-v6", Eui64)) with { DeviceId = "srv-0" };
        var storage = Port("addr-x7k2q-master-0-1", Mac2, "ACTIVE", StorageNetworkId, ("sub-storage", "172.16.0.10")) with { DeviceId = "srv-0" };

        // When
        var report = Build(Facts([ApiPort(), IngressPort()], [storage, machine]), storage: true, infraId: "addr-x7k2q");

        // Then
        report.Agrees.ShouldBeTrue(string.Join("; ", report.AllProblems));
        var node = report.Nodes.ShouldHaveSingleItem();
        node.Name.ShouldBe("addr-x7k2q-master-0");
        node.ServerId.ShouldBe("srv-0");
        node.Ports.ShouldBe(["addr-x7k2q-master-0-0", "addr-x7k2q-master-0-1"]);
        node.CloudAddresses.ShouldBe([NodeAddress.Internal("192.168.25.10"), NodeAddress.Internal(Eui64)]);
        node.ProvidedNodeIp.ShouldBe("192.168.25.10," + Eui64);
        node.Published!.Addresses.ShouldBe(node.CloudAddresses);
    }

    [Fact]
    public void Machines_with_additional_networks_and_no_internal_network_name_are_reported_before_install()
    {
        var report = Build(Facts([ApiPort(), IngressPort()]), storage: true, networkByName: false);

        report.Problems.ShouldHaveSingleItem().ShouldStartWith($"the machines have additional networks ({StorageNetworkId}) but cloud.conf [Networking] has no internal-network-name");
    }

    [Fact]
    public void A_node_whose_ports_are_DOWN_and_unattached_is_predicted_with_notes()
    {
        var machine = Port("addr-x7k2q-bootstrap-0", Mac, "DOWN", NetworkId, ("sub-v4", "192.168.25.10"), ("sub-v6", Eui64));

        var report = Build(Facts([ApiPort(), IngressPort()], [machine]), infraId: "addr-x7k2q");

        var node = report.Nodes.ShouldHaveSingleItem();
        node.Name.ShouldBe("addr-x7k2q-bootstrap");
        node.Agrees.ShouldBeTrue(string.Join("; ", node.Problems));
        node.Notes.Count.ShouldBe(2);
        node.Notes[0].ShouldStartWith("not attached to a server yet");
        node.Notes[1].ShouldStartWith("port addr-x7k2q-bootstrap-0 is DOWN");
    }

    [Fact]
    public void A_node_port_whose_recorded_address_the_guest_will_not_use_fails_the_node()
    {
        var machine = Port("addr-x7k2q-master-0-0", Mac2, "ACTIVE", NetworkId, ("sub-v4", "192.168.25.10"), ("sub-v6", Eui64)) with { DeviceId = "srv-0" };

        var report = Build(Facts([ApiPort(), IngressPort()], [machine]), infraId: "addr-x7k2q");

        var node = report.Nodes.ShouldHaveSingleItem();
        node.Published!.Error.ShouldBe("failed to get node address from cloud provider that matches ip: " + Eui64Mac2);
        node.Agrees.ShouldBeFalse();
        report.Agrees.ShouldBeFalse();
    }
}
