using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ShiftStack.Cli.Rendering;

namespace ShiftStack.Cli.Commands;

/// <summary>What this build of <c>shiftstack</c> is: its version from git, the .NET runtime, and whether it is native AOT.</summary>
internal static class BuildInfo
{
    /// <summary>
    /// The version: X.Y.Z for a commit tagged vX.Y.Z, else <c>0.y.z+&lt;commit&gt;</c> (<c>.dirty</c> with uncommitted
    /// changes), set at build time from git (ShiftStack.Cli.csproj, target ShiftStackGitVersion).
    /// </summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The .NET runtime and platform, e.g. <c>.NET 10.0.1 linux-x64</c>.</summary>
    public static string Runtime => $"{RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}";

    /// <summary>True for the native AOT binary (no JIT: code cannot be generated at run time).</summary>
    public static bool IsNativeAot => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>The build, as said to people.</summary>
    public static string Build => IsNativeAot ? "native AOT (a single binary; needs no .NET runtime)" : "JIT (runs on the .NET runtime)";
}

/// <summary><c>shiftstack version</c> (and <c>shiftstack --version</c>): prints <see cref="BuildInfo"/>.</summary>
internal static class VersionCommand
{
    public static Command Create(CliConsole console)
    {
        var output = CommonOptions.Output();
        var command = new Command("version", "Print the version (from git: a release tag, or 0.y.z+commit), the .NET runtime, and whether this is the native AOT build")
        {
            output,
        };
        command.SetAction(parse =>
        {
            Write(console, parse.GetValue(output));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Write(CliConsole console, OutputFormat output)
    {
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json =>
            {
                json.WriteString("version", BuildInfo.Version);
                json.WriteString("runtime", BuildInfo.Runtime);
                json.WriteBoolean("nativeAot", BuildInfo.IsNativeAot);
            });
            return;
        }

        console.Out.WriteLine($"shiftstack {BuildInfo.Version}");
        console.Out.WriteLine($"runtime:   {BuildInfo.Runtime}");
        console.Out.WriteLine($"build:     {BuildInfo.Build}");
    }
}
