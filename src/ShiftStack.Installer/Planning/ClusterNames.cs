using System.Globalization;

namespace ShiftStack.Installer.Planning;

/// <summary>
/// The names, tags and descriptions of what the installer creates for a cluster, all derived from the infraID
/// (provisioning.md §1–§4, manifests.md §1.2 and §2.2).
/// </summary>
public static class ClusterNames
{
    /// <summary>The tag key the reference puts on every resource of a cluster.</summary>
    public const string ClusterIdKey = "openshiftClusterID";

    /// <summary>Description of the security groups and their rules (the installer's text).</summary>
    public const string InstallerDescription = SecurityGroupRuleTable.Description;

    /// <summary>Description of node ports (CAPO writes its own; ShiftStack names itself).</summary>
    public const string PortDescription = "Created By ShiftStack";

    /// <summary><c>openshiftClusterID=&lt;infraID&gt;</c>: the tag that makes a resource part of the cluster.</summary>
    public static string ClusterTag(string infraId) => ClusterIdKey + "=" + infraId;

    /// <summary><c>&lt;infraID&gt;-dual-stack-vips-port</c>: the tag on the user's VIP ports (provisioning.md §2.1).</summary>
    public static string VipPortTag(string infraId) => infraId + "-dual-stack-vips-port";

    /// <summary><c>&lt;infraID&gt;-master</c> / <c>&lt;infraID&gt;-worker</c>.</summary>
    public static string SecurityGroup(string infraId, SecurityGroupRole role) => infraId + "-" + RoleName(role);

    /// <summary><c>master</c> or <c>worker</c>.</summary>
    public static string RoleName(SecurityGroupRole role) => (role == SecurityGroupRole.Master ? MachineRole.Master : MachineRole.Worker).Name;

    /// <summary><c>&lt;infraID&gt;-bootstrap</c>.</summary>
    public static string BootstrapMachine(string infraId) => infraId + "-bootstrap";

    /// <summary><c>&lt;infraID&gt;-&lt;pool&gt;-&lt;n&gt;</c>: machine <paramref name="index"/> of a pool (<c>master</c>, <c>worker</c>).</summary>
    public static string Machine(string infraId, string pool, int index) => infraId + "-" + pool + "-" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>&lt;infraID&gt;-master-&lt;n&gt;</c>.</summary>
    public static string MasterMachine(string infraId, int index) => Machine(infraId, MachineRole.Master.Name, index);

    /// <summary>
    /// <c>&lt;infraID&gt;-worker-&lt;n&gt;</c>: a worker server ShiftStack creates with <c>--create-workers</c> (the
    /// name the UPI <c>compute-nodes.yaml</c> playbook gives its workers).
    /// </summary>
    public static string WorkerMachine(string infraId, int index) => Machine(infraId, MachineRole.Worker.Name, index);

    /// <summary>CAPO's port name: <c>&lt;machine&gt;-&lt;network index&gt;</c> (0 = the cluster network).</summary>
    public static string Port(string machine, int networkIndex) => machine + "-" + networkIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>The masters' server group: <c>&lt;infraID&gt;-master</c>.</summary>
    public static string MasterServerGroup(string infraId) => infraId + "-master";

    /// <summary>
    /// The workers' server group: <c>&lt;infraID&gt;-worker</c>, or <c>&lt;infraID&gt;-worker-&lt;zone&gt;</c> in an
    /// availability zone: the name the generated worker MachineSets give the machine API, so that workers created at
    /// installation and those the machine API adds later share one group.
    /// </summary>
    public static string WorkerServerGroup(string infraId, string? zone) =>
        infraId + "-worker" + (string.IsNullOrEmpty(zone) ? string.Empty : "-" + zone);

    /// <summary>
    /// True for the server groups of a cluster: the masters' group and the workers' groups (also those the machine
    /// API made for its MachineSets). Nova server groups carry no tags, so the name is all there is.
    /// </summary>
    public static bool IsServerGroup(string infraId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var worker = WorkerServerGroup(infraId, null);
        return string.Equals(name, MasterServerGroup(infraId), StringComparison.Ordinal)
            || string.Equals(name, worker, StringComparison.Ordinal)
            || name.StartsWith(worker + "-", StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>&lt;infraID&gt;-bootstrap-ignition</c>: the Keystone application credential whose token the bootstrap's
    /// Ignition shim carries, restricted to reading the bootstrap Ignition image's data.
    /// </summary>
    public static string BootstrapIgnitionCredential(string infraId) => BootstrapMachine(infraId) + "-ignition";

    /// <summary>
    /// How long that credential lives: its token must outlive the bootstrap's first boot with a wide margin (Keystone
    /// caps the token at its own token lifetime, often 1 to 4 hours), and nothing needs it later.
    /// </summary>
    public static readonly TimeSpan BootstrapIgnitionCredentialLifetime = TimeSpan.FromHours(24);

    /// <summary>Below this, the shim's token may expire before a slow bootstrap has fetched its Ignition: say so.</summary>
    public static readonly TimeSpan BootstrapIgnitionTokenWarning = TimeSpan.FromHours(1);

    /// <summary>Description of the bootstrap floating IP: <c>&lt;infraID&gt;-bootstrap-fip</c>.</summary>
    public static string BootstrapFloatingIpDescription(string infraId) => infraId + "-bootstrap-fip";
}
