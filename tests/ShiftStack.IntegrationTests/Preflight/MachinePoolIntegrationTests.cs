using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack;

namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>
/// The reference's machine-pool checks (openshift/installer <c>pkg/asset/installconfig/openstack/validation/
/// machinepool.go</c>, <c>ValidateMachinePool</c>) against the real local Nova (flavors m1.fake, m1.large, m1.xlarge;
/// one compute host, so the one compute zone "nova") and Cinder (volume type "standard"; the volume zones
/// "cinder-az0" and "cinder-az1" of cinder-volume's two backends, hack/openstack/templates/cinder-volume.conf).
/// Read-only: the class's shared network is only looked at.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MachinePoolIntegrationTests(SharedDualStack shared) : IClassFixture<SharedDualStack>
{
    private readonly PreflightScenario _r = shared.Scenario;

    private const string ControlPlanePool = """
        controlPlane:
          name: master
          replicas: 3
          platform:
            openstack:
              type: m1.xlarge
        """;

    /// <summary>The volume zones the local Cinder lists: one per cinder-volume backend.</summary>
    private static readonly string[] LocalVolumeZones = ["cinder-az0", "cinder-az1"];

    private string Config(string controlPlane)
    {
        var config = _r.InstallConfig(shared.Net);
        config.ShouldContain(ControlPlanePool);
        return config.Replace(ControlPlanePool, controlPlane, StringComparison.Ordinal);
    }

    /// <summary>A control-plane pool on m1.xlarge with the given compute zones and root volume (100 GB).</summary>
    private string RootVolumeConfig(string zones, string types, string volumeZones) => Config($"""
        controlPlane:
          name: master
          replicas: 3
          platform:
            openstack:
              type: m1.xlarge
              zones: {zones}
              rootVolume:
                size: 100
                types: {types}
                zones: {volumeZones}
        """);

    /// <summary>The outcome's volume facts, which must hold the local Cinder's volume zones.</summary>
    private static VolumeFacts LocalVolumeFacts(CloudCheckOutcome outcome)
    {
        var volume = outcome.Cloud!.Volume.ShouldNotBeNull();
        volume.HasEndpoint.ShouldBeTrue("the local cloud runs Cinder (hack/openstack-up --compute)");
        var zones = volume.Zones.ShouldNotBeNull();
        foreach (var zone in LocalVolumeZones)
        {
            zones.ShouldContain(zone, $"Cinder lists the zone of each cinder-volume backend; {zone} is missing, so cinder-volume is not "
                + "running or lacks that backend: run hack/openstack-up --compute (log: .local/openstack/log/cinder-volume.log)");
        }

        return volume;
    }

    [Fact]
    public async Task Flavors_are_measured_against_the_role_minimums_and_unknown_ones_are_not_found()
    {
        var config = _r.InstallConfig(shared.Net);
        config.ShouldContain(ControlPlanePool);
        config = config.Replace(ControlPlanePool, ControlPlanePool.Replace("m1.xlarge", "m1.fake", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("      type: m1.xlarge", "      type: no-such-flavor", StringComparison.Ordinal);
        var counter = new RequestCounter();

        var outcome = await _r.ValidateAsync(config, counter);

        outcome.Cloud!.Compute.HasEndpoint.ShouldBeTrue("the local cloud runs Nova (hack/openstack-up --compute)");
        outcome.Result!.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.type: Invalid value: \"m1.fake\": Flavor did not meet the following minimum requirements: "
            + "Must have minimum of 16384 MB RAM, had 64 MB; Must have minimum of 4 VCPUs, had 1; Must have minimum of 25 GB Disk, had 1 GB",
            "compute[0].platform.openstack.type: Not found: \"no-such-flavor\"",
        ]);
        // No zone and no root volume named: no availability-zone request, nothing asked of Cinder.
        counter.Count("GET", "/v2.1/os-availability-zone").ShouldBe(0);
        counter.ForService("volumev3").ShouldBe(0);
    }

    [Fact]
    public async Task Compute_zones_must_be_available_in_Nova()
    {
        var config = Config("""
            controlPlane:
              name: master
              replicas: 3
              platform:
                openstack:
                  type: m1.xlarge
                  zones: [nova, no-such-zone]
            """);

        var outcome = await _r.ValidateAsync(config);

        outcome.Result!.Messages().ShouldBe(
            ["controlPlane.platform.openstack.zones.zone[1]: Invalid value: \"no-such-zone\": Zone either does not exist in this cloud, or is not available"]);
        outcome.Cloud!.Compute.Zones.ShouldNotBeNull().ShouldContain("nova");
    }

    [Fact]
    public async Task Root_volume_types_and_zones_are_checked_against_Cinder()
    {
        var config = Config("""
            controlPlane:
              name: master
              replicas: 3
              platform:
                openstack:
                  type: m1.xlarge
                  rootVolume:
                    size: 100
                    types: [standard, no-such-type]
                    zones: [no-such-volume-zone]
            """);
        var counter = new RequestCounter();

        var outcome = await _r.ValidateAsync(config, counter);

        var volume = outcome.Cloud!.Volume.ShouldNotBeNull();
        if (!volume.HasEndpoint)
        {
            // A cloud started before hack/openstack-up had Cinder: the root volume cannot be checked, and says so.
            outcome.Result!.Messages().ShouldBe(
            [
                "controlPlane.platform.openstack.rootVolume: Invalid value: \"local\": the cloud has no block-storage (volumev3) endpoint in its catalog, "
                + "so root volumes cannot be created (ShiftStack check; openshift-install cannot create its volume client and skips every pre-flight check)",
            ]);
            return;
        }

        volume.Types.ShouldNotBeNull().ShouldContain("standard");
        outcome.Result!.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.rootVolume.types: Invalid value: \"no-such-type\": Volume type either does not exist in this cloud, or is not available",
            "controlPlane.platform.openstack.rootVolume.zones.zone[0]: Invalid value: \"no-such-volume-zone\": Zone either does not exist in this cloud, or is not available",
        ]);
        counter.ForService("volumev3").ShouldBe(2);
    }

    [Fact]
    public async Task Root_volume_zones_Cinder_lists_pass_when_there_are_as_many_as_compute_zones()
    {
        // Given two failure domains in the local Nova's one compute zone, each with a volume zone of its own
        var config = RootVolumeConfig(zones: "[nova, nova]", types: "[standard]", volumeZones: "[cinder-az0, cinder-az1]");
        var counter = new RequestCounter();

        // When
        var outcome = await _r.ValidateAsync(config, counter);

        // Then: both volume zones exist, two volume zones for two compute zones, the type exists
        var volume = LocalVolumeFacts(outcome);
        volume.Types.ShouldNotBeNull().ShouldContain("standard");
        outcome.Cloud!.Compute.Zones.ShouldNotBeNull().ShouldContain("nova");
        outcome.Result!.Messages().ShouldBeEmpty();
        outcome.Result!.Warnings.Select(w => w.ToString()).ShouldBeEmpty();
        counter.ForService("volumev3").ShouldBe(2);
    }

    [Fact]
    public async Task One_volume_zone_serves_every_compute_zone()
    {
        var config = RootVolumeConfig(zones: "[nova, nova, nova]", types: "[standard]", volumeZones: "[cinder-az1]");

        var outcome = await _r.ValidateAsync(config);

        LocalVolumeFacts(outcome);
        outcome.Result!.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_volume_zone_Cinder_does_not_list_is_refused_by_its_index()
    {
        var config = RootVolumeConfig(zones: "[nova, nova]", types: "[standard]", volumeZones: "[cinder-az0, no-such-volume-zone]");

        var outcome = await _r.ValidateAsync(config);

        LocalVolumeFacts(outcome).Zones.ShouldNotBeNull().ShouldNotContain("no-such-volume-zone");
        outcome.Result!.Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.rootVolume.zones.zone[1]: Invalid value: \"no-such-volume-zone\": Zone either does not exist in this cloud, or is not available",
        ]);
    }

    [Theory]
    [InlineData("[nova]", "[cinder-az0, cinder-az1]", "[\"cinder-az0\",\"cinder-az1\"]")]
    [InlineData("[nova, nova, nova]", "[cinder-az0, cinder-az1]", "[\"cinder-az0\",\"cinder-az1\"]")]
    public async Task Volume_zones_must_be_one_or_as_many_as_the_compute_zones(string zones, string volumeZones, string shown)
    {
        // Given volume zones that all exist, in a number that is neither one nor the compute zones' number
        var config = RootVolumeConfig(zones, types: "[standard]", volumeZones);

        var outcome = await _r.ValidateAsync(config);

        LocalVolumeFacts(outcome);
        outcome.Result!.Messages().ShouldBe(
        [
            $"controlPlane.platform.openstack.rootVolume.zones: Invalid value: {shown}: there must be either just one volume availability zone "
            + "common to all nodes or the number of compute and volume availability zones must be equal",
        ]);
    }

    [Theory]
    [InlineData("[standard]", null)]
    [InlineData("[no-such-type]", "controlPlane.platform.openstack.rootVolume.types: Invalid value: \"no-such-type\": Volume type either does not exist in this cloud, or is not available")]
    [InlineData("[standard, no-such-type, standard]", "controlPlane.platform.openstack.rootVolume.types: Invalid value: \"no-such-type\": Volume type either does not exist in this cloud, or is not available")]
    public async Task Volume_types_must_exist_in_Cinder(string types, string? expected)
    {
        var config = RootVolumeConfig(zones: "[nova]", types, volumeZones: "[cinder-az0]");

        var outcome = await _r.ValidateAsync(config);

        var volume = LocalVolumeFacts(outcome);
        volume.Types.ShouldNotBeNull().ShouldContain("standard");
        volume.Types.ShouldNotContain("no-such-type");
        outcome.Result!.Messages().ShouldBe(expected is null ? [] : [expected]);
    }
}
