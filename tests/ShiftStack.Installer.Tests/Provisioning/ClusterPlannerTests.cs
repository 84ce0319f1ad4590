using ShiftStack.Tests.Shared;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using static ShiftStack.Installer.Tests.Provisioning.ProvisioningFixtures;

namespace ShiftStack.Installer.Tests.Provisioning;

public class ClusterPlannerTests
{
    private static List<string> Rules(DesiredCluster desired) =>
        desired.SecurityGroups
            .SelectMany(g => g.Rules.Select(r =>
                $"{ClusterNames.RoleName(g.Role)} {r.EtherType} {r.Protocol} {(r.PortRangeMin is null ? "-" : $"{r.PortRangeMin}-{r.PortRangeMax}")} {r.RemoteIpPrefix}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Dual_stack_rules_match_the_spec_tables_rule_by_rule()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts());

        Rules(desired).ShouldBe(SpecRuleTables.Expected(["192.168.25.0/24"], ["fd2e:6f44:5dd8:c956::/64"], mastersSchedulable: false));
        desired.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Master).Rules.Count.ShouldBe(43);
        desired.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Worker).Rules.Count.ShouldBe(31);
    }

    [Fact]
    public void Compact_cluster_opens_http_https_and_router_on_the_masters()
    {
        var desired = ClusterPlanner.Plan(DualStack(y => y.Replace("- name: worker\n  replicas: 3", "- name: worker\n  replicas: 0")), InfraId, Facts());

        Rules(desired).ShouldBe(SpecRuleTables.Expected(["192.168.25.0/24"], ["fd2e:6f44:5dd8:c956::/64"], mastersSchedulable: true));
        desired.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Master).Rules.Count.ShouldBe(49);
    }

    [Fact]
    public void Ipv6_primary_orders_nothing_differently_but_keeps_both_families()
    {
        var yaml = DualStackYaml
            .Replace("  - cidr: 192.168.25.0/24\n  - cidr: fd2e:6f44:5dd8:c956::/64", "  - cidr: fd2e:6f44:5dd8:c956::/64\n  - cidr: 192.168.25.0/24")
            .Replace("  - cidr: 10.128.0.0/14\n    hostPrefix: 23\n  - cidr: fd01::/48\n    hostPrefix: 64", "  - cidr: fd01::/48\n    hostPrefix: 64\n  - cidr: 10.128.0.0/14\n    hostPrefix: 23")
            .Replace("  - 172.30.0.0/16\n  - fd02::/112", "  - fd02::/112\n  - 172.30.0.0/16")
            .Replace("    - 192.168.25.199\n    - FD2E:6F44:5DD8:C956:F816:3EFF:FE78:CF36", "    - FD2E:6F44:5DD8:C956:F816:3EFF:FE78:CF36\n    - 192.168.25.199")
            .Replace("    - 192.168.25.79\n    - fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad", "    - fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad\n    - 192.168.25.79");
        var desired = ClusterPlanner.Plan(Load(yaml), InfraId, Facts());

        Rules(desired).ShouldBe(SpecRuleTables.Expected(["192.168.25.0/24"], ["fd2e:6f44:5dd8:c956::/64"], mastersSchedulable: false));
        desired.Ports[0].AllowedAddresses.ShouldBe(
            ["fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", "192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad", "192.168.25.79"]);
    }

    [Fact]
    public void Security_groups_are_named_described_and_tagged_like_the_installer()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts());

        desired.SecurityGroups.Select(g => g.Name).ShouldBe(["dualstack-x7k2p-master", "dualstack-x7k2p-worker"]);
        desired.SecurityGroups.ShouldAllBe(g => g.Description == "Created By OpenShift Installer");
        desired.SecurityGroups.ShouldAllBe(g => g.Tags.SequenceEqual(new[] { "openshiftClusterID=dualstack-x7k2p" }));
    }

    [Fact]
    public void Node_ports_name_both_subnets_by_id_and_carry_every_vip_as_a_pair()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts());

        desired.Ports.Select(p => p.Name).ShouldBe(
            ["dualstack-x7k2p-bootstrap-0", "dualstack-x7k2p-master-0-0", "dualstack-x7k2p-master-1-0", "dualstack-x7k2p-master-2-0"]);
        foreach (var port in desired.Ports)
        {
            port.NetworkId.ShouldBe(NetworkId);
            port.SubnetIds.ShouldBe([SubnetV4, SubnetV6]);
            // Every API VIP then every Ingress VIP, both families, in Neutron's canonical text.
            port.AllowedAddresses.ShouldBe(
                ["192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", "192.168.25.79", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad"]);
            port.SecurityGroup.ShouldBe(SecurityGroupRole.Master);
            port.Tags.ShouldBe(["openshiftClusterID=dualstack-x7k2p"]);
        }
    }

    [Fact]
    public void Additional_networks_get_ports_without_pairs_and_additional_groups_are_kept()
    {
        var config = DualStack(y => y.Replace("      type: m1.xlarge", "      type: m1.xlarge\n      additionalNetworkIDs:\n      - 22222222-2222-2222-2222-222222222222\n      additionalSecurityGroupIDs:\n      - 33333333-3333-3333-3333-333333333333"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts());

        desired.Ports.Count.ShouldBe(8);
        var extra = desired.Ports.Single(p => p.Name == "dualstack-x7k2p-master-1-1");
        extra.NetworkId.ShouldBe("22222222-2222-2222-2222-222222222222");
        extra.SubnetIds.ShouldBeEmpty();
        extra.AllowedAddresses.ShouldBeEmpty();
        desired.Ports.ShouldAllBe(p => p.AdditionalSecurityGroupIds.SequenceEqual(new[] { "33333333-3333-3333-3333-333333333333" }));
        desired.Servers.Single(s => s.Name == "dualstack-x7k2p-master-1").PortNames.ShouldBe(["dualstack-x7k2p-master-1-0", "dualstack-x7k2p-master-1-1"]);
    }

    [Fact]
    public void Vip_ports_get_the_tag_their_cluster_group_and_the_floating_ip()
    {
        var config = DualStack(y => y.Replace("    cloud: openstack", "    cloud: openstack\n    externalNetwork: public\n    apiFloatingIP: 203.0.113.10"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts(withFloatingIp: true, withExternalNetwork: true));

        desired.VipPorts.Count.ShouldBe(2);
        var api = desired.VipPorts.Single(v => v.Role == VipRole.Api);
        api.PortId.ShouldBe(ApiPortId);
        api.Tag.ShouldBe("dualstack-x7k2p-dual-stack-vips-port");
        api.SecurityGroup.ShouldBe(SecurityGroupRole.Master);
        api.FloatingIpId.ShouldBe(ApiFipId);
        var ingress = desired.VipPorts.Single(v => v.Role == VipRole.Ingress);
        ingress.SecurityGroup.ShouldBe(SecurityGroupRole.Worker);
        ingress.FloatingIpId.ShouldBeNull();
        desired.BootstrapFloatingIp.ShouldNotBeNull().Description.ShouldBe("dualstack-x7k2p-bootstrap-fip");
        desired.BootstrapFloatingIp.PortName.ShouldBe("dualstack-x7k2p-bootstrap-0");
        desired.BootstrapFloatingIp.ExternalNetworkId.ShouldBe(ExternalNetworkId);
    }

    [Fact]
    public void User_managed_load_balancer_means_no_pairs_no_groups_on_vip_ports_no_floating_ips()
    {
        var config = DualStack(y => y.Replace("    cloud: openstack", "    cloud: openstack\n    loadBalancer:\n      type: UserManaged"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts(withFloatingIp: true));

        desired.Ports.ShouldAllBe(p => p.AllowedAddresses.Count == 0);
        desired.VipPorts.ShouldAllBe(v => v.SecurityGroup == null && v.FloatingIpId == null);
    }

    [Fact]
    public void Missing_vip_port_is_an_error_naming_the_vip()
    {
        var facts = Facts() with { VipPorts = [Facts().VipPorts[0]] };

        var ex = Should.Throw<ProvisioningException>(() => ClusterPlanner.Plan(DualStack(), InfraId, facts));
        ex.Message.ShouldContain("Ingress VIP 192.168.25.79");
    }

    [Fact]
    public void Servers_follow_the_installer_machines()
    {
        var config = DualStack(y => y.Replace("      type: m1.xlarge", "      type: m1.xlarge\n      zones: [az1, az2]\n      serverGroupPolicy: anti-affinity"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts());

        desired.ServerGroups.ShouldBe([new DesiredServerGroup("dualstack-x7k2p-master", "anti-affinity")]);
        desired.Servers.Select(s => (s.Name, s.AvailabilityZone, s.ServerGroup, s.UserDataFile)).ShouldBe(
        [
            ("dualstack-x7k2p-bootstrap", "az1", null, "bootstrap.ign"),
            ("dualstack-x7k2p-master-0", "az1", "dualstack-x7k2p-master", "master.ign"),
            ("dualstack-x7k2p-master-1", "az2", "dualstack-x7k2p-master", "master.ign"),
            ("dualstack-x7k2p-master-2", "az1", "dualstack-x7k2p-master", "master.ign"),
        ]);
        var master = desired.Servers[1];
        master.FlavorName.ShouldBe("m1.xlarge");
        master.ImageName.ShouldBe("rhcos");
        master.Metadata.ShouldBe(new Dictionary<string, string> { ["Name"] = "dualstack-x7k2p-master", ["openshiftClusterID"] = "dualstack-x7k2p" });
        desired.Servers[0].Metadata["Name"].ShouldBe("dualstack-x7k2p-bootstrap");
        desired.Servers.ShouldAllBe(s => s.Tags.SequenceEqual(new[] { "openshiftClusterID=dualstack-x7k2p" }));
    }

    [Fact]
    public void Default_server_group_policy_is_soft_anti_affinity()
    {
        ClusterPlanner.Plan(DualStack(), InfraId, Facts()).ServerGroups.Single().Policy.ShouldBe("soft-anti-affinity");
    }

    [Fact]
    public void Network_only_plans_no_server_group_and_no_servers()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts(), ProvisioningScope.NetworkOnly);

        desired.ServerGroups.ShouldBeEmpty();
        desired.Servers.ShouldBeEmpty();
        desired.Ports.Count.ShouldBe(4);
    }

    [Fact]
    public void Servers_need_an_image()
    {
        var config = DualStack(y => y.Replace("    clusterOSImage: rhcos\n", string.Empty));

        Should.Throw<ProvisioningException>(() => ClusterPlanner.Plan(config, InfraId, Facts())).Message.ShouldContain("clusterOSImage");
        ClusterPlanner.Plan(config, InfraId, Facts(), ProvisioningScope.NetworkOnly).Ports.Count.ShouldBe(4);
    }

    [Fact]
    public void Without_control_plane_port_there_is_nothing_to_provision_on()
    {
        var config = DualStack();
        config = config with { Platform = config.Platform with { OpenStack = config.Platform.OpenStack! with { ControlPlanePort = null } } };

        Should.Throw<ProvisioningException>(() => ClusterPlanner.Plan(config, InfraId, Facts())).Message.ShouldContain("controlPlanePort");
    }

    [Fact]
    public void Workers_are_left_to_the_machine_api_by_default()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts());

        desired.Servers.ShouldNotContain(s => s.Role == MachineRole.Worker);
        desired.Ports.ShouldNotContain(p => p.Machine.Contains("-worker-", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_workers_adds_the_worker_pool_as_the_upi_compute_nodes_playbook_does()
    {
        // compute[0]: 3 replicas; its own flavor, zones and policy win over defaultMachinePlatform.
        var config = DualStack(y => y.Replace(
            "- name: worker\n  replicas: 3",
            "- name: worker\n  replicas: 3\n  platform:\n    openstack:\n      type: m1.large\n      zones: [az1, az2]\n      serverGroupPolicy: affinity"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts(), workers: true);

        var workers = desired.Servers.Where(s => s.Role == MachineRole.Worker).ToList();
        workers.Select(s => (s.Name, s.FlavorName, s.AvailabilityZone, s.ServerGroup, s.UserDataFile)).ShouldBe(
        [
            ("dualstack-x7k2p-worker-0", "m1.large", "az1", "dualstack-x7k2p-worker-az1", "worker.ign"),
            ("dualstack-x7k2p-worker-1", "m1.large", "az2", "dualstack-x7k2p-worker-az2", "worker.ign"),
            ("dualstack-x7k2p-worker-2", "m1.large", "az1", "dualstack-x7k2p-worker-az1", "worker.ign"),
        ]);
        workers[0].Metadata.ShouldBe(new Dictionary<string, string> { ["Name"] = "dualstack-x7k2p-worker", ["openshiftClusterID"] = "dualstack-x7k2p" });
        workers[0].PortNames.ShouldBe(["dualstack-x7k2p-worker-0-0"]);

        // The server groups are the ones the generated worker MachineSets name, so later workers join them.
        desired.ServerGroups.ShouldBe(
        [
            new DesiredServerGroup("dualstack-x7k2p-master", "soft-anti-affinity"),
            new DesiredServerGroup("dualstack-x7k2p-worker-az1", "affinity"),
            new DesiredServerGroup("dualstack-x7k2p-worker-az2", "affinity"),
        ]);

        // Worker ports: the worker group, both subnets, every VIP of both families as an allowed address pair.
        var port = desired.Ports.Single(p => p.Name == "dualstack-x7k2p-worker-1-0");
        port.SecurityGroup.ShouldBe(SecurityGroupRole.Worker);
        port.SubnetIds.ShouldBe(desired.Ports[0].SubnetIds);
        port.AllowedAddresses.ShouldBe(desired.Ports[0].AllowedAddresses);
        port.AllowedAddresses.Count.ShouldBe(4);
        desired.Ports.Where(p => p.Machine.Contains("-master-", StringComparison.Ordinal)).ShouldAllBe(p => p.SecurityGroup == SecurityGroupRole.Master);
    }

    [Fact]
    public void Servers_ports_and_quota_count_are_the_described_machines()
    {
        // Given masters and workers spread over two zones.
        var config = DualStack(y => y
            .Replace("- name: worker\n  replicas: 3", "- name: worker\n  replicas: 3\n  platform:\n    openstack:\n      type: m1.large\n      zones: [az1, az2]")
            .Replace("    clusterOSImage: rhcos\n", "    clusterOSImage: rhcos\n    defaultMachinePlatform:\n      zones: [az3, az4]\n"));
        var machines = ClusterMachines.From(config, InfraId, ResolvedPools.From(config));

        // When provisioning plans the cluster and the quota check counts it.
        var desired = ClusterPlanner.Plan(config, InfraId, Facts(), workers: true);
        var quota = ResourcePlan.For(config);

        // Then each server is a described machine: name, role, zone, server group, flavor, ports and Ignition.
        var described = machines.InstallerMachines.Concat(machines.Workers!.Machines).ToList();
        desired.Servers.Select(s => (s.Name, s.Role, s.AvailabilityZone, s.ServerGroup, s.FlavorName, s.UserDataFile, string.Join(",", s.PortNames)))
            .ShouldBe(described.Select(m => (m.Name, m.Role, m.Zone, m.ServerGroup, m.Flavor!, m.IgnitionFile, string.Join(",", m.PortNames))));
        desired.Servers.Select(s => s.AvailabilityZone).ShouldBe(["az3", "az3", "az4", "az3", "az1", "az2", "az1"]);
        desired.Ports.Select(p => p.Name).ShouldBe(described.SelectMany(m => m.PortNames));
        quota.Machines.Select(g => (g.Role, g.Count, g.Flavor, g.PortsPerMachine))
            .ShouldBe(machines.Groups.Select(g => (g.Role, g.Count, g.Flavor, g.PortsPerMachine)));
        quota.Instances.ShouldBe(desired.Servers.Count);
    }

    [Fact]
    public void Create_workers_without_zones_uses_one_worker_group_and_the_default_machine_platform()
    {
        var config = DualStack(y => y.Replace("    clusterOSImage: rhcos\n", "    clusterOSImage: rhcos\n    defaultMachinePlatform:\n      type: m1.large\n"));
        var desired = ClusterPlanner.Plan(config, InfraId, Facts(), workers: true);

        desired.Servers.Where(s => s.Role == MachineRole.Worker).ShouldAllBe(s => s.FlavorName == "m1.large" && s.ServerGroup == "dualstack-x7k2p-worker" && s.AvailabilityZone == null);
        desired.Servers.Where(s => s.Role != MachineRole.Worker).ShouldAllBe(s => s.FlavorName == "m1.xlarge");
        desired.ServerGroups.Select(g => g.Name).ShouldBe(["dualstack-x7k2p-master", "dualstack-x7k2p-worker"]);
    }

    [Fact]
    public void Create_workers_needs_a_worker_flavor_and_names_the_field()
    {
        var ex = Should.Throw<ProvisioningException>(() => ClusterPlanner.Plan(DualStack(), InfraId, Facts(), workers: true));

        ex.Message.ShouldStartWith("compute[0].platform.openstack.type is not set");
        ClusterPlanner.Plan(DualStack(), InfraId, Facts()).Servers.Count.ShouldBe(4);
    }

    [Fact]
    public void Create_workers_in_network_only_scope_makes_their_ports_only()
    {
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, Facts(), ProvisioningScope.NetworkOnly, workers: true);

        desired.Ports.Count.ShouldBe(7);
        desired.Servers.ShouldBeEmpty();
        desired.ServerGroups.ShouldBeEmpty();
    }

    [Fact]
    public void Create_workers_with_zero_replicas_makes_no_worker()
    {
        var config = DualStack(y => y.Replace("- name: worker\n  replicas: 3", "- name: worker\n  replicas: 0"));

        ClusterPlanner.Plan(config, InfraId, Facts(), workers: true).Servers.ShouldNotContain(s => s.Role == MachineRole.Worker);
    }

    [Fact]
    public void Cluster_server_groups_are_recognised_by_name()
    {
        ClusterNames.IsServerGroup(InfraId, "dualstack-x7k2p-master").ShouldBeTrue();
        ClusterNames.IsServerGroup(InfraId, "dualstack-x7k2p-worker").ShouldBeTrue();
        ClusterNames.IsServerGroup(InfraId, "dualstack-x7k2p-worker-az1").ShouldBeTrue();
        ClusterNames.IsServerGroup(InfraId, "dualstack-x7k2p-workers").ShouldBeFalse();
        ClusterNames.IsServerGroup(InfraId, "dualstack-x7k2p-master-az1").ShouldBeFalse();
        ClusterNames.IsServerGroup(InfraId, "other-x7k2p-master").ShouldBeFalse();
    }
}
