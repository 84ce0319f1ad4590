using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Validation;

namespace ShiftStack.Bench;

/// <summary>
/// Benchmark 3b: in-process throughput of the offline pipeline with BenchmarkDotNet. Baseline: parsing the YAML alone
/// (<see cref="InstallConfigLoader.LoadFile"/>); then load + up-convert + defaults + static validation
/// (<see cref="InstallConfigFile.Load"/>); then all of it plus every manifest (<see cref="AssetTarget.Manifests"/>,
/// generated in memory, not written).
/// </summary>
[MemoryDiagnoser]
public class ConfigPipelineBenchmarks
{
    private string _root = string.Empty;
    private string _dir = string.Empty;

    [Params("dual-stack-ipv6-primary", Configs.Scale)]
    public string Config { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("ss-bench-bdn-").FullName;
        _dir = Configs.Prepare(_root)[Config];

        // The cluster state (infraID, root CA) is created once, as `create manifests` does on its first run.
        _ = GenerateManifests().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "parse YAML")]
    public object ParseYaml() => InstallConfigLoader.LoadFile(Path.Combine(_dir, InstallConfigFile.FileName));

    [Benchmark(Description = "load + validate")]
    public object LoadAndValidate() => InstallConfigFile.Load(_dir, _ => null);

    [Benchmark(Description = "load + validate + manifests")]
    public Task<int> LoadValidateAndManifests() => GenerateManifests();

    private async Task<int> GenerateManifests()
    {
        var store = new AssetStore(new AssetInputs { Directory = _dir, Environment = _ => null });
        var files = await AssetTarget.Manifests.GenerateAsync(store).ConfigureAwait(false);
        return files.Count;
    }

    /// <summary>Runs the benchmarks in-process and returns the results as JSON (ratios against the baseline per config).</summary>
    public static JsonObject Run(string artifacts)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10);
        var config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default).WithArtifactsPath(artifacts);
        var summary = BenchmarkRunner.Run<ConfigPipelineBenchmarks>(config);
        return ToJson(summary);
    }

    private static JsonObject ToJson(Summary summary)
    {
        var rows = new JsonArray();
        var byConfig = summary.Reports.GroupBy(r => (string)r.BenchmarkCase.Parameters["Config"]);
        foreach (var group in byConfig)
        {
            var baseline = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline)?.ResultStatistics?.Mean;
            foreach (var report in group)
            {
                var mean = report.ResultStatistics?.Mean;
                rows.Add(new JsonObject
                {
                    ["config"] = group.Key,
                    ["method"] = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                    ["meanMicroseconds"] = mean is null ? null : Stats.Round(mean.Value / 1000, 1),
                    ["stdDevMicroseconds"] = report.ResultStatistics is null ? null : Stats.Round(report.ResultStatistics.StandardDeviation / 1000, 1),
                    ["operationsPerSecond"] = mean is null ? null : Stats.Round(1e9 / mean.Value, 1),
                    ["ratioToBaseline"] = mean is null || baseline is null ? null : Stats.Round(mean.Value / baseline.Value, 2),
                    ["allocatedBytesPerOperation"] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
                });
            }
        }

        return new JsonObject
        {
            ["benchmark"] = "in-process throughput (BenchmarkDotNet, in-process emit toolchain, 3 warm-ups + 10 iterations)",
            ["baseline"] = "parse YAML",
            ["results"] = rows,
        };
    }
}
