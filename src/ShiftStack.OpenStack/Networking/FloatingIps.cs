using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A floating IP (IPv4 only).</summary>
public sealed record FloatingIp
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>The public address.</summary>
    public string FloatingIpAddress { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>External network.</summary>
    public string FloatingNetworkId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Associated fixed address.</summary>
    public string? FixedIpAddress { get; init; }

    /// <summary>Associated port.</summary>
    public string? PortId { get; init; }

    /// <summary>Router.</summary>
    public string? RouterId { get; init; }

    /// <summary>Status.</summary>
    public string? Status { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];

    /// <summary><c>revision_number</c>.</summary>
    public int RevisionNumber { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Body of a floating IP create.</summary>
public sealed record FloatingIpCreateOptions
{
    /// <summary>External network (required).</summary>
    public required string FloatingNetworkId { get; init; }

    /// <summary>Port to associate.</summary>
    public string? PortId { get; init; }

    /// <summary>Which IPv4 of the port (needed when it has several).</summary>
    public string? FixedIpAddress { get; init; }

    /// <summary>A specific public address.</summary>
    public string? FloatingIpAddress { get; init; }

    /// <summary>External subnet.</summary>
    public string? SubnetId { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }
}

/// <summary>Floating IP list filters.</summary>
public sealed record FloatingIpListOptions : NeutronListOptions
{
    /// <summary><c>floating_ip_address</c>.</summary>
    public string? FloatingIpAddress { get; init; }

    /// <summary><c>floating_network_id</c>.</summary>
    public string? FloatingNetworkId { get; init; }

    /// <summary><c>port_id</c>.</summary>
    public string? PortId { get; init; }

    /// <summary><c>fixed_ip_address</c>.</summary>
    public string? FixedIpAddress { get; init; }

    /// <summary><c>router_id</c>.</summary>
    public string? RouterId { get; init; }

    /// <summary><c>description</c>.</summary>
    public string? Description { get; init; }

    private protected override void AddFilters(QueryBuilder query) =>
        query.Add("floating_ip_address", FloatingIpAddress).Add("floating_network_id", FloatingNetworkId).Add("port_id", PortId)
            .Add("fixed_ip_address", FixedIpAddress).Add("router_id", RouterId).Add("description", Description);
}

internal sealed record FloatingIpAssociation
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PortId { get; init; }

    public string? FixedIpAddress { get; init; }
}

internal sealed record FloatingIpDescription
{
    public string? Description { get; init; }
}

/// <summary>Floating IPs (<c>/v2.0/floatingips</c>).</summary>
public sealed class FloatingIpOperations : ResourceOperations<FloatingIp, FloatingIpListOptions>
{
    internal FloatingIpOperations(ServiceConnection connection)
        : base(connection, "floatingips", "floatingip", "floatingips", NeutronJsonContext.Default.FloatingIp, NeutronJsonContext.Default.ListFloatingIp)
    {
    }

    /// <summary>Allocates (and optionally associates) a floating IP.</summary>
    public Task<FloatingIp> CreateAsync(FloatingIpCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.FloatingIpCreateOptions, cancellationToken);

    /// <summary>Associates a floating IP with a port (and one of its IPv4 addresses).</summary>
    public Task<FloatingIp> AssociateAsync(string id, string portId, string? fixedIpAddress = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, new FloatingIpAssociation { PortId = portId, FixedIpAddress = fixedIpAddress }, NeutronJsonContext.Default.FloatingIpAssociation, null, cancellationToken);

    /// <summary>Disassociates a floating IP (<c>"port_id": null</c>).</summary>
    public Task<FloatingIp> DisassociateAsync(string id, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, new FloatingIpAssociation(), NeutronJsonContext.Default.FloatingIpAssociation, null, cancellationToken);

    /// <summary>Changes the description.</summary>
    public Task<FloatingIp> UpdateDescriptionAsync(string id, string description, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, new FloatingIpDescription { Description = description }, NeutronJsonContext.Default.FloatingIpDescription, null, cancellationToken);
}
