namespace ShiftStack.Bench;

/// <summary>The install-configs of the offline benchmarks: the examples and a generated 1,000-worker, 10-zone one.</summary>
internal static class Configs
{
    public const string Scale = "scale-1000w-10z";

    public static IReadOnlyList<string> Names { get; } = ["dual-stack", "dual-stack-ipv6-primary", "single-stack", Scale];

    /// <summary>Copies every config into its own folder under <paramref name="root"/>; returns name → folder.</summary>
    public static Dictionary<string, string> Prepare(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var dir = Path.Combine(root, name);
            Directory.CreateDirectory(dir);
            var text = name == Scale ? ScaleConfig() : File.ReadAllText(Path.Combine(Paths.Examples, name, "install-config.yaml"));
            File.WriteAllText(Path.Combine(dir, "install-config.yaml"), text);
            result[name] = dir;
        }

        return result;
    }

    /// <summary>
    /// examples/dual-stack-ipv6-primary (subnets by id, so manifests need no cloud) with 1,000 workers and 10
    /// availability zones for both pools.
    /// </summary>
    public static string ScaleConfig()
    {
        var text = File.ReadAllText(Path.Combine(Paths.Examples, "dual-stack-ipv6-primary", "install-config.yaml"));
        var zones = "      zones:\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"      - az{i}\n"));
        text = Replace(text, "  name: v6primary\n", "  name: scale\n");
        text = Replace(text, "  replicas: 2\n  platform:\n    openstack:\n      type: m1.large\n", "  replicas: 1000\n  platform:\n    openstack:\n      type: m1.large\n" + zones);
        text = Replace(text, "      type: m1.xlarge\n", "      type: m1.xlarge\n" + zones);
        return text;
    }

    private static string Replace(string text, string from, string to) =>
        text.Contains(from, StringComparison.Ordinal)
            ? text.Replace(from, to, StringComparison.Ordinal)
            : throw new InvalidOperationException($"examples/dual-stack-ipv6-primary changed: \"{from.Trim()}\" not found");
}
