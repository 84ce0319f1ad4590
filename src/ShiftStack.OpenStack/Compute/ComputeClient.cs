using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Compute;

/// <summary>
/// Nova v2.1 (servers, server groups, flavors, quotas, availability zones, interfaces). Work in progress: the
/// resource groups are being added.
/// </summary>
public sealed class ComputeClient : IDisposable
{
    /// <summary>Catalog service type of Nova.</summary>
    public const string ServiceType = "compute";

    private readonly IdentityClient? _ownedIdentity;

    /// <summary>Creates a client sharing an identity client's connection, token and request counter.</summary>
    public ComputeClient(IdentityClient identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        Connection = new ServiceConnection(identity, ServiceType, "v2.1");
    }

    /// <summary>Creates a client (and its own identity client) for a cloud.</summary>
    public ComputeClient(CloudConfig cloud, OpenStackClientOptions? options = null)
        : this(new IdentityClient(cloud, options))
    {
        _ownedIdentity = Identity;
    }

    /// <summary>The identity client (token, catalog).</summary>
    public IdentityClient Identity { get; }

    /// <summary>Requests sent (shared with <see cref="Identity"/>).</summary>
    public RequestCounter Requests => Identity.Requests;

    internal ServiceConnection Connection { get; }

    /// <summary>The Nova base URL in use (e.g. <c>http://127.0.0.1:18774/v2.1/</c>).</summary>
    public Task<Uri> GetEndpointAsync(CancellationToken cancellationToken = default) => Connection.GetBaseUriAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedIdentity?.Dispose();
}
