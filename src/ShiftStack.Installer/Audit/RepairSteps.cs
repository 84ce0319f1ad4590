using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Audit;

/// <summary>
/// <c>DELETE /v2.0/security-group-rules/{id}</c> for each rule of a cluster group that is not in the plan (an
/// audit repair; the rule is in the cluster's own group, never in a user's).
/// </summary>
/// <param name="GroupName">The cluster group.</param>
/// <param name="Rules">The rules: ID and description.</param>
public sealed record DeleteSecurityGroupRulesStep(string GroupName, IReadOnlyList<(string Id, string Description)> Rules) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "delete-security-group-rules";

    /// <inheritdoc />
    public override string Request => "DELETE /v2.0/security-group-rules/{id}" + (Rules.Count > 1 ? $" ×{Rules.Count}" : string.Empty);

    /// <inheritdoc />
    public override string Summary => $"delete {Rules.Count} unplanned rule{(Rules.Count == 1 ? string.Empty : "s")} from {GroupName}";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => Rules.Select(r => $"{r.Id}: {r.Description}").ToList();

    /// <inheritdoc />
    public override int ExpectedRequests => Rules.Count;

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var (id, _) in Rules)
        {
            // One after another: a group's rules are one row set in Neutron, and deletes of one group contend.
            deleted += await context.Network.SecurityGroupRules.DeleteIfExistsAsync(id, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return $"deleted {deleted} rule{(deleted == 1 ? string.Empty : "s")} from {GroupName}" + (deleted < Rules.Count ? $" ({Rules.Count - deleted} already gone)" : string.Empty);
    }
}

/// <summary>
/// <c>PUT /v2.0/ports/{id}</c> on a cluster node port (also one the Machine API made) that lost a dual-stack
/// invariant: the fixed IP of a missing family added as <c>{subnet_id}</c> (Neutron assigns the address, as conversion
/// does), the missing VIP pairs added to the port's own, the role's cluster group added to the port's own groups,
/// port security turned back on. Nothing the port has is removed.
/// </summary>
/// <param name="PortName">The port's name.</param>
/// <param name="PortId">The port.</param>
/// <param name="Role">The cluster group the port belongs in.</param>
public sealed record RepairNodePortStep(string PortName, string PortId, SecurityGroupRole Role) : PlanStep
{
    /// <summary>The port's fixed IPs as they are (kept).</summary>
    public IReadOnlyList<FixedIp> KeepFixedIps { get; init; } = [];

    /// <summary>Subnets to add a fixed IP on.</summary>
    public IReadOnlyList<string> AddSubnetIds { get; init; } = [];

    /// <summary>The full list of allowed addresses to set (the port's own plus the missing VIPs); null: unchanged.</summary>
    public IReadOnlyList<string>? Pairs { get; init; }

    /// <summary>The port's own groups, to which the role's group is added; null: unchanged.</summary>
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>Turn port security on.</summary>
    public bool EnablePortSecurity { get; init; }

    /// <inheritdoc />
    public override string Kind => "repair-port";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/ports/{PortId}";

    /// <inheritdoc />
    public override string Summary => $"repair port {PortName} ({string.Join(", ", What())})";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details =>
    [
        .. AddSubnetIds.Select(s => "add fixed_ips {subnet_id: " + s + "}"),
        .. Pairs is null ? Array.Empty<string>() : ["allowed_address_pairs: " + string.Join(", ", Pairs)],
        .. Groups is null ? Array.Empty<string>() : ["security_groups: the port's own plus the cluster group"],
        .. EnablePortSecurity ? new[] { "port_security_enabled: true" } : [],
    ];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? groups = null;
        if (Groups is not null)
        {
            var cluster = context.Id(Refs.SecurityGroup(Role));
            groups = Groups.Contains(cluster, StringComparer.Ordinal) ? Groups : [.. Groups, cluster];
        }

        await context.Network.Ports.UpdateAsync(PortId, new PortUpdateOptions
        {
            FixedIps = AddSubnetIds.Count == 0
                ? null
                : [.. KeepFixedIps.Select(f => new FixedIpRequest { SubnetId = f.SubnetId, IpAddress = f.IpAddress }), .. AddSubnetIds.Select(s => new FixedIpRequest { SubnetId = s })],
            AllowedAddressPairs = Pairs?.Select(a => new AllowedAddressPair { IpAddress = a }).ToList(),
            SecurityGroups = groups,
            PortSecurityEnabled = EnablePortSecurity ? true : null,
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"repaired port {PortName} ({string.Join(", ", What())})";
    }

    private IEnumerable<string> What()
    {
        if (AddSubnetIds.Count > 0)
        {
            yield return AddSubnetIds.Count == 1 ? "missing address family" : "missing address families";
        }

        if (Pairs is not null)
        {
            yield return "VIP pairs";
        }

        if (Groups is not null)
        {
            yield return "cluster group";
        }

        if (EnablePortSecurity)
        {
            yield return "port security";
        }
    }
}

/// <summary>
/// <c>DELETE /v2.0/ports/{id}</c> or <c>DELETE /v2.0/floatingips/{id}</c>: a resource with the cluster's tag that
/// nothing planned and no server uses (an audit repair).
/// </summary>
/// <param name="Leak">What it is: <see cref="Port"/> or <see cref="FloatingIp"/>.</param>
/// <param name="Name">Its name (a port) or address (a floating IP).</param>
/// <param name="ResourceId">Its ID.</param>
public sealed record DeleteLeakStep(string Leak, string Name, string ResourceId) : PlanStep
{
    /// <summary>A leaked port.</summary>
    public const string Port = "port";

    /// <summary>A leaked floating IP.</summary>
    public const string FloatingIp = "floating IP";

    /// <inheritdoc />
    public override string Kind => Leak == Port ? "delete-port" : "delete-floating-ip";

    /// <inheritdoc />
    public override string Request => $"DELETE /v2.0/{(Leak == Port ? "ports" : "floatingips")}/{ResourceId}";

    /// <inheritdoc />
    public override string Summary => $"delete leaked {Leak} {Name}";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var deleted = Leak == Port
            ? await context.Network.Ports.DeleteIfExistsAsync(ResourceId, cancellationToken).ConfigureAwait(false)
            : await context.Network.FloatingIps.DeleteIfExistsAsync(ResourceId, cancellationToken).ConfigureAwait(false);
        return deleted ? $"deleted leaked {Leak} {Name}" : $"leaked {Leak} {Name} was already gone";
    }
}
