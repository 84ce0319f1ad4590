using System.Diagnostics;

namespace ShiftStack.IntegrationTests;

/// <summary>One run of the built CLI as its own process: what a user sees (exit code, stdout, stderr).</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs <c>shiftstack</c> (the CLI's own build output, which has its runtimeconfig) with <c>OS_CLIENT_CONFIG_FILE</c>
/// pointing at a clouds.yaml and every other <c>OS_*</c> variable removed, so only the file decides the cloud.
/// </summary>
public static class CliProcess
{
    public static Task<CliRun> RunAsync(string repoRoot, string cloudsYaml, string? workDir, params string[] args) =>
        RunAsync(repoRoot, new Dictionary<string, string> { ["OS_CLIENT_CONFIG_FILE"] = cloudsYaml }, workDir, args);

    /// <summary>
    /// Runs the CLI in <paramref name="workDir"/> with every <c>OS_*</c> variable removed and <paramref name="environment"/>
    /// set (for instance <c>HOME</c>, so that only a clouds.yaml in the working directory is found).
    /// </summary>
    public static async Task<CliRun> RunAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, string? workDir, params string[] args)
    {
        var dll = Path.Combine(repoRoot, "src", "ShiftStack.Cli", "bin", "Debug", "net10.0", "shiftstack.dll");
        if (!File.Exists(dll))
        {
            dll = Path.Combine(AppContext.BaseDirectory, "shiftstack.dll");
        }

        File.Exists(dll).ShouldBeTrue($"{dll} is built with the integration tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workDir is not null)
        {
            start.WorkingDirectory = workDir;
        }

        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the CLI against the local cloud's clouds.yaml.</summary>
    public static Task<CliRun> RunAsync(LocalCloud cloud, string? workDir, params string[] args) =>
        RunAsync(cloud.RepoRoot, cloud.CloudsYamlPath, workDir, args);
}
