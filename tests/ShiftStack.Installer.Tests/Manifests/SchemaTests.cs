using System.Text.Json.Nodes;

namespace ShiftStack.Installer.Tests.Manifests;

/// <summary>Every generated CRD object validates against its real schema; every Ignition config against 3.2.</summary>
public class SchemaTests
{
    private static readonly string[] MustHaveCrd =
    [
        "Machine", "MachineSet", "ControlPlaneMachineSet", "Infrastructure", "Network", "FeatureGate", "MachineConfig",
        "OpenStackCluster", "OpenStackMachine",
    ];

    [Theory]
    [MemberData(nameof(TestSupport.GoldenCaseData), MemberType = typeof(TestSupport))]
    public async Task Every_generated_object_validates_against_its_CRD_schema(string caseName)
    {
        var files = await TestSupport.GenerateCaseAsync(caseName);
        var checkedKinds = new HashSet<string>();
        foreach (var (path, file) in files.Where(f => f.Key.EndsWith(".yaml", StringComparison.Ordinal) || f.Key.EndsWith(".yml", StringComparison.Ordinal)))
        {
            var obj = TestSupport.YamlToJson(file.ContentText)!;
            var kind = (string?)obj["kind"] ?? string.Empty;
            // The Cluster API core objects (cluster.x-k8s.io Cluster and Machine) have no CRD in the test data; the
            // MAPI Machine of the same kind does.
            if (MustHaveCrd.Contains(kind) && (string?)obj["apiVersion"] != "cluster.x-k8s.io/v1beta1")
            {
                SchemaValidation.HasCrd(obj).ShouldBeTrue($"{path}: no CRD for {obj["apiVersion"]}/{kind}");
            }
            if (!SchemaValidation.HasCrd(obj))
            {
                continue;
            }
            var errors = SchemaValidation.ValidateObject(obj);
            if (kind == "ControlPlaneMachineSet" && (long)obj["spec"]!["replicas"]! is not (3 or 5))
            {
                // Like openshift-install, ShiftStack writes the CPMS for any control-plane size (the manifest tests use
                // 10 masters); the CRD only accepts 3 or 5, and the file says so in a comment.
                errors.ShouldBe(["/spec/replicas: enum: Value should match one of the values specified by the enum"]);
                file.ContentText.ShouldContain("# ShiftStack: spec.replicas");
                checkedKinds.Add(kind);
                continue;
            }
            errors.ShouldBeEmpty($"{caseName}/{path}");
            checkedKinds.Add(kind);
            if (kind == "MachineConfig")
            {
                SchemaValidation.ValidateIgnition(obj["spec"]!["config"]!).ShouldBeEmpty($"{caseName}/{path} spec.config");
            }
        }
        checkedKinds.ShouldContain("Machine");
        checkedKinds.ShouldContain("ControlPlaneMachineSet");
        checkedKinds.ShouldContain("Infrastructure");
        checkedKinds.ShouldContain("OpenStackCluster");
        checkedKinds.ShouldContain("OpenStackMachine");
    }

    [Theory]
    [MemberData(nameof(TestSupport.GoldenCaseData), MemberType = typeof(TestSupport))]
    public async Task Every_Ignition_config_validates_against_the_Ignition_3_2_schema(string caseName)
    {
        var files = await TestSupport.GenerateCaseAsync(caseName);
        foreach (var name in new[] { "bootstrap.ign", "master.ign", "worker.ign" })
        {
            var config = JsonNode.Parse(files[name].ContentText)!;
            ((string?)config["ignition"]!["version"]).ShouldBe("3.2.0");
            SchemaValidation.ValidateIgnition(config).ShouldBeEmpty($"{caseName}/{name}");
        }
    }

    [Fact]
    public void The_converted_schemas_reject_what_the_API_server_would_reject()
    {
        // Given an Infrastructure with three API VIPs and an unknown field
        var bad = JsonNode.Parse("""
            {"apiVersion":"config.openshift.io/v1","kind":"Infrastructure","metadata":{"name":"cluster"},
             "spec":{"platformSpec":{"type":"OpenStack","openstack":{"apiServerInternalIPs":["10.0.0.5","10.0.0.6","fd00::5"],"bogus":1}}}}
            """)!;

        // Then validation reports it
        SchemaValidation.ValidateObject(bad).ShouldNotBeEmpty();

        // And an Ignition config with a wrongly typed mode is rejected
        SchemaValidation.ValidateIgnition(JsonNode.Parse("""{"ignition":{"version":"3.2.0"},"storage":{"files":[{"path":"/x","mode":"0644"}]}}""")!)
            .ShouldNotBeEmpty();
    }
}
