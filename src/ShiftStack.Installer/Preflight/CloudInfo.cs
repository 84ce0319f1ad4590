using ShiftStack.Installer.Lookups;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight;

/// <summary>The project's Neutron quota, or why it could not be read.</summary>
/// <param name="Details">Limits, use and reservations (<c>GET /v2.0/quotas/{project}/details</c>).</param>
/// <param name="UnavailableReason">Why <paramref name="Details"/> is missing (no <c>quota_details</c>, policy, …).</param>
public sealed record NetworkQuotaFacts(NetworkQuotaDetails? Details, string? UnavailableReason)
{
    /// <summary>Quota read.</summary>
    public static NetworkQuotaFacts Of(NetworkQuotaDetails details) => new(details, null);

    /// <summary>Quota not readable.</summary>
    public static NetworkQuotaFacts Unavailable(string reason) => new(null, reason);
}

/// <summary>
/// What the quota check knows about Nova. With no compute endpoint in the catalog the compute quotas are not checked
/// (nothing to check against); with one, they are checked only when a <see cref="IComputeFactsSource"/> provided
/// them.
/// </summary>
public sealed record ComputeFacts
{
    /// <summary>True when the catalog has a <c>compute</c> endpoint for the cloud's interface and region.</summary>
    public bool HasEndpoint { get; init; }

    /// <summary>Why the facts below are missing although there is an endpoint.</summary>
    public string? UnavailableReason { get; init; }

    /// <summary>The project's instances, cores and RAM (MiB): limit, use and reservations.</summary>
    public ComputeQuotaDetails? Quota { get; init; }

    /// <summary>The flavors named in the install-config that exist, by name.</summary>
    public IReadOnlyDictionary<string, Flavor> Flavors { get; init; } = new Dictionary<string, Flavor>(StringComparer.Ordinal);

    /// <summary>
    /// The names of the <see cref="Flavors"/> whose extra spec <c>baremetal</c> is <c>"true"</c>: the reference
    /// skips their minimums (administrators rarely fill in a bare-metal flavor's sizes).
    /// </summary>
    public IReadOnlySet<string> BaremetalFlavors { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The available compute availability zones (<c>GET /os-availability-zone</c>); null when not looked up (no
    /// machine pool names a zone).
    /// </summary>
    public IReadOnlyList<string>? Zones { get; init; }

    /// <summary>No compute endpoint: the cloud has no Nova to check.</summary>
    public static ComputeFacts NoEndpoint { get; } = new();

    /// <summary>A compute endpoint exists, but its quotas could not be read.</summary>
    public static ComputeFacts Unavailable(string reason) => new() { HasEndpoint = true, UnavailableReason = reason };
}

/// <summary>Reads Nova's quotas and flavors; plugged into <see cref="CloudInfoCollector"/> when a Compute client exists.</summary>
public interface IComputeFactsSource
{
    /// <summary>Reads the project's instance/core/RAM quota and the sizes of the named flavors.</summary>
    /// <param name="flavorNames">The flavors the install-config names.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts, with <see cref="ComputeFacts.HasEndpoint"/> set.</returns>
    Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the quota, the named flavors (with their <c>baremetal</c> extra spec) and, when asked, the available
    /// compute zones. The default reads what <see cref="CollectAsync(IReadOnlyCollection{string}, CancellationToken)"/> reads.
    /// </summary>
    /// <param name="flavorNames">The flavors the install-config names.</param>
    /// <param name="zones">True when a machine pool names a compute zone.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, bool zones, CancellationToken cancellationToken = default) =>
        CollectAsync(flavorNames, cancellationToken);
}

/// <summary>
/// What the machine-pool checks know about Cinder: the volume types and the available volume zones, each looked up
/// only when a machine pool's <c>rootVolume</c> needs it.
/// </summary>
public sealed record VolumeFacts
{
    /// <summary>True when the catalog has a <c>volumev3</c> endpoint for the cloud's interface and region.</summary>
    public bool HasEndpoint { get; init; }

    /// <summary>Why the facts below are missing although there is an endpoint.</summary>
    public string? UnavailableReason { get; init; }

    /// <summary>The names of the volume types the project can use; null when not looked up.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>The available volume zones; null when not looked up.</summary>
    public IReadOnlyList<string>? Zones { get; init; }

    /// <summary>No block-storage endpoint in the catalog.</summary>
    public static VolumeFacts NoEndpoint { get; } = new();

    /// <summary>A block-storage endpoint exists, but it could not be asked.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The facts.</returns>
    public static VolumeFacts Unavailable(string reason) => new() { HasEndpoint = true, UnavailableReason = reason };
}

/// <summary>Reads Cinder's volume types and zones; plugged into <see cref="CloudInfoCollector"/>.</summary>
public interface IVolumeFactsSource
{
    /// <summary>Reads what is asked for.</summary>
    /// <param name="types">Read the volume types.</param>
    /// <param name="zones">Read the available volume zones.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts, with <see cref="VolumeFacts.HasEndpoint"/> set.</returns>
    Task<VolumeFacts> CollectAsync(bool types, bool zones, CancellationToken cancellationToken = default);
}

/// <summary>
/// Everything the pre-flight rules know about the cloud, fetched once by <see cref="CloudInfoCollector"/>. The rules
/// (<see cref="PreflightValidator"/>) are pure functions of the install-config and this record, so tests build it by
/// hand. A null look-up means it was not needed (the install-config does not ask for it). The look-ups of what the
/// install-config names are the <see cref="NetworkFacts"/> every verb shares (<see cref="NetworkFacts.VipPorts"/> only
/// with an OpenShift-managed load balancer, the only case the rules check them); the rest is pre-flight's own.
/// </summary>
public sealed record CloudInfo : NetworkFacts
{
    /// <summary>No network facts yet (tests set them).</summary>
    public CloudInfo()
    {
    }

    /// <summary>Pre-flight's facts on top of <paramref name="network"/>.</summary>
    /// <param name="network">The install-config's network facts.</param>
    /// <param name="cloudName">The clouds.yaml entry the facts come from.</param>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public CloudInfo(NetworkFacts network, string cloudName)
        : base(network)
    {
        CloudName = cloudName;
    }

    /// <summary>The clouds.yaml entry the facts come from.</summary>
    public required string CloudName { get; init; }

    /// <summary>The project the token is scoped to.</summary>
    public string? ProjectId { get; init; }

    /// <summary>
    /// The router interface ports (<c>device_owner</c> <c>network:router_interface</c>, <c>…_distributed</c> or
    /// <c>network:ha_router_replicated_interface</c>) with an address on an IPv6 <c>controlPlanePort</c> subnet.
    /// </summary>
    public IReadOnlyList<Port> RouterInterfacePorts { get; init; } = [];

    /// <summary>The aliases of Neutron's API extensions; null when not collected (the extension check is skipped).</summary>
    public IReadOnlySet<string>? NetworkExtensions { get; init; }

    /// <summary>The project's Neutron quota and use; null when not collected (the quota check is skipped).</summary>
    public NetworkQuotaFacts? NetworkQuota { get; init; }

    /// <summary>Nova quota, flavors and zones.</summary>
    public ComputeFacts Compute { get; init; } = ComputeFacts.NoEndpoint;

    /// <summary>Cinder's volume types and zones; null when no machine pool has a <c>rootVolume</c> that needs them.</summary>
    public VolumeFacts? Volume { get; init; }

    /// <summary>The <c>device_owner</c> values of router interface ports.</summary>
    public static IReadOnlySet<string> RouterInterfaceOwners { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        DeviceOwners.RouterInterface,
        "network:router_interface_distributed",
        "network:ha_router_replicated_interface",
    };
}
