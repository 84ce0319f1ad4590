using System.Text.Json;

namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>
/// <c>shiftstack validate</c> end to end against the local cloud: the built CLI runs as its own process with
/// <c>OS_CLIENT_CONFIG_FILE</c> pointing at the local clouds.yaml, so exit codes and output are what a user sees.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ValidateCliTests(LocalCloud cloud, SharedDualStack shared) : IAsyncLifetime, IClassFixture<SharedDualStack>
{
    // Every test here only reads the class's network.
    private readonly PreflightScenario _r = shared.Scenario;
    private readonly List<string> _files = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    private Task<CliRun> ShiftStackAsync(string cloudsYaml, params string[] args) => CliProcess.RunAsync(cloud.RepoRoot, cloudsYaml, null, args);

    [Fact]
    public async Task A_valid_dual_stack_config_exits_0_after_the_cloud_checks()
    {
        var net = shared.Net;
        var dir = _r.WriteDir(_r.InstallConfig(net));

        var text = await ShiftStackAsync(cloud.CloudsYamlPath, "validate", "--dir", dir);
        var json = await ShiftStackAsync(cloud.CloudsYamlPath, "validate", "--dir", dir, "-o", "json");

        text.ExitCode.ShouldBe(0, text.Out + text.Error);
        text.Out.Trim().ShouldEndWith($"{Path.Combine(dir, "install-config.yaml")}: valid (static and cloud checks against cloud 'local')");
        json.ExitCode.ShouldBe(0, json.Out + json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeTrue();
        doc.RootElement.GetProperty("cloudChecked").GetBoolean().ShouldBeTrue();
        doc.RootElement.GetProperty("cloud").GetString().ShouldBe("local");
    }

    [Fact]
    public async Task A_missing_VIP_port_exits_2_with_the_error_located_in_the_file()
    {
        var net = shared.Net;
        var dir = _r.WriteDir(_r.InstallConfig(net, apiVips: ["10.0.250.250", "2001:db8:2222:5555:f816:3eff:fe00:dead"],
            ingressVips: ["10.0.250.251", "2001:db8:2222:5555:f816:3eff:fe00:beef"]));

        var json = await ShiftStackAsync(cloud.CloudsYamlPath, "validate", "--dir", dir, "-o", "json");

        json.ExitCode.ShouldBe(2, json.Out + json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("cloudChecked").GetBoolean().ShouldBeTrue();
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("field").GetString()).ShouldBe(["platform.openstack.apiVIPs", "platform.openstack.ingressVIPs"]);
        errors[0].GetProperty("type").GetString().ShouldBe("Invalid");
        errors[0].GetProperty("detail").GetString()!.ShouldContain($"openstack port create --network {net.Network.Id}");
        errors[0].GetProperty("line").GetInt32().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Static_errors_stop_before_the_cloud_and_say_so()
    {
        var net = shared.Net;
        var dir = _r.WriteDir(_r.InstallConfig(net, apiVips: ["10.9.0.5", "2001:db8:2222:5555::5"], ingressVips: ["10.0.0.7", "2001:db8:2222:5555::7"]));

        var text = await ShiftStackAsync(cloud.CloudsYamlPath, "validate", "--dir", dir);
        var json = await ShiftStackAsync("/nonexistent/clouds.yaml", "validate", "--dir", dir, "-o", "json");

        text.ExitCode.ShouldBe(2);
        text.Out.ShouldContain("IP expected to be in one of the machine networks");
        text.Out.ShouldContain("cloud checks not run: fix the errors above first (openshift-install also stops after static validation errors)");
        json.ExitCode.ShouldBe(2); // no clouds.yaml needed: the cloud is never asked
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("cloudChecked").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Refused_credentials_exit_3_naming_cloud_and_auth_URL_without_the_password()
    {
        var net = shared.Net;
        const string wrong = "pf-cli-wrong-password-31f9";
        var auth = cloud.Cloud().Auth;
        var clouds = Path.Combine(Path.GetTempPath(), $"shiftstack-{_r.ClusterName}-clouds.yaml");
        _files.Add(clouds);
        await File.WriteAllTextAsync(clouds, $"""
            clouds:
              pf-bad:
                auth:
                  auth_url: {auth.AuthUrl}
                  username: {auth.Username}
                  password: {wrong}
                  project_name: {auth.ProjectName}
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
            """);
        var dir = _r.WriteDir(_r.InstallConfig(net));

        var text = await ShiftStackAsync(clouds, "validate", "--dir", dir, "--cloud", "pf-bad");
        var json = await ShiftStackAsync(clouds, "validate", "--dir", dir, "--cloud", "pf-bad", "-o", "json");

        text.ExitCode.ShouldBe(3, text.Out + text.Error);
        // The cloud step's progress lines (standard error is not a terminal here) say it failed, then the error.
        text.Error.ShouldContain("] FAIL  pre-flight with cloud pf-bad: ");
        WithoutProgress(text.Error).ShouldStartWith($"shiftstack: cannot run the cloud checks against cloud 'pf-bad' (auth URL {auth.AuthUrl}): ");
        text.Error.ShouldContain("401");
        json.ExitCode.ShouldBe(3);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("cloudChecked").GetBoolean().ShouldBeFalse();
        doc.RootElement.GetProperty("cloudError").GetString()!.ShouldStartWith("cloud 'pf-bad' (auth URL ");
        (text.Out + text.Error + json.Out + json.Error).ShouldNotContain(wrong);
    }

    [Fact]
    public async Task An_unreachable_cloud_exits_3()
    {
        var net = shared.Net;
        var clouds = Path.Combine(Path.GetTempPath(), $"shiftstack-{_r.ClusterName}-down.yaml");
        _files.Add(clouds);
        await File.WriteAllTextAsync(clouds, """
            clouds:
              pf-down:
                auth:
                  auth_url: http://127.0.0.1:9/v3
                  username: nobody
                  password: nothing-to-see
                  project_name: none
            """);
        var dir = _r.WriteDir(_r.InstallConfig(net, apiVips: ["10.0.0.5", "2001:db8:2222:5555::5"], ingressVips: ["10.0.0.7", "2001:db8:2222:5555::7"]));

        var run = await ShiftStackAsync(clouds, "validate", "--dir", dir, "--cloud", "pf-down");

        run.ExitCode.ShouldBe(3, run.Out + run.Error);
        // While the cloud refuses connections the client retries; a retry window longer than a moment is said
        // ("waiting for Keystone ...") before the error, on a loaded machine as well as on a quick one.
        run.Error.ShouldContain("] FAIL  pre-flight with cloud pf-down: ");
        var lines = WithoutProgress(run.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[..^1].ShouldAllBe(line => line.StartsWith("shiftstack: waiting for Keystone (identity) at http://127.0.0.1:9 "), run.Error);
        lines[^1].ShouldStartWith("shiftstack: cannot run the cloud checks against cloud 'pf-down' (auth URL http://127.0.0.1:9/v3): ");
        lines[^1].ShouldContain("ConnectionFailed");
        run.Error.ShouldNotContain("nothing-to-see");
    }

    /// <summary>Standard error without the cloud step's progress lines (<c>[  0.4s] start …</c>).</summary>
    private static string WithoutProgress(string error) =>
        string.Join('\n', error.Split('\n').Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[ *\d+\.\ds\] ")));
}
