using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A security group.</summary>
public sealed record SecurityGroup
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Rules (a new group has two egress rules, IPv4 and IPv6 any).</summary>
    public IReadOnlyList<SecurityGroupRule> SecurityGroupRules { get; init => field = value ?? []; } = [];

    /// <summary><c>stateful</c>.</summary>
    public bool? Stateful { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];

    /// <summary><c>revision_number</c>.</summary>
    public int RevisionNumber { get; init; }

    /// <summary><c>created_at</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A security-group rule.</summary>
public sealed record SecurityGroupRule
{
    /// <summary>ID.</summary>
    public string Id { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Group ID.</summary>
    public string SecurityGroupId { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Direction.</summary>
    public RuleDirection Direction { get; init; }

    /// <summary>Ethertype.</summary>
    public EtherType Ethertype { get; init; }

    /// <summary>Protocol; null means any.</summary>
    public RuleProtocol? Protocol { get; init; }

    /// <summary>First port (ICMP type); null for all (Neutron stores 1-65535 as null/null).</summary>
    public int? PortRangeMin { get; init; }

    /// <summary>Last port (ICMP code).</summary>
    public int? PortRangeMax { get; init; }

    /// <summary>Remote CIDR.</summary>
    public string? RemoteIpPrefix { get; init; }

    /// <summary><c>normalized_cidr</c>.</summary>
    public string? NormalizedCidr { get; init; }

    /// <summary>Remote group.</summary>
    public string? RemoteGroupId { get; init; }

    /// <summary>Remote address group.</summary>
    public string? RemoteAddressGroupId { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Project ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary><c>revision_number</c>.</summary>
    public int RevisionNumber { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Body of a security group create.</summary>
public sealed record SecurityGroupCreateOptions
{
    /// <summary>Name (not <c>default</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>stateful</c>.</summary>
    public bool? Stateful { get; init; }

    /// <summary>Project (admin).</summary>
    public string? ProjectId { get; init; }
}

/// <summary>Body of a security group update; null properties are unchanged.</summary>
public sealed record SecurityGroupUpdateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary><c>stateful</c>.</summary>
    public bool? Stateful { get; init; }
}

/// <summary>Body of a security-group rule create.</summary>
public sealed record SecurityGroupRuleCreateOptions
{
    /// <summary>Group ID (required).</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Direction (required).</summary>
    public required RuleDirection Direction { get; init; }

    /// <summary>Ethertype (Neutron default IPv4).</summary>
    public EtherType? Ethertype { get; init; }

    /// <summary>Protocol (null = any).</summary>
    public RuleProtocol? Protocol { get; init; }

    /// <summary>First port / ICMP type.</summary>
    public int? PortRangeMin { get; init; }

    /// <summary>Last port / ICMP code.</summary>
    public int? PortRangeMax { get; init; }

    /// <summary>Remote CIDR (family must match the ethertype).</summary>
    public string? RemoteIpPrefix { get; init; }

    /// <summary>Remote group (exclusive with the prefix).</summary>
    public string? RemoteGroupId { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }
}

/// <summary>Security group list filters.</summary>
public sealed record SecurityGroupListOptions : NeutronListOptions
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>id</c> (several are ORed).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    private protected override void AddFilters(QueryBuilder query) => query.Add("name", Name).AddAll("id", Ids);
}

/// <summary>Security-group rule list filters.</summary>
public sealed record SecurityGroupRuleListOptions : NeutronListOptions
{
    /// <summary><c>security_group_id</c>.</summary>
    public string? SecurityGroupId { get; init; }

    /// <summary><c>direction</c>.</summary>
    public RuleDirection? Direction { get; init; }

    /// <summary><c>ethertype</c>.</summary>
    public EtherType? Ethertype { get; init; }

    /// <summary><c>protocol</c>.</summary>
    public RuleProtocol? Protocol { get; init; }

    private protected override void AddFilters(QueryBuilder query) =>
        query.Add("security_group_id", SecurityGroupId).Add("direction", Direction?.Value).Add("ethertype", Ethertype?.Value).Add("protocol", Protocol?.Value);
}

/// <summary>Security groups (<c>/v2.0/security-groups</c>).</summary>
public sealed class SecurityGroupOperations : ResourceOperations<SecurityGroup, SecurityGroupListOptions>
{
    internal SecurityGroupOperations(ServiceConnection connection)
        : base(connection, "security-groups", "security_group", "security_groups", NeutronJsonContext.Default.SecurityGroup, NeutronJsonContext.Default.ListSecurityGroup)
    {
    }

    /// <summary>Creates a group.</summary>
    public Task<SecurityGroup> CreateAsync(SecurityGroupCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.SecurityGroupCreateOptions, cancellationToken);

    /// <summary>Updates a group.</summary>
    public Task<SecurityGroup> UpdateAsync(string id, SecurityGroupUpdateOptions options, int? ifRevisionNumber = null, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(id, options, NeutronJsonContext.Default.SecurityGroupUpdateOptions, ifRevisionNumber, cancellationToken);
}

/// <summary>Security-group rules (<c>/v2.0/security-group-rules</c>).</summary>
public sealed class SecurityGroupRuleOperations : ResourceOperations<SecurityGroupRule, SecurityGroupRuleListOptions>
{
    internal SecurityGroupRuleOperations(ServiceConnection connection)
        : base(connection, "security-group-rules", "security_group_rule", "security_group_rules", NeutronJsonContext.Default.SecurityGroupRule, NeutronJsonContext.Default.ListSecurityGroupRule)
    {
    }

    /// <summary>Creates a rule.</summary>
    /// <exception cref="OpenStackException">409 <c>SecurityGroupRuleExists</c> for a duplicate.</exception>
    public Task<SecurityGroupRule> CreateAsync(SecurityGroupRuleCreateOptions options, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(options, NeutronJsonContext.Default.SecurityGroupRuleCreateOptions, cancellationToken);

    /// <summary>Creates rules in one atomic request.</summary>
    /// <exception cref="OpenStackException">409 <c>DuplicateSecurityGroupRuleInPost</c> / <c>SecurityGroupRuleExists</c>.</exception>
    public Task<IReadOnlyList<SecurityGroupRule>> CreateBulkAsync(IEnumerable<SecurityGroupRuleCreateOptions> options, CancellationToken cancellationToken = default) =>
        CreateBulkCoreAsync(options, NeutronJsonContext.Default.ListSecurityGroupRuleCreateOptions, cancellationToken);
}
