using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// An unreachable cloud is never a silent wait (issue: 119 s on a refused port, 244 s on a silent endpoint, no output):
/// the CLI, as a process against loopback stand-ins, says on standard error what it waits for, where, why and how
/// long it keeps trying; <c>--timeout</c> ends the wait with exit 3; Ctrl+C ends it with one "cancelled" line and exit
/// 130; <c>--log-level debug</c> shows every request without the password.
/// </summary>
public sealed class WaitTests : IDisposable
{
    private const string Cloud = "shiftstack-wait-test";
    private const string Password = "wait-test-password-4f1c9e";

    private readonly TempDir _dir = TempDir.WithDualStackExample();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Environment(LoopbackCloud cloud) => new()
    {
        ["OS_CLIENT_CONFIG_FILE"] = cloud.WriteCloudsYaml(_dir.Path, Cloud, Password),
        ["HOME"] = _dir.Path,
    };

    [Fact]
    public async Task A_refused_port_is_said_with_where_why_and_how_long_and_the_timeout_ends_it_with_exit_3()
    {
        using var cloud = LoopbackCloud.Refused();
        var clock = Stopwatch.StartNew();
        using var run = CliProcess.Start(Environment(cloud), "validate", "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "6s");

        var code = await run.ExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(3, run.Error);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        var wait = run.Error.Split('\n').First(l => l.StartsWith("shiftstack: waiting for", StringComparison.Ordinal));
        wait.ShouldContain($"Keystone (identity) at http://127.0.0.1:{cloud.Port}");
        wait.ShouldContain("POST /v3/auth/tokens");
        wait.ShouldContain("connection refused");
        wait.ShouldContain("while it is down");
        wait.ShouldContain("--timeout 6s ends the command in");
        run.Error.ShouldContain("shiftstack: validate gave up after 6s (--timeout): still waiting for Keystone (identity)");
        run.Error.ShouldNotContain(Password);
        run.Error.ShouldNotContain("   at ");
        run.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_listener_that_never_answers_is_said_after_two_seconds_and_with_json_stdout_stays_one_document()
    {
        using var cloud = LoopbackCloud.Silent();
        using var run = CliProcess.Start(Environment(cloud), "addresses", "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "5s", "-o", "json");

        var code = await run.ExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(3, run.Error);
        // The notice is due after 2 s; on a loaded machine the timer may fire later and the line says so, with the
        // rest of the attempt's 60 s to match.
        var notice = Regex.Match(
            run.Error,
            $@"shiftstack: waiting for Keystone \(identity\) at http://127\.0\.0\.1:{cloud.Port} \(POST /v3/auth/tokens\): no answer after (\d+) s; this attempt gives up in (\d+)s \(attempt 1 of 4\)");
        notice.Success.ShouldBeTrue(run.Error);
        var waited = int.Parse(notice.Groups[1].Value, CultureInfo.InvariantCulture);
        waited.ShouldBeInRange(2, 5, run.Error);
        (waited + int.Parse(notice.Groups[2].Value, CultureInfo.InvariantCulture)).ShouldBeInRange(59, 61, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var error = doc.RootElement.GetProperty("error");
        error.GetProperty("exitCode").GetInt32().ShouldBe(3);
        error.GetProperty("kind").GetString().ShouldBe("timeout");
        error.GetProperty("message").GetString()!.ShouldContain("gave up after 5s");
    }

    [Theory]
    [InlineData("text", "validate", "pre-flight with cloud " + Cloud + ": Keystone, then the Neutron look-ups")]
    [InlineData("json", "validate", "pre-flight with cloud " + Cloud + ": Keystone, then the Neutron look-ups")]
    [InlineData("json", "addresses", "looking up the VIP ports and their subnets with cloud " + Cloud)]
    [InlineData("text", "convert", "looking up the cluster's ports, security groups and subnets with cloud " + Cloud)]
    public async Task The_cloud_step_is_shown_on_standard_error_as_create_cluster_shows_its_steps(string output, string command, string step)
    {
        using var cloud = LoopbackCloud.Refused();
        string[] convert = command == "convert" ? ["--to", "single-stack"] : [];
        if (command == "convert")
        {
            // convert works on a cluster: its identity comes from create manifests.
            (await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);
        }

        using var run = CliProcess.Start(Environment(cloud), [command, "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "3s", "-o", output, .. convert]);

        var code = await run.ExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(3, run.Error);
        var lines = run.Error.Split('\n');
        // PlainProgress's line (standard error is not a terminal here), before the first wait line.
        var start = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^\[ +\d+\.\ds\] start " + Regex.Escape(step)));
        start.ShouldBeGreaterThanOrEqualTo(0, run.Error);
        var wait = Array.FindIndex(lines, l => l.StartsWith("shiftstack: waiting for", StringComparison.Ordinal));
        (wait < 0 || start < wait).ShouldBeTrue(run.Error); // on a loaded machine the 3 s may end before a wait is said
        run.Error.ShouldNotContain("] done ");
        if (output == "json")
        {
            using var doc = JsonDocument.Parse(run.Out);
            doc.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().ShouldBe(3);
        }
        else
        {
            run.Out.ShouldNotContain("start ");
        }
    }

    [Fact]
    public async Task The_cloud_step_is_not_shown_below_info()
    {
        using var cloud = LoopbackCloud.Refused();
        using var run = CliProcess.Start(Environment(cloud), "validate", "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "3s", "--log-level", "warn");

        (await run.ExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(3, run.Error);

        run.Error.ShouldNotContain("] start ");
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Ctrl_C_prints_one_cancelled_line_and_exits_130(string output)
    {
        using var cloud = LoopbackCloud.Silent();
        using var run = CliProcess.Start(Environment(cloud), "create", "manifests", "--dir", _dir.Path, "--cloud", Cloud, "-o", output);
        (await run.WaitForErrorAsync("shiftstack: waiting for", TimeSpan.FromSeconds(30))).ShouldBeTrue(run.Error);

        run.Interrupt();
        var code = await run.ExitAsync(TimeSpan.FromSeconds(20));

        code.ShouldBe(130, run.Error);
        run.Error.Split('\n').Count(l => l.Contains("cancelled", StringComparison.Ordinal)).ShouldBe(1, run.Error);
        run.Error.ShouldContain("shiftstack: cancelled");
        if (output == "json")
        {
            using var doc = JsonDocument.Parse(run.Out);
            doc.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().ShouldBe(130);
        }
        else
        {
            run.Out.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Debug_level_shows_each_request_with_method_url_status_and_time_and_never_the_password()
    {
        using var cloud = LoopbackCloud.Unavailable();
        using var run = CliProcess.Start(Environment(cloud), "validate", "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "4s", "--log-level", "debug");

        var code = await run.ExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(3, run.Error);
        var requests = run.Error.Split('\n').Where(l => l.StartsWith("shiftstack: debug: POST ", StringComparison.Ordinal)).ToList();
        requests.Count.ShouldBeGreaterThan(1, run.Error);
        requests[0].ShouldMatch($@"^shiftstack: debug: POST http://127\.0\.0\.1:{cloud.Port}/v3/auth/tokens 503 \d+\.\d{{3}}s$");
        requests[1].ShouldEndWith("(attempt 2)");
        run.Error.ShouldContain("HTTP 503");
        run.Error.ShouldNotContain(Password);
    }

    [Fact]
    public async Task Error_level_says_only_the_failure()
    {
        using var cloud = LoopbackCloud.Refused();
        using var run = CliProcess.Start(Environment(cloud), "validate", "--dir", _dir.Path, "--cloud", Cloud, "--timeout", "3s", "--log-level", "error");

        var code = await run.ExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(3);
        run.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("shiftstack: validate gave up after 3s");
    }

    [Theory]
    [InlineData("--timeout", "soon", "--timeout must be a duration")]
    [InlineData("--log-level", "loud", "--log-level must be debug, info, warn or error")]
    public async Task A_bad_global_option_is_exit_2(string option, string value, string message)
    {
        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline", option, value);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("45", 45)]
    [InlineData("0", 0)]
    public void Durations_are_read_as_people_write_them(string text, int seconds)
    {
        Duration.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("5 minutes")]
    [InlineData("-1s")]
    public void Non_durations_are_refused(string text) => Duration.TryParse(text, out _).ShouldBeFalse();
}
