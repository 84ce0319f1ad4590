using ShiftStack.Installer.Planning;
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
        var run = new DestroyRun(network, compute, infraId, state, options, cancellationToken);
        var found = await FindAsync(network, compute, infraId, cancellationToken).ConfigureAwait(false);
        var credentials = await ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false);
        state.MarkBootstrapRemoved();

        // 1. The server; its ports are released only once Nova has removed it.
        await run.DeleteServersAsync(found.Servers).ConfigureAwait(false);

        // 2. Floating IP, ports, Ignition image, and the application credential whose token the bootstrap's shim
        //    carried (deleting it revokes the token).
        await run.ForEachAsync(found.FloatingIps, f => run.DeleteAsync("floating IP", f.Id, f.FloatingIpAddress, Refs.BootstrapFloatingIp, ct => network.FloatingIps.DeleteIfExistsAsync(f.Id, ct))).ConfigureAwait(false);
        await run.ForEachAsync(found.Ports, p => run.DeleteAsync("port", p.Id, p.Name, Refs.Port(p.Name), ct => network.Ports.DeleteIfExistsAsync(p.Id, ct))).ConfigureAwait(false);
        await run.ForEachAsync(found.Images, i => run.DeleteAsync("image", i.Id, i.Name, Refs.BootstrapIgnitionImage, ct => compute!.DeleteImageAsync(i.Id, ct))).ConfigureAwait(false);
        await run.ForEachAsync(credentials, c => run.DeleteAsync("application credential", c.Id, c.Name, null, ct => compute!.DeleteApplicationCredentialAsync(c.Id, ct))).ConfigureAwait(false);

        // 3. What is still there?
        var after = await FindAsync(network, compute, infraId, cancellationToken).ConfigureAwait(false);
        var leftovers = new List<Leftover>();
        leftovers.AddRange(after.Servers.Select(v => run.Why("server", v.Id, v.Name)));
        leftovers.AddRange(after.FloatingIps.Select(f => run.Why("floating IP", f.Id, f.FloatingIpAddress)));
        leftovers.AddRange(after.Ports.Select(p => run.Why("port", p.Id, p.Name)));
        leftovers.AddRange(after.Images.Select(i => run.Why("image", i.Id, i.Name)));
        leftovers.AddRange((await ListCredentialsAsync(compute, infraId, cancellationToken).ConfigureAwait(false)).Select(c => run.Why("application credential", c.Id, c.Name)));
        return new DestroyResult(
            run.Deleted,
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
}
