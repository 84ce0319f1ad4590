namespace ShiftStack.Tests.Shared;

/// <summary>
/// The rule tables of shared/spec/provisioning.md §1.1, transcribed here by hand (independently of
/// SecurityGroupRuleTable) so that the plan is checked rule by rule against the spec. A rule is written
/// <c>group ethertype protocol min-max remote</c> (<c>-</c> for no ports).
/// </summary>
internal static class SpecRuleTables
{
    // "Any" rules: remote 0.0.0.0/0 or ::/0, per family that has a machine CIDR.
    private static readonly (string Group, string Protocol, string Ports)[] MasterAny = [("master", "tcp", "6443-6443"), ("master", "udp", "6443-6443"), ("master", "ICMP", "-")];
    private static readonly (string Group, string Protocol, string Ports)[] WorkerAny = [("worker", "tcp", "80-80"), ("worker", "tcp", "443-443"), ("worker", "ICMP", "-")];
    private static readonly (string Group, string Protocol, string Ports)[] SchedulableMasterAny = [("master", "tcp", "80-80"), ("master", "tcp", "443-443")];

    // Machine-CIDR rules of both groups: ESP, Geneve, IKE, internal tcp+udp, kubelet, NodePort tcp+udp, SSH, VRRP, VXLAN.
    private static readonly (string Protocol, string Ports)[] Both =
    [
        ("esp", "-"), ("udp", "6081-6081"), ("udp", "500-500"), ("tcp", "9000-9999"), ("udp", "9000-9999"), ("tcp", "10250-10250"),
        ("tcp", "30000-32767"), ("udp", "30000-32767"), ("tcp", "22-22"), ("112", "-"), ("udp", "4789-4789"),
    ];

    // Master only: DNS tcp+udp, etcd, KCM, scheduler, MCS, OVN DB.
    private static readonly (string Protocol, string Ports)[] MasterOnly =
    [
        ("tcp", "53-53"), ("udp", "53-53"), ("tcp", "2379-2380"), ("tcp", "10257-10257"), ("tcp", "10259-10259"), ("tcp", "22623-22623"), ("tcp", "6641-6642"),
    ];

    /// <summary>The expected rules for the given machine CIDRs, sorted.</summary>
    public static List<string> Expected(IReadOnlyList<string> v4Cidrs, IReadOnlyList<string> v6Cidrs, bool mastersSchedulable)
    {
        var rules = new List<string>();
        foreach (var (family, cidrs) in new[] { ("IPv4", v4Cidrs), ("IPv6", v6Cidrs) })
        {
            if (cidrs.Count == 0)
            {
                continue;
            }

            var any = family == "IPv4" ? "0.0.0.0/0" : "::/0";
            var icmp = family == "IPv4" ? "icmp" : "ipv6-icmp";
            var anyRules = MasterAny.Concat(WorkerAny).Concat(mastersSchedulable ? SchedulableMasterAny : []);
            rules.AddRange(anyRules.Select(r => $"{r.Group} {family} {(r.Protocol == "ICMP" ? icmp : r.Protocol)} {r.Ports} {any}"));
            foreach (var cidr in cidrs)
            {
                foreach (var group in new[] { "master", "worker" })
                {
                    rules.AddRange(Both.Select(r => $"{group} {family} {r.Protocol} {r.Ports} {cidr}"));
                }

                rules.AddRange(MasterOnly.Select(r => $"master {family} {r.Protocol} {r.Ports} {cidr}"));
                rules.Add($"worker {family} tcp 1936-1936 {cidr}");
                if (mastersSchedulable)
                {
                    rules.Add($"master {family} tcp 1936-1936 {cidr}");
                }

                if (family == "IPv4")
                {
                    // IKE NAT-T: IPv4 only, both groups.
                    rules.Add($"master {family} udp 4500-4500 {cidr}");
                    rules.Add($"worker {family} udp 4500-4500 {cidr}");
                }
            }
        }

        rules.Sort(StringComparer.Ordinal);
        return rules;
    }
}
