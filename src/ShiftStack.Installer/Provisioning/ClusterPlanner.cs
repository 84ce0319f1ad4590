using System.Globalization;
using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>What to build: the whole cluster, or only its network side.</summary>
public enum ProvisioningScope
{
    /// <summary>Security groups, VIP ports, node ports, server group, servers, bootstrap floating IP.</summary>
    Cluster,

    /// <summary>
    /// Only the Neutron side (security groups and rules, VIP ports, node ports, bootstrap floating IP): no server
    /// group, no servers. For clouds without Nova, conversion work and benchmarks.
    /// </summary>
    NetworkOnly,
}

/// <summary>The install-config cannot be provisioned with the given cloud facts; the message says what to fix.</summary>
public sealed class ProvisioningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProvisioningException()
        : this("provisioning failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProvisioningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProvisioningException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Computes the <see cref="DesiredCluster"/> of an install-config: a pure function of (install-config, infraID,
/// cloud facts). The machines are <see cref="ClusterMachines"/> (what the manifests render and the quota check counts);
/// the planner adds what needs cloud facts. The rules come from <see cref="SecurityGroupRuleTable"/>, shared with the
/// pre-flight quota check.
/// </summary>
public static class ClusterPlanner
{
    /// <summary>The server-group policy when the pool sets none (the installer's default).</summary>
    public const string DefaultServerGroupPolicy = "soft-anti-affinity";

    /// <summary>Plans the cluster.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="facts">The cloud facts.</param>
    /// <param name="scope">Whole cluster or network only.</param>
    /// <param name="workers">
    /// Also the workers, as the UPI <c>compute-nodes.yaml</c> playbook makes them (<c>--create-workers</c>): the
    /// worker pool's replicas, each with its port (and in <see cref="ProvisioningScope.Cluster"/> its server booted
    /// with <c>worker.ign</c>). Without it workers are left to the machine API, as openshift-install's IPI flow does.
    /// </param>
    /// <param name="machines">The cluster's machines when the caller has them (the asset graph's); null: described here from the config.</param>
    /// <returns>The desired resources.</returns>
    /// <exception cref="ProvisioningException">The config asks for something ShiftStack cannot provision.</exception>
    public static DesiredCluster Plan(
        InstallConfiguration config, string infraId, ProvisioningFacts facts, ProvisioningScope scope = ProvisioningScope.Cluster, bool workers = false, ClusterMachines? machines = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(infraId);
        ArgumentNullException.ThrowIfNull(facts);
        var os = config.Platform.OpenStack ?? throw new ProvisioningException("platform.openstack is not set: ShiftStack provisions OpenStack clusters only");
        if (os.ControlPlanePort is not { FixedIPs.Count: > 0 })
        {
            throw new ProvisioningException(
                "platform.openstack.controlPlanePort is not set: ShiftStack provisions clusters on a network you bring (controlPlanePort with its subnets); it does not create networks, subnets or routers");
        }

        var clusterTag = ClusterNames.ClusterTag(infraId);
        var tags = new[] { clusterTag };
        var userManagedLb = os.LoadBalancer?.Type == LoadBalancerConfig.UserManaged;

        var rules = SecurityGroupRuleTable.For(config);
        var groups = SecurityGroupRuleTable.Groups
            .Select(role => new DesiredSecurityGroup(
                role,
                ClusterNames.SecurityGroup(infraId, role),
                ClusterNames.InstallerDescription,
                tags,
                rules.Where(r => r.Group == role).ToList()))
            .ToList();

        var vips = VipPorts(os, infraId, facts, userManagedLb);

        // Allowed address pairs: every API VIP, then every Ingress VIP, both families, on every node's cluster port
        // (docs/provisioning.md): the VIPs move between masters (API) and workers (Ingress).
        var pairs = userManagedLb
            ? []
            : os.ApiVips.Concat(os.IngressVips).Select(ProvisioningPlan.CanonicalAddress).Distinct(StringComparer.Ordinal).ToList();

        // The machines (names, ports, zones, server groups, flavors, Ignition) come from the one description; this adds
        // what needs the cloud: the network, subnet, external network and image.
        var described = machines ?? ClusterMachines.From(config, infraId, ResolvedPools.From(config));
        var created = described.InstallerMachines.ToList(); // the bootstrap machine first
        if (workers && described.Workers is { } workerGroup)
        {
            created.AddRange(workerGroup.Machines);
        }

        var subnetIds = facts.ClusterSubnets.Select(s => s.Id).ToList();
        var ports = new List<DesiredPort>();
        foreach (var machine in created)
        {
            var pool = machine.Pool.Platform;
            var group = machine.Role.SecurityGroup;
            for (var n = 0; n < machine.PortNames.Count; n++)
            {
                // The cluster network's port carries the VIPs as pairs; additional networks never get pairs (docs/provisioning.md).
                ports.Add(n == 0
                    ? new DesiredPort(machine.PortNames[n], machine.Name, facts.ClusterNetwork.Id, subnetIds, pairs,
                        group, pool.AdditionalSecurityGroupIds, tags, ClusterNames.PortDescription)
                    : new DesiredPort(machine.PortNames[n], machine.Name, pool.AdditionalNetworkIds[n - 1], [], [],
                        group, pool.AdditionalSecurityGroupIds, tags, ClusterNames.PortDescription));
            }
        }

        DesiredFloatingIp? bootstrapFip = null;
        if (facts.ExternalNetwork is { } external)
        {
            bootstrapFip = new DesiredFloatingIp(external.Id, created[0].PortNames[0],
                ClusterNames.BootstrapFloatingIpDescription(infraId), tags);
        }

        var serverGroups = new List<DesiredServerGroup>();
        var servers = new List<DesiredServer>();
        if (scope == ProvisioningScope.Cluster)
        {
            var image = FirstNonEmpty(os.ClusterOSImage)
                ?? throw new ProvisioningException(
                    "platform.openstack.clusterOSImage is not set: ShiftStack boots servers from an existing Glance image and does not upload one (set it to the image name, or provision with --network-only)");
            foreach (var machine in created)
            {
                if (machine.ServerGroup is { } serverGroup && !serverGroups.Any(g => g.Name == serverGroup))
                {
                    serverGroups.Add(new DesiredServerGroup(serverGroup, FirstNonEmpty(machine.Pool.Platform.ServerGroupPolicy) ?? DefaultServerGroupPolicy));
                }

                servers.Add(new DesiredServer(
                    machine.Name,
                    machine.Role,
                    machine.Flavor ?? throw MissingFlavor(config, machine),
                    image,
                    machine.PortNames,
                    machine.ServerGroup,
                    machine.Zone,
                    new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["Name"] = machine.Role == MachineRole.Bootstrap ? machine.Name : infraId + "-" + machine.Role.Name,
                        [ClusterNames.ClusterIdKey] = infraId,
                    },
                    tags,
                    machine.IgnitionFile));
            }
        }

        return new DesiredCluster
        {
            InfraId = infraId,
            SecurityGroups = groups,
            VipPorts = vips,
            Ports = ports,
            ServerGroups = serverGroups,
            Servers = servers,
            BootstrapFloatingIp = bootstrapFip,
        };
    }

    /// <summary>The control-plane pool, merged with <c>defaultMachinePlatform</c> as the installer merges it.</summary>
    public static ResolvedPool ControlPlanePool(InstallConfiguration config) => ResolvedPools.From(config).ControlPlane;

    /// <summary>The compute pool whose replicas <c>--create-workers</c> creates (<see cref="ResolvedPools.Worker"/>).</summary>
    public static ResolvedPool? WorkerPool(InstallConfiguration config) => ResolvedPools.From(config).Worker;

    /// <summary>The control plane's flavor (the bootstrap's too).</summary>
    /// <exception cref="ProvisioningException">None is set.</exception>
    public static string ControlPlaneFlavor(InstallConfiguration config, OpenStackPlatform os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var pool = ControlPlanePool(config);
        return ClusterMachines.Flavor(pool, os) ?? throw MissingFlavor(config, MachineRole.Master, pool);
    }

    /// <summary>The workers' flavor.</summary>
    /// <exception cref="ProvisioningException">None is set.</exception>
    public static string WorkerFlavor(InstallConfiguration config, OpenStackPlatform os, ResolvedPool pool)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(pool);
        return ClusterMachines.Flavor(pool, os) ?? throw MissingFlavor(config, MachineRole.Worker, pool);
    }

    private static ProvisioningException MissingFlavor(InstallConfiguration config, ClusterMachine machine) =>
        MissingFlavor(config, machine.Role, machine.Pool);

    /// <summary>No flavor for a pool: the control plane's (bootstrap, masters) or a compute pool's.</summary>
    private static ProvisioningException MissingFlavor(InstallConfiguration config, MachineRole role, ResolvedPool pool)
    {
        if (role != MachineRole.Worker)
        {
            return new ProvisioningException("controlPlane.platform.openstack.type is not set: servers need a flavor (set it there or in platform.openstack.defaultMachinePlatform.type)");
        }

        var index = config.Compute.ToList().FindIndex(p => (p.Name ?? MachineRole.Worker.Name) == pool.Name);
        return new ProvisioningException(string.Create(CultureInfo.InvariantCulture,
            $"compute[{index}].platform.openstack.type is not set: the worker servers --create-workers makes need a flavor (set it there or in platform.openstack.defaultMachinePlatform.type)"));
    }

    private static List<DesiredVipPort> VipPorts(OpenStackPlatform os, string infraId, ProvisioningFacts facts, bool userManagedLb)
    {
        var result = new List<DesiredVipPort>();
        var dualStack = os.ControlPlanePort is { FixedIPs.Count: 2 };
        if (!dualStack)
        {
            return result;
        }

        foreach (var role in new[] { VipRole.Api, VipRole.Ingress })
        {
            var port = facts.VipPort(role);
            if (port is null)
            {
                var list = role == VipRole.Api ? os.ApiVips : os.IngressVips;
                if (list.Count == 0 || userManagedLb)
                {
                    continue;
                }

                throw new ProvisioningException(
                    $"no port holds the {(role == VipRole.Api ? "API" : "Ingress")} VIP {list[0]} on the cluster network: create it first (openstack port create --network <network> {(role == VipRole.Api ? "api" : "ingress")}) and put its addresses in platform.openstack.{(role == VipRole.Api ? "apiVIPs" : "ingressVIPs")}");
            }

            // ShiftStack adds the cluster group to the VIP port (docs/deviations.md §1), except with a user-managed LB.
            SecurityGroupRole? group = userManagedLb ? null : role == VipRole.Api ? SecurityGroupRole.Master : SecurityGroupRole.Worker;
            var fip = userManagedLb ? null : role == VipRole.Api ? facts.ApiFloatingIp : facts.IngressFloatingIp;
            result.Add(new DesiredVipPort(role, port.Id, port.Name, ClusterNames.VipPortTag(infraId), group, fip?.Id, fip?.FloatingIpAddress));
        }

        return result;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
