using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// Finds what exists of a cluster: everything tagged <c>openshiftClusterID=&lt;infraID&gt;</c> (one list request
/// per kind, concurrently), plus the resources the state file knows of that a crash may have left untagged (a
/// security group or floating IP between its POST and its tagging).
/// </summary>
/// <remarks>
/// A create whose answer was lost (a crash or Ctrl+C while it was in flight) may still be carried out by the cloud
/// after the run died: Nova took 5 s to finish such a server POST on the local cloud, and a re-run that looked in
/// between created a second server on the same port (found by the crash-and-resume test). So a recorded intent
/// without an ID that is younger than <see cref="UnansweredCreateWindow"/> and not found yet is looked for again,
/// every <see cref="UnansweredCreatePoll"/>, until it turns up or the window has passed. The same for a security
/// group's bulk rule create (two of them committed concurrently left every rule twice, also found by that test).
/// </remarks>
public static class ClusterObserver
{
    /// <summary>How long after its intent an unanswered create may still appear (six times the 5 s seen on the local Nova).</summary>
    public static readonly TimeSpan UnansweredCreateWindow = TimeSpan.FromSeconds(30);

    /// <summary>How often an unanswered create is looked for again.</summary>
    public static readonly TimeSpan UnansweredCreatePoll = TimeSpan.FromSeconds(1);

    /// <summary>Lists the cluster's resources.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova (null: servers and server groups are not looked at).</param>
    /// <param name="infraId">The cluster.</param>
    /// <param name="state">The state (for untagged leftovers).</param>
    /// <param name="includeTrunks">Also list trunks (destroy).</param>
    /// <param name="includeFloatingIps">
    /// List the tagged floating IPs (default); provisioning without an external network has none to look for, unless
    /// the state records one.
    /// </param>
    /// <param name="unansweredCreateWindow">Overrides <see cref="UnansweredCreateWindow"/> (tests).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>What exists.</returns>
    public static async Task<ObservedCluster> ObserveAsync(
        NetworkingClient network,
        IComputeProvisioning? compute,
        string infraId,
        ProvisioningStateStore state,
        bool includeTrunks = false,
        bool includeFloatingIps = true,
        TimeSpan? unansweredCreateWindow = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(state);
        var tag = ClusterNames.ClusterTag(infraId);
        var recorded = state.Resources;
        var window = unansweredCreateWindow ?? UnansweredCreateWindow;

        var groupsTask = network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] }, cancellationToken);
        var portsTask = network.Ports.ListAsync(new PortListOptions { Tags = [tag] }, cancellationToken);
        var fipsTask = includeFloatingIps || recorded.ContainsKey(Refs.BootstrapFloatingIp)
            ? network.FloatingIps.ListAsync(new FloatingIpListOptions { Tags = [tag] }, cancellationToken)
            : Task.FromResult<IReadOnlyList<FloatingIp>>([]);
        var trunksTask = includeTrunks
            ? network.Trunks.ListAsync(new TrunkListOptions { Tags = [tag] }, cancellationToken)
            : Task.FromResult<IReadOnlyList<Trunk>>([]);
        var serverGroupsTask = compute is null
            ? Task.FromResult<IReadOnlyList<ServerGroupInfo>>([])
            : compute.ListServerGroupsAsync(name => ClusterNames.IsServerGroup(infraId, name), cancellationToken);
        var serversTask = compute is null
            ? Task.FromResult<IReadOnlyList<ServerInfo>>([])
            : compute.ListServersAsync(tag, cancellationToken);
        await Task.WhenAll(groupsTask, portsTask, fipsTask, trunksTask, serverGroupsTask, serversTask).ConfigureAwait(false);

        var groups = new Dictionary<SecurityGroupRole, SecurityGroup>();
        foreach (var role in SecurityGroupRuleTable.Groups)
        {
            var name = ClusterNames.SecurityGroup(infraId, role);
            var found = groupsTask.Result.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal));
            if (found is null && recorded.TryGetValue(Refs.SecurityGroup(role), out var record))
            {
                // Created but maybe not tagged yet: by ID if the state has it, else by its (cluster-unique) name.
                found = record.Id is not null
                    ? await network.SecurityGroups.FindAsync(record.Id, cancellationToken).ConfigureAwait(false)
                    : await FindUnansweredAsync(record, window, async () =>
                        (await network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = name }, cancellationToken).ConfigureAwait(false))
                            .FirstOrDefault(g => string.Equals(g.Description, ClusterNames.InstallerDescription, StringComparison.Ordinal)), cancellationToken).ConfigureAwait(false);
            }

            if (found is not null && recorded.TryGetValue(Refs.SecurityGroupRules(role), out var rulesRecord))
            {
                // Its bulk rule create was unanswered: the rules appear all at once (one transaction), if at all.
                var id = found.Id;
                var before = found.SecurityGroupRules.Count;
                found = await FindUnansweredAsync(rulesRecord, window, async () =>
                    await network.SecurityGroups.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } g
                        && g.SecurityGroupRules.Count > before ? g : null, cancellationToken).ConfigureAwait(false)
                    ?? found;
            }

            if (found is not null)
            {
                groups[role] = found;
            }
        }

        var fips = fipsTask.Result.ToList();
        var description = ClusterNames.BootstrapFloatingIpDescription(infraId);
        if (!fips.Any(f => f.Description == description) && recorded.TryGetValue(Refs.BootstrapFloatingIp, out var fipRecord))
        {
            var found = fipRecord.Id is not null
                ? await network.FloatingIps.FindAsync(fipRecord.Id, cancellationToken).ConfigureAwait(false)
                : await FindUnansweredAsync(fipRecord, window, async () =>
                    First(await network.FloatingIps.ListAsync(new FloatingIpListOptions { Description = description }, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                fips.Add(found);
            }
        }

        // Node ports created by a run that died before tagging them: by name and the installer's description.
        var ports = portsTask.Result.ToList();
        foreach (var record in recorded.Values.Where(r => r.Kind == "port" && r.Id is null))
        {
            if (ports.Any(p => p.Name == record.Name))
            {
                continue;
            }

            var found = await FindUnansweredAsync(record, window, async () =>
                (await network.Ports.ListAsync(new PortListOptions { Name = record.Name }, cancellationToken).ConfigureAwait(false))
                    .Where(p => string.Equals(p.Description, ClusterNames.PortDescription, StringComparison.Ordinal)).ToList() is { Count: > 0 } list ? list : null, cancellationToken).ConfigureAwait(false);
            ports.AddRange(found ?? []);
        }

        var serverGroups = serverGroupsTask.Result.ToList();
        if (compute is not null)
        {
            // Server groups are listed by name already; only an unanswered create is worth waiting for.
            foreach (var record in recorded.Values.Where(r => r.Kind == "server-group" && r.Id is null
                && !serverGroups.Any(g => string.Equals(g.Name, r.Name, StringComparison.Ordinal))))
            {
                var found = await FindUnansweredAsync(record, window, async () =>
                    First(await compute.ListServerGroupsAsync(name => string.Equals(name, record.Name, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    serverGroups.Add(found);
                }
            }
        }

        var servers = serversTask.Result.ToList();
        if (compute is not null)
        {
            // A server create that died before its response: Nova tags it in the create, so the tag list has it,
            // unless the cloud ignored the tags; then its recorded intent finds it by name.
            foreach (var record in recorded.Values.Where(r => r.Kind == "server"))
            {
                if (servers.Any(s => s.Name == record.Name))
                {
                    continue;
                }

                var found = record.Id is not null
                    ? await compute.FindServerAsync(record.Id, cancellationToken).ConfigureAwait(false)
                    : await FindUnansweredAsync(record, window, async () =>
                        (await compute.ListServersByNameAsync(record.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Metadata.TryGetValue(ClusterNames.ClusterIdKey, out var v) && v == infraId), cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    servers.Add(found);
                }
            }
        }

        return new ObservedCluster
        {
            SecurityGroups = groups,
            Ports = ports,
            FloatingIps = fips,
            ServerGroups = serverGroups,
            Servers = servers,
            Trunks = trunksTask.Result,
        };
    }

    /// <summary>
    /// Looks for a resource whose create was recorded but never answered; while the intent is younger than the window,
    /// looks again until it appears (the cloud may still be carrying out the create).
    /// </summary>
    private static async Task<T?> FindUnansweredAsync<T>(RecordedResource record, TimeSpan window, Func<Task<T?>> find, CancellationToken cancellationToken)
        where T : class
    {
        var found = await find().ConfigureAwait(false);
        while (found is null && record.IntentAt is { } intentAt && DateTimeOffset.UtcNow - intentAt < window)
        {
            await Task.Delay(UnansweredCreatePoll, cancellationToken).ConfigureAwait(false);
            found = await find().ConfigureAwait(false);
        }

        return found;
    }

    private static T? First<T>(IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;
}
