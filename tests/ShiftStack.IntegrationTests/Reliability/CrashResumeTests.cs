using System.Diagnostics;
using System.Text.RegularExpressions;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Networking;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// Crash and resume: <c>create cluster</c> is cancelled while its k-th HTTP request is in flight — the request reaches
/// the cloud and is carried out, the answer is lost (a <see cref="DelegatingHandler"/> in the client's pipeline, given
/// as <see cref="OpenStackClientOptions.Handler"/>, cancels the run's token once the server has answered). A re-run must
/// converge to exactly one cluster: 2 groups with exactly the spec's rules, 4 node ports, 1 server group, 4 servers,
/// 1 bootstrap floating IP — counted by name and description, not only by tag, so an untagged duplicate is caught.
/// Destroy then leaves nothing of the cluster and the user's VIP ports as they were.
/// The short variant (in <c>make test</c>) crashes on the POSTs the state file exists for (security group, node
/// ports, server, bootstrap floating IP) and on a VIP port update, several times in a row per creation;
/// <c>SHIFTSTACK_LONG_TESTS=1</c> crashes on request k, from nothing each time, for every k from 1 to the number of
/// requests of an uninterrupted run. FAILS when the cloud or its compute layer is missing.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CrashResumeTests(LocalCloud cloud, ITestOutputHelper output)
{
    [Fact]
    public async Task Create_cluster_cancelled_mid_request_converges_without_duplicates_and_destroys_cleanly()
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "crash");
        var before = await ClusterProvisioningTests.UserStateAsync(scenario);
        var clock = Stopwatch.StartNew();
        var crashed = 0;
        string summary;
        if (!LongTests.Enabled)
        {
            // Short: two creations, each interrupted several times in a row (every later run plans what the earlier
            // ones left undone), on the POSTs whose lost answers the state file exists for and on a VIP port update.
            CrashPoint[][] chains =
            [
                [
                    CrashPoint.AtFirst("POST", "/v2.0/security-groups$"),
                    CrashPoint.AtFirst("POST", "/v2.0/ports$"),
                    CrashPoint.AtFirst("POST", "/servers$"),
                ],
                [
                    CrashPoint.AtFirst("PUT", "^/v2.0/ports/[0-9a-f-]+$"),
                    CrashPoint.AtFirst("POST", "/v2.0/floatingips$"),
                ],
            ];
            foreach (var chain in chains)
            {
                foreach (var point in chain)
                {
                    var run = await CrashAsync(scenario, point);
                    Report(point, run);
                    run.Crashed.ShouldBeTrue($"{point} must happen in a create cluster run");
                    crashed++;
                }

                var because = string.Join(", ", chain.Select(p => p.ToString()));
                await ResumeAsync(scenario, because);
                await VerifyAndDestroyAsync(scenario, before, because);
            }

            summary = $"crash-and-resume (short): {crashed} crashes in {chains.Length} creations, {clock.Elapsed.TotalSeconds:0} s, 0 duplicates, 0 leftovers";
        }
        else
        {
            // Long: an uninterrupted run counts the requests; then, from nothing each time, a crash on request k for
            // every k from 1 to that count, a re-run, the counts, destroy.
            var reference = await CrashAsync(scenario, CrashPoint.Never);
            reference.Crashed.ShouldBeFalse();
            output.WriteLine($"uninterrupted run: {reference.Sent} requests");
            await VerifyAndDestroyAsync(scenario, before, "an uninterrupted run");
            // SHIFTSTACK_CRASH_FROM=k resumes an interrupted long run at request k.
            var from = int.TryParse(Environment.GetEnvironmentVariable("SHIFTSTACK_CRASH_FROM"), out var f) && f > 0 ? f : 1;
            for (var k = from; k <= reference.Sent; k++)
            {
                var point = CrashPoint.AtRequest(k);
                var run = await CrashAsync(scenario, point);
                Report(point, run);
                crashed += run.Crashed ? 1 : 0;
                await ResumeAsync(scenario, point.ToString());
                await VerifyAndDestroyAsync(scenario, before, point.ToString());
            }

            summary = $"crash-and-resume (long): {reference.Sent - from + 1} crash points (k = {from}..{reference.Sent}; an uninterrupted run sent {reference.Sent}; {crashed} cancelled mid-request), {clock.Elapsed.TotalSeconds:0} s, 0 duplicates, 0 leftovers";
        }

        output.WriteLine(summary);
        Console.WriteLine(summary);
    }

    private void Report(CrashPoint point, CrashRun run)
    {
        output.WriteLine($"{point}: {(run.Crashed ? $"cancelled on request {run.CrashedAt} ({run.CrashedOn})" : "finished before it")}, {run.Sent} requests"
            + (run.SentAfterCrash.Count == 0 ? string.Empty : $", {run.SentAfterCrash.Count} held back after the crash ({string.Join(", ", run.SentAfterCrash)})"));
    }

    private static async Task ResumeAsync(ProvisioningScenario scenario, string after)
    {
        var resumed = await scenario.ProvisionAsync();
        resumed.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty($"re-run after {after}");
    }

    private async Task<CrashRun> CrashAsync(ProvisioningScenario s, CrashPoint point)
    {
        using var cancel = new CancellationTokenSource();
        using var handler = new CrashingHandler(point, cancel);
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = handler });
        using var compute = new ComputeClient(network.Identity);
        using var images = new ImageClient(network.Identity);
        try
        {
            var result = await ClusterProvisioner.ProvisionAsync(s.Config, s.InfraId, network, new ComputeClientProvisioning(compute, images), s.OpenState(), new ProvisioningOptions
            {
                AssetDirectory = s.Directory,
                PollInterval = TimeSpan.FromSeconds(1),
                ServerActiveTimeout = TimeSpan.FromMinutes(5),
            }, cancel.Token);
            if (!handler.Crashed)
            {
                result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
            }
        }
        catch (OperationCanceledException) when (handler.Crashed)
        {
        }

        return new CrashRun(handler.Crashed, handler.CrashedAt, handler.CrashedOn, handler.Sent, handler.SentAfterCrash);
    }

    private static async Task VerifyAndDestroyAsync(ProvisioningScenario s, string userStateBefore, string because = "uninterrupted")
    {
        await ClusterProvisioningTests.VerifyClusterAsync(s, ProvisioningScope.Cluster);
        (await CountByNameAsync(s)).ShouldBe(new ClusterCounts(2, 4, 1, 4, 1), "exactly one of everything, tagged or not, after " + because);

        var destroyed = await s.DestroyAsync();
        destroyed.Leftovers.ShouldBeEmpty();
        await ClusterProvisioningTests.VerifyNothingTaggedAsync(s);
        (await CountByNameAsync(s)).ShouldBe(new ClusterCounts(0, 0, 0, 0, 0), "nothing of the cluster, tagged or not, after destroying (" + because + ")");
        (await ClusterProvisioningTests.UserStateAsync(s)).ShouldBe(userStateBefore, "the VIP ports, floating IP, network and subnets are as the user made them");
    }

    /// <summary>The cluster's resources found by name or description (so an untagged duplicate counts too).</summary>
    internal static async Task<ClusterCounts> CountByNameAsync(ProvisioningScenario s)
    {
        bool Ours(string? name) => name?.StartsWith(s.InfraId + "-", StringComparison.Ordinal) == true;
        var groups = (await s.Network.SecurityGroups.ListAsync()).Count(g => Ours(g.Name));
        var ports = (await s.Network.Ports.ListAsync(new PortListOptions { NetworkId = s.UserNetwork.Id })).Count(p => Ours(p.Name));
        var serverGroups = (await s.ComputeClient.ServerGroups.ListAsync()).Count(g => Ours(g.Name));
        var servers = (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Name = "^" + Regex.Escape(s.InfraId) })).Count(v => Ours(v.Name));
        var fips = (await s.Network.FloatingIps.ListAsync()).Count(f => Ours(f.Description));
        return new ClusterCounts(groups, ports, serverGroups, servers, fips);
    }
}

/// <summary>Resources of one cluster by kind.</summary>
internal sealed record ClusterCounts(int SecurityGroups, int NodePorts, int ServerGroups, int Servers, int FloatingIps);

/// <summary>What one interrupted run did.</summary>
internal sealed record CrashRun(bool Crashed, int CrashedAt, string? CrashedOn, int Sent, IReadOnlyList<string> SentAfterCrash);

/// <summary>Which request the run dies on: the k-th, or the first one with a method and a path matching a pattern.</summary>
internal sealed record CrashPoint(int Index, string? Method, string? PathPattern)
{
    public static CrashPoint Never { get; } = new(0, null, null);

    public static CrashPoint AtRequest(int k) => new(k, null, null);

    public static CrashPoint AtFirst(string method, string pathPattern) => new(0, method, pathPattern);

    public bool Matches(int index, HttpRequestMessage request) =>
        Method is null
            ? index == Index
            : request.Method.Method == Method && Regex.IsMatch(request.RequestUri!.AbsolutePath, PathPattern!);

    public override string ToString() => Method is null ? $"request {Index}" : $"first {Method} {PathPattern}";
}

/// <summary>
/// The real transport (a <see cref="SocketsHttpHandler"/>; the local cloud is plain HTTP on loopback) with a crash:
/// the chosen request is sent and answered, then the run's token is cancelled and the answer dropped, as if the
/// process had died while waiting for it. Every request after that is counted (there should be none).
/// </summary>
internal sealed class CrashingHandler(CrashPoint point, CancellationTokenSource cancel) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _sent;
    private int _crashedAt;
    private readonly List<string> _after = [];

    public int Sent => Volatile.Read(ref _sent);

    public bool Crashed => Volatile.Read(ref _crashedAt) > 0;

    public int CrashedAt => Volatile.Read(ref _crashedAt);

    public string? CrashedOn { get; private set; }

    /// <summary>Requests that reached the pipeline after the crash (not sent; counted for the report).</summary>
    public IReadOnlyList<string> SentAfterCrash
    {
        get
        {
            lock (_after)
            {
                return [.. _after];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref _sent);
        if (cancel.IsCancellationRequested)
        {
            // A dead process sends nothing more. A request can still get here when it passed the client's own
            // cancellation check just before the crash (a race of microseconds, seen once in the long variant).
            lock (_after)
            {
                _after.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            }

            throw new OperationCanceledException("the process has crashed", cancel.Token);
        }
        else if (point.Matches(index, request) && Interlocked.CompareExchange(ref _crashedAt, index, 0) == 0)
        {
            CrashedOn = $"{request.Method} {request.RequestUri!.AbsolutePath}";
            using var answered = await base.SendAsync(request, CancellationToken.None);
            await cancel.CancelAsync();
            throw new OperationCanceledException("crashed while waiting for the answer", cancel.Token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
