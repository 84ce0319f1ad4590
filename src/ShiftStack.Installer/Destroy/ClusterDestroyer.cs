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
        var run = new Run(network, compute, infraId, state, options, cancellationToken);

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

    private sealed class Run(
        NetworkingClient network,
        IComputeProvisioning? compute,
        string infraId,
        ProvisioningStateStore state,
        DestroyOptions options,
        CancellationToken cancellationToken)
    {
        private readonly Lock _lock = new();
        private readonly List<string> _deleted = [];
        private readonly Dictionary<string, Leftover> _failures = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Deleted
        {
            get
            {
                lock (_lock)
                {
                    return [.. _deleted];
                }
            }
        }

        public Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> action) =>
            Parallel.ForEachAsync(
                items,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
                async (item, _) => await action(item).ConfigureAwait(false));

        public async Task DeleteAsync(string kind, string id, string name, string? reference, Func<CancellationToken, Task<bool>> delete)
        {
            var stepId = $"delete {kind} {id}";
            var summary = $"delete {kind} {Display(name, id)}";
            options.Progress.Started(stepId, summary);
            try
            {
                var existed = await RetryAsync(() => delete(cancellationToken)).ConfigureAwait(false);
                if (reference is not null)
                {
                    state.Forget(reference);
                }

                var message = existed ? $"deleted {kind} {Display(name, id)}" : $"{kind} {Display(name, id)} was already gone";
                Record(message);
                options.Progress.Completed(stepId, message);
            }
            catch (Exception ex) when (ex is OpenStackException or ProvisioningException)
            {
                Fail(new Leftover(kind, id, name, ex.Message));
                options.Progress.Failed(stepId, summary, ex.Message);
            }
        }

        public async Task DeleteServersAsync(IReadOnlyList<ServerInfo> servers)
        {
            if (compute is null || servers.Count == 0)
            {
                return;
            }

            await ForEachAsync(servers, s => DeleteAsync("server", s.Id, s.Name, Refs.Server(s.Name), ct => compute.DeleteServerAsync(s.Id, ct))).ConfigureAwait(false);

            // Nova deletes asynchronously; the ports are released only when the servers are gone.
            var pending = servers.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
            var deadline = DateTimeOffset.UtcNow + options.ServerDeleteTimeout;
            options.Progress.Started("wait-servers-deleted", $"wait until {pending.Count} servers are gone");
            while (pending.Count > 0)
            {
                foreach (var (id, name) in pending.ToList())
                {
                    var server = await compute.FindServerAsync(id, cancellationToken).ConfigureAwait(false);
                    if (server is null || string.Equals(server.Status, "DELETED", StringComparison.OrdinalIgnoreCase))
                    {
                        pending.Remove(id);
                    }
                    else if (string.Equals(server.Status, "ERROR", StringComparison.OrdinalIgnoreCase))
                    {
                        // A server in ERROR may need another delete request.
                        await RetryAsync(() => compute.DeleteServerAsync(id, cancellationToken)).ConfigureAwait(false);
                    }
                }

                if (pending.Count == 0)
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    foreach (var (id, name) in pending)
                    {
                        Fail(new Leftover("server", id, name, $"still there {options.ServerDeleteTimeout.TotalMinutes:0} minutes after its deletion"));
                    }

                    options.Progress.Failed("wait-servers-deleted", "wait until servers are gone", "timeout");
                    return;
                }

                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }

            options.Progress.Completed("wait-servers-deleted", "servers gone");
        }

        /// <summary>
        /// Removes from each VIP port what ShiftStack added: the cluster's security groups, the floating-IP
        /// association it made, the tag. Ports are found by the tag and by the state's records.
        /// </summary>
        public async Task RestoreVipPortsAsync(IReadOnlySet<string> clusterGroupIds)
        {
            var tag = ClusterNames.VipPortTag(infraId);
            var tagged = await network.Ports.ListAsync(new PortListOptions { TagsAny = [tag] }, cancellationToken).ConfigureAwait(false);
            var records = state.VipPorts.ToDictionary(r => r.PortId, StringComparer.Ordinal);
            var ports = tagged.ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var id in records.Keys.Where(id => !ports.ContainsKey(id)))
            {
                if (await network.Ports.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } port)
                {
                    ports[id] = port;
                }
                else
                {
                    state.ForgetVipPort(id);
                }
            }

            await ForEachAsync(ports.Values, port => RestoreVipPortAsync(port, records.GetValueOrDefault(port.Id), tag, clusterGroupIds)).ConfigureAwait(false);
        }

        private async Task RestoreVipPortAsync(Port port, VipPortRecord? record, string tag, IReadOnlySet<string> clusterGroupIds)
        {
            var stepId = "restore " + port.Id;
            var summary = $"restore VIP port {Display(port.Name, port.Id)}";
            options.Progress.Started(stepId, summary);
            try
            {
                // Security groups: the cluster's (the user cannot have had them before: they did not exist).
                var remove = port.SecurityGroups.Where(g => clusterGroupIds.Contains(g) || (record?.SecurityGroupsAdded.Contains(g, StringComparer.Ordinal) ?? false)).ToList();
                if (remove.Count > 0)
                {
                    await RetryAsync(async () =>
                    {
                        await network.Ports.UpdateAsync(port.Id, new PortUpdateOptions { SecurityGroups = port.SecurityGroups.Except(remove, StringComparer.Ordinal).ToList() }, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return true;
                    }).ConfigureAwait(false);
                }

                // Floating IP: only the association ShiftStack made (recorded in the state).
                if (record?.FloatingIpAssociated is { } fipId)
                {
                    var fip = await network.FloatingIps.FindAsync(fipId, cancellationToken).ConfigureAwait(false);
                    if (fip is not null && string.Equals(fip.PortId, port.Id, StringComparison.Ordinal))
                    {
                        try
                        {
                            await network.FloatingIps.DisassociateAsync(fipId, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OpenStackException ex) when (ex.IsNotFound)
                        {
                            // gone meanwhile
                        }
                    }
                }

                if (port.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    try
                    {
                        await network.Tags.RemoveAsync(TaggableResources.Ports, port.Id, tag, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OpenStackException ex) when (ex.IsNotFound)
                    {
                        // already removed
                    }
                }

                state.ForgetVipPort(port.Id);
                var message = $"restored VIP port {Display(port.Name, port.Id)}" + (remove.Count > 0 ? $" (removed {remove.Count} security group{(remove.Count == 1 ? string.Empty : "s")})" : string.Empty);
                Record(message);
                options.Progress.Completed(stepId, message);
            }
            catch (OpenStackException ex)
            {
                Fail(new Leftover("VIP port", port.Id, port.Name, "could not restore: " + ex.Message));
                options.Progress.Failed(stepId, summary, ex.Message);
            }
        }

        public async Task<IReadOnlyList<Leftover>> FindLeftoversAsync()
        {
            var after = await ClusterObserver.ObserveAsync(network, compute, infraId, ProvisioningStateStore.InMemory(infraId), includeTrunks: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            var vips = await network.Ports.ListAsync(new PortListOptions { TagsAny = [ClusterNames.VipPortTag(infraId)] }, cancellationToken).ConfigureAwait(false);
            var result = new List<Leftover>();
            Leftover Why(string kind, string id, string name) =>
                _failures.TryGetValue(id, out var failure) ? failure : new Leftover(kind, id, name, "still present after destroy");
            result.AddRange(after.Servers.Select(s => Why("server", s.Id, s.Name)));
            result.AddRange(after.ServerGroups.Select(g => Why("server group", g.Id, g.Name)));
            result.AddRange(after.FloatingIps.Select(f => Why("floating IP", f.Id, f.FloatingIpAddress)));
            result.AddRange(after.Trunks.Select(t => Why("trunk", t.Id, t.Name)));
            result.AddRange(after.Ports.Select(p => Why("port", p.Id, p.Name)));
            result.AddRange(after.SecurityGroups.Values.Select(g => Why("security group", g.Id, g.Name)));
            result.AddRange(vips.Select(p => Why("VIP port", p.Id, p.Name)));
            if (compute is not null)
            {
                var images = await BootstrapDestroyer.ListImagesAsync(compute, ClusterNames.ClusterTag(infraId), cancellationToken).ConfigureAwait(false);
                result.AddRange(images.Select(i => Why("image", i.Id, i.Name)));
                var credentials = await BootstrapDestroyer.ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false);
                result.AddRange(credentials.Select(c => Why("application credential", c.Id, c.Name)));
            }

            var seen = result.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            lock (_lock)
            {
                // Failures of resources the final listing no longer shows (e.g. a VIP port whose groups could not be removed).
                result.AddRange(_failures.Values.Where(f => !seen.Contains(f.Id) && f.Kind == "VIP port"));
            }

            return result;
        }

        private async Task<bool> RetryAsync(Func<Task<bool>> action)
        {
            var delay = options.RetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await action().ConfigureAwait(false);
                }
                catch (OpenStackException ex) when (attempt < options.Attempts && IsRetriable(ex))
                {
                    options.Progress.Message($"{ex.Method} {ex.RequestUri?.AbsolutePath}: {(int?)ex.StatusCode} {ex.ErrorType}; retrying in {delay.TotalSeconds:0.#} s");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }

        private static bool IsRetriable(OpenStackException ex) =>
            ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or null;

        private void Record(string message)
        {
            lock (_lock)
            {
                _deleted.Add(message);
            }
        }

        private void Fail(Leftover leftover)
        {
            lock (_lock)
            {
                _failures[leftover.Id] = leftover;
            }
        }

        private static string Display(string name, string id) => string.IsNullOrEmpty(name) ? id : $"{name} ({id})";
    }
}
