using System.Text;
using System.Text.Json;

namespace ShiftStack.Cli.Tests;

public class ValidateCommandTests
{
    private static string Example(string name) => Path.Combine(CliRunner.RepoRoot, "examples", name);

    [Theory]
    [InlineData("dual-stack")]
    [InlineData("dual-stack-ipv6-primary")]
    [InlineData("single-stack")]
    public async Task Every_example_is_valid_offline(string example)
    {
        var result = await CliRunner.RunAsync("validate", "--dir", Example(example), "--offline");

        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        result.Out.ShouldContain("valid");
        result.Out.ShouldNotContain("error");
    }

    [Fact]
    public async Task Json_output_of_a_valid_example_says_valid_true_with_empty_lists()
    {
        var result = await CliRunner.RunAsync("validate", "--dir", Example("dual-stack"), "--offline", "--output", "json");

        result.ExitCode.ShouldBe(0);
        using var doc = JsonDocument.Parse(result.Out);
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeTrue();
        doc.RootElement.GetProperty("errors").GetArrayLength().ShouldBe(0);
        doc.RootElement.GetProperty("warnings").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Invalid_config_lists_every_error_with_field_type_value_and_line_and_exits_2()
    {
        using var dir = new TempDir();
        var text = File.ReadAllText(Path.Combine(Example("dual-stack"), "install-config.yaml"))
            .Replace("- 192.168.25.199", "- 192.168.99.199", StringComparison.Ordinal)
            .Replace("- 192.168.25.79", "- 192.168.25.199", StringComparison.Ordinal);
        dir.Write(text);

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline", "-o", "json");

        result.ExitCode.ShouldBe(2);
        using var doc = JsonDocument.Parse(result.Out);
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().ToList();
        var outside = errors.Single(e => e.GetProperty("detail").GetString()!.StartsWith("IP expected to be in one of the machine networks", StringComparison.Ordinal));
        outside.GetProperty("field").GetString().ShouldBe("platform.openstack.apiVIPs");
        outside.GetProperty("type").GetString().ShouldBe("Invalid");
        outside.GetProperty("value").GetString().ShouldBe("192.168.99.199");
        outside.GetProperty("line").GetInt32().ShouldBeGreaterThan(1);
        outside.GetProperty("message").GetString().ShouldBe(
            "platform.openstack.apiVIPs: Invalid value: \"192.168.99.199\": IP expected to be in one of the machine networks: 192.168.25.0/24,fd2e:6f44:5dd8:c956::/64");
    }

    [Fact]
    public async Task Text_output_points_at_file_line_and_column()
    {
        using var dir = new TempDir();
        var file = dir.Write("""
            apiVersion: v1
            baseDomain: example.com
            metadata:
              name: c
            networking:
              networkType: OpenShiftSDN
            platform:
              openstack:
                apiVIPs: [10.0.0.5]
                ingressVIPs: [10.0.0.7]
            pullSecret: '{"auths":{}}'
            """);

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain($"{file}:6:3: error: networking.networkType: Invalid value: \"OpenShiftSDN\": networkType OpenShiftSDN is not supported, please use OVNKubernetes");
    }

    [Fact]
    public async Task Missing_directory_is_a_clear_message_and_exit_2()
    {
        var result = await CliRunner.RunAsync("validate", "--dir", "/nonexistent/shiftstack", "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain("directory not found: /nonexistent/shiftstack");
    }

    [Fact]
    public async Task Missing_install_config_is_a_clear_message_and_exit_2()
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain("install-config.yaml not found");
    }

    [Fact]
    public async Task Empty_file_is_refused_with_exit_2()
    {
        using var dir = new TempDir();
        dir.Write(string.Empty);

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain("empty");
    }

    [Fact]
    public async Task A_10_MB_file_is_refused_without_reading_it_all()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "install-config.yaml");
        using (var stream = File.Create(file))
        {
            stream.SetLength(10L * 1024 * 1024 + 1);
        }

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain("too large");
    }

    [Fact]
    public async Task Ten_thousand_deep_nesting_is_refused_without_a_crash()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("apiVersion: v1\nmetadata: ");
        sb.Append('[', 10_000).Append(']', 10_000).Append('\n');
        dir.Write(sb.ToString());

        var result = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldContain("nest");
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_with_exit_2()
    {
        var result = await CliRunner.RunAsync("validate", "--bogus");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--bogus");
    }

    [Fact]
    public async Task Bad_output_format_is_a_usage_error_with_exit_2()
    {
        var result = await CliRunner.RunAsync("validate", "--output", "xml");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--output must be text or json");
    }

    [Fact]
    public async Task The_pull_secret_never_appears_in_the_output()
    {
        using var dir = new TempDir();
        const string secret = "c2VjcmV0LXB1bGwtc2VjcmV0LXZhbHVl";
        dir.Write($$$"""
            apiVersion: v1
            baseDomain: example.com
            metadata:
              name: c
            pullSecret: '{"auths":{"r.example.com":{"auth":"{{{secret}}}"}}'
            platform:
              openstack:
                apiVIPs: [10.9.0.5]
                ingressVIPs: [10.0.0.7]
            """);

        var text = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline");
        var json = await CliRunner.RunAsync("validate", "--dir", dir.Path, "--offline", "-o", "json");

        text.ExitCode.ShouldBe(2);
        (text.Out + text.Error + json.Out + json.Error).ShouldNotContain(secret);
    }
}
