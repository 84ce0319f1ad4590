using ShiftStack.Installer.Planning;
using System.Net;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Destroy;

/// <summary>
/// One destroy run (<c>destroy cluster</c>, <c>destroy bootstrap</c>): deletes with retries and progress, records what
/// was deleted and what failed, waits for Nova to release deleted servers, restores the user's VIP ports.
/// </summary>
internal sealed class DestroyRun(
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

    /// <summary>What is still there after this run: the failure recorded for it, else "still present after destroy".</summary>
    public Leftover Why(string kind, string id, string name)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(id, out var failure) ? failure : new Leftover(kind, id, name, "still present after destroy");
        }
    }

    /// <summary>What <c>destroy cluster</c> leaves: everything of the cluster a fresh observation still finds.</summary>
    public async Task<IReadOnlyList<Leftover>> FindLeftoversAsync()
    {
        var after = await ClusterObserver.ObserveAsync(network, compute, infraId, ProvisioningStateStore.InMemory(infraId), includeTrunks: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var vips = await network.Ports.ListAsync(new PortListOptions { TagsAny = [ClusterNames.VipPortTag(infraId)] }, cancellationToken).ConfigureAwait(false);
        var result = new List<Leftover>();
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
