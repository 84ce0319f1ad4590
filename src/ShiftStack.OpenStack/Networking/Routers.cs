using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A router's external gateway.</summary>
public sealed record ExternalGateway
{
    /// <summary>External network.</summary>
    public string NetworkId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary><c>enable_snat</c>.</summary>
    public bool? EnableSnat { get; init; }

    /// <summary>Gateway addresses.</summary>
    public IReadOnlyList<FixedIp>? ExternalFixedIps { get; init; }
}

/// <summary>A static route.</summary>
/// <param name="Destination">Destination CIDR.</param>
/// <param name="Nexthop">Next hop.</param>
public sealed record RouterRoute(string Destination, string Nexthop);

/// <summary>A router.</summary>
public sealed record Router
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Status.</summary>
    public string? Status { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool AdminStateUp { get; init; }

    /// <summary>External gateway, if any.</summary>
    public ExternalGateway? ExternalGatewayInfo { get; init; }

    /// <summary>Static routes.</summary>
    public IReadOnlyList<RouterRoute> Routes { get; init => field = value ?? []; } = [];

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

/// <summary>Body of a router create.</summary>
public sealed record RouterCreateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary>External gateway.</summary>
    public ExternalGateway? ExternalGatewayInfo { get; init; }
}

/// <summary>Body of a router update; null properties are unchanged.</summary>
public sealed record RouterUpdateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary>External gateway.</summary>
    public ExternalGateway? ExternalGatewayInfo { get; init; }

    /// <summary>Static routes (<c>[]</c> clears).</summary>
    public IReadOnlyList<RouterRoute>? Routes { get; init; }
}

/// <summary>The subnet or port of a router interface.</summary>
public sealed record RouterInterfaceOptions
{
    /// <summary>Subnet (Neutron creates the port with the gateway address).</summary>
    public string? SubnetId { get; init; }

    /// <summary>Existing port.</summary>
    public string? PortId { get; init; }
}

/// <summary>Result of adding or removing a router interface.</summary>
public sealed record RouterInterface
{
    /// <summary>Router ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Subnet ID.</summary>
    public string? SubnetId { get; init; }

    /// <summary>Subnet IDs.</summary>
    public IReadOnlyList<string> SubnetIds { get; init => field = value ?? []; } = [];

    /// <summary>Port ID.</summary>
    public string? PortId { get; init; }

    /// <summary>Network ID.</summary>
    public string? NetworkId { get; init; }
}

/// <summary>Router list filters.</summary>
public sealed record RouterListOptions : NeutronListOptions
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>id</c> (several are ORed).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    private protected override void AddFilters(QueryBuilder query) => query.Add("name", Name).AddAll("id", Ids);
}

/// <summary>Routers (<c>/v2.0/routers</c>).</summary>
public sealed class RouterOperations : ResourceOperations<Router, RouterListOptions>
{
    internal RouterOperations(ServiceConnection connection)
        : base(connection, "routers", "router", "routers", NeutronJsonContext.Default.Router, NeutronJsonContext.Default.ListRouter)
    {
    }

    /// <summary>Creates a router.</summary>
    public Task<Router> CreateAsync(RouterCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.RouterCreateOptions, cancellationToken);

    /// <summary>Updates a router.</summary>
    public Task<Router> UpdateAsync(string id, RouterUpdateOptions options, int? ifRevisionNumber = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, options, NeutronJsonContext.Default.RouterUpdateOptions, ifRevisionNumber, cancellationToken);

    /// <summary>Adds an interface (<c>PUT /routers/{id}/add_router_interface</c>).</summary>
    public async Task<RouterInterface> AddInterfaceAsync(string routerId, RouterInterfaceOptions options, CancellationToken cancellationToken = default)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(options, NeutronJsonContext.Default.RouterInterfaceOptions);
        var response = await Connection.SendAsync(HttpMethod.Put, ItemPath(routerId) + "/add_router_interface", body, cancellationToken).ConfigureAwait(false);
        return System.Text.Json.JsonSerializer.Deserialize(response.Body, NeutronJsonContext.Default.RouterInterface) ?? new RouterInterface();
    }

    /// <summary>Removes an interface (<c>PUT /routers/{id}/remove_router_interface</c>).</summary>
    public async Task<RouterInterface> RemoveInterfaceAsync(string routerId, RouterInterfaceOptions options, CancellationToken cancellationToken = default)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(options, NeutronJsonContext.Default.RouterInterfaceOptions);
        var response = await Connection.SendAsync(HttpMethod.Put, ItemPath(routerId) + "/remove_router_interface", body, cancellationToken).ConfigureAwait(false);
        return System.Text.Json.JsonSerializer.Deserialize(response.Body, NeutronJsonContext.Default.RouterInterface) ?? new RouterInterface();
    }
}
