using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.BlockStorage;

/// <summary>A Cinder volume type.</summary>
public sealed record VolumeType
{
    /// <summary>ID.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Name (what <c>rootVolume.types</c> names).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>os-volume-type-access:is_public</c>.</summary>
    [JsonPropertyName("os-volume-type-access:is_public")]
    public bool IsPublic { get; init; } = true;

    /// <summary>Attributes without a property (<c>extra_specs</c>, <c>qos_specs_id</c>, …).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A Cinder availability zone.</summary>
/// <param name="Name">Zone name.</param>
/// <param name="Available">True when the zone has an enabled, up <c>cinder-volume</c> service.</param>
public sealed record VolumeAvailabilityZone(string Name, bool Available);

internal sealed record VolumeZoneInfo
{
    [JsonPropertyName("zoneName")]
    public string ZoneName { get; init; } = string.Empty;

    [JsonPropertyName("zoneState")]
    public VolumeZoneState? State { get; init; }
}

internal sealed record VolumeZoneState
{
    public bool Available { get; init; }
}

/// <summary>Volume types (<c>/types</c>).</summary>
public sealed class VolumeTypeOperations
{
    private readonly ServiceConnection _connection;

    internal VolumeTypeOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>Lists the volume types the project can use (public ones and those shared with it), every page.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The types.</returns>
    public async Task<IReadOnlyList<VolumeType>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<VolumeType>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var query = string.Empty;
        while (true)
        {
            var (items, next) = await _connection.ListPageAsync("types", query, "volume_types", BlockStorageJsonContext.Default.ListVolumeType, cancellationToken).ConfigureAwait(false);
            all.AddRange(items);
            if (next is null || items.Count == 0 || !seen.Add(next))
            {
                return all;
            }

            query = next;
        }
    }
}

/// <summary>Volume availability zones (<c>/os-availability-zone</c>).</summary>
public sealed class VolumeAvailabilityZoneOperations
{
    private readonly ServiceConnection _connection;

    internal VolumeAvailabilityZoneOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>
    /// The volume zones, available or not. Cinder derives them from its <c>cinder-volume</c> services: a cloud
    /// without one lists none.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The zones.</returns>
    public async Task<IReadOnlyList<VolumeAvailabilityZone>> ListAsync(CancellationToken cancellationToken = default)
    {
        var zones = await _connection.GetAsync("os-availability-zone", "availabilityZoneInfo", BlockStorageJsonContext.Default.ListVolumeZoneInfo, cancellationToken).ConfigureAwait(false);
        return zones.Select(z => new VolumeAvailabilityZone(z.ZoneName, z.State?.Available ?? false)).ToList();
    }
}
