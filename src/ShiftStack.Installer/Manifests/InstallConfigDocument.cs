using ShiftStack.InstallConfig;
using ShiftStack.Installer.Documents;

namespace ShiftStack.Installer.Manifests;

/// <summary>
/// The processed install-config as the reference marshals its Go <c>InstallConfig</c> struct (JSON field names,
/// <c>omitempty</c> fields left out), for the <c>cluster-config-v1</c> ConfigMap.
/// </summary>
public static class InstallConfigDocument
{
    /// <summary>The document with <c>pullSecret</c> emptied (reference <c>redactedInstallConfig</c>); the SSH public
    /// key stays, as in the reference.</summary>
    public static MapNode Redacted(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var doc = new MapNode()
            .AddString("apiVersion", config.ApiVersion)
            .AddString("kind", config.Kind)
            .Add("metadata", new MapNode().Add("creationTimestamp", Node.Null).AddString("name", config.Metadata.Name))
            .AddString("additionalTrustBundle", config.AdditionalTrustBundle)
            .AddString("additionalTrustBundlePolicy", config.AdditionalTrustBundlePolicy)
            .AddString("sshKey", config.SshKey)
            .Add("baseDomain", config.BaseDomain ?? string.Empty)
            .AddString("publish", config.Publish)
            .AddTrue("fips", config.Fips)
            .AddString("cpuPartitioningMode", config.CpuPartitioningMode)
            .AddString("credentialsMode", config.CredentialsMode)
            .AddString("featureSet", config.FeatureSet)
            .AddStrings("featureGates", config.FeatureGates)
            .Add("platform", Platform(config.Platform))
            .Add("pullSecret", string.Empty);
        if (config.Networking is { } n)
        {
            doc.Add("networking", new MapNode()
                .AddString("networkType", n.NetworkType)
                .AddList("machineNetwork", n.MachineNetwork.Select(m => (Node)new MapNode().Add("cidr", m.Cidr ?? string.Empty)))
                .AddList("clusterNetwork", n.ClusterNetwork.Select(c => (Node)new MapNode().Add("cidr", c.Cidr ?? string.Empty).AddNonZero("hostPrefix", c.HostPrefix)))
                .AddStrings("serviceNetwork", n.ServiceNetwork)
                .AddNonZero("clusterNetworkMTU", n.ClusterNetworkMtu ?? 0)
                .AddOptional("ovnKubernetesConfig", n.OvnKubernetesConfig?.IPv4?.InternalJoinSubnet is { Length: > 0 } join
                    ? new MapNode().Add("ipv4", new MapNode().Add("internalJoinSubnet", join))
                    : null));
        }
        if (config.ControlPlane is { } cp)
        {
            doc.Add("controlPlane", Pool(cp));
        }
        doc.AddList("compute", config.Compute.Select(p => (Node)Pool(p)));
        if (config.Proxy is { } proxy)
        {
            doc.Add("proxy", new MapNode().AddString("httpProxy", proxy.HttpProxy).AddString("httpsProxy", proxy.HttpsProxy).AddString("noProxy", proxy.NoProxy));
        }
        if (config.Capabilities is { } caps)
        {
            doc.Add("capabilities", new MapNode()
                .Add("baselineCapabilitySet", caps.BaselineCapabilitySet ?? string.Empty)
                .AddStrings("additionalEnabledCapabilities", caps.AdditionalEnabledCapabilities));
        }
        if (config.BootstrapInPlace is { } bip)
        {
            doc.Add("bootstrapInPlace", new MapNode().Add("installationDisk", bip.InstallationDisk ?? string.Empty));
        }
        doc.AddList("imageContentSources", config.ImageContentSources.Select(ImageSource));
        doc.AddList("imageDigestSources", config.ImageDigestSources.Select(ImageSource));
        return doc;
    }

    private static Node ImageSource(ImageSource s) => new MapNode()
        .Add("source", s.Source ?? string.Empty)
        .AddStrings("mirrors", s.Mirrors)
        .AddString("sourcePolicy", s.SourcePolicy);

    private static MapNode Pool(MachinePool pool)
    {
        var platform = new MapNode();
        if (pool.Platform.OpenStack is { } os)
        {
            platform.Add("openstack", OpenStackPool(os));
        }
        var map = new MapNode()
            .Add("name", pool.Name ?? string.Empty)
            .Add("platform", platform)
            .AddString("hyperthreading", pool.Hyperthreading)
            .AddString("architecture", pool.Architecture);
        if (pool.Replicas is { } replicas)
        {
            map.Add("replicas", replicas);
        }
        return map;
    }

    private static MapNode OpenStackPool(OpenStackMachinePool pool)
    {
        var map = new MapNode()
            .Add("type", pool.FlavorName ?? string.Empty)
            .AddStrings("additionalNetworkIDs", pool.AdditionalNetworkIds)
            .AddStrings("additionalSecurityGroupIDs", pool.AdditionalSecurityGroupIds)
            .AddStrings("zones", pool.Zones)
            .AddString("serverGroupPolicy", pool.ServerGroupPolicy);
        if (pool.RootVolume is { } rv)
        {
            map.Add("rootVolume", new MapNode()
                .Add("size", rv.Size)
                .AddString("type", rv.DeprecatedType)
                .AddStrings("types", rv.Types)
                .AddStrings("zones", rv.Zones));
        }
        return map;
    }

    private static MapNode Platform(Platform platform)
    {
        var map = new MapNode();
        if (platform.OpenStack is not { } os)
        {
            return map;
        }
        var p = new MapNode()
            .AddString("region", os.DeprecatedRegion)
            .Add("cloud", os.Cloud ?? string.Empty)
            .AddString("externalNetwork", os.ExternalNetwork)
            .AddString("computeFlavor", os.DeprecatedFlavorName)
            .AddString("lbFloatingIP", os.DeprecatedLbFloatingIP)
            .AddString("apiFloatingIP", os.ApiFloatingIP)
            .AddString("ingressFloatingIP", os.IngressFloatingIP)
            // ExternalDNS has no omitempty in the installer's Platform type: an unset list is written as null.
            .Add("externalDNS", os.ExternalDns.Count == 0 ? Node.Null : Node.Strings(os.ExternalDns))
            .AddString("clusterOSImage", os.ClusterOSImage)
            .AddStrings("apiVIPs", os.ApiVips)
            .AddStrings("ingressVIPs", os.IngressVips)
            .AddString("apiVIP", os.DeprecatedApiVip)
            .AddString("ingressVIP", os.DeprecatedIngressVip)
            .AddString("machinesSubnet", os.DeprecatedMachinesSubnet)
            .AddString("octaviaSupport", os.DeprecatedOctaviaSupport)
            .AddString("trunkSupport", os.DeprecatedTrunkSupport);
        if (os.ClusterOSImageProperties.Count > 0)
        {
            p.Add("clusterOSImageProperties", MapNode.FromStrings(os.ClusterOSImageProperties));
        }
        if (os.DefaultMachinePlatform is { } dmp)
        {
            p.Add("defaultMachinePlatform", OpenStackPool(dmp));
        }
        if (os.LoadBalancer is { } lb)
        {
            p.Add("loadBalancer", new MapNode().AddString("type", lb.Type));
        }
        if (os.ControlPlanePort is { } port)
        {
            p.Add("controlPlanePort", new MapNode()
                .Add("network", new MapNode().AddString("id", port.Network.Id).AddString("name", port.Network.Name))
                .AddList("fixedIPs", port.FixedIPs.Select(f => (Node)new MapNode()
                    .Add("subnet", new MapNode().AddString("id", f.Subnet.Id).AddString("name", f.Subnet.Name)))));
        }
        return map.Add("openstack", p);
    }
}
