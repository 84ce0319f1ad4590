using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>Which way a conversion goes.</summary>
public enum ConversionTarget
{
    /// <summary>Single-stack IPv4 → dual-stack (IPv4 primary, IPv6 added).</summary>
    DualStack,

    /// <summary>Dual-stack → single-stack IPv4: removes what a ShiftStack conversion added.</summary>
    SingleStack,
}

/// <summary>What the user asked for (<c>shiftstack convert</c> flags).</summary>
public sealed record ConversionRequest
{
    /// <summary>The default IPv6 cluster (pod) network, used unless it overlaps something.</summary>
    public const string DefaultClusterNetwork = "fd01::/48";

    /// <summary>The default IPv6 service network, used unless it overlaps something.</summary>
    public const string DefaultServiceNetwork = "fd02::/112";

    /// <summary>The default host prefix of the IPv6 cluster network.</summary>
    public const int DefaultHostPrefix = 64;

    /// <summary>Direction.</summary>
    public required ConversionTarget Target { get; init; }

    /// <summary><c>--ipv6-subnet</c>: ID or name of the IPv6 subnet on the cluster network (dual-stack only).</summary>
    public string? Ipv6Subnet { get; init; }

    /// <summary><c>--cluster-network</c>; null picks <see cref="DefaultClusterNetwork"/> or the next free candidate.</summary>
    public string? ClusterNetwork { get; init; }

    /// <summary><c>--host-prefix</c> of the IPv6 cluster network.</summary>
    public int HostPrefix { get; init; } = DefaultHostPrefix;

    /// <summary><c>--service-network</c>; null picks <see cref="DefaultServiceNetwork"/> or the next free candidate.</summary>
    public string? ServiceNetwork { get; init; }
}

/// <summary>A VIP port of the cluster: the port whose fixed IP is the IPv4 VIP of its list.</summary>
/// <param name="Role">API or Ingress.</param>
/// <param name="Ipv4Vip">The IPv4 VIP (<c>apiVIPs</c>/<c>ingressVIPs</c> entry) in canonical text.</param>
/// <param name="Port">The port, or null when no port holds the VIP.</param>
public sealed record VipPortInfo(VipRole Role, string Ipv4Vip, Port? Port);

/// <summary>
/// Everything the conversion planner reads, fetched once by <see cref="ConversionFactsCollector"/> (GETs only);
/// tests build it by hand. The planner is a pure function of these facts and the <see cref="ConversionRequest"/>.
/// </summary>
public sealed record ConversionFacts
{
    /// <summary>The cluster's infraID.</summary>
    public required string InfraId { get; init; }

    /// <summary>The processed install-config the cluster was installed with.</summary>
    public required InstallConfiguration Config { get; init; }

    /// <summary>The cluster network (control-plane network).</summary>
    public required Network ClusterNetwork { get; init; }

    /// <summary>Every subnet of the cluster network.</summary>
    public IReadOnlyList<Subnet> NetworkSubnets { get; init; } = [];

    /// <summary>The subnet <c>--ipv6-subnet</c> names (dual-stack), or the recorded one (single-stack); null when not found.</summary>
    public Subnet? Ipv6Subnet { get; init; }

    /// <summary>Why <see cref="Ipv6Subnet"/> is null (not found, ambiguous), for the check message.</summary>
    public string? Ipv6SubnetProblem { get; init; }

    /// <summary>Router interface ports with an address on <see cref="Ipv6Subnet"/>.</summary>
    public IReadOnlyList<Port> RouterInterfaces { get; init; } = [];

    /// <summary>The API and Ingress VIP ports (one entry per VIP list that has an IPv4 VIP).</summary>
    public IReadOnlyList<VipPortInfo> VipPorts { get; init; } = [];

    /// <summary>
    /// Node ports: ports tagged <c>openshiftClusterID=&lt;infraID&gt;</c> on the cluster network, VIP ports excluded
    /// (ports on additional networks never carry VIPs and are left alone).
    /// </summary>
    public IReadOnlyList<Port> NodePorts { get; init; } = [];

    /// <summary>The cluster security groups (tagged, named <c>&lt;infraID&gt;-master|worker</c>) with their rules.</summary>
    public IReadOnlyDictionary<SecurityGroupRole, SecurityGroup> SecurityGroups { get; init; } = new Dictionary<SecurityGroupRole, SecurityGroup>();

    /// <summary>The conversion record of an earlier (possibly interrupted) run, if any.</summary>
    public ConversionRecord? Record { get; init; }

    /// <summary>The VIP port of a role, if any.</summary>
    public Port? VipPort(VipRole role) => VipPorts.FirstOrDefault(v => v.Role == role)?.Port;
}

/// <summary>How bad a pre-check finding is.</summary>
public enum CheckSeverity
{
    /// <summary>For information.</summary>
    Info,

    /// <summary>The conversion can go on, but something may not work.</summary>
    Warning,

    /// <summary>The conversion cannot be applied.</summary>
    Error,
}

/// <summary>One pre-check result.</summary>
/// <param name="Severity">Severity.</param>
/// <param name="Subject">What it is about (e.g. <c>ipv6-subnet</c>, <c>mtu</c>, <c>install-config</c>).</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record ConversionCheck(CheckSeverity Severity, string Subject, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()}: {Subject}: {Message}";
}

/// <summary>What a port is in the cluster.</summary>
public enum PortKind
{
    /// <summary>The API VIP port.</summary>
    ApiVip,

    /// <summary>The Ingress VIP port.</summary>
    IngressVip,

    /// <summary>A node port (bootstrap, master, worker).</summary>
    Node,
}

/// <summary>How a port gets (or loses) its IPv6 address on the conversion subnet.</summary>
public enum AddressAction
{
    /// <summary>Nothing to do: the port already has its address (or keeps it, on reversal).</summary>
    None,

    /// <summary>
    /// Request one: <c>fixed_ips</c> update listing <c>{subnet_id}</c>. Neutron allocates from the pool on a stateful
    /// subnet, or adds the EUI-64 address on an auto-address subnet whose address the port lacks.
    /// </summary>
    Request,

    /// <summary>Remove the address ShiftStack requested (reversal, stateful subnets).</summary>
    Remove,
}

/// <summary>The changes to one port.</summary>
/// <param name="PortId">Port ID.</param>
/// <param name="PortName">Port name.</param>
/// <param name="Kind">VIP or node port.</param>
/// <param name="RevisionNumber">The observed <c>revision_number</c> (updates are conditional on it).</param>
/// <param name="Address">What happens to the IPv6 address.</param>
/// <param name="CurrentIpv6">The port's address on the subnet now, if any.</param>
/// <param name="ExpectedIpv6">The address it will have: the EUI-64 address on an auto-address subnet, null when Neutron picks (stateful).</param>
/// <param name="FixedIpsAfter">The full <c>fixed_ips</c> to send when <paramref name="Address"/> is not None (a <c>{subnet_id}</c> entry stands for the requested address).</param>
/// <param name="PairsToAdd">VIP pairs to add, by role (resolved to the VIP ports' IPv6 addresses when applied).</param>
/// <param name="PairsToRemove">Pair addresses to remove (reversal).</param>
/// <param name="AddTag">Add the conversion tag.</param>
/// <param name="RemoveTag">Remove the conversion tag.</param>
public sealed record PortChange(
    string PortId,
    string PortName,
    PortKind Kind,
    int RevisionNumber,
    AddressAction Address,
    string? CurrentIpv6,
    string? ExpectedIpv6,
    IReadOnlyList<FixedIpRequest> FixedIpsAfter,
    IReadOnlyList<VipRole> PairsToAdd,
    IReadOnlyList<string> PairsToRemove,
    bool AddTag,
    bool RemoveTag)
{
    /// <summary>True when a port update (PUT) is needed.</summary>
    public bool NeedsUpdate => Address != AddressAction.None || PairsToAdd.Count > 0 || PairsToRemove.Count > 0;

    /// <summary>True when anything at all is to be done.</summary>
    public bool HasWork => NeedsUpdate || AddTag || RemoveTag;
}

/// <summary>The changes to one cluster security group.</summary>
/// <param name="Role">Master or worker.</param>
/// <param name="GroupId">Group ID.</param>
/// <param name="GroupName">Group name.</param>
/// <param name="RulesToAdd">IPv6 rules to create (bulk, one request).</param>
/// <param name="RulesToDelete">Rules to delete (reversal): the rules this conversion created.</param>
/// <param name="AddTag">Add the conversion tag.</param>
/// <param name="RemoveTag">Remove the conversion tag.</param>
public sealed record SecurityGroupChange(
    SecurityGroupRole Role,
    string GroupId,
    string GroupName,
    IReadOnlyList<PlannedSecurityGroupRule> RulesToAdd,
    IReadOnlyList<SecurityGroupRule> RulesToDelete,
    bool AddTag,
    bool RemoveTag)
{
    /// <summary>True when anything is to be done.</summary>
    public bool HasWork => RulesToAdd.Count > 0 || RulesToDelete.Count > 0 || AddTag || RemoveTag;
}

/// <summary>The IPv6 side of the cluster after a dual-stack conversion (or the one being removed).</summary>
/// <param name="SubnetId">The IPv6 subnet.</param>
/// <param name="SubnetCidr">Its CIDR (the IPv6 machine network).</param>
/// <param name="Mode">Its address mode (<c>slaac</c>, <c>dhcpv6-stateless</c>, <c>dhcpv6-stateful</c>, or <c>unset</c>).</param>
/// <param name="IsAutoAddress">True for SLAAC / DHCPv6-stateless subnets (Neutron assigns EUI-64 addresses itself).</param>
/// <param name="ClusterNetwork">IPv6 cluster (pod) network.</param>
/// <param name="HostPrefix">Its host prefix.</param>
/// <param name="ServiceNetwork">IPv6 service network.</param>
/// <param name="ApiVip">The IPv6 API VIP, when known (null: allocated by Neutron at apply time).</param>
/// <param name="IngressVip">The IPv6 Ingress VIP, when known.</param>
public sealed record Ipv6Side(
    string SubnetId,
    string SubnetCidr,
    string Mode,
    bool IsAutoAddress,
    string ClusterNetwork,
    int HostPrefix,
    string ServiceNetwork,
    string? ApiVip,
    string? IngressVip)
{
    /// <summary>The VIP of a role.</summary>
    public string? Vip(VipRole role) => role == VipRole.Api ? ApiVip : IngressVip;
}

/// <summary>
/// The complete conversion plan: pre-checks, the OpenStack changes (in the order they are applied: VIP ports, node
/// ports, security groups) and the cluster-side artifacts. Pure data; <see cref="ConversionExecutor"/> applies the
/// OpenStack part.
/// </summary>
public sealed record ConversionPlan
{
    /// <summary>Direction.</summary>
    public required ConversionTarget Target { get; init; }

    /// <summary>The cluster.</summary>
    public required string InfraId { get; init; }

    /// <summary>Pre-check results.</summary>
    public required IReadOnlyList<ConversionCheck> Checks { get; init; }

    /// <summary>The IPv6 side (null when the checks failed before it could be known).</summary>
    public Ipv6Side? Ipv6 { get; init; }

    /// <summary>Port changes: VIP ports first (their IPv6 addresses become the IPv6 VIPs), then node ports.</summary>
    public IReadOnlyList<PortChange> Ports { get; init; } = [];

    /// <summary>Security group changes.</summary>
    public IReadOnlyList<SecurityGroupChange> SecurityGroups { get; init; } = [];

    /// <summary>The install-config as it would be after the conversion (dual-stack only), when it could be built.</summary>
    public InstallConfiguration? TargetConfig { get; init; }

    /// <summary>True when no pre-check failed.</summary>
    public bool CanApply => Checks.All(c => c.Severity != CheckSeverity.Error);

    /// <summary>True when OpenStack already is in the target state.</summary>
    public bool IsOpenStackDone => Ports.All(p => !p.HasWork) && SecurityGroups.All(g => !g.HasWork);

    /// <summary>The errors.</summary>
    public IEnumerable<ConversionCheck> Errors => Checks.Where(c => c.Severity == CheckSeverity.Error);
}
