using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Destroy;

/// <summary>
/// <c>shiftstack destroy bootstrap</c>, after <c>openshift-install wait-for bootstrap-complete</c>: removes the
/// bootstrap machine and nothing else — its server (waiting until Nova has released its ports), its floating IP
/// (<c>&lt;infraID&gt;-bootstrap-fip</c>), its ports (<c>&lt;infraID&gt;-bootstrap-&lt;n&gt;</c>) and the Glance image
/// holding its Ignition (<c>&lt;infraID&gt;-ignition</c>), as the UPI <c>down-bootstrap.yaml</c> playbook and the
/// installer's own bootstrap destroy do. Each is found by the cluster tag and its name, so a second run finds nothing
/// and succeeds. The provisioning state remembers the removal: a later <c>create cluster</c> does not bring the
/// bootstrap back.
/// </summary>
public static class BootstrapDestroyer
{
    /// <summary>Removes the bootstrap machine.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova and Glance (null: the cloud has none; only the Neutron side is looked at).</param>
    /// <param name="infraId">The cluster.</param>
    /// <param name="state">The provisioning state.</param>
    /// <param name="options">Retries, progress.</param>
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
        var deleted = new List<string>();
        var leftovers = new List<Leftover>();
        var found = await FindAsync(network, compute, infraId, cancellationToken).ConfigureAwait(false);
        state.MarkBootstrapRemoved();

        async Task Delete(string kind, string id, string name, string? reference, Func<CancellationToken, Task<bool>> delete)
        {
            var step = $"delete {kind} {id}";
            options.Progress.Started(step, $"delete {kind} {name} ({id})");
            try
            {
                var existed = await RetryAsync(() => delete(cancellationToken), options, cancellationToken).ConfigureAwait(false);
                if (reference is not null)
                {
                    state.Forget(reference);
                }

                var message = existed ? $"deleted {kind} {name} ({id})" : $"{kind} {name} ({id}) was already gone";
                deleted.Add(message);
                options.Progress.Completed(step, message);
            }
            catch (OpenStackException e)
            {
                leftovers.Add(new Leftover(kind, id, name, e.Message));
                options.Progress.Failed(step, $"delete {kind} {name}", e.Message);
            }
        }

        // 1. The server; its ports are released only once Nova has removed it.
        foreach (var server in found.Servers)
        {
            await Delete("server", server.Id, server.Name, Refs.Server(server.Name), ct => compute!.DeleteServerAsync(server.Id, ct)).ConfigureAwait(false);
        }

        if (found.Servers.Count > 0 && compute is not null)
        {
            var deadline = DateTimeOffset.UtcNow + options.ServerDeleteTimeout;
            var pending = found.Servers.Where(s => !leftovers.Any(l => l.Id == s.Id)).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
            while (pending.Count > 0)
            {
                foreach (var (id, _) in pending.ToList())
                {
                    var server = await compute.FindServerAsync(id, cancellationToken).ConfigureAwait(false);
                    if (server is null || string.Equals(server.Status, "DELETED", StringComparison.OrdinalIgnoreCase))
                    {
                        pending.Remove(id);
                    }
                }

                if (pending.Count == 0)
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    leftovers.AddRange(pending.Select(p => new Leftover("server", p.Key, p.Value, $"still there {options.ServerDeleteTimeout.TotalMinutes:0} minutes after its deletion")));
                    break;
                }

                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        // 2. Floating IP, ports, Ignition image.
        foreach (var fip in found.FloatingIps)
        {
            await Delete("floating IP", fip.Id, fip.FloatingIpAddress, Refs.BootstrapFloatingIp, ct => network.FloatingIps.DeleteIfExistsAsync(fip.Id, ct)).ConfigureAwait(false);
        }

        foreach (var port in found.Ports)
        {
            await Delete("port", port.Id, port.Name, Refs.Port(port.Name), ct => network.Ports.DeleteIfExistsAsync(port.Id, ct)).ConfigureAwait(false);
        }

        foreach (var image in found.Images)
        {
            await Delete("image", image.Id, image.Name, Refs.BootstrapIgnitionImage, ct => compute!.DeleteImageAsync(image.Id, ct)).ConfigureAwait(false);
        }

        // The application credential whose token the bootstrap's shim carried: deleting it revokes the token.
        foreach (var (id, name) in await ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false))
        {
            await Delete("application credential", id, name, null, ct => compute!.DeleteApplicationCredentialAsync(id, ct)).ConfigureAwait(false);
        }

        // 3. What is still there?
        var after = await FindAsync(network, compute, infraId, cancellationToken).ConfigureAwait(false);
        var reported = leftovers.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        leftovers.AddRange(after.Servers.Where(s => !reported.Contains(s.Id)).Select(s => new Leftover("server", s.Id, s.Name, "still present after destroy")));
        leftovers.AddRange(after.FloatingIps.Where(f => !reported.Contains(f.Id)).Select(f => new Leftover("floating IP", f.Id, f.FloatingIpAddress, "still present after destroy")));
        leftovers.AddRange(after.Ports.Where(p => !reported.Contains(p.Id)).Select(p => new Leftover("port", p.Id, p.Name, "still present after destroy")));
        leftovers.AddRange(after.Images.Where(i => !reported.Contains(i.Id)).Select(i => new Leftover("image", i.Id, i.Name, "still present after destroy")));
        leftovers.AddRange((await ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false))
            .Where(c => !reported.Contains(c.Id)).Select(c => new Leftover("application credential", c.Id, c.Name, "still present after destroy")));
        return new DestroyResult(
            deleted,
            leftovers,
            network.Requests.Total - beforeTotal,
            ClusterProvisioner.Difference(before, network.Requests.Snapshot()),
            DateTimeOffset.UtcNow - started);
    }

    /// <summary>
    /// The bootstrap Ignition's application credentials (<see cref="ClusterNames.BootstrapIgnitionCredential"/>) of the
    /// current user; none when the cloud has no compute side, or when Keystone does not let the user list them.
    /// </summary>
    internal static async Task<IReadOnlyList<(string Id, string Name)>> ListCredentialsAsync(IComputeProvisioning? compute, string infraId, CancellationToken cancellationToken)
    {
        if (compute is null)
        {
            return [];
        }

        try
        {
            return await compute.ListApplicationCredentialsAsync(ClusterNames.BootstrapIgnitionCredential(infraId), cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>The bootstrap's resources that exist now.</summary>
    internal static async Task<(IReadOnlyList<ServerInfo> Servers, IReadOnlyList<FloatingIp> FloatingIps, IReadOnlyList<Port> Ports, IReadOnlyList<ImageInfo> Images)> FindAsync(
        NetworkingClient network, IComputeProvisioning? compute, string infraId, CancellationToken cancellationToken)
    {
        var tag = ClusterNames.ClusterTag(infraId);
        var machine = ClusterNames.BootstrapMachine(infraId);
        var fipDescription = ClusterNames.BootstrapFloatingIpDescription(infraId);
        var imageName = DesiredIgnitionImage.NameFor(infraId);
        var serversTask = compute is null ? Task.FromResult<IReadOnlyList<ServerInfo>>([]) : compute.ListServersByNameAsync(machine, cancellationToken);
        var imagesTask = compute is null ? Task.FromResult<IReadOnlyList<ImageInfo>>([]) : ListImagesAsync(compute, tag, cancellationToken);
        var portsTask = network.Ports.ListAsync(new PortListOptions { Tags = [tag] }, cancellationToken);
        var fipsTask = network.FloatingIps.ListAsync(new FloatingIpListOptions { Tags = [tag] }, cancellationToken);
        await Task.WhenAll(serversTask, imagesTask, portsTask, fipsTask).ConfigureAwait(false);

        // A server of that name that is not the cluster's (no cluster tag) is the user's: never touched.
        var servers = serversTask.Result.Where(s => s.Tags.Contains(tag, StringComparer.Ordinal)).ToList();
        var ports = portsTask.Result.Where(p => BootstrapMachine.IsPort(infraId, p.Name)).ToList();
        var portIds = ports.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var fips = fipsTask.Result.Where(f => string.Equals(f.Description, fipDescription, StringComparison.Ordinal)
            || (f.PortId is not null && portIds.Contains(f.PortId))).ToList();
        var images = imagesTask.Result.Where(i => string.Equals(i.Name, imageName, StringComparison.Ordinal)).ToList();
        return (servers, fips, ports, images);
    }

    /// <summary>The cluster's images; a cloud without Glance has none.</summary>
    internal static async Task<IReadOnlyList<ImageInfo>> ListImagesAsync(IComputeProvisioning compute, string tag, CancellationToken cancellationToken)
    {
        try
        {
            return await compute.ListImagesAsync(tag, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.ErrorType == ErrorTypes.EndpointNotFound)
        {
            return [];
        }
    }

    private static async Task<bool> RetryAsync(Func<Task<bool>> action, DestroyOptions options, CancellationToken cancellationToken)
    {
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (OpenStackException e) when (attempt < options.Attempts && (e.StatusCode is System.Net.HttpStatusCode.Conflict or null || (int?)e.StatusCode >= 500))
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
