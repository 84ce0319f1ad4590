using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ShiftStack.Bench;

/// <summary>
/// Benchmark 2: one <c>shiftstack validate</c> with pre-flight against the local Neutron (process start to exit),
/// alternated with <c>validate --offline</c> on the same directory as the baseline; Neutron requests from the access
/// log, Keystone requests from the counting proxy.
/// </summary>
internal static class PreflightBench
{
    public static async Task<JsonObject> RunAsync(BenchCloud cloud, int runs)
    {
        var name = cloud.Prefix + "pf";
        var directory = Path.Combine(cloud.Directory, name);
        var (api, ingress) = await cloud.CreateVipPortsAsync(name).ConfigureAwait(false);
        cloud.WriteInstallConfig(directory, "bench", api, ingress);
        var cases = new List<(string Name, string Binary, string[] Args)>
        {
            ("validate --offline (baseline)", Paths.JitCli, ["validate", "--dir", directory, "--offline"]),
            ("validate (pre-flight)", Paths.JitCli, ["validate", "--dir", directory]),
        };
        if (File.Exists(Paths.AotCli))
        {
            cases.Add(("validate (pre-flight), native AOT", Paths.AotCli, ["validate", "--dir", directory]));
        }

        var samples = cases.ToDictionary(c => c.Name, _ => new List<JsonObject>(), StringComparer.Ordinal);
        await using var load = new LoadSampler();
        for (var i = 0; i < runs; i++)
        {
            foreach (var c in cases)
            {
                await Task.Delay(1000).ConfigureAwait(false);
                await cloud.TakeKeystoneCountsAsync().ConfigureAwait(false);
                var start = DateTime.Now;
                var watch = Stopwatch.StartNew();
                var (code, output, error) = await Tool.RunAsync(c.Binary, c.Args, cloud.ToolEnvironment()).ConfigureAwait(false);
                watch.Stop();
                var end = DateTime.Now;
                await Task.Delay(1000).ConfigureAwait(false);
                var window = cloud.Log.Between(cloud.UserId, start, end.AddMilliseconds(500));
                var keystone = await cloud.TakeKeystoneCountsAsync().ConfigureAwait(false);
                if (code != 0)
                {
                    throw new InvalidOperationException($"{c.Name} exited {code}: {output}{error}");
                }

                samples[c.Name].Add(new JsonObject
                {
                    ["wallSeconds"] = Stats.Round(watch.Elapsed.TotalSeconds),
                    ["neutron"] = window.ToJson(),
                    ["keystoneRequests"] = keystone.Sum(k => (int)k.Value!),
                    ["keystoneTokenRequests"] = keystone.Where(k => k.Key == "POST /v3/auth/tokens").Sum(k => (int)k.Value!),
                });
                Console.WriteLine($"preflight {i + 1}/{runs} {c.Name}: {watch.Elapsed.TotalSeconds:F3} s, {window.Requests} Neutron requests");
            }
        }

        var baseline = Stats.Median(samples[cases[0].Name].Select(s => (double)s["wallSeconds"]!));
        var summary = new JsonObject();
        foreach (var c in cases)
        {
            var list = samples[c.Name];
            var median = Stats.Median(list.Select(s => (double)s["wallSeconds"]!));
            summary[c.Name] = new JsonObject
            {
                ["wallSecondsMedian"] = Stats.Round(median),
                ["wallSeconds"] = Stats.Array(list.Select(s => (double)s["wallSeconds"]!)),
                ["vsOfflineBaseline"] = Stats.Round(median / baseline, 2),
                ["neutronRequestsMedian"] = Stats.Median(list.Select(s => (double)(int)s["neutron"]!["requests"]!)),
                ["neutronServiceSecondsMedian"] = Stats.Round(Stats.Median(list.Select(s => (double)s["neutron"]!["serviceSeconds"]!))),
                ["keystoneRequestsMedian"] = Stats.Median(list.Select(s => (double)(int)s["keystoneRequests"]!)),
                ["keystoneTokenRequestsMedian"] = Stats.Median(list.Select(s => (double)(int)s["keystoneTokenRequests"]!)),
                ["neutronByKind"] = list[^1]["neutron"]!["byKind"]!.DeepClone(),
            };
        }

        await cloud.DeleteByPrefixAsync(name).ConfigureAwait(false);
        return new JsonObject
        {
            ["benchmark"] = "validate with pre-flight (process start to exit)",
            ["runs"] = runs,
            ["summary"] = summary,
            ["load"] = load.Summary(),
        };
    }
}
