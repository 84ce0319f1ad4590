using ShiftStack.InstallConfig;

namespace ShiftStack.Installer.Planning;

/// <summary>Machines of one kind that the installation creates.</summary>
/// <param name="Role">Bootstrap, master (control plane) or worker (compute).</param>
/// <param name="Flavor">The Nova flavor name, if the install-config gives one.</param>
/// <param name="Count">How many machines.</param>
/// <param name="PortsPerMachine">Ports per machine: the cluster network plus each additional network.</param>
public sealed record MachineGroup(MachineRole Role, string? Flavor, long Count, int PortsPerMachine);

/// <summary>
/// What an installation of this install-config creates in the project, counted the way the quota check needs it
/// (provisioning.md §1–§7). Derived from the install-config only; the security-group rules come from
/// <see cref="SecurityGroupRuleTable"/>.
/// </summary>
public sealed record ResourcePlan
{
    /// <summary>Bootstrap, control-plane and compute machines.</summary>
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
        var defaults = os.DefaultMachinePlatform;
        var controlPlane = config.ControlPlane ?? new MachinePool();
        var byon = os.ControlPlanePort is { FixedIPs.Count: > 0 };
        var userManagedLb = os.LoadBalancer?.Type == LoadBalancerConfig.UserManaged;
        var dualStackPorts = os.ControlPlanePort is { FixedIPs.Count: 2 };
        var hasExternalNetwork = !string.IsNullOrEmpty(os.ExternalNetwork);

        var cpFlavor = Flavor(controlPlane, defaults, os);
        var cpPorts = 1 + AdditionalNetworks(controlPlane, defaults);
        var machines = new List<MachineGroup>
        {
            // The bootstrap machine uses the control-plane flavor and networks.
            new(MachineRole.Bootstrap, cpFlavor, 1, cpPorts),
            new(MachineRole.Master, cpFlavor, controlPlane.Replicas ?? 0, cpPorts),
        };
        machines.AddRange(config.Compute.Select(pool =>
            new MachineGroup(MachineRole.Worker, Flavor(pool, defaults, os), pool.Replicas ?? 0, 1 + AdditionalNetworks(pool, defaults))));

        return new ResourcePlan
        {
            Machines = machines,
            Rules = SecurityGroupRuleTable.For(config),
            VipPorts = userManagedLb || dualStackPorts ? 0 : 2,
            NetworkServicePorts = byon ? 0 : 2,
            FloatingIps = hasExternalNetwork ? 1 : 0,
            Networks = byon ? 0 : 1,
            Subnets = byon ? 0 : 1,
            Routers = !byon && hasExternalNetwork ? 1 : 0,
        };
    }

    private static string? Flavor(MachinePool pool, OpenStackMachinePool? defaults, OpenStackPlatform os) =>
        NonEmpty(pool.Platform.OpenStack?.FlavorName) ?? NonEmpty(defaults?.FlavorName) ?? NonEmpty(os.DeprecatedFlavorName);

    private static int AdditionalNetworks(MachinePool pool, OpenStackMachinePool? defaults)
    {
        var own = pool.Platform.OpenStack?.AdditionalNetworkIds;
        return (own is { Count: > 0 } ? own : defaults?.AdditionalNetworkIds ?? []).Distinct(StringComparer.Ordinal).Count();
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
