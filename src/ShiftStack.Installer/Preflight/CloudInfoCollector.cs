using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
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
        var port = os.ControlPlanePort;
        var fixedIPs = port?.FixedIPs ?? [];
        var givenNetwork = port is not null && (NonEmpty(port.Network.Id) ?? NonEmpty(port.Network.Name)) is not null;

        // Round 1: everything that depends on the install-config only.
        var subnets = LookUpSubnetsAsync(_network, fixedIPs, networkId: null, cancellationToken);
        var network = givenNetwork ? LookUpNetworkAsync(port!.Network.Id, port.Network.Name, cancellationToken) : null;
        var external = NonEmpty(os.ExternalNetwork) is { } ext ? LookUpNetworkAsync(null, ext, cancellationToken) : null;
        var floatingIps = LookUpFloatingIpsAsync(os.ApiFloatingIP, os.IngressFloatingIP, cancellationToken);
        var vipPorts = NeedsVipPorts(os) ? LookUpVipPortsAsync(os.ApiVips.Concat(os.IngressVips), cancellationToken) : Task.FromResult<IReadOnlyList<Port>>([]);
        var extensions = _network.Extensions.ListAsync(cancellationToken);
        var quota = QuotaAsync(token.ProjectId, cancellationToken);
        var pools = Rules.MachinePoolRules.Pools(config);
        var compute = ComputeAsync(token, config, Rules.MachinePoolRules.NeedsComputeZones(pools), cancellationToken);
        var volume = VolumeAsync(token, pools, cancellationToken);

        // Round 2: what depends on the subnets.
        var cpSubnets = await subnets.ConfigureAwait(false);
        var found = cpSubnets.Select(l => l.Found).OfType<Subnet>().ToList();
        var derived = !givenNetwork && found.Count > 0;
        if (derived)
        {
            network = LookUpNetworkAsync(found[0].NetworkId, null, cancellationToken);
        }

        var ipv6 = found.Where(s => s.IpVersion == 6).Select(s => s.Id).Distinct(StringComparer.Ordinal).ToList();
        var routerPorts = ipv6.Count > 0 ? LookUpRouterInterfacesAsync(ipv6, cancellationToken) : Task.FromResult<IReadOnlyList<Port>>([]);

        var pending = new List<Task> { floatingIps, vipPorts, extensions, quota, compute, volume, routerPorts };
        if (network is not null)
        {
            pending.Add(network);
        }

        if (external is not null)
        {
            pending.Add(external);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        var (apiFip, ingressFip) = await floatingIps.ConfigureAwait(false);
        return new CloudInfo
        {
            CloudName = _network.Identity.Cloud.Name,
            ProjectId = token.ProjectId,
            ControlPlanePortSubnets = cpSubnets,
            ControlPlanePortNetwork = network is null ? null : await network.ConfigureAwait(false),
            ControlPlanePortNetworkDerived = derived,
            ExternalNetwork = external is null ? null : await external.ConfigureAwait(false),
            ApiFloatingIp = apiFip,
            IngressFloatingIp = ingressFip,
            VipPorts = await vipPorts.ConfigureAwait(false),
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

    /// <summary>The filter text shown in messages: <c>id="…" name="…"</c> (empty parts left out).</summary>
    internal static string FilterText(string? id, string? name)
    {
        var parts = new List<string>(2);
        if (NonEmpty(id) is { } i)
        {
            parts.Add("id=" + GoFormat.Quote(i));
        }

        if (NonEmpty(name) is { } n)
        {
            parts.Add("name=" + GoFormat.Quote(n));
        }

        return string.Join(" ", parts);
    }

    /// <summary>
    /// The subnets of <c>controlPlanePort.fixedIPs</c>, one <see cref="Lookup{T}"/> per entry in order (pre-flight and
    /// provisioning both look them up here). One request for all entries when they share a key (Neutron ORs a
    /// repeated key); the other key of an entry is then checked here. Mixed entries (one by id, one by name only) need
    /// one request each.
    /// </summary>
    /// <param name="network">Neutron.</param>
    /// <param name="fixedIPs">The entries.</param>
    /// <param name="networkId">Only subnets of this network (null: any).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    internal static async Task<IReadOnlyList<Lookup<Subnet>>> LookUpSubnetsAsync(
        NetworkingClient network, IReadOnlyList<FixedIP> fixedIPs, string? networkId, CancellationToken cancellationToken)
    {
        var filters = fixedIPs.Select(f => (Id: NonEmpty(f.Subnet.Id), Name: NonEmpty(f.Subnet.Name))).ToList();
        if (filters.Count == 0)
        {
            return [];
        }

        IReadOnlyList<Subnet>? all = null;
        if (filters.All(f => f.Id is not null))
        {
            all = await network.Subnets.ListAsync(
                new SubnetListOptions { Ids = filters.Select(f => f.Id!).Distinct(StringComparer.Ordinal).ToList(), NetworkId = networkId }, cancellationToken).ConfigureAwait(false);
        }
        else if (filters.All(f => f.Name is not null))
        {
            all = await network.Subnets.ListAsync(
                new SubnetListOptions { Names = filters.Select(f => f.Name!).Distinct(StringComparer.Ordinal).ToList(), NetworkId = networkId }, cancellationToken).ConfigureAwait(false);
        }

        if (all is not null)
        {
            return filters.Select(f => new Lookup<Subnet>(FilterText(f.Id, f.Name), all.Where(s => Matches(s.Id, s.Name, f.Id, f.Name)).ToList())).ToList();
        }

        var each = filters.Select(async f =>
        {
            var list = f.Id is null && f.Name is null
                ? []
                : await network.Subnets.ListAsync(new SubnetListOptions { Ids = f.Id is null ? null : [f.Id], Name = f.Name, NetworkId = networkId }, cancellationToken).ConfigureAwait(false);
            return new Lookup<Subnet>(FilterText(f.Id, f.Name), list);
        });
        return await Task.WhenAll(each).ConfigureAwait(false);
    }

    private async Task<Lookup<Network>> LookUpNetworkAsync(string? id, string? name, CancellationToken cancellationToken)
    {
        id = NonEmpty(id);
        name = NonEmpty(name);
        var list = await _network.Networks.ListAsync(new NetworkListOptions { Ids = id is null ? null : [id], Name = name }, cancellationToken).ConfigureAwait(false);
        return new Lookup<Network>(FilterText(id, name), list);
    }

    private async Task<(Lookup<FloatingIp>? Api, Lookup<FloatingIp>? Ingress)> LookUpFloatingIpsAsync(string? api, string? ingress, CancellationToken cancellationToken)
    {
        api = NonEmpty(api);
        ingress = NonEmpty(ingress);
        var addresses = new[] { api, ingress }.OfType<string>().Select(NeutronText).Distinct(StringComparer.Ordinal).ToList();
        if (addresses.Count == 0)
        {
            return (null, null);
        }

        var all = await _network.FloatingIps.ListAsync(
            new FloatingIpListOptions { FloatingIpAddress = addresses[0], ExtraFilters = SecondValue("floating_ip_address", addresses) },
            cancellationToken).ConfigureAwait(false);
        Lookup<FloatingIp>? For(string? address) => address is null
            ? null
            : new Lookup<FloatingIp>("floating_ip_address=" + GoFormat.Quote(address), all.Where(f => SameAddress(f.FloatingIpAddress, address)).ToList());
        return (For(api), For(ingress));
    }

    private async Task<IReadOnlyList<Port>> LookUpVipPortsAsync(IEnumerable<string> vips, CancellationToken cancellationToken)
    {
        var filters = FixedIpFilter.ByAnyIpAddress(vips);
        if (filters.Count == 0)
        {
            return [];
        }

        // Repeated fixed_ips=ip_address= filters are ORed: one request finds the ports of every VIP, on any network.
        return await _network.Ports.ListAsync(new PortListOptions { FixedIps = filters }, cancellationToken).ConfigureAwait(false);
    }

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

    private static bool Matches(string id, string name, string? wantedId, string? wantedName) =>
        (wantedId is null || string.Equals(id, wantedId, StringComparison.Ordinal))
        && (wantedName is null || string.Equals(name, wantedName, StringComparison.Ordinal));

    private static Dictionary<string, string>? SecondValue(string key, List<string> values) =>
        values.Count > 1 ? new Dictionary<string, string>(StringComparer.Ordinal) { [key] = values[1] } : null;

    private static string NeutronText(string address) =>
        IpAddresses.TryParse(address, out var a) ? IpAddresses.Canonical(a) : address;

    private static bool SameAddress(string stored, string wanted) =>
        IpAddresses.TryParse(stored, out var a) && IpAddresses.TryParse(wanted, out var b)
            ? IpAddresses.SemanticEquals(a, b)
            : string.Equals(stored, wanted, StringComparison.Ordinal);

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
