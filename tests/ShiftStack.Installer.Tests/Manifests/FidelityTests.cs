using System.Text.Json.Nodes;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Manifests;
using ShiftStack.OpenStack.Config;

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
        files.Keys.Where(k => k.StartsWith("cluster-api/machines/10_inframachine_", StringComparison.Ordinal))
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

    [Fact]
    public void The_embedded_install_config_keeps_bootstrapInPlace()
    {
        // pkg/types/installconfig.go: BootstrapInPlace *BootstrapInPlace `json:"bootstrapInPlace,omitempty"` with
        // InstallationDisk `json:"installationDisk"`. ValidateInstallConfig does not look at it, so an OpenStack
        // install-config keeps it, and cluster-config-v1 carries it as written.
        var config = new InstallConfiguration { ApiVersion = "v1", BootstrapInPlace = new() { InstallationDisk = "/dev/sda" } };

        var yaml = YamlText.Write(InstallConfigDocument.Redacted(config));

        yaml.ShouldContain("\nbootstrapInPlace:\n  installationDisk: /dev/sda\n");
        YamlText.Write(InstallConfigDocument.Redacted(config with { BootstrapInPlace = null })).ShouldNotContain("bootstrapInPlace");
    }

    [Fact]
    public async Task The_Cluster_API_namespace_Cluster_and_one_Machine_per_machine_are_written()
    {
        // pkg/asset/manifests/clusterapi/cluster.go (Cluster.Generate): 000_capi-namespace.yaml and
        // 01_capi-cluster-<i>.yaml; pkg/asset/machines/openstack/openstackmachines.go (GenerateMachines): a CAPI
        // Machine next to each OpenStackMachine.
        var files = await TestSupport.GenerateCaseAsync("mt-nova-availability-zones");

        var ns = files.Yaml("cluster-api/000_capi-namespace.yaml");
        ((string)ns["kind"]!).ShouldBe("Namespace");
        ((string)ns["metadata"]!["name"]!).ShouldBe("openshift-cluster-api-guests");

        var cluster = files.Yaml("cluster-api/01_capi-cluster-0.yaml");
        var infraId = (string)cluster["metadata"]!["name"]!;
        ((string)cluster["apiVersion"]!).ShouldBe("cluster.x-k8s.io/v1beta1");
        ((long)cluster["spec"]!["clusterNetwork"]!["apiServerPort"]!).ShouldBe(6443);
        ((string)cluster["spec"]!["infrastructureRef"]!["kind"]!).ShouldBe("OpenStackCluster");
        ((string)cluster["spec"]!["infrastructureRef"]!["name"]!).ShouldBe(infraId);
        files.Yaml("cluster-api/02_infra-cluster.yaml")["metadata"]!["name"]!.GetValue<string>().ShouldBe(infraId);

        var machines = files.YamlMatching(@"^cluster-api/machines/10_machine_.*\.yaml$").ToList();
        var infraMachines = files.YamlMatching(@"^cluster-api/machines/10_inframachine_.*\.yaml$").ToList();
        machines.Count.ShouldBe(infraMachines.Count);
        machines.Count.ShouldBe(11); // bootstrap + 10 masters
        foreach (var machine in machines)
        {
            var name = (string)machine["metadata"]!["name"]!;
            var spec = machine["spec"]!;
            ((string)spec["clusterName"]!).ShouldBe(infraId);
            ((string)spec["infrastructureRef"]!["kind"]!).ShouldBe("OpenStackMachine");
            ((string)spec["infrastructureRef"]!["name"]!).ShouldBe(name);
            var bootstrap = name.EndsWith("-bootstrap", StringComparison.Ordinal);
            ((string)spec["bootstrap"]!["dataSecretName"]!).ShouldBe(infraId + (bootstrap ? "-bootstrap" : "-master"));
            infraMachines.Count(m => (string)m["metadata"]!["name"]! == name).ShouldBe(1);
            // CAPO takes the server's Nova zone from the Machine's failure domain: the control-plane zones.
            ((string)spec["failureDomain"]!).ShouldBeOneOf("masterzone", "masterztwo", "masterzthree");
        }
    }

    [Fact]
    public async Task The_bootstrap_kubelet_script_is_the_installers_template_rendered()
    {
        // data/data/bootstrap/files/usr/local/bin/kubelet.sh.template: sources bootstrap-service-record.sh and passes
        // --runtime-request-timeout; --node-ip only for an IPv6-first service network or a bootstrap node IP.
        var files = await TestSupport.GenerateCaseAsync("example-dual-stack");

        var kubelet = JsonNode.Parse(files["bootstrap.ign"].ContentText)!["storage"]!["files"]!.AsArray()
            .Single(f => (string)f!["path"]! == "/usr/local/bin/kubelet.sh")!;
        var source = (string)kubelet["contents"]!["source"]!;
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(source[(source.IndexOf(',', StringComparison.Ordinal) + 1)..])).ShouldBe("""
            #!/usr/bin/env bash

            # shellcheck source=bootstrap-service-record.sh
            . /usr/local/bin/bootstrap-service-record.sh

             /usr/bin/kubelet \
                --anonymous-auth=false \
                --container-runtime-endpoint=/var/run/crio/crio.sock \
                --runtime-request-timeout="${KUBELET_RUNTIME_REQUEST_TIMEOUT}" \
                --pod-manifest-path=/etc/kubernetes/manifests \
                --minimum-container-ttl-duration=6m0s \
                --cluster-domain=cluster.local \
                --cgroup-driver=systemd \
                --serialize-image-pulls=false \
                --v=2 \
                --volume-plugin-dir=/etc/kubernetes/kubelet-plugins/volume/exec

            """);
    }

    [Fact]
    public async Task The_CAPO_credentials_secret_holds_the_clouds_yaml_entry_mode_0600()
    {
        // pkg/asset/manifests/openstack/cluster.go (GenerateClusterAssets, generateCloudConfig): the
        // <infraID>-cloud-config Secret named by every identityRef, clouds.yaml with the entry as cloud "openstack",
        // cacert pointing at CAPO's /etc/certs/cacert, and the CA bundle.
        var dir = TestSupport.NewDir(TestSupport.InstallConfigFor("example-dual-stack"));
        TestSupport.SeedState(dir, "dualstack");
        var entry = new CloudConfig
        {
            Name = "openstack",
            Auth = new CloudAuth { AuthUrl = "https://keystone.example.com:5000/v3", Username = "demo", Password = "s3cret-pa55", ProjectName = "demo", UserDomainName = "Default", ProjectDomainName = "Default" },
            RegionName = "RegionOne",
            CaCertFile = "/home/me/ca.pem",
        };
        var inputs = TestSupport.Inputs(dir, new FakeLookup()) with { CloudSettings = new LocalCloudSettings("RegionOne", "-----CA-----\n") { Entry = entry } };

        var files = (await AssetTarget.Manifests.GenerateAsync(new AssetStore(inputs))).ToDictionary(f => f.Path, StringComparer.Ordinal);

        var file = files["cluster-api/02_openstack-cloud-config.yaml"];
        file.IsSecret.ShouldBeTrue("written 0600");
        var secret = TestSupport.YamlToJson(file.ContentText)!;
        ((string)secret["kind"]!).ShouldBe("Secret");
        ((string)secret["metadata"]!["namespace"]!).ShouldBe("openshift-cluster-api-guests");
        var infraId = (string)files.Yaml("cluster-api/02_infra-cluster.yaml")["metadata"]!["name"]!;
        ((string)secret["metadata"]!["name"]!).ShouldBe(infraId + "-cloud-config");
        ((string)files.Yaml("cluster-api/02_infra-cluster.yaml")["spec"]!["identityRef"]!["name"]!).ShouldBe(infraId + "-cloud-config");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["cacert"]!)).ShouldBe("-----CA-----\n");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["clouds.yaml"]!)).ShouldBe("""
            clouds:
              openstack:
                auth:
                  auth_url: https://keystone.example.com:5000/v3
                  password: s3cret-pa55
                  project_domain_name: Default
                  project_name: demo
                  user_domain_name: Default
                  username: demo
                auth_type: password
                cacert: /etc/certs/cacert
                identity_api_version: "3"
                interface: public
                region_name: RegionOne

            """);
        // The password is nowhere else.
        files.Where(f => f.Key != file.Path).ShouldAllBe(f => !f.Value.ContentText.Contains("s3cret-pa55", StringComparison.Ordinal));

        // Without the clouds.yaml entry (offline without clouds.yaml) there is nothing to write.
        (await TestSupport.GenerateCaseAsync("example-dual-stack")).ShouldNotContainKey("cluster-api/02_openstack-cloud-config.yaml");
    }
}
