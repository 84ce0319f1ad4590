using ShiftStack.Installer.Addresses;
using static ShiftStack.Installer.Tests.Addresses.AddressFixtures;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>cloud-provider-openstack <c>nodeAddresses</c> + <c>sortNodeAddresses</c> (node-addresses.md §1.2), rule by rule.</summary>
public sealed class CcmNodeAddressesTests
{
    private const string V4 = "192.168.25.10";
    private const string Storage = "172.16.0.10";

    private static CcmPort MachinePort(string status = "ACTIVE", params string[] ips) =>
        new("m-0-0", status, "dualstack", ips.Length == 0 ? [V4, Eui64] : ips);

    private static CcmPort StoragePort(string status = "ACTIVE") => new("m-0-1", status, "storage", [Storage]);

    private static CcmServer Server(params CcmPort[] ports) => CcmServer.FromPorts("m-0", ports);

    [Fact]
    public void Every_fixed_IP_of_an_ACTIVE_port_is_an_InternalIP_in_port_order()
    {
        var addresses = CcmNodeAddresses.Select(Server(MachinePort()), CloudProviderNetworking.None);

        addresses.ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64)]);
    }

    [Fact]
    public void A_storage_network_is_excluded_by_internal_network_name()
    {
        var server = Server(MachinePort(), StoragePort());
        var options = new CloudProviderNetworking { InternalNetworkNames = ["dualstack"] };

        var addresses = CcmNodeAddresses.Select(server, options);

        addresses.ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64)]);
    }

    [Fact]
    public void Without_internal_network_name_the_storage_address_is_an_InternalIP_too()
    {
        var addresses = CcmNodeAddresses.Select(Server(MachinePort(), StoragePort()), CloudProviderNetworking.None);

        addresses.ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64), NodeAddress.Internal(Storage)]);
    }

    [Fact]
    public void The_internal_network_name_filter_removes_an_address_the_port_pass_added()
    {
        // Given: the storage port is ACTIVE, so the port pass adds its address before Nova's map is read
        var server = Server(StoragePort(), MachinePort());

        // When: only the machine network is internal
        var addresses = CcmNodeAddresses.Select(server, new CloudProviderNetworking { InternalNetworkNames = ["dualstack"] });

        // Then: the storage address is removed again ("ignored due to 'internal-network-name' option")
        addresses.ShouldNotContain(a => a.Address == Storage);
    }

    [Fact]
    public void A_DOWN_port_contributes_nothing_in_the_port_pass()
    {
        // Given: a DOWN port that Nova does not list (e.g. not in the server's network info cache)
        var server = new CcmServer { Name = "m-0", Ports = [MachinePort("DOWN")] };

        var addresses = CcmNodeAddresses.Select(server, CloudProviderNetworking.None);

        addresses.ShouldBeEmpty();
    }

    [Fact]
    public void A_DOWN_port_is_ignored_but_an_ACTIVE_one_on_the_same_server_is_not()
    {
        var server = new CcmServer { Name = "m-0", Ports = [MachinePort("DOWN"), new CcmPort("m-0-1", "ACTIVE", "other", ["10.9.9.9"])] };

        var addresses = CcmNodeAddresses.Select(server, CloudProviderNetworking.None);

        addresses.ShouldBe([NodeAddress.Internal("10.9.9.9")]);
    }

    [Fact]
    public void A_DOWN_ports_addresses_still_come_from_Novas_address_map_in_network_name_order()
    {
        // Nova lists every attached port's fixed IPs whatever the port's status, and the cloud provider reads that map too
        var server = Server(MachinePort("DOWN"), StoragePort("DOWN"));

        var addresses = CcmNodeAddresses.Select(server, CloudProviderNetworking.None);

        addresses.ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64), NodeAddress.Internal(Storage)]);
    }

    [Fact]
    public void Nova_networks_are_read_in_sorted_name_order_after_the_port_pass()
    {
        var server = new CcmServer
        {
            Name = "m-0",
            Ports = [],
            Addresses = new Dictionary<string, IReadOnlyList<NovaAddress>>
            {
                ["zeta"] = [new NovaAddress("10.0.2.1")],
                ["alpha"] = [new NovaAddress("10.0.1.1")],
            },
        };

        CcmNodeAddresses.Select(server, CloudProviderNetworking.None).Select(a => a.Address).ShouldBe(["10.0.1.1", "10.0.2.1"]);
    }

    [Fact]
    public void IPv6_primary_order_is_kept_by_address_sort_order()
    {
        // Given: Neutron lists the IPv4 fixed IP first, the install-config is IPv6 primary
        var server = Server(MachinePort());

        // When
        var unsorted = CcmNodeAddresses.Select(server, CloudProviderNetworking.None);
        var sorted = CcmNodeAddresses.Select(server, new CloudProviderNetworking { AddressSortOrder = $"{V6Cidr},{V4Cidr}" });

        // Then
        unsorted.Select(a => a.Address).ShouldBe([V4, Eui64]);
        sorted.Select(a => a.Address).ShouldBe([Eui64, V4]);
    }

    [Fact]
    public void Sort_groups_by_CIDR_order_sorts_by_IP_within_a_group_and_keeps_the_rest_in_place()
    {
        NodeAddress[] addresses =
        [
            new(NodeAddressType.Hostname, "m-0"),
            NodeAddress.Internal("10.0.0.9"),
            NodeAddress.Internal("fd00::2"),
            NodeAddress.Internal("172.16.0.1"),
            NodeAddress.Internal("10.0.0.3"),
            NodeAddress.Internal("fd00::1"),
        ];

        var sorted = CcmNodeAddresses.Sort(addresses, "fd00::/64, not-a-cidr ,10.0.0.0/24");

        sorted.Select(a => a.Address).ShouldBe(["fd00::1", "fd00::2", "10.0.0.3", "10.0.0.9", "m-0", "172.16.0.1"]);
    }

    [Fact]
    public void A_public_network_gives_ExternalIPs_and_removes_their_InternalIP_copies()
    {
        var server = Server(new CcmPort("p", "ACTIVE", "public", ["203.0.113.5"]), MachinePort());

        var addresses = CcmNodeAddresses.Select(server, new CloudProviderNetworking { PublicNetworkNames = ["public"] });

        addresses.ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64), NodeAddress.External("203.0.113.5")]);
    }

    [Fact]
    public void Floating_IPs_access_IPs_and_the_metadata_hostname_are_added()
    {
        var server = Server(MachinePort()) with
        {
            AccessIPv4 = "198.51.100.1",
            MetadataHostname = "m-0.example.com",
            Addresses = new Dictionary<string, IReadOnlyList<NovaAddress>>
            {
                ["dualstack"] = [new NovaAddress(V4), new NovaAddress(Eui64), new NovaAddress("203.0.113.7", NovaAddress.Floating)],
            },
        };

        var addresses = CcmNodeAddresses.Select(server, CloudProviderNetworking.None);

        addresses.ShouldBe(
        [
            NodeAddress.Internal(V4),
            NodeAddress.Internal(Eui64),
            NodeAddress.External("198.51.100.1"),
            new NodeAddress(NodeAddressType.Hostname, "m-0.example.com"),
            NodeAddress.External("203.0.113.7"),
        ]);
    }

    [Fact]
    public void IPv6_support_disabled_drops_every_IPv6_address()
    {
        var addresses = CcmNodeAddresses.Select(Server(MachinePort()), new CloudProviderNetworking { Ipv6SupportDisabled = true });

        addresses.ShouldBe([NodeAddress.Internal(V4)]);
    }

    [Fact]
    public void Trunk_subport_addresses_join_their_networks_list()
    {
        var port = MachinePort() with { Subports = [new CcmSubport("vlan-100", ["10.100.0.5"])] };

        var addresses = CcmNodeAddresses.Select(Server(port), new CloudProviderNetworking { InternalNetworkNames = ["dualstack", "vlan-100"] });

        addresses.Select(a => a.Address).ShouldBe([V4, Eui64, "10.100.0.5"]);
    }
}
