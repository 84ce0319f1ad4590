using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShiftStack.Bench;

/// <summary>Where things are: the repository (holds ShiftStack.slnx), the local cloud's files, the results.</summary>
internal static class Paths
{
    public static string Repo { get; } = FindRepo(AppContext.BaseDirectory);

    public static string LocalOpenStack => Path.Combine(Repo, ".local", "openstack");

    public static string LocalCloudsYaml => Path.Combine(LocalOpenStack, "clouds.yaml");

    public static string NeutronLog => Path.Combine(LocalOpenStack, "log", "neutron-server.log");

    public static string Tools => Path.Combine(Repo, "bench", "tools");

    public static string Results => Path.Combine(Repo, "bench", "results");

    public static string Examples => Path.Combine(Repo, "examples");

    /// <summary>The framework-dependent CLI published by <c>make bench-build</c>.</summary>
    public static string JitCli => Path.Combine(Repo, "artifacts", "bench", "cli", "shiftstack");

    /// <summary>The native-AOT CLI published by <c>make bench-aot</c> (absent when it did not build).</summary>
    public static string AotCli => Path.Combine(Repo, "artifacts", "bench", "aot", "shiftstack");

    public static string AotLog => Path.Combine(Repo, "artifacts", "bench", "aot-publish.log");

    public const string Python = "/usr/bin/python3";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void WriteResult(string name, JsonObject result)
    {
        Directory.CreateDirectory(Results);
        var path = Path.Combine(Results, name + ".json");
        File.WriteAllText(path, result.ToJsonString(Indented) + "\n");
        Console.WriteLine($"wrote {Path.GetRelativePath(Repo, path)}");
    }

    private static string FindRepo(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ShiftStack.slnx not found above {start}");
    }
}
