using ShiftStack.OpenStack.BlockStorage;

namespace ShiftStack.Installer.Preflight;

/// <summary>
/// Reads Cinder's facts for the machine-pool checks, each only when asked and concurrently: the volume types
/// (<c>GET /types</c>) and the available volume zones (<c>GET /os-availability-zone</c>).
/// </summary>
public sealed class CinderVolumeFacts : IVolumeFactsSource
{
    private readonly BlockStorageClient _volume;

    /// <summary>Creates the source.</summary>
    /// <param name="volume">The Cinder client (sharing the Neutron client's identity client keeps one token).</param>
    public CinderVolumeFacts(BlockStorageClient volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        _volume = volume;
    }

    /// <inheritdoc />
    public async Task<VolumeFacts> CollectAsync(bool types, bool zones, CancellationToken cancellationToken = default)
    {
        var typeList = types ? _volume.VolumeTypes.ListAsync(cancellationToken) : Task.FromResult<IReadOnlyList<VolumeType>>([]);
        var zoneList = zones ? _volume.AvailabilityZones.ListAsync(cancellationToken) : Task.FromResult<IReadOnlyList<VolumeAvailabilityZone>>([]);
        await Task.WhenAll(typeList, zoneList).ConfigureAwait(false);
        return new VolumeFacts
        {
            HasEndpoint = true,
            Types = types ? (await typeList.ConfigureAwait(false)).Select(t => t.Name).ToList() : null,
            Zones = zones ? (await zoneList.ConfigureAwait(false)).Where(z => z.Available).Select(z => z.Name).ToList() : null,
        };
    }
}
