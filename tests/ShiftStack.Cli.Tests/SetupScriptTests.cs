using System.Diagnostics;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// The shell tests of the set-up scripts (<c>hack/tests/*.sh</c>), so that <c>make unit-test</c> and <c>make test</c>
/// run them: each prints one line per case and exits non-zero when a case fails.
/// </summary>
public sealed class SetupScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "hack", "tests"), "*.sh").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Fact]
    public void There_are_setup_script_tests()
    {
        Scripts().Count.ShouldBeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Setup_script_test_passes(string script)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(CliRunner.RepoRoot, "hack", "tests", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output + await error;
        process.ExitCode.ShouldBe(0, text);
        text.ShouldContain(" passed, 0 failed");
    }
}
