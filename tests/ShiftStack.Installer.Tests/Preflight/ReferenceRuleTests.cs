using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// The reference's pre-flight checks (preflight.md §4–§5), each valid and invalid, on hand-built <see cref="CloudInfo"/>:
/// exact path, type and rendered message.
/// </summary>
public class ReferenceRuleTests
{
    [Fact]
    public void The_dual_stack_example_on_its_cloud_is_valid_without_warnings()
    {
        var result = Validate(DualStack(), DualStackCloud());

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBeEmpty();
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void A_config_without_openstack_platform_has_no_cloud_checks()
    {
        var config = DualStack() with { Platform = new Platform() };

        Validate(config, DualStackCloud() with { ControlPlanePortSubnets = [] }).Messages().ShouldBeEmpty();
    }

    // §4.1 externalDNS

    [Fact]
    public void ExternalDNS_with_controlPlanePort_is_invalid_and_the_other_checks_still_run()
    {
        var config = DualStack().With(os => os with { ExternalDns = ["1.2.3.4"] });
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), null);

        var result = Validate(config, cloud);

        result.Messages().ShouldBe(
        [
            "platform.openstack.externalDNS: Invalid value: [\"1.2.3.4\"]: externalDNS is set, externalDNS is not supported when ControlPlanePort is set",
            "platform.openstack.controlPlanePort.fixedIPs: Not found: \"subnet-v6\"",
            "platform.openstack.controlPlanePort.fixedIPs: Internal error: one IPv4 subnet and one IPv6 subnet must be specified",
        ]);
        result.Errors[0].Type.ShouldBe(FieldErrorType.Invalid);
    }

    [Fact]
    public void ExternalDNS_without_controlPlanePort_is_not_a_preflight_error()
    {
        var config = DualStack().With(os => os with { ExternalDns = ["1.2.3.4"], ControlPlanePort = null, ApiVips = ["192.168.25.5"], IngressVips = ["192.168.25.7"] })
            .WithMachineNetworks(V4Cidr);

        Validate(config, DualStackCloud() with { ControlPlanePortSubnets = [], ControlPlanePortNetwork = null }).Messages().ShouldBeEmpty();
    }

    // §4.2 subnets

    [Fact]
    public void A_subnet_not_found_by_name_is_NotFound_with_the_name()
    {
        var result = Validate(DualStack(), DualStackCloud().WithSubnets(V4Subnet(), null));

        result.Errors[0].ToString().ShouldBe("platform.openstack.controlPlanePort.fixedIPs: Not found: \"subnet-v6\"");
        result.Errors[0].Type.ShouldBe(FieldErrorType.NotFound);
    }

    [Fact]
    public void A_subnet_not_found_by_id_and_name_is_NotFound_with_the_id()
    {
        var config = DualStack().With(os => os with
        {
            ControlPlanePort = os.ControlPlanePort! with
            {
                FixedIPs = [os.ControlPlanePort.FixedIPs[0], new FixedIP { Subnet = new SubnetFilter { Id = V6Id, Name = "subnet-v6" } }],
            },
        });

        var result = Validate(config, DualStackCloud().WithSubnets(V4Subnet(), null));

        result.Messages()[0].ShouldBe($"platform.openstack.controlPlanePort.fixedIPs: Not found: \"{V6Id}\"");
    }

    [Fact]
    public void A_subnet_CIDR_that_is_no_machine_network_is_invalid_with_the_subnet_CIDR()
    {
        var result = Validate(DualStack(), DualStackCloud().WithSubnets(V4Subnet(cidr: "192.168.26.0/24"), V6Subnet()));

        result.Reference().Select(e => e.ToString()).ShouldBe(
            ["platform.openstack.controlPlanePort.fixedIPs: Invalid value: \"192.168.26.0/24\": controlPlanePort CIDR does not match machineNetwork"]);
    }

    [Fact]
    public void The_CIDR_comparison_uses_the_machine_network_as_Go_prints_it()
    {
        // Written with a zero group, Go prints fd2e:6f44:5dd8:c956::/64: the reference accepts it, so does ShiftStack, silently.
        var config = DualStack().WithMachineNetworks(V4Cidr, "fd2e:6f44:5dd8:c956:0::/64");

        var result = Validate(config, DualStackCloud());

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBeEmpty();
    }

    [Fact]
    public void Subnets_on_two_networks_are_invalid_with_the_later_network_id()
    {
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V6Subnet(networkId: OtherNetworkId));

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBe(
        [
            $"platform.openstack.controlPlanePort.fixedIPs: Invalid value: \"{OtherNetworkId}\": fixedIPs subnets must be on the same Network",
            "platform.openstack.controlPlanePort.network: Invalid value: \"dualstack\": network must contain subnets",
        ]);
    }

    // §4.3 families

    [Fact]
    public void Two_IPv4_subnets_are_an_internal_error()
    {
        var config = DualStack().WithMachineNetworks(V4Cidr, "192.168.26.0/24");
        var cloud = DualStackCloud().WithSubnets(V4Subnet(), V4Subnet(cidr: "192.168.26.0/24", id: V6Id, name: "subnet-v6"));

        var result = Validate(config, cloud);

        result.Messages().ShouldBe(["platform.openstack.controlPlanePort.fixedIPs: Internal error: one IPv4 subnet and one IPv6 subnet must be specified"]);
        result.Errors[0].Type.ShouldBe(FieldErrorType.Internal);
    }

    [Fact]
    public void Two_IPv6_subnets_are_an_internal_error()
    {
        var config = DualStack().WithMachineNetworks("fd2e:6f44:5dd8:c957::/64", V6Cidr);
        var cloud = DualStackCloud().WithSubnets(V6Subnet(cidr: "fd2e:6f44:5dd8:c957::/64", id: V4Id, name: "subnet-v4"), V6Subnet());

        Validate(config, cloud).Reference().Select(e => e.ToString())
            .ShouldBe(["platform.openstack.controlPlanePort.fixedIPs: Internal error: one IPv4 subnet and one IPv6 subnet must be specified"]);
    }

    [Fact]
    public void One_IPv6_subnet_alone_is_single_stack_IPv6_and_allowed()
    {
        var config = SingleStackIpv6();
        var cloud = DualStackCloud().WithSubnets(V6Subnet("dhcpv6-stateful", "dhcpv6-stateful")) with { VipPorts = [] };

        Validate(config, cloud).Messages().ShouldBeEmpty();
    }

    // §4.4 network

    [Fact]
    public void A_network_not_found_is_NotFound_with_its_name()
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.None<Network>("name=\"dualstack\"") };

        var result = Validate(DualStack(), cloud);

        result.Messages().ShouldBe(["platform.openstack.controlPlanePort.network: Not found: \"dualstack\""]);
        result.Errors[0].Type.ShouldBe(FieldErrorType.NotFound);
    }

    [Fact]
    public void A_network_given_by_id_is_reported_by_id()
    {
        var config = DualStack().With(os => os with { ControlPlanePort = os.ControlPlanePort! with { Network = new NetworkFilter { Id = NetworkId, Name = "dualstack" } } });
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.None<Network>("id") };

        Validate(config, cloud).Messages().ShouldBe([$"platform.openstack.controlPlanePort.network: Not found: \"{NetworkId}\""]);
    }

    [Fact]
    public void A_network_that_does_not_hold_the_subnets_is_invalid()
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("name", Network(id: OtherNetworkId)) };

        Validate(DualStack(), cloud).Messages()
            .ShouldBe(["platform.openstack.controlPlanePort.network: Invalid value: \"dualstack\": network must contain subnets"]);
    }

    // §4.5 MTU

    [Theory]
    [InlineData(1300, true)]
    [InlineData(1379, true)]
    [InlineData(1380, false)]
    [InlineData(1500, false)]
    public void An_IPv6_network_needs_an_MTU_of_at_least_1380(int mtu, bool invalid)
    {
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("name", Network(mtu: mtu)) };

        var result = Validate(DualStack(), cloud);

        if (invalid)
        {
            result.Messages().ShouldBe(["platform.openstack.controlPlanePort.network: Internal error: network should have an MTU of at least 1380"]);
        }
        else
        {
            result.Messages().ShouldBeEmpty();
        }
    }

    [Fact]
    public void The_MTU_of_a_network_derived_from_the_subnets_is_checked_too()
    {
        var config = DualStack().With(os => os with { ControlPlanePort = os.ControlPlanePort! with { Network = new NetworkFilter() } });
        var cloud = DualStackCloud() with { ControlPlanePortNetwork = Lookup.Of("id", Network(mtu: 1300)), ControlPlanePortNetworkDerived = true };

        Validate(config, cloud).Messages().ShouldBe(["platform.openstack.controlPlanePort.network: Internal error: network should have an MTU of at least 1380"]);
    }

    [Fact]
    public void An_IPv4_only_network_has_no_MTU_minimum()
    {
        var config = SingleStackIpv4(["192.168.25.5"], ["192.168.25.7"]);
        var cloud = DualStackCloud().WithSubnets(V4Subnet() with { AllocationPools = [new AllocationPool("192.168.25.10", "192.168.25.254")] })
            with { ControlPlanePortNetwork = Lookup.Of("name", Network(mtu: 1300)), VipPorts = [] };

        Validate(config, cloud).Messages().ShouldBeEmpty();
    }

    // §5.1 external network

    [Fact]
    public void An_external_network_that_is_found_is_valid()
    {
        var config = DualStack().With(os => os with { ExternalNetwork = "public" });
        var cloud = DualStackCloud() with { ExternalNetwork = Lookup.Of("name", Network(id: OtherNetworkId, name: "public")) };

        Validate(config, cloud).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void An_external_network_not_found_is_NotFound()
    {
        var config = DualStack().With(os => os with { ExternalNetwork = "public" });
        var cloud = DualStackCloud() with { ExternalNetwork = Lookup.None<Network>("name") };

        var result = Validate(config, cloud);

        result.Messages().ShouldBe(["platform.openstack.externalNetwork: Not found: \"public\""]);
    }

    [Fact]
    public void An_external_network_on_single_stack_IPv6_is_invalid()
    {
        var config = SingleStackIpv6().With(os => os with { ExternalNetwork = "public" });
        var cloud = DualStackCloud().WithSubnets(V6Subnet("dhcpv6-stateful", "dhcpv6-stateful"))
            with { ExternalNetwork = Lookup.Of("name", Network(id: OtherNetworkId, name: "public")), VipPorts = [] };

        Validate(config, cloud).Messages().ShouldBe(["platform.openstack.externalNetwork: Invalid value: \"public\": Cannot set external network on Single Stack IPv6 cluster"]);
    }

    // §5.2 floating IPs

    private static InstallConfiguration WithFips(string? api = "128.35.27.8", string? ingress = "128.35.27.13", string? external = "public") =>
        DualStack().With(os => os with { ApiFloatingIP = api, IngressFloatingIP = ingress, ExternalNetwork = external });

    private static CloudInfo FipCloud(string apiStatus = "DOWN", string ingressStatus = "DOWN", bool api = true, bool ingress = true) => DualStackCloud() with
    {
        ExternalNetwork = Lookup.Of("name", Network(id: OtherNetworkId, name: "public")),
        ApiFloatingIp = api ? Lookup.Of("a", new FloatingIp { Id = "fip-1", FloatingIpAddress = "128.35.27.8", Status = apiStatus }) : Lookup.None<FloatingIp>("a"),
        IngressFloatingIp = ingress ? Lookup.Of("i", new FloatingIp { Id = "fip-2", FloatingIpAddress = "128.35.27.13", Status = ingressStatus }) : Lookup.None<FloatingIp>("i"),
    };

    [Fact]
    public void Free_floating_IPs_with_an_external_network_are_valid() =>
        Validate(WithFips(), FipCloud()).Messages().ShouldBeEmpty();

    [Fact]
    public void Floating_IPs_not_found_are_NotFound() =>
        Validate(WithFips(), FipCloud(api: false, ingress: false)).Messages().ShouldBe(
        [
            "platform.openstack.apiFloatingIP: Not found: \"128.35.27.8\"",
            "platform.openstack.ingressFloatingIP: Not found: \"128.35.27.13\"",
        ]);

    [Theory]
    [InlineData("ACTIVE")]
    [InlineData("ERROR")]
    public void A_floating_IP_whose_status_is_not_DOWN_is_in_use(string status)
    {
        Validate(WithFips(), FipCloud(apiStatus: status)).Messages()
            .ShouldBe(["platform.openstack.apiFloatingIP: Invalid value: \"128.35.27.8\": Floating IP already in use"]);
        Validate(WithFips(), FipCloud(ingressStatus: status)).Messages()
            .ShouldBe(["platform.openstack.ingressFloatingIP: Invalid value: \"128.35.27.13\": Floating IP already in use"]);
    }

    [Fact]
    public void Floating_IPs_need_an_external_network() =>
        Validate(WithFips(external: null), FipCloud() with { ExternalNetwork = null }).Messages().ShouldBe(
        [
            "platform.openstack.apiFloatingIP: Invalid value: \"128.35.27.8\": Cannot set floating ips when external network not specified",
            "platform.openstack.ingressFloatingIP: Invalid value: \"128.35.27.13\": Cannot set floating ips when external network not specified",
        ]);

    [Fact]
    public void The_same_floating_IP_twice_is_invalid_on_ingressFloatingIP()
    {
        var cloud = FipCloud() with { IngressFloatingIp = FipCloud().ApiFloatingIp };

        Validate(WithFips(ingress: "128.35.27.8"), cloud).Messages()
            .ShouldBe(["platform.openstack.ingressFloatingIP: Invalid value: \"128.35.27.8\": ingressFloatingIP can not be the same as apiFloatingIP"]);
    }

    // §5.3 VIPs versus allocation pools

    private static InstallConfiguration SingleStackIpv4(IReadOnlyList<string> api, IReadOnlyList<string> ingress, string? lb = null) =>
        DualStack().WithMachineNetworks(V4Cidr).With(os => os with
        {
            ApiVips = api,
            IngressVips = ingress,
            LoadBalancer = new LoadBalancerConfig { Type = lb ?? LoadBalancerConfig.OpenShiftManagedDefault },
            ControlPlanePort = os.ControlPlanePort! with { FixedIPs = [os.ControlPlanePort.FixedIPs[0]] },
        });

    private static InstallConfiguration SingleStackIpv6() =>
        DualStack().WithMachineNetworks(V6Cidr).With(os => os with
        {
            ApiVips = ["fd2e:6f44:5dd8:c956::5"],
            IngressVips = ["fd2e:6f44:5dd8:c956::7"],
            ControlPlanePort = os.ControlPlanePort! with { FixedIPs = [os.ControlPlanePort.FixedIPs[1]] },
        });

    private static CloudInfo PoolCloud() =>
        DualStackCloud().WithSubnets(V4Subnet() with { AllocationPools = [new AllocationPool("192.168.25.8", "192.168.25.255")] }) with { VipPorts = [] };

    [Fact]
    public void Single_stack_IPv4_VIPs_outside_the_allocation_pools_are_valid() =>
        Validate(SingleStackIpv4(["192.168.25.5"], ["192.168.25.7"]), PoolCloud()).Messages().ShouldBeEmpty();

    [Fact]
    public void Single_stack_IPv4_VIPs_inside_an_allocation_pool_are_invalid() =>
        Validate(SingleStackIpv4(["192.168.25.10"], ["192.168.25.8"]), PoolCloud()).Messages().ShouldBe(
        [
            "platform.openstack.apiVIPs: Invalid value: \"192.168.25.10\": apiVIP can not fall in a MachineNetwork allocation pool",
            "platform.openstack.ingressVIPs: Invalid value: \"192.168.25.8\": ingressVIP can not fall in a MachineNetwork allocation pool",
        ]);

    [Fact]
    public void The_allocation_pool_bounds_are_inclusive() =>
        Validate(SingleStackIpv4(["192.168.25.255"], ["192.168.25.7"]), PoolCloud()).Messages()
            .ShouldBe(["platform.openstack.apiVIPs: Invalid value: \"192.168.25.255\": apiVIP can not fall in a MachineNetwork allocation pool"]);

    [Fact]
    public void A_user_managed_load_balancer_skips_the_allocation_pool_check() =>
        Validate(SingleStackIpv4(["192.168.25.10"], ["192.168.25.8"], LoadBalancerConfig.UserManaged), PoolCloud()).Messages().ShouldBeEmpty();

    [Fact]
    public void Dual_stack_VIPs_inside_the_pools_are_valid_because_they_are_the_ports_addresses() =>
        Validate(DualStack(), DualStackCloud()).Messages().ShouldBeEmpty(); // 192.168.25.199 is inside 192.168.25.2-254
}
