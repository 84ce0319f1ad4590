using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A trunk.</summary>
public sealed record Trunk
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Parent port.</summary>
    public string PortId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Status.</summary>
    public string? Status { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool AdminStateUp { get; init; }

    /// <summary>Sub-ports.</summary>
    public IReadOnlyList<SubPort> SubPorts { get; init => field = value ?? []; } = [];

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

/// <summary>Body of a trunk create.</summary>
public sealed record TrunkCreateOptions
{
    /// <summary>Parent port (required).</summary>
    public required string PortId { get; init; }

    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>admin_state_up</c>.</summary>
    public bool? AdminStateUp { get; init; }

    /// <summary>Sub-ports.</summary>
    public IReadOnlyList<SubPort>? SubPorts { get; init; }
}

/// <summary>Trunk list filters.</summary>
public sealed record TrunkListOptions : NeutronListOptions
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>port_id</c>.</summary>
    public string? PortId { get; init; }

    private protected override void AddFilters(QueryBuilder query) => query.Add("name", Name).Add("port_id", PortId);
}

internal sealed record SubPortsBody
{
    public IReadOnlyList<SubPort> SubPorts { get; init => field = value ?? []; } = [];
}

/// <summary>Trunks (<c>/v2.0/trunks</c>).</summary>
public sealed class TrunkOperations : ResourceOperations<Trunk, TrunkListOptions>
{
    internal TrunkOperations(ServiceConnection connection)
        : base(connection, "trunks", "trunk", "trunks", NeutronJsonContext.Default.Trunk, NeutronJsonContext.Default.ListTrunk)
    {
    }

    /// <summary>Creates a trunk.</summary>
    public Task<Trunk> CreateAsync(TrunkCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.TrunkCreateOptions, cancellationToken);

    /// <summary>Adds sub-ports.</summary>
    public Task<Trunk> AddSubPortsAsync(string trunkId, IEnumerable<SubPort> subPorts, CancellationToken cancellationToken = default) =>
        ChangeSubPortsAsync(trunkId, "add_subports", subPorts, cancellationToken);

    /// <summary>Removes sub-ports (only <see cref="SubPort.PortId"/> matters).</summary>
    public Task<Trunk> RemoveSubPortsAsync(string trunkId, IEnumerable<SubPort> subPorts, CancellationToken cancellationToken = default) =>
        ChangeSubPortsAsync(trunkId, "remove_subports", subPorts, cancellationToken);

    /// <summary>Lists the sub-ports.</summary>
    public async Task<IReadOnlyList<SubPort>> GetSubPortsAsync(string trunkId, CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(HttpMethod.Get, ItemPath(trunkId) + "/get_subports", null, cancellationToken).ConfigureAwait(false);
        return ServiceConnection.Read(response, "sub_ports", NeutronJsonContext.Default.ListSubPort);
    }

    private async Task<Trunk> ChangeSubPortsAsync(string trunkId, string action, IEnumerable<SubPort> subPorts, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new SubPortsBody { SubPorts = subPorts.ToList() }, NeutronJsonContext.Default.SubPortsBody);
        var response = await Connection.SendAsync(HttpMethod.Put, ItemPath(trunkId) + "/" + action, body, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, NeutronJsonContext.Default.Trunk) ?? new Trunk();
    }
}
