namespace ShiftStack.InstallConfig.Tests;

public class SampleConfigTests
{
    public static TheoryData<string> ManifestTests()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestConfigs.SampleDir, "manifest-test-*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    private static LoadResult Load(string file)
    {
        var text = TestConfigs.FillPlaceholders(File.ReadAllText(Path.Combine(TestConfigs.SampleDir, file)));
        return InstallConfigLoader.LoadText(text, file);
    }

    [Theory]
    [MemberData(nameof(ManifestTests))]
    public void Manifest_test_sample_loads_and_validates_without_error(string file)
    {
        // Given a manifest-test install-config with its placeholders filled
        var load = Load(file);

        // Then it loads (warnings allowed) and validates
        load.Errors.ShouldBeEmpty();
        load.Config.ShouldNotBeNull();
        var result = InstallConfigProcessor.Process(load.Config!, TestConfigs.NoEnvironment);
        result.Errors.Select(e => e.ToString()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("manifest-test-bgp.yaml", "platform.openstack.controlPlaneLoadBalancer", 30)]
    [InlineData("manifest-test-bootstrap-flavor.yaml", "platform.openstack.bootstrapFlavor", 32)]
    public void Fields_newer_than_HEAD_are_reported_as_unknown(string file, string path, int line)
    {
        var load = Load(file);

        var warning = load.Warnings.ShouldHaveSingleItem();
        warning.Path!.ToString().ShouldBe(path);
        warning.Position!.Line.ShouldBe(line);
        warning.Message.ShouldStartWith("unknown field");
    }

    [Fact]
    public void Dual_stack_manifest_test_keeps_user_order_of_subnets_and_VIPs()
    {
        var load = Load("manifest-test-dual-stack.yaml");
        var result = InstallConfigProcessor.Process(load.Config!, TestConfigs.NoEnvironment);

        var os = result.Config.Platform.OpenStack!;
        os.ApiVips.ShouldBe(["192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36"]);
        os.ControlPlanePort!.FixedIPs.Select(f => f.Subnet.Name).ShouldBe(["external-subnet-v6", "external-subnet"]);
        os.DefaultMachinePlatform!.FlavorName.ShouldBe("m1.xlarge");
        result.Config.FeatureSet.ShouldBe("TechPreviewNoUpgrade");
    }

    [Fact]
    public void Documented_dual_stack_sample_only_lacks_the_pull_secret()
    {
        // Given the YAML block of deploy_dual_stack_cluster.md, which leaves out pullSecret
        var text = File.ReadAllText(Path.Combine(TestConfigs.SampleDir, "deploy_dual_stack_cluster.yaml"));
        var load = InstallConfigLoader.LoadText(text, "deploy_dual_stack_cluster.yaml");
        load.Diagnostics.ShouldBeEmpty();

        // When it is processed as is, the only error is the missing pull secret
        var result = InstallConfigProcessor.Process(load.Config!, TestConfigs.NoEnvironment);
        result.Errors.Select(e => e.ToString()).ShouldBe(["pullSecret: Invalid value: \"\": unexpected end of JSON input"]);

        // And with a pull secret it is valid
        var withSecret = InstallConfigLoader.LoadText(text + "pullSecret: '" + TestConfigs.PullSecretJson + "'\n", "x.yaml");
        InstallConfigProcessor.Process(withSecret.Config!, TestConfigs.NoEnvironment).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validation_errors_point_at_the_line_of_the_offending_field()
    {
        // Given the documented sample with an IPv6 API VIP outside the machine networks
        var text = File.ReadAllText(Path.Combine(TestConfigs.SampleDir, "deploy_dual_stack_cluster.yaml"))
            .Replace("fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", "fd00::1", StringComparison.Ordinal)
            + "pullSecret: '" + TestConfigs.PullSecretJson + "'\n";
        var load = InstallConfigLoader.LoadText(text, "install-config.yaml");

        // When it is processed and the errors are located
        var errors = load.Source.Locate(InstallConfigProcessor.Process(load.Config!, TestConfigs.NoEnvironment).Errors);

        // Then the error names the field and its line
        var error = errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("platform.openstack.apiVIPs: Invalid value: \"fd00::1\": IP expected to be in one of the machine networks: 192.168.25.0/24,fd2e:6f44:5dd8:c956::/64");
        error.Position!.ToString().ShouldBe("install-config.yaml:32:5");
    }

    [Fact]
    public void Base_case_gets_the_reference_defaults()
    {
        var load = Load("manifest-test-base-case.yaml");
        var result = InstallConfigProcessor.Process(load.Config!, TestConfigs.NoEnvironment);

        var os = result.Config.Platform.OpenStack!;
        os.ApiFloatingIP.ShouldBe("203.0.113.10");
        os.ApiVips.ShouldBe(["10.0.128.5"]);
        os.IngressVips.ShouldBe(["10.0.128.7"]);
        os.LoadBalancer!.Type.ShouldBe("OpenShiftManagedDefault");
        result.Config.Publish.ShouldBe("External");
        result.Config.Compute.Single().Hyperthreading.ShouldBe("Enabled");
    }
}
