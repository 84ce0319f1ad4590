using ShiftStack.InstallConfig;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack.Compute;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// The reference's machine-pool checks against the cloud: openshift/installer
/// <c>pkg/asset/installconfig/openstack/validation/machinepool.go</c> (<c>ValidateMachinePool</c>, <c>validateFlavor</c>,
/// <c>validateZones</c>, <c>validateVolumeTypes</c>, <c>validateUUIDV4s</c>), called by
/// <c>pkg/asset/installconfig/openstack/validate.go</c> (<c>Validate</c>) on the control plane and each compute pool,
/// each merged with <c>defaultMachinePlatform</c> over <c>zones: [""]</c>. The cases follow the reference's
/// <c>machinepool_test.go</c> (<c>TestOpenStackMachinepoolValidation</c>): the same flavors, sizes and messages.
/// </summary>
public class MachinePoolRuleTests
{
    private const string ControlPlaneFlavor = "valid-control-plane-flavor";
    private const string ComputeFlavor = "valid-compute-flavor";

    // The reference test's cloud: flavors by name (RAM MB, vCPUs, disk GB), one zone, two volume types.
    private static CloudInfo Cloud(IReadOnlyList<string>? computeZones = null, VolumeFacts? volume = null) => DualStackCloud() with
    {
        Compute = new ComputeFacts
        {
            HasEndpoint = true,
            Flavors = new Dictionary<string, Flavor>(StringComparer.Ordinal)
            {
                [ControlPlaneFlavor] = Flavor(ControlPlaneFlavor, 16384, 4, 100),
                [ComputeFlavor] = Flavor(ComputeFlavor, 8192, 2, 100),
                ["invalid-control-plane-flavor"] = Flavor("invalid-control-plane-flavor", 8192, 2, 100),
                ["invalid-compute-flavor"] = Flavor("invalid-compute-flavor", 8192, 2, 10),
                ["warning-control-plane-flavor"] = Flavor("warning-control-plane-flavor", 16384, 4, 40),
                ["baremetal-flavor"] = Flavor("baremetal-flavor", 8192, 2, 10),
            },
            BaremetalFlavors = new HashSet<string>(StringComparer.Ordinal) { "baremetal-flavor" },
            Zones = computeZones,
        },
        Volume = volume,
    };

    private static VolumeFacts Cinder(params string[] zones) =>
        new() { HasEndpoint = true, Types = ["performance", "standard"], Zones = zones };

    private static Flavor Flavor(string name, int ram, int vcpus, int disk) => new() { Id = name + "-id", Name = name, Ram = ram, Vcpus = vcpus, Disk = disk };

    private static InstallConfiguration Config(OpenStackMachinePool controlPlane, OpenStackMachinePool? compute = null, OpenStackMachinePool? defaults = null)
    {
        var config = DualStack();
        return config with
        {
            ControlPlane = config.ControlPlane! with { Platform = new MachinePoolPlatform { OpenStack = controlPlane } },
            Compute = [config.Compute[0] with { Platform = new MachinePoolPlatform { OpenStack = compute ?? new OpenStackMachinePool { FlavorName = ComputeFlavor } } }],
            Platform = config.Platform with { OpenStack = config.Platform.OpenStack! with { DefaultMachinePlatform = defaults } },
        };
    }

    private static OpenStackMachinePool Pool(string? flavor = ControlPlaneFlavor, IReadOnlyList<string>? zones = null, RootVolume? rootVolume = null) =>
        new() { FlavorName = flavor, Zones = zones ?? [], RootVolume = rootVolume };

    [Fact]
    public void Valid_control_plane_and_compute_pools_pass_without_warnings()
    {
        var result = Validate(Config(Pool()), Cloud());

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBeEmpty();
    }

    [Fact]
    public void A_pool_without_a_flavor_is_required_at_its_type_path()
    {
        var result = Validate(Config(Pool(), Pool(flavor: null)), Cloud());

        result.Messages().ShouldBe(["compute[0].platform.openstack.type: Required value: Flavor name must be provided"]);
    }

    [Fact]
    public void The_flavor_comes_from_defaultMachinePlatform_when_the_pool_has_none()
    {
        var result = Validate(Config(Pool(flavor: null), Pool(flavor: null), defaults: Pool(ComputeFlavor)), Cloud());

        // validate.go merges defaultMachinePlatform into each pool: the control plane then has the compute flavor.
        result.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.type: Invalid value: \"valid-compute-flavor\": Flavor did not meet the following minimum requirements: "
            + "Must have minimum of 16384 MB RAM, had 8192 MB; Must have minimum of 4 VCPUs, had 2",
        ]);
    }

    [Fact]
    public void An_unknown_flavor_is_not_found_for_either_role()
    {
        var result = Validate(Config(Pool("non-existant-flavor"), Pool("non-existant-flavor")), Cloud());

        result.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.type: Not found: \"non-existant-flavor\"",
            "compute[0].platform.openstack.type: Not found: \"non-existant-flavor\"",
        ]);
    }

    [Fact]
    public void Control_plane_minimums_are_16384_MB_and_4_vCPUs()
    {
        var result = Validate(Config(Pool("invalid-control-plane-flavor")), Cloud());

        result.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.type: Invalid value: \"invalid-control-plane-flavor\": Flavor did not meet the following minimum requirements: "
            + "Must have minimum of 16384 MB RAM, had 8192 MB; Must have minimum of 4 VCPUs, had 2",
        ]);
    }

    [Fact]
    public void Compute_minimums_are_8192_MB_2_vCPUs_and_25_GB_of_disk()
    {
        var result = Validate(Config(Pool(), Pool("invalid-compute-flavor")), Cloud());

        result.Messages().ShouldBe(
        [
            "compute[0].platform.openstack.type: Invalid value: \"invalid-compute-flavor\": Flavor did not meet the following minimum requirements: "
            + "Must have minimum of 25 GB Disk, had 10 GB",
        ]);
        // The same flavor meets the compute RAM and vCPU minimums that the control plane's would not.
        Validate(Config(Pool(), Pool("invalid-control-plane-flavor")), Cloud()).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void A_flavor_disk_below_100_GB_is_a_warning()
    {
        var result = Validate(Config(Pool("warning-control-plane-flavor")), Cloud());

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBe(
        [
            "controlPlane.platform.openstack.type: Flavor does not meet the following recommended requirements: It is recommended to have 100 GB Disk, had 40 GB",
        ]);
    }

    [Fact]
    public void A_baremetal_flavor_is_not_measured()
    {
        Validate(Config(Pool("baremetal-flavor"), Pool("baremetal-flavor")), Cloud()).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void With_a_root_volume_the_flavor_disk_is_not_checked_but_the_volume_size_is()
    {
        var small = new RootVolume { Size = 10, Types = ["performance"], Zones = [string.Empty] };

        var result = Validate(Config(Pool(), Pool("invalid-compute-flavor", rootVolume: small)), Cloud(volume: Cinder()));

        result.Messages().ShouldBe(["compute[0].platform.openstack.rootVolume.size: Invalid value: 10: Volume size must be greater than 25 GB to use root volumes, had 10 GB"]);
    }

    [Fact]
    public void A_root_volume_below_100_GB_is_a_warning()
    {
        var medium = new RootVolume { Size = 40, Types = ["performance", "standard"], Zones = [string.Empty] };

        var result = Validate(Config(Pool(), Pool(ComputeFlavor, rootVolume: medium)), Cloud(volume: Cinder()));

        result.Messages().ShouldBeEmpty();
        result.WarningMessages().ShouldBe(["compute[0].platform.openstack.rootVolume.size: Volume size is recommended to be greater than 100 GB to use root volumes, had 40 GB"]);
    }

    [Fact]
    public void Each_volume_type_must_exist()
    {
        var volume = new RootVolume { Size = 100, Types = ["performance", "invalid-type"], Zones = ["valid-zone"] };

        var result = Validate(Config(Pool(rootVolume: volume)), Cloud(volume: Cinder("valid-zone")));

        result.Messages().ShouldBe(["controlPlane.platform.openstack.rootVolume.types: Invalid value: \"invalid-type\": Volume type either does not exist in this cloud, or is not available"]);
    }

    [Fact]
    public void Volume_zones_must_exist_and_match_the_compute_zones_in_number()
    {
        var volume = new RootVolume { Size = 100, Types = ["performance"], Zones = ["AZ1", "AZ2"] };

        var result = Validate(Config(Pool(), Pool(ComputeFlavor, rootVolume: volume)), Cloud(volume: Cinder("valid-zone")));

        result.Messages().ShouldBe(
        [
            "compute[0].platform.openstack.rootVolume.zones.zone[0]: Invalid value: \"AZ1\": Zone either does not exist in this cloud, or is not available",
            "compute[0].platform.openstack.rootVolume.zones.zone[1]: Invalid value: \"AZ2\": Zone either does not exist in this cloud, or is not available",
            "compute[0].platform.openstack.rootVolume.zones: Invalid value: [\"AZ1\",\"AZ2\"]: there must be either just one volume availability zone "
            + "common to all nodes or the number of compute and volume availability zones must be equal",
        ]);
    }

    [Fact]
    public void One_volume_zone_or_as_many_as_compute_zones_is_valid()
    {
        var cloud = Cloud(["az-a", "az-b"], Cinder("vol-a", "vol-b"));
        var one = new RootVolume { Size = 100, Types = ["standard"], Zones = ["vol-a"] };
        var two = new RootVolume { Size = 100, Types = ["standard"], Zones = ["vol-a", "vol-b"] };

        Validate(Config(Pool(zones: ["az-a", "az-b"], rootVolume: one)), cloud).Messages().ShouldBeEmpty();
        Validate(Config(Pool(zones: ["az-a", "az-b"], rootVolume: two)), cloud).Messages().ShouldBeEmpty();
    }

    [Fact]
    public void A_root_volume_without_zones_fails_the_count_rule_as_in_the_reference()
    {
        // len(rootVolume.zones) = 0 is neither 1 nor len(zones) = 1 (the default [""]): the reference refuses it too.
        var volume = new RootVolume { Size = 100, Types = ["standard"] };

        var result = Validate(Config(Pool(rootVolume: volume)), Cloud(volume: Cinder()));

        result.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.rootVolume.zones: Invalid value: []: there must be either just one volume availability zone "
            + "common to all nodes or the number of compute and volume availability zones must be equal",
        ]);
    }

    [Fact]
    public void Compute_zones_must_exist_the_default_empty_zone_is_not_checked()
    {
        var cloud = Cloud(["valid-zone"]);

        Validate(Config(Pool(zones: ["valid-zone"])), cloud).Messages().ShouldBeEmpty();
        Validate(Config(Pool(zones: [string.Empty])), cloud).Messages().ShouldBeEmpty();
        Validate(Config(Pool(zones: ["valid-zone", "invalid-zone"])), cloud).Messages().ShouldBe(
            ["controlPlane.platform.openstack.zones.zone[1]: Invalid value: \"invalid-zone\": Zone either does not exist in this cloud, or is not available"]);
    }

    [Fact]
    public void Additional_network_and_security_group_ids_must_be_UUID_v4()
    {
        var pool = Pool() with
        {
            AdditionalNetworkIds = ["3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11", "not-a-uuid"],
            AdditionalSecurityGroupIds = ["3b5a3d2c-7c49-1d5b-9f0e-2d8b1c1f0a11"],
        };

        Validate(Config(pool), Cloud()).Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.additionalNetworkIDs[1]: Invalid value: \"not-a-uuid\": valid UUID v4 must be specified",
            "controlPlane.platform.openstack.additionalSecurityGroupIDs[0]: Invalid value: \"3b5a3d2c-7c49-1d5b-9f0e-2d8b1c1f0a11\": valid UUID v4 must be specified",
        ]);
    }

    [Theory]
    [InlineData("3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11", true)]
    [InlineData("{3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11}", true)]
    [InlineData("urn:uuid:3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11", true)]
    [InlineData("3b5a3d2c7c494d5b9f0e2d8b1c1f0a11", true)]
    [InlineData("3B5A3D2C-7C49-4D5B-9F0E-2D8B1C1F0A11", true)]
    [InlineData("3b5a3d2c-7c49-1d5b-9f0e-2d8b1c1f0a11", false)]
    [InlineData("3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a1", false)]
    [InlineData("(3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11)", false)]
    [InlineData("3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0g11", false)]
    public void UUID_v4_is_what_Go_uuid_Parse_accepts_with_version_4(string text, bool valid)
    {
        Installer.Preflight.Rules.MachinePoolRules.IsUuidV4(text).ShouldBe(valid);
    }

    [Fact]
    public void Without_a_compute_endpoint_only_the_missing_flavor_is_reported()
    {
        var cloud = DualStackCloud() with { Compute = ComputeFacts.NoEndpoint };

        Validate(Config(Pool("non-existant-flavor"), Pool(flavor: null)), cloud).Messages().ShouldBe(
            ["compute[0].platform.openstack.type: Required value: Flavor name must be provided"]);
    }

    [Fact]
    public void A_root_volume_on_a_cloud_without_block_storage_is_a_ShiftStack_error()
    {
        var volume = new RootVolume { Size = 100, Types = ["standard"], Zones = [string.Empty] };

        var result = Validate(Config(Pool(rootVolume: volume)), Cloud(volume: VolumeFacts.NoEndpoint));

        result.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.rootVolume: Invalid value: \"openstack\": the cloud has no block-storage (volumev3) endpoint in its catalog, so root volumes cannot be created "
            + "(ShiftStack check; openshift-install cannot create its volume client and skips every pre-flight check)",
        ]);
    }
}
