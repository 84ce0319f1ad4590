using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Provisioning.ProvisioningFixtures;

namespace ShiftStack.Installer.Tests.Provisioning;

public class ProvisioningPlanTests
{
    private const string MasterGroupId = "50000000-0000-0000-0000-000000000001";
    private const string WorkerGroupId = "50000000-0000-0000-0000-000000000002";

    private static DesiredCluster Desired(ProvisioningFacts facts, ProvisioningScope scope = ProvisioningScope.Cluster) =>
        ClusterPlanner.Plan(DualStack(y => y.Replace("    cloud: openstack", "    cloud: openstack\n    externalNetwork: public\n    apiFloatingIP: 203.0.113.10")), InfraId, facts, scope);

    /// <summary>What Neutron would return for a complete group: the two default egress rules plus the planned ones.</summary>
    private static SecurityGroup Group(DesiredSecurityGroup desired, string id, bool tagged = true, int dropRules = 0) => new()
    {
        Id = id,
        Name = desired.Name,
        Description = desired.Description,
        Tags = tagged ? desired.Tags : [],
        SecurityGroupRules =
        [
            new SecurityGroupRule { Direction = RuleDirection.Egress, Ethertype = EtherType.IPv4 },
            new SecurityGroupRule { Direction = RuleDirection.Egress, Ethertype = EtherType.IPv6 },
            .. desired.Rules.Skip(dropRules).Select(r => new SecurityGroupRule
            {
                Direction = RuleDirection.Ingress,
                Ethertype = r.EtherType,
                // As Neutron stores them: "any" prefixes as sent, VRRP as sent, ICMPv6 rewritten.
                Protocol = r.Protocol == "icmp" && r.Family == Networking.IpFamily.IPv6 ? RuleProtocol.Ipv6Icmp : new RuleProtocol(r.Protocol),
                PortRangeMin = r.PortRangeMin,
                PortRangeMax = r.PortRangeMax,
                RemoteIpPrefix = r.RemoteIpPrefix,
            }),
        ],
    };

    private static ObservedCluster Complete(DesiredCluster desired, ProvisioningFacts facts) => new()
    {
        SecurityGroups = new Dictionary<SecurityGroupRole, SecurityGroup>
        {
            [SecurityGroupRole.Master] = Group(desired.SecurityGroups[0], MasterGroupId),
            [SecurityGroupRole.Worker] = Group(desired.SecurityGroups[1], WorkerGroupId),
        },
        Ports = desired.Ports.Select((p, i) => new Port
        {
            Id = $"70000000-0000-0000-0000-00000000000{i}",
            Name = p.Name,
            NetworkId = p.NetworkId,
            SecurityGroups = [MasterGroupId],
            AllowedAddressPairs = p.AllowedAddresses.Select(a => new AllowedAddressPair { IpAddress = a, MacAddress = "fa:16:3e:00:00:0" + i }).ToList(),
            Tags = p.Tags,
        }).ToList(),
        ServerGroups = desired.ServerGroups.Select((g, i) => new ServerGroupInfo($"sg-{i + 1}", g.Name, g.Policy)).ToList(),
        Servers = desired.Servers.Select((s, i) => new ServerInfo($"server-{i}", s.Name, "ACTIVE", s.Tags, s.Metadata, [])).ToList(),
        FloatingIps = [new FloatingIp { Id = "fip-boot", Description = desired.BootstrapFloatingIp!.Description, Tags = [desired.ClusterTag] }],
    };

    private static ProvisioningFacts CompleteFacts(ProvisioningFacts facts) => facts with
    {
        VipPorts = facts.VipPorts.Select(v => v with
        {
            Port = v.Port with
            {
                Tags = [.. v.Port.Tags, ClusterNames.VipPortTag(InfraId)],
                SecurityGroups = [.. v.Port.SecurityGroups, v.Role == VipRole.Api ? MasterGroupId : WorkerGroupId],
            },
        }).ToList(),
        ApiFloatingIp = facts.ApiFloatingIp! with { PortId = ApiPortId },
    };

    [Fact]
    public void From_nothing_the_plan_creates_everything_in_dependency_order()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var plan = ProvisioningPlan.Build(Desired(facts), facts, ObservedCluster.Empty);

        plan.Steps.Select(s => (s.Id, string.Join(",", s.DependsOn))).ShouldBe(
        [
            ("create-sg/master", ""),
            ("tag-sg/master", "create-sg/master"),
            ("rules-sg/master", "create-sg/master"),
            ("create-sg/worker", ""),
            ("tag-sg/worker", "create-sg/worker"),
            ("rules-sg/worker", "create-sg/worker"),
            ("tag-vip-api", ""),
            ("add-sg-vip-api", "create-sg/master"),
            ("fip-vip-api", ""),
            ("tag-vip-ingress", ""),
            ("add-sg-vip-ingress", "create-sg/worker"),
            ("create-ports", "create-sg/master"),
            ("create-server-group/dualstack-x7k2p-master", ""),
            ("create-server/dualstack-x7k2p-bootstrap", "create-ports"),
            ("create-server/dualstack-x7k2p-master-0", "create-ports,create-server-group/dualstack-x7k2p-master"),
            ("create-server/dualstack-x7k2p-master-1", "create-ports,create-server-group/dualstack-x7k2p-master"),
            ("create-server/dualstack-x7k2p-master-2", "create-ports,create-server-group/dualstack-x7k2p-master"),
            ("wait-servers", "create-server/dualstack-x7k2p-bootstrap,create-server/dualstack-x7k2p-master-0,create-server/dualstack-x7k2p-master-1,create-server/dualstack-x7k2p-master-2"),
            ("create-fip/bootstrap", "create-ports,create-server/dualstack-x7k2p-bootstrap"),
            ("tag-fip/bootstrap", "create-fip/bootstrap"),
        ]);
        plan.Steps.OfType<CreateSecurityGroupRulesStep>().Select(s => s.Rules.Count).ShouldBe([43, 31]);
        plan.Steps.OfType<CreatePortsStep>().Single().Ports.Count.ShouldBe(4);
        plan.Existing.ShouldBeEmpty();
    }

    [Fact]
    public void Network_only_plan_has_no_compute_steps()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var plan = ProvisioningPlan.Build(Desired(facts, ProvisioningScope.NetworkOnly), facts, ObservedCluster.Empty);

        plan.Steps.ShouldNotContain(s => s is CreateServerStep || s is CreateServerGroupStep || s is WaitForServersStep);
        plan.Steps.Single(s => s.Id == "create-fip/bootstrap").DependsOn.ShouldBe(["create-ports"]);
        // 2 groups + 2 tags + 2 bulk rule requests + 5 VIP port changes + 1 bulk port request + floating IP + its tag
        plan.ExpectedRequests.ShouldBe(14);
    }

    [Fact]
    public void A_complete_cluster_plans_nothing()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var plan = ProvisioningPlan.Build(desired, CompleteFacts(facts), Complete(desired, facts));

        plan.Steps.ShouldBeEmpty();
        plan.IsComplete.ShouldBeTrue();
        plan.Existing[Refs.SecurityGroup(SecurityGroupRole.Master)].ShouldBe(MasterGroupId);
        plan.Existing.Count.ShouldBe(2 + 4 + 1 + 4 + 1);
    }

    [Fact]
    public void An_untagged_group_with_missing_rules_is_tagged_and_completed()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var observed = Complete(desired, facts) with
        {
            SecurityGroups = new Dictionary<SecurityGroupRole, SecurityGroup>
            {
                [SecurityGroupRole.Master] = Group(desired.SecurityGroups[0], MasterGroupId, tagged: false, dropRules: 5),
                [SecurityGroupRole.Worker] = Group(desired.SecurityGroups[1], WorkerGroupId),
            },
        };

        var plan = ProvisioningPlan.Build(desired, CompleteFacts(facts), observed);

        plan.Steps.Select(s => s.Id).ShouldBe(["tag-sg/master", "rules-sg/master"]);
        plan.Steps.OfType<CreateSecurityGroupRulesStep>().Single().Rules.ShouldBe(desired.SecurityGroups[0].Rules.Take(5).ToList());
    }

    [Fact]
    public void Missing_ports_only_are_created_and_drifted_pairs_are_corrected()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var complete = Complete(desired, facts);
        var ports = complete.Ports.Skip(2).ToList();
        ports[0] = ports[0] with { AllowedAddressPairs = [new AllowedAddressPair { IpAddress = "192.168.25.199" }] };
        var observed = complete with
        {
            Ports = ports,
            Servers = complete.Servers.Skip(2).ToList(),
        };

        var plan = ProvisioningPlan.Build(desired, CompleteFacts(facts), observed);

        plan.Steps.Select(s => s.Id).ShouldBe(
        [
            "update-port/dualstack-x7k2p-master-1-0",
            "create-ports",
            "create-server/dualstack-x7k2p-bootstrap",
            "create-server/dualstack-x7k2p-master-0",
            "wait-servers",
        ]);
        plan.Steps.OfType<CreatePortsStep>().Single().Ports.Select(p => p.Name).ShouldBe(["dualstack-x7k2p-bootstrap-0", "dualstack-x7k2p-master-0-0"]);
        var update = plan.Steps.OfType<UpdatePortStep>().Single();
        (update.Pairs, update.Groups).ShouldBe((true, false));
    }

    [Fact]
    public void Vip_ports_get_only_what_they_lack()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var complete = CompleteFacts(facts);
        var partial = complete with
        {
            // API port: group there, tag missing; Ingress port: tagged, group missing; FIP not associated.
            VipPorts =
            [
                complete.VipPorts[0] with { Port = complete.VipPorts[0].Port with { Tags = ["user-tag"] } },
                complete.VipPorts[1] with { Port = complete.VipPorts[1].Port with { SecurityGroups = [UserGroupId] } },
            ],
            ApiFloatingIp = complete.ApiFloatingIp! with { PortId = null },
        };

        var plan = ProvisioningPlan.Build(desired, partial, Complete(desired, facts));

        plan.Steps.Select(s => s.Id).ShouldBe(["tag-vip-api", "fip-vip-api", "add-sg-vip-ingress"]);
        plan.Steps.Single(s => s.Id == "add-sg-vip-ingress").Request.ShouldBe($"PUT /v2.0/ports/{IngressPortId}");
    }

    [Fact]
    public void A_server_still_building_is_waited_for_but_not_recreated()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var complete = Complete(desired, facts);
        var observed = complete with { Servers = complete.Servers.Select((s, i) => i == 1 ? s with { Status = "BUILD" } : s).ToList() };

        var plan = ProvisioningPlan.Build(desired, CompleteFacts(facts), observed);

        var wait = plan.Steps.ShouldHaveSingleItem().ShouldBeOfType<WaitForServersStep>();
        wait.ServerNames.ShouldBe(["dualstack-x7k2p-master-0"]);
        wait.DependsOn.ShouldBeEmpty();
    }

    [Fact]
    public void An_untagged_bootstrap_floating_ip_is_adopted_and_tagged()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var desired = Desired(facts);
        var observed = Complete(desired, facts) with { FloatingIps = [new FloatingIp { Id = "fip-boot", Description = desired.BootstrapFloatingIp!.Description }] };

        var plan = ProvisioningPlan.Build(desired, CompleteFacts(facts), observed);

        plan.Steps.Single().ShouldBeOfType<TagFloatingIpStep>().Tag.ShouldBe("openshiftClusterID=dualstack-x7k2p");
        plan.Existing[Refs.BootstrapFloatingIp].ShouldBe("fip-boot");
    }

    [Fact]
    public void Steps_describe_their_requests()
    {
        var facts = Facts(withFloatingIp: true, withExternalNetwork: true);
        var plan = ProvisioningPlan.Build(Desired(facts), facts, ObservedCluster.Empty);

        plan.Steps[0].Request.ShouldBe("POST /v2.0/security-groups");
        plan.Steps[1].Request.ShouldBe("PUT /v2.0/security-groups/{id}/tags");
        plan.Steps[2].Request.ShouldBe("POST /v2.0/security-group-rules (bulk)");
        plan.Steps[2].Details.Count.ShouldBe(43);
        plan.Steps.Single(s => s.Id == "tag-vip-api").Request.ShouldBe($"PUT /v2.0/ports/{ApiPortId}/tags/dualstack-x7k2p-dual-stack-vips-port");
        plan.Steps.Single(s => s.Id == "fip-vip-api").Request.ShouldBe($"PUT /v2.0/floatingips/{ApiFipId}");
        var ports = plan.Steps.OfType<CreatePortsStep>().Single();
        ports.Details[0].ShouldBe(
            $"dualstack-x7k2p-bootstrap-0: network {NetworkId}, fixed_ips [subnet {SubnetV4}, subnet {SubnetV6}], "
            + "allowed_address_pairs [192.168.25.199, fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36, 192.168.25.79, fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad], "
            + "security groups [master], tags [openshiftClusterID=dualstack-x7k2p]");
    }
}
