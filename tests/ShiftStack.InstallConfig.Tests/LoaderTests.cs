using System.Text;

namespace ShiftStack.InstallConfig.Tests;

public class LoaderTests
{
    private const string Minimal = """
        apiVersion: v1
        baseDomain: example.com
        metadata:
          name: c1
        platform:
          openstack:
            cloud: mycloud
        pullSecret: '{"auths":{"q.io":{"auth":"eA=="}}}'
        """;

    private static LoadResult Load(string yaml) => InstallConfigLoader.LoadText(yaml, "install-config.yaml");

    [Fact]
    public void Loads_a_minimal_config()
    {
        var result = Load(Minimal);

        result.Succeeded.ShouldBeTrue();
        result.Diagnostics.ShouldBeEmpty();
        result.Config!.Platform.OpenStack!.Cloud.ShouldBe("mycloud");
        result.Config.Metadata.Name.ShouldBe("c1");
    }

    [Fact]
    public void Records_the_position_of_every_field_by_path()
    {
        var yaml = """
            apiVersion: v1
            platform:
              openstack:
                controlPlanePort:
                  fixedIPs:
                  - subnet:
                      name: a
                  - subnet:
                      id: 0a0f0e0d-1111-4222-8333-444455556666
            """;
        var result = Load(yaml);

        var pos = result.Source.Get(Validation.FieldPath.Root("platform", "openstack", "controlPlanePort", "fixedIPs").Index(1).Child("subnet"))!;
        pos.Line.ShouldBe(8);
        pos.Column.ShouldBe(9);
        pos.FileName.ShouldBe("install-config.yaml");
        result.Source.Get(Validation.FieldPath.Root("platform", "openstack", "controlPlanePort", "fixedIPs").Index(1))!.Line.ShouldBe(8);
    }

    [Fact]
    public void Find_resolves_a_missing_path_to_its_closest_existing_parent()
    {
        var result = Load(Minimal);

        var pos = result.Source.Find(Validation.FieldPath.Root("platform", "openstack", "apiVIPs").Index(0))!;
        pos.Line.ShouldBe(6); // "openstack:"
        result.Source.Find(Validation.FieldPath.Root("networking", "machineNetwork"))!.Line.ShouldBe(1); // the document
    }

    [Fact]
    public void Warns_about_each_unknown_field_with_path_and_line_and_still_loads()
    {
        var result = Load(Minimal + "\nfoo: 1\nnetworking:\n  bar: x\n");

        result.Succeeded.ShouldBeTrue();
        result.Warnings.Select(d => d.ToString()).ShouldBe([
            "install-config.yaml:9:1: warning: foo: unknown field \"foo\" (ignored)",
            "install-config.yaml:11:3: warning: networking.bar: unknown field \"bar\" (ignored)",
        ]);
    }

    [Fact]
    public void Rejects_duplicate_keys_with_both_positions()
    {
        var result = Load("apiVersion: v1\nmetadata:\n  name: a\n  name: b\n");

        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("install-config.yaml:4:3: error: metadata.name: duplicate key \"name\" (first defined at line 3, column 3)");
    }

    [Theory]
    [InlineData("controlPlane:\n  replicas: abc\n", "install-config.yaml:2:13: error: controlPlane.replicas: expected an integer, got a string")]
    [InlineData("controlPlane:\n  replicas: \"3\"\n", "install-config.yaml:2:13: error: controlPlane.replicas: expected an integer, got a string")]
    [InlineData("baseDomain:\n  a: b\n", "install-config.yaml:2:3: error: baseDomain: expected a string, got a mapping")]
    [InlineData("metadata:\n  name: 123\n", "install-config.yaml:2:9: error: metadata.name: expected a string, got a number (quote the value to make it a string)")]
    [InlineData("platform:\n  openstack:\n    apiVIPs: 10.0.0.5\n", "install-config.yaml:3:14: error: platform.openstack.apiVIPs: expected a list, got a string")]
    [InlineData("platform:\n  openstack:\n    apiVIPs: [10.0.0.5, {a: b}]\n", "install-config.yaml:3:25: error: platform.openstack.apiVIPs[1]: expected a string, got a mapping")]
    [InlineData("fips: maybe\n", "install-config.yaml:1:7: error: fips: expected a boolean, got a string")]
    [InlineData("networking:\n  clusterNetwork:\n  - cidr: 10.128.0.0/14\n    hostPrefix: 99999999999\n", "install-config.yaml:4:17: error: networking.clusterNetwork[0].hostPrefix: integer 99999999999 is out of range [-2147483648, 2147483647]")]
    public void Rejects_wrong_types_with_file_line_column_and_path(string yaml, string expected)
    {
        var result = Load(yaml);

        result.Errors.Select(e => e.ToString()).ShouldBe([expected]);
    }

    [Fact]
    public void Reports_malformed_YAML_with_position_and_without_throwing()
    {
        var result = Load("apiVersion: v1\nmetadata:\n  name: [a, b\n");

        result.Config.ShouldBeNull();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith("invalid YAML: ");
        error.Position!.Line.ShouldBeGreaterThan(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n# just a comment\n")]
    [InlineData("---\n...\n")]
    public void Refuses_an_empty_file(string yaml)
    {
        var result = Load(yaml);

        result.Config.ShouldBeNull();
        result.Errors.ShouldHaveSingleItem().Message.ShouldBe("the install-config is empty");
    }

    [Theory]
    [InlineData("- a\n- b\n", "a list")]
    [InlineData("hello\n", "a scalar")]
    public void Refuses_a_document_that_is_not_a_mapping(string yaml, string kind)
    {
        var result = Load(yaml);

        result.Errors.ShouldHaveSingleItem().Message.ShouldBe($"the install-config must be a YAML mapping, got {kind}");
    }

    [Fact]
    public void Refuses_multiple_documents()
    {
        var result = Load("apiVersion: v1\n---\napiVersion: v1\n");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("more than one YAML document");
        error.Position!.Line.ShouldBe(2);
    }

    [Fact]
    public void Refuses_ten_thousand_levels_of_nesting_without_crashing()
    {
        var deepFlow = new string('[', 10_000) + new string(']', 10_000);
        var deepBlock = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            deepBlock.Append("- ");
        }
        deepBlock.Append("x\n");

        foreach (var yaml in new[] { "x: " + deepFlow, deepBlock.ToString() })
        {
            var result = Load(yaml);

            result.Config.ShouldBeNull();
            result.Errors.ShouldHaveSingleItem().Message.ShouldBe("nesting deeper than 64 levels is not allowed");
        }
    }

    [Fact]
    public void Accepts_nesting_up_to_the_limit()
    {
        var yaml = "x: " + new string('[', 63) + new string(']', 63);

        var result = Load(yaml);

        result.Errors.ShouldBeEmpty();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldBe("unknown field \"x\" (ignored)");
    }

    [Fact]
    public void Refuses_an_alias_bomb()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 12; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var result = Load(sb.ToString());

        result.Config.ShouldBeNull();
        result.Errors.ShouldHaveSingleItem().Message.ShouldContain("expands to more than 1000000 nodes");
    }

    [Fact]
    public void Resolves_ordinary_anchors_aliases_and_merge_keys()
    {
        var yaml = """
            apiVersion: v1
            compute:
            - &pool
              name: worker
              replicas: 2
            controlPlane:
              <<: *pool
              name: master
            """;

        var result = Load(yaml);

        result.Diagnostics.ShouldBeEmpty();
        result.Config!.ControlPlane!.Name.ShouldBe("master");
        result.Config.ControlPlane.Replicas.ShouldBe(2);
    }

    [Fact]
    public void Refuses_an_unknown_alias()
    {
        var result = Load("a: *nope\n");

        result.Errors.ShouldHaveSingleItem().Message.ShouldContain("nope");
    }

    [Fact]
    public void Refuses_files_larger_than_10_MB_before_reading_them()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shiftstack-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var fs = new FileStream(path, FileMode.CreateNew))
            {
                fs.SetLength(InstallConfigLoader.MaxFileBytes + 1); // sparse: nothing is written
            }

            var result = InstallConfigLoader.LoadFile(path);

            result.Config.ShouldBeNull();
            result.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("file is too large (10485761 bytes)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reports_a_missing_file()
    {
        var result = InstallConfigLoader.LoadFile("/nonexistent/install-config.yaml");

        result.Errors.ShouldHaveSingleItem().Message.ShouldBe("file not found: /nonexistent/install-config.yaml");
    }

    [Fact]
    public void LoadFile_reads_a_real_file()
    {
        var path = Path.Combine(TestConfigs.SampleDir, "deploy_dual_stack_cluster.yaml");

        var result = InstallConfigLoader.LoadFile(path);

        result.Succeeded.ShouldBeTrue();
        result.Source.FileName.ShouldBe(path);
        result.Config!.Platform.OpenStack!.ApiVips.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("fips: yes\n", true)]
    [InlineData("fips: on\n", true)]
    [InlineData("fips: false\n", false)]
    public void Reads_YAML_1_1_booleans_as_the_reference_does(string yaml, bool expected)
    {
        Load(yaml).Config!.Fips.ShouldBe(expected);
    }

    [Fact]
    public void Ignores_a_byte_order_mark()
    {
        Load("\uFEFF" + Minimal).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Keeps_values_as_written_so_validation_sees_bad_ones()
    {
        var result = Load("platform:\n  openstack:\n    apiVIPs: ['not-an-ip', '010.0.0.1']\n");

        result.Config!.Platform.OpenStack!.ApiVips.ShouldBe(["not-an-ip", "010.0.0.1"]);
    }

    [Fact]
    public void Warns_that_unsupported_known_fields_are_ignored()
    {
        var result = Load("controlPlane:\n  diskSetup: []\n");

        result.Warnings.ShouldHaveSingleItem().Message.ShouldBe("field \"diskSetup\" is not used by ShiftStack and is ignored");
    }

    [Fact]
    public void Reads_the_arbiter_pool_so_that_validation_judges_it()
    {
        var result = Load("arbiter:\n  name: arbiter\n  replicas: 1\n");

        result.Warnings.ShouldBeEmpty();
        result.Config!.Arbiter.ShouldBe(new MachinePool { Name = "arbiter", Replicas = 1 });
    }

    [Fact]
    public void Says_where_bootstrapInPlace_is_and_that_an_OpenStack_install_ignores_it()
    {
        // openshift-install's ValidateInstallConfig does not look at bootstrapInPlace (pkg/types/validation/
        // installconfig.go); only its single-node bootstrap-in-place Ignition asset reads it.
        var result = Load("apiVersion: v1\nbootstrapInPlace:\n  installationDisk: /dev/sda\n");

        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.Path!.ToString().ShouldBe("bootstrapInPlace");
        warning.Position!.Line.ShouldBe(2);
        warning.Message.ShouldBe("bootstrapInPlace is used only for single-node bootstrap-in-place Ignition (openshift-install " +
            "create single-node-ignition-config); an OpenStack install ignores it: remove it");
        result.Config!.BootstrapInPlace.ShouldBe(new BootstrapInPlace { InstallationDisk = "/dev/sda" });
    }

    [Fact]
    public void Reads_operatorPublishingStrategy_so_that_validation_judges_it()
    {
        var result = Load("operatorPublishingStrategy:\n  apiserver: Internal\n  ingress: External\n");

        result.Warnings.ShouldBeEmpty();
        result.Config!.OperatorPublishingStrategy.ShouldBe(new OperatorPublishingStrategy { ApiServer = "Internal", Ingress = "External" });
    }
}
