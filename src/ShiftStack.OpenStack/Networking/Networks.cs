using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A Neutron network.</summary>
public sealed record Network
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>status</c> (ACTIVE, DOWN, BUILD, ERROR).</summary>
    public string? Status { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool AdminStateUp { get; init; }

    /// <summary><c>shared</c>.</summary>
    public bool Shared { get; init; }

    /// <summary>Subnet IDs.</summary>
    public IReadOnlyList<string> Subnets { get; init => field = value ?? []; } = [];

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>MTU (<c>net-mtu</c>).</summary>
    public int? Mtu { get; init; }

    /// <summary><c>port_security_enabled</c> (ports inherit it).</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary><c>router:external</c>.</summary>
    [JsonPropertyName("router:external")]
    public bool? RouterExternal { get; init; }

    /// <summary><c>provider:network_type</c> (admin only).</summary>
    [JsonPropertyName("provider:network_type")]
    public string? ProviderNetworkType { get; init; }

    /// <summary><c>provider:physical_network</c> (admin only).</summary>
    [JsonPropertyName("provider:physical_network")]
    public string? ProviderPhysicalNetwork { get; init; }

    /// <summary><c>provider:segmentation_id</c> (admin only).</summary>
    [JsonPropertyName("provider:segmentation_id")]
    public int? ProviderSegmentationId { get; init; }

    /// <summary>Availability zones.</summary>
    public IReadOnlyList<string>? AvailabilityZones { get; init; }

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

/// <summary>Body of a network create.</summary>
public sealed record NetworkCreateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary><c>shared</c>.</summary>
    public bool? Shared { get; init; }

    /// <summary><c>port_security_enabled</c>.</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary>MTU.</summary>
    public int? Mtu { get; init; }

    /// <summary><c>router:external</c> (admin).</summary>
    [JsonPropertyName("router:external")]
    public bool? RouterExternal { get; init; }

    /// <summary><c>provider:network_type</c> (admin).</summary>
    [JsonPropertyName("provider:network_type")]
    public string? ProviderNetworkType { get; init; }

    /// <summary><c>provider:physical_network</c> (admin).</summary>
    [JsonPropertyName("provider:physical_network")]
    public string? ProviderPhysicalNetwork { get; init; }

    /// <summary><c>provider:segmentation_id</c> (admin).</summary>
    [JsonPropertyName("provider:segmentation_id")]
    public int? ProviderSegmentationId { get; init; }

    /// <summary>Project (admin creating for another project).</summary>
    public string? ProjectId { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Body of a network update; null properties are not sent (unchanged).</summary>
public sealed record NetworkUpdateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary><c>port_security_enabled</c>.</summary>
    public bool? PortSecurityEnabled { get; init; }

    /// <summary>MTU (<c>net-mtu-writable</c>).</summary>
    public int? Mtu { get; init; }

    /// <summary>More attributes, sent as is.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Network list filters.</summary>
public sealed record NetworkListOptions : NeutronListOptions
{
    /// <summary><c>name</c> (exact).</summary>
    public string? Name { get; init; }

    /// <summary><c>id</c> (several are ORed).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary><c>router:external</c>.</summary>
    public bool? RouterExternal { get; init; }

    /// <summary><c>shared</c>.</summary>
    public bool? Shared { get; init; }

    /// <summary><c>status</c>.</summary>
    public string? Status { get; init; }

    private protected override void AddFilters(QueryBuilder query) =>
        query.Add("name", Name).AddAll("id", Ids).Add("router:external", RouterExternal).Add("shared", Shared).Add("status", Status);
}

/// <summary>Networks (<c>/v2.0/networks</c>).</summary>
public sealed class NetworkOperations : ResourceOperations<Network, NetworkListOptions>
{
    internal NetworkOperations(ServiceConnection connection)
        : base(connection, "networks", "network", "networks", NeutronJsonContext.Default.Network, NeutronJsonContext.Default.ListNetwork)
    {
    }

    /// <summary>Creates a network. (Neutron refuses <c>tags</c> in a network POST; use <see cref="TagOperations"/>.)</summary>
    public Task<Network> CreateAsync(NetworkCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.NetworkCreateOptions, cancellationToken);

    /// <summary>Updates a network; optionally only if its <c>revision_number</c> is still <paramref name="ifRevisionNumber"/> (else 412).</summary>
    public Task<Network> UpdateAsync(string id, NetworkUpdateOptions options, int? ifRevisionNumber = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, options, NeutronJsonContext.Default.NetworkUpdateOptions, ifRevisionNumber, cancellationToken);
}
