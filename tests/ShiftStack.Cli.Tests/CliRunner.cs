namespace ShiftStack.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as a user would run it from a shell.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error);
        var code = await ShiftStackCli.RunAsync(args, console);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>The repository root (the folder holding ShiftStack.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("ShiftStack.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The text of <c>examples/dual-stack/install-config.yaml</c>.</summary>
    public static string DualStackExample => File.ReadAllText(Path.Combine(RepoRoot, "examples", "dual-stack", "install-config.yaml"));
}

/// <summary>A temporary installation directory, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    /// <summary>A directory holding <c>examples/dual-stack/install-config.yaml</c>.</summary>
    public static TempDir WithDualStackExample()
    {
        var dir = new TempDir();
        dir.Write(CliRunner.DualStackExample);
        return dir;
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shiftstack-cli-" + Guid.NewGuid().ToString("N"));

    public string Write(string text, string name = "install-config.yaml")
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
