using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.BlockStorage;

/// <summary>
/// Cinder v3, read side: <c>client.VolumeTypes.ListAsync()</c>, <c>client.AvailabilityZones.ListAsync()</c>.
/// The catalog's <c>volumev3</c> endpoint already carries the version and the project
/// (<c>http://127.0.0.1:18776/v3/&lt;project&gt;</c>): requests are relative to it.
/// </summary>
public sealed class BlockStorageClient : IDisposable
{
    /// <summary>Catalog service type of Cinder v3.</summary>
    public const string ServiceType = "volumev3";

    private readonly IdentityClient? _ownedIdentity;

    /// <summary>Creates a client sharing an identity client's connection, token and request counter.</summary>
    /// <param name="identity">The identity client.</param>
    public BlockStorageClient(IdentityClient identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        Connection = new ServiceConnection(identity, ServiceType, string.Empty);
        VolumeTypes = new VolumeTypeOperations(Connection);
        AvailabilityZones = new VolumeAvailabilityZoneOperations(Connection);
    }

    /// <summary>Creates a client (and its own identity client) for a cloud.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <param name="options">Client options.</param>
    public BlockStorageClient(CloudConfig cloud, OpenStackClientOptions? options = null)
        : this(new IdentityClient(cloud, options))
    {
        _ownedIdentity = Identity;
    }

    /// <summary>The identity client (token, catalog).</summary>
    public IdentityClient Identity { get; }

    /// <summary>Requests sent (shared with <see cref="Identity"/>).</summary>
    public RequestCounter Requests => Identity.Requests;

    /// <summary>Volume types.</summary>
    public VolumeTypeOperations VolumeTypes { get; }

    /// <summary>Volume availability zones.</summary>
    public VolumeAvailabilityZoneOperations AvailabilityZones { get; }

    internal ServiceConnection Connection { get; }

    /// <summary>The Cinder base URL in use (e.g. <c>http://127.0.0.1:18776/v3/&lt;project&gt;/</c>).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The URL.</returns>
    public Task<Uri> GetEndpointAsync(CancellationToken cancellationToken = default) => Connection.GetBaseUriAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedIdentity?.Dispose();
}
