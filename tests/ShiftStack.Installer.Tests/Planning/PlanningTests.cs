using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Planning;

/// <summary>The security-group rule tables (provisioning.md §1.1) and the resource plan the quota check uses.</summary>
public class PlanningTests
{
    private static List<Cidr> Cidrs(params string[] texts) => texts.Select(Cidr.Parse).ToList();

    [Fact]
    public void Dual_stack_needs_74_rules_43_master_and_31_worker()
    {
        var rules = SecurityGroupRuleTable.For(DualStack());

        rules.Count.ShouldBe(74);
        SecurityGroupRuleTable.CountFor(rules, SecurityGroupRole.Master).ShouldBe(43);
        SecurityGroupRuleTable.CountFor(rules, SecurityGroupRole.Worker).ShouldBe(31);
        rules.Distinct().Count().ShouldBe(74);
    }

    [Theory]
    [InlineData(false, "10.0.0.0/16", 22, 16)]
    [InlineData(false, "fd2e::/64", 21, 15)]
    [InlineData(true, "10.0.0.0/16,fd2e::/64", 43 + 4 + 2, 31)]
    [InlineData(false, "10.0.0.0/16,10.1.0.0/16,fd2e::/64", 43 + 19, 31 + 13)]
    public void Rule_counts_follow_the_machine_CIDRs_and_schedulable_masters(bool schedulable, string cidrs, int master, int worker)
    {
        var rules = SecurityGroupRuleTable.For(Cidrs(cidrs.Split(',')), schedulable);

        SecurityGroupRuleTable.CountFor(rules, SecurityGroupRole.Master).ShouldBe(master);
        SecurityGroupRuleTable.CountFor(rules, SecurityGroupRole.Worker).ShouldBe(worker);
    }

    [Fact]
    public void A_family_without_machine_CIDR_gets_no_any_rules()
    {
        var rules = SecurityGroupRuleTable.For(Cidrs("10.0.0.0/16"), mastersSchedulable: false);

        rules.ShouldAllBe(r => r.Family == IpFamily.IPv4);
        rules.ShouldNotContain(r => r.RemoteIpPrefix == "::/0");
    }

    [Fact]
    public void IPv6_ICMP_is_sent_as_ipv6_icmp_and_NAT_T_is_IPv4_only()
    {
        var rules = SecurityGroupRuleTable.For(DualStack());

        rules.Where(r => r.Service == "ICMP" && r.Family == IpFamily.IPv6).Select(r => r.Protocol).Distinct().ShouldBe(["ipv6-icmp"]);
        rules.Where(r => r.Service == "ICMP" && r.Family == IpFamily.IPv4).Select(r => r.Protocol).Distinct().ShouldBe(["icmp"]);
        rules.Where(r => r.Service == "IKE NAT-T").ShouldAllBe(r => r.Family == IpFamily.IPv4 && r.RemoteIpPrefix == V4Cidr);
        rules.Count(r => r.Service == "IKE NAT-T").ShouldBe(2);
        rules.Where(r => r.Service == "VRRP").Select(r => r.Protocol).Distinct().ShouldBe(["112"]);
    }

    [Fact]
    public void The_master_group_opens_the_API_from_anywhere_and_etcd_from_the_machine_networks()
    {
        var master = SecurityGroupRuleTable.For(DualStack()).Where(r => r.Group == SecurityGroupRole.Master).Select(r => r.ToString()).ToList();

        master.ShouldContain("master API: IPv4 tcp 6443 from 0.0.0.0/0");
        master.ShouldContain("master API: IPv6 udp 6443 from ::/0");
        master.ShouldContain("master etcd: IPv6 tcp 2379-2380 from fd2e:6f44:5dd8:c956::/64");
        master.ShouldNotContain(r => r.Contains("router", StringComparison.Ordinal));
    }

    [Fact]
    public void Schedulable_masters_also_get_HTTP_HTTPS_and_the_router_port()
    {
        var config = DualStack() with { Compute = [new MachinePool { Name = "worker", Replicas = 0 }] };

        SecurityGroupRuleTable.MastersSchedulable(config).ShouldBeTrue();
        var master = SecurityGroupRuleTable.For(config).Where(r => r.Group == SecurityGroupRole.Master).Select(r => r.ToString()).ToList();
        master.ShouldContain("master HTTPS: IPv6 tcp 443 from ::/0");
        master.ShouldContain("master router: IPv4 tcp 1936 from 192.168.25.0/24");
    }

    [Fact]
    public void A_planned_rule_becomes_the_create_request_provisioning_sends()
    {
        var rule = SecurityGroupRuleTable.For(DualStack()).First(r => r.Service == "etcd" && r.Family == IpFamily.IPv6);

        var body = rule.ToCreateOptions("sg-1");

        body.SecurityGroupId.ShouldBe("sg-1");
        body.Direction.ShouldBe(RuleDirection.Ingress);
        body.Ethertype.ShouldBe(EtherType.IPv6);
        body.Protocol.ShouldBe(RuleProtocol.Tcp);
        body.PortRangeMin.ShouldBe(2379);
        body.PortRangeMax.ShouldBe(2380);
        body.RemoteIpPrefix.ShouldBe(V6Cidr);
        body.Description.ShouldBe("Created By OpenShift Installer");
    }

    [Fact]
    public void The_dual_stack_plan_counts_machines_ports_groups_and_rules()
    {
        var plan = ResourcePlan.For(DualStack());

        plan.Instances.ShouldBe(7);
        plan.Ports.ShouldBe(7); // VIP ports are the user's
        plan.VipPorts.ShouldBe(0);
        plan.SecurityGroups.ShouldBe(2);
        plan.SecurityGroupRules.ShouldBe(78);
        plan.FloatingIps.ShouldBe(0);
        plan.Networks.ShouldBe(0);
        plan.Machines.Select(m => (m.Role.Description, m.Flavor, m.Count)).ShouldBe([("bootstrap", "m1.xlarge", 1L), ("control-plane", "m1.xlarge", 3L), ("compute", "m1.large", 3L)]);
    }

    [Fact]
    public void Additional_networks_external_network_and_installer_managed_networks_add_to_the_plan()
    {
        var config = DualStack().With(os => os with
        {
            ControlPlanePort = null,
            ExternalNetwork = "public",
            DefaultMachinePlatform = new OpenStackMachinePool { AdditionalNetworkIds = ["n1", "n2"] },
        });

        var plan = ResourcePlan.For(config);

        plan.Ports.ShouldBe((7 * 3) + 2 + 2);
        plan.FloatingIps.ShouldBe(1);
        (plan.Networks, plan.Subnets, plan.Routers).ShouldBe((1, 1, 1));
    }
}
