using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight;

/// <summary>
/// Makes every cloud look-up the pre-flight rules need, each at most once and concurrently where independent, and
/// returns them as one immutable <see cref="CloudInfo"/>. It decides nothing: "not found" and "found multiple" are
/// recorded for the rules to report.
/// </summary>
/// <remarks>
/// <para>Requests (docs/preflight.md lists them with their counts):</para>
/// <list type="number">
/// <item>Keystone token (once; gives the project and the catalog).</item>
/// <item>Round 1, concurrently: the <c>controlPlanePort</c> subnets (one request for all filters when they are all
/// by id or all by name), the given <c>controlPlanePort.network</c>, the external network, the floating IPs (one
/// request for both), the ports holding the VIPs (dual-stack only; one request for all VIPs), the extensions and the
/// project's quota details.</item>
/// <item>Round 2, once the subnets are known: the network of the first subnet (when no network filter was given) and
/// the router interfaces on the IPv6 subnets.</item>
/// </list>
/// <para>Nova (flavors, quota, compute zones) and Cinder (volume types, volume zones) are asked in round 1 too, each
/// only for what the merged machine pools need (<see cref="Rules.MachinePoolRules"/>).</para>
/// <para>An <see cref="OpenStackException"/> from any request other than the quota one propagates: the cloud could
/// not be asked, and pre-flight cannot give a verdict (the reference would silently skip it instead).</para>
/// </remarks>
public sealed class CloudInfoCollector
{
    private static readonly IReadOnlyList<string> RouterPortFields = ["id", "name", "network_id", "device_owner", "device_id", "fixed_ips"];

    private readonly NetworkingClient _network;
    private readonly IComputeFactsSource? _compute;
    private readonly IVolumeFactsSource? _volume;

    /// <summary>Creates a collector.</summary>
    /// <param name="network">The Neutron client (its identity client authenticates).</param>
    /// <param name="compute">Reads Nova's quota, flavors and zones; null when no Compute client is available.</param>
    /// <param name="volume">Reads Cinder's volume types and zones; null when no Cinder client is available.</param>
    public CloudInfoCollector(NetworkingClient network, IComputeFactsSource? compute = null, IVolumeFactsSource? volume = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _compute = compute;
        _volume = volume;
    }

    /// <summary>Fetches the cloud facts for a (statically valid) install-config.</summary>
    /// <param name="config">The defaulted install-config.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="OpenStackException">The cloud could not be reached, refused the credentials or failed a request.</exception>
    public async Task<CloudInfo> CollectAsync(InstallConfiguration config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var token = await _network.Identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        // One pass: the install-config's network facts, concurrently with the extensions, the quotas, Nova and
        // Cinder; the router interfaces once the subnets are known.
        var networkFacts = NetworkFactsCollector.CollectAsync(config, _network, cancellationToken);
        var extensions = _network.Extensions.ListAsync(cancellationToken);
        var quota = QuotaAsync(token.ProjectId, cancellationToken);
        var pools = Rules.MachinePoolRules.Pools(config);
        var compute = ComputeAsync(token, config, Rules.MachinePoolRules.NeedsComputeZones(pools), cancellationToken);
        var volume = VolumeAsync(token, pools, cancellationToken);

        var facts = await networkFacts.ConfigureAwait(false);
        var ipv6 = facts.ControlPlanePortSubnets.Select(l => l.Found).OfType<Subnet>()
            .Where(s => s.IpVersion == 6).Select(s => s.Id).Distinct(StringComparer.Ordinal).ToList();
        var routerPorts = ipv6.Count > 0 ? LookUpRouterInterfacesAsync(ipv6, cancellationToken) : Task.FromResult<IReadOnlyList<Port>>([]);
        await Task.WhenAll(extensions, quota, compute, volume, routerPorts).ConfigureAwait(false);
        return new CloudInfo(NeedsVipPorts(os) ? facts : facts with { VipPorts = [] }, _network.Identity.Cloud.Name)
        {
            ProjectId = token.ProjectId,
            RouterInterfacePorts = await routerPorts.ConfigureAwait(false),
            NetworkExtensions = (await extensions.ConfigureAwait(false)).Select(e => e.Alias).ToHashSet(StringComparer.Ordinal),
            NetworkQuota = await quota.ConfigureAwait(false),
            Compute = await compute.ConfigureAwait(false),
            Volume = await volume.ConfigureAwait(false),
        };
    }

    /// <summary>The VIP ports are looked up for dual-stack (two fixedIPs) with an OpenShift-managed load balancer.</summary>
    internal static bool NeedsVipPorts(OpenStackPlatform os) =>
        os.ControlPlanePort is { FixedIPs.Count: 2 } && os.LoadBalancer?.Type != LoadBalancerConfig.UserManaged;

    private async Task<IReadOnlyList<Port>> LookUpRouterInterfacesAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken)
    {
        // Every port with an address on the subnet, few attributes each; the router interfaces are picked here because
        // their device_owner has three spellings (legacy, DVR, HA) and the client filters on one value only.
        var ports = await _network.Ports.ListAsync(
            new PortListOptions { FixedIps = subnetIds.Select(FixedIpFilter.BySubnet).ToList(), Fields = RouterPortFields },
            cancellationToken).ConfigureAwait(false);
        return ports.Where(p => CloudInfo.RouterInterfaceOwners.Contains(p.DeviceOwner)).ToList();
    }

    private async Task<NetworkQuotaFacts> QuotaAsync(string? projectId, CancellationToken cancellationToken)
    {
        if (projectId is null)
        {
            return NetworkQuotaFacts.Unavailable("the token is not scoped to a project");
        }

        try
        {
            return NetworkQuotaFacts.Of(await _network.Quotas.GetDetailsAsync(projectId, cancellationToken).ConfigureAwait(false));
        }
        catch (OpenStackException ex) when (ex.StatusCode is HttpStatusCode.NotFound)
        {
            return NetworkQuotaFacts.Unavailable("Neutron does not report quota usage (no quota_details extension)");
        }
        catch (OpenStackException ex) when (ex.StatusCode is HttpStatusCode.Forbidden)
        {
            return NetworkQuotaFacts.Unavailable("the project may not read its quota usage: " + ex.ErrorMessage);
        }
    }

    private async Task<ComputeFacts> ComputeAsync(AuthToken token, InstallConfiguration config, bool zones, CancellationToken cancellationToken)
    {
        var cloud = _network.Identity.Cloud;
        if (token.Catalog.TryFindEndpoint("compute", cloud.Interface, cloud.RegionName) is null)
        {
            return ComputeFacts.NoEndpoint;
        }

        if (_compute is null)
        {
            return ComputeFacts.Unavailable("ShiftStack has no Nova client yet");
        }

        var flavors = ResourcePlan.For(config).Machines.Select(m => m.Flavor).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return await _compute.CollectAsync(flavors, zones, cancellationToken).ConfigureAwait(false);
    }

    private async Task<VolumeFacts?> VolumeAsync(AuthToken token, IReadOnlyList<Rules.PoolToCheck> pools, CancellationToken cancellationToken)
    {
        var types = Rules.MachinePoolRules.NeedsVolumeTypes(pools);
        var zones = Rules.MachinePoolRules.NeedsVolumeZones(pools);
        if (!types && !zones)
        {
            return null;
        }

        var cloud = _network.Identity.Cloud;
        if (token.Catalog.TryFindEndpoint(OpenStack.BlockStorage.BlockStorageClient.ServiceType, cloud.Interface, cloud.RegionName) is null)
        {
            return VolumeFacts.NoEndpoint;
        }

        if (_volume is null)
        {
            return VolumeFacts.Unavailable("ShiftStack has no Cinder client here");
        }

        try
        {
            return await _volume.CollectAsync(types, zones, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException ex) when (ex.StatusCode is HttpStatusCode.Forbidden)
        {
            return VolumeFacts.Unavailable("the project may not list them: " + ex.ErrorMessage);
        }
    }
}
