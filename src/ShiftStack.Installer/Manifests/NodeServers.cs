using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Manifests;

/// <summary>A network reference: by id, or by name.</summary>
/// <param name="Id">The network id, when known.</param>
/// <param name="Name">The network name, when given.</param>
public sealed record NetworkRef(string? Id, string? Name);

/// <summary>A subnet reference: by id, by name, or (installer-managed networks) by tag.</summary>
/// <param name="Id">The subnet id, when given.</param>
/// <param name="Name">The subnet name, when given.</param>
/// <param name="TagsAny">A Neutron tag the subnet must carry (installer-managed network only).</param>
public sealed record SubnetRef(string? Id, string? Name, string? TagsAny = null);

/// <summary>A security group: by name (the cluster's groups) or by id (additional groups).</summary>
/// <param name="Name">The group name.</param>
/// <param name="Id">The group id.</param>
public sealed record SecurityGroupRef(string? Name, string? Id);

/// <summary>
/// One Neutron port of a node, as the CAPO <c>OpenStackMachine</c> describes it. The first port of a dual-stack node
/// carries both fixed IPs (one per subnet, in install-config order) and every API and Ingress VIP (both families) as
/// allowed address pairs.
/// </summary>
/// <param name="Name">The port name CAPO uses (<c>&lt;server&gt;-&lt;index&gt;</c>).</param>
/// <param name="Network">The network; null when it is inferred from the first subnet.</param>
/// <param name="FixedIps">One entry per fixed IP, in install-config order.</param>
/// <param name="AllowedAddressPairs">IP addresses allowed on the port besides its own.</param>
public sealed record NodePort(string Name, NetworkRef? Network, IReadOnlyList<SubnetRef> FixedIps, IReadOnlyList<string> AllowedAddressPairs);

/// <summary>The root volume of a server.</summary>
/// <param name="SizeGiB">Size in GiB.</param>
/// <param name="VolumeType">Cinder volume type ("" = default).</param>
/// <param name="AvailabilityZone">Cinder availability zone ("" = none).</param>
public sealed record NodeRootVolume(long SizeGiB, string VolumeType, string AvailabilityZone);

/// <summary>
/// A server the installer creates itself (bootstrap and control plane; workers are created later by MAPO from the
/// MachineSets), as the CAPO <c>OpenStackMachine</c> manifest renders it: a <see cref="Assets.ClusterMachine"/> with
/// the install-config's network references.
/// </summary>
/// <param name="Name">Server name, e.g. <c>&lt;infraID&gt;-master-0</c>, <c>&lt;infraID&gt;-bootstrap</c>.</param>
/// <param name="Role">Bootstrap or master.</param>
/// <param name="Flavor">Nova flavor name.</param>
/// <param name="Image">Glance image name.</param>
/// <param name="AvailabilityZone">Nova availability zone ("" = none).</param>
/// <param name="ServerGroup">Server group name; null for bootstrap.</param>
/// <param name="Ports">The ports, the control-plane port first.</param>
/// <param name="SecurityGroups">Security groups of the server's ports.</param>
/// <param name="Tags">Tags (<c>openshiftClusterID=&lt;infraID&gt;</c>).</param>
/// <param name="Metadata">Server metadata, in order.</param>
/// <param name="ConfigDrive">True for single-stack IPv6 clusters.</param>
/// <param name="RootVolume">Boot-from-volume settings, if any.</param>
public sealed record NodeServer(
    string Name,
    MachineRole Role,
    string Flavor,
    string Image,
    string AvailabilityZone,
    string? ServerGroup,
    IReadOnlyList<NodePort> Ports,
    IReadOnlyList<SecurityGroupRef> SecurityGroups,
    IReadOnlyList<string> Tags,
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    bool ConfigDrive,
    NodeRootVolume? RootVolume);
