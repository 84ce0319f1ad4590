using System.Text;
using System.Text.Json;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// Bad input said exactly, at its line and column, without .NET text (issue #19, "Errors"): a tab in the indentation,
/// a directory where the file should be, a Latin-1 byte, a 9 MB value, a misspelt field (said first, with the known
/// name), and no "cloud checks not run" line where no cloud check was asked for.
/// </summary>
public sealed class InputErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Example => CliRunner.DualStackExample;

    [Fact]
    public async Task A_tab_in_the_indentation_is_reported_at_the_tab()
    {
        _dir.Write("apiVersion: v1\nmetadata:\n  name: x\n\tfoo: 1\n");

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldContain("install-config.yaml:4:1: error: invalid YAML: a tab in the indentation; YAML indents with spaces only");
    }

    [Theory]
    // The issue's case: the '[' is never closed, the file ends (with and without a last newline).
    [InlineData("apiVersion: v1\nplatform:\n  openstack:\n    apiVIPs: [10.0.0.5, fd00::5",
        "4:14: error: invalid YAML: the '[' opened here is not closed: the file ends at line 4 before its ']'; close it with ']' (items are separated by ',')")]
    [InlineData("apiVersion: v1\nplatform:\n  openstack:\n    apiVIPs: [10.0.0.5, fd00::5\n\n",
        "4:14: error: invalid YAML: the '[' opened here is not closed: the file ends at line 4 before its ']'; close it with ']' (items are separated by ',')")]
    [InlineData("apiVersion: v1\nnetworking:\n  machineNetwork: [ {cidr: 10.0.0.0/16}\n",
        "3:19: error: invalid YAML: the '[' opened here is not closed: the file ends at line 3 before its ']'; close it with ']' (items are separated by ',')")]
    // Block content after an unclosed bracket: YamlDotNet throws a plain InvalidOperationException here.
    [InlineData("apiVersion: v1\nmetadata: {name: x\nbaseDomain: example.com\n",
        "2:11: error: invalid YAML: the '{' opened here is not closed: the file ends at line 3 before its '}'; close it with '}' (items are separated by ',')")]
    [InlineData("apiVersion: v1\nnetworking:\n  machineNetwork: [1, {cidr: 10.0.0.0/16]\n",
        "3:23: error: invalid YAML: the '{' opened here is not closed: at 3:41 the YAML goes on without a ',' or '}'; close it with '}' (items are separated by ',')")]
    [InlineData("apiVersion: v1\nmetadata:\n  name: \"x\nbaseDomain: example.com\n",
        "3:9: error: invalid YAML: the quoted string that starts here with \" is not closed: it runs on to line 4, which is indented less than the string's own line, before its closing \"")]
    [InlineData("apiVersion: v1\nmetadata:\n  name: \"x\n",
        "3:9: error: invalid YAML: the quoted string that starts here with \" is not closed: the file ends at line 3 before its closing \"")]
    [InlineData("apiVersion: v1\nmetadata:\n  name: 'x\n",
        "3:9: error: invalid YAML: the quoted string that starts here with ' is not closed: the file ends at line 3 before its closing '")]
    public async Task An_unclosed_bracket_or_quote_is_said_where_it_opened_and_where_the_input_ended(string yaml, string expected)
    {
        _dir.Write(yaml);

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldStartWith(Path.Combine(_dir.Path, "install-config.yaml") + ":" + expected + "\n");
        run.Out.ShouldNotContain("Operation is not valid");
        run.Out.ShouldNotContain("While ");
    }

    [Fact]
    public async Task An_install_config_that_is_a_directory_is_said_so()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "install-config.yaml"));

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldContain("install-config.yaml is a directory, not a file");
    }

    [Fact]
    public async Task A_latin1_byte_is_said_with_its_line_and_column()
    {
        var bytes = Encoding.UTF8.GetBytes(Example).Concat(Encoding.Latin1.GetBytes("# café\n")).ToArray();
        File.WriteAllBytes(Path.Combine(_dir.Path, "install-config.yaml"), bytes);
        var line = Example.Count(c => c == '\n') + 1;

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldContain($"install-config.yaml:{line}:6: error: the file is not UTF-8: byte 0xE9 at line {line}, column 6");
    }

    [Fact]
    public async Task A_huge_value_is_echoed_cut_to_a_readable_length()
    {
        _dir.Write(Example.Replace("baseDomain: example.com", "baseDomain: " + new string('a', 9_000_000), StringComparison.Ordinal));

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        var line = run.Out.Split('\n').Single(l => l.Contains("baseDomain: Invalid value", StringComparison.Ordinal));
        line.Length.ShouldBeLessThan(1000);
        line.ShouldContain("… (9000000 characters in all)");
    }

    [Fact]
    public async Task A_misspelt_field_is_suggested_and_printed_before_the_errors_it_causes()
    {
        _dir.Write(Example.Replace("machineNetwork:", "machineNetworks:", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        var first = run.Out.Split('\n')[0];
        first.ShouldContain("warning: networking.machineNetworks: unknown field \"machineNetworks\" (ignored): did you mean \"machineNetwork\"?");
        run.Out.ShouldContain("error: networking.machineNetwork");
    }

    [Fact]
    public async Task Cloud_checks_not_run_is_said_only_when_a_cloud_check_was_asked_for_and_never_in_json()
    {
        _dir.Write(Example.Replace("- 192.168.25.199", "- 192.168.99.199", StringComparison.Ordinal));

        var offline = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");
        var json = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "-o", "json");
        var asked = await CliRunner.RunAsync("validate", "--dir", _dir.Path);

        offline.ExitCode.ShouldBe(2);
        offline.Out.ShouldNotContain("cloud checks not run");
        json.ExitCode.ShouldBe(2);
        json.Out.ShouldNotContain("cloud checks not run");
        JsonDocument.Parse(json.Out).RootElement.GetProperty("cloudChecked").GetBoolean().ShouldBeFalse();
        asked.Out.ShouldContain("cloud checks not run: fix the errors above first");
    }

    [Theory]
    [InlineData("machineNetworks", "machineNetwork")]
    [InlineData("APIVIPs", "apiVIPs")]
    [InlineData("ingresVIPs", "ingressVIPs")]
    [InlineData("zzz", null)]
    [InlineData("networkType", "networkType")]
    public void Near_misses_are_one_or_two_edits_or_case(string key, string? expected) =>
        ShiftStack.InstallConfig.Loading.NearMiss.Closest(key, ["machineNetwork", "apiVIPs", "ingressVIPs", "networkType", "zone"]).ShouldBe(expected);
}

/// <summary>Generated files are written atomically (temporary file beside the target, then a rename).</summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly TempDir _dir = TempDir.WithDualStackExample();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_file_is_replaced_by_a_rename_never_rewritten_in_place()
    {
        var first = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");
        first.ExitCode.ShouldBe(0, first.Error);
        var target = Directory.GetFiles(_dir.Path, "cluster-infrastructure-02-config.yml", SearchOption.AllDirectories).Single();
        var written = File.ReadAllText(target);
        File.WriteAllText(target, "old\n");
        // A second name for the same inode: a write in place (truncate, then write) would change it too.
        var link = target + ".link";
        using (var ln = System.Diagnostics.Process.Start("ln", [target, link]))
        {
            ln.WaitForExit();
            ln.ExitCode.ShouldBe(0);
        }

        var second = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "--force");

        second.ExitCode.ShouldBe(0, second.Error);
        File.ReadAllText(target).ShouldBe(written);
        File.ReadAllText(link).ShouldBe("old\n");
    }

    [Fact]
    public async Task A_write_that_fails_leaves_the_files_written_before_whole_and_no_temporary_file()
    {
        var first = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");
        first.ExitCode.ShouldBe(0, first.Error);
        var files = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        // A directory where one manifest must go: its rename fails.
        var blocked = files.Keys.First(f => f.EndsWith("cluster-infrastructure-02-config.yml", StringComparison.Ordinal));
        File.Delete(blocked);
        Directory.CreateDirectory(Path.Combine(blocked, "in-the-way"));

        var second = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");

        second.ExitCode.ShouldBe(1, second.Out + second.Error);
        Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        foreach (var (path, content) in files.Where(f => f.Key != blocked && !f.Key.EndsWith("shiftstack.log", StringComparison.Ordinal)))
        {
            File.ReadAllBytes(path).ShouldBe(content, path);
        }
    }
}

/// <summary>
/// A deprecated field gets a warning at its own line and column naming what replaces it (issue #19, "Errors"), and
/// the file stays valid: ShiftStack converts it as openshift-install does.
/// </summary>
public sealed class DeprecatedFieldTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("    apiVIP: 192.168.25.199\n", "platform.openstack.apiVIP: apiVIP is deprecated; use platform.openstack.apiVIPs instead")]
    [InlineData("    ingressVIP: 192.168.25.79\n", "platform.openstack.ingressVIP: ingressVIP is deprecated; use platform.openstack.ingressVIPs instead")]
    [InlineData("    lbFloatingIP: 203.0.113.5\n", "platform.openstack.lbFloatingIP: lbFloatingIP is deprecated; use platform.openstack.apiFloatingIP instead")]
    [InlineData("    computeFlavor: m1.large\n", "platform.openstack.computeFlavor: computeFlavor is deprecated; use platform.openstack.defaultMachinePlatform.type instead")]
    [InlineData("    region: RegionOne\n", "platform.openstack.region: region is deprecated and ignored; the region is the cloud's region_name in clouds.yaml")]
    [InlineData("    trunkSupport: \"true\"\n", "platform.openstack.trunkSupport: trunkSupport is deprecated and has no effect")]
    [InlineData("    octaviaSupport: \"1\"\n", "platform.openstack.octaviaSupport: octaviaSupport is deprecated and has no effect")]
    [InlineData("    defaultMachinePlatform:\n      rootVolume:\n        size: 30\n        type: fast\n",
        "platform.openstack.defaultMachinePlatform.rootVolume.type: type is deprecated; use platform.openstack.defaultMachinePlatform.rootVolume.types (a list) instead", 4)]
    public async Task A_deprecated_field_is_warned_about_at_its_own_line_naming_its_replacement(string field, string expected, int line = 1)
    {
        var example = CliRunner.DualStackExample;
        const string Anchor = "    cloud: openstack\n";
        var fieldLine = example[..example.IndexOf(Anchor, StringComparison.Ordinal)].Count(c => c == '\n') + 1 + line;
        var column = field.Split('\n')[line - 1].TakeWhile(c => c == ' ').Count() + 1;
        _dir.Write(example.Replace(Anchor, Anchor + field, StringComparison.Ordinal));

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(0, run.Out);
        var warning = run.Out.Split('\n').Where(l => l.Contains(": warning: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        warning.ShouldStartWith($"{Path.Combine(_dir.Path, "install-config.yaml")}:{fieldLine}:{column}: warning: {expected}");
    }

    [Fact]
    public async Task A_deprecated_networking_field_is_warned_about_too()
    {
        var example = CliRunner.DualStackExample;
        _dir.Write(example.Replace("networking:\n", "networking:\n  serviceCIDR: 172.30.0.0/16\n", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync("validate", "--dir", _dir.Path, "--offline", "-o", "json");

        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        var warning = json.RootElement.GetProperty("warnings").EnumerateArray()
            .Where(w => w.GetProperty("field").GetString() == "networking.serviceCIDR").ShouldHaveSingleItem();
        warning.GetProperty("message").GetString()!.ShouldEndWith("serviceCIDR is deprecated; use networking.serviceNetwork instead (ShiftStack converts it for now)");
        warning.GetProperty("line").GetInt32().ShouldBe(30);
        warning.GetProperty("column").GetInt32().ShouldBe(3);
    }
}
