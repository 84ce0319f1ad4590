using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// <c>shiftstack version</c> / <c>--version</c> print the version git gives the commit built, the runtime and the kind
/// of build; <c>shiftstack completion bash|zsh|fish</c> writes scripts that complete the real command tree.
/// </summary>
public sealed class VersionAndCompletionTests
{
    [Fact]
    public async Task Version_is_the_commit_built_with_the_runtime_and_the_build()
    {
        var run = await CliRunner.RunAsync("version");

        run.ExitCode.ShouldBe(0);
        var lines = run.Out.TrimEnd().Split('\n');
        lines[0].ShouldMatch(@"^shiftstack (\d+\.\d+\.\d+|0\.\d+\.\d+\+([0-9a-f]{12}(\.dirty)?|unknown))$");
        lines[1].ShouldStartWith("runtime:   .NET 10.");
        lines[2].ShouldBe("build:     JIT (runs on the .NET runtime)"); // the tests run the JIT build; make install's is native AOT
        var head = Git("rev-parse", "--short=12", "HEAD");
        if (head is not null && Git("describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD") is null)
        {
            lines[0].ShouldContain("+" + head); // the build's commit: these tests were built from HEAD
        }
    }

    [Fact]
    public async Task Dash_dash_version_prints_the_same_and_json_has_the_fields()
    {
        var version = await CliRunner.RunAsync("version");
        var dashed = await CliRunner.RunAsync("--version");
        var json = await CliRunner.RunAsync("version", "-o", "json");

        dashed.ExitCode.ShouldBe(0);
        dashed.Out.ShouldBe(version.Out);
        using var doc = JsonDocument.Parse(json.Out);
        version.Out.ShouldStartWith("shiftstack " + doc.RootElement.GetProperty("version").GetString() + "\n");
        doc.RootElement.GetProperty("nativeAot").GetBoolean().ShouldBeFalse();
        doc.RootElement.GetProperty("runtime").GetString()!.ShouldContain("linux");
    }

    [Theory]
    [InlineData("", "validate create convert addresses destroy audit version completion")]
    [InlineData("create ", "manifests ignition-configs cluster")]
    [InlineData("destroy ", "cluster bootstrap")]
    [InlineData("validate -o ", "text json")]
    [InlineData("create cluster --output ", "text json mermaid dot")]
    [InlineData("validate --output ", "text json")]
    [InlineData("convert --to ", "dual-stack single-stack")]
    [InlineData("addresses --log-level ", "debug info warn error")]
    [InlineData("create cluster --cr", "--create-workers")]
    [InlineData("destroy bootstrap --ti", "--timeout")]
    [InlineData("create --dir /tmp cl", "cluster")]
    public async Task The_bash_script_completes_commands_options_and_values(string line, string expected)
    {
        var words = Completions("bash", line, await ScriptAsync("bash"));

        words.ShouldBe(expected.Split(' '), ignoreOrder: true);
    }

    [Fact]
    public async Task The_bash_script_completes_directories_after_dir()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "cluster-a"));
        File.WriteAllText(Path.Combine(dir.Path, "cluster-file"), "not a directory");

        var words = Completions("bash", $"validate --dir {dir.Path}/clu", await ScriptAsync("bash"));

        words.ShouldBe([Path.Combine(dir.Path, "cluster-a")]);
    }

    [Theory]
    [InlineData("zsh")]
    [InlineData("fish")]
    public async Task The_zsh_and_fish_scripts_name_every_command_and_option(string shell)
    {
        var script = await ScriptAsync(shell);
        var root = ShiftStackCli.Build(new CliConsole(TextWriter.Null, TextWriter.Null), new Invocation());

        foreach (var node in Commands.CompletionCommand.Walk(root))
        {
            foreach (var (name, _) in node.Subcommands)
            {
                script.ShouldContain(name);
            }

            foreach (var option in node.Options.SelectMany(o => o.Names).Where(n => n.StartsWith("--", StringComparison.Ordinal)))
            {
                script.ShouldContain(shell == "fish" ? "-l " + option[2..] : option);
            }
        }

        // Where the shell is installed, the script is also checked for syntax and completes.
        if (Which(shell) is not null)
        {
            var file = Path.GetTempFileName();
            try
            {
                File.WriteAllText(file, script);
                Run(shell, "-n", file).ExitCode.ShouldBe(0);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task An_unknown_shell_is_exit_2()
    {
        var run = await CliRunner.RunAsync("completion", "powershell");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("powershell");
    }

    private static async Task<string> ScriptAsync(string shell)
    {
        var run = await CliRunner.RunAsync("completion", shell);
        run.ExitCode.ShouldBe(0, run.Error);
        return run.Out;
    }

    /// <summary>What bash offers for <paramref name="line"/> (the last word being completed), as a user pressing Tab.</summary>
    private static string[] Completions(string shell, string line, string script)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, script);
            var words = ("shiftstack " + line).Split(' ');
            var array = string.Join(' ', words.Select(w => "'" + w + "'"));
            var run = Run(shell, "-c", $"source {file}; COMP_WORDS=({array}); COMP_CWORD={words.Length - 1}; _shiftstack; printf '%s\\n' \"${{COMPREPLY[@]}}\"");
            run.ExitCode.ShouldBe(0, run.Error);
            return run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int ExitCode, string Out, string Error) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static string? Git(params string[] args)
    {
        try
        {
            var run = Run("git", ["-C", CliRunner.RepoRoot, .. args]);
            return run.ExitCode == 0 ? run.Out.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
