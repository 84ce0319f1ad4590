using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>
/// Fetches the <see cref="ConversionFacts"/> of a cluster with GET requests only (independent look-ups concurrently):
/// the cluster network, its subnets, the IPv6 subnet and its router interfaces, the VIP ports (by
/// <c>network_id</c> and <c>fixed_ips=ip_address=&lt;IPv4 VIP&gt;</c>), the ports and security groups tagged
/// <c>openshiftClusterID=&lt;infraID&gt;</c>.
/// </summary>
public static class ConversionFactsCollector
{
    /// <summary>Collects the facts.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="config">The cluster's processed install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="request">The request (for <c>--ipv6-subnet</c>).</param>
    /// <param name="record">The conversion record, if any.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ConversionException">The cluster network cannot be found.</exception>
    public static async Task<ConversionFacts> CollectAsync(
        NetworkingClient network,
        InstallConfiguration config,
        string infraId,
        ConversionRequest request,
        ConversionRecord? record,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        var os = config.Platform.OpenStack ?? throw new ConversionException("platform.openstack is not set: ShiftStack converts OpenStack clusters only");
        var tag = ClusterNames.ClusterTag(infraId);

        var portsTask = network.Ports.ListAsync(new PortListOptions { Tags = [tag] }, cancellationToken);
        var groupsTask = network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] }, cancellationToken);
        var clusterNetwork = await FindClusterNetworkAsync(network, os, tag, cancellationToken).ConfigureAwait(false);

        var subnetsTask = network.Subnets.ListAsync(new SubnetListOptions { NetworkId = clusterNetwork.Id }, cancellationToken);
        var vipTasks = new List<(VipRole Role, string Vip, Task<IReadOnlyList<Port>> Ports)>();
        foreach (var (role, list) in new[] { (VipRole.Api, os.ApiVips), (VipRole.Ingress, os.IngressVips) })
        {
            var v4 = list.Select(v => IpAddresses.TryParse(v, out IPAddress? a) ? a : null)
                .FirstOrDefault(a => a is not null && IpAddresses.FamilyOf(a) == IpFamily.IPv4);
            if (v4 is not null)
            {
                vipTasks.Add((role, IpAddresses.Canonical(v4), network.Ports.ListAsync(
                    new PortListOptions { NetworkId = clusterNetwork.Id, FixedIps = [FixedIpFilter.ByIpAddress(v4)] }, cancellationToken)));
            }
        }

        await Task.WhenAll([subnetsTask, portsTask, groupsTask, .. vipTasks.Select(v => v.Ports)]).ConfigureAwait(false);
        var subnets = subnetsTask.Result;

        var vipPorts = new List<VipPortInfo>();
        foreach (var (role, vip, task) in vipTasks)
        {
            // A node port carrying the VIP as a fixed IP would be a misconfiguration; the VIP port is the one that is no node's.
            var candidates = task.Result.Where(p => !p.DeviceOwner.StartsWith("compute:", StringComparison.Ordinal)).ToList();
            if (candidates.Count > 1)
            {
                throw new ConversionException($"found multiple ports matching network ID {clusterNetwork.Id} and IP {vip}, cannot proceed");
            }

            vipPorts.Add(new VipPortInfo(role, vip, candidates.Count == 1 ? candidates[0] : null));
        }

        var vipIds = vipPorts.Where(v => v.Port is not null).Select(v => v.Port!.Id).ToHashSet(StringComparer.Ordinal);
        var nodePorts = portsTask.Result.Where(p => p.NetworkId == clusterNetwork.Id && !vipIds.Contains(p.Id)).ToList();

        // Ports the record knows that lost their cluster tag (so that reversal still finds them).
        var known = nodePorts.Select(p => p.Id).Concat(vipIds).ToHashSet(StringComparer.Ordinal);
        var missing = record?.Ports.Where(p => !known.Contains(p.Id)).Select(p => p.Id).ToList() ?? [];
        if (missing.Count > 0)
        {
            nodePorts.AddRange(await network.Ports.ListAsync(new PortListOptions { Ids = missing }, cancellationToken).ConfigureAwait(false));
        }

        var groups = new Dictionary<SecurityGroupRole, SecurityGroup>();
        foreach (var role in SecurityGroupRuleTable.Groups)
        {
            var name = ClusterNames.SecurityGroup(infraId, role);
            if (groupsTask.Result.FirstOrDefault(g => g.Name == name) is { } group)
            {
                groups[role] = group;
            }
        }

        // The IPv6 subnet: --ipv6-subnet for dual-stack, the recorded one for single-stack.
        var wanted = request.Target == ConversionTarget.DualStack ? request.Ipv6Subnet : record?.Ipv6SubnetId;
        Subnet? ipv6 = null;
        string? problem = null;
        if (!string.IsNullOrEmpty(wanted))
        {
            (ipv6, problem) = await FindSubnetAsync(network, subnets, wanted, cancellationToken).ConfigureAwait(false);
        }
        else if (request.Target == ConversionTarget.DualStack)
        {
            problem = "--ipv6-subnet is required: the ID or name of the IPv6 subnet you added to the cluster network";
        }

        IReadOnlyList<Port> routers = [];
        if (ipv6 is not null && request.Target == ConversionTarget.DualStack)
        {
            var onSubnet = await network.Ports.ListAsync(
                new PortListOptions { NetworkId = ipv6.NetworkId, FixedIps = [FixedIpFilter.BySubnet(ipv6.Id)] }, cancellationToken).ConfigureAwait(false);
            routers = onSubnet.Where(p => p.DeviceOwner.StartsWith(DeviceOwners.RouterInterface, StringComparison.Ordinal)
                || p.DeviceOwner == "network:ha_router_replicated_interface").ToList();
        }

        return new ConversionFacts
        {
            InfraId = infraId,
            Config = config,
            ClusterNetwork = clusterNetwork,
            NetworkSubnets = subnets,
            Ipv6Subnet = ipv6,
            Ipv6SubnetProblem = problem,
            RouterInterfaces = routers,
            VipPorts = vipPorts,
            NodePorts = nodePorts,
            SecurityGroups = groups,
            Record = record,
        };
    }

    private static async Task<Network> FindClusterNetworkAsync(NetworkingClient network, OpenStackPlatform os, string tag, CancellationToken cancellationToken)
    {
        if (os.ControlPlanePort is { } cpp)
        {
            if (!string.IsNullOrEmpty(cpp.Network.Id))
            {
                return await network.Networks.FindAsync(cpp.Network.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new ConversionException($"platform.openstack.controlPlanePort.network: network {cpp.Network.Id} not found");
            }

            if (cpp.FixedIPs.Count > 0)
            {
                var filter = cpp.FixedIPs[0].Subnet;
                var found = await network.Subnets.ListAsync(new SubnetListOptions
                {
                    Ids = string.IsNullOrEmpty(filter.Id) ? null : [filter.Id],
                    Name = string.IsNullOrEmpty(filter.Name) ? null : filter.Name,
                }, cancellationToken).ConfigureAwait(false);
                if (found.Count == 1)
                {
                    return await network.Networks.GetAsync(found[0].NetworkId, cancellationToken).ConfigureAwait(false);
                }

                if (string.IsNullOrEmpty(cpp.Network.Name))
                {
                    throw new ConversionException($"platform.openstack.controlPlanePort.fixedIPs[0].subnet: {found.Count} subnets match {filter.Id ?? filter.Name}, expected one");
                }
            }

            if (!string.IsNullOrEmpty(cpp.Network.Name))
            {
                var byName = await network.Networks.ListAsync(new NetworkListOptions { Name = cpp.Network.Name }, cancellationToken).ConfigureAwait(false);
                return byName.Count == 1 ? byName[0]
                    : throw new ConversionException($"platform.openstack.controlPlanePort.network: {byName.Count} networks named {cpp.Network.Name}, expected one");
            }
        }

        // Installer-managed network: <infraID>-network, tagged with the cluster tag.
        var tagged = await network.Networks.ListAsync(new NetworkListOptions { Tags = [tag] }, cancellationToken).ConfigureAwait(false);
        return tagged.Count == 1 ? tagged[0]
            : throw new ConversionException(tagged.Count == 0
                ? $"cannot find the cluster network: the install-config has no controlPlanePort and no network is tagged {tag}"
                : $"more than one network is tagged {tag}: cannot tell which one is the cluster network");
    }

    private static async Task<(Subnet? Subnet, string? Problem)> FindSubnetAsync(NetworkingClient network, IReadOnlyList<Subnet> onNetwork, string wanted, CancellationToken cancellationToken)
    {
        var byId = onNetwork.FirstOrDefault(s => s.Id == wanted);
        if (byId is not null)
        {
            return (byId, null);
        }

        var byName = onNetwork.Where(s => s.Name == wanted).ToList();
        if (byName.Count == 1)
        {
            return (byName[0], null);
        }

        if (byName.Count > 1)
        {
            return (null, $"{byName.Count} subnets of the cluster network are named {wanted}: pass its ID");
        }

        // Not on the cluster network: find it anywhere, so that the check can say where it is.
        IReadOnlyList<Subnet> elsewhere = Guid.TryParse(wanted, out _)
            ? await network.Subnets.ListAsync(new SubnetListOptions { Ids = [wanted] }, cancellationToken).ConfigureAwait(false)
            : [];
        if (elsewhere.Count == 0)
        {
            elsewhere = await network.Subnets.ListAsync(new SubnetListOptions { Name = wanted }, cancellationToken).ConfigureAwait(false);
        }

        return elsewhere.Count switch
        {
            1 => (elsewhere[0], null),
            0 => (null, $"subnet {wanted} not found"),
            _ => (null, $"{elsewhere.Count} subnets are named {wanted}, none on the cluster network"),
        };
    }
}
