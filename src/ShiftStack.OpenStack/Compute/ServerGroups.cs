using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Compute;

/// <summary>Rules of a server group (microversion ≥ 2.64).</summary>
public sealed record ServerGroupRules
{
    /// <summary>At most this many members on one host (anti-affinity only).</summary>
    public int? MaxServerPerHost { get; init; }
}

/// <summary>A server group.</summary>
public sealed record ServerGroup
{
    /// <summary>ID.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The policy (from <c>policy</c> at microversion ≥ 2.64, else the first of <c>policies</c>).</summary>
    public ServerGroupPolicy? Policy { get; init; }

    /// <summary>The policies as sent before microversion 2.64 (empty at 2.64 and later).</summary>
    public IReadOnlyList<ServerGroupPolicy> Policies { get; init; } = [];

    /// <summary>Rules (microversion ≥ 2.64).</summary>
    public ServerGroupRules? Rules { get; init; }

    /// <summary>Member server IDs.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>User ID.</summary>
    public string? UserId { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    internal ServerGroup Normalized() =>
        Policy is null && Policies.Count > 0 ? this with { Policy = Policies[0] } : this;
}

/// <summary>A server group create.</summary>
public sealed record ServerGroupCreateOptions
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Policy (e.g. <see cref="ServerGroupPolicy.SoftAntiAffinity"/>).</summary>
    public required ServerGroupPolicy Policy { get; init; }

    /// <summary>Rule <c>max_server_per_host</c> (only with <see cref="ServerGroupPolicy.AntiAffinity"/>; microversion ≥ 2.64).</summary>
    public int? MaxServerPerHost { get; init; }
}

/// <summary>Server groups (<c>/os-server-groups</c>).</summary>
public sealed class ServerGroupOperations
{
    private static readonly Microversion PolicyMicroversion = new(2, 64);

    private readonly NovaConnection _nova;

    internal ServerGroupOperations(NovaConnection nova) => _nova = nova;

    /// <summary>
    /// Creates a server group. At microversion 2.64 and later the body has <c>policy</c> (and <c>rules</c>); before,
    /// <c>policies: [policy]</c>.
    /// </summary>
    /// <exception cref="OpenStackException">E.g. 403 <c>forbidden</c> when the <c>server_groups</c> quota is used up.</exception>
    public async Task<ServerGroup> CreateAsync(ServerGroupCreateOptions options, CancellationToken cancellationToken = default)
    {
        var body = BuildCreateBody(options, _nova.Microversion);
        var group = await _nova.PostAsync("os-server-groups", body, "server_group", ComputeJsonContext.Default.ServerGroup, cancellationToken).ConfigureAwait(false);
        return group.Normalized();
    }

    /// <summary>Gets a server group.</summary>
    /// <exception cref="OpenStackException">404 <c>itemNotFound</c>.</exception>
    public async Task<ServerGroup> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await _nova.GetAsync(ItemPath(id), "server_group", ComputeJsonContext.Default.ServerGroup, cancellationToken).ConfigureAwait(false)).Normalized();

    /// <summary>Gets a server group, or null if it does not exist.</summary>
    public async Task<ServerGroup?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await _nova.FindAsync(ItemPath(id), "server_group", ComputeJsonContext.Default.ServerGroup, cancellationToken).ConfigureAwait(false))?.Normalized();

    /// <summary>
    /// Lists the project's server groups (one request; Nova returns at most its <c>max_limit</c>, 1000 by default,
    /// and pages this collection by offset, not by links).
    /// </summary>
    public async Task<IReadOnlyList<ServerGroup>> ListAsync(CancellationToken cancellationToken = default)
    {
        var groups = await _nova.GetAsync("os-server-groups", "server_groups", ComputeJsonContext.Default.ListServerGroup, cancellationToken).ConfigureAwait(false);
        return groups.Select(g => g.Normalized()).ToList();
    }

    /// <summary>Deletes a server group (its members are not deleted).</summary>
    /// <exception cref="OpenStackException">404 <c>itemNotFound</c>.</exception>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.DeleteAsync(ItemPath(id), cancellationToken);

    /// <summary>Deletes a server group; false if it did not exist.</summary>
    public Task<bool> DeleteIfExistsAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.DeleteIfExistsAsync(ItemPath(id), cancellationToken);

    internal static byte[] BuildCreateBody(ServerGroupCreateOptions options, Microversion microversion)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name, nameof(options));
        if (options.Policy.Value.Length == 0)
        {
            throw new ArgumentException("a server group needs a policy", nameof(options));
        }

        ServerGroupCreateBody body;
        if (microversion >= PolicyMicroversion)
        {
            if (options.MaxServerPerHost is not null && options.Policy != ServerGroupPolicy.AntiAffinity)
            {
                throw new ArgumentException($"max_server_per_host is only allowed with the anti-affinity policy, not {options.Policy}", nameof(options));
            }

            body = new ServerGroupCreateBody
            {
                Name = options.Name,
                Policy = options.Policy,
                Rules = options.MaxServerPerHost is { } max ? new ServerGroupRules { MaxServerPerHost = max } : null,
            };
        }
        else
        {
            if (options.MaxServerPerHost is not null)
            {
                throw new ArgumentException($"server group rules need compute microversion 2.64 or later; the client uses {microversion}", nameof(options));
            }

            body = new ServerGroupCreateBody { Name = options.Name, Policies = [options.Policy] };
        }

        return Core.ServiceConnection.Envelope("server_group", body, ComputeJsonContext.Default.ServerGroupCreateBody);
    }

    private static string ItemPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "os-server-groups/" + Uri.EscapeDataString(id);
    }
}

internal sealed record ServerGroupCreateBody
{
    public required string Name { get; init; }

    public ServerGroupPolicy? Policy { get; init; }

    public IReadOnlyList<ServerGroupPolicy>? Policies { get; init; }

    public ServerGroupRules? Rules { get; init; }
}
