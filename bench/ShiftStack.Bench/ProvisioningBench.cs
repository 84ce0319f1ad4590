using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Bench;

/// <summary>
/// Benchmark 1: the network side of a dual-stack cluster (2 security groups and every rule of the rule tables, the VIP
/// ports' tag and group, 4 node ports with both subnets and the 4 VIPs as address pairs, tags) done by ShiftStack
/// (<see cref="ClusterProvisioner"/>, <see cref="ProvisioningScope.NetworkOnly"/>), by the manual CLI script and by the
/// one-process openstacksdk script, alternated A, B, C per round, each run cleaned up before the next.
/// </summary>
internal static class ProvisioningBench
{
    private const string ShiftStackTool = "shiftstack";
    private const string CliTool = "openstack-cli";
    private const string SdkTool = "openstacksdk";
    private const string MinimalTool = "minimal-bulk";

    public static async Task<JsonObject> RunAsync(BenchCloud cloud, int rounds, IReadOnlyList<string>? only = null, int? concurrency = null)
    {
        var tools = new[] { (ShiftStackTool, "a"), (CliTool, "b"), (SdkTool, "c"), (MinimalTool, "d") }
            .Where(t => only is null || only.Contains(t.Item1, StringComparer.Ordinal)).ToList();
        if (tools.Count == 0 || tools[0].Item1 != ShiftStackTool)
        {
            // Every ratio is against ShiftStack's run in the same round.
            throw new ArgumentException($"--tools must include {ShiftStackTool} (known: {ShiftStackTool}, {CliTool}, {SdkTool}, {MinimalTool})");
        }

        var runs = new JsonArray();
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var walls = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var requests = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var floors = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var busy = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        await using var load = new LoadSampler();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (tool, letter) in tools)
            {
                var infraId = cloud.Prefix + letter + round.ToString(CultureInfo.InvariantCulture);
                Console.WriteLine($"provisioning round {round}: {tool} ({infraId})");
                var run = await RunOneAsync(cloud, tool, infraId, concurrency).ConfigureAwait(false);
                run["round"] = round;
                runs.Add(run);
                fingerprints[$"{tool}#{round}"] = (string)run["fingerprint"]!;
                run.Remove("fingerprint");
                Add(walls, tool, (double)run["wallSeconds"]!);
                Add(requests, tool, (int)run["neutron"]!["requests"]!);
                Add(floors, tool, (double)run["neutron"]!["serviceSeconds"]!);
                Add(tokens, tool, (int)run["keystone"]!["tokenRequests"]!);
                Add(busy, tool, (double)run["neutron"]!["busySeconds"]!);
                Console.WriteLine($"  {run["wallSeconds"]} s, {run["neutron"]!["requests"]} Neutron requests (service {run["neutron"]!["serviceSeconds"]} s), {run["keystone"]!["tokenRequests"]} token requests");
            }
        }

        var reference = fingerprints.First().Value;
        var identical = fingerprints.All(f => f.Value == reference);
        var summary = new JsonObject();
        double Med(Dictionary<string, List<double>> d, string tool) => Stats.Median(d[tool]);
        foreach (var (tool, _) in tools)
        {
            summary[tool] = new JsonObject
            {
                ["wallSecondsMedian"] = Stats.Round(Med(walls, tool)),
                ["neutronRequestsMedian"] = Med(requests, tool),
                ["keystoneTokenRequestsMedian"] = Med(tokens, tool),
                ["neutronServiceSecondsMedian"] = Stats.Round(Med(floors, tool)),
                ["neutronBusySecondsMedian"] = Stats.Round(Med(busy, tool)),
                ["wallOverOwnServiceSum"] = Stats.Round(Med(walls, tool) / Med(floors, tool), 2),
                ["wallOverOwnBusy"] = Stats.Round(Med(walls, tool) / Med(busy, tool), 2),
                ["wallVsShiftStack"] = Stats.Round(Med(walls, tool) / Med(walls, ShiftStackTool), 2),
                ["requestsVsShiftStack"] = Stats.Round(Med(requests, tool) / Med(requests, ShiftStackTool), 2),
            };
        }

        return new JsonObject
        {
            ["benchmark"] = "provisioning vs the manual path (network side, dual-stack, SLAAC IPv6 subnet)",
            ["rounds"] = rounds,
            ["ipv6Mode"] = cloud.Ipv6Mode,
            ["sameResultForAllTools"] = identical,
            ["summary"] = summary,
            ["load"] = load.Summary(),
            ["runs"] = runs,
            ["notes"] = new JsonArray(
                "wall time: ShiftStack in-process (ClusterProvisioner, warm after round 1); CLI: the whole bash script (one python process per command); SDK: the whole python process (import + work, see sdk.importSeconds/workSeconds)",
                "neutron.requests: access-log lines of the bench user in the run's window, plus unauthenticated lines (version discovery GET /) in the same window",
                "neutron.serviceSeconds: sum of neutron-server's own 'time:' of those lines = the floor for a client sending them one after another",
                "neutron.busySeconds: union of the intervals [logged - time, logged] = how long Neutron was busy with the run; the floor for a client that overlaps requests (for ShiftStack the sum counts overlapped time once per request in flight)",
                "keystone: every request through the counting proxy in front of Keystone (tokenRequests = POST /v3/auth/tokens); Neutron's own token validations are not included"),
        };
    }

    private static void Add(Dictionary<string, List<double>> d, string key, double value)
    {
        if (!d.TryGetValue(key, out var list))
        {
            d[key] = list = [];
        }

        list.Add(value);
    }

    private static async Task<JsonObject> RunOneAsync(BenchCloud cloud, string tool, string infraId, int? concurrency)
    {
        var directory = Path.Combine(cloud.Directory, infraId);
        try
        {
            var (api, ingress) = await cloud.CreateVipPortsAsync(infraId).ConfigureAwait(false);
            var config = cloud.WriteInstallConfig(directory, "bench", api, ingress);
            var rules = SecurityGroupRuleTable.For(config);
            var rulesFile = Path.Combine(directory, "rules.tsv");
            await File.WriteAllLinesAsync(rulesFile, rules.Select(r => string.Join('\t',
                ClusterNames.RoleName(r.Group), r.EtherType.Value, r.Protocol,
                r.PortRangeMin?.ToString(CultureInfo.InvariantCulture) ?? "-", r.PortRangeMax?.ToString(CultureInfo.InvariantCulture) ?? "-",
                r.RemoteIpPrefix))).ConfigureAwait(false);
            var vips = config.Platform.OpenStack!.ApiVips.Concat(config.Platform.OpenStack.IngressVips).ToList();
            var portNames = new[] { ClusterNames.Port(ClusterNames.BootstrapMachine(infraId), 0) }
                .Concat(Enumerable.Range(0, 3).Select(i => ClusterNames.Port(ClusterNames.MasterMachine(infraId, i), 0))).ToList();
            var environment = cloud.ToolEnvironment();
            environment["INFRA_ID"] = infraId;
            environment["NETWORK_ID"] = cloud.Network.Id;
            environment["SUBNET_V4"] = cloud.V4.Id;
            environment["SUBNET_V6"] = cloud.V6.Id;
            environment["API_PORT"] = api.Id;
            environment["INGRESS_PORT"] = ingress.Id;
            environment["VIPS"] = string.Join(' ', vips);
            environment["PORTS"] = string.Join(' ', portNames);
            environment["IPV6_MODE"] = cloud.Ipv6Mode;

            var result = new JsonObject { ["tool"] = tool, ["infraId"] = infraId, ["rules"] = rules.Count, ["nodePorts"] = portNames.Count };
            await Task.Delay(1000).ConfigureAwait(false);
            await cloud.TakeKeystoneCountsAsync().ConfigureAwait(false);
            var start = DateTime.Now;
            var watch = Stopwatch.StartNew();
            switch (tool)
            {
                case ShiftStackTool:
                {
                    var counter = new RequestCounter();
                    var client = cloud.NewClient(counter);
                    var outcome = await ClusterProvisioner.ProvisionAsync(config, infraId, client, null,
                        ProvisioningStateStore.Open(directory, infraId, BenchCloud.CloudName),
                        new ProvisioningOptions { Scope = ProvisioningScope.NetworkOnly, AssetDirectory = directory, Concurrency = concurrency ?? new ProvisioningOptions().Concurrency }).ConfigureAwait(false);
                    watch.Stop();
                    if (!outcome.Succeeded)
                    {
                        throw new InvalidOperationException("ShiftStack provisioning failed: " + string.Join("; ", outcome.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message)));
                    }

                    var byKind = new JsonObject();
                    foreach (var (key, count) in outcome.RequestsByKind.OrderBy(k => k.Key.ToString(), StringComparer.Ordinal))
                    {
                        byKind[key.ToString()] = count;
                    }

                    result["shiftstack"] = new JsonObject
                    {
                        ["requestCounterTotal"] = outcome.Requests,
                        ["requestCounterNetwork"] = outcome.RequestsByKind.Where(k => k.Key.ServiceType == NetworkingClient.ServiceType).Sum(k => k.Value),
                        ["requestCounterIdentity"] = outcome.RequestsByKind.Where(k => k.Key.ServiceType == "identity").Sum(k => k.Value),
                        ["planSteps"] = outcome.Prepared.Plan.Steps.Count,
                        ["concurrency"] = concurrency ?? new ProvisioningOptions().Concurrency,
                        ["elapsedSeconds"] = Stats.Round(outcome.Elapsed.TotalSeconds),
                        ["byKind"] = byKind,
                    };
                    break;
                }

                case CliTool:
                {
                    var (code, _, error) = await Tool.RunAsync("/bin/bash", [Path.Combine(Paths.Tools, "manual-cli.sh"), rulesFile], environment).ConfigureAwait(false);
                    watch.Stop();
                    if (code != 0)
                    {
                        throw new InvalidOperationException("manual-cli.sh failed: " + error);
                    }

                    result["cliInvocations"] = 2 + rules.Count + 2 + (2 * portNames.Count);
                    break;
                }

                default:
                {
                    var script = tool == MinimalTool ? "minimal_bulk_plan.py" : "sdk_one_per_request.py";
                    var (code, output, error) = await Tool.RunAsync(Paths.Python, [Path.Combine(Paths.Tools, script), rulesFile], environment).ConfigureAwait(false);
                    watch.Stop();
                    if (code != 0)
                    {
                        throw new InvalidOperationException(script + " failed: " + error);
                    }

                    var timing = JsonNode.Parse(output)!;
                    result["sdk"] = new JsonObject { ["importSeconds"] = (double)timing["import_s"]!, ["workSeconds"] = (double)timing["work_s"]! };
                    break;
                }
            }

            var end = DateTime.Now;
            await Task.Delay(1000).ConfigureAwait(false);
            var window = cloud.Log.Between(cloud.UserId, start, end.AddMilliseconds(500));
            var keystone = await cloud.TakeKeystoneCountsAsync().ConfigureAwait(false);
            result["wallSeconds"] = Stats.Round(watch.Elapsed.TotalSeconds);
            result["neutron"] = window.ToJson();
            result["keystone"] = new JsonObject
            {
                ["tokenRequests"] = keystone.Where(k => k.Key == "POST /v3/auth/tokens").Sum(k => (int)k.Value!),
                ["total"] = keystone.Sum(k => (int)k.Value!),
                ["byKind"] = keystone.DeepClone(),
            };
            result["fingerprint"] = await FingerprintAsync(cloud, infraId, api, ingress).ConfigureAwait(false);
            return result;
        }
        finally
        {
            await cloud.DeleteByPrefixAsync(infraId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What a run left in the cloud, as text independent of IDs and the infraID: the groups' rules and tags, the node
    /// ports' subnets, pairs, groups and tags, the VIP ports' tags and groups. Equal for every tool when they did the
    /// same work.
    /// </summary>
    public static async Task<string> FingerprintAsync(BenchCloud cloud, string infraId, Port api, Port ingress)
    {
        var client = cloud.Setup;
        var vipLabels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Canonical(BenchCloud.Address(api, false))] = "api-v4",
            [Canonical(BenchCloud.Address(api, true))] = "api-v6",
            [Canonical(BenchCloud.Address(ingress, false))] = "ingress-v4",
            [Canonical(BenchCloud.Address(ingress, true))] = "ingress-v6",
        };
        var text = new StringBuilder();
        var roleOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in new[] { "master", "worker" })
        {
            var group = (await client.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = infraId + "-" + role }).ConfigureAwait(false)).Single();
            roleOf[group.Id] = role;
            text.Append(CultureInfo.InvariantCulture, $"group {role} tags [{string.Join(",", group.Tags.Order(StringComparer.Ordinal))}] egress {group.SecurityGroupRules.Count(r => r.Direction == RuleDirection.Egress)}\n");
            foreach (var rule in group.SecurityGroupRules.Where(r => r.Direction == RuleDirection.Ingress)
                         .Select(r => $"  {r.Ethertype} {r.Protocol} {r.PortRangeMin}-{r.PortRangeMax} {r.RemoteIpPrefix} \"{r.Description}\"").Order(StringComparer.Ordinal))
            {
                text.Append(rule).Append('\n');
            }
        }

        string Groups(IEnumerable<string> ids) => string.Join(",", ids.Select(id => roleOf.GetValueOrDefault(id, "other")).Order(StringComparer.Ordinal));
        var ports = await client.Ports.ListAsync(new PortListOptions { NetworkId = cloud.Network.Id }).ConfigureAwait(false);
        foreach (var port in ports.Where(p => p.Name.StartsWith(infraId + "-", StringComparison.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var role = port.Id == api.Id ? "vip-api" : port.Id == ingress.Id ? "vip-ingress" : "node";
            var subnets = string.Join(",", port.FixedIps.Select(f => f.SubnetId == cloud.V4.Id ? "v4" : f.SubnetId == cloud.V6.Id ? "v6" : "?").Order(StringComparer.Ordinal));
            var pairs = string.Join(",", port.AllowedAddressPairs.Select(p => vipLabels.GetValueOrDefault(Canonical(p.IpAddress), p.IpAddress)).Order(StringComparer.Ordinal));
            text.Append(CultureInfo.InvariantCulture, $"port {port.Name[infraId.Length..]} {role} subnets [{subnets}] pairs [{pairs}] groups [{Groups(port.SecurityGroups)}] tags [{string.Join(",", port.Tags.Order(StringComparer.Ordinal))}] \"{port.Description}\"\n");
        }

        return text.ToString().Replace(infraId, "<infraID>", StringComparison.Ordinal);
    }

    private static string Canonical(string address) => IpAddresses.Canonical(IPAddress.Parse(address.Split('/')[0]));
}
