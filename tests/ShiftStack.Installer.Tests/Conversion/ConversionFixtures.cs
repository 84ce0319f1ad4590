using System.Globalization;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.Installer.Tests.Conversion;

/// <summary>
/// A single-stack IPv4 cluster as openshift-install leaves it on a network the user brings: VIP ports
/// <c>&lt;infraID&gt;-api-port</c> / <c>-ingress-port</c> holding the IPv4 VIPs, a bootstrap port with the API VIP pair,
/// three master ports with both VIP pairs, the master and worker groups with their IPv4 rules; plus an IPv6 subnet the
/// user added. Everything hand-built: the planner is tested without a cloud.
/// </summary>
internal sealed class ConversionScenario
{
    public const string InfraId = "single-x7k2p";
    public const string NetworkId = "11111111-1111-4111-8111-111111111111";
    public const string OtherNetworkId = "22222222-2222-4222-8222-222222222222";
    public const string SubnetV4 = "44444444-4444-4444-8444-444444444444";
    public const string SubnetV6 = "66666666-6666-4666-8666-666666666666";
    public const string V4Cidr = "10.0.0.0/16";
    public const string V6Cidr = "fd2e:6f44:5dd8:c956::/64";
    public const string ApiVip = "10.0.0.5";
    public const string IngressVip = "10.0.0.7";
    public const string ApiPortId = "aaaaaaaa-0000-4000-8000-000000000005";
    public const string IngressPortId = "aaaaaaaa-0000-4000-8000-000000000007";
    public const string MasterGroupId = "50000000-0000-4000-8000-00000000000a";
    public const string WorkerGroupId = "50000000-0000-4000-8000-00000000000b";

    /// <summary>The single-stack IPv4 cluster, control-plane port by network and subnet ID.</summary>
    public static readonly InstallConfigYaml SingleStackConfig = new()
    {
        ClusterName = "single",
        WorkerFlavor = "m1.large",
        NetworkType = "OVNKubernetes",
        MachineNetworks = [V4Cidr],
        DualStackNetworks = false,
        ClusterOSImage = "rhcos",
        ApiVips = [ApiVip],
        IngressVips = [IngressVip],
        ControlPlaneNetwork = InstallConfigYaml.WithId(NetworkId),
        ControlPlaneSubnets = [InstallConfigYaml.WithId(SubnetV4)],
    };

    public static readonly string SingleStackYaml = SingleStackConfig.ToString();

    private int _revision = 3;

    /// <summary>The same cluster installed dual-stack (IPv4 or IPv6 first), VIPs being the VIP ports' EUI-64 addresses.</summary>
    public static string DualStackYaml(bool ipv6Primary)
    {
        string[] Pair(string v4, string v6) => ipv6Primary ? [v6, v4] : [v4, v6];
        return (SingleStackConfig with
        {
            MachineNetworks = Pair(V4Cidr, V6Cidr),
            DualStackNetworks = true,
            Ipv6Primary = ipv6Primary,
            ApiVips = Pair(ApiVip, Eui(Mac(5))),
            IngressVips = Pair(IngressVip, Eui(Mac(7))),
            ControlPlaneSubnets = Pair(InstallConfigYaml.WithId(SubnetV4), InstallConfigYaml.WithId(SubnetV6)),
        }).ToString();
    }

    /// <summary>The IPv6 subnet's mode (both RA and address mode), or null for neither.</summary>
    public Ipv6Mode? Mode { get; set; } = Ipv6Mode.Slaac;

    /// <summary>Whether Neutron already gave every port its automatic address (the subnet was added after the ports).</summary>
    public bool AutoAddressesPresent { get; set; } = true;

    public bool Router { get; set; } = true;

    public int Mtu { get; set; } = 1500;

    public string YamlText { get; set; } = SingleStackYaml;

    public static InstallConfiguration Load(string yaml)
    {
        var loaded = InstallConfigLoader.LoadText(yaml, "install-config.yaml");
        loaded.Succeeded.ShouldBeTrue(string.Join("; ", loaded.Diagnostics.Select(d => d.ToString())));
        var processed = InstallConfigProcessor.Process(loaded.Config!, _ => null);
        processed.IsValid.ShouldBeTrue(string.Join("; ", processed.Errors.Select(e => e.ToString())));
        return processed.Config;
    }

    public InstallConfiguration Config() => Load(YamlText);

    public Network Network => new() { Id = NetworkId, Name = "cluster-net", Mtu = Mtu };

    public Subnet V4Subnet => new() { Id = SubnetV4, Name = "cluster-subnet-v4", NetworkId = NetworkId, IpVersion = 4, Cidr = V4Cidr, EnableDhcp = true };

    public Subnet V6Subnet => new()
    {
        Id = SubnetV6,
        Name = "cluster-subnet-v6",
        NetworkId = NetworkId,
        IpVersion = 6,
        Cidr = V6Cidr,
        EnableDhcp = true,
        Ipv6RaMode = Mode,
        Ipv6AddressMode = Mode,
    };

    public bool IsAuto => V6Subnet.IsAutoAddress;

    /// <summary>The EUI-64 address of a MAC on the IPv6 subnet.</summary>
    public static string Eui(string mac) => IpAddresses.Canonical(Eui64.FromMac(mac, Cidr.Parse(V6Cidr)));

    public static string Mac(int n) => string.Create(CultureInfo.InvariantCulture, $"fa:16:3e:00:{n / 256:x2}:{n % 256:x2}");

    public Port MakePort(string id, string name, int macIndex, string v4, IEnumerable<string> pairs, IEnumerable<string> tags, string deviceOwner = "compute:nova")
    {
        var mac = Mac(macIndex);
        var fixedIps = new List<FixedIp> { new() { SubnetId = SubnetV4, IpAddress = v4 } };
        if (IsAuto && AutoAddressesPresent)
        {
            fixedIps.Add(new FixedIp { SubnetId = SubnetV6, IpAddress = Eui(mac) });
        }

        return new Port
        {
            Id = id,
            Name = name,
            NetworkId = NetworkId,
            MacAddress = mac,
            FixedIps = fixedIps,
            AllowedAddressPairs = pairs.Select(p => new AllowedAddressPair { IpAddress = p, MacAddress = mac }).ToList(),
            DeviceOwner = deviceOwner,
            Tags = tags.ToList(),
            PortSecurityEnabled = true,
            RevisionNumber = _revision++,
        };
    }

    public Port ApiPort() => MakePort(ApiPortId, InfraId + "-api-port", 5, ApiVip, [], [ClusterNames.ClusterTag(InfraId)], string.Empty);

    public Port IngressPort() => MakePort(IngressPortId, InfraId + "-ingress-port", 7, IngressVip, [], [ClusterNames.ClusterTag(InfraId)], string.Empty);

    public IReadOnlyList<Port> NodePorts()
    {
        var tag = ClusterNames.ClusterTag(InfraId);
        var ports = new List<Port>
        {
            MakePort("bbbbbbbb-0000-4000-8000-000000000100", InfraId + "-bootstrap-0", 0x100, "10.0.1.100", [ApiVip], [tag]),
        };
        for (var i = 0; i < 3; i++)
        {
            ports.Add(MakePort($"bbbbbbbb-0000-4000-8000-00000000010{i + 1}", $"{InfraId}-master-{i}-0", 0x101 + i, $"10.0.1.{101 + i}", [ApiVip, IngressVip], [tag]));
        }

        for (var i = 0; i < 2; i++)
        {
            ports.Add(MakePort($"bbbbbbbb-0000-4000-8000-00000000020{i + 1}", $"{InfraId}-worker-{i}", 0x201 + i, $"10.0.2.{1 + i}", [ApiVip, IngressVip], [tag]));
        }

        return ports;
    }

    public SecurityGroup Group(SecurityGroupRole role, InstallConfiguration config)
    {
        var id = role == SecurityGroupRole.Master ? MasterGroupId : WorkerGroupId;
        var n = 0;
        var rules = SecurityGroupRuleTable.For(config).Where(r => r.Group == role)
            .Select(r => new SecurityGroupRule
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{id[..^5]}{n++:x4}{id[^1]}"),
                SecurityGroupId = id,
                Direction = RuleDirection.Ingress,
                Ethertype = r.EtherType,
                Protocol = new RuleProtocol(r.Protocol),
                PortRangeMin = r.PortRangeMin,
                PortRangeMax = r.PortRangeMax,
                RemoteIpPrefix = r.RemoteIpPrefix,
                Description = SecurityGroupRuleTable.Description,
            })
            .Concat([
                new SecurityGroupRule { Id = id[..^5] + "eg04" + id[^1], SecurityGroupId = id, Direction = RuleDirection.Egress, Ethertype = EtherType.IPv4 },
                new SecurityGroupRule { Id = id[..^5] + "eg06" + id[^1], SecurityGroupId = id, Direction = RuleDirection.Egress, Ethertype = EtherType.IPv6 },
            ])
            .ToList();
        return new SecurityGroup
        {
            Id = id,
            Name = ClusterNames.SecurityGroup(InfraId, role),
            SecurityGroupRules = rules,
            Tags = [ClusterNames.ClusterTag(InfraId)],
        };
    }

    public ConversionFacts Facts(ConversionRecord? record = null)
    {
        var config = Config();
        var routers = Router
            ? new List<Port>
            {
                new()
                {
                    Id = "cccccccc-0000-4000-8000-000000000001",
                    NetworkId = NetworkId,
                    DeviceOwner = DeviceOwners.RouterInterface,
                    FixedIps = [new FixedIp { SubnetId = SubnetV6, IpAddress = "fd2e:6f44:5dd8:c956::" }],
                },
            }
            : [];
        return new ConversionFacts
        {
            InfraId = InfraId,
            Config = config,
            ClusterNetwork = Network,
            NetworkSubnets = [V4Subnet, V6Subnet],
            Ipv6Subnet = V6Subnet,
            RouterInterfaces = routers,
            VipPorts = [new VipPortInfo(VipRole.Api, ApiVip, ApiPort()), new VipPortInfo(VipRole.Ingress, IngressVip, IngressPort())],
            NodePorts = NodePorts(),
            SecurityGroups = new Dictionary<SecurityGroupRole, SecurityGroup>
            {
                [SecurityGroupRole.Master] = Group(SecurityGroupRole.Master, config),
                [SecurityGroupRole.Worker] = Group(SecurityGroupRole.Worker, config),
            },
            Record = record,
        };
    }

    public static ConversionRequest DualStack(string subnet = SubnetV6) => new() { Target = ConversionTarget.DualStack, Ipv6Subnet = subnet };

    public static ConversionRequest SingleStack() => new() { Target = ConversionTarget.SingleStack };

    /// <summary>
    /// What Neutron looks like after an apply of <paramref name="plan"/>: ports updated (stateful addresses allocated as
    /// <c>::1:&lt;n&gt;</c>), pairs added, rules created with the conversion description, tags set. Returns the facts and the
    /// record the executor would have written.
    /// </summary>
    public static (ConversionFacts Facts, ConversionRecord Record) Simulate(ConversionFacts facts, ConversionPlan plan)
    {
        var side = plan.Ipv6!;
        var tag = ConversionPlanner.ConversionTag(facts.InfraId);
        var record = new ConversionRecord
        {
            InfraId = facts.InfraId,
            Complete = true,
            Ipv6SubnetId = side.SubnetId,
            Ipv6SubnetCidr = side.SubnetCidr,
            Mode = side.Mode,
            AutoAddress = side.IsAutoAddress,
            ClusterNetwork = side.ClusterNetwork,
            HostPrefix = side.HostPrefix,
            ServiceNetwork = side.ServiceNetwork,
        };
        var allocated = 0;
        var byId = new Dictionary<string, Port>();
        var vips = new Dictionary<VipRole, string>();
        Port Apply(Port port, PortChange change, IReadOnlyList<string> pairs)
        {
            var fixedIps = port.FixedIps.ToList();
            string? address = ConversionPlanner.AddressOn(port, side.SubnetId);
            if (change.Address == AddressAction.Request)
            {
                address = change.ExpectedIpv6 ?? IpAddresses.Canonical(Cidr.Parse(side.SubnetCidr).Host(0x1000 + ++allocated)!);
                fixedIps.Add(new FixedIp { SubnetId = side.SubnetId, IpAddress = address });
            }

            if (change.NeedsUpdate)
            {
                var entry = record.PortEntry(port.Id, port.Name, ConversionPlanner.KindText(change.Kind));
                entry.AddressRequested |= change.Address == AddressAction.Request;
                entry.Address = address;
                entry.PairsAdded.AddRange(pairs);
            }

            return port with
            {
                FixedIps = fixedIps,
                AllowedAddressPairs = [.. port.AllowedAddressPairs, .. pairs.Select(p => new AllowedAddressPair { IpAddress = p, MacAddress = port.MacAddress })],
                Tags = change.AddTag ? [.. port.Tags, tag] : port.Tags,
                RevisionNumber = port.RevisionNumber + (change.HasWork ? 1 : 0),
            };
        }

        var vipPorts = new List<VipPortInfo>();
        foreach (var vip in facts.VipPorts)
        {
            var change = plan.Ports.Single(p => p.PortId == vip.Port!.Id);
            var updated = Apply(vip.Port!, change, []);
            vips[vip.Role] = ConversionPlanner.AddressOn(updated, side.SubnetId)!;
            vipPorts.Add(vip with { Port = updated });
        }

        record.ApiVip = vips.GetValueOrDefault(VipRole.Api);
        record.IngressVip = vips.GetValueOrDefault(VipRole.Ingress);
        var nodes = facts.NodePorts.Select(p =>
        {
            var change = plan.Ports.Single(c => c.PortId == p.Id);
            return Apply(p, change, change.PairsToAdd.Select(r => vips[r]).ToList());
        }).ToList();

        var groups = new Dictionary<SecurityGroupRole, SecurityGroup>();
        foreach (var (role, group) in facts.SecurityGroups)
        {
            var change = plan.SecurityGroups.Single(g => g.Role == role);
            var n = 0;
            var created = change.RulesToAdd.Select(r => new SecurityGroupRule
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{group.Id[..^5]}c{n++:x3}{group.Id[^1]}"),
                SecurityGroupId = group.Id,
                Direction = RuleDirection.Ingress,
                Ethertype = r.EtherType,
                Protocol = new RuleProtocol(r.Protocol).Normalize(r.EtherType),
                PortRangeMin = r.PortRangeMin,
                PortRangeMax = r.PortRangeMax,
                RemoteIpPrefix = r.RemoteIpPrefix,
                Description = ConversionPlanner.RuleDescription,
            }).ToList();
            if (created.Count > 0)
            {
                record.GroupEntry(ClusterNames.RoleName(role), group.Id, group.Name).RuleKeys.AddRange(change.RulesToAdd.Select(RuleKeys.Of));
            }

            groups[role] = group with
            {
                SecurityGroupRules = [.. group.SecurityGroupRules, .. created],
                Tags = change.AddTag ? [.. group.Tags, tag] : group.Tags,
            };
        }

        return (facts with { VipPorts = vipPorts, NodePorts = nodes, SecurityGroups = groups, Record = record }, record);
    }
}
