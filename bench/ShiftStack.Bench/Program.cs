using System.Globalization;
using System.Text.Json.Nodes;
using ShiftStack.Bench;

// The ShiftStack benchmarks (bench/README.md). Never part of `make test`; `make bench` runs them.
//   cloud [--rounds N] [--runs N] [--ports N] [--only provisioning|preflight|scale] [--tools a,b,...] [--concurrency N]   against the local OpenStack
//   offline [--runs N]                                                             cold start of the CLI
//   throughput                                                                     BenchmarkDotNet, in-process
var command = args.Length > 0 ? args[0] : "help";
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string? Text(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

string? Only() => Text("--only");

JsonObject Stamp(JsonObject result)
{
    var stamped = new JsonObject
    {
        ["measuredAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["command"] = "ShiftStack.Bench " + string.Join(' ', args),
        ["machine"] = Machine.Describe(),
    };
    foreach (var (key, value) in result.ToList())
    {
        result.Remove(key);
        stamped[key] = value;
    }

    stamped["loadAverageAtEnd"] = File.ReadAllText("/proc/loadavg").Trim();
    return stamped;
}

switch (command)
{
    case "cloud":
    {
        var only = Only();
        await using (var cloud = await BenchCloud.CreateAsync("slaac"))
        {
            if (only is null or "provisioning")
            {
                Paths.WriteResult("provisioning", Stamp(await ProvisioningBench.RunAsync(cloud, Option("--rounds", 3), Text("--tools")?.Split(','), Text("--concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : null)));
            }

            if (only is null or "preflight")
            {
                Paths.WriteResult("preflight", Stamp(await PreflightBench.RunAsync(cloud, Option("--runs", 5))));
            }

            if (only is null or "scale")
            {
                var variants = new JsonArray { await ScaleBench.RunAsync(cloud, Option("--ports", 100)) };
                await using (var stateful = await BenchCloud.CreateAsync("dhcpv6-stateful"))
                {
                    variants.Add(await ScaleBench.RunAsync(stateful, Option("--ports", 100)));
                }

                Paths.WriteResult("scale", Stamp(new JsonObject { ["variants"] = variants }));
            }
        }

        return 0;
    }

    case "offline":
        Paths.WriteResult("offline", Stamp(await OfflineBench.RunAsync(Option("--runs", 7))));
        return 0;

    case "throughput":
        Paths.WriteResult("throughput", Stamp(ConfigPipelineBenchmarks.Run(Path.Combine(Paths.Repo, "artifacts", "bench", "BenchmarkDotNet.Artifacts"))));
        return 0;

    default:
        Console.Error.WriteLine("usage: ShiftStack.Bench cloud [--rounds N] [--runs N] [--ports N] [--only provisioning|preflight|scale] [--tools shiftstack,openstack-cli,openstacksdk,minimal-bulk] [--concurrency N] | offline [--runs N] | throughput");
        return 2;
}
