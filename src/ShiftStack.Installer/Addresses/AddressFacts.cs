using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Addresses;

/// <summary>What <c>shiftstack addresses</c> reads from Neutron, in one collection pass.</summary>
public sealed record AddressFacts
{
    /// <summary>Ports holding one of the install-config's VIPs.</summary>
    public IReadOnlyList<Port> VipPorts { get; init; } = [];

    /// <summary>Ports tagged <c>openshiftClusterID=&lt;infraID&gt;</c> (empty before provisioning).</summary>
    public IReadOnlyList<Port> NodePorts { get; init; } = [];

    /// <summary>The networks of those ports.</summary>
    public IReadOnlyList<Network> Networks { get; init; } = [];

    /// <summary>The subnets of those networks.</summary>
    public IReadOnlyList<Subnet> Subnets { get; init; } = [];

    /// <summary>Neutron requests made (including retries).</summary>
    public long NeutronRequests { get; init; }
}

/// <summary>
/// The one collection pass of <c>shiftstack addresses</c>: the VIP ports (one list request with every VIP as an ORed
/// <c>fixed_ips=ip_address=</c> filter) and the cluster's ports (one list request by tag) concurrently, then their
/// networks (one request by ids), then those networks' subnets (one request by ids). At most four Neutron requests.
/// </summary>
public static class AddressCollector
{
    /// <summary>Collects the facts.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="vips">The install-config's API and Ingress VIPs.</param>
    /// <param name="infraId">The cluster's infraID, or null before one exists (no node-port request then).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ShiftStack.OpenStack.OpenStackException">A request failed.</exception>
    public static async Task<AddressFacts> CollectAsync(NetworkingClient network, IEnumerable<string> vips, string? infraId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(vips);
        var before = network.Requests.ForService("network");
        var filters = FixedIpFilter.ByAnyIpAddress(vips);
        var vipTask = filters.Count == 0
            ? Task.FromResult<IReadOnlyList<Port>>([])
            : network.Ports.ListAsync(new PortListOptions { FixedIps = filters }, cancellationToken);
        var nodeTask = string.IsNullOrEmpty(infraId)
            ? Task.FromResult<IReadOnlyList<Port>>([])
            : network.Ports.ListAsync(new PortListOptions { Tags = [ClusterNames.ClusterTag(infraId)] }, cancellationToken);
        await Task.WhenAll(vipTask, nodeTask).ConfigureAwait(false);
        var vipPorts = vipTask.Result;
        var vipIds = vipPorts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var nodePorts = nodeTask.Result.Where(p => !vipIds.Contains(p.Id)).ToList();

        var networkIds = vipPorts.Concat(nodePorts).Select(p => p.NetworkId).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<Network> networks = networkIds.Count == 0
            ? []
            : await network.Networks.ListAsync(new NetworkListOptions { Ids = networkIds }, cancellationToken).ConfigureAwait(false);
        var subnetIds = networks.SelectMany(n => n.Subnets)
            .Concat(vipPorts.Concat(nodePorts).SelectMany(p => p.FixedIps).Select(ip => ip.SubnetId))
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<Subnet> subnets = subnetIds.Count == 0
            ? []
            : await network.Subnets.ListAsync(new SubnetListOptions { Ids = subnetIds }, cancellationToken).ConfigureAwait(false);

        return new AddressFacts
        {
            VipPorts = vipPorts,
            NodePorts = nodePorts,
            Networks = networks,
            Subnets = subnets,
            NeutronRequests = network.Requests.ForService("network") - before,
        };
    }
}
