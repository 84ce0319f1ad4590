using System.Net;
using ShiftStack.InstallConfig;
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
/// cloud facts). The rules come from <see cref="SecurityGroupRuleTable"/>, shared with the pre-flight quota check.
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
    /// <returns>The desired resources.</returns>
    /// <exception cref="ProvisioningException">The config asks for something ShiftStack cannot provision.</exception>
    public static DesiredCluster Plan(InstallConfiguration config, string infraId, ProvisioningFacts facts, ProvisioningScope scope = ProvisioningScope.Cluster)
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
        var controlPlane = config.ControlPlane ?? new MachinePool();
        var pool = MergedPool(os.DefaultMachinePlatform, controlPlane.Platform.OpenStack);

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

        // Allowed address pairs: every API VIP, then every Ingress VIP, both families (manifests.md §2.2).
        var pairs = userManagedLb
            ? []
            : os.ApiVips.Concat(os.IngressVips).Select(CanonicalAddress).Distinct(StringComparer.Ordinal).ToList();

        var machines = new List<(string Name, MachineRole Role, int Index)> { (ClusterNames.BootstrapMachine(infraId), MachineRole.Bootstrap, 0) };
        var replicas = (int)Math.Max(0, controlPlane.Replicas ?? 0);
        for (var i = 0; i < replicas; i++)
        {
            machines.Add((ClusterNames.MasterMachine(infraId, i), MachineRole.Master, i));
        }

        var subnetIds = facts.ClusterSubnets.Select(s => s.Id).ToList();
        var ports = new List<DesiredPort>();
        foreach (var (machine, _, _) in machines)
        {
            ports.Add(new DesiredPort(
                ClusterNames.Port(machine, 0), machine, facts.ClusterNetwork.Id, subnetIds, pairs,
                SecurityGroupRole.Master, pool.AdditionalSecurityGroupIds, tags, ClusterNames.PortDescription));
            for (var n = 0; n < pool.AdditionalNetworkIds.Count; n++)
            {
                // Additional networks never get pairs (provisioning.md §3).
                ports.Add(new DesiredPort(
                    ClusterNames.Port(machine, n + 1), machine, pool.AdditionalNetworkIds[n], [], [],
                    SecurityGroupRole.Master, pool.AdditionalSecurityGroupIds, tags, ClusterNames.PortDescription));
            }
        }

        DesiredFloatingIp? bootstrapFip = null;
        if (facts.ExternalNetwork is { } external)
        {
            bootstrapFip = new DesiredFloatingIp(external.Id, ClusterNames.Port(ClusterNames.BootstrapMachine(infraId), 0),
                ClusterNames.BootstrapFloatingIpDescription(infraId), tags);
        }

        DesiredServerGroup? serverGroup = null;
        var servers = new List<DesiredServer>();
        if (scope == ProvisioningScope.Cluster)
        {
            var flavor = FirstNonEmpty(pool.FlavorName, os.DeprecatedFlavorName)
                ?? throw new ProvisioningException("controlPlane.platform.openstack.type is not set: servers need a flavor");
            var image = FirstNonEmpty(os.ClusterOSImage)
                ?? throw new ProvisioningException(
                    "platform.openstack.clusterOSImage is not set: ShiftStack boots servers from an existing Glance image and does not upload one (set it to the image name, or provision with --network-only)");
            serverGroup = new DesiredServerGroup(ClusterNames.MasterServerGroup(infraId), FirstNonEmpty(pool.ServerGroupPolicy) ?? DefaultServerGroupPolicy);
            foreach (var (machine, role, index) in machines)
            {
                var bootstrap = role == MachineRole.Bootstrap;
                var zone = pool.Zones.Count == 0 ? null : pool.Zones[index % pool.Zones.Count];
                servers.Add(new DesiredServer(
                    machine,
                    role,
                    flavor,
                    image,
                    ports.Where(p => p.Machine == machine).Select(p => p.Name).ToList(),
                    bootstrap ? null : serverGroup.Name,
                    string.IsNullOrEmpty(zone) ? null : zone,
                    new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["Name"] = bootstrap ? machine : infraId + "-master",
                        [ClusterNames.ClusterIdKey] = infraId,
                    },
                    tags,
                    bootstrap ? "bootstrap.ign" : "master.ign"));
            }
        }

        return new DesiredCluster
        {
            InfraId = infraId,
            SecurityGroups = groups,
            VipPorts = vips,
            Ports = ports,
            ServerGroup = serverGroup,
            Servers = servers,
            BootstrapFloatingIp = bootstrapFip,
        };
    }

    /// <summary>
    /// The machine pool settings as the installer computes them: <c>defaultMachinePlatform</c>, overridden by each
    /// field the pool sets.
    /// </summary>
    public static OpenStackMachinePool MergedPool(OpenStackMachinePool? defaults, OpenStackMachinePool? pool)
    {
        var d = defaults ?? new OpenStackMachinePool();
        if (pool is null)
        {
            return d;
        }

        return new OpenStackMachinePool
        {
            FlavorName = FirstNonEmpty(pool.FlavorName, d.FlavorName),
            Zones = pool.Zones.Count > 0 ? pool.Zones : d.Zones,
            RootVolume = pool.RootVolume ?? d.RootVolume,
            AdditionalNetworkIds = pool.AdditionalNetworkIds.Count > 0 ? pool.AdditionalNetworkIds : d.AdditionalNetworkIds,
            AdditionalSecurityGroupIds = pool.AdditionalSecurityGroupIds.Count > 0 ? pool.AdditionalSecurityGroupIds : d.AdditionalSecurityGroupIds,
            ServerGroupPolicy = FirstNonEmpty(pool.ServerGroupPolicy, d.ServerGroupPolicy),
        };
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

    private static string CanonicalAddress(string text) =>
        IpAddresses.TryParse(text, out IPAddress? address) ? IpAddresses.Canonical(address) : text;

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
