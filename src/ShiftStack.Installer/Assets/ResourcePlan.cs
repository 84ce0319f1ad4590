using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// What an installation of this install-config creates in the project, counted the way the quota check needs it
/// (provisioning.md §1–§7). Derived from the install-config only: the machines are <see cref="ClusterMachines"/>' groups,
/// the security-group rules come from <see cref="SecurityGroupRuleTable"/>.
/// </summary>
public sealed record ResourcePlan
{
    /// <summary>Bootstrap, control-plane and compute machines (<see cref="ClusterMachines.Groups"/>).</summary>
    public required IReadOnlyList<MachineGroup> Machines { get; init; }

    /// <summary>The ingress rules of the two cluster groups.</summary>
    public required IReadOnlyList<PlannedSecurityGroupRule> Rules { get; init; }

    /// <summary>
    /// VIP ports the installer creates: none for dual-stack (two <c>controlPlanePort.fixedIPs</c>: the user
    /// pre-creates them) or a user-managed load balancer; otherwise <c>&lt;infraID&gt;-api-port</c> and
    /// <c>&lt;infraID&gt;-ingress-port</c>.
    /// </summary>
    public required int VipPorts { get; init; }

    /// <summary>Ports of an installer-created network (router interface and DHCP port); 0 with <c>controlPlanePort</c>.</summary>
    public required int NetworkServicePorts { get; init; }

    /// <summary>Floating IPs created: the bootstrap machine's, when an external network is set.</summary>
    public required int FloatingIps { get; init; }

    /// <summary>Networks created: 1 without <c>controlPlanePort</c> (installer-managed network), else 0.</summary>
    public required int Networks { get; init; }

    /// <summary>Subnets created (as <see cref="Networks"/>).</summary>
    public required int Subnets { get; init; }

    /// <summary>Routers created: 1 for an installer-managed network with an external network, else 0.</summary>
    public required int Routers { get; init; }

    /// <summary>Security groups created: master and worker.</summary>
    public int SecurityGroups { get; init; } = SecurityGroupRuleTable.Groups.Count;

    /// <summary>Rules created: the table's ingress rules plus Neutron's default egress rules of each new group.</summary>
    public int SecurityGroupRules => Rules.Count + (SecurityGroups * SecurityGroupRuleTable.DefaultEgressRulesPerGroup);

    /// <summary>Nova servers.</summary>
    public long Instances => Machines.Sum(m => m.Count);

    /// <summary>All ports: machine ports, VIP ports and network service ports.</summary>
    public long Ports => Machines.Sum(m => m.Count * m.PortsPerMachine) + VipPorts + NetworkServicePorts;

    /// <summary>The plan of an install-config (defaulted, statically valid).</summary>
    /// <param name="config">The install-config.</param>
    /// <returns>The plan.</returns>
    public static ResourcePlan For(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var byon = os.ControlPlanePort is { FixedIPs.Count: > 0 };
        var userManagedLb = os.LoadBalancer?.Type == LoadBalancerConfig.UserManaged;
        var dualStackPorts = os.ControlPlanePort is { FixedIPs.Count: 2 };
        var hasExternalNetwork = !string.IsNullOrEmpty(os.ExternalNetwork);

        return new ResourcePlan
        {
            // Counting needs no names: the machines are described before the cluster has an infraID.
            Machines = ClusterMachines.From(config, ClusterMachines.NoInfraId, ResolvedPools.From(config)).Groups,
            Rules = SecurityGroupRuleTable.For(config),
            VipPorts = userManagedLb || dualStackPorts ? 0 : 2,
            NetworkServicePorts = byon ? 0 : 2,
            FloatingIps = hasExternalNetwork ? 1 : 0,
            Networks = byon ? 0 : 1,
            Subnets = byon ? 0 : 1,
            Routers = !byon && hasExternalNetwork ? 1 : 0,
        };
    }
}
