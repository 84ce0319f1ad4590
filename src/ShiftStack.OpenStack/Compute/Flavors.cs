using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A flavor.</summary>
public sealed record Flavor
{
    /// <summary>ID.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Name (unique in a cloud).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>vCPUs.</summary>
    public int Vcpus { get; init; }

    /// <summary>RAM in MiB.</summary>
    public int Ram { get; init; }

    /// <summary>Root disk in GiB (0: the image's size, so a root volume is needed).</summary>
    public int Disk { get; init; }

    /// <summary>Ephemeral disk in GiB (<c>OS-FLV-EXT-DATA:ephemeral</c>).</summary>
    [JsonPropertyName("OS-FLV-EXT-DATA:ephemeral")]
    public int Ephemeral { get; init; }

    /// <summary>Swap in MiB (Nova sent <c>""</c> for none before microversion 2.75).</summary>
    [JsonConverter(typeof(EmptyStringAsZeroConverter))]
    public int Swap { get; init; }

    /// <summary><c>os-flavor-access:is_public</c>.</summary>
    [JsonPropertyName("os-flavor-access:is_public")]
    public bool IsPublic { get; init; } = true;

    /// <summary><c>OS-FLV-DISABLED:disabled</c>.</summary>
    [JsonPropertyName("OS-FLV-DISABLED:disabled")]
    public bool Disabled { get; init; }

    /// <summary>Description (microversion ≥ 2.55).</summary>
    public string? Description { get; init; }

    /// <summary>Extra specs (microversion ≥ 2.61, when the policy shows them).</summary>
    public IReadOnlyDictionary<string, string>? ExtraSpecs { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Flavor list filters.</summary>
public sealed record FlavorListOptions
{
    /// <summary><c>is_public</c>: true (default for non-admins: public and accessible private flavors), false (private only).</summary>
    public bool? IsPublic { get; init; }

    /// <summary><c>minRam</c> in MiB.</summary>
    public int? MinRam { get; init; }

    /// <summary><c>minDisk</c> in GiB.</summary>
    public int? MinDisk { get; init; }

    internal string ToQuery() =>
        new QueryBuilder().Add("is_public", IsPublic).Add("minRam", MinRam).Add("minDisk", MinDisk).ToString();
}

/// <summary>Flavors (<c>/flavors</c>).</summary>
public sealed class FlavorOperations
{
    private readonly NovaConnection _nova;

    internal FlavorOperations(NovaConnection nova) => _nova = nova;

    /// <summary>Lists flavors with details, following pages.</summary>
    public Task<IReadOnlyList<Flavor>> ListAsync(FlavorListOptions? options = null, CancellationToken cancellationToken = default) =>
        _nova.ListAllAsync("flavors/detail", options?.ToQuery() ?? string.Empty, "flavors", ComputeJsonContext.Default.ListFlavor, cancellationToken);

    /// <summary>Gets a flavor by ID.</summary>
    /// <exception cref="OpenStackException">404 <c>itemNotFound</c>.</exception>
    public Task<Flavor> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.GetAsync(ItemPath(id), "flavor", ComputeJsonContext.Default.Flavor, cancellationToken);

    /// <summary>Gets a flavor by ID, or null.</summary>
    public Task<Flavor?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.FindAsync(ItemPath(id), "flavor", ComputeJsonContext.Default.Flavor, cancellationToken);

    /// <summary>
    /// The flavor with exactly this name (ordinal comparison), or null. Nova has no name filter: this lists the
    /// flavors the project can use (one request per page).
    /// </summary>
    public async Task<Flavor?> FindByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var flavors = await ListAsync(null, cancellationToken).ConfigureAwait(false);
        return flavors.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
    }

    /// <summary>
    /// One extra spec of a flavor (<c>GET /flavors/{id}/os-extra_specs/{key}</c>), or null when the flavor does not
    /// have it (Nova answers 404). For microversions below 2.61, or when the policy hides <see cref="Flavor.ExtraSpecs"/>.
    /// </summary>
    /// <param name="flavorId">The flavor's ID.</param>
    /// <param name="key">The extra spec, e.g. <c>baremetal</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The value, or null.</returns>
    public Task<string?> FindExtraSpecAsync(string flavorId, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _nova.FindAsync(ItemPath(flavorId) + "/os-extra_specs/" + Uri.EscapeDataString(key), key, ComputeJsonContext.Default.String, cancellationToken);
    }

    private static string ItemPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "flavors/" + Uri.EscapeDataString(id);
    }
}
