using ShiftStack.InstallConfig;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Assets;

/// <summary>What every OpenStack generator reads: the processed install-config, the identity, the merged pools and
/// the cloud facts.</summary>
/// <param name="Config">The converted and defaulted install-config.</param>
/// <param name="Identity">Cluster name, infraID, cluster UUID.</param>
/// <param name="Pools">The merged machine pools.</param>
/// <param name="Facts">The cloud facts.</param>
public sealed record ClusterInputs(InstallConfiguration Config, ClusterIdentity Identity, ResolvedPools Pools, CloudFacts Facts)
{
    /// <summary>The MAPI/CAPO cloud name inside the clouds secret.</summary>
    public const string CloudName = "openstack";

    /// <summary><c>platform.openstack</c>.</summary>
    public OpenStackPlatform OpenStack => Config.Platform.OpenStack!;

    /// <summary>The infraID.</summary>
    public string InfraId => Identity.InfraId;

    /// <summary><c>&lt;metadata.name&gt;.&lt;baseDomain&gt;</c>.</summary>
    public string ClusterDomain => $"{Config.Metadata.Name}.{Config.BaseDomain}";

    /// <summary>
    /// The Glance image name: <c>clusterOSImage</c> when it names an existing image, else
    /// <c>&lt;infraID&gt;-rhcos</c> (reference <c>GenerateOpenStackImageName</c>).
    /// </summary>
    public string ImageName
    {
        get
        {
            var image = OpenStack.ClusterOSImage;
            if (string.IsNullOrEmpty(image) || image.StartsWith('/') || Uri.TryCreate(image, UriKind.Absolute, out _))
            {
                return InfraId + "-rhcos";
            }
            return image;
        }
    }

    /// <summary>The <c>openshiftClusterID=&lt;infraID&gt;</c> tag.</summary>
    public string ClusterTag => "openshiftClusterID=" + InfraId;

    /// <summary>Two service networks: the HEAD condition for the dual-stack MachineConfigs.</summary>
    public bool HasTwoServiceNetworks => Config.Networking!.ServiceNetwork.Count == 2;

    /// <summary>Exactly one machine network, and it is IPv6 (the <c>configDrive</c> condition).</summary>
    public bool IsSingleStackIpv6 =>
        Config.Networking!.MachineNetwork.Count == 1
        && Cidr.TryParse(Config.Networking.MachineNetwork[0].Cidr, out var c, out _) && c.Family == IpFamily.IPv6;

    /// <summary>Machine networks of both families (dual-stack nodes).</summary>
    public bool IsDualStackMachineNetwork
    {
        get
        {
            var cidrs = Config.Networking!.MachineNetwork
                .Select(m => Cidr.TryParse(m.Cidr, out var c, out _) ? c : (Cidr?)null)
                .Where(c => c is not null).Select(c => c!.Value).ToList();
            return CidrList.HasBothFamilies(cidrs);
        }
    }

    /// <summary>True unless the load balancer is <c>UserManaged</c>.</summary>
    public bool HasManagedLoadBalancer => OpenStack.LoadBalancer?.Type != LoadBalancerConfig.UserManaged;
}
