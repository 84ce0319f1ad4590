using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Bench;

/// <summary>
/// Benchmark 4: ShiftStack provisioning 100 node ports with pairs (bootstrap + 99 control-plane machines, the network
/// side only) against the ideal: one port create's latency measured in the same run × requests / concurrency.
/// </summary>
internal static class ScaleBench
{
    public static async Task<JsonObject> RunAsync(BenchCloud cloud, int ports, int latencySamples = 5)
    {
        var name = cloud.Prefix + "sc";
        var directory = Path.Combine(cloud.Directory, name);
        try
        {
            var (api, ingress) = await cloud.CreateVipPortsAsync(name).ConfigureAwait(false);
            var config = cloud.WriteInstallConfig(directory, "bench", api, ingress);
            config = config with { ControlPlane = (config.ControlPlane ?? new MachinePool()) with { Replicas = ports - 1 } };
            var vips = config.Platform.OpenStack!.ApiVips.Concat(config.Platform.OpenStack.IngressVips)
                .Select(v => new AllowedAddressPair { IpAddress = v }).ToList();

            // One request's latency, measured now on the same cloud: a node port create (both subnets, 4 pairs), alone.
            var client = cloud.NewClient();
            await client.Identity.GetTokenAsync().ConfigureAwait(false);
            var portLatency = new List<double>();
            var tagLatency = new List<double>();
            for (var i = 0; i < latencySamples; i++)
            {
                var watch = Stopwatch.StartNew();
                var port = await client.Ports.CreateAsync(new PortCreateOptions
                {
                    NetworkId = cloud.Network.Id,
                    Name = $"{name}-latency-{i}",
                    FixedIps = [FixedIpRequest.OnSubnet(cloud.V4.Id), FixedIpRequest.OnSubnet(cloud.V6.Id)],
                    AllowedAddressPairs = vips,
                }).ConfigureAwait(false);
                portLatency.Add(watch.Elapsed.TotalSeconds);
                watch.Restart();
                await client.Tags.ReplaceAllAsync(TaggableResources.Ports, port.Id, [name + "-latency"]).ConfigureAwait(false);
                tagLatency.Add(watch.Elapsed.TotalSeconds);
                await client.Ports.DeleteIfExistsAsync(port.Id).ConfigureAwait(false);
            }

            var infraId = name + "-x";
            var counter = new RequestCounter();
            var provisioning = cloud.NewClient(counter);
            var options = new ProvisioningOptions { Scope = ProvisioningScope.NetworkOnly, AssetDirectory = directory };
            await Task.Delay(1000).ConfigureAwait(false);
            await cloud.TakeKeystoneCountsAsync().ConfigureAwait(false);
            await using var load = new LoadSampler();
            var start = DateTime.Now;
            var total = Stopwatch.StartNew();
            var outcome = await ClusterProvisioner.ProvisionAsync(config, infraId, provisioning, null,
                ProvisioningStateStore.Open(directory, infraId, BenchCloud.CloudName), options).ConfigureAwait(false);
            total.Stop();
            var end = DateTime.Now;
            await Task.Delay(1000).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException("scale provisioning failed: " + string.Join("; ", outcome.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message)));
            }

            var window = cloud.Log.Between(cloud.UserId, start, end.AddMilliseconds(500));
            var created = (await cloud.Setup.Ports.ListAsync(new PortListOptions { NetworkId = cloud.Network.Id, Tags = [ClusterNames.ClusterTag(infraId)] }).ConfigureAwait(false))
                .Count(p => p.AllowedAddressPairs.Count == vips.Count);
            var network = outcome.RequestsByKind.Where(k => k.Key.ServiceType == NetworkingClient.ServiceType).Sum(k => k.Value);
            var portMedian = Stats.Median(portLatency);
            var ideal = portMedian * network / options.Concurrency;
            var floorIdeal = window.ServiceSeconds / options.Concurrency;
            var bulk = window.Mine.Where(l => l.Kind == "POST /v2.0/ports" && l.Status >= 500).Select(l => l.Seconds).ToList();
            var byKind = new JsonObject();
            foreach (var (key, count) in outcome.RequestsByKind.OrderBy(k => k.Key.ToString(), StringComparer.Ordinal))
            {
                byKind[key.ToString()] = count;
            }

            Console.WriteLine($"scale: {ports} ports in {total.Elapsed.TotalSeconds:F2} s, {network} Neutron requests, ideal {ideal:F2} s");
            return new JsonObject
            {
                ["benchmark"] = $"ShiftStack provisioning {ports.ToString(CultureInfo.InvariantCulture)} node ports with pairs (network side)",
                ["ipv6Mode"] = cloud.Ipv6Mode,
                ["nodePortsRequested"] = ports,
                ["nodePortsCreatedWithAllPairs"] = created,
                ["concurrency"] = options.Concurrency,
                ["wallSeconds"] = Stats.Round(total.Elapsed.TotalSeconds),
                ["neutronRequests"] = network,
                ["identityRequests"] = outcome.RequestsByKind.Where(k => k.Key.ServiceType == "identity").Sum(k => k.Value),
                ["requestsByKind"] = byKind,
                ["neutronLog"] = window.ToJson(),
                ["failedBulkPortCreateServiceSeconds"] = Stats.Array(bulk),
                ["singlePortCreateLatencySeconds"] = Stats.Array(portLatency),
                ["singlePortCreateLatencyMedian"] = Stats.Round(portMedian),
                ["singleTagPutLatencyMedian"] = Stats.Round(Stats.Median(tagLatency)),
                ["idealSeconds"] = Stats.Round(ideal),
                ["wallOverIdeal"] = Stats.Round(total.Elapsed.TotalSeconds / ideal, 2),
                ["idealFromServiceTimeSeconds"] = Stats.Round(floorIdeal),
                ["wallOverServiceTimeIdeal"] = Stats.Round(total.Elapsed.TotalSeconds / floorIdeal, 2),
                ["wallOverServiceTimeSerial"] = Stats.Round(total.Elapsed.TotalSeconds / window.ServiceSeconds, 2),
                ["load"] = load.Summary(),
                ["notes"] = new JsonArray(
                    "ideal = median latency of one node-port POST measured alone in this run x ShiftStack's Neutron requests / concurrency (8), as issue #9 defines it",
                    "idealFromServiceTime = sum of neutron-server's own service time of the run's requests / concurrency",
                    "neutron-server runs with api_workers = 0 (one API process): requests in flight share one Python process and 2 cores"),
            };
        }
        finally
        {
            await cloud.DeleteByPrefixAsync(name).ConfigureAwait(false);
        }
    }
}
