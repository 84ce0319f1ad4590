using ShiftStack.InstallConfig;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>ShiftStack's own pre-flight checks and deviations, on hand-built <see cref="CloudInfo"/>: exact messages.</summary>
public class ShiftStackRuleTests
{
    private const string Marker = "(ShiftStack check; openshift-install does not check this)";
    private const string ApiVipsValue = "[\"" + ApiV4 + "\",\"" + ApiV6 + "\"]";

    // Deviations inside the reference's controlPlanePort checks.

    [Fact]
    public void A_subnet_CIDR_spelled_differently_from_the_machine_network_is_accepted_with_a_warning()
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V6Subnet(cidr: "fd2e:6f44:5dd8:c956:0::/64"));

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: the CIDR \"fd2e:6f44:5dd8:c956:0::/64\" of subnet \"subnet-v6\" ({V6Id}) is machineNetwork \"fd2e:6f44:5dd8:c956::/64\" written differently; "
            + "openshift-install would reject it with \"controlPlanePort CIDR does not match machineNetwork\" (ShiftStack check; openshift-install compares CIDRs as text)",
        ]);
    }

    [Fact]
    public void A_subnet_filter_matching_several_subnets_is_an_error_naming_the_filter()
    {
        const string otherId = "12345678-1234-4234-8234-123456789012";
        var cloud = DualStackCloud() with
        {
            ControlPlanePortSubnets =
            [
                Lookup.Of("name=\"subnet-v4\"", V4Subnet()),
                Lookup.Of("name=\"subnet-v6\"", V6Subnet(), V6Subnet(id: otherId, networkId: OtherNetworkId)),
            ],
        };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            "platform.openstack.controlPlanePort.fixedIPs[1].subnet: Invalid value: \"subnet-v6\": found multiple subnets matching name=\"subnet-v6\": "
            + $"{V6Id} ({V6Cidr} on network {NetworkId}), {otherId} ({V6Cidr} on network {OtherNetworkId}); set controlPlanePort.fixedIPs[1].subnet.id to the one to use "
            + "(ShiftStack check; openshift-install fails with \"found multiple subnets\" and silently skips every pre-flight check)",
        ]);
    }

    [Fact]
    public void A_network_filter_matching_several_networks_is_an_error_naming_the_filter()
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("name=\"dualstack\"", Network(), Network(id: OtherNetworkId)) };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.network: Invalid value: \"dualstack\": found multiple networks matching name=\"dualstack\": {NetworkId}, {OtherNetworkId}; "
            + "set controlPlanePort.network.id to the one to use (ShiftStack check; openshift-install fails with \"found multiple networks\" and silently skips every pre-flight check)",
        ]);
    }

    [Fact]
    public void An_external_network_name_matching_several_networks_is_an_error()
    {
        var config = DualStack().With(os => os with { ExternalNetwork = "public" });
        var cloud = DualStackCloud() with { ExternalNetwork = Lookup.Of("name", Network(id: "a", name: "public"), Network(id: "b", name: "public")) };

        Validate(config, cloud).Messages().ShouldBe(
        [
            "platform.openstack.externalNetwork: Invalid value: \"public\": found multiple networks named \"public\": a, b; the external network is looked up by name, so the name must be unique "
            + "(ShiftStack check; openshift-install fails with \"found multiple networks\" and silently skips every pre-flight check)",
        ]);
    }

    [Fact]
    public void Every_subnet_must_be_on_the_network_not_only_the_last_one()
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(networkId: OtherNetworkId), V6Subnet());

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs: Invalid value: \"{NetworkId}\": fixedIPs subnets must be on the same Network",
            $"platform.openstack.controlPlanePort.network: Invalid value: \"dualstack\": network must contain subnets: \"subnet-v4\" ({V4Id}) is not on it "
            + "(ShiftStack check; openshift-install checks only the last subnet)",
        ]);
    }

    [Fact]
    public void A_network_without_an_MTU_attribute_is_a_warning_not_an_error()
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("name", Network(mtu: null)) };

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.network: network \"dualstack\" ({NetworkId}) reports no MTU (Neutron without the net-mtu extension), so the minimum of 1380 for IPv6 cannot be checked; "
            + "openshift-install would read it as 0 and fail with \"network should have an MTU of at least 1380\" (ShiftStack check; openshift-install treats a missing MTU as 0)",
        ]);
    }

    [Theory]
    [InlineData("project-1", false)]
    [InlineData(null, false)]
    [InlineData("admin-project", true)]
    public void A_network_of_another_project_is_a_warning_that_create_cluster_would_get_403(string? owner, bool warned)
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("name", Network() with { ProjectId = owner }) };

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBeEmpty();
        if (warned)
        {
            result.WarningMessages().ShouldBe(
            [
                $"platform.openstack.controlPlanePort.network: network \"dualstack\" ({NetworkId}) belongs to project admin-project, not to this cloud's project project-1; "
                + "with Neutron's default policy only the network's owner or an admin may create the node ports (fixed IPs on chosen subnets, allowed address pairs for the VIPs), "
                + "so create cluster would fail with 403: have the admin create the network with --project project-1 (as the OpenShift docs ask for provider networks) "
                + "(ShiftStack check; openshift-install does not check this)",
            ]);
        }
        else
        {
            result.WarningMessages().ShouldBeEmpty();
        }
    }

    // Extensions.

    [Fact]
    public void Missing_network_extensions_are_errors()
    {
        var cloud = DualStackCloud() with { NetworkExtensions = new HashSet<string>(StringComparer.Ordinal) { "security-group" } };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.cloud: Invalid value: \"openstack\": Neutron lacks the API extension \"standard-attr-tag\", which the installation needs to tag the security groups and the VIP ports with the cluster ID {Marker}",
            $"platform.openstack.cloud: Invalid value: \"openstack\": Neutron lacks the API extension \"allowed-address-pairs\", which the installation needs to let the control-plane ports carry the API and Ingress VIPs {Marker}",
        ]);
    }

    // VIPs inside their subnets.

    [Fact]
    public void A_VIP_outside_its_controlPlanePort_subnet_is_invalid()
    {
        var config = DualStack().With(os => os with { ApiVips = ["192.168.24.199", ApiV6] })
            .WithMachineNetworks(V4Cidr, V6Cidr, "192.168.24.0/24");

        var cloud = DualStackCloud() with { NetworkQuota = NetworkQuotaFacts.Of(DefaultQuota() with { SecurityGroupRule = Usage(1000) }) };

        Validate(config, cloud).Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: \"192.168.24.199\": the VIP must be in the IPv4 subnet of controlPlanePort: {V4Cidr} (subnet \"subnet-v4\" ({V4Id})) {Marker}",
            $"platform.openstack.apiVIPs: Invalid value: \"192.168.24.199\": port \"api\" ({ApiPortId}) holds the other apiVIPs but not this address (the port's addresses: {ApiV4}, {ApiV6}) {Marker}",
            $"platform.openstack.apiVIPs: Invalid value: [\"192.168.24.199\",\"{ApiV6}\"]: port \"api\" ({ApiPortId}) also holds {ApiV4}, which is not in apiVIPs; the port must hold exactly the apiVIPs {Marker}",
        ]);
    }

    // VIP ports.

    [Fact]
    public void A_missing_VIP_port_on_a_SLAAC_subnet_shows_the_port_create_command_without_an_IPv6_address()
    {
        var cloud = DualStackCloud() with { VipPorts = [IngressPort()] };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {ApiVipsValue}: no port on the controlPlanePort network \"dualstack\" ({NetworkId}) holds these VIPs; "
            + "create the port first, then copy its addresses into apiVIPs: "
            + $"openstack port create --network {NetworkId} --fixed-ip subnet={V4Id},ip-address={ApiV4} --fixed-ip subnet={V6Id} dualstack-api-vips "
            + $"(on the slaac subnet \"subnet-v6\" ({V6Id}) Neutron derives the port's IPv6 address from its MAC and refuses a requested one) {Marker}",
        ]);
    }

    [Fact]
    public void A_missing_VIP_port_on_a_stateful_subnet_shows_the_command_with_both_addresses()
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V6Subnet("dhcpv6-stateful", "dhcpv6-stateful")) with { VipPorts = [ApiPort()] };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.ingressVIPs: Invalid value: [\"{IngressV4}\",\"{IngressV6}\"]: no port on the controlPlanePort network \"dualstack\" ({NetworkId}) holds these VIPs; "
            + "create the port first, then copy its addresses into ingressVIPs: "
            + $"openstack port create --network {NetworkId} --fixed-ip subnet={V4Id},ip-address={IngressV4} --fixed-ip subnet={V6Id},ip-address={IngressV6} dualstack-ingress-vips {Marker}",
        ]);
    }

    [Fact]
    public void VIPs_split_across_two_ports_are_invalid()
    {
        var v4Port = Port("aaaaaaaa-0000-4000-8000-000000000001", "api-v4", NetworkId, (V4Id, ApiV4));
        var v6Port = Port("aaaaaaaa-0000-4000-8000-000000000002", "api-v6", NetworkId, (V6Id, ApiV6));
        var cloud = DualStackCloud() with { VipPorts = [v4Port, v6Port, IngressPort()] };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {ApiVipsValue}: the VIPs are on different ports: {ApiV4} on port \"api-v4\" ({v4Port.Id}), {ApiV6} on port \"api-v6\" ({v6Port.Id}); "
            + $"one port must hold all of them (the installer tags, and attaches the floating IP to, only the port of apiVIPs[0]) {Marker}",
        ]);
    }

    [Fact]
    public void One_port_for_API_and_Ingress_VIPs_is_invalid_for_both_lists()
    {
        var shared = Port(ApiPortId, "vips", NetworkId, (V4Id, ApiV4), (V6Id, ApiV6), (V4Id, IngressV4), (V6Id, IngressV6));
        var cloud = DualStackCloud() with { VipPorts = [shared] };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {ApiVipsValue}: port \"vips\" ({ApiPortId}) also holds {IngressV4}, {IngressV6}, which is in ingressVIPs; the API and Ingress VIPs need one port each {Marker}",
            $"platform.openstack.ingressVIPs: Invalid value: [\"{IngressV4}\",\"{IngressV6}\"]: port \"vips\" ({ApiPortId}) also holds {ApiV4}, {ApiV6}, which is in apiVIPs; the API and Ingress VIPs need one port each {Marker}",
        ]);
    }

    [Fact]
    public void A_VIP_port_on_another_network_does_not_count_and_is_named()
    {
        var elsewhere = ApiPort() with { NetworkId = OtherNetworkId };
        var cloud = DualStackCloud() with { VipPorts = [elsewhere, IngressPort()] };

        var message = Validate(DualStack(), cloud).Messages().ShouldHaveSingleItem();

        message.ShouldStartWith($"platform.openstack.apiVIPs: Invalid value: {ApiVipsValue}: no port on the controlPlanePort network \"dualstack\" ({NetworkId}) holds these VIPs;");
        message.ShouldEndWith(
            $"; {ApiV4} is held by port \"api\" ({ApiPortId}) on another network ({OtherNetworkId}); {ApiV6} is held by port \"api\" ({ApiPortId}) on another network ({OtherNetworkId}) {Marker}");
    }

    [Fact]
    public void A_VIP_port_used_by_a_server_is_invalid()
    {
        var cloud = DualStackCloud() with { VipPorts = [ApiPort() with { DeviceOwner = "compute:nova", DeviceId = "server-1" }, IngressPort()] };

        Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            $"platform.openstack.apiVIPs: Invalid value: {ApiVipsValue}: port \"api\" ({ApiPortId}) holding these VIPs is used by compute:nova server-1; the VIPs need a port of their own that no server or router uses {Marker}",
        ]);
    }

    [Fact]
    public void VIP_ports_are_not_required_with_a_user_managed_load_balancer()
    {
        var config = DualStack().With(os => os with { LoadBalancer = new LoadBalancerConfig { Type = LoadBalancerConfig.UserManaged } });

        Validate(config, DualStackCloud() with { VipPorts = [] }).Messages().ShouldBeEmpty();
    }

    // IPv6 address modes and routers.

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateless")]
    [InlineData("dhcpv6-stateful")]
    public void The_three_IPv6_modes_are_accepted(string mode)
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V6Subnet(mode, mode));

        var result = Validate(DualStack(), cloud);

        result.WarningMessages().ShouldBeEmpty();
        result.Messages().ShouldBeEmpty();
    }

    private static string V6Warning(string? ra, string? address, bool router = true)
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V6Subnet(ra, address));
        if (!router)
        {
            cloud = cloud with { RouterInterfacePorts = [] };
        }

        var result = Validate(DualStack(), cloud);
        return result.WarningMessages().ShouldHaveSingleItem();
    }

    [Fact]
    public void An_IPv6_subnet_without_modes_warns_that_the_nodes_get_no_address() =>
        V6Warning(null, null).ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has neither ipv6_address_mode nor ipv6_ra_mode: "
            + "Neutron sends no Router Advertisements and no DHCPv6 for it, so the nodes get no IPv6 address; "
            + $"create it with --ipv6-ra-mode slaac --ipv6-address-mode slaac (or both dhcpv6-stateless, or both dhcpv6-stateful) {Marker}");

    [Fact]
    public void An_IPv6_subnet_with_only_an_RA_mode_warns() =>
        V6Warning("slaac", null).ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_ra_mode slaac but no ipv6_address_mode: "
            + "Neutron's reference implementation does not support this combination and the nodes may get no IPv6 address; "
            + $"create it with --ipv6-address-mode slaac as well {Marker}");

    [Fact]
    public void An_IPv6_subnet_with_only_address_mode_slaac_needs_an_external_router() =>
        V6Warning(null, "slaac").ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_address_mode slaac but no ipv6_ra_mode: "
            + $"no Neutron router advertises it, so a router outside Neutron must send Router Advertisements for {V6Cidr} (flags A=1 M=0 O=0) or the nodes get no IPv6 address {Marker}");

    [Fact]
    public void An_IPv6_subnet_with_only_address_mode_stateful_is_explained() =>
        V6Warning(null, "dhcpv6-stateful").ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_address_mode dhcpv6-stateful but no ipv6_ra_mode: "
            + "Neutron's reference implementation supports an address mode alone only for slaac; "
            + $"a router outside Neutron must send Router Advertisements for {V6Cidr} with flags A=0 M=1 O=0, or create the subnet with --ipv6-ra-mode dhcpv6-stateful {Marker}");

    [Fact]
    public void An_IPv6_subnet_with_different_modes_is_explained() =>
        V6Warning("slaac", "dhcpv6-stateful").ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_ra_mode slaac but ipv6_address_mode dhcpv6-stateful: "
            + "Neutron refuses different modes (\"If both attributes are set, they must be the same value\"), so the routers advertise one mode and DHCPv6 serves another; "
            + $"recreate the subnet with both modes equal {Marker}");

    [Fact]
    public void An_IPv6_subnet_with_an_RA_mode_and_no_router_warns_that_nothing_sends_RAs() =>
        V6Warning("slaac", "slaac", router: false).ShouldBe(
            $"platform.openstack.controlPlanePort.fixedIPs[1].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_ra_mode slaac but no Neutron router has an interface on it, "
            + "so nothing sends its Router Advertisements and the nodes get no IPv6 address; "
            + $"attach it to a router: openstack router add subnet <router> {V6Id} {Marker}");

    [Theory]
    [InlineData("network:router_interface_distributed")]
    [InlineData("network:ha_router_replicated_interface")]
    public void DVR_and_HA_router_interfaces_count_as_routers(string owner)
    {
        var cloud = DualStackCloud() with { RouterInterfacePorts = [RouterPort() with { DeviceOwner = owner }] };

        Validate(DualStack(), cloud).WarningMessages().ShouldBeEmpty();
    }

    [Fact]
    public void Single_stack_IPv6_on_SLAAC_warns_that_DNS_servers_are_missing()
    {
        var config = DualStack().WithMachineNetworks(V6Cidr).With(os => os with
        {
            ApiVips = ["fd2e:6f44:5dd8:c956::5"],
            IngressVips = ["fd2e:6f44:5dd8:c956::7"],
            ControlPlanePort = os.ControlPlanePort! with { FixedIPs = [os.ControlPlanePort.FixedIPs[1]] },
        });
        var cloud = DualStackCloud().WithSubnets(V6Subnet()) with { VipPorts = [] };

        Validate(config, cloud).WarningMessages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs[0].subnet: IPv6 subnet \"subnet-v6\" ({V6Id}) has ipv6_address_mode slaac: single-stack IPv6 needs dhcpv6-stateful, "
            + $"otherwise the nodes get no DNS servers (BZ 2304331; the installer's single-stack IPv6 documentation requires stateful DHCPv6) {Marker}",
        ]);
    }

    // Quotas.

    private static CloudInfo WithQuota(Func<NetworkQuotaDetails, NetworkQuotaDetails> change) =>
        DualStackCloud() with { NetworkQuota = NetworkQuotaFacts.Of(change(DefaultQuota())) };

    [Fact]
    public void Too_few_free_ports_is_an_error_with_the_count() =>
        Validate(DualStack(), WithQuota(q => q with { Port = Usage(10, 5) })).Messages().ShouldBe(
        [
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of ports is too small for this cluster: "
            + "7 needed (7 for 7 machines (bootstrap, control plane, compute; one per network each)), 5 free (limit 10, 5 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
        ]);

    [Fact]
    public void Dual_stack_needs_78_security_group_rules_not_56()
    {
        Validate(DualStack(), WithQuota(q => q with { SecurityGroupRule = Usage(100, 40) })).Messages().ShouldBe(
        [
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of security group rules is too small for this cluster: "
            + "78 needed (74 rules in the master and worker groups (43 + 31) + 4 default egress rules), 60 free (limit 100, 40 used) "
            + "(ShiftStack check; openshift-install asks for 56 security-group rules, too few for dual-stack)",
        ]);
        Validate(DualStack(), WithQuota(q => q with { SecurityGroupRule = Usage(100, 22) })).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void Too_few_security_groups_and_floating_IPs_are_errors()
    {
        var config = DualStack().With(os => os with { ExternalNetwork = "public" });
        var cloud = WithQuota(q => q with { SecurityGroup = Usage(10, 9), Floatingip = new QuotaUsage { Limit = 2, Used = 1, Reserved = 1 } })
            with { ExternalNetwork = Lookup.Of("name", Network(id: OtherNetworkId, name: "public")) };

        Validate(config, cloud).Messages().ShouldBe(
        [
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of security groups is too small for this cluster: 2 needed (master and worker), 1 free (limit 10, 9 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of floating IPs is too small for this cluster: 1 needed (the bootstrap machine's), 0 free (limit 2, 1 used, 1 reserved) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
        ]);
    }

    [Fact]
    public void Unlimited_quotas_pass()
    {
        var cloud = WithQuota(q => q with { Port = Usage(-1, 5000), SecurityGroupRule = Usage(-1, 5000) });

        Validate(DualStack(), cloud).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void An_unreadable_quota_is_a_warning()
    {
        var cloud = DualStackCloud() with { NetworkQuota = NetworkQuotaFacts.Unavailable("Neutron does not report quota usage (no quota_details extension)") };

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBe(
            [$"platform.openstack.cloud: the project's network quota was not checked: Neutron does not report quota usage (no quota_details extension) {Marker}"]);
    }

    [Fact]
    public void Compute_quota_is_skipped_without_a_compute_endpoint()
    {
        var result = Validate(DualStack(), DualStackCloud() with { Compute = ComputeFacts.NoEndpoint });

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBeEmpty();
    }

    [Fact]
    public void Compute_quota_not_readable_is_a_warning() =>
        Validate(DualStack(), DualStackCloud() with { Compute = ComputeFacts.Unavailable("no Nova client") }).WarningMessages()
            .ShouldBe([$"platform.openstack.cloud: the project's compute quota (instances, cores, RAM) was not checked: no Nova client {Marker}"]);

    private static ComputeFacts Nova(int instances, int cores, int ram, bool withLarge = true)
    {
        var flavors = new Dictionary<string, Flavor>(StringComparer.Ordinal) { ["m1.xlarge"] = new() { Id = "f-xl", Name = "m1.xlarge", Vcpus = 8, Ram = 16384, Disk = 160 } };
        if (withLarge)
        {
            flavors["m1.large"] = new Flavor { Id = "f-l", Name = "m1.large", Vcpus = 4, Ram = 8192, Disk = 160 };
        }

        return new ComputeFacts
        {
            HasEndpoint = true,
            Quota = new ComputeQuotaDetails
            {
                Instances = new ComputeQuotaUsage { Limit = instances },
                Cores = new ComputeQuotaUsage { Limit = cores },
                Ram = new ComputeQuotaUsage { Limit = ram },
            },
            Flavors = flavors,
        };
    }

    [Fact]
    public void Compute_quota_covering_the_machines_passes() =>
        Validate(DualStack(), DualStackCloud() with { Compute = Nova(7, 44, 90112) }).Messages().ShouldBeEmpty();

    [Fact]
    public void Compute_quota_too_small_is_an_error_per_resource() =>
        Validate(DualStack(), DualStackCloud() with { Compute = Nova(6, 43, 90111) }).Messages().ShouldBe(
        [
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of instances is too small for this cluster: 7 needed (bootstrap, control plane and compute machines), 6 free (limit 6, 0 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of cores is too small for this cluster: 44 needed (vCPUs of the machines' flavors), 43 free (limit 43, 0 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
            "platform.openstack.cloud: Invalid value: \"openstack\": the project's quota of RAM (MiB) is too small for this cluster: 90112 needed (RAM of the machines' flavors), 90111 free (limit 90111, 0 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
        ]);

    [Fact]
    public void A_flavor_not_found_is_a_warning_and_its_machines_are_not_counted()
    {
        var result = Validate(DualStack(), DualStackCloud() with { Compute = Nova(7, 32, 65536, withLarge: false) });

        // The quota rules add no error of their own; the missing flavor itself is the reference's machine-pool error
        // (machinepool.go validateFlavor, MachinePoolRuleTests), reported since the machine-pool checks were ported.
        result.Messages().ShouldBe(["compute[0].platform.openstack.type: Not found: \"m1.large\""]);
        result.WarningMessages().ShouldBe(
            [$"platform.openstack.cloud: flavor \"m1.large\" of the compute machines was not found, so their cores and RAM are not counted {Marker}"]);
    }
}
