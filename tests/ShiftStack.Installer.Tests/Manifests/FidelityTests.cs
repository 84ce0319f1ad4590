namespace ShiftStack.Installer.Tests.Manifests;

/// <summary>
/// What openshift-install writes that ShiftStack once left out or wrote differently (issue "Fidelity, second pass"),
/// each against the installer file and function that decides it.
/// </summary>
public class FidelityTests
{
    private const string WorkerSets = @"^openshift/99_openshift-cluster-api_worker-machineset-\d+\.yaml$";

    [Fact]
    public async Task A_compute_pool_of_zero_replicas_still_gets_one_MachineSet_per_failure_domain()
    {
        // pkg/asset/machines/worker.go (Worker.Generate) calls openstack.MachineSets for every compute pool; it
        // writes one MachineSet per failure domain whatever the replica count, so the workers can be scaled later.
        var files = await TestSupport.GenerateCaseAsync("mt-zero-workers");

        var sets = files.YamlMatching(WorkerSets).ToList();
        sets.Count.ShouldBe(1);
        ((long)sets[0]["spec"]!["replicas"]!).ShouldBe(0);
        files.ShouldContainKey("openshift/99_openshift-cluster-api_worker-machineset-0.yaml");
    }

    [Fact]
    public async Task Every_OpenStackMachine_writes_configDrive_false_unless_single_stack_IPv6()
    {
        // pkg/asset/machines/openstack (CAPO machines): ConfigDrive is a *bool set for every machine, true only for
        // single-stack IPv6; sigs.k8s.io/yaml keeps a pointer to false.
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack");

        var machines = files.YamlMatching(@"^cluster-api/machines/10_inframachine_.*\.yaml$").ToList();
        machines.Count.ShouldBe(4);
        machines.ShouldAllBe(m => m["spec"]!["configDrive"]!.GetValue<bool>() == false);
        files.Keys.Where(k => k.StartsWith("cluster-api/machines/", StringComparison.Ordinal))
            .Select(k => files[k].ContentText).ShouldAllBe(c => c.Contains("  configDrive: false\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_embedded_install_config_keeps_externalDNS_null()
    {
        // pkg/types/openstack/platform.go: ExternalDNS []string `json:"externalDNS"` (no omitempty), so the
        // installer's marshalling of the install-config into cluster-config-v1 writes an unset list as null.
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack");

        var installConfig = (string)files.Yaml("manifests/cluster-config.yaml")["data"]!["install-config"]!;
        installConfig.ShouldContain("\n    externalDNS: null\n");
    }
}
