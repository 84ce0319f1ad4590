using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A project's Neutron quota limits (-1 = unlimited).</summary>
public sealed record NetworkQuota
{
    /// <summary>Networks.</summary>
    public int Network { get; init; }

    /// <summary>Subnets.</summary>
    public int Subnet { get; init; }

    /// <summary>Subnet pools.</summary>
    public int Subnetpool { get; init; }

    /// <summary>Ports.</summary>
    public int Port { get; init; }

    /// <summary>Routers.</summary>
    public int Router { get; init; }

    /// <summary>Floating IPs.</summary>
    public int Floatingip { get; init; }

    /// <summary>Security groups.</summary>
    public int SecurityGroup { get; init; }

    /// <summary>Security-group rules.</summary>
    public int SecurityGroupRule { get; init; }

    /// <summary>RBAC policies.</summary>
    public int RbacPolicy { get; init; }

    /// <summary>Trunks.</summary>
    public int? Trunk { get; init; }

    /// <summary>Other resources.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Limit and use of one resource (<c>/quotas/{project}/details</c>).</summary>
public sealed record QuotaUsage
{
    /// <summary>Limit (-1 = unlimited).</summary>
    public int Limit { get; init; }

    /// <summary>In use.</summary>
    public int Used { get; init; }

    /// <summary>Reserved.</summary>
    public int Reserved { get; init; }

    /// <summary>What is left (<see cref="int.MaxValue"/> when unlimited).</summary>
    [JsonIgnore]
    public int Available => Limit < 0 ? int.MaxValue : Math.Max(0, Limit - Used - Reserved);
}

/// <summary>A project's Neutron quota details.</summary>
public sealed record NetworkQuotaDetails
{
    /// <summary>Networks.</summary>
    public QuotaUsage Network { get; init; } = new();

    /// <summary>Subnets.</summary>
    public QuotaUsage Subnet { get; init; } = new();

    /// <summary>Subnet pools.</summary>
    public QuotaUsage Subnetpool { get; init; } = new();

    /// <summary>Ports.</summary>
    public QuotaUsage Port { get; init; } = new();

    /// <summary>Routers.</summary>
    public QuotaUsage Router { get; init; } = new();

    /// <summary>Floating IPs.</summary>
    public QuotaUsage Floatingip { get; init; } = new();

    /// <summary>Security groups.</summary>
    public QuotaUsage SecurityGroup { get; init; } = new();

    /// <summary>Security-group rules.</summary>
    public QuotaUsage SecurityGroupRule { get; init; } = new();

    /// <summary>RBAC policies.</summary>
    public QuotaUsage RbacPolicy { get; init; } = new();

    /// <summary>Trunks.</summary>
    public QuotaUsage? Trunk { get; init; }
}

/// <summary>Quotas (<c>/v2.0/quotas</c>).</summary>
public sealed class QuotaOperations
{
    private readonly ServiceConnection _connection;

    internal QuotaOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>The limits of a project.</summary>
    public Task<NetworkQuota> GetAsync(string projectId, CancellationToken cancellationToken = default) =>
        _connection.GetAsync("quotas/" + Uri.EscapeDataString(projectId), "quota", NeutronJsonContext.Default.NetworkQuota, cancellationToken);

    /// <summary>Limits, use and reservations of a project (<c>quota_details</c> extension).</summary>
    public Task<NetworkQuotaDetails> GetDetailsAsync(string projectId, CancellationToken cancellationToken = default) =>
        _connection.GetAsync("quotas/" + Uri.EscapeDataString(projectId) + "/details", "quota", NeutronJsonContext.Default.NetworkQuotaDetails, cancellationToken);

    /// <summary>The limits of the token's project.</summary>
    public async Task<NetworkQuota> GetForCurrentProjectAsync(CancellationToken cancellationToken = default) =>
        await GetAsync(await CurrentProjectAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The details of the token's project.</summary>
    public async Task<NetworkQuotaDetails> GetDetailsForCurrentProjectAsync(CancellationToken cancellationToken = default) =>
        await GetDetailsAsync(await CurrentProjectAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<string> CurrentProjectAsync(CancellationToken cancellationToken)
    {
        var token = await _connection.Identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.ProjectId ?? throw new InvalidOperationException("the token is not scoped to a project");
    }
}
