using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Conversion.ConversionScenario;

namespace ShiftStack.Installer.Tests.Conversion;

public class ConversionPlannerTests
{
    private static readonly string Tag = ConversionPlanner.ConversionTag(InfraId);

    [Fact]
    public void Slaac_subnet_added_after_the_ports_needs_no_address_request_and_uses_the_VIP_ports_EUI64_addresses_as_VIPs()
    {
        // Given the SLAAC subnet was created after the ports: Neutron gave every port its EUI-64 address.
        var scenario = new ConversionScenario();

        // When
        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        // Then
        plan.CanApply.ShouldBeTrue(string.Join("\n", plan.Checks));
        plan.Ipv6!.ApiVip.ShouldBe(Eui(Mac(5)));
        plan.Ipv6.IngressVip.ShouldBe(Eui(Mac(7)));
        plan.Ipv6.IsAutoAddress.ShouldBeTrue();
        plan.Ports.ShouldAllBe(p => p.Address == AddressAction.None);
        plan.Ports.Where(p => p.Kind != PortKind.Node).ShouldAllBe(p => !p.HasWork);

        var bootstrap = plan.Ports.Single(p => p.PortName.EndsWith("bootstrap-0", StringComparison.Ordinal));
        bootstrap.PairsToAdd.ShouldBe([VipRole.Api]);
        foreach (var node in plan.Ports.Where(p => p.Kind == PortKind.Node && p != bootstrap))
        {
            node.PairsToAdd.ShouldBe([VipRole.Api, VipRole.Ingress]);
            node.AddTag.ShouldBeTrue();
        }

        plan.Ports.Select(p => p.Kind).ShouldBe([PortKind.ApiVip, PortKind.IngressVip, .. Enumerable.Repeat(PortKind.Node, 6)]);
    }

    [Fact]
    public void Security_groups_get_exactly_the_IPv6_half_of_the_dual_stack_rule_table()
    {
        var scenario = new ConversionScenario();

        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        var master = plan.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Master);
        var worker = plan.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Worker);
        master.RulesToAdd.Count.ShouldBe(21);
        worker.RulesToAdd.Count.ShouldBe(15);
        master.RulesToAdd.Concat(worker.RulesToAdd).ShouldAllBe(r => r.Family == IpFamily.IPv6);

        // 22 + 21 = 43 master and 16 + 15 = 31 worker rules: the dual-stack rule tables (docs/deviations.md §10).
        var before = scenario.Facts().SecurityGroups;
        (before[SecurityGroupRole.Master].SecurityGroupRules.Count(r => r.Direction == RuleDirection.Ingress) + master.RulesToAdd.Count).ShouldBe(43);
        (before[SecurityGroupRole.Worker].SecurityGroupRules.Count(r => r.Direction == RuleDirection.Ingress) + worker.RulesToAdd.Count).ShouldBe(31);
        master.RulesToAdd.ShouldContain(r => r.Service == "API" && r.Protocol == "tcp" && r.RemoteIpPrefix == "::/0");
        master.RulesToAdd.ShouldContain(r => r.Service == "ICMP" && r.Protocol == "ipv6-icmp");
        master.RulesToAdd.ShouldContain(r => r.Service == "etcd" && r.RemoteIpPrefix == V6Cidr);
        master.RulesToAdd.ShouldNotContain(r => r.Service == "IKE NAT-T");
        master.AddTag.ShouldBeTrue();
        worker.AddTag.ShouldBeTrue();
    }

    [Fact]
    public void Slaac_port_without_its_automatic_address_gets_a_fixed_ips_update_listing_the_subnet_only()
    {
        // Given a SLAAC subnet whose addresses the ports do not have.
        var scenario = new ConversionScenario { AutoAddressesPresent = false };

        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        plan.CanApply.ShouldBeTrue(string.Join("\n", plan.Checks));
        var api = plan.Ports.Single(p => p.Kind == PortKind.ApiVip);
        api.Address.ShouldBe(AddressAction.Request);
        api.ExpectedIpv6.ShouldBe(Eui(Mac(5)));
        api.FixedIpsAfter.ShouldBe([FixedIpRequest.Address(ApiVip, SubnetV4), FixedIpRequest.OnSubnet(SubnetV6)]);
        plan.Ipv6!.ApiVip.ShouldBe(Eui(Mac(5)), "the EUI-64 address is known before Neutron assigns it");
        plan.Ports.ShouldAllBe(p => p.Address == AddressAction.Request && p.FixedIpsAfter.All(ip => ip.IpAddress == null || ip.SubnetId == SubnetV4));
    }

    [Fact]
    public void Stateful_subnet_requests_an_address_on_every_port_and_leaves_the_VIPs_to_Neutron()
    {
        var scenario = new ConversionScenario { Mode = Ipv6Mode.Dhcpv6Stateful };

        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        plan.CanApply.ShouldBeTrue(string.Join("\n", plan.Checks));
        plan.Ipv6!.IsAutoAddress.ShouldBeFalse();
        plan.Ipv6.Mode.ShouldBe("dhcpv6-stateful");
        plan.Ipv6.ApiVip.ShouldBeNull();
        plan.Ipv6.IngressVip.ShouldBeNull();
        plan.Ports.Count.ShouldBe(8);
        foreach (var port in plan.Ports)
        {
            port.Address.ShouldBe(AddressAction.Request);
            port.ExpectedIpv6.ShouldBeNull();
            port.FixedIpsAfter[^1].ShouldBe(FixedIpRequest.OnSubnet(SubnetV6));
            port.FixedIpsAfter.Count.ShouldBe(2);
            port.AddTag.ShouldBeTrue();
        }

        var master = plan.Ports.Single(p => p.PortName == InfraId + "-master-0-0");
        master.FixedIpsAfter[0].ShouldBe(FixedIpRequest.Address("10.0.1.101", SubnetV4));
        plan.TargetConfig!.Platform.OpenStack!.ApiVips.ShouldBe([ApiVip], "the IPv6 VIP is unknown until Neutron allocates it");
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateless")]
    [InlineData("dhcpv6-stateful")]
    public void After_the_apply_the_plan_is_empty(string mode)
    {
        var scenario = new ConversionScenario { Mode = new Ipv6Mode(mode) };
        var facts = scenario.Facts();
        var plan = ConversionPlanner.Plan(facts, DualStack());
        var (after, _) = Simulate(facts, plan);

        var again = ConversionPlanner.Plan(after, DualStack());

        again.CanApply.ShouldBeTrue(string.Join("\n", again.Checks));
        again.IsOpenStackDone.ShouldBeTrue();
        again.Ports.ShouldAllBe(p => !p.HasWork);
        again.SecurityGroups.ShouldAllBe(g => !g.HasWork);
        again.Ipv6!.ApiVip.ShouldNotBeNull();
        again.Ipv6.IngressVip.ShouldNotBeNull();
        again.TargetConfig!.Platform.OpenStack!.ApiVips.ShouldBe([ApiVip, again.Ipv6.ApiVip!]);
    }

    [Fact]
    public void Interrupted_apply_finishes_the_tags_from_the_record()
    {
        // Given a run that updated the ports and created the rules, then died before tagging.
        var scenario = new ConversionScenario();
        var facts = scenario.Facts();
        var plan = ConversionPlanner.Plan(facts, DualStack());
        var (after, record) = Simulate(facts, plan with
        {
            Ports = plan.Ports.Select(p => p with { AddTag = false }).ToList(),
            SecurityGroups = plan.SecurityGroups.Select(g => g with { AddTag = false }).ToList(),
        });

        var again = ConversionPlanner.Plan(after with { Record = record }, DualStack());

        again.Ports.Where(p => p.Kind == PortKind.Node).ShouldAllBe(p => p.AddTag && !p.NeedsUpdate);
        again.SecurityGroups.ShouldAllBe(g => g.AddTag && g.RulesToAdd.Count == 0);
    }

    [Fact]
    public void Reversal_removes_exactly_what_the_conversion_added()
    {
        foreach (var mode in new[] { Ipv6Mode.Slaac, Ipv6Mode.Dhcpv6Stateful })
        {
            // Given a converted cluster (and a rule of the user's that looks like one of ours but is not described so).
            var scenario = new ConversionScenario { Mode = mode };
            var original = scenario.Facts();
            var plan = ConversionPlanner.Plan(original, DualStack());
            var (converted, record) = Simulate(original, plan);
            var master = converted.SecurityGroups[SecurityGroupRole.Master];
            var usersRule = master.SecurityGroupRules.First(r => r.Description == ConversionPlanner.RuleDescription) with { Id = "user-rule", Description = "mine" };
            converted = converted with
            {
                Record = record,
                SecurityGroups = new Dictionary<SecurityGroupRole, SecurityGroup>(converted.SecurityGroups)
                {
                    [SecurityGroupRole.Master] = master with { SecurityGroupRules = [.. master.SecurityGroupRules, usersRule] },
                },
            };

            // When
            var reverse = ConversionPlanner.Plan(converted, SingleStack());

            // Then
            reverse.CanApply.ShouldBeTrue(string.Join("\n", reverse.Checks));
            var restored = ApplyReverse(converted, reverse);
            foreach (var port in original.NodePorts.Concat(original.VipPorts.Select(v => v.Port!)))
            {
                var now = restored.Single(p => p.Id == port.Id);
                now.FixedIps.ShouldBe(port.FixedIps, $"{mode} {port.Name}");
                now.AllowedAddressPairs.Select(p => p.IpAddress).ShouldBe(port.AllowedAddressPairs.Select(p => p.IpAddress), $"{mode} {port.Name}");
                now.Tags.ShouldBe(port.Tags, $"{mode} {port.Name}");
            }

            var deleted = reverse.SecurityGroups.SelectMany(g => g.RulesToDelete).Select(r => r.Id).ToHashSet();
            deleted.Count.ShouldBe(36);
            deleted.ShouldNotContain("user-rule");
            reverse.SecurityGroups.ShouldAllBe(g => g.RemoveTag);
        }
    }

    [Fact]
    public void Reversal_on_a_slaac_subnet_keeps_the_automatic_addresses_and_says_so()
    {
        var scenario = new ConversionScenario { AutoAddressesPresent = false };
        var original = scenario.Facts();
        var (converted, record) = Simulate(original, ConversionPlanner.Plan(original, DualStack()));

        var reverse = ConversionPlanner.Plan(converted with { Record = record }, SingleStack());

        reverse.Ports.ShouldAllBe(p => p.Address == AddressAction.None);
        reverse.Checks.ShouldContain(c => c.Subject == "ports" && c.Message.Contains("keeps its automatic address", StringComparison.Ordinal));
        reverse.Checks.ShouldContain(c => c.Subject == "ipv6-subnet" && c.Message.Contains("openstack subnet delete", StringComparison.Ordinal));
    }

    [Fact]
    public void Reversal_after_reversal_is_a_no_op()
    {
        var scenario = new ConversionScenario { Mode = Ipv6Mode.Dhcpv6Stateful };
        var original = scenario.Facts();
        var (converted, record) = Simulate(original, ConversionPlanner.Plan(original, DualStack()));
        var reverse = ConversionPlanner.Plan(converted with { Record = record }, SingleStack());
        var restored = ApplyReverse(converted, reverse);
        var restoredFacts = original with
        {
            NodePorts = restored.Where(p => original.NodePorts.Any(n => n.Id == p.Id)).ToList(),
            VipPorts = original.VipPorts.Select(v => v with { Port = restored.Single(p => p.Id == v.Port!.Id) }).ToList(),
            Record = record,
        };

        var again = ConversionPlanner.Plan(restoredFacts, SingleStack());

        again.CanApply.ShouldBeTrue();
        again.IsOpenStackDone.ShouldBeTrue();
    }

    [Fact]
    public void Reversal_refuses_an_IPv6_primary_cluster()
    {
        var scenario = new ConversionScenario { YamlText = DualStackYaml(ipv6Primary: true) };

        var plan = ConversionPlanner.Plan(scenario.Facts(new ConversionRecord { InfraId = InfraId }), SingleStack());

        plan.CanApply.ShouldBeFalse();
        plan.Errors.Single().Message.ShouldContain("IPv6-primary");
        plan.Ports.ShouldBeEmpty();
    }

    [Fact]
    public void Reversal_without_a_record_is_refused_with_the_reason()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario().Facts(), SingleStack());

        plan.CanApply.ShouldBeFalse();
        plan.Errors.Single().Subject.ShouldBe("conversion-record");
        plan.Errors.Single().Message.ShouldContain("removes only what its dual-stack conversion recorded");
    }

    [Fact]
    public void Rejects_a_subnet_on_another_network()
    {
        var scenario = new ConversionScenario();
        var facts = scenario.Facts();
        facts = facts with { Ipv6Subnet = facts.Ipv6Subnet! with { NetworkId = OtherNetworkId } };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        plan.Errors.Single().Message.ShouldContain($"is on network {OtherNetworkId}, not on the cluster network");
    }

    [Fact]
    public void Rejects_an_IPv4_subnet()
    {
        var scenario = new ConversionScenario();
        var facts = scenario.Facts();

        var plan = ConversionPlanner.Plan(facts with { Ipv6Subnet = scenario.V4Subnet }, DualStack(SubnetV4));

        plan.Errors.Single().Message.ShouldContain("is an IPv4 subnet, not IPv6");
    }

    [Fact]
    public void Rejects_a_missing_subnet_with_the_collectors_reason()
    {
        var facts = new ConversionScenario().Facts() with { Ipv6Subnet = null, Ipv6SubnetProblem = "subnet nope not found" };

        var plan = ConversionPlanner.Plan(facts, DualStack("nope"));

        plan.Errors.Single().Message.ShouldBe("subnet nope not found");
    }

    [Fact]
    public void Rejects_an_MTU_below_1380()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario { Mtu = 1300 }.Facts(), DualStack());

        plan.Errors.Single().Subject.ShouldBe("mtu");
        plan.Errors.Single().Message.ShouldContain("MTU 1300");
    }

    [Fact]
    public void Warns_when_no_router_sends_the_advertisements_of_an_ra_mode_subnet()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario { Router = false }.Facts(), DualStack());

        plan.CanApply.ShouldBeTrue();
        plan.Checks.ShouldContain(c => c.Severity == CheckSeverity.Warning && c.Subject == "router" && c.Message.Contains("openstack router add subnet", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_the_mode_and_the_router()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario { Mode = Ipv6Mode.Dhcpv6Stateless }.Facts(), DualStack());

        plan.Checks.ShouldContain(c => c.Severity == CheckSeverity.Info && c.Subject == "ipv6-subnet" && c.Message.Contains("is dhcpv6-stateless", StringComparison.Ordinal));
        plan.Checks.ShouldContain(c => c.Severity == CheckSeverity.Info && c.Subject == "router");
    }

    [Fact]
    public void Refuses_a_cluster_that_is_dual_stack_already()
    {
        var scenario = new ConversionScenario { YamlText = DualStackYaml(ipv6Primary: false) };

        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        plan.Errors.Single().Message.ShouldContain("dual-stack already");
    }

    [Fact]
    public void Refuses_a_user_managed_load_balancer()
    {
        var facts = new ConversionScenario().Facts();
        var os = facts.Config.Platform.OpenStack!;
        facts = facts with
        {
            Config = facts.Config with
            {
                Platform = facts.Config.Platform with { OpenStack = os with { LoadBalancer = new InstallConfig.LoadBalancerConfig { Type = InstallConfig.LoadBalancerConfig.UserManaged } } },
            },
        };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        plan.Errors.Single().Subject.ShouldBe("load-balancer");
    }

    [Fact]
    public void A_missing_VIP_port_is_an_error_that_says_how_to_create_it()
    {
        var facts = new ConversionScenario().Facts();
        facts = facts with { VipPorts = [facts.VipPorts[0], facts.VipPorts[1] with { Port = null }] };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        plan.Errors.Single().Message.ShouldContain($"--fixed-ip ip-address={IngressVip} --fixed-ip subnet={SubnetV6}");
    }

    [Fact]
    public void Default_networks_avoid_overlaps()
    {
        // Given an IPv6 machine subnet inside the first default cluster network.
        var scenario = new ConversionScenario();
        var facts = scenario.Facts();
        var subnet = facts.Ipv6Subnet! with { Cidr = "fd01:0:0:5::/64" };
        facts = facts with { Ipv6Subnet = subnet, NetworkSubnets = [scenario.V4Subnet, subnet] };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        plan.Ipv6!.ClusterNetwork.ShouldBe("fd03::/48");
        plan.Ipv6.ServiceNetwork.ShouldBe("fd02::/112");
        plan.Ipv6.HostPrefix.ShouldBe(64);
    }

    [Fact]
    public void Uses_the_defaults_when_nothing_overlaps()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario().Facts(), DualStack());

        plan.Ipv6!.ClusterNetwork.ShouldBe(ConversionRequest.DefaultClusterNetwork);
        plan.Ipv6.ServiceNetwork.ShouldBe(ConversionRequest.DefaultServiceNetwork);
    }

    [Fact]
    public void Runs_the_static_rules_on_the_dual_stack_install_config_and_shows_their_errors()
    {
        // Given a service network that overlaps the IPv6 machine network.
        var request = DualStack() with { ServiceNetwork = "fd2e:6f44:5dd8:c956::/112" };

        var plan = ConversionPlanner.Plan(new ConversionScenario().Facts(), request);

        plan.CanApply.ShouldBeFalse();
        plan.Errors.ShouldContain(e => e.Subject == "install-config" && e.Message.StartsWith("dual-stack install-config: networking.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dual_stack_install_config_appends_IPv6_everywhere_and_passes_the_static_rules()
    {
        var plan = ConversionPlanner.Plan(new ConversionScenario().Facts(), DualStack());

        var target = plan.TargetConfig!;
        target.Networking!.MachineNetwork.Select(m => m.Cidr).ShouldBe([V4Cidr, V6Cidr]);
        target.Networking.ClusterNetwork.Select(c => (c.Cidr, c.HostPrefix)).ShouldBe([("10.128.0.0/14", 23), ("fd01::/48", 64)]);
        target.Networking.ServiceNetwork.ShouldBe(["172.30.0.0/16", "fd02::/112"]);
        target.Platform.OpenStack!.ApiVips.ShouldBe([ApiVip, Eui(Mac(5))]);
        target.Platform.OpenStack.IngressVips.ShouldBe([IngressVip, Eui(Mac(7))]);
        target.Platform.OpenStack.ControlPlanePort!.FixedIPs.Select(f => f.Subnet.Id).ShouldBe([SubnetV4, SubnetV6]);
        plan.Checks.ShouldNotContain(c => c.Subject == "install-config");
    }

    [Fact]
    public void Without_controlPlanePort_the_dual_stack_config_gets_one_on_the_cluster_network()
    {
        var scenario = new ConversionScenario
        {
            YamlText = SingleStackYaml[..SingleStackYaml.IndexOf("    controlPlanePort:", StringComparison.Ordinal)]
                + SingleStackYaml[SingleStackYaml.IndexOf("pullSecret:", StringComparison.Ordinal)..],
        };

        var plan = ConversionPlanner.Plan(scenario.Facts(), DualStack());

        plan.CanApply.ShouldBeTrue(string.Join("\n", plan.Checks));
        var port = plan.TargetConfig!.Platform.OpenStack!.ControlPlanePort!;
        port.Network.Id.ShouldBe(NetworkId);
        port.FixedIPs.Select(f => f.Subnet.Id).ShouldBe([SubnetV4, SubnetV6]);
        plan.Checks.ShouldContain(c => c.Severity == CheckSeverity.Info && c.Message.Contains("no controlPlanePort", StringComparison.Ordinal));
    }

    [Fact]
    public void Ports_with_port_security_pairs_only_get_the_IPv6_pair_of_the_VIPs_they_carry()
    {
        var facts = new ConversionScenario().Facts();
        var worker = facts.NodePorts[^1] with { AllowedAddressPairs = [] };
        facts = facts with { NodePorts = [.. facts.NodePorts.SkipLast(1), worker] };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        var change = plan.Ports.Single(p => p.PortId == worker.Id);
        change.PairsToAdd.ShouldBeEmpty();
        change.HasWork.ShouldBeFalse();
    }

    [Fact]
    public void A_pair_given_as_a_host_prefix_counts_as_present()
    {
        var facts = new ConversionScenario().Facts();
        var master = facts.NodePorts[1];
        master = master with { AllowedAddressPairs = [.. master.AllowedAddressPairs, new AllowedAddressPair { IpAddress = Eui(Mac(5)) + "/128" }] };
        facts = facts with { NodePorts = [facts.NodePorts[0], master, .. facts.NodePorts.Skip(2)] };

        var plan = ConversionPlanner.Plan(facts, DualStack());

        plan.Ports.Single(p => p.PortId == master.Id).PairsToAdd.ShouldBe([VipRole.Ingress]);
    }

    [Fact]
    public void Record_round_trips_through_the_state_file()
    {
        var dir = Directory.CreateTempSubdirectory("ss-conv-").FullName;
        try
        {
            var scenario = new ConversionScenario { Mode = Ipv6Mode.Dhcpv6Stateful };
            var facts = scenario.Facts();
            var (_, record) = Simulate(facts, ConversionPlanner.Plan(facts, DualStack()));

            record.Save(dir);
            var loaded = ConversionRecord.TryLoad(dir)!;

            loaded.InfraId.ShouldBe(InfraId);
            loaded.Mode.ShouldBe("dhcpv6-stateful");
            loaded.ApiVip.ShouldBe(record.ApiVip);
            loaded.Ports.Count.ShouldBe(record.Ports.Count);
            loaded.Ports.SelectMany(p => p.PairsAdded).ShouldBe(record.Ports.SelectMany(p => p.PairsAdded));
            loaded.SecurityGroups.Sum(g => g.RuleKeys.Count).ShouldBe(36);
            File.Exists(ConversionRecord.PathIn(dir) + ".tmp").ShouldBeFalse();
            ConversionRecord.TryLoad(Path.Combine(dir, "nothing")).ShouldBeNull();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The ports after a reversal plan is applied (as Neutron would leave them).</summary>
    private static List<Port> ApplyReverse(ConversionFacts converted, ConversionPlan reverse)
    {
        var ports = converted.NodePorts.Concat(converted.VipPorts.Select(v => v.Port!)).ToList();
        return ports.Select(port =>
        {
            var change = reverse.Ports.SingleOrDefault(c => c.PortId == port.Id);
            if (change is null)
            {
                return port;
            }

            var fixedIps = change.Address == AddressAction.Remove
                ? port.FixedIps.Where(ip => ip.SubnetId != SubnetV6).ToList()
                : port.FixedIps;
            return port with
            {
                FixedIps = fixedIps,
                AllowedAddressPairs = port.AllowedAddressPairs.Where(p => !change.PairsToRemove.Contains(p.IpAddress)).ToList(),
                Tags = change.RemoveTag ? port.Tags.Where(t => t != Tag).ToList() : port.Tags,
            };
        }).ToList();
    }
}
