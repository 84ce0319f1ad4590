using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Provisioning;

/// <summary>A cluster security group and its ingress rules (Neutron adds its two default egress rules itself).</summary>
/// <param name="Role">Master or worker.</param>
/// <param name="Name"><c>&lt;infraID&gt;-&lt;role&gt;</c>.</param>
/// <param name="Description">The installer's description.</param>
/// <param name="Tags">Replace-all tags (<c>openshiftClusterID=&lt;infraID&gt;</c>).</param>
/// <param name="Rules">The ingress rules of the group (<see cref="SecurityGroupRuleTable"/>).</param>
public sealed record DesiredSecurityGroup(
    SecurityGroupRole Role,
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<PlannedSecurityGroupRule> Rules);

/// <summary>What ShiftStack adds to a user's VIP port; nothing else of the port is touched.</summary>
/// <param name="Role">API or Ingress.</param>
/// <param name="PortId">The user's port.</param>
/// <param name="PortName">Its name (for messages).</param>
/// <param name="Tag"><c>&lt;infraID&gt;-dual-stack-vips-port</c>.</param>
/// <param name="SecurityGroup">The cluster group added to the port's own groups (master on API, worker on Ingress); null for none.</param>
/// <param name="FloatingIpId">The user's floating IP to associate, if <c>apiFloatingIP</c>/<c>ingressFloatingIP</c> is set.</param>
/// <param name="FloatingIpAddress">Its address.</param>
public sealed record DesiredVipPort(
    VipRole Role,
    string PortId,
    string PortName,
    string Tag,
    SecurityGroupRole? SecurityGroup,
    string? FloatingIpId,
    string? FloatingIpAddress);

/// <summary>A node port (bootstrap, master or worker), created with its tags in the create body.</summary>
/// <param name="Name"><c>&lt;machine&gt;-&lt;network index&gt;</c>.</param>
/// <param name="Machine">The machine it belongs to.</param>
/// <param name="NetworkId">Its network.</param>
/// <param name="SubnetIds">
/// <c>fixed_ips</c> as <c>{subnet_id}</c> entries only, never an address: Neutron adds the EUI-64 address on SLAAC /
/// DHCPv6-stateless subnets by itself (and refuses an explicit one), a DHCPv6-stateful subnet gives an address only
/// when listed. Empty for additional networks (Neutron picks).
/// </param>
/// <param name="AllowedAddresses">Allowed address pairs (the VIPs; none on additional networks or with a user-managed LB).</param>
/// <param name="SecurityGroup">The cluster group of the machine.</param>
/// <param name="AdditionalSecurityGroupIds">The pool's <c>additionalSecurityGroupIDs</c>.</param>
/// <param name="Tags">Tags (<c>openshiftClusterID=&lt;infraID&gt;</c>).</param>
/// <param name="Description">Description.</param>
public sealed record DesiredPort(
    string Name,
    string Machine,
    string NetworkId,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> AllowedAddresses,
    SecurityGroupRole SecurityGroup,
    IReadOnlyList<string> AdditionalSecurityGroupIds,
    IReadOnlyList<string> Tags,
    string Description);

/// <summary>A Nova server group: the masters', or the workers' of a zone (<see cref="ClusterNames.WorkerServerGroup"/>).</summary>
/// <param name="Name"><c>&lt;infraID&gt;-master</c>, <c>&lt;infraID&gt;-worker[-&lt;zone&gt;]</c>.</param>
/// <param name="Policy">The pool's <c>serverGroupPolicy</c> (default <c>soft-anti-affinity</c>).</param>
public sealed record DesiredServerGroup(string Name, string Policy);

/// <summary>A Nova server (bootstrap, master, or a worker with <c>--create-workers</c>).</summary>
/// <param name="Name">Machine name.</param>
/// <param name="Role">Bootstrap, master or worker.</param>
/// <param name="FlavorName">Flavor name (install-config).</param>
/// <param name="ImageName">Image name (<c>clusterOSImage</c>).</param>
/// <param name="PortNames">Its ports, cluster network first.</param>
/// <param name="ServerGroup">The server group name, or null (bootstrap).</param>
/// <param name="AvailabilityZone">Nova AZ, or null.</param>
/// <param name="Metadata">Server metadata (<c>Name</c>, <c>openshiftClusterID</c>).</param>
/// <param name="Tags">Server tags.</param>
/// <param name="UserDataFile">The Ignition config used as user data (<c>bootstrap.ign</c> / <c>master.ign</c> / <c>worker.ign</c>).</param>
public sealed record DesiredServer(
    string Name,
    MachineRole Role,
    string FlavorName,
    string ImageName,
    IReadOnlyList<string> PortNames,
    string? ServerGroup,
    string? AvailabilityZone,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Tags,
    string UserDataFile);

/// <summary>The bootstrap machine's floating IP (only with an external network).</summary>
/// <param name="ExternalNetworkId">Where it is allocated.</param>
/// <param name="PortName">The bootstrap port it is associated with.</param>
/// <param name="Description"><c>&lt;infraID&gt;-bootstrap-fip</c>.</param>
/// <param name="Tags">Tags (set after creation: a floating-IP POST does not take tags).</param>
public sealed record DesiredFloatingIp(string ExternalNetworkId, string PortName, string Description, IReadOnlyList<string> Tags);

/// <summary>
/// Everything a cluster needs on OpenStack, computed from the install-config, the cloud facts and the assets by
/// <see cref="ClusterPlanner"/>. Pure data: it says nothing about what exists already (see <see cref="ProvisioningPlan"/>).
/// </summary>
public sealed record DesiredCluster
{
    /// <summary>The infraID.</summary>
    public required string InfraId { get; init; }

    /// <summary><c>openshiftClusterID=&lt;infraID&gt;</c>.</summary>
    public string ClusterTag => ClusterNames.ClusterTag(InfraId);

    /// <summary>Master and worker groups.</summary>
    public required IReadOnlyList<DesiredSecurityGroup> SecurityGroups { get; init; }

    /// <summary>Changes to the user's VIP ports.</summary>
    public required IReadOnlyList<DesiredVipPort> VipPorts { get; init; }

    /// <summary>Node ports: bootstrap, masters, then workers (with <c>--create-workers</c>), each cluster network first.</summary>
    public required IReadOnlyList<DesiredPort> Ports { get; init; }

    /// <summary>The masters' server group, then the workers' (none in network-only mode).</summary>
    public IReadOnlyList<DesiredServerGroup> ServerGroups { get; init; } = [];

    /// <summary>Servers (none in network-only mode).</summary>
    public IReadOnlyList<DesiredServer> Servers { get; init; } = [];

    /// <summary>The bootstrap floating IP, when an external network is set.</summary>
    public DesiredFloatingIp? BootstrapFloatingIp { get; init; }

    /// <summary>
    /// The Glance image that holds openshift-install's bootstrap Ignition (<c>&lt;infraID&gt;-ignition</c>), when the
    /// run boots with openshift-install's configs; null otherwise.
    /// </summary>
    public DesiredIgnitionImage? BootstrapIgnitionImage { get; init; }

    /// <summary>All ingress rules of both groups.</summary>
    public IEnumerable<PlannedSecurityGroupRule> Rules => SecurityGroups.SelectMany(g => g.Rules);
}

/// <summary>The Glance image holding the bootstrap Ignition, as the installer makes it.</summary>
/// <param name="Name"><c>&lt;infraID&gt;-ignition</c>.</param>
/// <param name="Tags"><c>openshiftClusterID=&lt;infraID&gt;</c>.</param>
/// <param name="File">The file uploaded (<c>bootstrap.ign</c>).</param>
public sealed record DesiredIgnitionImage(string Name, IReadOnlyList<string> Tags, string File)
{
    /// <summary>The image's name for a cluster.</summary>
    public static string NameFor(string infraId) => infraId + "-ignition";
}
