using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Lookups;

/// <summary>
/// The result of one Neutron look-up by a filter: every match, so that "not found" (0) and "found multiple" (more
/// than 1) are data the rules report, not exceptions.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Filter">The filter as the user wrote it, e.g. <c>name="subnet-v6"</c> or <c>id="…"</c>.</param>
/// <param name="Matches">The resources that matched.</param>
public sealed record Lookup<T>(string Filter, IReadOnlyList<T> Matches)
    where T : class
{
    /// <summary>The single match, or null for none or several.</summary>
    public T? Found => Matches.Count == 1 ? Matches[0] : null;

    /// <summary>True when nothing matched.</summary>
    public bool IsMissing => Matches.Count == 0;

    /// <summary>True when more than one resource matched.</summary>
    public bool IsAmbiguous => Matches.Count > 1;
}

/// <summary>Shorthands for <see cref="Lookup{T}"/>.</summary>
public static class Lookup
{
    /// <summary>A look-up that found nothing.</summary>
    public static Lookup<T> None<T>(string filter)
        where T : class => new(filter, []);

    /// <summary>A look-up that found exactly the given resources.</summary>
    public static Lookup<T> Of<T>(string filter, params T[] matches)
        where T : class => new(filter, matches);
}

/// <summary>
/// What Neutron says about the resources an install-config names: the <c>controlPlanePort</c> subnets and network,
/// the external network, the API and Ingress floating IPs and the ports holding the VIPs. Every verb that needs them
/// reads this one collection (pre-flight adds its rules' extras, manifests their ids and names, provisioning turns a
/// missing resource into its error); "not found" and "found multiple" are data here, only a failed request throws.
/// </summary>
public record NetworkFacts
{
    /// <summary>The subnet look-up of each <c>controlPlanePort.fixedIPs</c> entry, in order.</summary>
    public IReadOnlyList<Lookup<Subnet>> ControlPlanePortSubnets { get; init; } = [];

    /// <summary>
    /// The <c>controlPlanePort.network</c> look-up: by the given id/name, or (when neither is given) by the
    /// <c>network_id</c> of the first subnet found (<see cref="ControlPlanePortNetworkDerived"/>).
    /// </summary>
    public Lookup<Network>? ControlPlanePortNetwork { get; init; }

    /// <summary>True when <see cref="ControlPlanePortNetwork"/> was derived from a subnet rather than given.</summary>
    public bool ControlPlanePortNetworkDerived { get; init; }

    /// <summary>The <c>externalNetwork</c> look-up (by name), when one is set.</summary>
    public Lookup<Network>? ExternalNetwork { get; init; }

    /// <summary>The <c>apiFloatingIP</c> look-up, when one is set.</summary>
    public Lookup<FloatingIp>? ApiFloatingIp { get; init; }

    /// <summary>The <c>ingressFloatingIP</c> look-up, when one is set.</summary>
    public Lookup<FloatingIp>? IngressFloatingIp { get; init; }

    /// <summary>
    /// Every port (on any network) holding one of the API or Ingress VIPs; looked up for a dual-stack
    /// <c>controlPlanePort</c> (two <c>fixedIPs</c>) only, where the user pre-creates them.
    /// </summary>
    public IReadOnlyList<Port> VipPorts { get; init; } = [];
}

/// <summary>Where a command gets an install-config's <see cref="NetworkFacts"/>: Neutron (<see cref="NetworkFactsCollector.Of"/>), or a test's own.</summary>
/// <param name="config">The defaulted install-config.</param>
/// <param name="cancellationToken">Cancellation.</param>
public delegate Task<NetworkFacts> NetworkFactsSource(InstallConfiguration config, CancellationToken cancellationToken);

/// <summary>
/// Collects the <see cref="NetworkFacts"/> of an install-config, each look-up at most once and the independent ones
/// concurrently: first the subnets (one request for all entries when they share a key), the given network, the
/// external network, the floating IPs (one request for both) and the VIP ports (one request for every VIP); then,
/// when no network was given, the network of the first subnet found.
/// </summary>
public static class NetworkFactsCollector
{
    /// <summary>The source that collects the facts from <paramref name="network"/>.</summary>
    public static NetworkFactsSource Of(NetworkingClient network) => (config, cancellationToken) => CollectAsync(config, network, cancellationToken);

    /// <summary>Collects the facts.</summary>
    /// <param name="config">The defaulted install-config.</param>
    /// <param name="network">Neutron (its identity client authenticates).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ShiftStack.OpenStack.OpenStackException">A request failed.</exception>
    public static async Task<NetworkFacts> CollectAsync(InstallConfiguration config, NetworkingClient network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var port = os.ControlPlanePort;
        var fixedIPs = port?.FixedIPs ?? [];
        var givenNetwork = port is not null && (NonEmpty(port.Network.Id) ?? NonEmpty(port.Network.Name)) is not null;

        var subnets = LookUpSubnetsAsync(network, fixedIPs, networkId: null, cancellationToken);
        var clusterNetwork = givenNetwork ? LookUpNetworkAsync(network, port!.Network.Id, port.Network.Name, cancellationToken) : null;
        var external = NonEmpty(os.ExternalNetwork) is { } ext ? LookUpNetworkAsync(network, null, ext, cancellationToken) : null;
        var floatingIps = LookUpFloatingIpsAsync(network, os.ApiFloatingIP, os.IngressFloatingIP, cancellationToken);
        var vipPorts = fixedIPs.Count == 2 ? LookUpVipPortsAsync(network, os.ApiVips.Concat(os.IngressVips), cancellationToken) : Task.FromResult<IReadOnlyList<Port>>([]);

        var cpSubnets = await subnets.ConfigureAwait(false);
        var first = cpSubnets.Select(l => l.Found).OfType<Subnet>().FirstOrDefault();
        var derived = !givenNetwork && first is not null;
        if (derived)
        {
            clusterNetwork = LookUpNetworkAsync(network, first!.NetworkId, null, cancellationToken);
        }

        await Task.WhenAll(new Task?[] { floatingIps, vipPorts, clusterNetwork, external }.OfType<Task>()).ConfigureAwait(false);
        var (apiFip, ingressFip) = await floatingIps.ConfigureAwait(false);
        return new NetworkFacts
        {
            ControlPlanePortSubnets = cpSubnets,
            ControlPlanePortNetwork = clusterNetwork is null ? null : await clusterNetwork.ConfigureAwait(false),
            ControlPlanePortNetworkDerived = derived,
            ExternalNetwork = external is null ? null : await external.ConfigureAwait(false),
            ApiFloatingIp = apiFip,
            IngressFloatingIp = ingressFip,
            VipPorts = await vipPorts.ConfigureAwait(false),
        };
    }

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
    /// The subnets of <c>controlPlanePort.fixedIPs</c>, one <see cref="Lookup{T}"/> per entry in order. One request for
    /// all entries when they share a key (Neutron ORs a repeated key); the other key of an entry is then checked here.
    /// Mixed entries (one by id, one by name only) need one request each.
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

    private static async Task<Lookup<Network>> LookUpNetworkAsync(NetworkingClient network, string? id, string? name, CancellationToken cancellationToken)
    {
        id = NonEmpty(id);
        name = NonEmpty(name);
        var list = await network.Networks.ListAsync(new NetworkListOptions { Ids = id is null ? null : [id], Name = name }, cancellationToken).ConfigureAwait(false);
        return new Lookup<Network>(FilterText(id, name), list);
    }

    private static async Task<(Lookup<FloatingIp>? Api, Lookup<FloatingIp>? Ingress)> LookUpFloatingIpsAsync(
        NetworkingClient network, string? api, string? ingress, CancellationToken cancellationToken)
    {
        api = NonEmpty(api);
        ingress = NonEmpty(ingress);
        var addresses = new[] { api, ingress }.OfType<string>().Select(NeutronText).Distinct(StringComparer.Ordinal).ToList();
        if (addresses.Count == 0)
        {
            return (null, null);
        }

        var all = await network.FloatingIps.ListAsync(
            new FloatingIpListOptions { FloatingIpAddress = addresses[0], ExtraFilters = SecondValue("floating_ip_address", addresses) },
            cancellationToken).ConfigureAwait(false);
        Lookup<FloatingIp>? For(string? address) => address is null
            ? null
            : new Lookup<FloatingIp>("floating_ip_address=" + GoFormat.Quote(address), all.Where(f => SameAddress(f.FloatingIpAddress, address)).ToList());
        return (For(api), For(ingress));
    }

    private static async Task<IReadOnlyList<Port>> LookUpVipPortsAsync(NetworkingClient network, IEnumerable<string> vips, CancellationToken cancellationToken)
    {
        var filters = FixedIpFilter.ByAnyIpAddress(vips);
        if (filters.Count == 0)
        {
            return [];
        }

        // Repeated fixed_ips=ip_address= filters are ORed: one request finds the ports of every VIP, on any network.
        return await network.Ports.ListAsync(new PortListOptions { FixedIps = filters }, cancellationToken).ConfigureAwait(false);
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
