using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// One machine of the cluster as the install-config describes it: what the CAPO and machine-API manifests name, what
/// <c>create cluster</c> creates and what the quota check counts. No cloud fact is in it.
/// </summary>
/// <param name="Name"><c>&lt;infraID&gt;-bootstrap</c>, <c>&lt;infraID&gt;-master-&lt;n&gt;</c>, <c>&lt;infraID&gt;-worker-&lt;n&gt;</c>.</param>
/// <param name="Role">Bootstrap, master or worker.</param>
/// <param name="Index">Its index within its pool (0 for the bootstrap machine).</param>
/// <param name="Pool">Its merged pool (the bootstrap machine has the control plane's).</param>
/// <param name="FailureDomain">Its failure domain: the pool's domain <c>Index % count</c> (reference <c>failureDomainsFromSpec</c>).</param>
/// <param name="PortNames">Its ports (<see cref="ClusterNames.Port"/>): the cluster network, then each additional network.</param>
/// <param name="ServerGroup">Its Nova server group; null for the bootstrap machine.</param>
/// <param name="Flavor">Its Nova flavor, if the install-config gives one.</param>
public sealed record ClusterMachine(
    string Name,
    MachineRole Role,
    int Index,
    ResolvedPool Pool,
    FailureDomain FailureDomain,
    IReadOnlyList<string> PortNames,
    string? ServerGroup,
    string? Flavor)
{
    /// <summary>Its Nova availability zone; null for none.</summary>
    public string? Zone => FailureDomain.AvailabilityZone.Length == 0 ? null : FailureDomain.AvailabilityZone;

    /// <summary>The Ignition config it boots with: <c>bootstrap.ign</c>, <c>master.ign</c> or <c>worker.ign</c>.</summary>
    public string IgnitionFile => Role.Name + ".ign";
}

/// <summary>The machines of one role from one pool.</summary>
public sealed class MachineGroup
{
    private readonly Func<int, ClusterMachine> _machine;

    internal MachineGroup(MachineRole role, ResolvedPool pool, string? flavor, long count, Func<int, ClusterMachine> machine)
    {
        Role = role;
        Pool = pool;
        Flavor = flavor;
        Count = count;
        _machine = machine;
    }

    /// <summary>Bootstrap, master (control plane) or worker (compute).</summary>
    public MachineRole Role { get; }

    /// <summary>The merged pool.</summary>
    public ResolvedPool Pool { get; }

    /// <summary>The Nova flavor name, if the install-config gives one.</summary>
    public string? Flavor { get; }

    /// <summary>How many machines (the pool's replicas; 1 bootstrap machine).</summary>
    public long Count { get; }

    /// <summary>Ports per machine: the cluster network plus each additional network.</summary>
    public int PortsPerMachine => ClusterMachines.PortCount(Pool);

    /// <summary>The machines, in index order (made as they are read: a quota count never lists them).</summary>
    public IEnumerable<ClusterMachine> Machines
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return _machine(i);
            }
        }
    }
}

/// <summary>
/// The cluster's machines, described once: a pure function of (install-config, infraID, merged pools). The CAPO
/// manifests render the bootstrap and control-plane machines, the machine-API manifests name the control-plane
/// Machines after them, <c>ClusterPlanner</c> creates them (adding only what needs cloud facts) and the quota check
/// counts them (<see cref="ResourcePlan"/>).
/// </summary>
/// <param name="Bootstrap">The bootstrap machine (control-plane pool, flavor and networks).</param>
/// <param name="ControlPlane">The control-plane machines.</param>
/// <param name="Compute">The compute machines, one group per <c>compute</c> pool.</param>
public sealed record ClusterMachines(MachineGroup Bootstrap, MachineGroup ControlPlane, IReadOnlyList<MachineGroup> Compute)
{
    /// <summary>
    /// The infraID of machines described before the cluster has one (pre-flight's quota count, which reads only
    /// <see cref="Groups"/>): their names read <c>&lt;infraID&gt;-master-0</c>.
    /// </summary>
    public const string NoInfraId = "<infraID>";

    /// <summary>Bootstrap, control plane, then each compute pool.</summary>
    public IReadOnlyList<MachineGroup> Groups => [Bootstrap, ControlPlane, .. Compute];

    /// <summary>The machines the installer creates itself: the bootstrap machine, then the control plane.</summary>
    public IReadOnlyList<ClusterMachine> InstallerMachines => [.. Bootstrap.Machines, .. ControlPlane.Machines];

    /// <summary>The workers (<see cref="ResolvedPools.Worker"/>'s group); null when there is no worker pool.</summary>
    public MachineGroup? Workers => Compute.FirstOrDefault(g => g.Pool.Name == MachineRole.Worker.Name);

    /// <summary>Describes the machines of an install-config (defaulted, statically valid).</summary>
    /// <param name="config">The install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="pools">Its merged pools (<see cref="ResolvedPools.From"/>).</param>
    /// <returns>The machines.</returns>
    public static ClusterMachines From(InstallConfiguration config, string infraId, ResolvedPools pools)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pools);
        var os = config.Platform.OpenStack ?? throw new ArgumentException("platform.openstack is not set", nameof(config));
        var controlPlane = pools.ControlPlane;
        var cpFlavor = Flavor(controlPlane, os);
        return new ClusterMachines(
            Group(MachineRole.Bootstrap, controlPlane, cpFlavor, 1, _ => ClusterNames.BootstrapMachine(infraId), _ => null),
            Group(MachineRole.Master, controlPlane, cpFlavor, controlPlane.Replicas,
                i => ClusterNames.Machine(infraId, controlPlane.Name, i), _ => ClusterNames.MasterServerGroup(infraId)),
            pools.Compute.Select(pool => Group(MachineRole.Worker, pool, Flavor(pool, os), pool.Replicas,
                i => ClusterNames.Machine(infraId, pool.Name, i), zone => ClusterNames.WorkerServerGroup(infraId, zone))).ToList());
    }

    /// <summary>A pool's flavor: its own or <c>defaultMachinePlatform</c>'s <c>type</c>, else the deprecated <c>computeFlavor</c>.</summary>
    public static string? Flavor(ResolvedPool pool, OpenStackPlatform os)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(os);
        return NonEmpty(pool.Platform.FlavorName) ?? NonEmpty(os.DeprecatedFlavorName);
    }

    /// <summary>Ports per machine of a pool: the cluster network plus each additional network.</summary>
    public static int PortCount(ResolvedPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return 1 + pool.Platform.AdditionalNetworkIds.Count;
    }

    private static MachineGroup Group(MachineRole role, ResolvedPool pool, string? flavor, long count, Func<int, string> name, Func<string?, string?> serverGroup)
    {
        // Worked out when a machine is first read: counting machines (the quota check) never needs the domains.
        var domains = new Lazy<IReadOnlyList<FailureDomain>>(() => FailureDomain.FromPool(pool.Platform));
        return new MachineGroup(role, pool, flavor, count, i =>
        {
            var machine = name(i);
            var domain = domains.Value[i % domains.Value.Count];
            var zone = domain.AvailabilityZone.Length == 0 ? null : domain.AvailabilityZone;
            return new ClusterMachine(
                machine,
                role,
                i,
                pool,
                domain,
                Enumerable.Range(0, PortCount(pool)).Select(n => ClusterNames.Port(machine, n)).ToList(),
                serverGroup(zone),
                flavor);
        });
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
