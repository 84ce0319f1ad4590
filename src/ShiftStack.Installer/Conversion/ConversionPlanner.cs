using System.Globalization;
using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Processing;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>
/// Computes a <see cref="ConversionPlan"/>: a pure function of (<see cref="ConversionFacts"/>,
/// <see cref="ConversionRequest"/>). Re-running it on the facts observed after an interrupted or finished apply gives
/// only the changes still missing, so the executor converges and a second apply sends no write.
/// </summary>
/// <remarks>
/// What a dual-stack conversion changes on OpenStack (conversion.md §4, §5):
/// <list type="bullet">
/// <item>every VIP and node port gets its IPv6 address: on an auto-address subnet Neutron has added it when the subnet
/// was created (docs/addresses.md); a port that lacks it, and every port on a stateful subnet, gets a <c>fixed_ips</c>
/// update listing <c>{subnet_id}</c> (never an explicit address, which Neutron 21.0.0 refuses on auto-address subnets);</item>
/// <item>node ports that carry an IPv4 VIP as an allowed address pair get the IPv6 VIP of the same list (the VIP ports'
/// IPv6 addresses);</item>
/// <item>the cluster security groups get the IPv6 rule set of <see cref="SecurityGroupRuleTable"/>, described
/// <see cref="RuleDescription"/>;</item>
/// <item>every modified port and group is tagged <see cref="ConversionTag"/>; the exact additions are recorded in
/// <see cref="ConversionRecord"/> before they are made, so that <c>--to single-stack</c> removes exactly them.</item>
/// </list>
/// </remarks>
public static class ConversionPlanner
{
    /// <summary>The description of the IPv6 rules a conversion creates (how reversal recognises them).</summary>
    public const string RuleDescription = "Created By ShiftStack dual-stack conversion";

    /// <summary>The minimum network MTU for IPv6 with OVN-Kubernetes (1280 + 100 of Geneve overhead).</summary>
    public const int MinimumIpv6Mtu = 1380;

    private static readonly string[] ClusterNetworkCandidates = ["fd01::/48", "fd03::/48", "fd05::/48", "fd07::/48", "fd09::/48"];

    private static readonly string[] ServiceNetworkCandidates = ["fd02::/112", "fd04::/112", "fd06::/112", "fd08::/112", "fd0a::/112"];

    /// <summary>The tag on every port and security group a conversion modified: <c>&lt;infraID&gt;-converted-dual-stack</c>.</summary>
    public static string ConversionTag(string infraId) => infraId + "-converted-dual-stack";

    /// <summary>Plans a conversion.</summary>
    /// <param name="facts">What exists.</param>
    /// <param name="request">What the user asked for.</param>
    /// <returns>The plan; check <see cref="ConversionPlan.CanApply"/>.</returns>
    public static ConversionPlan Plan(ConversionFacts facts, ConversionRequest request)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        return request.Target == ConversionTarget.DualStack ? PlanDualStack(facts, request) : PlanSingleStack(facts);
    }

    private static ConversionPlan PlanDualStack(ConversionFacts facts, ConversionRequest request)
    {
        var checks = new List<ConversionCheck>();
        var config = facts.Config;
        var os = config.Platform.OpenStack;
        var networking = config.Networking;
        var plan = new ConversionPlan { Target = ConversionTarget.DualStack, InfraId = facts.InfraId, Checks = checks };
        if (os is null || networking is null)
        {
            checks.Add(Error("install-config", "the install-config has no platform.openstack or no networking section"));
            return plan;
        }

        var machineCidrs = ParseAll(networking.MachineNetwork.Select(m => m.Cidr));
        var serviceCidrs = ParseAll(networking.ServiceNetwork);
        var record = facts.Record is { Target: ConversionRecord.DualStackTarget } r && r.InfraId == facts.InfraId ? r : null;
        if (machineCidrs.Count == 0 || machineCidrs[0].Family != IpFamily.IPv4 || serviceCidrs.Count == 0 || serviceCidrs[0].Family != IpFamily.IPv4)
        {
            checks.Add(Error("install-config", "only a cluster whose primary family is IPv4 can be converted to dual-stack (the first machineNetwork and serviceNetwork entries must be IPv4)"));
            return plan;
        }

        if (record is null && (CidrList.HasFamily(machineCidrs, IpFamily.IPv6) || CidrList.HasFamily(serviceCidrs, IpFamily.IPv6)))
        {
            checks.Add(Error("install-config", "the install-config already has IPv6 machine or service networks: the cluster is dual-stack already"));
            return plan;
        }

        if (os.LoadBalancer?.Type == LoadBalancerConfig.UserManaged)
        {
            checks.Add(Error("load-balancer",
                "the load balancer is UserManaged: the VIPs belong to your load balancer, not to Neutron ports, so ShiftStack cannot derive the IPv6 VIPs; add them to your load balancer and convert the cluster side by hand"));
            return plan;
        }

        // The IPv6 subnet.
        var subnet = facts.Ipv6Subnet;
        if (subnet is null)
        {
            checks.Add(Error("ipv6-subnet", facts.Ipv6SubnetProblem ?? $"IPv6 subnet {request.Ipv6Subnet} not found"));
            return plan;
        }

        var subnetName = Describe(subnet);
        if (subnet.IpVersion != 6)
        {
            checks.Add(Error("ipv6-subnet", $"subnet {subnetName} is an IPv{subnet.IpVersion} subnet, not IPv6"));
            return plan;
        }

        if (!string.Equals(subnet.NetworkId, facts.ClusterNetwork.Id, StringComparison.Ordinal))
        {
            checks.Add(Error("ipv6-subnet",
                $"subnet {subnetName} is on network {subnet.NetworkId}, not on the cluster network {Describe(facts.ClusterNetwork)}: the nodes' ports can only get addresses from subnets of their own network"));
            return plan;
        }

        if (record is not null && !string.Equals(record.Ipv6SubnetId, subnet.Id, StringComparison.Ordinal))
        {
            checks.Add(Error("ipv6-subnet",
                $"an earlier conversion used subnet {record.Ipv6SubnetId}: finish it with --ipv6-subnet {record.Ipv6SubnetId}, or revert it with --to single-stack first"));
            return plan;
        }

        if (!Cidr.TryParse(subnet.Cidr, out var subnetCidr, out _))
        {
            checks.Add(Error("ipv6-subnet", $"subnet {subnetName} has no valid CIDR ({subnet.Cidr})"));
            return plan;
        }

        var auto = subnet.IsAutoAddress;
        var mode = ModeOf(subnet);
        checks.Add(Info("ipv6-subnet", ModeDescription(subnet, mode, auto)));
        ModeChecks(subnet, checks);
        RouterCheck(facts, subnet, checks);
        MtuCheck(facts.ClusterNetwork, checks);

        // The IPv6 cluster and service networks.
        if (record is not null && ((request.ClusterNetwork is { } c && c != record.ClusterNetwork) || (request.ServiceNetwork is { } s && s != record.ServiceNetwork)))
        {
            checks.Add(Error("networks",
                $"an earlier conversion chose cluster network {record.ClusterNetwork} and service network {record.ServiceNetwork}: re-run with those (or without --cluster-network/--service-network)"));
            return plan;
        }

        var clusterCidrText = record?.ClusterNetwork ?? request.ClusterNetwork;
        var serviceCidrText = record?.ServiceNetwork ?? request.ServiceNetwork;
        var hostPrefix = record?.HostPrefix ?? request.HostPrefix;
        var taken = machineCidrs.Append(subnetCidr)
            .Concat(ParseAll(facts.NetworkSubnets.Select(s => s.Cidr)))
            .Concat(ParseAll(networking.ClusterNetwork.Select(c => c.Cidr)))
            .Concat(serviceCidrs)
            .ToList();
        clusterCidrText ??= ClusterNetworkCandidates.FirstOrDefault(c => !taken.Any(t => t.Overlaps(Cidr.Parse(c))));
        if (clusterCidrText is not null && Cidr.TryParse(clusterCidrText, out var chosenCluster, out _))
        {
            taken.Add(chosenCluster);
        }

        serviceCidrText ??= ServiceNetworkCandidates.FirstOrDefault(c => !taken.Any(t => t.Overlaps(Cidr.Parse(c))));
        if (clusterCidrText is null || serviceCidrText is null)
        {
            checks.Add(Error("networks", "no free IPv6 cluster/service network among the defaults: pass --cluster-network and --service-network"));
            return plan;
        }

        // VIP ports and their IPv6 addresses (= the IPv6 VIPs).
        var tag = ConversionTag(facts.InfraId);
        var autoSubnets = AutoSubnets(facts, subnet);
        var recorded = record?.Ports.Where(p => p.AddressRequested || p.PairsAdded.Count > 0).Select(p => p.Id).ToHashSet(StringComparer.Ordinal)
            ?? [];
        var ports = new List<PortChange>();
        var vips = new Dictionary<VipRole, string?>();
        foreach (var vip in facts.VipPorts)
        {
            if (vip.Port is null)
            {
                checks.Add(Error("vip-ports",
                    $"no port on the cluster network holds the {RoleText(vip.Role)} VIP {vip.Ipv4Vip}: its IPv6 VIP must be a port's address (Neutron cannot be asked for a given address on an auto-address subnet); "
                    + $"create one with: openstack port create --network {facts.ClusterNetwork.Id} --fixed-ip ip-address={vip.Ipv4Vip} --fixed-ip subnet={subnet.Id} {facts.InfraId}-{(vip.Role == VipRole.Api ? "api" : "ingress")}-port"));
                continue;
            }

            var change = AddressChange(vip.Port, vip.Role == VipRole.Api ? PortKind.ApiVip : PortKind.IngressVip, subnet, subnetCidr, auto, autoSubnets, [], tag, recorded);
            vips[vip.Role] = change.CurrentIpv6 ?? change.ExpectedIpv6;
            ports.Add(change);
        }

        if (facts.VipPorts.Count == 0)
        {
            checks.Add(Error("vip-ports", "the install-config has no IPv4 apiVIPs/ingressVIPs: nothing to derive the IPv6 VIPs from"));
        }

        foreach (var port in facts.NodePorts.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal))
        {
            var pairs = new List<VipRole>();
            foreach (var vip in facts.VipPorts)
            {
                if (HasPair(port, vip.Ipv4Vip) && (vips.GetValueOrDefault(vip.Role) is not { } v6 || !HasPair(port, v6)))
                {
                    pairs.Add(vip.Role);
                }
            }

            ports.Add(AddressChange(port, PortKind.Node, subnet, subnetCidr, auto, autoSubnets, pairs, tag, recorded));
        }

        if (facts.NodePorts.Count == 0)
        {
            checks.Add(Warning("node-ports", $"no port tagged {ClusterNames.ClusterTag(facts.InfraId)} on the cluster network: no node port gets the IPv6 VIP pairs"));
        }

        var side = new Ipv6Side(subnet.Id, subnetCidr.ToString(), mode, auto, clusterCidrText, hostPrefix, serviceCidrText,
            vips.GetValueOrDefault(VipRole.Api), vips.GetValueOrDefault(VipRole.Ingress));

        // The would-be install-config, checked by the static rules.
        var target = TargetConfig(config, facts, side, subnet, out var synthesizedPort);
        if (synthesizedPort)
        {
            checks.Add(Info("install-config",
                "the install-config has no controlPlanePort (installer-managed network): the dual-stack config uses one on the cluster network with the IPv4 and the IPv6 subnet"));
        }

        var validationConfig = WithPlaceholderVips(target, side, subnetCidr);
        var warnings = new List<FieldWarning>();
        foreach (var error in InstallConfigValidator.Validate(validationConfig, warnings))
        {
            checks.Add(Error("install-config", "dual-stack install-config: " + error));
        }

        foreach (var warning in warnings)
        {
            checks.Add(Warning("install-config", "dual-stack install-config: " + warning));
        }

        // Security groups: the IPv6 half of the rule table for the dual-stack machine networks.
        var groups = new List<SecurityGroupChange>();
        var v6Rules = SecurityGroupRuleTable.For(target).Where(r => r.Family == IpFamily.IPv6).ToList();
        foreach (var role in SecurityGroupRuleTable.Groups)
        {
            if (!facts.SecurityGroups.TryGetValue(role, out var group))
            {
                checks.Add(Warning("security-groups",
                    $"security group {ClusterNames.SecurityGroup(facts.InfraId, role)} (tagged {ClusterNames.ClusterTag(facts.InfraId)}) not found: its IPv6 rules are not added; open IPv6 traffic for the nodes yourself"));
                continue;
            }

            var existing = group.SecurityGroupRules.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
            var toAdd = v6Rules.Where(x => x.Group == role && !existing.Contains(RuleKeys.Of(x))).ToList();
            var recordedRules = record?.SecurityGroups.Any(g => g.Id == group.Id && g.RuleKeys.Count > 0) == true;
            groups.Add(new SecurityGroupChange(role, group.Id, group.Name, toAdd, [], (toAdd.Count > 0 || recordedRules) && !group.Tags.Contains(tag), false));
        }

        return plan with { Ipv6 = side, Ports = ports, SecurityGroups = groups, TargetConfig = target };
    }

    private static ConversionPlan PlanSingleStack(ConversionFacts facts)
    {
        var checks = new List<ConversionCheck>();
        var plan = new ConversionPlan { Target = ConversionTarget.SingleStack, InfraId = facts.InfraId, Checks = checks };
        var networking = facts.Config.Networking;
        var machineCidrs = ParseAll(networking?.MachineNetwork.Select(m => m.Cidr) ?? []);
        var serviceCidrs = ParseAll(networking?.ServiceNetwork ?? []);
        if ((machineCidrs.Count > 0 && machineCidrs[0].Family == IpFamily.IPv6) || (serviceCidrs.Count > 0 && serviceCidrs[0].Family == IpFamily.IPv6))
        {
            checks.Add(Error("install-config",
                "the cluster is IPv6-primary (its first machineNetwork/serviceNetwork is IPv6): removing IPv6 would remove the primary family and every node's primary address; "
                + "OpenShift does not support changing the primary family, and dual-stack → single-stack IPv6 is not supported either (conversion.md §2)"));
            return plan;
        }

        var record = facts.Record;
        if (record is null || record.InfraId != facts.InfraId)
        {
            checks.Add(Error("conversion-record",
                CidrList.HasFamily(machineCidrs, IpFamily.IPv6)
                    ? "the cluster was installed dual-stack (no ShiftStack conversion record): its IPv6 addresses, VIP ports and rules were made at install time, partly by you, and removing them is not a reversal ShiftStack can do without touching your resources"
                    : "no ShiftStack conversion record for this cluster: it is single-stack IPv4 already, or the record (.shiftstack/conversion.json) was lost; ShiftStack removes only what its dual-stack conversion recorded"));
            return plan;
        }

        var tag = ConversionTag(facts.InfraId);
        var subnet = facts.Ipv6Subnet;
        var auto = subnet?.IsAutoAddress ?? record.AutoAddress;
        var autoSubnets = AutoSubnets(facts, subnet);
        var observed = facts.NodePorts.Concat(facts.VipPorts.Where(v => v.Port is not null).Select(v => v.Port!))
            .GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var ports = new List<PortChange>();
        foreach (var entry in record.Ports.OrderBy(p => KindOrder(p.Kind)).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!observed.TryGetValue(entry.Id, out var port))
            {
                checks.Add(Info("ports", $"port {entry.Name} ({entry.Id}) recorded by the conversion no longer exists: nothing to remove there"));
                continue;
            }

            var removePairs = entry.PairsAdded.Where(ip => HasPair(port, ip)).ToList();
            var address = AddressAction.None;
            var current = AddressOn(port, record.Ipv6SubnetId);
            IReadOnlyList<FixedIpRequest> after = [];
            if (entry.AddressRequested && current is not null)
            {
                if (auto)
                {
                    checks.Add(Info("ports",
                        $"port {Describe(port)} keeps its automatic address {current}: Neutron removes SLAAC/DHCPv6-stateless addresses only when the subnet is deleted (docs/addresses.md)"));
                }
                else
                {
                    address = AddressAction.Remove;
                    after = [.. KeptFixedIps(port, autoSubnets, record.Ipv6SubnetId)];
                }
            }

            var hasTag = port.Tags.Contains(tag);
            ports.Add(new PortChange(port.Id, port.Name, ParseKind(entry.Kind), port.RevisionNumber, address, current, null, after, [], removePairs, false, hasTag));
        }

        var groups = new List<SecurityGroupChange>();
        foreach (var entry in record.SecurityGroups)
        {
            var role = (MachineRole.FromName(entry.Role) ?? MachineRole.Worker).SecurityGroup;
            if (!facts.SecurityGroups.TryGetValue(role, out var group) || group.Id != entry.Id)
            {
                checks.Add(Info("security-groups", $"security group {entry.Name} ({entry.Id}) recorded by the conversion no longer exists: nothing to remove there"));
                continue;
            }

            var keys = entry.RuleKeys.ToHashSet(StringComparer.Ordinal);
            var toDelete = group.SecurityGroupRules
                .Where(rule => string.Equals(rule.Description, RuleDescription, StringComparison.Ordinal) && keys.Contains(RuleKeys.Of(rule)))
                .OrderBy(rule => rule.Id, StringComparer.Ordinal)
                .ToList();
            groups.Add(new SecurityGroupChange(role, group.Id, group.Name, [], toDelete, false, group.Tags.Contains(tag)));
        }

        if (auto)
        {
            checks.Add(Info("ipv6-subnet",
                $"the nodes' automatic (EUI-64) addresses on subnet {record.Ipv6SubnetId} stay: ShiftStack does not delete your subnet; delete it afterwards (openstack subnet delete {record.Ipv6SubnetId}) to remove them from every port of the network"));
        }

        var side = new Ipv6Side(record.Ipv6SubnetId, record.Ipv6SubnetCidr, record.Mode, auto, record.ClusterNetwork, record.HostPrefix, record.ServiceNetwork, record.ApiVip, record.IngressVip);
        return plan with { Ipv6 = side, Ports = ports, SecurityGroups = groups };
    }

    /// <summary>The change of one port's IPv6 address (and pairs) towards dual-stack.</summary>
    private static PortChange AddressChange(Port port, PortKind kind, Subnet subnet, Cidr subnetCidr, bool auto, IReadOnlySet<string> autoSubnets, List<VipRole> pairs, string tag, HashSet<string> recorded)
    {
        var current = AddressOn(port, subnet.Id);
        string? expected = null;
        var action = AddressAction.None;
        IReadOnlyList<FixedIpRequest> after = [];
        if (current is null)
        {
            action = AddressAction.Request;
            if (auto && Eui64.TryParseMac(port.MacAddress, out _))
            {
                expected = IpAddresses.Canonical(Eui64.FromMac(port.MacAddress, subnetCidr));
            }

            after = [.. KeptFixedIps(port, autoSubnets, subnet.Id), FixedIpRequest.OnSubnet(subnet.Id)];
        }

        var needsUpdate = action != AddressAction.None || pairs.Count > 0;
        // The tag follows the update (an interrupted run finds the record and tags the port then).
        var addTag = (needsUpdate || recorded.Contains(port.Id)) && !port.Tags.Contains(tag);
        return new PortChange(port.Id, port.Name, kind, port.RevisionNumber, action, current, expected, after, pairs, [], addTag, false);
    }

    /// <summary>
    /// The port's fixed IPs to repeat in a <c>fixed_ips</c> update, without <paramref name="dropSubnetId"/>. Addresses on
    /// auto-address subnets are left out: Neutron 21.0.0 refuses an explicit address there
    /// (<c>AllocationOnAutoAddressSubnet</c>) and keeps a port's automatic addresses whatever the update lists.
    /// </summary>
    internal static IEnumerable<FixedIpRequest> KeptFixedIps(Port port, IReadOnlySet<string> autoSubnets, string dropSubnetId) =>
        port.FixedIps.Where(ip => ip.SubnetId != dropSubnetId && !autoSubnets.Contains(ip.SubnetId))
            .Select(ip => FixedIpRequest.Address(ip.IpAddress, ip.SubnetId));

    /// <summary>The install-config after the conversion: IPv6 appended to every list (IPv4 stays primary).</summary>
    internal static InstallConfiguration TargetConfig(InstallConfiguration config, ConversionFacts facts, Ipv6Side side, Subnet subnet, out bool synthesizedPort)
    {
        var n = config.Networking!;
        var os = config.Platform.OpenStack!;
        synthesizedPort = false;
        var machine = n.MachineNetwork.Any(m => Cidr.TryParse(m.Cidr, out var c, out _) && c.ToString() == side.SubnetCidr)
            ? n.MachineNetwork
            : [.. n.MachineNetwork, new MachineNetworkEntry { Cidr = side.SubnetCidr }];
        var clusterNetwork = n.ClusterNetwork.Any(c => c.Cidr == side.ClusterNetwork)
            ? n.ClusterNetwork
            : [.. n.ClusterNetwork, new ClusterNetworkEntry { Cidr = side.ClusterNetwork, HostPrefix = side.HostPrefix }];
        var serviceNetwork = n.ServiceNetwork.Contains(side.ServiceNetwork) ? n.ServiceNetwork : [.. n.ServiceNetwork, side.ServiceNetwork];
        var apiVips = side.ApiVip is { } api && !os.ApiVips.Contains(api) ? [.. os.ApiVips, api] : os.ApiVips;
        var ingressVips = side.IngressVip is { } ingress && !os.IngressVips.Contains(ingress) ? [.. os.IngressVips, ingress] : os.IngressVips;
        PortTarget port;
        if (os.ControlPlanePort is { } cpp)
        {
            port = cpp.FixedIPs.Any(f => f.Subnet.Id == subnet.Id || (!string.IsNullOrEmpty(subnet.Name) && f.Subnet.Name == subnet.Name))
                ? cpp
                : cpp with { FixedIPs = [.. cpp.FixedIPs, new FixedIP { Subnet = new SubnetFilter { Id = subnet.Id } }] };
        }
        else
        {
            synthesizedPort = true;
            var v4 = facts.NetworkSubnets.FirstOrDefault(s => s.IpVersion == 4 && Cidr.TryParse(s.Cidr, out var c, out _)
                && n.MachineNetwork.Any(m => Cidr.TryParse(m.Cidr, out var mc, out _) && mc.Overlaps(c)));
            port = new PortTarget
            {
                Network = new NetworkFilter { Id = facts.ClusterNetwork.Id },
                FixedIPs = v4 is null
                    ? [new FixedIP { Subnet = new SubnetFilter { Id = subnet.Id } }]
                    : [new FixedIP { Subnet = new SubnetFilter { Id = v4.Id } }, new FixedIP { Subnet = new SubnetFilter { Id = subnet.Id } }],
            };
        }

        return config with
        {
            Networking = n with { MachineNetwork = machine, ClusterNetwork = clusterNetwork, ServiceNetwork = serviceNetwork },
            Platform = config.Platform with { OpenStack = os with { ApiVips = apiVips, IngressVips = ingressVips, ControlPlanePort = port } },
        };
    }

    // A stateful subnet's VIPs are allocated by Neutron at apply time; the static rules need some address of the
    // subnet meanwhile (only for checking, never shown as a VIP).
    private static InstallConfiguration WithPlaceholderVips(InstallConfiguration target, Ipv6Side side, Cidr subnetCidr)
    {
        var os = target.Platform.OpenStack!;
        if (side.ApiVip is not null && side.IngressVip is not null)
        {
            return target;
        }

        var api = side.ApiVip ?? IpAddresses.Canonical(subnetCidr.Host(0xa)!);
        var ingress = side.IngressVip ?? IpAddresses.Canonical(subnetCidr.Host(0xb)!);
        return target with
        {
            Platform = target.Platform with
            {
                OpenStack = os with
                {
                    ApiVips = os.ApiVips.Contains(api) ? os.ApiVips : [.. os.ApiVips, api],
                    IngressVips = os.IngressVips.Contains(ingress) ? os.IngressVips : [.. os.IngressVips, ingress],
                },
            },
        };
    }

    private static void ModeChecks(Subnet subnet, List<ConversionCheck> checks)
    {
        var ra = subnet.Ipv6RaMode?.Value;
        var address = subnet.Ipv6AddressMode?.Value;
        if (ra is null && address is null)
        {
            checks.Add(Warning("ipv6-subnet",
                $"subnet {Describe(subnet)} has neither ipv6_ra_mode nor ipv6_address_mode: Neutron allocates the addresses (stateful) but sends no Router Advertisements and no DHCPv6, so the nodes configure them only if a router outside Neutron advertises the prefix"));
        }
        else if (ra is not null && address is not null && !string.Equals(ra, address, StringComparison.Ordinal))
        {
            checks.Add(Warning("ipv6-subnet", $"subnet {Describe(subnet)} has ipv6_ra_mode {ra} but ipv6_address_mode {address}: the routers advertise one mode and DHCPv6 serves another"));
        }
    }

    private static void RouterCheck(ConversionFacts facts, Subnet subnet, List<ConversionCheck> checks)
    {
        var hasRouter = facts.RouterInterfaces.Any(p => p.FixedIps.Any(ip => ip.SubnetId == subnet.Id));
        var ra = subnet.Ipv6RaMode?.Value;
        if (hasRouter)
        {
            checks.Add(Info("router", $"a Neutron router has an interface on subnet {Describe(subnet)}: it sends the Router Advertisements"));
        }
        else if (ra is not null)
        {
            checks.Add(Warning("router",
                $"subnet {Describe(subnet)} has ipv6_ra_mode {ra} but no Neutron router has an interface on it, so nothing sends its Router Advertisements and the nodes configure no IPv6 address (the ports still get it in Neutron); attach it: openstack router add subnet <router> {subnet.Id}"));
        }
        else
        {
            checks.Add(Info("router", $"no Neutron router on subnet {Describe(subnet)} and no ipv6_ra_mode: a router outside Neutron must advertise {subnet.Cidr}"));
        }
    }

    private static void MtuCheck(Network network, List<ConversionCheck> checks)
    {
        if (network.Mtu is not { } mtu)
        {
            checks.Add(Warning("mtu", $"network {Describe(network)} reports no MTU, so the minimum of {MinimumIpv6Mtu} for IPv6 cannot be checked"));
        }
        else if (mtu < MinimumIpv6Mtu)
        {
            checks.Add(Error("mtu", string.Create(CultureInfo.InvariantCulture,
                $"network {Describe(network)} has MTU {mtu}: IPv6 with OVN-Kubernetes needs at least {MinimumIpv6Mtu} (1280 + 100 of Geneve overhead)")));
        }
        else
        {
            checks.Add(Info("mtu", string.Create(CultureInfo.InvariantCulture, $"network {Describe(network)} has MTU {mtu} (at least {MinimumIpv6Mtu})")));
        }
    }

    private static string ModeDescription(Subnet subnet, string mode, bool auto) => auto
        ? $"subnet {Describe(subnet)} ({subnet.Cidr}) is {mode}: Neutron gave every existing port an EUI-64 address when the subnet was created; a port without one gets it through a fixed_ips update listing the subnet"
        : $"subnet {Describe(subnet)} ({subnet.Cidr}) is {mode}: Neutron does not add its addresses to existing ports, so every port gets an explicit fixed_ips update (Neutron picks the address)";

    private static HashSet<string> AutoSubnets(ConversionFacts facts, Subnet? subnet)
    {
        var ids = facts.NetworkSubnets.Where(s => s.IsAutoAddress).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (subnet is { IsAutoAddress: true })
        {
            ids.Add(subnet.Id);
        }

        return ids;
    }

    /// <summary>The subnet's mode as one word: the address mode, else the RA mode, else <c>unset</c>.</summary>
    internal static string ModeOf(Subnet subnet) => subnet.Ipv6AddressMode?.Value ?? subnet.Ipv6RaMode?.Value ?? "unset";

    /// <summary>The port's address on a subnet (canonical), or null.</summary>
    internal static string? AddressOn(Port port, string subnetId) =>
        port.FixedIps.FirstOrDefault(ip => ip.SubnetId == subnetId) is { } ip ? Canonical(ip.IpAddress) : null;

    /// <summary>True when the port has an allowed address pair for this address (bare or as a host prefix).</summary>
    internal static bool HasPair(Port port, string address)
    {
        var wanted = Canonical(address);
        return port.AllowedAddressPairs.Any(p => PairAddress(p.IpAddress) == wanted);
    }

    /// <summary>The address of a pair in canonical text (<c>/32</c> and <c>/128</c> dropped), or the text as is.</summary>
    internal static string PairAddress(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && Cidr.TryParse(text, out var cidr, out _) && cidr.PrefixLength == cidr.AddressBits)
        {
            return Canonical(text[..slash]);
        }

        return Canonical(text);
    }

    internal static string Canonical(string text) =>
        IpAddresses.TryParse(text, out IPAddress? address) ? IpAddresses.Canonical(address) : text;

    /// <summary>The kind of a port as reports and records name it: <c>api-vip</c>, <c>ingress-vip</c> or <c>node</c>.</summary>
    public static string KindText(PortKind kind) => kind switch
    {
        PortKind.ApiVip => "api-vip",
        PortKind.IngressVip => "ingress-vip",
        _ => "node",
    };

    private static PortKind ParseKind(string text) => text switch
    {
        "api-vip" => PortKind.ApiVip,
        "ingress-vip" => PortKind.IngressVip,
        _ => PortKind.Node,
    };

    private static int KindOrder(string kind) => kind switch
    {
        "api-vip" => 0,
        "ingress-vip" => 1,
        _ => 2,
    };

    /// <summary><c>API</c> or <c>Ingress</c>.</summary>
    public static string RoleText(VipRole role) => role == VipRole.Api ? "API" : "Ingress";

    private static List<Cidr> ParseAll(IEnumerable<string?> texts) =>
        texts.Select(t => Cidr.TryParse(t, out var c, out _) ? c : (Cidr?)null).Where(c => c.HasValue).Select(c => c!.Value).ToList();

    internal static string Describe(Subnet subnet) => string.IsNullOrEmpty(subnet.Name) ? subnet.Id : $"{subnet.Name} ({subnet.Id})";

    internal static string Describe(Network network) => string.IsNullOrEmpty(network.Name) ? network.Id : $"{network.Name} ({network.Id})";

    internal static string Describe(Port port) => string.IsNullOrEmpty(port.Name) ? port.Id : $"{port.Name} ({port.Id})";

    private static ConversionCheck Error(string subject, string message) => new(CheckSeverity.Error, subject, message);

    private static ConversionCheck Warning(string subject, string message) => new(CheckSeverity.Warning, subject, message);

    private static ConversionCheck Info(string subject, string message) => new(CheckSeverity.Info, subject, message);
}
