using System.Globalization;
using ShiftStack.InstallConfig;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Planning;

/// <summary>The two security groups the installer creates: <c>&lt;infraID&gt;-master</c> and <c>&lt;infraID&gt;-worker</c>.</summary>
public enum SecurityGroupRole
{
    /// <summary><c>&lt;infraID&gt;-master</c>: control-plane (and bootstrap) machines.</summary>
    Master,

    /// <summary><c>&lt;infraID&gt;-worker</c>: compute machines.</summary>
    Worker,
}

/// <summary>
/// One ingress rule (every rule is <c>ingress</c>) of a cluster security group, as the installer creates it (provisioning.md §1.1): one rule per
/// protocol × remote CIDR.
/// </summary>
/// <param name="Group">The group the rule belongs to.</param>
/// <param name="Service">What the rule opens, as named in provisioning.md (e.g. <c>API</c>, <c>etcd</c>).</param>
/// <param name="Family">The ethertype's family (the remote prefix's family).</param>
/// <param name="Protocol">
/// Neutron protocol text: <c>tcp</c>, <c>udp</c>, <c>icmp</c> (IPv4), <c>ipv6-icmp</c> (IPv6), <c>esp</c>, <c>112</c>
/// (VRRP, sent as a number like the installer does).
/// </param>
/// <param name="PortRangeMin">First port, or null for protocols without ports.</param>
/// <param name="PortRangeMax">Last port, or null for protocols without ports.</param>
/// <param name="RemoteIpPrefix">The remote CIDR in canonical text: <c>0.0.0.0/0</c>, <c>::/0</c> or a machine CIDR.</param>
public sealed record PlannedSecurityGroupRule(
    SecurityGroupRole Group,
    string Service,
    IpFamily Family,
    string Protocol,
    int? PortRangeMin,
    int? PortRangeMax,
    string RemoteIpPrefix)
{
    /// <summary>Neutron's <c>ethertype</c>: <c>IPv4</c> or <c>IPv6</c>.</summary>
    public EtherType EtherType => Family == IpFamily.IPv4 ? EtherType.IPv4 : EtherType.IPv6;

    /// <summary>The request body that creates this rule in the group <paramref name="securityGroupId"/>.</summary>
    /// <param name="securityGroupId">The ID of the created group of <see cref="Group"/>.</param>
    /// <param name="description">The rule description (the installer's by default).</param>
    /// <returns>The create options.</returns>
    public SecurityGroupRuleCreateOptions ToCreateOptions(string securityGroupId, string description = SecurityGroupRuleTable.Description) => new()
    {
        SecurityGroupId = securityGroupId,
        Direction = RuleDirection.Ingress,
        Ethertype = EtherType,
        Protocol = new RuleProtocol(Protocol),
        PortRangeMin = PortRangeMin,
        PortRangeMax = PortRangeMax,
        RemoteIpPrefix = RemoteIpPrefix,
        Description = description,
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var ports = PortRangeMin is null ? string.Empty
            : PortRangeMin == PortRangeMax ? " " + PortRangeMin.Value.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $" {PortRangeMin}-{PortRangeMax}");
        return $"{Group.ToString().ToLowerInvariant()} {Service}: {EtherType} {Protocol}{ports} from {RemoteIpPrefix}";
    }
}

/// <summary>
/// The installer's security-group rule tables (provisioning.md §1.1, CAPI era): the single place that knows which
/// ingress rules the master and worker groups get for a given install-config. The pre-flight quota check counts them;
/// provisioning creates them (<see cref="PlannedSecurityGroupRule.ToCreateOptions"/>).
/// </summary>
/// <remarks>
/// <para>
/// With one IPv4 and one IPv6 machine CIDR and masters not schedulable the tables give 74 rules: 43 master and 31
/// worker. Every new group also gets Neutron's <see cref="DefaultEgressRulesPerGroup"/> egress rules, which count
/// against the same quota.
/// </para>
/// <para>
/// One deliberate difference from the installer (docs/deviations.md §9): the IPv6 ICMP rules are sent as
/// <c>ipv6-icmp</c>, not as <c>icmp</c> (Neutron 21.0.0 rewrites the latter anyway).
/// </para>
/// </remarks>
public static class SecurityGroupRuleTable
{
    /// <summary>The installer's description of its groups and rules.</summary>
    public const string Description = "Created By OpenShift Installer";

    /// <summary>Egress rules Neutron adds to every new security group (IPv4 any, IPv6 any).</summary>
    public const int DefaultEgressRulesPerGroup = 2;

    /// <summary>The groups the installer creates.</summary>
    public static IReadOnlyList<SecurityGroupRole> Groups { get; } = [SecurityGroupRole.Master, SecurityGroupRole.Worker];

    private sealed record Entry(string Service, string Protocol, int? Min = null, int? Max = null);

    private static Entry Tcp(string service, int min, int? max = null) => new(service, "tcp", min, max ?? min);

    private static Entry Udp(string service, int min, int? max = null) => new(service, "udp", min, max ?? min);

    // "Machine-CIDR" rules of both groups.
    private static readonly Entry[] Common =
    [
        new("ESP", "esp"),
        Udp("Geneve", 6081),
        Udp("IKE", 500),
        Tcp("internal", 9000, 9999),
        Udp("internal", 9000, 9999),
        Tcp("kubelet", 10250),
        Tcp("NodePort", 30000, 32767),
        Udp("NodePort", 30000, 32767),
        Tcp("SSH", 22),
        new("VRRP", "112"),
        Udp("VXLAN", 4789),
    ];

    // "Machine-CIDR" rules of the master group only.
    private static readonly Entry[] MasterOnly =
    [
        Tcp("DNS", 53),
        Udp("DNS", 53),
        Tcp("etcd", 2379, 2380),
        Tcp("KCM", 10257),
        Tcp("scheduler", 10259),
        Tcp("MCS", 22623),
        Tcp("OVN DB", 6641, 6642),
    ];

    private static readonly Entry Router = Tcp("router", 1936);

    private static readonly Entry IkeNatT = Udp("IKE NAT-T", 4500);

    /// <summary>
    /// The rules for an install-config: machine CIDRs from <c>networking.machineNetwork</c> (unparseable entries are
    /// skipped; static validation reports them) and masters schedulable when no compute replicas are requested.
    /// </summary>
    /// <param name="config">The defaulted install-config.</param>
    /// <returns>The rules of both groups, master first.</returns>
    public static IReadOnlyList<PlannedSecurityGroupRule> For(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cidrs = (config.Networking?.MachineNetwork ?? [])
            .Select(e => Cidr.TryParse(e.Cidr, out var c, out _) ? c : (Cidr?)null)
            .Where(c => c.HasValue)
            .Select(c => c!.Value)
            .ToList();
        return For(cidrs, MastersSchedulable(config));
    }

    /// <summary>The rules for the given machine CIDRs.</summary>
    /// <param name="machineCidrs">The machine networks, in install-config order.</param>
    /// <param name="mastersSchedulable">
    /// True when the control-plane machines also run workloads (the installer then opens HTTP, HTTPS and the router
    /// port on the master group too).
    /// </param>
    /// <returns>The rules of both groups, master first.</returns>
    public static IReadOnlyList<PlannedSecurityGroupRule> For(IReadOnlyList<Cidr> machineCidrs, bool mastersSchedulable)
    {
        ArgumentNullException.ThrowIfNull(machineCidrs);
        var rules = new List<PlannedSecurityGroupRule>();
        foreach (var group in Groups)
        {
            foreach (var family in new[] { IpFamily.IPv4, IpFamily.IPv6 })
            {
                var cidrs = machineCidrs.Where(c => c.Family == family).Select(c => c.ToString()).Distinct(StringComparer.Ordinal).ToList();
                if (cidrs.Count == 0)
                {
                    // A family's rules, "any" ones included, exist only if it has a machine CIDR (67d8d770f7).
                    continue;
                }

                var any = family == IpFamily.IPv4 ? "0.0.0.0/0" : "::/0";
                foreach (var entry in AnyRules(group, mastersSchedulable, family))
                {
                    rules.Add(Rule(group, family, entry, any));
                }

                foreach (var cidr in cidrs)
                {
                    foreach (var entry in MachineCidrRules(group, mastersSchedulable, family))
                    {
                        rules.Add(Rule(group, family, entry, cidr));
                    }
                }
            }
        }

        return rules;
    }

    /// <summary>
    /// True when the masters are schedulable: the installer's Scheduler manifest says so when no compute replicas
    /// are requested (compact cluster).
    /// </summary>
    /// <param name="config">The defaulted install-config.</param>
    /// <returns>True for a cluster without compute replicas.</returns>
    public static bool MastersSchedulable(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Compute.Sum(p => p.Replicas ?? 0) == 0;
    }

    /// <summary>The number of rules per group (from <see cref="For(InstallConfiguration)"/>).</summary>
    /// <param name="rules">Rules of the table.</param>
    /// <param name="group">The group.</param>
    /// <returns>The count.</returns>
    public static int CountFor(IEnumerable<PlannedSecurityGroupRule> rules, SecurityGroupRole group) =>
        rules.Count(r => r.Group == group);

    private static IEnumerable<Entry> AnyRules(SecurityGroupRole group, bool mastersSchedulable, IpFamily family)
    {
        var icmp = new Entry("ICMP", family == IpFamily.IPv4 ? "icmp" : "ipv6-icmp");
        if (group == SecurityGroupRole.Master)
        {
            yield return Tcp("API", 6443);
            yield return Udp("API", 6443);
            yield return icmp;
            if (mastersSchedulable)
            {
                yield return Tcp("HTTP", 80);
                yield return Tcp("HTTPS", 443);
            }
        }
        else
        {
            yield return Tcp("HTTP", 80);
            yield return Tcp("HTTPS", 443);
            yield return icmp;
        }
    }

    private static IEnumerable<Entry> MachineCidrRules(SecurityGroupRole group, bool mastersSchedulable, IpFamily family)
    {
        foreach (var entry in Common)
        {
            yield return entry;
        }

        if (group == SecurityGroupRole.Master)
        {
            foreach (var entry in MasterOnly)
            {
                yield return entry;
            }

            if (mastersSchedulable)
            {
                yield return Router;
            }
        }
        else
        {
            yield return Router;
        }

        if (family == IpFamily.IPv4)
        {
            // There is no NAT in IPv6.
            yield return IkeNatT;
        }
    }

    private static PlannedSecurityGroupRule Rule(SecurityGroupRole group, IpFamily family, Entry entry, string remote) =>
        new(group, entry.Service, family, entry.Protocol, entry.Min, entry.Max, remote);
}
