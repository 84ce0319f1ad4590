using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A Nova availability zone.</summary>
/// <param name="Name">Zone name.</param>
/// <param name="Available">True when the zone has an enabled, up compute service.</param>
public sealed record AvailabilityZone(string Name, bool Available);

internal sealed record AvailabilityZoneInfo
{
    [JsonPropertyName("zoneName")]
    public string ZoneName { get; init; } = string.Empty;

    [JsonPropertyName("zoneState")]
    public ZoneState? State { get; init; }
}

internal sealed record ZoneState
{
    public bool Available { get; init; }
}

/// <summary>Availability zones (<c>/os-availability-zone</c>).</summary>
public sealed class AvailabilityZoneOperations
{
    private readonly NovaConnection _nova;

    internal AvailabilityZoneOperations(NovaConnection nova) => _nova = nova;

    /// <summary>The compute zones (available or not); the <c>internal</c> zone of services is not listed by Nova here.</summary>
    public async Task<IReadOnlyList<AvailabilityZone>> ListAsync(CancellationToken cancellationToken = default)
    {
        var zones = await _nova.GetAsync("os-availability-zone", "availabilityZoneInfo", ComputeJsonContext.Default.ListAvailabilityZoneInfo, cancellationToken).ConfigureAwait(false);
        return zones.Select(z => new AvailabilityZone(z.ZoneName, z.State?.Available ?? false)).ToList();
    }
}
