using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// One warning per deprecated field the install-config sets, at the field's own path (so at its line and column),
/// naming what replaces it. Run on the config as loaded, before up-conversion moves the values to their new fields.
/// </summary>
public static class Deprecations
{
    private static readonly FieldPath OpenStack = FieldPath.Root("platform").Child("openstack");

    /// <summary>The deprecated fields <paramref name="config"/> sets, in file order of their sections.</summary>
    public static IReadOnlyList<FieldWarning> Find(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var warnings = new List<FieldWarning>();
        void Replaced(bool set, FieldPath path, string replacement) =>
            Add(set, path, $"{path.LastName} is deprecated; use {replacement} instead (ShiftStack converts it for now)");
        void Add(bool set, FieldPath path, string message)
        {
            if (set)
            {
                warnings.Add(new FieldWarning(path, message));
            }
        }

        if (config.Networking is { } n)
        {
            var networking = FieldPath.Root("networking");
            Replaced(n.DeprecatedMachineCidr is not null, networking.Child("machineCIDR"), "networking.machineNetwork[].cidr");
            Replaced(n.DeprecatedServiceCidr is not null, networking.Child("serviceCIDR"), "networking.serviceNetwork");
            Replaced(n.DeprecatedClusterNetworks.Count > 0, networking.Child("clusterNetworks"), "networking.clusterNetwork");
            Replaced(!string.IsNullOrEmpty(n.DeprecatedType), networking.Child("type"), "networking.networkType");
            var entries = n.ClusterNetwork.Count > 0 ? (Name: "clusterNetwork", List: n.ClusterNetwork) : (Name: "clusterNetworks", List: n.DeprecatedClusterNetworks);
            for (var i = 0; i < entries.List.Count; i++)
            {
                Replaced(entries.List[i].DeprecatedHostSubnetLength != 0, networking.Child(entries.Name).Index(i).Child("hostSubnetLength"), "hostPrefix");
            }
        }

        RootVolumeType(config.ControlPlane?.Platform.OpenStack?.RootVolume, FieldPath.Root("controlPlane", "platform", "openstack", "rootVolume"));
        for (var i = 0; i < config.Compute.Count; i++)
        {
            RootVolumeType(config.Compute[i].Platform.OpenStack?.RootVolume, FieldPath.Root("compute").Index(i).Child("platform", "openstack", "rootVolume"));
        }

        if (config.Platform.OpenStack is { } os)
        {
            Replaced(!string.IsNullOrEmpty(os.DeprecatedLbFloatingIP), OpenStack.Child("lbFloatingIP"), "platform.openstack.apiFloatingIP");
            Replaced(!string.IsNullOrEmpty(os.DeprecatedFlavorName), OpenStack.Child("computeFlavor"), "platform.openstack.defaultMachinePlatform.type");
            RootVolumeType(os.DefaultMachinePlatform?.RootVolume, OpenStack.Child("defaultMachinePlatform", "rootVolume"));
            Replaced(!string.IsNullOrEmpty(os.DeprecatedApiVip), OpenStack.Child("apiVIP"), "platform.openstack.apiVIPs");
            Replaced(!string.IsNullOrEmpty(os.DeprecatedIngressVip), OpenStack.Child("ingressVIP"), "platform.openstack.ingressVIPs");
            Replaced(!string.IsNullOrEmpty(os.DeprecatedMachinesSubnet), OpenStack.Child("machinesSubnet"), "platform.openstack.controlPlanePort.fixedIPs[].subnet.id");
            Add(!string.IsNullOrEmpty(os.DeprecatedRegion), OpenStack.Child("region"),
                "region is deprecated and ignored; the region is the cloud's region_name in clouds.yaml; remove the field");
            Add(!string.IsNullOrEmpty(os.DeprecatedTrunkSupport), OpenStack.Child("trunkSupport"),
                "trunkSupport is deprecated and has no effect (openshift-install ignores it too); remove the field");
            Add(!string.IsNullOrEmpty(os.DeprecatedOctaviaSupport), OpenStack.Child("octaviaSupport"),
                "octaviaSupport is deprecated and has no effect (openshift-install ignores it too); remove the field");
        }

        return warnings;

        void RootVolumeType(RootVolume? volume, FieldPath rootVolume) =>
            Replaced(!string.IsNullOrEmpty(volume?.DeprecatedType), rootVolume.Child("type"), rootVolume.Child("types") + " (a list)");
    }
}
