using System.Globalization;
using System.Text.RegularExpressions;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Addresses;

/// <summary>
/// Builds the <see cref="AddressReport"/> from the install-config, the collected Neutron facts and the cloud.conf
/// <c>[Networking]</c> options. Pure.
/// </summary>
public static partial class AddressReportBuilder
{
    /// <summary>Builds the report.</summary>
    /// <param name="config">The processed install-config.</param>
    /// <param name="facts">The Neutron facts.</param>
    /// <param name="networking">The cloud.conf options (from the generated cloud-provider-config).</param>
    /// <param name="networkingSource">Where those options came from, for the output.</param>
    /// <param name="infraId">The cluster's infraID, or null.</param>
    /// <returns>The report.</returns>
    public static AddressReport Build(InstallConfiguration config, AddressFacts facts, CloudProviderNetworking networking,
        string networkingSource, string? infraId)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(networking);
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var machine = CloudProviderNetworking.MachineCidrs(config);
        var subnets = facts.Subnets.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var networks = facts.Networks.GroupBy(n => n.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var problems = new List<string>();
        var notes = new List<string>();

        var ports = new List<PortReport>();
        // API VIP ports first, then Ingress, whatever order Neutron listed them in
        foreach (var port in facts.VipPorts.OrderBy(p => Holds(p, os.ApiVips) ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            var roles = new List<PortRole>();
            if (Holds(port, os.ApiVips))
            {
                roles.Add(PortRole.ApiVip);
            }

            if (Holds(port, os.IngressVips))
            {
                roles.Add(PortRole.IngressVip);
            }

            var report = PortFor(port, roles, subnets, networks);
            var vipProblems = new List<string>();
            foreach (var (role, field, vips) in new[] { (PortRole.ApiVip, "apiVIPs", os.ApiVips), (PortRole.IngressVip, "ingressVIPs", os.IngressVips) })
            {
                if (!roles.Contains(role))
                {
                    continue;
                }

                for (var i = 0; i < vips.Count; i++)
                {
                    if (!Holds(port, [vips[i]]) && IpAddresses.TryParse(vips[i], out var vip))
                    {
                        var family = IpAddresses.FamilyOf(vip);
                        var actual = port.FixedIpsOf(family).Select(ip => ip.IpAddress).ToList();
                        vipProblems.Add($"platform.openstack.{field}[{i.ToString(CultureInfo.InvariantCulture)}] {vips[i]} is not an address of this port " +
                            (actual.Count == 0 ? $"(it has no {family} address)" : $"(its {family} address is {string.Join(", ", actual)})") +
                            ": the VIPs of a dual-stack cluster are the addresses of its pre-created VIP port");
                    }
                }
            }

            ports.Add(report with { Problems = [.. report.Problems, .. vipProblems] });
        }

        foreach (var (field, vips) in new[] { ("apiVIPs", os.ApiVips), ("ingressVIPs", os.IngressVips) })
        {
            var dualStack = vips.Count == 2;
            for (var i = 0; i < vips.Count; i++)
            {
                if (facts.VipPorts.Any(p => Holds(p, [vips[i]])))
                {
                    continue;
                }

                var text = $"platform.openstack.{field}[{i.ToString(CultureInfo.InvariantCulture)}] {vips[i]}: no Neutron port has this address";
                if (dualStack)
                {
                    problems.Add(text + " (dual-stack VIPs must be the addresses of a port created before install)");
                }
                else
                {
                    notes.Add(text + " (fine for a single-stack VIP before install)");
                }
            }
        }

        var nodePorts = facts.NodePorts.Select(p => (Port: p, Report: PortFor(p, [PortRole.Node], subnets, networks))).ToList();
        ports.AddRange(nodePorts.Select(x => x.Report));
        var nodes = nodePorts
            .GroupBy(x => x.Port.DeviceId.Length > 0 ? "server " + x.Port.DeviceId : "machine " + MachineName(x.Port.Name), StringComparer.Ordinal)
            .Select(g => NodeFor(g.OrderBy(x => PortIndex(x.Port.Name)).ThenBy(x => x.Port.Name, StringComparer.Ordinal).ToList(), machine, networking, networks))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();

        CheckInternalNetworkName(config, os, networking, facts, networks, problems, notes);

        return new AddressReport
        {
            InfraId = infraId,
            MachineNetworks = machine.Select(c => c.ToString()).ToList(),
            Networking = networking,
            NetworkingSource = networkingSource,
            Ports = ports,
            Nodes = nodes,
            Problems = problems,
            Notes = notes,
            NeutronRequests = facts.NeutronRequests,
        };
    }

    /// <summary>
    /// The check of a node's addresses: the cloud provider's list under the generated cloud.conf must hold exactly
    /// one <c>InternalIP</c> per machine-network family, each inside a machine network, the primary family
    /// (<c>machineNetwork[0]</c>) first, and nothing else as <c>InternalIP</c>; and kubelet's node-IP pair (the guest's
    /// machine-network addresses, primary first) must pass the <c>provided-node-ip</c> filter and give that same pair.
    /// </summary>
    /// <param name="cloudAddresses">The cloud provider's addresses.</param>
    /// <param name="guestAddresses">The addresses the guest configures (IPv4 from DHCP, IPv6 as predicted).</param>
    /// <param name="machine">The machine networks, install-config order.</param>
    /// <param name="providedNodeIp">The pair kubelet would pass (null when the guest has no machine-network address).</param>
    /// <param name="published">The filter's result (null without a pair).</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> CheckNodeAddresses(IReadOnlyList<NodeAddress> cloudAddresses, IReadOnlyList<string> guestAddresses,
        IReadOnlyList<Cidr> machine, out string? providedNodeIp, out NodeIpFilterResult? published)
    {
        ArgumentNullException.ThrowIfNull(cloudAddresses);
        ArgumentNullException.ThrowIfNull(guestAddresses);
        ArgumentNullException.ThrowIfNull(machine);
        var problems = new List<string>();
        var families = machine.Select(c => c.Family).Distinct().ToList();
        var internals = cloudAddresses.Where(a => a.Type == NodeAddressType.InternalIP).ToList();

        foreach (var address in internals)
        {
            if (!IpAddresses.TryParse(address.Address, out var ip) || !machine.Any(c => c.Contains(ip)))
            {
                problems.Add($"the cloud provider would publish InternalIP {address.Address}, which is outside the machine networks ({CidrList.Join(machine)})" +
                    " — an additional network's address; cloud.conf [Networking] internal-network-name must name the machine network only");
            }
        }

        foreach (var family in families)
        {
            var onMachine = internals.Where(a => IpAddresses.TryParse(a.Address, out var ip) && IpAddresses.FamilyOf(ip) == family && machine.Any(c => c.Contains(ip))).ToList();
            if (onMachine.Count != 1)
            {
                problems.Add($"the cloud provider would publish {onMachine.Count.ToString(CultureInfo.InvariantCulture)} {family} InternalIPs on the machine network" +
                    (onMachine.Count == 0 ? string.Empty : $" ({string.Join(", ", onMachine.Select(a => a.Address))})") + "; exactly one is needed");
            }
        }

        if (families.Count > 0 && internals.Count > 0 && IpAddresses.TryParse(internals[0].Address, out var first) && IpAddresses.FamilyOf(first) != families[0])
        {
            problems.Add($"the cloud provider would list {IpAddresses.FamilyOf(first)} InternalIP {internals[0].Address} first, but the primary family is {families[0]} " +
                $"(networking.machineNetwork[0] {machine[0]}); cloud.conf [Networking] address-sort-order must list the machine networks in install-config order");
        }

        var pair = families
            .Select(f => guestAddresses.FirstOrDefault(a => IpAddresses.TryParse(a, out var ip) && IpAddresses.FamilyOf(ip) == f && machine.Any(c => c.Contains(ip))))
            .OfType<string>()
            .ToList();
        providedNodeIp = pair.Count == 0 ? null : ProvidedNodeIp.Format(pair);
        published = providedNodeIp is null ? null : ProvidedNodeIp.Filter(providedNodeIp, cloudAddresses);
        if (pair.Count < families.Count)
        {
            problems.Add($"the guest has {pair.Count.ToString(CultureInfo.InvariantCulture)} machine-network address(es) for {families.Count.ToString(CultureInfo.InvariantCulture)} machine-network families; kubelet cannot pass a dual-stack node-IP pair");
        }

        if (published is { Error: { } error })
        {
            problems.Add($"with kubelet's node IPs \"{providedNodeIp}\" the cloud node controller fails: {error}");
        }
        else if (published is { } result)
        {
            var publishedInternals = result.Addresses.Where(a => a.Type == NodeAddressType.InternalIP).Select(a => a.Address).ToList();
            if (!publishedInternals.SequenceEqual(pair, StringComparer.Ordinal))
            {
                problems.Add($"with kubelet's node IPs \"{providedNodeIp}\" the node's InternalIPs would be {string.Join(", ", publishedInternals)}");
            }
        }

        return problems;
    }

    private static PortReport PortFor(Port port, IReadOnlyList<PortRole> roles, Dictionary<string, Subnet> subnets, Dictionary<string, Network> networks)
    {
        var networkSubnets = networks.TryGetValue(port.NetworkId, out var network) ? network.Subnets : [];
        var ipv6 = Ipv6Prediction.Check(port, subnets, networkSubnets);
        return new PortReport
        {
            Id = port.Id,
            Name = port.Name,
            Roles = roles,
            MacAddress = port.MacAddress,
            Status = port.Status.Value,
            Network = network?.Name is { Length: > 0 } name ? name : port.NetworkId,
            Ipv4 = port.FixedIpsOf(IpFamily.IPv4).Select(ip => ip.IpAddress).ToList(),
            Ipv6 = ipv6,
            Problems = ipv6.Where(c => c.Agreement == AddressAgreement.Disagrees).Select(c => c.Reason!).ToList(),
        };
    }

    private static NodeReport NodeFor(List<(Port Port, PortReport Report)> ports, IReadOnlyList<Cidr> machine,
        CloudProviderNetworking networking, Dictionary<string, Network> networks)
    {
        var notes = new List<string>();
        var serverId = ports.Select(p => p.Port.DeviceId).FirstOrDefault(d => d.Length > 0);
        var name = MachineName(ports[0].Port.Name);
        if (serverId is null)
        {
            notes.Add("not attached to a server yet: addresses predicted as if these were the server's ports");
        }

        foreach (var (port, _) in ports.Where(p => !string.Equals(p.Port.Status.Value, CcmNodeAddresses.ActiveStatus, StringComparison.Ordinal)))
        {
            notes.Add($"port {port.Name} is {port.Status.Value}: the cloud provider skips it in its port pass, so its addresses come only from Nova's address list");
        }

        var ccmPorts = ports.Select(p => new CcmPort(
            p.Port.Name,
            p.Port.Status.Value,
            networks.TryGetValue(p.Port.NetworkId, out var n) ? n.Name : p.Port.NetworkId,
            p.Port.FixedIps.Select(ip => ip.IpAddress).ToList())).ToList();
        var cloud = CcmNodeAddresses.Select(CcmServer.FromPorts(name, ccmPorts), networking);

        var guest = ports.SelectMany(p => p.Report.Ipv4.Concat(p.Report.Ipv6.Select(c => c.GuestAddress).OfType<string>())).ToList();
        var problems = CheckNodeAddresses(cloud, guest, machine, out var providedNodeIp, out var published).ToList();
        problems.AddRange(ports.SelectMany(p => p.Report.Problems.Select(x => $"port {p.Port.Name}: {x}")));
        return new NodeReport
        {
            Name = name,
            Ports = ports.Select(p => p.Port.Name).ToList(),
            ServerId = serverId,
            CloudAddresses = cloud,
            ProvidedNodeIp = providedNodeIp,
            Published = published,
            Notes = notes,
            Problems = problems,
        };
    }

    private static void CheckInternalNetworkName(InstallConfiguration config, OpenStackPlatform os, CloudProviderNetworking networking, AddressFacts facts,
        Dictionary<string, Network> networks, List<string> problems, List<string> notes)
    {
        if (networking.InternalNetworkNames.Count > 0)
        {
            foreach (var port in facts.VipPorts)
            {
                if (networks.TryGetValue(port.NetworkId, out var n) && !networking.InternalNetworkNames.Contains(n.Name, StringComparer.Ordinal))
                {
                    problems.Add($"cloud.conf [Networking] internal-network-name ({string.Join(", ", networking.InternalNetworkNames)}) does not name the machine network " +
                        $"\"{n.Name}\" of VIP port {port.Name}: the nodes' machine-network addresses would be dropped");
                }
            }

            return;
        }

        var additional = new[] { config.ControlPlane }
            .Concat(config.Compute)
            .OfType<MachinePool>()
            .Select(pool => ResolvedPool.From(pool, os, pool.Name ?? MachineRole.Worker.Name))
            .SelectMany(p => p.Platform.AdditionalNetworkIds)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (additional.Count > 0)
        {
            problems.Add($"the machines have additional networks ({string.Join(", ", additional)}) but cloud.conf [Networking] has no internal-network-name: " +
                "their addresses would become InternalIPs too; the machine network's name must be in internal-network-name " +
                "(platform.openstack.controlPlanePort.network.name, or the name looked up from its id)");
        }
        else if (CidrList.HasBothFamilies(CloudProviderNetworking.MachineCidrs(config)))
        {
            notes.Add("cloud.conf [Networking] has no internal-network-name: fine while the machines have no additional network");
        }
    }

    private static bool Holds(Port port, IEnumerable<string> vips) =>
        vips.Any(v => IpAddresses.TryParse(v, out var vip)
            && port.FixedIps.Any(ip => IpAddresses.TryParse(ip.IpAddress, out var a) && IpAddresses.SemanticEquals(a, vip)));

    /// <summary>CAPO's port name is <c>&lt;machine&gt;-&lt;network index&gt;</c>: the machine name without the index.</summary>
    private static string MachineName(string portName)
    {
        var m = PortIndexSuffix().Match(portName);
        return m.Success ? portName[..m.Index] : portName;
    }

    private static int PortIndex(string portName)
    {
        var m = PortIndexSuffix().Match(portName);
        return m.Success && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;
    }

    [GeneratedRegex("-([0-9]+)$")]
    private static partial Regex PortIndexSuffix();
}
