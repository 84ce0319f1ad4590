using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ShiftStack.Bench;

/// <summary>
/// Benchmark 3a: cold start (process start to exit) of <c>validate --offline</c> and <c>create manifests --offline</c>
/// for every config, with the framework-dependent CLI and, when it built, the native-AOT one; baseline
/// <c>shiftstack --version</c> (JIT) in the same run. Cases are interleaved run by run so load changes hit all alike.
/// </summary>
internal static class OfflineBench
{
    public static async Task<JsonObject> RunAsync(int runs)
    {
        var root = Directory.CreateTempSubdirectory("ss-bench-offline-").FullName;
        try
        {
            var dirs = Configs.Prepare(root);
            var binaries = new List<(string Name, string Path)> { ("jit", Paths.JitCli) };
            var aot = new JsonObject { ["built"] = File.Exists(Paths.AotCli) };
            if (File.Exists(Paths.AotCli))
            {
                binaries.Add(("aot", Paths.AotCli));
                aot["binaryBytes"] = new FileInfo(Paths.AotCli).Length;
            }
            else if (File.Exists(Paths.AotLog))
            {
                aot["why"] = string.Join("\n", File.ReadLines(Paths.AotLog).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(20));
            }

            var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["OS_CLIENT_CONFIG_FILE"] = Path.Combine(root, "no-clouds.yaml"), ["OS_CLOUD"] = null };
            var cases = new List<(string Name, string Binary, string[] Args)>();
            var skipped = new JsonObject();
            foreach (var (binary, path) in binaries)
            {
                cases.Add(($"{binary} --version", path, ["--version"]));
                foreach (var (name, dir) in dirs)
                {
                    cases.Add(($"{binary} validate --offline {name}", path, ["validate", "--offline", "--dir", dir]));

                    // Manifests go to a copy per binary; one untimed run first creates .shiftstack/state.json (the
                    // cluster's root CA: an RSA key, a one-off cost) so every timed run regenerates the same files.
                    var copy = Path.Combine(root, binary + "-manifests-" + name);
                    Directory.CreateDirectory(copy);
                    File.Copy(Path.Combine(dir, "install-config.yaml"), Path.Combine(copy, "install-config.yaml"));
                    string[] args = ["create", "manifests", "--offline", "--dir", copy];
                    var (code, output, error) = await Tool.RunAsync(path, args, environment).ConfigureAwait(false);
                    if (code == 0)
                    {
                        cases.Add(($"{binary} create manifests --offline {name}", path, args));
                    }
                    else
                    {
                        skipped[$"{binary} create manifests --offline {name}"] = $"exit {code}: {(error + output).Trim().Split('\n')[0]}";
                    }
                }
            }

            var times = cases.ToDictionary(c => c.Name, _ => new List<double>(), StringComparer.Ordinal);
            await using var load = new LoadSampler();
            for (var i = 0; i < runs; i++)
            {
                foreach (var c in cases)
                {
                    var watch = Stopwatch.StartNew();
                    var (code, output, error) = await Tool.RunAsync(c.Binary, c.Args, environment).ConfigureAwait(false);
                    watch.Stop();
                    if (code != 0)
                    {
                        throw new InvalidOperationException($"{c.Name} exited {code}: {output}{error}");
                    }

                    times[c.Name].Add(watch.Elapsed.TotalSeconds);
                }

                Console.WriteLine($"offline cold start: run {i + 1}/{runs} done");
            }

            var baseline = Stats.Median(times["jit --version"]);
            var summary = new JsonObject();
            foreach (var c in cases)
            {
                var median = Stats.Median(times[c.Name]);
                var entry = new JsonObject
                {
                    ["medianSeconds"] = Stats.Round(median),
                    ["seconds"] = Stats.Array(times[c.Name]),
                    ["vsJitVersionBaseline"] = Stats.Round(median / baseline, 2),
                };
                if (c.Name.StartsWith("aot ", StringComparison.Ordinal) && times.TryGetValue("jit " + c.Name[4..], out var jit))
                {
                    entry["aotOverJit"] = Stats.Round(median / Stats.Median(jit), 3);
                }

                summary[c.Name] = entry;
            }

            return new JsonObject
            {
                ["benchmark"] = "offline cold start (process start to exit)",
                ["runs"] = runs,
                ["nativeAot"] = aot,
                ["summary"] = summary,
                ["notRun"] = skipped,
                ["load"] = load.Summary(),
            };
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
