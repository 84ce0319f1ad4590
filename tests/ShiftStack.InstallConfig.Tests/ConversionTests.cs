using ShiftStack.InstallConfig.Processing;
using ShiftStack.InstallConfig.Validation;
using static ShiftStack.InstallConfig.Tests.TestConfigs;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>Up-conversion of deprecated fields (install-config.md §5): first error only, exact paths and messages.</summary>
public class ConversionTests
{
    private const string Uuid4 = "0a0f0e0d-1111-4222-8333-444455556666";

    private static InstallConfiguration Convert(InstallConfiguration c, out FieldError? error, List<FieldWarning>? notes = null) =>
        Conversion.Convert(c, out error, notes);

    [Theory]
    [InlineData("v1")]
    [InlineData("v1beta3")]
    [InlineData("v1beta4")]
    public void Accepts_convertible_versions_and_sets_v1(string version)
    {
        var result = Convert(SingleStack() with { ApiVersion = version }, out var error);

        error.ShouldBeNull();
        result.ApiVersion.ShouldBe("v1");
    }

    [Theory]
    [InlineData(null, "apiVersion: Required value: no version was provided")]
    [InlineData("", "apiVersion: Required value: no version was provided")]
    [InlineData("v2", "apiVersion: Invalid value: \"v2\": cannot upconvert from version v2")]
    public void Rejects_an_unconvertible_version(string? version, string expected)
    {
        var result = Process(SingleStack() with { ApiVersion = version });

        result.Errors.Select(e => e.ToString()).ShouldBe([expected]);
    }

    [Fact]
    public void Converts_deprecated_networking_fields_when_the_new_ones_are_empty()
    {
        var c = SingleStack() with
        {
            Networking = new NetworkingConfig
            {
                DeprecatedMachineCidr = "10.0.0.0/16",
                DeprecatedServiceCidr = "172.30.0.0/16",
                DeprecatedType = "ovnkubernetes",
                DeprecatedClusterNetworks = [new() { Cidr = "10.128.0.0/14", DeprecatedHostSubnetLength = 9 }],
            },
        };

        var n = Convert(c, out var error).Networking!;

        error.ShouldBeNull();
        n.MachineNetwork.ShouldHaveSingleItem().Cidr.ShouldBe("10.0.0.0/16");
        n.ServiceNetwork.ShouldBe(["172.30.0.0/16"]);
        n.NetworkType.ShouldBe("OVNKubernetes");
        n.ClusterNetwork.ShouldHaveSingleItem().HostPrefix.ShouldBe(23); // 32 - 9
    }

    [Fact]
    public void Keeps_new_networking_fields_over_deprecated_ones()
    {
        var c = SingleStack().WithNetworking(n => n with { DeprecatedMachineCidr = "192.168.0.0/16", DeprecatedType = "OpenShiftSDN" });

        var n = Convert(c, out _).Networking!;

        n.MachineNetwork.ShouldHaveSingleItem().Cidr.ShouldBe("10.0.128.0/17");
        n.NetworkType.ShouldBe("OVNKubernetes");
    }

    [Fact]
    public void Converts_hostSubnetLength_for_IPv6_entries_with_128_bits()
    {
        var c = SingleStack().WithNetworking(n => n with { ClusterNetwork = [new() { Cidr = "fd01::/48", DeprecatedHostSubnetLength = 64 }] });

        Convert(c, out _).Networking!.ClusterNetwork[0].HostPrefix.ShouldBe(64);
    }

    [Fact]
    public void Copies_lbFloatingIP_to_apiFloatingIP()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedLbFloatingIP = "203.0.113.5" });

        Convert(c, out _).Platform.OpenStack!.ApiFloatingIP.ShouldBe("203.0.113.5");
    }

    [Fact]
    public void Accepts_lbFloatingIP_equal_to_apiFloatingIP()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedLbFloatingIP = "203.0.113.5", ApiFloatingIP = "203.0.113.5" });

        Convert(c, out var error);

        error.ShouldBeNull();
    }

    public static TheoryData<string> ConversionErrorCases() => new(ErrorCases.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, (Func<InstallConfiguration> Build, string Expected)> ErrorCases = new()
    {
        ["Rejects_lbFloatingIP_and_a_different_apiFloatingIP"] = (() => SingleStack().WithOpenStack(o => o with { DeprecatedLbFloatingIP = "203.0.113.5", ApiFloatingIP = "203.0.113.6" }),
            "platform.openstack.lbFloatingIP: Forbidden: cannot specify lbFloatingIP and apiFloatingIP together"),
        ["Rejects_computeFlavor_and_a_different_defaultMachinePlatform_type"] = (() => SingleStack().WithOpenStack(o => o with { DeprecatedFlavorName = "m1.large", DefaultMachinePlatform = new() { FlavorName = "m1.xlarge" } }),
            "platform.openstack.computeFlavor: Forbidden: cannot specify computeFlavor and type in defaultMachinePlatform together"),
        ["Rejects_control_plane_rootVolume_type_and_types"] = (() => SingleStack() with
        {
            ControlPlane = new() { Name = "master", Replicas = 3, Platform = new() { OpenStack = new() { RootVolume = new() { Size = 30, DeprecatedType = "a", Types = ["b"] } } } },
        }, "controlPlane.platform.openstack.rootVolume.type: Forbidden: cannot specify type and types in rootVolume together"),
        ["Rejects_compute_rootVolume_type_and_types_without_the_pool_index"] = (() => SingleStack() with
        {
            Compute = [new() { Name = "worker", Replicas = 3 }, new() { Name = "worker", Platform = new() { OpenStack = new() { RootVolume = new() { Size = 30, DeprecatedType = "a", Types = ["b"] } } } }],
        }, "compute.platform.openstack.rootVolume.type: Forbidden: cannot specify type and types in rootVolume together"),
        ["Rejects_defaultMachinePlatform_rootVolume_type_and_types_at_platform_openstack_type"] = (() => SingleStack().WithOpenStack(o => o with
        {
            DefaultMachinePlatform = new() { RootVolume = new() { Size = 30, DeprecatedType = "a", Types = ["b"] } },
        }), "platform.openstack.type: Forbidden: cannot specify type and types in defaultMachinePlatform together"),
        ["Rejects_an_apiVIP_missing_from_apiVIPs_with_the_names_the_right_way_round"] = (() => DualStack().WithOpenStack(o => o with { DeprecatedApiVip = "192.168.25.10" }),
            "platform.openstack.apiVIP: Invalid value: \"192.168.25.10\": apiVIP is deprecated; only apiVIPs needs to be specified"),
        ["Rejects_an_ingressVIP_missing_from_ingressVIPs_with_the_names_the_right_way_round"] = (() => DualStack().WithOpenStack(o => o with { DeprecatedIngressVip = "192.168.25.11" }),
            "platform.openstack.ingressVIP: Invalid value: \"192.168.25.11\": ingressVIP is deprecated; only ingressVIPs needs to be specified"),
        ["Rejects_machinesSubnet_that_does_not_match_the_controlPlanePort"] = (() => DualStack().WithOpenStack(o => o with { DeprecatedMachinesSubnet = Uuid4 }),
            $"platform.openstack.machinesSubnet: Invalid value: \"{Uuid4}\": machinesSubnet is deprecated; only controlPlanePort needs to be specified"),
        ["Reports_only_the_first_conversion_error"] = (() => SingleStack().WithOpenStack(o => o with
        {
            DeprecatedLbFloatingIP = "203.0.113.5", ApiFloatingIP = "203.0.113.6", DeprecatedFlavorName = "a", DefaultMachinePlatform = new() { FlavorName = "b" },
        }), "platform.openstack.lbFloatingIP: Forbidden: cannot specify lbFloatingIP and apiFloatingIP together"),
    };

    [Theory]
    [MemberData(nameof(ConversionErrorCases))]
    public void Conversion_error(string name)
    {
        var (build, expected) = ErrorCases[name];

        var result = Process(build());

        result.Errors.Select(e => e.ToString()).ShouldBe([expected]);
        result.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Says_how_openshift_install_words_the_VIP_deprecation_error()
    {
        // docs/deviations.md §2: openshift-install swaps the names; ShiftStack prints them correctly and says so.
        var result = Process(DualStack().WithOpenStack(o => o with { DeprecatedApiVip = "192.168.25.10" }));

        result.Warnings.Count.ShouldBe(2);
        result.Warnings[0].Message.ShouldBe("apiVIP is deprecated; use platform.openstack.apiVIPs instead (ShiftStack converts it for now)");
        var note = result.Warnings[1];
        note.Path.ToString().ShouldBe("platform.openstack.apiVIP");
        note.Message.ShouldBe("ShiftStack differs from openshift-install here: openshift-install reports this error as " +
            "\"platform.openstack.apiVIPs: Invalid value: \"192.168.25.10\": apiVIPs is deprecated; only apiVIP needs to be specified\" " +
            "(field names swapped) and compares the addresses as strings");
    }

    [Fact]
    public void Warns_about_each_deprecated_field_at_its_own_path_before_it_is_converted()
    {
        var config = DualStack().WithOpenStack(o => o with
        {
            DeprecatedIngressVip = "192.168.25.79",
            DeprecatedMachinesSubnet = "0f1e2d3c-0000-4000-8000-000000000001",
            DeprecatedTrunkSupport = "true",
        });

        var warnings = Deprecations.Find(config);

        warnings.Select(w => w.Path.ToString()).ShouldBe([
            "platform.openstack.ingressVIP",
            "platform.openstack.machinesSubnet",
            "platform.openstack.trunkSupport",
        ]);
        warnings[1].Message.ShouldBe("machinesSubnet is deprecated; use platform.openstack.controlPlanePort.fixedIPs[].subnet.id instead (ShiftStack converts it for now)");
        Deprecations.Find(DualStack()).ShouldBeEmpty();
    }

    [Fact]
    public void Accepts_an_apiVIP_that_is_in_apiVIPs_written_differently()
    {
        // The reference compares strings and would reject this (docs/deviations.md §2).
        var c = DualStack().WithOpenStack(o => o with { DeprecatedApiVip = "FD2E:6F44:5DD8:C956:F816:3EFF:FE78:CF36" });

        Process(c).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Copies_apiVIP_and_ingressVIP_into_empty_lists_and_keeps_the_old_fields()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedApiVip = "10.0.128.10", DeprecatedIngressVip = "10.0.128.11" });

        var os = Process(c).Config.Platform.OpenStack!;

        os.ApiVips.ShouldBe(["10.0.128.10"]);
        os.IngressVips.ShouldBe(["10.0.128.11"]);
        os.DeprecatedApiVip.ShouldBe("10.0.128.10");
    }

    [Fact]
    public void Turns_machinesSubnet_into_a_controlPlanePort_without_network()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedMachinesSubnet = Uuid4 });

        var result = Process(c);

        result.Errors.ShouldBeEmpty();
        var port = result.Config.Platform.OpenStack!.ControlPlanePort!;
        port.FixedIPs.ShouldHaveSingleItem().Subnet.Id.ShouldBe(Uuid4);
        port.Network.ShouldBe(new NetworkFilter());
    }

    [Fact]
    public void Accepts_machinesSubnet_equal_to_the_single_controlPlanePort_subnet()
    {
        var c = SingleStack().WithOpenStack(o => o with
        {
            DeprecatedMachinesSubnet = Uuid4,
            ControlPlanePort = new() { FixedIPs = [new() { Subnet = new() { Id = Uuid4 } }] },
        });

        Process(c).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Moves_rootVolume_type_into_types_everywhere()
    {
        var volume = new RootVolume { Size = 30, DeprecatedType = "performance" };
        var c = SingleStack() with
        {
            ControlPlane = new() { Name = "master", Replicas = 3, Platform = new() { OpenStack = new() { RootVolume = volume } } },
            Compute = [new() { Name = "worker", Replicas = 3, Platform = new() { OpenStack = new() { RootVolume = volume } } }],
        };
        c = c.WithOpenStack(o => o with { DefaultMachinePlatform = new() { RootVolume = volume } });

        var result = Convert(c, out var error);

        error.ShouldBeNull();
        result.ControlPlane!.Platform.OpenStack!.RootVolume!.Types.ShouldBe(["performance"]);
        result.ControlPlane.Platform.OpenStack.RootVolume.DeprecatedType.ShouldBeNull();
        result.Compute[0].Platform.OpenStack!.RootVolume!.Types.ShouldBe(["performance"]);
        result.Platform.OpenStack!.DefaultMachinePlatform!.RootVolume!.Types.ShouldBe(["performance"]);
    }

    [Fact]
    public void Copies_computeFlavor_into_defaultMachinePlatform()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedFlavorName = "m1.large" });

        Convert(c, out _).Platform.OpenStack!.DefaultMachinePlatform!.FlavorName.ShouldBe("m1.large");
    }
}
