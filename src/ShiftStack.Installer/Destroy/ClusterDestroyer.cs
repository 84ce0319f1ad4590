using ShiftStack.Installer.Planning;
using System.Net;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Destroy;

/// <summary>Something destroy could not remove (or restore).</summary>
/// <param name="Kind">Resource kind.</param>
/// <param name="Id">ID.</param>
/// <param name="Name">Name.</param>
/// <param name="Reason">Why it is still there.</param>
public sealed record Leftover(string Kind, string Id, string Name, string Reason);

/// <summary>The outcome of a destroy.</summary>
/// <param name="Deleted">Lines saying what was deleted or restored.</param>
/// <param name="Leftovers">What could not be removed; empty on success.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="RequestsByKind">The same by service, method and path template.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record DestroyResult(
    IReadOnlyList<string> Deleted,
    IReadOnlyList<Leftover> Leftovers,
    long Requests,
    IReadOnlyDictionary<RequestKey, long> RequestsByKind,
    TimeSpan Elapsed)
{
    /// <summary>True when nothing was left behind.</summary>
    public bool Succeeded => Leftovers.Count == 0;
}

/// <summary>Settings of a destroy.</summary>
public sealed record DestroyOptions
{
    /// <summary>Concurrent requests at most (default 8).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Attempts per deletion (409 "in use" and transient errors are retried with backoff).</summary>
    public int Attempts { get; init; } = 6;

    /// <summary>First retry delay (doubled each time, at most 10 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long deleted servers may take to disappear.</summary>
    public TimeSpan ServerDeleteTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Poll interval while waiting for servers to disappear.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress.</summary>
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;
}

/// <summary>
/// Removes a cluster: everything tagged <c>openshiftClusterID=&lt;infraID&gt;</c> (servers, server groups, ports,
/// trunks, floating IPs ShiftStack created, security groups, the Glance image of the bootstrap Ignition), in dependency order, with retries; on the user's VIP
/// ports only what ShiftStack added (its tag, the cluster's security groups, the floating-IP association it made) is
/// removed, and the ports, their network and subnets are never deleted. Running it twice is harmless. At the end it
/// lists again and reports whatever is still there.
/// </summary>
public static class ClusterDestroyer
{
    /// <summary>Destroys the cluster.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova (null: the cloud has none; servers and server groups are not looked for).</param>
    /// <param name="infraId">The cluster.</param>
    /// <param name="state">The state (what was added to the VIP ports, untagged leftovers of a crash).</param>
    /// <param name="options">Retries, concurrency, progress.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>What was deleted and what is left.</returns>
    public static async Task<DestroyResult> DestroyAsync(
        NetworkingClient network,
        IComputeProvisioning? compute,
        string infraId,
        ProvisioningStateStore state,
        DestroyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(infraId);
        ArgumentNullException.ThrowIfNull(state);
        options ??= new DestroyOptions();
        var started = DateTimeOffset.UtcNow;
        var before = network.Requests.Snapshot();
        var beforeTotal = network.Requests.Total;
        var run = new DestroyRun(network, compute, infraId, state, options, cancellationToken);

        var observed = await ClusterObserver.ObserveAsync(network, compute, infraId, state, includeTrunks: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var clusterGroupIds = observed.SecurityGroups.Values.Select(g => g.Id)
            .Concat(state.Resources.Values.Where(r => r.Kind == "security-group" && r.Id is not null).Select(r => r.Id!))
            .ToHashSet(StringComparer.Ordinal);

        // 1. Servers (their deletion releases the ports) and, concurrently, the user's VIP ports.
        var vipTask = run.RestoreVipPortsAsync(clusterGroupIds);
        var serversTask = run.DeleteServersAsync(observed.Servers);
        await Task.WhenAll(vipTask, serversTask).ConfigureAwait(false);

        // 2. Floating IPs, trunks, then ports; server groups; the bootstrap Ignition image(s) in Glance.
        IReadOnlyList<ImageInfo> images = compute is null ? [] : await BootstrapDestroyer.ListImagesAsync(compute, ClusterNames.ClusterTag(infraId), cancellationToken).ConfigureAwait(false);
        var credentials = await BootstrapDestroyer.ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(
            run.ForEachAsync(images, i => run.DeleteAsync("image", i.Id, i.Name, Refs.BootstrapIgnitionImage, ct => compute!.DeleteImageAsync(i.Id, ct))),
            run.ForEachAsync(credentials, c => run.DeleteAsync("application credential", c.Id, c.Name, null, ct => compute!.DeleteApplicationCredentialAsync(c.Id, ct))),
            run.ForEachAsync(observed.FloatingIps, f => run.DeleteAsync("floating IP", f.Id, f.FloatingIpAddress, Refs.BootstrapFloatingIp, ct => network.FloatingIps.DeleteIfExistsAsync(f.Id, ct))),
            run.ForEachAsync(observed.ServerGroups, g => run.DeleteAsync("server group", g.Id, g.Name, Refs.ServerGroup(g.Name), ct => compute!.DeleteServerGroupAsync(g.Id, ct))))
            .ConfigureAwait(false);
        await run.ForEachAsync(observed.Trunks, t => run.DeleteAsync("trunk", t.Id, t.Name, null, ct => network.Trunks.DeleteIfExistsAsync(t.Id, ct))).ConfigureAwait(false);
        await run.ForEachAsync(observed.Ports, p => run.DeleteAsync("port", p.Id, p.Name, Refs.Port(p.Name), ct => network.Ports.DeleteIfExistsAsync(p.Id, ct))).ConfigureAwait(false);

        // 3. Security groups, once nothing uses them (409 "in use" is retried).
        await run.ForEachAsync(observed.SecurityGroups.Values, g => run.DeleteAsync(
            "security group", g.Id, g.Name, Refs.SecurityGroup(g.Name.EndsWith("-master", StringComparison.Ordinal) ? Planning.SecurityGroupRole.Master : Planning.SecurityGroupRole.Worker),
            ct => network.SecurityGroups.DeleteIfExistsAsync(g.Id, ct))).ConfigureAwait(false);

        // 4. What is still there?
        var leftovers = await run.FindLeftoversAsync().ConfigureAwait(false);
        if (leftovers.Count == 0)
        {
            state.Delete();
        }

        return new DestroyResult(
            run.Deleted,
            leftovers,
            network.Requests.Total - beforeTotal,
            ClusterProvisioner.Difference(before, network.Requests.Snapshot()),
            DateTimeOffset.UtcNow - started);
    }
}
