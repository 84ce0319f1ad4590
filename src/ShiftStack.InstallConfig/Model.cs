namespace ShiftStack.InstallConfig;

// The install-config as used for OpenStack. Field names follow the install-config schema
// (data/data/install.openshift.io_installconfigs.yaml); YAML names are given in the XML docs.
// Scalars that the reference parses later (IPs, CIDRs, UUIDs, enums) are kept as the strings the user wrote,
// so that every bad value reaches the validator and gets the reference's message.
// Go makes no difference between an absent and an empty string; neither do the validators here (null ≈ "").

/// <summary>The whole install-config document (<c>install-config.yaml</c>).</summary>
public sealed record InstallConfiguration
{
    /// <summary><c>apiVersion</c>: v1 (older v1beta3/v1beta4 are up-converted).</summary>
    public string? ApiVersion { get; init; }

    /// <summary><c>kind</c> (ignored by the reference).</summary>
    public string? Kind { get; init; }

    /// <summary><c>metadata</c>.</summary>
    public ObjectMetadata Metadata { get; init; } = new();

    /// <summary><c>baseDomain</c>.</summary>
    public string? BaseDomain { get; init; }

    /// <summary><c>featureSet</c>, e.g. <c>TechPreviewNoUpgrade</c>.</summary>
    public string? FeatureSet { get; init; }

    /// <summary><c>featureGates</c>: <c>Name=true|false</c> entries, only with <c>CustomNoUpgrade</c>.</summary>
    public IReadOnlyList<string> FeatureGates { get; init; } = [];

    /// <summary><c>networking</c>.</summary>
    public NetworkingConfig? Networking { get; init; }

    /// <summary><c>controlPlane</c>.</summary>
    public MachinePool? ControlPlane { get; init; }

    /// <summary><c>arbiter</c>: the arbiter pool of a two-node cluster (bare metal only in the reference).</summary>
    public MachinePool? Arbiter { get; init; }

    /// <summary><c>compute</c>.</summary>
    public IReadOnlyList<MachinePool> Compute { get; init; } = [];

    /// <summary><c>platform</c>.</summary>
    public Platform Platform { get; init; } = new();

    /// <summary><c>pullSecret</c>; printed redacted.</summary>
    public Secret? PullSecret { get; init; }

    /// <summary><c>sshKey</c>.</summary>
    public string? SshKey { get; init; }

    /// <summary><c>proxy</c>.</summary>
    public ProxyConfig? Proxy { get; init; }

    /// <summary><c>additionalTrustBundle</c> (PEM).</summary>
    public string? AdditionalTrustBundle { get; init; }

    /// <summary><c>additionalTrustBundlePolicy</c>: <c>Proxyonly</c> or <c>Always</c>.</summary>
    public string? AdditionalTrustBundlePolicy { get; init; }

    /// <summary><c>publish</c>: <c>External</c>, <c>Internal</c> or <c>Mixed</c>.</summary>
    public string? Publish { get; init; }

    /// <summary><c>fips</c>.</summary>
    public bool Fips { get; init; }

    /// <summary><c>capabilities</c>.</summary>
    public CapabilitiesConfig? Capabilities { get; init; }

    /// <summary><c>credentialsMode</c>.</summary>
    public string? CredentialsMode { get; init; }

    /// <summary><c>cpuPartitioningMode</c>.</summary>
    public string? CpuPartitioningMode { get; init; }

    /// <summary>
    /// <c>bootstrapInPlace</c>: read only to say that it has no effect (openshift-install uses it for single-node
    /// bootstrap-in-place Ignition, not for an OpenStack install).
    /// </summary>
    public BootstrapInPlace? BootstrapInPlace { get; init; }

    /// <summary><c>operatorPublishingStrategy</c> (only with <c>publish: Mixed</c>, which OpenStack refuses).</summary>
    public OperatorPublishingStrategy? OperatorPublishingStrategy { get; init; }

    /// <summary><c>imageContentSources</c> (deprecated).</summary>
    public IReadOnlyList<ImageSource> ImageContentSources { get; init; } = [];

    /// <summary><c>imageDigestSources</c>.</summary>
    public IReadOnlyList<ImageSource> ImageDigestSources { get; init; } = [];
}

/// <summary><c>bootstrapInPlace</c>.</summary>
public sealed record BootstrapInPlace
{
    /// <summary><c>installationDisk</c>: the disk coreos-installer writes to.</summary>
    public string? InstallationDisk { get; init; }
}

/// <summary><c>metadata</c>: only the name matters to the installer.</summary>
public sealed record ObjectMetadata
{
    /// <summary><c>metadata.name</c>: the cluster name.</summary>
    public string? Name { get; init; }
}

/// <summary><c>networking</c>.</summary>
public sealed record NetworkingConfig
{
    /// <summary><c>networkType</c>, e.g. <c>OVNKubernetes</c>.</summary>
    public string? NetworkType { get; init; }

    /// <summary><c>machineNetwork</c>: the first entry is the primary family.</summary>
    public IReadOnlyList<MachineNetworkEntry> MachineNetwork { get; init; } = [];

    /// <summary><c>clusterNetwork</c>.</summary>
    public IReadOnlyList<ClusterNetworkEntry> ClusterNetwork { get; init; } = [];

    /// <summary><c>serviceNetwork</c>: CIDR strings.</summary>
    public IReadOnlyList<string> ServiceNetwork { get; init; } = [];

    /// <summary><c>clusterNetworkMTU</c> (AWS only in the reference).</summary>
    public long? ClusterNetworkMtu { get; init; }

    /// <summary><c>ovnKubernetesConfig</c>.</summary>
    public OvnKubernetesConfig? OvnKubernetesConfig { get; init; }

    /// <summary>Deprecated <c>machineCIDR</c>.</summary>
    public string? DeprecatedMachineCidr { get; init; }

    /// <summary>Deprecated <c>serviceCIDR</c>.</summary>
    public string? DeprecatedServiceCidr { get; init; }

    /// <summary>Deprecated <c>clusterNetworks</c>.</summary>
    public IReadOnlyList<ClusterNetworkEntry> DeprecatedClusterNetworks { get; init; } = [];

    /// <summary>Deprecated <c>type</c> (the network type).</summary>
    public string? DeprecatedType { get; init; }
}

/// <summary>A <c>machineNetwork</c> entry.</summary>
public sealed record MachineNetworkEntry
{
    /// <summary><c>cidr</c>, as written.</summary>
    public string? Cidr { get; init; }
}

/// <summary>A <c>clusterNetwork</c> entry.</summary>
public sealed record ClusterNetworkEntry
{
    /// <summary><c>cidr</c>, as written.</summary>
    public string? Cidr { get; init; }

    /// <summary><c>hostPrefix</c> (0 when absent, like Go's int32).</summary>
    public int HostPrefix { get; init; }

    /// <summary>Deprecated <c>hostSubnetLength</c> (0 when absent).</summary>
    public int DeprecatedHostSubnetLength { get; init; }
}

/// <summary><c>networking.ovnKubernetesConfig</c>.</summary>
public sealed record OvnKubernetesConfig
{
    /// <summary><c>ipv4</c>.</summary>
    public OvnIPv4Config? IPv4 { get; init; }
}

/// <summary><c>networking.ovnKubernetesConfig.ipv4</c>.</summary>
public sealed record OvnIPv4Config
{
    /// <summary><c>internalJoinSubnet</c>, as written.</summary>
    public string? InternalJoinSubnet { get; init; }
}

/// <summary>A machine pool (<c>controlPlane</c> or a <c>compute</c> entry).</summary>
public sealed record MachinePool
{
    /// <summary><c>name</c>: <c>master</c> or <c>worker</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>replicas</c>; null when absent.</summary>
    public long? Replicas { get; init; }

    /// <summary><c>hyperthreading</c>: <c>Enabled</c> or <c>Disabled</c>.</summary>
    public string? Hyperthreading { get; init; }

    /// <summary><c>architecture</c>, e.g. <c>amd64</c>.</summary>
    public string? Architecture { get; init; }

    /// <summary><c>platform</c>.</summary>
    public MachinePoolPlatform Platform { get; init; } = new();
}

/// <summary>A machine pool's <c>platform</c>.</summary>
public sealed record MachinePoolPlatform
{
    /// <summary><c>openstack</c>.</summary>
    public OpenStackMachinePool? OpenStack { get; init; }

    /// <summary>Names of other platforms given here (e.g. <c>aws</c>); ShiftStack ignores their contents.</summary>
    public IReadOnlyList<string> Others { get; init; } = [];
}

/// <summary>The OpenStack settings of a machine pool (also <c>platform.openstack.defaultMachinePlatform</c>).</summary>
public sealed record OpenStackMachinePool
{
    /// <summary><c>type</c>: the Nova flavor name.</summary>
    public string? FlavorName { get; init; }

    /// <summary><c>zones</c>: Nova availability zones.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary><c>rootVolume</c>.</summary>
    public RootVolume? RootVolume { get; init; }

    /// <summary><c>additionalNetworkIDs</c>.</summary>
    public IReadOnlyList<string> AdditionalNetworkIds { get; init; } = [];

    /// <summary><c>additionalSecurityGroupIDs</c>.</summary>
    public IReadOnlyList<string> AdditionalSecurityGroupIds { get; init; } = [];

    /// <summary><c>serverGroupPolicy</c>.</summary>
    public string? ServerGroupPolicy { get; init; }
}

/// <summary><c>rootVolume</c> of an OpenStack machine pool.</summary>
public sealed record RootVolume
{
    /// <summary><c>size</c> in GB (0 when absent).</summary>
    public long Size { get; init; }

    /// <summary>Deprecated <c>type</c> (single volume type).</summary>
    public string? DeprecatedType { get; init; }

    /// <summary><c>types</c>: volume types.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary><c>zones</c>: Cinder availability zones.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];
}

/// <summary><c>platform</c>.</summary>
public sealed record Platform
{
    /// <summary><c>platform.openstack</c>.</summary>
    public OpenStackPlatform? OpenStack { get; init; }

    /// <summary>Names of other platforms given (e.g. <c>aws</c>, <c>none</c>); ShiftStack ignores their contents.</summary>
    public IReadOnlyList<string> Others { get; init; } = [];
}

/// <summary><c>platform.openstack</c>.</summary>
public sealed record OpenStackPlatform
{
    /// <summary><c>cloud</c>: entry in clouds.yaml.</summary>
    public string? Cloud { get; init; }

    /// <summary><c>externalNetwork</c>.</summary>
    public string? ExternalNetwork { get; init; }

    /// <summary>Deprecated <c>computeFlavor</c>.</summary>
    public string? DeprecatedFlavorName { get; init; }

    /// <summary><c>apiFloatingIP</c>.</summary>
    public string? ApiFloatingIP { get; init; }

    /// <summary><c>ingressFloatingIP</c>.</summary>
    public string? IngressFloatingIP { get; init; }

    /// <summary>Deprecated <c>lbFloatingIP</c>.</summary>
    public string? DeprecatedLbFloatingIP { get; init; }

    /// <summary><c>apiVIPs</c>, as written.</summary>
    public IReadOnlyList<string> ApiVips { get; init; } = [];

    /// <summary><c>ingressVIPs</c>, as written.</summary>
    public IReadOnlyList<string> IngressVips { get; init; } = [];

    /// <summary>Deprecated <c>apiVIP</c>.</summary>
    public string? DeprecatedApiVip { get; init; }

    /// <summary>Deprecated <c>ingressVIP</c>.</summary>
    public string? DeprecatedIngressVip { get; init; }

    /// <summary><c>controlPlanePort</c>: bring-your-own network.</summary>
    public PortTarget? ControlPlanePort { get; init; }

    /// <summary>Deprecated <c>machinesSubnet</c> (a subnet UUID).</summary>
    public string? DeprecatedMachinesSubnet { get; init; }

    /// <summary><c>loadBalancer</c>.</summary>
    public LoadBalancerConfig? LoadBalancer { get; init; }

    /// <summary><c>externalDNS</c>: resolver IPs, as written.</summary>
    public IReadOnlyList<string> ExternalDns { get; init; } = [];

    /// <summary><c>clusterOSImage</c>.</summary>
    public string? ClusterOSImage { get; init; }

    /// <summary><c>clusterOSImageProperties</c>.</summary>
    public IReadOnlyDictionary<string, string> ClusterOSImageProperties { get; init; } = new Dictionary<string, string>();

    /// <summary><c>defaultMachinePlatform</c>.</summary>
    public OpenStackMachinePool? DefaultMachinePlatform { get; init; }

    /// <summary>Deprecated, ignored <c>region</c>.</summary>
    public string? DeprecatedRegion { get; init; }

    /// <summary>Deprecated, ignored <c>octaviaSupport</c>.</summary>
    public string? DeprecatedOctaviaSupport { get; init; }

    /// <summary>Deprecated, ignored <c>trunkSupport</c>.</summary>
    public string? DeprecatedTrunkSupport { get; init; }
}

/// <summary><c>controlPlanePort</c> (installer type <c>PortTarget</c>).</summary>
public sealed record PortTarget
{
    /// <summary><c>network</c>.</summary>
    public NetworkFilter Network { get; init; } = new();

    /// <summary><c>fixedIPs</c>.</summary>
    public IReadOnlyList<FixedIP> FixedIPs { get; init; } = [];
}

/// <summary>A network filter: <c>{id, name}</c>.</summary>
public sealed record NetworkFilter
{
    /// <summary><c>id</c>.</summary>
    public string? Id { get; init; }

    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }
}

/// <summary>A <c>fixedIPs</c> entry: only a subnet filter (the installer has no <c>ipAddress</c>).</summary>
public sealed record FixedIP
{
    /// <summary><c>subnet</c>.</summary>
    public SubnetFilter Subnet { get; init; } = new();
}

/// <summary>A subnet filter: <c>{id, name}</c>.</summary>
public sealed record SubnetFilter
{
    /// <summary><c>id</c>.</summary>
    public string? Id { get; init; }

    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }
}

/// <summary><c>platform.openstack.loadBalancer</c>.</summary>
public sealed record LoadBalancerConfig
{
    /// <summary>The default type.</summary>
    public const string OpenShiftManagedDefault = "OpenShiftManagedDefault";

    /// <summary>User-managed load balancer.</summary>
    public const string UserManaged = "UserManaged";

    /// <summary><c>type</c>.</summary>
    public string? Type { get; init; }
}

/// <summary><c>operatorPublishingStrategy</c>: how the API server and Ingress are published with <c>publish: Mixed</c>.</summary>
public sealed record OperatorPublishingStrategy
{
    /// <summary><c>apiserver</c>: <c>External</c> (when empty) or <c>Internal</c>.</summary>
    public string? ApiServer { get; init; }

    /// <summary><c>ingress</c>: <c>External</c> (when empty) or <c>Internal</c>.</summary>
    public string? Ingress { get; init; }
}

/// <summary><c>proxy</c>.</summary>
public sealed record ProxyConfig
{
    /// <summary><c>httpProxy</c>.</summary>
    public string? HttpProxy { get; init; }

    /// <summary><c>httpsProxy</c>.</summary>
    public string? HttpsProxy { get; init; }

    /// <summary><c>noProxy</c>.</summary>
    public string? NoProxy { get; init; }
}

/// <summary><c>capabilities</c>.</summary>
public sealed record CapabilitiesConfig
{
    /// <summary><c>baselineCapabilitySet</c>.</summary>
    public string? BaselineCapabilitySet { get; init; }

    /// <summary><c>additionalEnabledCapabilities</c>.</summary>
    public IReadOnlyList<string> AdditionalEnabledCapabilities { get; init; } = [];
}

/// <summary>An <c>imageContentSources</c> / <c>imageDigestSources</c> entry.</summary>
public sealed record ImageSource
{
    /// <summary><c>source</c>.</summary>
    public string? Source { get; init; }

    /// <summary><c>mirrors</c>.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary><c>sourcePolicy</c> (imageDigestSources only).</summary>
    public string? SourcePolicy { get; init; }
}
