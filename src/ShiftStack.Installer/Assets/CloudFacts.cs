using ShiftStack.InstallConfig;
using ShiftStack.Installer.Lookups;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

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
    /// The install-config's network facts these were made from; null offline. Provisioning in the same command reads
    /// them instead of asking Neutron again.
    /// </summary>
    public NetworkFacts? Network { get; init; }

    /// <summary>
    /// Makes the facts for <paramref name="config"/> from its <paramref name="network"/> facts. With
    /// <paramref name="network"/> null (offline), a dual-stack control-plane port whose network cannot be known fails
    /// with a message naming <c>platform.openstack.controlPlanePort.network</c>.
    /// </summary>
    /// <exception cref="AssetException">Something the install-config names does not exist.</exception>
    public static CloudFacts From(InstallConfiguration config, NetworkFacts? network, LocalCloudSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        var os = config.Platform.OpenStack ?? throw new AssetException("platform.openstack is required");
        var notes = new List<string>();
        string? networkId = null;
        var discovered = false;
        string? primarySubnetId = null;
        string? externalNetworkId = null;
        string? networkName = null;
        if (os.ControlPlanePort is { } port)
        {
            networkId = Blank(port.Network.Id);
            var first = port.FixedIPs.Count > 0 ? port.FixedIPs[0].Subnet : null;
            IReadOnlyList<Subnet> firstMatches = network is { ControlPlanePortSubnets.Count: > 0 } ? network.ControlPlanePortSubnets[0].Matches : [];
            if (networkId is null && Blank(port.Network.Name) is null && port.FixedIPs.Count == 2)
            {
                if (network is null)
                {
                    throw new AssetException(
                        "platform.openstack.controlPlanePort.network: the control-plane network is needed so that every node gets one port " +
                        "carrying both fixed IPs, and with --offline ShiftStack cannot look it up from subnet " +
                        $"{Describe(first!)}; set platform.openstack.controlPlanePort.network.id (or .name) in install-config.yaml, " +
                        "or run without --offline");
                }

                // As the reference does (OCPBUGS-19462): the network of the first subnet matching fixedIPs[0].
                networkId = (firstMatches.Count > 0 ? firstMatches[0].NetworkId : null)
                    ?? throw new AssetException($"platform.openstack.controlPlanePort.fixedIPs[0].subnet: subnet not found: {Describe(first!)}");
                discovered = true;
            }

            networkName = Blank(port.Network.Name);
            if (networkName is null && networkId is not null && config.Networking is not null
                && CidrList.HasBothFamilies(Addresses.CloudProviderNetworking.MachineCidrs(config)))
            {
                networkName = Blank(network?.ControlPlanePortNetwork?.Matches.FirstOrDefault(n => string.Equals(n.Id, networkId, StringComparison.Ordinal))?.Name);
                if (networkName is null)
                {
                    notes.Add($"cloud.conf has no [Networking] internal-network-name: the name of network {networkId} is not known"
                        + (network is null ? " offline" : string.Empty) + "; an additional network's addresses may then be reported as InternalIPs");
                }
            }

            if (first is not null)
            {
                primarySubnetId = Blank(first.Id);
                if (primarySubnetId is null && Blank(first.Name) is { } name)
                {
                    var named = firstMatches.Where(s => s.Name == name && (networkId is null || s.NetworkId == networkId)).ToList();
                    primarySubnetId = named.Count == 1 ? named[0].Id : null;
                    if (primarySubnetId is null)
                    {
                        notes.Add($"primarySubnet left out of the Machine specs: the id of subnet \"{name}\" is not known " +
                            (network is null ? "offline" : "(no single subnet has that name)") + "; MAPO ignores the field (docs/deviations.md §3)");
                    }
                }
            }
        }

        if (Blank(os.ExternalNetwork) is { } external)
        {
            if (network is not null)
            {
                externalNetworkId = network.ExternalNetwork?.Found?.Id
                    ?? throw new AssetException($"platform.openstack.externalNetwork: network not found: \"{external}\"");
            }
            else
            {
                notes.Add($"cloud.conf has no [LoadBalancer] floating-network-id: the id of external network \"{external}\" is not known offline");
            }
        }

        if (settings is null)
        {
            notes.Add("cloud.conf has no region or ca-file: the clouds.yaml entry was not read");
        }

        return new CloudFacts(networkId, discovered, primarySubnetId, externalNetworkId, settings?.Region, settings?.CaBundle, notes, networkName) { Network = network };
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Describe(SubnetFilter subnet) =>
        Blank(subnet.Id) is { } id ? $"id {id}" : $"\"{subnet.Name}\"";
}
