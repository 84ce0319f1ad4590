using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Networking;

/// <summary>
/// Neutron v2.0. Resources are grouped: <c>client.Ports.ListAsync(new PortListOptions { ... })</c>,
/// <c>client.Ports.CreateAsync(...)</c>, <c>client.Tags.AddAsync("ports", id, tag)</c>.
/// </summary>
public sealed class NetworkingClient : IDisposable
{
    /// <summary>Catalog service type of Neutron.</summary>
    public const string ServiceType = "network";

    private readonly IdentityClient? _ownedIdentity;

    /// <summary>Creates a client sharing an identity client's connection, token and request counter.</summary>
    public NetworkingClient(IdentityClient identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        var connection = new ServiceConnection(identity, ServiceType, "v2.0");
        Connection = connection;
        Networks = new NetworkOperations(connection);
        Subnets = new SubnetOperations(connection);
        Ports = new PortOperations(connection);
        SecurityGroups = new SecurityGroupOperations(connection);
        SecurityGroupRules = new SecurityGroupRuleOperations(connection);
        FloatingIps = new FloatingIpOperations(connection);
        Routers = new RouterOperations(connection);
        Trunks = new TrunkOperations(connection);
        Extensions = new ExtensionOperations(connection);
        Tags = new TagOperations(connection);
        Quotas = new QuotaOperations(connection);
    }

    /// <summary>Creates a client (and its own identity client) for a cloud.</summary>
    public NetworkingClient(CloudConfig cloud, OpenStackClientOptions? options = null)
        : this(new IdentityClient(cloud, options))
    {
        _ownedIdentity = Identity;
    }

    /// <summary>The identity client (token, catalog).</summary>
    public IdentityClient Identity { get; }

    /// <summary>Requests sent (shared with <see cref="Identity"/>).</summary>
    public RequestCounter Requests => Identity.Requests;

    /// <summary>Networks.</summary>
    public NetworkOperations Networks { get; }

    /// <summary>Subnets.</summary>
    public SubnetOperations Subnets { get; }

    /// <summary>Ports.</summary>
    public PortOperations Ports { get; }

    /// <summary>Security groups.</summary>
    public SecurityGroupOperations SecurityGroups { get; }

    /// <summary>Security-group rules.</summary>
    public SecurityGroupRuleOperations SecurityGroupRules { get; }

    /// <summary>Floating IPs.</summary>
    public FloatingIpOperations FloatingIps { get; }

    /// <summary>Routers and router interfaces.</summary>
    public RouterOperations Routers { get; }

    /// <summary>Trunks.</summary>
    public TrunkOperations Trunks { get; }

    /// <summary>API extensions.</summary>
    public ExtensionOperations Extensions { get; }

    /// <summary>Tags of any taggable resource.</summary>
    public TagOperations Tags { get; }

    /// <summary>Quotas.</summary>
    public QuotaOperations Quotas { get; }

    internal ServiceConnection Connection { get; }

    /// <summary>The Neutron base URL in use (e.g. <c>http://127.0.0.1:19696/v2.0/</c>).</summary>
    public Task<Uri> GetEndpointAsync(CancellationToken cancellationToken = default) => Connection.GetBaseUriAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedIdentity?.Dispose();
}
