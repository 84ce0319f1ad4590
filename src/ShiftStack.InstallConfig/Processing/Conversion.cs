using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Up-conversion of deprecated fields (install-config.md §5; reference <c>pkg/types/conversion/installconfig.go</c>).
/// Stops at the first error, like the reference.
/// </summary>
public static class Conversion
{
    /// <summary>Install-config versions the reference can up-convert.</summary>
    public static IReadOnlyList<string> ConvertibleVersions { get; } = ["v1", "v1beta3", "v1beta4"];

    /// <summary>
    /// Returns the converted config (apiVersion set to v1); <paramref name="error"/> is the first error, if any.
    /// <paramref name="notes"/> receives ShiftStack's notes about deliberate deviations.
    /// </summary>
    public static InstallConfiguration Convert(InstallConfiguration config, out FieldError? error, List<FieldWarning>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        error = null;
        switch (config.ApiVersion)
        {
            case "v1" or "v1beta3" or "v1beta4":
                break;
            case null or "":
                error = FieldError.Required(FieldPath.Root("apiVersion"), "no version was provided");
                return config;
            default:
                error = FieldError.Invalid(FieldPath.Root("apiVersion"), config.ApiVersion, $"cannot upconvert from version {config.ApiVersion}");
                return config;
        }

        var result = config with { Networking = ConvertNetworking(config.Networking) };

        // The reference converts the platform returned by Platform.Name(), the first non-nil platform in
        // alphabetical order; OpenStack is converted only when no platform sorting before it is set.
        if (result.Platform.OpenStack is not null && !result.Platform.Others.Any(o => string.CompareOrdinal(o, "openstack") < 0))
        {
            result = ConvertOpenStack(result, out error, notes);
            if (error is not null)
            {
                return config;
            }
        }

        return result with { ApiVersion = "v1" };
    }

    private static NetworkingConfig? ConvertNetworking(NetworkingConfig? n)
    {
        if (n is null)
        {
            return null;
        }
        var clusterNetwork = n.ClusterNetwork.Count == 0 ? n.DeprecatedClusterNetworks : n.ClusterNetwork;
        var machineNetwork = n.MachineNetwork.Count == 0 && n.DeprecatedMachineCidr is not null
            ? [new MachineNetworkEntry { Cidr = n.DeprecatedMachineCidr }]
            : n.MachineNetwork;
        var serviceNetwork = n.ServiceNetwork.Count == 0 && n.DeprecatedServiceCidr is not null
            ? [n.DeprecatedServiceCidr]
            : n.ServiceNetwork;
        var networkType = string.IsNullOrEmpty(n.NetworkType) ? n.DeprecatedType : n.NetworkType;
        if (string.Equals(networkType, "OpenShiftSDN", StringComparison.OrdinalIgnoreCase))
        {
            networkType = "OpenShiftSDN";
        }
        if (string.Equals(networkType, "OVNKubernetes", StringComparison.OrdinalIgnoreCase))
        {
            networkType = "OVNKubernetes";
        }
        // hostSubnetLength → hostPrefix = address bits − hostSubnetLength, where hostPrefix is unset.
        var converted = clusterNetwork.Select(e =>
        {
            if (e.HostPrefix == 0 && e.DeprecatedHostSubnetLength != 0 && Cidr.TryParse(e.Cidr, out var cidr, out _))
            {
                return e with { HostPrefix = cidr.AddressBits - e.DeprecatedHostSubnetLength };
            }
            return e;
        }).ToList();
        return n with
        {
            ClusterNetwork = converted,
            MachineNetwork = machineNetwork,
            ServiceNetwork = serviceNetwork,
            NetworkType = networkType,
        };
    }

    private static readonly FieldPath OpenStackPath = FieldPath.Root("platform").Child("openstack");

    private static InstallConfiguration ConvertOpenStack(InstallConfiguration config, out FieldError? error, List<FieldWarning>? notes)
    {
        error = null;
        var os = config.Platform.OpenStack!;

        // 1. lbFloatingIP → apiFloatingIP.
        if (!string.IsNullOrEmpty(os.DeprecatedLbFloatingIP))
        {
            if (string.IsNullOrEmpty(os.ApiFloatingIP))
            {
                os = os with { ApiFloatingIP = os.DeprecatedLbFloatingIP };
            }
            else if (os.DeprecatedLbFloatingIP != os.ApiFloatingIP)
            {
                error = FieldError.Forbidden(OpenStackPath.Child("lbFloatingIP"), "cannot specify lbFloatingIP and apiFloatingIP together");
                return config;
            }
        }

        // 2. computeFlavor → defaultMachinePlatform.type.
        if (!string.IsNullOrEmpty(os.DeprecatedFlavorName))
        {
            var dmp = os.DefaultMachinePlatform ?? new OpenStackMachinePool();
            if (!string.IsNullOrEmpty(dmp.FlavorName) && dmp.FlavorName != os.DeprecatedFlavorName)
            {
                error = FieldError.Forbidden(OpenStackPath.Child("computeFlavor"), "cannot specify computeFlavor and type in defaultMachinePlatform together");
                return config;
            }
            os = os with { DefaultMachinePlatform = dmp with { FlavorName = os.DeprecatedFlavorName } };
        }

        // 3. rootVolume.type → rootVolume.types (control plane, compute pools, defaultMachinePlatform).
        var controlPlane = config.ControlPlane;
        if (controlPlane?.Platform.OpenStack?.RootVolume is { DeprecatedType: { Length: > 0 } } cpVolume)
        {
            if (cpVolume.Types.Count > 0)
            {
                error = FieldError.Forbidden(FieldPath.Root("controlPlane", "platform", "openstack", "rootVolume", "type"),
                    "cannot specify type and types in rootVolume together");
                return config;
            }
            controlPlane = controlPlane with
            {
                Platform = controlPlane.Platform with
                {
                    OpenStack = controlPlane.Platform.OpenStack with { RootVolume = ConvertVolumeType(cpVolume) },
                },
            };
        }
        var compute = new List<MachinePool>(config.Compute.Count);
        foreach (var pool in config.Compute)
        {
            if (pool.Platform.OpenStack?.RootVolume is { DeprecatedType: { Length: > 0 } } volume)
            {
                if (volume.Types.Count > 0)
                {
                    // The reference reports this without the pool index.
                    error = FieldError.Forbidden(FieldPath.Root("compute", "platform", "openstack", "rootVolume", "type"),
                        "cannot specify type and types in rootVolume together");
                    return config;
                }
                compute.Add(pool with
                {
                    Platform = pool.Platform with { OpenStack = pool.Platform.OpenStack with { RootVolume = ConvertVolumeType(volume) } },
                });
            }
            else
            {
                compute.Add(pool);
            }
        }
        if (os.DefaultMachinePlatform?.RootVolume is { DeprecatedType: { Length: > 0 } } dmpVolume)
        {
            if (dmpVolume.Types.Count > 0)
            {
                // The reference reports this at platform.openstack.type.
                error = FieldError.Forbidden(OpenStackPath.Child("type"), "cannot specify type and types in defaultMachinePlatform together");
                return config;
            }
            os = os with { DefaultMachinePlatform = os.DefaultMachinePlatform with { RootVolume = ConvertVolumeType(dmpVolume) } };
        }

        // 4. apiVIP → apiVIPs, ingressVIP → ingressVIPs.
        var apiVips = UpconvertVip(os.ApiVips, os.DeprecatedApiVip, "apiVIP", "apiVIPs", out error, notes);
        if (error is not null)
        {
            return config;
        }
        var ingressVips = UpconvertVip(os.IngressVips, os.DeprecatedIngressVip, "ingressVIP", "ingressVIPs", out error, notes);
        if (error is not null)
        {
            return config;
        }
        os = os with { ApiVips = apiVips, IngressVips = ingressVips };

        // 5. machinesSubnet → controlPlanePort.
        var machinesSubnet = os.DeprecatedMachinesSubnet;
        if (!string.IsNullOrEmpty(machinesSubnet))
        {
            if (os.ControlPlanePort is null)
            {
                os = os with
                {
                    ControlPlanePort = new PortTarget { FixedIPs = [new FixedIP { Subnet = new SubnetFilter { Id = machinesSubnet } }] },
                };
            }
            else if (!(os.ControlPlanePort.FixedIPs.Count == 1 && os.ControlPlanePort.FixedIPs[0].Subnet.Id == machinesSubnet))
            {
                error = FieldError.Invalid(OpenStackPath.Child("machinesSubnet"), machinesSubnet,
                    "machinesSubnet is deprecated; only controlPlanePort needs to be specified");
                return config;
            }
        }

        return config with
        {
            ControlPlane = controlPlane,
            Compute = compute,
            Platform = config.Platform with { OpenStack = os },
        };
    }

    private static RootVolume ConvertVolumeType(RootVolume volume) =>
        volume with { Types = [volume.DeprecatedType!], DeprecatedType = null };

    /// <summary>
    /// Copies the deprecated single VIP into the list when the list is empty; when both are set, the list must
    /// contain the old value.
    /// </summary>
    /// <remarks>
    /// Deliberate deviation (docs/deviations.md §2): the reference passes the field names swapped for OpenStack and
    /// reports <c>platform.openstack.apiVIPs: Invalid value: "&lt;apiVIP&gt;": apiVIPs is deprecated; only apiVIP needs
    /// to be specified</c>. ShiftStack reports the deprecated field with the names the right way round
    /// (<c>platform.openstack.apiVIP: ... apiVIP is deprecated; only apiVIPs needs to be specified</c>), adds a
    /// warning saying how openshift-install words it, and compares addresses semantically (<c>fd00::5</c> matches
    /// <c>FD00::5</c>), where the reference compares strings.
    /// </remarks>
    private static IReadOnlyList<string> UpconvertVip(IReadOnlyList<string> vips, string? oldVip, string oldName, string newName,
        out FieldError? error, List<FieldWarning>? notes)
    {
        error = null;
        if (string.IsNullOrEmpty(oldVip))
        {
            return vips;
        }
        if (vips.Count == 0)
        {
            return [oldVip];
        }
        if (vips.Any(v => SameVip(v, oldVip)))
        {
            return vips;
        }
        var path = OpenStackPath.Child(oldName);
        error = FieldError.Invalid(path, oldVip, $"{oldName} is deprecated; only {newName} needs to be specified");
        notes?.Add(new FieldWarning(path,
            $"ShiftStack differs from openshift-install here: openshift-install reports this error as " +
            $"\"platform.openstack.{newName}: Invalid value: {GoFormat.Quote(oldVip)}: {newName} is deprecated; only {oldName} needs to be specified\" " +
            "(field names swapped) and compares the addresses as strings"));
        return vips;
    }

    private static bool SameVip(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }
        return IpAddresses.TryParse(a, out var x) && IpAddresses.TryParse(b, out var y) && IpAddresses.SemanticEquals(x, y);
    }
}
