using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack;

namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>
/// The reference's machine-pool checks (openshift/installer <c>pkg/asset/installconfig/openstack/validation/
/// machinepool.go</c>, <c>ValidateMachinePool</c>) against the real local Nova (flavors m1.fake, m1.large, m1.xlarge;
/// zone "nova") and Cinder (volume type "standard"; no cinder-volume, so no volume zone). Read-only: the class's
/// shared network is only looked at.
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

    private string Config(string controlPlane) =>
        _r.InstallConfig(shared.Net).Replace(ControlPlanePool, controlPlane, StringComparison.Ordinal);

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
}
