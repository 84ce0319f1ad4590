using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Image;

/// <summary>Glance v2, read side: <c>client.Images.ListAsync(new ImageListOptions { Name = "rhcos" })</c>, <c>client.Images.GetAsync(id)</c>.</summary>
public sealed class ImageClient : IDisposable
{
    /// <summary>Catalog service type of Glance.</summary>
    public const string ServiceType = "image";

    private readonly IdentityClient? _ownedIdentity;

    /// <summary>Creates a client sharing an identity client's connection, token and request counter.</summary>
    public ImageClient(IdentityClient identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        Connection = new ServiceConnection(identity, ServiceType, "v2");
        Images = new ImageOperations(Connection);
    }

    /// <summary>Creates a client (and its own identity client) for a cloud.</summary>
    public ImageClient(CloudConfig cloud, OpenStackClientOptions? options = null)
        : this(new IdentityClient(cloud, options))
    {
        _ownedIdentity = Identity;
    }

    /// <summary>The identity client (token, catalog).</summary>
    public IdentityClient Identity { get; }

    /// <summary>Requests sent (shared with <see cref="Identity"/>).</summary>
    public RequestCounter Requests => Identity.Requests;

    /// <summary>Images.</summary>
    public ImageOperations Images { get; }

    internal ServiceConnection Connection { get; }

    /// <summary>The Glance base URL in use (e.g. <c>http://127.0.0.1:9292/v2/</c>).</summary>
    public Task<Uri> GetEndpointAsync(CancellationToken cancellationToken = default) => Connection.GetBaseUriAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedIdentity?.Dispose();
}
