using ShiftStack.InstallConfig;
using ShiftStack.Networking;
using ShiftStack.OpenStack;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// The cloud facts manifest generation needs, looked up once, before any generator runs; the generators are pure
/// functions of the install-config, the cluster identity and these facts.
/// </summary>
/// <param name="ControlPlaneNetworkId">The control-plane network id: given, or discovered from the first subnet.</param>
/// <param name="NetworkDiscovered">True when <paramref name="ControlPlaneNetworkId"/> was discovered (OCPBUGS-19462).</param>
/// <param name="PrimarySubnetId">The id of <c>controlPlanePort.fixedIPs[0]</c>: given, or resolved from its name.</param>
/// <param name="ExternalNetworkId">The id of <c>platform.openstack.externalNetwork</c>, when known.</param>
/// <param name="Region">The clouds.yaml region, when known.</param>
/// <param name="CaBundle">The clouds.yaml CA bundle, when known.</param>
/// <param name="Notes">What could not be looked up and what that changes (printed as warnings).</param>
/// <param name="ControlPlaneNetworkName">
/// The control-plane network's Neutron name: given, or looked up from its id (cloud.conf
/// <c>internal-network-name</c> takes a name, never an id); null offline when only the id is known.
/// </param>
public sealed record CloudFacts(
    string? ControlPlaneNetworkId,
    bool NetworkDiscovered,
    string? PrimarySubnetId,
    string? ExternalNetworkId,
    string? Region,
    string? CaBundle,
    IReadOnlyList<string> Notes,
    string? ControlPlaneNetworkName = null)
{
    /// <summary>
    /// Collects the facts for <paramref name="config"/>. With <paramref name="lookup"/> null (offline), a dual-stack
    /// control-plane port whose network cannot be known fails with a message naming
    /// <c>platform.openstack.controlPlanePort.network</c>.
    /// </summary>
    public static async Task<CloudFacts> CollectAsync(InstallConfiguration config, IOpenStackLookup? lookup,
        LocalCloudSettings? settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var os = config.Platform.OpenStack ?? throw new AssetException("platform.openstack is required");
        var notes = new List<string>();
        string? networkId = null;
        var discovered = false;
        string? primarySubnetId = null;
        string? externalNetworkId = null;
        string? networkName = null;
        try
        {
            if (os.ControlPlanePort is { } port)
            {
                networkId = Blank(port.Network.Id);
                var first = port.FixedIPs.Count > 0 ? port.FixedIPs[0].Subnet : null;
                if (networkId is null && Blank(port.Network.Name) is null && port.FixedIPs.Count == 2)
                {
                    if (lookup is null)
                    {
                        throw new AssetException(
                            "platform.openstack.controlPlanePort.network: the control-plane network is needed so that every node gets one port " +
                            "carrying both fixed IPs, and with --offline ShiftStack cannot look it up from subnet " +
                            $"{Describe(first!)}; set platform.openstack.controlPlanePort.network.id (or .name) in install-config.yaml, " +
                            "or run without --offline");
                    }
                    networkId = await lookup.FindSubnetNetworkIdAsync(Blank(first!.Id), Blank(first.Name), cancellationToken).ConfigureAwait(false)
                        ?? throw new AssetException($"platform.openstack.controlPlanePort.fixedIPs[0].subnet: subnet not found: {Describe(first)}");
                    discovered = true;
                }
                networkName = Blank(port.Network.Name);
                if (networkName is null && networkId is not null && config.Networking is not null
                    && CidrList.HasBothFamilies(Addresses.CloudProviderNetworking.MachineCidrs(config)))
                {
                    if (lookup is not null)
                    {
                        networkName = await lookup.FindNetworkNameAsync(networkId, cancellationToken).ConfigureAwait(false);
                    }
                    if (string.IsNullOrEmpty(networkName))
                    {
                        networkName = null;
                        notes.Add($"cloud.conf has no [Networking] internal-network-name: the name of network {networkId} is not known"
                            + (lookup is null ? " offline" : string.Empty) + "; an additional network's addresses may then be reported as InternalIPs");
                    }
                }
                if (first is not null)
                {
                    primarySubnetId = Blank(first.Id);
                    if (primarySubnetId is null && Blank(first.Name) is { } name)
                    {
                        if (lookup is not null)
                        {
                            primarySubnetId = await lookup.FindSubnetIdAsync(name, networkId, cancellationToken).ConfigureAwait(false);
                        }
                        if (primarySubnetId is null)
                        {
                            notes.Add($"primarySubnet left out of the Machine specs: the id of subnet \"{name}\" is not known " +
                                (lookup is null ? "offline" : "(no single subnet has that name)") + "; MAPO ignores the field (docs/deviations.md §3)");
                        }
                    }
                }
            }
            if (Blank(os.ExternalNetwork) is { } external)
            {
                if (lookup is not null)
                {
                    externalNetworkId = await lookup.FindNetworkIdAsync(external, cancellationToken).ConfigureAwait(false)
                        ?? throw new AssetException($"platform.openstack.externalNetwork: network not found: \"{external}\"");
                }
                else
                {
                    notes.Add($"cloud.conf has no [LoadBalancer] floating-network-id: the id of external network \"{external}\" is not known offline");
                }
            }
        }
        catch (OpenStackException e)
        {
            throw new AssetException($"OpenStack look-up failed: {e.Message}", isCloudError: true, innerException: e);
        }
        if (settings is null)
        {
            notes.Add("cloud.conf has no region or ca-file: the clouds.yaml entry was not read");
        }
        return new CloudFacts(networkId, discovered, primarySubnetId, externalNetworkId, settings?.Region, settings?.CaBundle, notes, networkName);
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Describe(SubnetFilter subnet) =>
        Blank(subnet.Id) is { } id ? $"id {id}" : $"\"{subnet.Name}\"";
}
