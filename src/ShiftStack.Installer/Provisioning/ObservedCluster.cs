using System.Net;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// What of a cluster already exists, found by the cluster tag (and, for resources a crash may have left untagged, by
/// the intents recorded in the state). Built by <see cref="ClusterObserver"/>; tests build it by hand.
/// </summary>
public sealed record ObservedCluster
{
    /// <summary>Nothing exists.</summary>
    public static ObservedCluster Empty { get; } = new();

    /// <summary>The cluster's security groups (with their rules and tags).</summary>
    public IReadOnlyDictionary<SecurityGroupRole, SecurityGroup> SecurityGroups { get; init; } = new Dictionary<SecurityGroupRole, SecurityGroup>();

    /// <summary>Ports tagged with the cluster tag.</summary>
    public IReadOnlyList<Port> Ports { get; init; } = [];

    /// <summary>Floating IPs tagged with the cluster tag (or an untagged bootstrap floating IP left by a crash).</summary>
    public IReadOnlyList<FloatingIp> FloatingIps { get; init; } = [];

    /// <summary>Server groups named like the cluster's.</summary>
    public IReadOnlyList<ServerGroupInfo> ServerGroups { get; init; } = [];

    /// <summary>Servers tagged with the cluster tag.</summary>
    public IReadOnlyList<ServerInfo> Servers { get; init; } = [];

    /// <summary>Trunks tagged with the cluster tag (destroy only; ShiftStack creates none, as the reference since 4.17).</summary>
    public IReadOnlyList<Trunk> Trunks { get; init; } = [];

    /// <summary>Glance images tagged with the cluster tag (the bootstrap Ignition upload), when the run uses Glance.</summary>
    public IReadOnlyList<ImageInfo> Images { get; init; } = [];

    /// <summary>The image among <see cref="Images"/> that holds exactly the current bootstrap Ignition, if any.</summary>
    public string? CurrentBootstrapIgnitionImageId { get; init; }
}

/// <summary>
/// Rule identity as Neutron compares rules (provisioning.md §11): direction, ethertype, protocol after Neutron's
/// rewriting (<c>icmp</c> → <c>ipv6-icmp</c> for IPv6, names and numbers of the same protocol), ports, and the
/// remote prefix with "any" (null, <c>0.0.0.0/0</c>, <c>::/0</c>) made equal.
/// </summary>
public static class RuleKeys
{
    private static readonly Dictionary<string, string> ProtocolNumbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["icmp"] = "1", ["igmp"] = "2", ["tcp"] = "6", ["udp"] = "17", ["gre"] = "47", ["esp"] = "50", ["ah"] = "51",
        ["ipv6-icmp"] = "58", ["icmpv6"] = "58", ["ospf"] = "89", ["pgm"] = "113", ["vrrp"] = "112", ["sctp"] = "132",
        ["any"] = "any",
    };

    /// <summary>The key of a rule to create.</summary>
    public static string Of(PlannedSecurityGroupRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Key("ingress", rule.EtherType, rule.Protocol, rule.PortRangeMin, rule.PortRangeMax, rule.RemoteIpPrefix);
    }

    /// <summary>The key of a rule as Neutron returned it.</summary>
    public static string Of(SecurityGroupRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Key(rule.Direction.Value, rule.Ethertype, rule.Protocol?.Value, rule.PortRangeMin, rule.PortRangeMax, rule.RemoteIpPrefix, rule.RemoteGroupId);
    }

    private static string Key(string direction, EtherType etherType, string? protocol, int? min, int? max, string? remote, string? remoteGroup = null)
    {
        var proto = string.IsNullOrEmpty(protocol) ? "any" : new RuleProtocol(protocol).Normalize(etherType).Value;
        if (ProtocolNumbers.TryGetValue(proto, out var number))
        {
            proto = number;
        }

        if (etherType == EtherType.IPv6 && proto == "1")
        {
            proto = "58";
        }

        if (min == 1 && max == 65535)
        {
            min = null;
            max = null;
        }

        var prefix = NormalizePrefix(remote);
        return string.Join('|', direction.ToLowerInvariant(), etherType.Value.ToUpperInvariant(), proto, min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", prefix, remoteGroup ?? "-");
    }

    private static string NormalizePrefix(string? remote)
    {
        if (string.IsNullOrEmpty(remote) || remote is "0.0.0.0/0" or "::/0")
        {
            return "any";
        }

        if (Cidr.TryParse(remote, out var cidr, out _))
        {
            return cidr.ToString();
        }

        if (IpAddresses.TryParse(remote, out IPAddress? address))
        {
            return IpAddresses.Canonical(address) + (IpAddresses.FamilyOf(address) == IpFamily.IPv4 ? "/32" : "/128");
        }

        return remote;
    }
}
