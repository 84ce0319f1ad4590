namespace ShiftStack.Installer.Planning;

/// <summary>
/// The role of a machine, by the name openshift-install gives it in server and port names
/// (<c>&lt;infraID&gt;-master-0</c>), Ignition configs (<c>master.ign</c>), MachineConfig pools, user-data secrets and
/// security groups (<c>&lt;infraID&gt;-master</c>). Compare roles with <c>==</c>; <see cref="ToString"/> is the name.
/// </summary>
public sealed class MachineRole
{
    private MachineRole(string name, string description, SecurityGroupRole securityGroup)
    {
        Name = name;
        Description = description;
        SecurityGroup = securityGroup;
    }

    /// <summary>The bootstrap machine: control-plane flavor and networks, <c>bootstrap.ign</c>, no server group.</summary>
    public static MachineRole Bootstrap { get; } = new("bootstrap", "bootstrap", SecurityGroupRole.Master);

    /// <summary>The control-plane machines (<c>controlPlane</c> pool): <c>master.ign</c>, the masters' server group.</summary>
    public static MachineRole Master { get; } = new("master", "control-plane", SecurityGroupRole.Master);

    /// <summary>The compute machines (<c>compute</c> pools), created after installation by the machine API.</summary>
    public static MachineRole Worker { get; } = new("worker", "compute", SecurityGroupRole.Worker);

    /// <summary>The roles whose machines run an OpenShift node pool: master and worker.</summary>
    public static IReadOnlyList<MachineRole> NodePools { get; } = [Master, Worker];

    /// <summary><c>bootstrap</c>, <c>master</c> or <c>worker</c>: the name in resource, file and pool names.</summary>
    public string Name { get; }

    /// <summary><c>bootstrap</c>, <c>control-plane</c> or <c>compute</c>: the word used in messages about machines.</summary>
    public string Description { get; }

    /// <summary>The security group the role's ports are in (bootstrap shares the masters' group).</summary>
    public SecurityGroupRole SecurityGroup { get; }

    /// <summary>The role named <paramref name="name"/> (<c>bootstrap</c>, <c>master</c>, <c>worker</c>), or null.</summary>
    public static MachineRole? FromName(string? name) => name switch
    {
        "bootstrap" => Bootstrap,
        "master" => Master,
        "worker" => Worker,
        _ => null,
    };

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
