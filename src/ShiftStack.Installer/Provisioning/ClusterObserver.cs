using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// Finds what exists of a cluster: everything tagged <c>openshiftClusterID=&lt;infraID&gt;</c> (one list request
/// per kind, concurrently), plus the resources the state file knows of that a crash may have left untagged (a
/// security group or floating IP between its POST and its tagging).
/// </summary>
public static class ClusterObserver
{
    /// <summary>Lists the cluster's resources.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova (null: servers and server groups are not looked at).</param>
    /// <param name="infraId">The cluster.</param>
    /// <param name="state">The state (for untagged leftovers).</param>
    /// <param name="includeTrunks">Also list trunks (destroy).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>What exists.</returns>
    public static async Task<ObservedCluster> ObserveAsync(
        NetworkingClient network,
        IComputeProvisioning? compute,
        string infraId,
        ProvisioningStateStore state,
        bool includeTrunks = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(state);
        var tag = ClusterNames.ClusterTag(infraId);
        var recorded = state.Resources;

        var groupsTask = network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] }, cancellationToken);
        var portsTask = network.Ports.ListAsync(new PortListOptions { Tags = [tag] }, cancellationToken);
        var fipsTask = network.FloatingIps.ListAsync(new FloatingIpListOptions { Tags = [tag] }, cancellationToken);
        var trunksTask = includeTrunks
            ? network.Trunks.ListAsync(new TrunkListOptions { Tags = [tag] }, cancellationToken)
            : Task.FromResult<IReadOnlyList<Trunk>>([]);
        var serverGroupsTask = compute is null
            ? Task.FromResult<IReadOnlyList<ServerGroupInfo>>([])
            : compute.ListServerGroupsAsync(ClusterNames.MasterServerGroup(infraId), cancellationToken);
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
                    : (await network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = name }, cancellationToken).ConfigureAwait(false))
                        .FirstOrDefault(g => string.Equals(g.Description, ClusterNames.InstallerDescription, StringComparison.Ordinal));
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
                : First(await network.FloatingIps.ListAsync(new FloatingIpListOptions { Description = description }, cancellationToken).ConfigureAwait(false));
            if (found is not null)
            {
                fips.Add(found);
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
                    : (await compute.ListServersByNameAsync(record.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Metadata.TryGetValue(ClusterNames.ClusterIdKey, out var v) && v == infraId);
                if (found is not null)
                {
                    servers.Add(found);
                }
            }
        }

        return new ObservedCluster
        {
            SecurityGroups = groups,
            Ports = portsTask.Result,
            FloatingIps = fips,
            ServerGroups = serverGroupsTask.Result,
            Servers = servers,
            Trunks = trunksTask.Result,
        };
    }

    private static T? First<T>(IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;
}
