using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A port's fixed IP.</summary>
public sealed record FixedIp
{
    /// <summary>Subnet ID.</summary>
    public string SubnetId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Address (RFC 5952 text for IPv6, as Neutron stores it).</summary>
    public string IpAddress { get; init => field = value ?? string.Empty; } = string.Empty;
}

/// <summary>A requested fixed IP: a subnet, an address, or both.</summary>
public sealed record FixedIpRequest
{
    /// <summary>Subnet ID.</summary>
    public string? SubnetId { get; init; }

    /// <summary>Address. Never give one on an auto-address (SLAAC / DHCPv6-stateless) subnet: Neutron 21.0.0 refuses it (<c>AllocationOnAutoAddressSubnet</c>).</summary>
    public string? IpAddress { get; init; }

    /// <summary>An address from a subnet chosen by Neutron.</summary>
    public static FixedIpRequest OnSubnet(string subnetId) => new() { SubnetId = subnetId };

    /// <summary>A given address (optionally on a given subnet).</summary>
    public static FixedIpRequest Address(string ipAddress, string? subnetId = null) => new() { IpAddress = ipAddress, SubnetId = subnetId };
}

/// <summary>An allowed address pair.</summary>
public sealed record AllowedAddressPair
{
    /// <summary>IP address or CIDR.</summary>
    public string IpAddress { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>MAC (the port's MAC when not given).</summary>
    public string? MacAddress { get; init; }
}

/// <summary>A trunk sub-port.</summary>
public sealed record SubPort
{
    /// <summary>Port ID.</summary>
    public string PortId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary><c>vlan</c> (or <c>inherit</c>); needed to add a sub-port, not to remove one.</summary>
    public string? SegmentationType { get; init; }

    /// <summary>VLAN ID.</summary>
    public int? SegmentationId { get; init; }

    /// <summary>MAC (in <c>trunk_details</c>).</summary>
    public string? MacAddress { get; init; }
}

/// <summary>A parent port's <c>trunk_details</c>.</summary>
public sealed record TrunkDetails
{
    /// <summary>Trunk ID.</summary>
    public string TrunkId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Sub-ports.</summary>
    public IReadOnlyList<SubPort> SubPorts { get; init => field = value ?? []; } = [];
}

/// <summary>A Neutron port.</summary>
public sealed record Port
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Network ID.</summary>
    public string NetworkId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>MAC address.</summary>
    public string MacAddress { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Fixed IPs.</summary>
    public IReadOnlyList<FixedIp> FixedIps { get; init => field = value ?? []; } = [];

    /// <summary>Allowed address pairs.</summary>
    public IReadOnlyList<AllowedAddressPair> AllowedAddressPairs { get; init => field = value ?? []; } = [];

    /// <summary>Security group IDs.</summary>
    public IReadOnlyList<string> SecurityGroups { get; init => field = value ?? []; } = [];

    /// <summary><c>device_id</c> (server ID for Nova ports).</summary>
    public string DeviceId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary><c>device_owner</c>, see <see cref="DeviceOwners"/>.</summary>
    public string DeviceOwner { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Status (DOWN on a cloud without agents).</summary>
    public PortStatus Status { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool AdminStateUp { get; init; }

    /// <summary><c>port_security_enabled</c>.</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary><c>binding:host_id</c>.</summary>
    [JsonPropertyName("binding:host_id")]
    public string? BindingHostId { get; init; }

    /// <summary><c>binding:vnic_type</c>.</summary>
    [JsonPropertyName("binding:vnic_type")]
    public string? BindingVnicType { get; init; }

    /// <summary><c>binding:vif_type</c>.</summary>
    [JsonPropertyName("binding:vif_type")]
    public string? BindingVifType { get; init; }

    /// <summary><c>trunk_details</c> when the port is a trunk parent.</summary>
    public TrunkDetails? TrunkDetails { get; init; }

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];

    /// <summary><c>revision_number</c>.</summary>
    public int RevisionNumber { get; init; }

    /// <summary><c>created_at</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The fixed IPs of one family.</summary>
    public IEnumerable<FixedIp> FixedIpsOf(IpFamily family) =>
        FixedIps.Where(ip => IpAddresses.TryParse(ip.IpAddress, out var a) && IpAddresses.FamilyOf(a) == family);
}

/// <summary>Body of a port create.</summary>
public sealed record PortCreateOptions
{
    /// <summary>Network ID (required).</summary>
    public required string NetworkId { get; init; }

    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>MAC address (Neutron generates one when not given).</summary>
    public string? MacAddress { get; init; }

    /// <summary>
    /// Fixed IPs; null lets Neutron pick one address per family (plus the EUI-64 address of every auto-address subnet,
    /// which is added whatever is listed here).
    /// </summary>
    public IReadOnlyList<FixedIpRequest>? FixedIps { get; init; }

    /// <summary>Security group IDs (the project's <c>default</c> group when null; none when empty).</summary>
    public IReadOnlyList<string>? SecurityGroups { get; init; }

    /// <summary>Allowed address pairs (need port security).</summary>
    public IReadOnlyList<AllowedAddressPair>? AllowedAddressPairs { get; init; }

    /// <summary><c>port_security_enabled</c>.</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary><c>device_id</c>.</summary>
    public string? DeviceId { get; init; }

    /// <summary><c>device_owner</c> (setting <c>compute:*</c> or <c>network:*</c> may need admin).</summary>
    public string? DeviceOwner { get; init; }

    /// <summary><c>binding:host_id</c> (admin).</summary>
    [JsonPropertyName("binding:host_id")]
    public string? BindingHostId { get; init; }

    /// <summary><c>binding:vnic_type</c>.</summary>
    [JsonPropertyName("binding:vnic_type")]
    public string? BindingVnicType { get; init; }

    /// <summary>
    /// Tags. Sent in the create body (Neutron accepts <c>tags</c> in a POST for ports only, and applies them only with
    /// the <c>tag-ports-during-bulk-creation</c> extension); when the response lacks them the client sets them with
    /// one <c>PUT …/tags</c>, so they are always applied.
    /// </summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Project (admin).</summary>
    public string? ProjectId { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Body of a port update; null properties are not sent (unchanged), empty lists clear.</summary>
public sealed record PortUpdateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>MAC (only while unbound; re-derives SLAAC addresses).</summary>
    public string? MacAddress { get; init; }

    /// <summary>Fixed IPs (auto-address ones are kept by Neutron even when not listed).</summary>
    public IReadOnlyList<FixedIpRequest>? FixedIps { get; init; }

    /// <summary>Security group IDs (<c>[]</c> removes all).</summary>
    public IReadOnlyList<string>? SecurityGroups { get; init; }

    /// <summary>Allowed address pairs (<c>[]</c> removes all).</summary>
    public IReadOnlyList<AllowedAddressPair>? AllowedAddressPairs { get; init; }

    /// <summary><c>port_security_enabled</c> (to disable, also send empty security groups and address pairs).</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary><c>device_id</c>.</summary>
    public string? DeviceId { get; init; }

    /// <summary><c>device_owner</c>.</summary>
    public string? DeviceOwner { get; init; }

    /// <summary><c>binding:host_id</c> (admin).</summary>
    [JsonPropertyName("binding:host_id")]
    public string? BindingHostId { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A <c>fixed_ips=</c> filter of a port list.</summary>
public sealed record FixedIpFilter
{
    private FixedIpFilter(string key, string value)
    {
        Key = key;
        Value = value;
    }

    /// <summary><c>ip_address</c>, <c>subnet_id</c> or <c>ip_address_substr</c>.</summary>
    public string Key { get; }

    /// <summary>The value (canonical text for addresses).</summary>
    public string Value { get; }

    /// <summary>
    /// Ports with this address. The text is canonicalised (RFC 5952 lowercase, compressed) because Neutron compares
    /// strings: <c>2001:DB8::0001</c> would find nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Not an IP address.</exception>
    public static FixedIpFilter ByIpAddress(string ipAddress)
    {
        if (!IpAddresses.TryParse(ipAddress?.Trim(), out var address))
        {
            throw new ArgumentException($"'{ipAddress}' is not an IP address", nameof(ipAddress));
        }

        return ByIpAddress(address);
    }

    /// <summary>Ports with this address (sent in canonical text).</summary>
    public static FixedIpFilter ByIpAddress(IPAddress ipAddress) => new("ip_address", IpAddresses.Canonical(ipAddress));

    /// <summary>
    /// One filter per distinct address among <paramref name="addresses"/> (canonical text; texts that are not addresses
    /// are skipped): repeated <c>fixed_ips=ip_address=</c> filters are ORed, so one port list finds them all.
    /// </summary>
    public static IReadOnlyList<FixedIpFilter> ByAnyIpAddress(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses
            .Select(a => IpAddresses.TryParse(a, out var address) ? address : null)
            .OfType<IPAddress>()
            .Select(IpAddresses.Canonical)
            .Distinct(StringComparer.Ordinal)
            .Select(a => new FixedIpFilter("ip_address", a))
            .ToList();
    }

    /// <summary>Ports with an address on this subnet.</summary>
    public static FixedIpFilter BySubnet(string subnetId) => new("subnet_id", subnetId);

    /// <summary>Ports whose address contains this text (<c>ip-substring-filtering</c>); sent as given.</summary>
    public static FixedIpFilter ByIpAddressSubstring(string substring) => new("ip_address_substr", substring);

    /// <inheritdoc />
    public override string ToString() => $"{Key}={Value}";
}

/// <summary>Port list filters.</summary>
public sealed record PortListOptions : NeutronListOptions
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>id</c> (several are ORed).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary><c>network_id</c>.</summary>
    public string? NetworkId { get; init; }

    /// <summary><c>device_id</c> (empty string matches ports without one).</summary>
    public string? DeviceId { get; init; }

    /// <summary><c>device_owner</c>.</summary>
    public string? DeviceOwner { get; init; }

    /// <summary><c>mac_address</c>.</summary>
    public string? MacAddress { get; init; }

    /// <summary><c>status</c>.</summary>
    public PortStatus? Status { get; init; }

    /// <summary><c>security_groups</c>.</summary>
    public IReadOnlyList<string>? SecurityGroups { get; init; }

    /// <summary><c>fixed_ips=</c> filters (ANDed by Neutron when the keys differ, ORed when they repeat).</summary>
    public IReadOnlyList<FixedIpFilter>? FixedIps { get; init; }

    private protected override void AddFilters(QueryBuilder query)
    {
        query.Add("name", Name).AddAll("id", Ids).Add("network_id", NetworkId).Add("device_id", DeviceId)
            .Add("device_owner", DeviceOwner).Add("mac_address", MacAddress).Add("status", Status?.Value)
            .AddAll("security_groups", SecurityGroups);
        if (FixedIps is not null)
        {
            foreach (var filter in FixedIps)
            {
                query.Add("fixed_ips", filter.ToString());
            }
        }
    }
}

/// <summary>Ports (<c>/v2.0/ports</c>).</summary>
public sealed class PortOperations : ResourceOperations<Port, PortListOptions>
{
    internal PortOperations(ServiceConnection connection)
        : base(connection, "ports", "port", "ports", NeutronJsonContext.Default.Port, NeutronJsonContext.Default.ListPort)
    {
    }

    /// <summary>Creates a port.</summary>
    /// <exception cref="OpenStackException">E.g. 400 <c>AllocationOnAutoAddressSubnet</c>, 409 <c>IpAddressAlreadyAllocated</c>.</exception>
    public async Task<Port> CreateAsync(PortCreateOptions options, CancellationToken cancellationToken = default)
    {
        var port = await CreateCoreAsync(options, NeutronJsonContext.Default.PortCreateOptions, cancellationToken).ConfigureAwait(false);
        return await EnsureTagsAsync(port, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many ports <see cref="CreateBulkAsync"/> repairs at once after a bulk POST (pairs, tags).</summary>
    public const int BulkRepairConcurrency = 8;

    /// <summary>
    /// Creates several ports in one atomic request. On Neutron 21.0.0 this fails with HTTP 500 when a port has no
    /// MAC address and the network has an auto-address IPv6 subnet (bug 1995732): the exception then has
    /// <see cref="OpenStackException.IsBulkAutoAddressBug"/> set, and the caller should create the ports one by one
    /// (see <see cref="CreateEachAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<Port>> CreateBulkAsync(IEnumerable<PortCreateOptions> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = options.ToList();
        try
        {
            var ports = await CreateBulkCoreAsync(list, NeutronJsonContext.Default.ListPortCreateOptions, cancellationToken).ConfigureAwait(false);

            // The per-port repairs (pairs, tags) are independent: a few at a time, results in the request's order.
            var repaired = ports.ToArray();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, Math.Min(ports.Count, list.Count)),
                new ParallelOptions { MaxDegreeOfParallelism = BulkRepairConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => repaired[i] = await EnsureTagsAsync(await EnsurePairsAsync(ports[i], list[i], ct).ConfigureAwait(false), list[i], ct).ConfigureAwait(false))
                .ConfigureAwait(false);
            return repaired;
        }
        catch (OpenStackException ex) when (ex.StatusCode == HttpStatusCode.InternalServerError && list.Any(p => p.MacAddress is null))
        {
            throw new OpenStackException(ex.StatusCode, ex.ErrorType, ex.ErrorMessage, ex.Method, ex.RequestUri, ex.RequestId, ex.ClientRequestId, ex.ServiceType, ex, isBulkAutoAddressBug: true);
        }
    }

    /// <summary>Creates ports one request each, in order (the fallback for <see cref="CreateBulkAsync"/>). Ports created before a failure are deleted again.</summary>
    public async Task<IReadOnlyList<Port>> CreateEachAsync(IEnumerable<PortCreateOptions> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var created = new List<Port>();
        try
        {
            foreach (var option in options)
            {
                created.Add(await CreateAsync(option, cancellationToken).ConfigureAwait(false));
            }

            return created;
        }
        catch
        {
            foreach (var port in created)
            {
                try
                {
                    await DeleteIfExistsAsync(port.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (OpenStackException)
                {
                    // best effort: the original error matters more
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Finishes a port that a create request made but whose answer was lost (found again by looking): the allowed
    /// address pairs and tags asked for in <paramref name="options"/>, as <see cref="CreateBulkAsync"/> does after its POST.
    /// </summary>
    public async Task<Port> CompleteCreateAsync(Port port, PortCreateOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(options);
        return await EnsureTagsAsync(await EnsurePairsAsync(port, options, cancellationToken).ConfigureAwait(false), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Neutron without the <c>tag-ports-during-bulk-creation</c> extension (e.g. Zed without that ML2 extension
    /// driver) accepts <c>tags</c> in a port POST but ignores them: set them afterwards.
    /// </summary>
    private async Task<Port> EnsureTagsAsync(Port port, PortCreateOptions options, CancellationToken cancellationToken)
    {
        if (options.Tags is not { Count: > 0 } wanted || wanted.All(port.Tags.Contains))
        {
            return port;
        }

        var tags = port.Tags.Union(wanted, StringComparer.Ordinal).ToList();
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new TagsBody { Tags = tags }, NeutronJsonContext.Default.TagsBody);
        var response = await Connection.SendAsync(HttpMethod.Put, ItemPath(port.Id) + "/tags", body, cancellationToken).ConfigureAwait(false);
        return port with { Tags = ServiceConnection.Read(response, "tags", NeutronJsonContext.Default.ListString) };
    }

    /// <summary>
    /// Neutron 21 (Zed) creates the ports of a bulk POST without their <c>allowed_address_pairs</c> (the single-port
    /// POST keeps them; docs/deviations.md §8): set the pairs asked for with one PUT when the answer lacks any of them.
    /// </summary>
    private async Task<Port> EnsurePairsAsync(Port port, PortCreateOptions options, CancellationToken cancellationToken)
    {
        if (options.AllowedAddressPairs is not { Count: > 0 } wanted
            || wanted.All(w => port.AllowedAddressPairs.Any(p => string.Equals(p.IpAddress, w.IpAddress, StringComparison.OrdinalIgnoreCase))))
        {
            return port;
        }

        return await UpdateAsync(port.Id, new PortUpdateOptions { AllowedAddressPairs = wanted }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates a port; optionally only at a given <c>revision_number</c>.</summary>
    public Task<Port> UpdateAsync(string id, PortUpdateOptions options, int? ifRevisionNumber = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, options, NeutronJsonContext.Default.PortUpdateOptions, ifRevisionNumber, cancellationToken);
}
