using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A project's Nova quota limits (-1 = unlimited).</summary>
public sealed record ComputeQuota
{
    /// <summary>vCPUs.</summary>
    public int Cores { get; init; }

    /// <summary>Servers.</summary>
    public int Instances { get; init; }

    /// <summary>RAM in MiB.</summary>
    public int Ram { get; init; }

    /// <summary>Key pairs (per user).</summary>
    public int KeyPairs { get; init; }

    /// <summary>Metadata items per server.</summary>
    public int MetadataItems { get; init; }

    /// <summary>Server groups.</summary>
    public int ServerGroups { get; init; }

    /// <summary>Members per server group.</summary>
    public int ServerGroupMembers { get; init; }

    /// <summary>Other resources (older microversions return more, e.g. <c>injected_files</c>).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Limit, use and reservations of one Nova resource (<c>os-quota-sets/{project}/detail</c>).</summary>
public sealed record ComputeQuotaUsage
{
    /// <summary>Limit (-1 = unlimited).</summary>
    public int Limit { get; init; }

    /// <summary>In use.</summary>
    public int InUse { get; init; }

    /// <summary>Reserved.</summary>
    public int Reserved { get; init; }

    /// <summary>What is left (<see cref="int.MaxValue"/> when unlimited).</summary>
    [JsonIgnore]
    public int Available => Limit < 0 ? int.MaxValue : Math.Max(0, Limit - InUse - Reserved);
}

/// <summary>A project's Nova quota details.</summary>
public sealed record ComputeQuotaDetails
{
    /// <summary>vCPUs.</summary>
    public ComputeQuotaUsage Cores { get; init; } = new();

    /// <summary>Servers.</summary>
    public ComputeQuotaUsage Instances { get; init; } = new();

    /// <summary>RAM in MiB.</summary>
    public ComputeQuotaUsage Ram { get; init; } = new();

    /// <summary>Key pairs.</summary>
    public ComputeQuotaUsage KeyPairs { get; init; } = new();

    /// <summary>Metadata items per server.</summary>
    public ComputeQuotaUsage MetadataItems { get; init; } = new();

    /// <summary>Server groups.</summary>
    public ComputeQuotaUsage ServerGroups { get; init; } = new();

    /// <summary>Members per server group.</summary>
    public ComputeQuotaUsage ServerGroupMembers { get; init; } = new();
}

/// <summary>Absolute limits and use of the token's project (<c>/limits</c>; readable by any project member).</summary>
public sealed record ComputeLimits
{
    /// <summary><c>maxTotalCores</c>.</summary>
    [JsonPropertyName("maxTotalCores")]
    public int MaxTotalCores { get; init; }

    /// <summary><c>totalCoresUsed</c>.</summary>
    [JsonPropertyName("totalCoresUsed")]
    public int TotalCoresUsed { get; init; }

    /// <summary><c>maxTotalInstances</c>.</summary>
    [JsonPropertyName("maxTotalInstances")]
    public int MaxTotalInstances { get; init; }

    /// <summary><c>totalInstancesUsed</c>.</summary>
    [JsonPropertyName("totalInstancesUsed")]
    public int TotalInstancesUsed { get; init; }

    /// <summary><c>maxTotalRAMSize</c> in MiB.</summary>
    [JsonPropertyName("maxTotalRAMSize")]
    public int MaxTotalRamSize { get; init; }

    /// <summary><c>totalRAMUsed</c> in MiB.</summary>
    [JsonPropertyName("totalRAMUsed")]
    public int TotalRamUsed { get; init; }

    /// <summary><c>maxServerGroups</c>.</summary>
    [JsonPropertyName("maxServerGroups")]
    public int MaxServerGroups { get; init; }

    /// <summary><c>totalServerGroupsUsed</c>.</summary>
    [JsonPropertyName("totalServerGroupsUsed")]
    public int TotalServerGroupsUsed { get; init; }

    /// <summary><c>maxServerGroupMembers</c>.</summary>
    [JsonPropertyName("maxServerGroupMembers")]
    public int MaxServerGroupMembers { get; init; }

    /// <summary><c>maxServerMeta</c>.</summary>
    [JsonPropertyName("maxServerMeta")]
    public int MaxServerMeta { get; init; }

    /// <summary>Other limits.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed record LimitsBody
{
    public ComputeLimits Absolute { get; init; } = new();
}

/// <summary>Nova quotas (<c>/os-quota-sets</c>) and limits (<c>/limits</c>).</summary>
public sealed class ComputeQuotaOperations
{
    private readonly NovaConnection _nova;

    internal ComputeQuotaOperations(NovaConnection nova) => _nova = nova;

    /// <summary>The limits of a project.</summary>
    public Task<ComputeQuota> GetAsync(string projectId, CancellationToken cancellationToken = default) =>
        _nova.GetAsync(ItemPath(projectId), "quota_set", ComputeJsonContext.Default.ComputeQuota, cancellationToken);

    /// <summary>Limits, use and reservations of a project.</summary>
    public Task<ComputeQuotaDetails> GetDetailsAsync(string projectId, CancellationToken cancellationToken = default) =>
        _nova.GetAsync(ItemPath(projectId) + "/detail", "quota_set", ComputeJsonContext.Default.ComputeQuotaDetails, cancellationToken);

    /// <summary>The limits of the token's project.</summary>
    public async Task<ComputeQuota> GetForCurrentProjectAsync(CancellationToken cancellationToken = default) =>
        await GetAsync(await CurrentProjectAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The details of the token's project.</summary>
    public async Task<ComputeQuotaDetails> GetDetailsForCurrentProjectAsync(CancellationToken cancellationToken = default) =>
        await GetDetailsAsync(await CurrentProjectAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Absolute limits and use of the token's project (<c>GET /limits</c>).</summary>
    public async Task<ComputeLimits> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        (await _nova.GetAsync("limits", "limits", ComputeJsonContext.Default.LimitsBody, cancellationToken).ConfigureAwait(false)).Absolute;

    private async Task<string> CurrentProjectAsync(CancellationToken cancellationToken)
    {
        var token = await _nova.Identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.ProjectId ?? throw new InvalidOperationException("the token is not scoped to a project");
    }

    private static string ItemPath(string projectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        return "os-quota-sets/" + Uri.EscapeDataString(projectId);
    }
}
