using ShiftStack.InstallConfig;
using ShiftStack.Installer.Addresses;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Manifests;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Addresses.AddressFixtures;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>
/// The cloud.conf <c>[Networking]</c> section: parsing, what ShiftStack needs, and the proof that what the manifests
/// generator writes makes the cloud provider publish exactly one IPv4 and one IPv6 InternalIP per node on the machine
/// network, in the install-config's primary-family order.
/// </summary>
public sealed class CloudProviderNetworkingTests
{
    private const string V4 = "192.168.25.10";

    [Fact]
    public void Parse_reads_the_Networking_section_as_gcfg_does()
    {
        const string conf = """
            [Global]
            internal-network-name = not-this-one
            [networking]
            ; comment
            # comment
            Internal-Network-Name = dualstack
            internal-network-name = "second net"
            public-network-name = public
            address-sort-order = fd00::/64,10.0.0.0/16
            ipv6-support-disabled = false
            [LoadBalancer]
            address-sort-order = 1.2.3.0/24
            """;

        var options = CloudProviderNetworking.Parse(conf);

        options.InternalNetworkNames.ShouldBe(["dualstack", "second net"]);
        options.PublicNetworkNames.ShouldBe(["public"]);
        options.AddressSortOrder.ShouldBe("fd00::/64,10.0.0.0/16");
        options.Ipv6SupportDisabled.ShouldBeFalse();
    }

    [Fact]
    public void Parse_without_a_Networking_section_is_None()
    {
        CloudProviderNetworking.Parse("[Global]\nsecret-name = x\n").ShouldBe(CloudProviderNetworking.None);
    }

    [Fact]
    public void For_a_dual_stack_config_ShiftStack_needs_the_machine_networks_in_order_and_the_machine_network_name()
    {
        var options = CloudProviderNetworking.For(Config(ipv6Primary: true), "dualstack")!;

        options.AddressSortOrder.ShouldBe($"{V6Cidr},{V4Cidr}");
        options.InternalNetworkNames.ShouldBe(["dualstack"]);
        options.ToIni().ShouldBe($"[Networking]\naddress-sort-order = {V6Cidr},{V4Cidr}\ninternal-network-name = dualstack\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_generator_emits_what_ShiftStack_needs_when_the_network_is_named(bool ipv6Primary)
    {
        var config = Config(ipv6Primary, networkByName: true);

        CloudProviderNetworking.Generated(config).ShouldBe(CloudProviderNetworking.For(config, "dualstack"));
    }

    [Fact]
    public void The_generated_ConfigMap_file_reads_back_to_the_same_options()
    {
        var config = Config();
        var inputs = new ClusterInputs(config, new ClusterIdentity("addr", "addr-x7k2q", "id"),
            new ResolvedPools(new ResolvedPool("master", 3, new OpenStackMachinePool()), []),
            new CloudFacts(null, false, null, null, "RegionOne", null, []));
        var yaml = ClusterManifests.CloudProviderConfig(inputs).Render().ContentText;

        CloudProviderNetworking.FromConfigMap(yaml).ShouldBe(CloudProviderNetworking.Generated(config));
    }

    [Fact]
    public void A_ConfigMap_without_cloud_conf_is_a_format_error()
    {
        Should.Throw<FormatException>(() => CloudProviderNetworking.FromConfigMap("kind: ConfigMap\ndata: {}\n"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generated_config_yields_one_IPv4_and_one_IPv6_InternalIP_per_node_in_primary_order_even_with_a_storage_network(bool ipv6Primary)
    {
        // Given: a master with its machine-network port (ACTIVE) and a storage port, Neutron listing IPv4 first
        var config = Config(ipv6Primary, networkByName: true, storage: true);
        var server = CcmServer.FromPorts("m-0",
        [
            new CcmPort("m-0-0", "ACTIVE", "dualstack", [V4, Eui64]),
            new CcmPort("m-0-1", "ACTIVE", "storage", ["172.16.0.10"]),
        ]);
        var machine = CloudProviderNetworking.MachineCidrs(config);

        // When: the cloud provider runs with the generated cloud.conf
        var addresses = CcmNodeAddresses.Select(server, CloudProviderNetworking.Generated(config));
        var problems = AddressReportBuilder.CheckNodeAddresses(addresses, [V4, Eui64], machine, out var nodeIps, out var published);

        // Then
        string[] expected = ipv6Primary ? [Eui64, V4] : [V4, Eui64];
        addresses.ShouldBe(expected.Select(NodeAddress.Internal).ToList());
        problems.ShouldBeEmpty();
        nodeIps.ShouldBe(string.Join(",", expected));
        published!.Addresses.ShouldBe(expected.Select(NodeAddress.Internal).ToList());
    }

    [Fact]
    public void Without_internal_network_name_the_storage_address_is_reported()
    {
        // Given: the control-plane network given by id only: the generator cannot write internal-network-name
        var config = Config(networkByName: false, storage: true);
        var generated = CloudProviderNetworking.Generated(config);
        var server = CcmServer.FromPorts("m-0",
        [
            new CcmPort("m-0-0", "ACTIVE", "dualstack", [V4, Eui64]),
            new CcmPort("m-0-1", "ACTIVE", "storage", ["172.16.0.10"]),
        ]);

        // When
        var addresses = CcmNodeAddresses.Select(server, generated);
        var problems = AddressReportBuilder.CheckNodeAddresses(addresses, [V4, Eui64], CloudProviderNetworking.MachineCidrs(config), out _, out var published);

        // Then: the raw list leaks the storage address (kubelet's node-IP pair would still hide it)
        generated.InternalNetworkNames.ShouldBeEmpty();
        problems.ShouldHaveSingleItem().ShouldContain("InternalIP 172.16.0.10, which is outside the machine networks");
        published!.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_network_given_by_id_is_named_in_cloud_conf_from_Neutron_so_the_storage_address_is_dropped()
    {
        // Given: the control-plane network given by id only, and Neutron knowing its name
        var config = Config(networkByName: false, storage: true);
        var network = new NetworkFacts
        {
            ControlPlanePortNetwork = Lookup.Of("id=\"3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11\"", new Network { Id = "3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11", Name = "dualstack" }),
        };

        // When: the facts are made from Neutron's answer and cloud.conf is generated from them
        var facts = CloudFacts.From(config, network, new LocalCloudSettings("RegionOne", null));
        var inputs = new ClusterInputs(config, new ClusterIdentity("addr", "addr-x7k2q", "id"),
            new ResolvedPools(new ResolvedPool("master", 3, new OpenStackMachinePool()), []), facts);
        var generated = CloudProviderNetworking.FromConfigMap(ClusterManifests.CloudProviderConfig(inputs).Render().ContentText);

        // Then: internal-network-name is the looked-up name, and only the machine network's addresses are InternalIPs
        facts.Network.ShouldBeSameAs(network);
        facts.ControlPlaneNetworkName.ShouldBe("dualstack");
        generated.ShouldBe(CloudProviderNetworking.For(config, "dualstack"));
        var server = CcmServer.FromPorts("m-0",
        [
            new CcmPort("m-0-0", "ACTIVE", "dualstack", [V4, Eui64]),
            new CcmPort("m-0-1", "ACTIVE", "storage", ["172.16.0.10"]),
        ]);
        CcmNodeAddresses.Select(server, generated).ShouldBe([NodeAddress.Internal(V4), NodeAddress.Internal(Eui64)]);
    }

    [Fact]
    public void Offline_a_network_given_by_id_leaves_internal_network_name_out_with_a_note()
    {
        var facts = CloudFacts.From(Config(networkByName: false), null, new LocalCloudSettings("RegionOne", null));

        facts.ControlPlaneNetworkName.ShouldBeNull();
        facts.Notes.ShouldContain(n => n.Contains("internal-network-name", StringComparison.Ordinal) && n.Contains("offline", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_address_sort_order_an_IPv6_primary_node_lists_IPv4_first()
    {
        var config = Config(ipv6Primary: true);
        var addresses = CcmNodeAddresses.Select(CcmServer.FromPorts("m-0", [new CcmPort("m-0-0", "ACTIVE", "dualstack", [V4, Eui64])]),
            CloudProviderNetworking.None);

        var problems = AddressReportBuilder.CheckNodeAddresses(addresses, [V4, Eui64], CloudProviderNetworking.MachineCidrs(config), out var nodeIps, out _);

        problems.ShouldHaveSingleItem().ShouldContain("would list IPv4 InternalIP 192.168.25.10 first, but the primary family is IPv6");
        nodeIps.ShouldBe($"{Eui64},{V4}");
    }

    [Fact]
    public void A_guest_address_the_cloud_does_not_know_makes_the_node_controller_fail()
    {
        var config = Config();
        var addresses = CcmNodeAddresses.Select(CcmServer.FromPorts("m-0", [new CcmPort("m-0-0", "ACTIVE", "dualstack", [V4, Eui64])]),
            CloudProviderNetworking.Generated(config));

        var problems = AddressReportBuilder.CheckNodeAddresses(addresses, [V4, "fd2e:6f44:5dd8:c956:8563:a1d1:b328:8682"],
            CloudProviderNetworking.MachineCidrs(config), out _, out var published);

        published!.Succeeded.ShouldBeFalse();
        problems.ShouldHaveSingleItem().ShouldContain("failed to get node address from cloud provider that matches ip");
    }

    [Fact]
    public void A_single_stack_config_needs_no_Networking_section()
    {
        var v4Only = Config() with { Networking = Config().Networking! with { MachineNetwork = [new MachineNetworkEntry { Cidr = V4Cidr }] } };

        CloudProviderNetworking.For(v4Only, "dualstack").ShouldBeNull();
    }
}
