using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Compute;

/// <summary>
/// Nova v2.1. Resources are grouped: <c>client.Servers.CreateAsync(...)</c>, <c>client.ServerGroups.ListAsync()</c>,
/// <c>client.Flavors.FindByNameAsync("m1.large")</c>, <c>client.Quotas.GetDetailsForCurrentProjectAsync()</c>,
/// <c>client.AvailabilityZones.ListAsync()</c>.
/// <para>
/// Every request carries the microversion (<see cref="Microversion"/>, default <see cref="DefaultMicroversion"/>) in
/// both <c>OpenStack-API-Version: compute 2.x</c> and <c>X-OpenStack-Nova-API-Version: 2.x</c>. 2.90 is the default:
/// Zed (Nova 26, the local test cloud) supports up to 2.93, and 2.90 (Xena and later) includes everything this client
/// relies on: tags in the create body (2.52), server-group <c>policy</c>/<c>rules</c> (2.64), strict list filters
/// (2.75), <c>swap</c> as a number (2.75), server groups on the server (2.71), and <c>hostname</c> (2.90). For an older
/// cloud (e.g. Wallaby: 2.88, Train: 2.79) pass a lower microversion; at least <see cref="MinimumMicroversion"/>.
/// </para>
/// </summary>
public sealed class ComputeClient : IDisposable
{
    /// <summary>Catalog service type of Nova.</summary>
    public const string ServiceType = "compute";

    /// <summary>The microversion requested unless another is given.</summary>
    public const string DefaultMicroversion = "2.90";

    /// <summary>The lowest microversion this client accepts (tags in the server create body).</summary>
    public const string MinimumMicroversion = "2.52";

    private readonly IdentityClient? _ownedIdentity;
    private readonly NovaConnection _nova;

    /// <summary>Creates a client sharing an identity client's connection, token and request counter.</summary>
    /// <param name="identity">The identity client.</param>
    /// <param name="microversion">The compute microversion to request (default <see cref="DefaultMicroversion"/>).</param>
    /// <exception cref="ArgumentException">The microversion is not <c>2.N</c> or is below <see cref="MinimumMicroversion"/>.</exception>
    public ComputeClient(IdentityClient identity, string? microversion = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var version = ParseMicroversion(microversion ?? DefaultMicroversion);
        Identity = identity;
        _nova = new NovaConnection(identity, ServiceType, version);
        Servers = new ServerOperations(_nova);
        ServerGroups = new ServerGroupOperations(_nova);
        Flavors = new FlavorOperations(_nova);
        Quotas = new ComputeQuotaOperations(_nova);
        AvailabilityZones = new AvailabilityZoneOperations(_nova);
    }

    /// <summary>Creates a client (and its own identity client) for a cloud.</summary>
    public ComputeClient(CloudConfig cloud, OpenStackClientOptions? options = null, string? microversion = null)
        : this(new IdentityClient(cloud, options), microversion)
    {
        _ownedIdentity = Identity;
    }

    /// <summary>The identity client (token, catalog).</summary>
    public IdentityClient Identity { get; }

    /// <summary>Requests sent (shared with <see cref="Identity"/>).</summary>
    public RequestCounter Requests => Identity.Requests;

    /// <summary>The microversion sent with every request, e.g. <c>2.90</c>.</summary>
    public string Microversion => _nova.Microversion.ToString();

    /// <summary>Servers, their interfaces, and waiting for a status.</summary>
    public ServerOperations Servers { get; }

    /// <summary>Server groups.</summary>
    public ServerGroupOperations ServerGroups { get; }

    /// <summary>Flavors.</summary>
    public FlavorOperations Flavors { get; }

    /// <summary>Quotas and limits.</summary>
    public ComputeQuotaOperations Quotas { get; }

    /// <summary>Availability zones.</summary>
    public AvailabilityZoneOperations AvailabilityZones { get; }

    /// <summary>The Nova base URL in use (e.g. <c>http://127.0.0.1:8774/v2.1/</c>).</summary>
    public Task<Uri> GetEndpointAsync(CancellationToken cancellationToken = default) => _nova.GetBaseUriAsync(cancellationToken);

    /// <summary>The API version document of the endpoint: the microversion range the cloud supports.</summary>
    public Task<ComputeVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        _nova.GetAsync(string.Empty, "version", ComputeJsonContext.Default.ComputeVersion, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedIdentity?.Dispose();

    private static Microversion ParseMicroversion(string text)
    {
        if (!Compute.Microversion.TryParse(text, out var version) || version.Major != 2)
        {
            throw new ArgumentException($"'{text}' is not a compute microversion (2.N)", nameof(text));
        }

        if (version < new Compute.Microversion(2, 52))
        {
            throw new ArgumentException($"compute microversion {text} is below {MinimumMicroversion}, the lowest this client supports (tags in the server create body)", nameof(text));
        }

        return version;
    }
}

/// <summary>The compute API version document (<c>GET /v2.1/</c>).</summary>
public sealed record ComputeVersion
{
    /// <summary><c>v2.1</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>CURRENT</c>, <c>SUPPORTED</c> or <c>DEPRECATED</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The highest microversion supported (Zed: <c>2.93</c>).</summary>
    [JsonPropertyName("version")]
    public string? MaxMicroversion { get; init; }

    /// <summary>The lowest microversion supported (<c>2.1</c>).</summary>
    [JsonPropertyName("min_version")]
    public string? MinMicroversion { get; init; }

    /// <summary>True when <paramref name="microversion"/> lies in [<see cref="MinMicroversion"/>, <see cref="MaxMicroversion"/>].</summary>
    public bool Supports(string microversion) =>
        Compute.Microversion.TryParse(microversion, out var wanted)
        && Compute.Microversion.TryParse(MaxMicroversion, out var max) && wanted <= max
        && (!Compute.Microversion.TryParse(MinMicroversion, out var min) || wanted >= min);
}
