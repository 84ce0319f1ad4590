using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>An allocation pool.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">Last address.</param>
public sealed record AllocationPool(string Start, string End);

/// <summary>A host route.</summary>
/// <param name="Destination">Destination CIDR.</param>
/// <param name="Nexthop">Next hop.</param>
public sealed record HostRoute(string Destination, string Nexthop);

/// <summary>A Neutron subnet.</summary>
public sealed record Subnet
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Network ID.</summary>
    public string NetworkId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>4 or 6.</summary>
    public int IpVersion { get; init; }

    /// <summary>CIDR.</summary>
    public string Cidr { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Gateway address; null when the subnet has no gateway.</summary>
    public string? GatewayIp { get; init; }

    /// <summary><c>enable_dhcp</c>.</summary>
    public bool EnableDhcp { get; init; }

    /// <summary>Allocation pools.</summary>
    public IReadOnlyList<AllocationPool> AllocationPools { get; init => field = value ?? []; } = [];

    /// <summary>DNS servers.</summary>
    public IReadOnlyList<string> DnsNameservers { get; init => field = value ?? []; } = [];

    /// <summary>Host routes.</summary>
    public IReadOnlyList<HostRoute> HostRoutes { get; init => field = value ?? []; } = [];

    /// <summary><c>ipv6_ra_mode</c>; null when unset.</summary>
    [JsonPropertyName("ipv6_ra_mode")]
    public Ipv6Mode? Ipv6RaMode { get; init; }

    /// <summary><c>ipv6_address_mode</c>; null when unset.</summary>
    [JsonPropertyName("ipv6_address_mode")]
    public Ipv6Mode? Ipv6AddressMode { get; init; }

    /// <summary>
    /// True when either IPv6 mode is <c>slaac</c> or <c>dhcpv6-stateless</c>: every port gets its EUI-64 address here
    /// and an explicit address is refused (Neutron 21.0.0).
    /// </summary>
    [JsonIgnore]
    public bool IsAutoAddress => IpVersion == 6 && Ipv6AddressModes.IsAutoAddressSubnet(Ipv6RaMode?.Value, Ipv6AddressMode?.Value);

    /// <summary><c>subnetpool_id</c>.</summary>
    public string? SubnetpoolId { get; init; }

    /// <summary><c>segment_id</c>.</summary>
    public string? SegmentId { get; init; }

    /// <summary><c>service_types</c>.</summary>
    public IReadOnlyList<string> ServiceTypes { get; init => field = value ?? []; } = [];

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
}

/// <summary>Body of a subnet create. Unset IPv6 modes are omitted (Neutron rejects JSON null for them).</summary>
public sealed record SubnetCreateOptions
{
    /// <summary>Network ID (required).</summary>
    public required string NetworkId { get; init; }

    /// <summary>4 or 6 (required).</summary>
    public required int IpVersion { get; init; }

    /// <summary>CIDR (required unless a subnet pool is used).</summary>
    public string? Cidr { get; init; }

    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Gateway: key absent (default: Neutron picks), <see cref="SubnetGateway.None"/> (null) or an address.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SubnetGateway GatewayIp { get; init; }

    /// <summary><c>enable_dhcp</c> (Neutron default true; required for IPv6 modes).</summary>
    public bool? EnableDhcp { get; init; }

    /// <summary>Allocation pools.</summary>
    public IReadOnlyList<AllocationPool>? AllocationPools { get; init; }

    /// <summary>DNS servers.</summary>
    public IReadOnlyList<string>? DnsNameservers { get; init; }

    /// <summary>Host routes.</summary>
    public IReadOnlyList<HostRoute>? HostRoutes { get; init; }

    /// <summary><c>ipv6_ra_mode</c> (create only).</summary>
    [JsonPropertyName("ipv6_ra_mode")]
    public Ipv6Mode? Ipv6RaMode { get; init; }

    /// <summary><c>ipv6_address_mode</c> (create only).</summary>
    [JsonPropertyName("ipv6_address_mode")]
    public Ipv6Mode? Ipv6AddressMode { get; init; }

    /// <summary><c>subnetpool_id</c>.</summary>
    public string? SubnetpoolId { get; init; }

    /// <summary><c>prefixlen</c> (with a subnet pool).</summary>
    public int? Prefixlen { get; init; }

    /// <summary><c>segment_id</c>.</summary>
    public string? SegmentId { get; init; }

    /// <summary><c>service_types</c>.</summary>
    public IReadOnlyList<string>? ServiceTypes { get; init; }

    /// <summary>Project (admin).</summary>
    public string? ProjectId { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Body of a subnet update; null properties are not sent (unchanged). The IPv6 modes cannot be updated.</summary>
public sealed record SubnetUpdateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Gateway: unchanged (default), removed (<see cref="SubnetGateway.None"/>) or changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SubnetGateway GatewayIp { get; init; }

    /// <summary><c>enable_dhcp</c>.</summary>
    public bool? EnableDhcp { get; init; }

    /// <summary>Allocation pools (an empty list is sent as <c>[]</c>).</summary>
    public IReadOnlyList<AllocationPool>? AllocationPools { get; init; }

    /// <summary>DNS servers (an empty list clears them).</summary>
    public IReadOnlyList<string>? DnsNameservers { get; init; }

    /// <summary>Host routes (an empty list clears them).</summary>
    public IReadOnlyList<HostRoute>? HostRoutes { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Subnet list filters.</summary>
public sealed record SubnetListOptions : NeutronListOptions
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>name</c>, several (ORed with each other; not combined with <see cref="Name"/>).</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary><c>id</c> (several are ORed).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary><c>network_id</c>.</summary>
    public string? NetworkId { get; init; }

    /// <summary><c>ip_version</c>.</summary>
    public int? IpVersion { get; init; }

    /// <summary><c>cidr</c>.</summary>
    public string? Cidr { get; init; }

    /// <summary><c>ipv6_ra_mode</c>.</summary>
    public Ipv6Mode? Ipv6RaMode { get; init; }

    /// <summary><c>ipv6_address_mode</c>.</summary>
    public Ipv6Mode? Ipv6AddressMode { get; init; }

    private protected override void AddFilters(QueryBuilder query) =>
        query.Add("name", Name).AddAll("name", Names).AddAll("id", Ids).Add("network_id", NetworkId).Add("ip_version", IpVersion).Add("cidr", Cidr)
            .Add("ipv6_ra_mode", Ipv6RaMode?.Value).Add("ipv6_address_mode", Ipv6AddressMode?.Value);
}

/// <summary>Subnets (<c>/v2.0/subnets</c>).</summary>
public sealed class SubnetOperations : ResourceOperations<Subnet, SubnetListOptions>
{
    internal SubnetOperations(ServiceConnection connection)
        : base(connection, "subnets", "subnet", "subnets", NeutronJsonContext.Default.Subnet, NeutronJsonContext.Default.ListSubnet)
    {
    }

    /// <summary>Creates a subnet.</summary>
    public Task<Subnet> CreateAsync(SubnetCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.SubnetCreateOptions, cancellationToken);

    /// <summary>Updates a subnet; optionally only at a given <c>revision_number</c>.</summary>
    public Task<Subnet> UpdateAsync(string id, SubnetUpdateOptions options, int? ifRevisionNumber = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, options, NeutronJsonContext.Default.SubnetUpdateOptions, ifRevisionNumber, cancellationToken);
}
