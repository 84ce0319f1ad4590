using System.Collections.Concurrent;
using System.Globalization;
using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>The keys under which plan steps publish and find resource IDs (also the state file's keys).</summary>
public static class Refs
{
    /// <summary><c>sg/master</c>, <c>sg/worker</c>.</summary>
    public static string SecurityGroup(SecurityGroupRole role) => "sg/" + ClusterNames.RoleName(role);

    /// <summary>The bulk rule create of a security group while it is unanswered (forgotten once answered).</summary>
    public static string SecurityGroupRules(SecurityGroupRole role) => "sg-rules/" + ClusterNames.RoleName(role);

    /// <summary><c>port/&lt;name&gt;</c>.</summary>
    public static string Port(string name) => "port/" + name;

    /// <summary><c>server-group/&lt;name&gt;</c>.</summary>
    public static string ServerGroup(string name) => "server-group/" + name;

    /// <summary><c>server/&lt;name&gt;</c>.</summary>
    public static string Server(string name) => "server/" + name;

    /// <summary><c>fip/bootstrap</c>.</summary>
    public const string BootstrapFloatingIp = "fip/bootstrap";

    /// <summary><c>image/bootstrap-ignition</c>: the Glance image holding openshift-install's bootstrap Ignition.</summary>
    public const string BootstrapIgnitionImage = "image/bootstrap-ignition";
}

/// <summary>What a step runs with.</summary>
public sealed class StepContext
{
    /// <summary>Neutron.</summary>
    public required NetworkingClient Network { get; init; }

    /// <summary>Nova and Glance (null in network-only mode).</summary>
    public IComputeProvisioning? Compute { get; init; }

    /// <summary>The cloud facts the plan was made from.</summary>
    public required ProvisioningFacts Facts { get; init; }

    /// <summary>The state file.</summary>
    public required ProvisioningStateStore State { get; init; }

    /// <summary>Resource IDs by reference (<see cref="Refs"/>): those found, then those created.</summary>
    public ConcurrentDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>The installation directory (Ignition configs for user data).</summary>
    public string? AssetDirectory { get; init; }

    /// <summary>Which Ignition the servers boot with and how; null: the files of <see cref="AssetDirectory"/> as they are.</summary>
    public IgnitionDelivery? Ignition { get; init; }

    /// <summary>Progress.</summary>
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary>Concurrent requests at most.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>
    /// The number of requests in flight of the moment: <see cref="Concurrency"/> at most, fewer while a service answers
    /// slowly (the client's <see cref="OpenStack.ServiceLatency"/>).
    /// </summary>
    public ConcurrencyGovernor Governor => LazyInitializer.EnsureInitialized(
        ref _governor, () => new ConcurrencyGovernor(Concurrency, Network.Identity.Options.Latency, Progress));

    private ConcurrencyGovernor? _governor;

    /// <summary>How long servers may take to become ACTIVE.</summary>
    public TimeSpan ServerActiveTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Poll interval while waiting for servers.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The ID of a reference, which a finished dependency published.</summary>
    public string Id(string reference) =>
        Ids.TryGetValue(reference, out var id) ? id : throw new InvalidOperationException($"no ID for {reference}: a dependency did not run");
}

/// <summary>
/// One API call (or a short fixed sequence) of a plan. Steps are data: <see cref="Request"/> and
/// <see cref="Details"/> say what would be sent, so <c>--plan</c> prints them without running anything.
/// </summary>
public abstract record PlanStep
{
    /// <summary>Unique ID within the plan, e.g. <c>create-sg/master</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Steps that must finish first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Short kind, e.g. <c>create-security-group</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The request(s): method and path, e.g. <c>POST /v2.0/security-groups</c>.</summary>
    public abstract string Request { get; }

    /// <summary>One line for people.</summary>
    public abstract string Summary { get; }

    /// <summary>The body, one line per item (rules, ports, ...).</summary>
    public virtual IReadOnlyList<string> Details => [];

    /// <summary>How many requests the step sends when all goes well.</summary>
    public virtual int ExpectedRequests => 1;

    internal abstract Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>
    /// After a request of <see cref="ExecuteAsync"/> was sent but its answer was lost (connection cut, timeout, a
    /// gateway error): looks whether the step's effect is there, the way the observer finds resources after a crash,
    /// and finishes it. Returns what was found and done; null when nothing was found, so that sending the step again
    /// cannot make a duplicate. The default: steps whose requests are safe to repeat (PUT, DELETE) never get here,
    /// since the client retries those itself.
    /// </summary>
    internal virtual Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>True when <see cref="ResolveLostAnswerAsync"/> can look for the step's effect.</summary>
    internal virtual bool ResolvesLostAnswers => false;
}

/// <summary><c>POST /v2.0/security-groups</c>.</summary>
public sealed record CreateSecurityGroupStep(DesiredSecurityGroup Group) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "create-security-group";

    /// <inheritdoc />
    public override string Request => "POST /v2.0/security-groups";

    /// <inheritdoc />
    public override string Summary => $"create security group {Group.Name}";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => [$"name={Group.Name} description=\"{Group.Description}\""];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var reference = Refs.SecurityGroup(Group.Role);
        context.State.RecordIntent(reference, "security-group", Group.Name);
        var group = await context.Network.SecurityGroups.CreateAsync(
            new SecurityGroupCreateOptions { Name = Group.Name, Description = Group.Description }, cancellationToken).ConfigureAwait(false);
        context.State.RecordCreated(reference, "security-group", Group.Name, group.Id);
        context.Ids[reference] = group.Id;
        return $"created security group {Group.Name} ({group.Id})";
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        var found = (await context.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = Group.Name }, cancellationToken).ConfigureAwait(false))
            .Where(g => string.Equals(g.Description, Group.Description, StringComparison.Ordinal)).OrderBy(g => g.CreatedAt).FirstOrDefault();
        if (found is null)
        {
            return null;
        }

        var reference = Refs.SecurityGroup(Group.Role);
        context.State.RecordCreated(reference, "security-group", Group.Name, found.Id);
        context.Ids[reference] = found.Id;
        return $"created security group {Group.Name} ({found.Id})";
    }
}

/// <summary><c>PUT /v2.0/security-groups/{id}/tags</c> (replace-all, as the installer: 99b2307a72).</summary>
public sealed record TagSecurityGroupStep(SecurityGroupRole Role, string Name, IReadOnlyList<string> Tags) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "tag-security-group";

    /// <inheritdoc />
    public override string Request => "PUT /v2.0/security-groups/{id}/tags";

    /// <inheritdoc />
    public override string Summary => $"tag security group {Name} {string.Join(",", Tags)}";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var id = context.Id(Refs.SecurityGroup(Role));
        await context.Network.Tags.ReplaceAllAsync(TaggableResources.SecurityGroups, id, Tags, cancellationToken).ConfigureAwait(false);
        return $"tagged security group {Name}";
    }
}

/// <summary>One bulk <c>POST /v2.0/security-group-rules</c> with every missing rule of a group.</summary>
public sealed record CreateSecurityGroupRulesStep(SecurityGroupRole Role, string GroupName, IReadOnlyList<PlannedSecurityGroupRule> Rules) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "create-security-group-rules";

    /// <inheritdoc />
    public override string Request => "POST /v2.0/security-group-rules (bulk)";

    /// <inheritdoc />
    public override string Summary => $"create {Rules.Count} rule{(Rules.Count == 1 ? string.Empty : "s")} in {GroupName}";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => Rules.Select(r => r.ToString()).ToList();

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var id = context.Id(Refs.SecurityGroup(Role));
        var rules = Rules;

        // A bulk create whose answer is lost may still be carried out after a crash: the next run waits for it
        // (ClusterObserver) instead of sending the rules again, which Neutron would then hold twice.
        context.State.RecordIntent(Refs.SecurityGroupRules(Role), "security-group-rules", GroupName);
        try
        {
            await context.Network.SecurityGroupRules.CreateBulkAsync(rules.Select(r => r.ToCreateOptions(id, ClusterNames.InstallerDescription)), cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException ex) when (ex.IsConflict)
        {
            // Someone (a concurrent run) created some of them meanwhile: create only what is still missing.
            rules = await CreateMissingAsync(context, id, cancellationToken).ConfigureAwait(false);
            context.Progress.Message($"{GroupName}: {Rules.Count - rules.Count} rules already existed; created {rules.Count}");
        }

        context.State.Forget(Refs.SecurityGroupRules(Role));
        return $"created {rules.Count} rule{(rules.Count == 1 ? string.Empty : "s")} in {GroupName}";
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        // A bulk POST is atomic: either every rule is there or none; create what is missing either way.
        var missing = await CreateMissingAsync(context, context.Id(Refs.SecurityGroup(Role)), cancellationToken).ConfigureAwait(false);
        context.State.Forget(Refs.SecurityGroupRules(Role));
        return $"created {Rules.Count} rule{(Rules.Count == 1 ? string.Empty : "s")} in {GroupName}" + (missing.Count < Rules.Count ? $" ({Rules.Count - missing.Count} found made by the request whose answer was lost)" : string.Empty);
    }

    /// <summary>Lists the group's rules once and creates, in one bulk request, the planned ones it lacks; returns those.</summary>
    private async Task<IReadOnlyList<PlannedSecurityGroupRule>> CreateMissingAsync(StepContext context, string groupId, CancellationToken cancellationToken)
    {
        var existing = await context.Network.SecurityGroupRules.ListAsync(new SecurityGroupRuleListOptions { SecurityGroupId = groupId }, cancellationToken).ConfigureAwait(false);
        var keys = existing.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
        var missing = Rules.Where(r => !keys.Contains(RuleKeys.Of(r))).ToList();
        if (missing.Count > 0)
        {
            await context.Network.SecurityGroupRules.CreateBulkAsync(missing.Select(r => r.ToCreateOptions(groupId, ClusterNames.InstallerDescription)), cancellationToken).ConfigureAwait(false);
        }

        return missing;
    }
}

/// <summary><c>PUT /v2.0/ports/{id}/tags/{tag}</c> on the user's VIP port.</summary>
public sealed record TagVipPortStep(DesiredVipPort Vip) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "tag-vip-port";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/ports/{Vip.PortId}/tags/{Vip.Tag}";

    /// <inheritdoc />
    public override string Summary => $"tag {RoleText(Vip.Role)} VIP port {Vip.PortName} {Vip.Tag}";

    internal static string RoleText(VipRole role) => role == VipRole.Api ? "API" : "Ingress";

    internal static string RoleKey(VipRole role) => role == VipRole.Api ? "api" : "ingress";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        context.State.UpdateVipPort(Vip.PortId, RoleKey(Vip.Role), r => r.TagAdded = Vip.Tag);
        await context.Network.Tags.AddAsync(TaggableResources.Ports, Vip.PortId, Vip.Tag, cancellationToken).ConfigureAwait(false);
        return $"tagged {RoleText(Vip.Role)} VIP port {Vip.PortName}";
    }
}

/// <summary><c>PUT /v2.0/ports/{id}/tags/{tag}</c> on a node port a crash left untagged.</summary>
public sealed record TagNodePortStep(string PortName, string PortId, string Tag) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "tag-port";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/ports/{PortId}/tags/{Tag}";

    /// <inheritdoc />
    public override string Summary => $"tag port {PortName} {Tag}";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Network.Tags.AddAsync(TaggableResources.Ports, PortId, Tag, cancellationToken).ConfigureAwait(false);
        context.State.Forget(Refs.Port(PortName));
        return $"tagged port {PortName}";
    }
}

/// <summary>
/// <c>PUT /v2.0/ports/{id}</c> with the port's own security groups plus the cluster's (docs/deviations.md §1: the
/// reference's newest flow forgot this).
/// </summary>
public sealed record AddVipPortSecurityGroupStep(DesiredVipPort Vip, SecurityGroupRole Group, string GroupName) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "add-vip-port-security-group";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/ports/{Vip.PortId}";

    /// <inheritdoc />
    public override string Summary => $"add {GroupName} to {TagVipPortStep.RoleText(Vip.Role)} VIP port {Vip.PortName} (keeping its groups)";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var groupId = context.Id(Refs.SecurityGroup(Group));
        var current = context.Facts.VipPort(Vip.Role)?.SecurityGroups ?? [];
        if (current.Contains(groupId, StringComparer.Ordinal))
        {
            return $"{Vip.PortName} already has {GroupName}";
        }

        // Recorded first: if the run dies right after the PUT, destroy still knows the group was ours to remove.
        context.State.UpdateVipPort(Vip.PortId, TagVipPortStep.RoleKey(Vip.Role), r =>
        {
            if (!r.SecurityGroupsAdded.Contains(groupId, StringComparer.Ordinal))
            {
                r.SecurityGroupsAdded.Add(groupId);
            }
        });
        await context.Network.Ports.UpdateAsync(
            Vip.PortId, new PortUpdateOptions { SecurityGroups = [.. current, groupId] }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"added {GroupName} to {Vip.PortName}";
    }
}

/// <summary><c>PUT /v2.0/floatingips/{id}</c> with <c>port_id</c> = the VIP port (Neutron picks its IPv4 address).</summary>
public sealed record AssociateVipFloatingIpStep(DesiredVipPort Vip) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "associate-floating-ip";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/floatingips/{Vip.FloatingIpId}";

    /// <inheritdoc />
    public override string Summary => $"associate floating IP {Vip.FloatingIpAddress} with {TagVipPortStep.RoleText(Vip.Role)} VIP port {Vip.PortName}";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        context.State.UpdateVipPort(Vip.PortId, TagVipPortStep.RoleKey(Vip.Role), r => r.FloatingIpAssociated = Vip.FloatingIpId);
        await context.Network.FloatingIps.AssociateAsync(Vip.FloatingIpId!, Vip.PortId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"associated {Vip.FloatingIpAddress} with {Vip.PortName}";
    }
}

/// <summary>
/// One bulk <c>POST /v2.0/ports</c> for every missing node port, tags in the body. On Neutron 21.0.0 a bulk create
/// without MACs on a network with an auto-address subnet fails with HTTP 500 (bug 1995732, docs/deviations.md §8): the
/// step then creates the ports one by one, concurrently, and remembers it in the state.
/// </summary>
public sealed record CreatePortsStep(IReadOnlyList<DesiredPort> Ports) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "create-ports";

    /// <inheritdoc />
    public override string Request => Ports.Count == 1 ? "POST /v2.0/ports" : "POST /v2.0/ports (bulk; one per port on a network with a SLAAC or DHCPv6-stateless subnet, Neutron 21.0.0 bug 1995732)";

    /// <inheritdoc />
    public override string Summary => Ports.Count == 1 ? $"create port {Ports[0].Name}" : $"create {Ports.Count} ports";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => Ports.Select(Describe).ToList();

    internal static string Describe(DesiredPort p) =>
        $"{p.Name}: network {p.NetworkId}, fixed_ips [{string.Join(", ", p.SubnetIds.Select(s => "subnet " + s))}], "
        + $"allowed_address_pairs [{string.Join(", ", p.AllowedAddresses)}], security groups [{ClusterNames.RoleName(p.SecurityGroup)}{string.Concat(p.AdditionalSecurityGroupIds.Select(g => ", " + g))}], tags [{string.Join(", ", p.Tags)}]";

    internal static PortCreateOptions ToCreateOptions(DesiredPort port, StepContext context) => new()
    {
        NetworkId = port.NetworkId,
        Name = port.Name,
        Description = port.Description,
        // Subnets by ID, never an address (docs/addresses.md); none on additional networks: Neutron picks.
        FixedIps = port.SubnetIds.Count == 0 ? null : port.SubnetIds.Select(FixedIpRequest.OnSubnet).ToList(),
        SecurityGroups = [context.Id(Refs.SecurityGroup(port.SecurityGroup)), .. port.AdditionalSecurityGroupIds],
        AllowedAddressPairs = port.AllowedAddresses.Count == 0 ? null : port.AllowedAddresses.Select(a => new AllowedAddressPair { IpAddress = a }).ToList(),
        Tags = port.Tags,
    };

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var bodies = Ports.Select(p => ToCreateOptions(p, context)).ToList();

        // Neutron 21 ignores tags in a port POST: the client tags each port afterwards. A crash in between (or a lost
        // answer) leaves untagged ports the tag list cannot find; the intents let the next run find them by name.
        foreach (var port in Ports)
        {
            context.State.RecordIntent(Refs.Port(port.Name), "port", port.Name);
        }

        IReadOnlyList<Port> created;
        if (Ports.Count == 1 || context.State.BulkPortCreateBroken || KnownToFailInBulk(context.Facts))
        {
            created = await CreateEachAsync(context, bodies, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                created = await context.Network.Ports.CreateBulkAsync(bodies, cancellationToken).ConfigureAwait(false);
            }
            catch (OpenStackException ex) when (ex.IsBulkAutoAddressBug)
            {
                context.State.MarkBulkPortCreateBroken();
                context.Progress.Message(
                    "bulk port create failed with HTTP 500 on a network with an auto-address IPv6 subnet (Neutron 21.0.0 bug 1995732): creating the ports one by one");
                created = await CreateEachAsync(context, bodies, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var port in created)
        {
            context.Ids[Refs.Port(port.Name)] = port.Id;
            context.State.Forget(Refs.Port(port.Name)); // created and tagged: the tag list finds it from now on
        }

        return Ports.Count == 1 ? $"created port {created[0].Name} ({created[0].Id})" : $"created {created.Count} ports";
    }

    /// <summary>
    /// True when these ports are on the cluster network and it has an auto-address IPv6 subnet (SLAAC,
    /// DHCPv6-stateless): a bulk POST there fails on Neutron 21.0.0 (bug 1995732) after costing Neutron as much as the
    /// ports themselves, and on Zed it would not save requests anyway (its bulk create drops the pairs, which then
    /// need one PUT per port). The ports are created one by one from the start, as the installer creates them.
    /// </summary>
    internal bool KnownToFailInBulk(ProvisioningFacts facts) =>
        facts.ClusterSubnets.Any(s => s.IsAutoAddress)
        && Ports.Any(p => string.Equals(p.NetworkId, facts.ClusterNetwork.Id, StringComparison.Ordinal));

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        // Ports of this step that a lost request made: by name and ShiftStack's description on each network (one
        // list per network). They are finished (pairs, tags) and the others are created one by one.
        var found = new Dictionary<string, Port>(StringComparer.Ordinal);
        foreach (var network in Ports.Select(p => p.NetworkId).Distinct(StringComparer.Ordinal))
        {
            foreach (var port in await context.Network.Ports.ListAsync(new PortListOptions { NetworkId = network }, cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(port.Description, ClusterNames.PortDescription, StringComparison.Ordinal) && Ports.Any(p => p.Name == port.Name && p.NetworkId == network))
                {
                    found.TryAdd(port.Name, port);
                }
            }
        }

        var done = new List<Port>();
        foreach (var desired in Ports.Where(p => found.ContainsKey(p.Name)))
        {
            done.Add(await context.Network.Ports.CompleteCreateAsync(found[desired.Name], ToCreateOptions(desired, context), cancellationToken).ConfigureAwait(false));
        }

        var missing = Ports.Where(p => !found.ContainsKey(p.Name)).Select(p => ToCreateOptions(p, context)).ToList();
        if (missing.Count > 0)
        {
            done.AddRange(await CreateEachAsync(context, missing, cancellationToken).ConfigureAwait(false));
        }

        foreach (var port in done)
        {
            context.Ids[Refs.Port(port.Name)] = port.Id;
            context.State.Forget(Refs.Port(port.Name));
        }

        return $"created {done.Count} port{(done.Count == 1 ? string.Empty : "s")} ({found.Count} found made by the request whose answer was lost)";
    }

    private static async Task<IReadOnlyList<Port>> CreateEachAsync(StepContext context, List<PortCreateOptions> bodies, CancellationToken cancellationToken)
    {
        // Every request runs to its end, also when another fails: a POST cut off by our own cancellation may still be
        // carried out by Neutron later, and then nobody would know of that port. The first failure is thrown once
        // all have ended, so that a lost answer is resolved against the final state.
        var gate = context.Governor.NewGate();
        var tasks = bodies.Select(async body =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await context.Network.Ports.CreateAsync(body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (tasks.Any(t => t.IsFaulted))
        {
            // Task.WhenAll has waited for every request; throw the first failure, not an aggregate.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(tasks.First(t => t.IsFaulted).Exception!.InnerException!);
            throw;
        }
    }
}

/// <summary><c>PUT /v2.0/ports/{id}</c>: brings a node port's address pairs and security groups back to the plan.</summary>
public sealed record UpdatePortStep(DesiredPort Port, string PortId, bool Pairs, bool Groups) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "update-port";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/ports/{PortId}";

    /// <inheritdoc />
    public override string Summary => $"update port {Port.Name} ({(Pairs ? "allowed address pairs" : string.Empty)}{(Pairs && Groups ? ", " : string.Empty)}{(Groups ? "security groups" : string.Empty)})";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => [CreatePortsStep.Describe(Port)];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var body = CreatePortsStep.ToCreateOptions(Port, context);
        await context.Network.Ports.UpdateAsync(PortId, new PortUpdateOptions
        {
            AllowedAddressPairs = Pairs ? body.AllowedAddressPairs ?? [] : null,
            SecurityGroups = Groups ? body.SecurityGroups : null,
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"updated port {Port.Name}";
    }
}

/// <summary><c>POST /os-server-groups</c>.</summary>
public sealed record CreateServerGroupStep(DesiredServerGroup Group) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "create-server-group";

    /// <inheritdoc />
    public override string Request => "POST /v2.1/os-server-groups";

    /// <inheritdoc />
    public override string Summary => $"create server group {Group.Name} ({Group.Policy})";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var reference = Refs.ServerGroup(Group.Name);
        context.State.RecordIntent(reference, "server-group", Group.Name);
        var group = await compute.CreateServerGroupAsync(Group.Name, Group.Policy, cancellationToken).ConfigureAwait(false);
        context.State.RecordCreated(reference, "server-group", Group.Name, group.Id);
        context.Ids[reference] = group.Id;
        return $"created server group {Group.Name} ({group.Id})";
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var groups = await compute.ListServerGroupsAsync(n => string.Equals(n, Group.Name, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            return null;
        }

        var found = groups[0];

        var reference = Refs.ServerGroup(Group.Name);
        context.State.RecordCreated(reference, "server-group", Group.Name, found.Id);
        context.Ids[reference] = found.Id;
        return $"created server group {Group.Name} ({found.Id})";
    }
}

/// <summary><c>POST /servers</c>: flavor, image, ports, server group, AZ, metadata, tags, Ignition user data.</summary>
public sealed record CreateServerStep(DesiredServer Server) : PlanStep
{
    /// <summary>Nova's limit on user data, after base64 encoding.</summary>
    public const int MaxUserDataBase64Bytes = IgnitionDelivery.MaxUserDataBase64Bytes;

    /// <summary>True when the user data is the Ignition shim that fetches the bootstrap config from Glance.</summary>
    public bool ThroughGlance { get; init; }

    private string UserDataText => ThroughGlance ? $"Ignition shim fetching {Server.UserDataFile} from Glance" : Server.UserDataFile;

    /// <inheritdoc />
    public override string Kind => "create-server";

    /// <inheritdoc />
    public override string Request => "POST /v2.1/servers";

    /// <inheritdoc />
    public override string Summary => $"create server {Server.Name}";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details =>
    [
        $"flavor {Server.FlavorName}, image {Server.ImageName}, ports [{string.Join(", ", Server.PortNames)}]"
        + (Server.ServerGroup is null ? string.Empty : $", server group {Server.ServerGroup}")
        + (Server.AvailabilityZone is null ? string.Empty : $", zone {Server.AvailabilityZone}")
        + $", metadata {{{string.Join(", ", Server.Metadata.Select(kv => kv.Key + "=" + kv.Value))}}}, tags [{string.Join(", ", Server.Tags)}], user data {UserDataText}",
    ];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var facts = context.Facts.Compute ?? throw new InvalidOperationException("no compute facts");
        var (userData, note) = await UserDataAsync(context, cancellationToken).ConfigureAwait(false);
        var reference = Refs.Server(Server.Name);
        context.State.RecordIntent(reference, "server", Server.Name);
        var server = await compute.CreateServerAsync(new ServerCreateSpec(
            Server.Name,
            facts.FlavorId(Server.FlavorName),
            facts.ImageId,
            Server.PortNames.Select(p => context.Id(Refs.Port(p))).ToList(),
            Server.ServerGroup is null ? null : context.Id(Refs.ServerGroup(Server.ServerGroup)),
            Server.AvailabilityZone,
            Server.Metadata,
            Server.Tags,
            userData), cancellationToken).ConfigureAwait(false);
        context.State.RecordCreated(reference, "server", Server.Name, server.Id);
        context.Ids[reference] = server.Id;
        return $"created server {Server.Name} ({server.Id})" + (note is null ? string.Empty : "; " + note);
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        // Nova tags the server in the create: the one of this name with the cluster's tag is the one asked for.
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var found = (await compute.ListServersByNameAsync(Server.Name, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(v => Server.Tags.All(t => v.Tags.Contains(t, StringComparer.Ordinal)));
        if (found is null)
        {
            return null;
        }

        var reference = Refs.Server(Server.Name);
        context.State.RecordCreated(reference, "server", Server.Name, found.Id);
        context.Ids[reference] = found.Id;
        return $"created server {Server.Name} ({found.Id})";
    }

    /// <summary>The server's user data, and for the bootstrap's shim a note on its token (said in the step's result).</summary>
    private async Task<(byte[] UserData, string? Note)> UserDataAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Ignition is not { } ignition)
        {
            return (await ReadUserDataAsync(context.AssetDirectory, Server.UserDataFile, cancellationToken).ConfigureAwait(false), null);
        }

        byte[] userData;
        string source;
        string? note = null;
        if (ignition.UsesGlance && Server.UserDataFile == Installation.InstallationDirectory.BootstrapIgnitionFileName)
        {
            // openshift-install's bootstrap.ign is far over Nova's limit: the shim fetches it from Glance (with a token
            // taken now, so a resumed run hours later still boots with a valid one). The token can read that one
            // image's data and nothing else (an application credential restricted by an access rule), where the
            // reference hands over the user's own token with every right on the project.
            var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
            var data = await compute.GetRestrictedImageDataReferenceAsync(
                context.Id(Refs.BootstrapIgnitionImage), Server.Name + "-ignition", ClusterNames.BootstrapIgnitionCredentialLifetime, cancellationToken).ConfigureAwait(false);
            userData = IgnitionShim.Build(data, ignition.ReadFile(Server.UserDataFile), Server.Name, ignition.CaBundlePem, ignition.Proxy);
            source = "the Ignition shim that fetches " + Server.UserDataFile + " from Glance";
            note = data.Unrestricted is { } why
                ? $"warning: the shim carries your own token, as openshift-install's does: {why}"
                : $"the shim's token reads image {data.Url.AbsolutePath} and nothing else (application credential {data.Credential?.Name})";
            var left = data.ExpiresAt - DateTimeOffset.UtcNow;
            if (left < ClusterNames.BootstrapIgnitionTokenWarning)
            {
                note += string.Create(CultureInfo.InvariantCulture,
                    $"; warning: the token expires in {left.TotalMinutes:F0} minutes ({data.ExpiresAt:u}): a bootstrap that boots later cannot fetch its Ignition (Keystone's token lifetime is short; create the cluster again to renew it)");
            }
        }
        else
        {
            userData = ignition.FileUserData(Server);
            source = ignition.Directory.FilePath(Server.UserDataFile);
        }

        IgnitionDelivery.CheckSize(Server.Name, source, userData);
        return (userData, note);
    }

    /// <summary>Reads an Ignition config for user data and checks Nova's size limit.</summary>
    /// <exception cref="ProvisioningException">Missing or too large.</exception>
    public static async Task<byte[]> ReadUserDataAsync(string? directory, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory ?? ".", file);
        if (!File.Exists(path))
        {
            throw new ProvisioningException($"{path} not found: run 'shiftstack create ignition-configs --dir {directory}' first (or provision with --network-only)");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var encoded = (bytes.Length + 2) / 3 * 4;
        if (encoded > MaxUserDataBase64Bytes)
        {
            throw new ProvisioningException(string.Create(CultureInfo.InvariantCulture,
                $"{path} is {bytes.Length} bytes ({encoded} in base64): Nova accepts at most {MaxUserDataBase64Bytes} bytes of user data"));
        }

        return bytes;
    }
}

/// <summary>Polls <c>GET /servers/{id}</c> until every server is ACTIVE (fails on ERROR or after the timeout).</summary>
public sealed record WaitForServersStep(IReadOnlyList<string> ServerNames) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "wait-for-servers";

    /// <inheritdoc />
    public override string Request => "GET /v2.1/servers/{id} (until ACTIVE)";

    /// <inheritdoc />
    public override string Summary => $"wait until {ServerNames.Count} servers are ACTIVE";

    /// <inheritdoc />
    public override int ExpectedRequests => ServerNames.Count;

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var deadline = DateTimeOffset.UtcNow + context.ServerActiveTimeout;
        var pending = ServerNames.ToDictionary(n => n, n => context.Id(Refs.Server(n)), StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            foreach (var (name, id) in pending.ToList())
            {
                var server = await compute.FindServerAsync(id, cancellationToken).ConfigureAwait(false)
                    ?? throw new ProvisioningException($"server {name} ({id}) disappeared");
                if (string.Equals(server.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
                {
                    pending.Remove(name);
                    context.Progress.Message($"{name} is ACTIVE");
                }
                else if (string.Equals(server.Status, "ERROR", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ProvisioningException($"server {name} ({id}) went to ERROR{(server.Fault is null ? string.Empty : ": " + server.Fault)}");
                }
            }

            if (pending.Count == 0)
            {
                break;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new ProvisioningException($"servers not ACTIVE after {context.ServerActiveTimeout.TotalMinutes:0} minutes: {string.Join(", ", pending.Keys)}");
            }

            await Task.Delay(context.PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return $"{ServerNames.Count} servers ACTIVE";
    }
}

/// <summary>
/// <c>POST /v2.0/floatingips</c> for the bootstrap port, then <c>PUT /v2.0/floatingips/{id}/tags/{tag}</c> (a
/// floating-IP POST takes no tags; the description finds an untagged one after a crash).
/// </summary>
public sealed record CreateBootstrapFloatingIpStep(DesiredFloatingIp FloatingIp) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "create-floating-ip";

    /// <inheritdoc />
    public override string Request => "POST /v2.0/floatingips";

    /// <inheritdoc />
    public override string Summary => $"create bootstrap floating IP on {FloatingIp.PortName}";

    /// <inheritdoc />
    public override IReadOnlyList<string> Details => [$"floating_network_id {FloatingIp.ExternalNetworkId}, description {FloatingIp.Description}"];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        context.State.RecordIntent(Refs.BootstrapFloatingIp, "floating-ip", FloatingIp.Description);
        var fip = await context.Network.FloatingIps.CreateAsync(new FloatingIpCreateOptions
        {
            FloatingNetworkId = FloatingIp.ExternalNetworkId,
            PortId = context.Id(Refs.Port(FloatingIp.PortName)),
            Description = FloatingIp.Description,
        }, cancellationToken).ConfigureAwait(false);
        context.State.RecordCreated(Refs.BootstrapFloatingIp, "floating-ip", FloatingIp.Description, fip.Id);
        context.Ids[Refs.BootstrapFloatingIp] = fip.Id;
        return $"created bootstrap floating IP {fip.FloatingIpAddress}";
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        var found = (await context.Network.FloatingIps.ListAsync(new FloatingIpListOptions { Description = FloatingIp.Description }, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(f => string.Equals(f.FloatingNetworkId, FloatingIp.ExternalNetworkId, StringComparison.Ordinal));
        if (found is null)
        {
            return null;
        }

        context.State.RecordCreated(Refs.BootstrapFloatingIp, "floating-ip", FloatingIp.Description, found.Id);
        context.Ids[Refs.BootstrapFloatingIp] = found.Id;
        return $"created bootstrap floating IP {found.FloatingIpAddress}";
    }
}

/// <summary><c>PUT /v2.0/floatingips/{id}/tags/{tag}</c>.</summary>
public sealed record TagFloatingIpStep(string Tag) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "tag-floating-ip";

    /// <inheritdoc />
    public override string Request => $"PUT /v2.0/floatingips/{{id}}/tags/{Tag}";

    /// <inheritdoc />
    public override string Summary => $"tag bootstrap floating IP {Tag}";

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Network.Tags.AddAsync(TaggableResources.FloatingIps, context.Id(Refs.BootstrapFloatingIp), Tag, cancellationToken).ConfigureAwait(false);
        return "tagged bootstrap floating IP";
    }
}
