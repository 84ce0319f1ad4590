using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// The Neutron look-ups manifest generation may need. Generation itself stays pure: <c>AssetGraph.InstallAssets.Facts</c>
/// calls these once and the generators read the resulting <see cref="CloudFacts"/>. Each returns null when nothing
/// matches.
/// </summary>
public interface IOpenStackLookup
{
    /// <summary>
    /// The <c>network_id</c> of the first subnet matching id and/or name (<c>GET /v2.0/subnets?name=&amp;id=</c>),
    /// as the reference does for a dual-stack <c>controlPlanePort</c> without a network (OCPBUGS-19462).
    /// </summary>
    Task<string?> FindSubnetNetworkIdAsync(string? subnetId, string? subnetName, CancellationToken cancellationToken = default);

    /// <summary>The id of the subnet with this name (on the network, when given); null when none or several.</summary>
    Task<string?> FindSubnetIdAsync(string subnetName, string? networkId, CancellationToken cancellationToken = default);

    /// <summary>The id of the network with this name (for cloud.conf <c>floating-network-id</c>); null when none or several.</summary>
    Task<string?> FindNetworkIdAsync(string networkName, CancellationToken cancellationToken = default);

    /// <summary>The name of the network with this id (for cloud.conf <c>internal-network-name</c>); null when not found.</summary>
    Task<string?> FindNetworkNameAsync(string networkId, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IOpenStackLookup"/> over the ShiftStack OpenStack client.</summary>
public sealed class NetworkingLookup : IOpenStackLookup
{
    private readonly NetworkingClient _client;

    /// <summary>Uses <paramref name="client"/> (not disposed here).</summary>
    public NetworkingLookup(NetworkingClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc />
    public async Task<string?> FindSubnetNetworkIdAsync(string? subnetId, string? subnetName, CancellationToken cancellationToken = default)
    {
        var subnets = await _client.Subnets.ListAsync(new SubnetListOptions
        {
            Name = string.IsNullOrEmpty(subnetName) ? null : subnetName,
            Ids = string.IsNullOrEmpty(subnetId) ? null : [subnetId],
        }, cancellationToken).ConfigureAwait(false);
        return subnets.Count == 0 ? null : subnets[0].NetworkId;
    }

    /// <inheritdoc />
    public async Task<string?> FindSubnetIdAsync(string subnetName, string? networkId, CancellationToken cancellationToken = default)
    {
        var subnets = await _client.Subnets.ListAsync(new SubnetListOptions
        {
            Name = subnetName,
            NetworkId = string.IsNullOrEmpty(networkId) ? null : networkId,
        }, cancellationToken).ConfigureAwait(false);
        return subnets.Count == 1 ? subnets[0].Id : null;
    }

    /// <inheritdoc />
    public async Task<string?> FindNetworkIdAsync(string networkName, CancellationToken cancellationToken = default)
    {
        var networks = await _client.Networks.ListAsync(new NetworkListOptions { Name = networkName }, cancellationToken).ConfigureAwait(false);
        return networks.Count == 1 ? networks[0].Id : null;
    }

    /// <inheritdoc />
    public async Task<string?> FindNetworkNameAsync(string networkId, CancellationToken cancellationToken = default)
    {
        var networks = await _client.Networks.ListAsync(new NetworkListOptions { Ids = [networkId] }, cancellationToken).ConfigureAwait(false);
        return networks.Count == 1 ? networks[0].Name : null;
    }
}
