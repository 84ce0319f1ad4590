using ShiftStack.InstallConfig.Processing;
using ShiftStack.InstallConfig.Validation;
using static ShiftStack.InstallConfig.Tests.TestConfigs;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>Rules the defaults make unreachable through the processor, checked on the validator alone.</summary>
public class ValidatorDirectTests
{
    private static List<string> Validate(InstallConfiguration c) =>
        InstallConfigValidator.Validate(c, []).Select(e => e.ToString()).ToList();

    /// <summary>The single-stack config after defaults, so only the mutated field is wrong.</summary>
    private static InstallConfiguration Defaulted() => Defaults.Apply(SingleStack(), NoEnvironment, out _);

    [Fact]
    public void Rejects_an_empty_networkType()
    {
        Validate(Defaulted().WithNetworking(n => n with { NetworkType = "" }))
            .ShouldBe(["networking.networkType: Required value: network provider type required"]);
    }

    [Fact]
    public void Rejects_empty_network_lists()
    {
        var c = Defaulted().WithNetworking(_ => new NetworkingConfig { NetworkType = "OVNKubernetes" })
            .WithOpenStack(o => o with { LoadBalancer = new() { Type = "UserManaged" } });

        Validate(c).ShouldBe([
            "networking.machineNetwork: Required value: at least one machine network is required",
            "networking.serviceNetwork: Required value: a service network is required",
            "networking.clusterNetwork: Required value: cluster network required",
        ]);
    }

    [Fact]
    public void Rejects_a_missing_networking_section()
    {
        Validate(SingleStack() with { Networking = null }).ShouldContain("networking: Required value: networking is required");
    }

    [Fact]
    public void Rejects_missing_replicas()
    {
        Validate(Defaulted() with { Compute = [new() { Name = "worker", Architecture = "amd64" }] })
            .ShouldBe([
                "compute[0].replicas: Required value: replicas is required",
                "compute[0].hyperthreading: Unsupported value: \"\": supported values: \"Disabled\", \"Enabled\"",
            ]);
    }

    [Fact]
    public void Validator_never_throws_on_an_empty_config()
    {
        var errors = InstallConfigValidator.Validate(new InstallConfiguration(), []);

        errors.ShouldHaveSingleItem().ToString().ShouldBe("apiVersion: Required value: install-config version required");
        InstallConfigProcessor.Process(new InstallConfiguration(), NoEnvironment).Errors.ShouldHaveSingleItem();
    }

    [Fact]
    public void Processes_an_almost_empty_v1_config_and_reports_everything_at_once()
    {
        var result = InstallConfigProcessor.Process(new InstallConfiguration { ApiVersion = "v1" }, NoEnvironment);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "metadata.name: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "baseDomain: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "platform: Invalid value: \"\": must specify one of the platforms (aws, azure, baremetal, external, gcp, ibmcloud, none, nutanix, openstack, ovirt, powervs, vsphere)",
            "pullSecret: Invalid value: \"\": unexpected end of JSON input",
        ]);
    }
}
