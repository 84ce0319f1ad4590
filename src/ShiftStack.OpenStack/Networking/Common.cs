using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>Sort direction of a list.</summary>
public enum SortOrder
{
    /// <summary>Ascending.</summary>
    Ascending,

    /// <summary>Descending.</summary>
    Descending,
}

/// <summary>One sort key of a list request (<c>sort_key</c>/<c>sort_dir</c>).</summary>
/// <param name="Key">Attribute name.</param>
/// <param name="Direction">Direction.</param>
public readonly record struct SortKey(string Key, SortOrder Direction = SortOrder.Ascending);

/// <summary>
/// Query options common to every Neutron collection: paging (<c>limit</c>/<c>marker</c>/<c>page_reverse</c>),
/// <c>fields</c>, sorting, project and tag filters, and extra filters for attributes without a property.
/// </summary>
public abstract record NeutronListOptions
{
    /// <summary>Page size (<c>limit</c>). <see cref="NetworkingClient"/> list methods still return every page.</summary>
    public int? Limit { get; init; }

    /// <summary>Start after this ID (<c>marker</c>).</summary>
    public string? Marker { get; init; }

    /// <summary><c>page_reverse</c>.</summary>
    public bool? PageReverse { get; init; }

    /// <summary>Only these attributes are returned (<c>fields=</c>); an unknown field is silently ignored by Neutron.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Sort keys.</summary>
    public IReadOnlyList<SortKey>? Sort { get; init; }

    /// <summary><c>project_id</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Resources having all these tags (<c>tags=</c>).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Resources having any of these tags (<c>tags-any=</c>).</summary>
    public IReadOnlyList<string>? TagsAny { get; init; }

    /// <summary>Resources not having all these tags (<c>not-tags=</c>).</summary>
    public IReadOnlyList<string>? NotTags { get; init; }

    /// <summary>Resources having none of these tags (<c>not-tags-any=</c>).</summary>
    public IReadOnlyList<string>? NotTagsAny { get; init; }

    /// <summary>More filters, sent as is (<c>key=value</c>).</summary>
    public IReadOnlyDictionary<string, string>? ExtraFilters { get; init; }

    internal string ToQuery()
    {
        var query = new QueryBuilder();
        AddFilters(query);
        query.Add("project_id", ProjectId)
            .AddJoined("tags", Tags)
            .AddJoined("tags-any", TagsAny)
            .AddJoined("not-tags", NotTags)
            .AddJoined("not-tags-any", NotTagsAny);
        if (ExtraFilters is not null)
        {
            foreach (var (key, value) in ExtraFilters)
            {
                query.Add(key, value);
            }
        }

        query.AddAll("fields", Fields);
        if (Sort is not null)
        {
            foreach (var sort in Sort)
            {
                query.Add("sort_key", sort.Key).Add("sort_dir", sort.Direction == SortOrder.Descending ? "desc" : "asc");
            }
        }

        query.Add("limit", Limit).Add("marker", Marker).Add("page_reverse", PageReverse);
        return query.ToString();
    }

    private protected abstract void AddFilters(QueryBuilder query);
}

/// <summary>One page of a list.</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="HasNext">True when the server announced a next page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasNext);

/// <summary>
/// The <c>gateway_ip</c> of a subnet create/update: <see cref="Default"/> leaves the key out (Neutron picks the
/// first address on create, keeps it on update), <see cref="None"/> sends JSON <c>null</c> (no gateway), and
/// <see cref="Address"/> sends an address. Three different things on the wire.
/// </summary>
[JsonConverter(typeof(SubnetGatewayConverter))]
public readonly record struct SubnetGateway
{
    private SubnetGateway(bool isSet, string? ip)
    {
        IsSet = isSet;
        IpAddress = ip;
    }

    /// <summary>Key absent.</summary>
    public static SubnetGateway Default => default;

    /// <summary><c>"gateway_ip": null</c>: the subnet has no gateway.</summary>
    public static SubnetGateway None { get; } = new(true, null);

    /// <summary>True unless <see cref="Default"/>.</summary>
    public bool IsSet { get; }

    /// <summary>The address, or null for <see cref="None"/> / <see cref="Default"/>.</summary>
    public string? IpAddress { get; }

    /// <summary><c>"gateway_ip": "&lt;ip&gt;"</c>.</summary>
    public static SubnetGateway Address(string ipAddress)
    {
        ArgumentException.ThrowIfNullOrEmpty(ipAddress);
        return new(true, ipAddress);
    }

    /// <inheritdoc />
    public override string ToString() => !IsSet ? "(default)" : IpAddress ?? "(none)";
}

internal sealed class SubnetGatewayConverter : JsonConverter<SubnetGateway>
{
    public override bool HandleNull => true;

    public override SubnetGateway Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? SubnetGateway.None : SubnetGateway.Address(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, SubnetGateway value, JsonSerializerOptions options)
    {
        if (value.IpAddress is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.IpAddress);
        }
    }
}

/// <summary>Well-known <c>device_owner</c> values.</summary>
public static class DeviceOwners
{
    /// <summary>A Nova server's port.</summary>
    public const string ComputeNova = "compute:nova";

    /// <summary>A router interface.</summary>
    public const string RouterInterface = "network:router_interface";

    /// <summary>A router's gateway port.</summary>
    public const string RouterGateway = "network:router_gateway";

    /// <summary>A floating IP's port.</summary>
    public const string FloatingIp = "network:floatingip";

    /// <summary>A DHCP port.</summary>
    public const string Dhcp = "network:dhcp";
}

/// <summary>A link of a <c>*_links</c> list.</summary>
public sealed record Link
{
    /// <summary><c>rel</c>.</summary>
    public string? Rel { get; init; }

    /// <summary><c>href</c>.</summary>
    public string? Href { get; init; }
}
