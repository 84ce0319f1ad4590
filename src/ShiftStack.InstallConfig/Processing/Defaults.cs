using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Defaults (install-config.md §6; reference <c>pkg/types/defaults/installconfig.go</c>, <c>machinepools.go</c> and
/// <c>pkg/types/openstack/defaults/platform.go</c>).
/// </summary>
public static class Defaults
{
    /// <summary><c>networking.machineNetwork</c> default.</summary>
    public const string MachineCidr = "10.0.0.0/16";

    /// <summary><c>networking.serviceNetwork</c> default.</summary>
    public const string ServiceCidr = "172.30.0.0/16";

    /// <summary><c>networking.clusterNetwork</c> default CIDR.</summary>
    public const string ClusterCidr = "10.128.0.0/14";

    /// <summary><c>networking.clusterNetwork</c> default hostPrefix.</summary>
    public const int HostPrefix = 23;

    /// <summary><c>networking.networkType</c> default.</summary>
    public const string NetworkType = "OVNKubernetes";

    /// <summary>Cloud name used when neither the config nor <c>OS_CLOUD</c> names one.</summary>
    public const string CloudName = "openstack";

    /// <summary>Machine pool replicas default.</summary>
    public const long Replicas = 3;

    /// <summary>
    /// Returns the defaulted config. <paramref name="errors"/> holds defaulting failures that the reference hides
    /// (it stores the error text as the VIP; ShiftStack reports it, docs/deviations.md §9).
    /// </summary>
    public static InstallConfiguration Apply(InstallConfiguration config, Func<string, string?> environment, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var errorList = new List<FieldError>();

        var n = config.Networking ?? new NetworkingConfig();
        n = n with
        {
            MachineNetwork = n.MachineNetwork.Count == 0 ? [new MachineNetworkEntry { Cidr = MachineCidr }] : n.MachineNetwork,
            NetworkType = string.IsNullOrEmpty(n.NetworkType) ? NetworkType : n.NetworkType,
            ServiceNetwork = n.ServiceNetwork.Count == 0 ? [ServiceCidr] : n.ServiceNetwork,
            ClusterNetwork = n.ClusterNetwork.Count == 0 ? [new ClusterNetworkEntry { Cidr = ClusterCidr, HostPrefix = HostPrefix }] : n.ClusterNetwork,
        };

        // The reference forces the control plane pool name to "master" and adds one "worker" pool when none is given.
        var controlPlane = PoolDefaults((config.ControlPlane ?? new MachinePool()) with { Name = "master" });
        // The arbiter pool gets the same pool defaults as the others (its name is not forced).
        var arbiter = config.Arbiter is { } a ? PoolDefaults(a) : null;
        var compute = (config.Compute.Count == 0 ? [new MachinePool { Name = "worker" }] : config.Compute)
            .Select(PoolDefaults).ToList();

        var platform = config.Platform;
        if (platform.OpenStack is { } os)
        {
            platform = platform with { OpenStack = OpenStackDefaults(os, n, environment, errorList) };
        }

        errors = errorList;
        return config with
        {
            Networking = n,
            ControlPlane = controlPlane,
            Arbiter = arbiter,
            Compute = compute,
            Platform = platform,
            Publish = string.IsNullOrEmpty(config.Publish) ? "External" : config.Publish,
            AdditionalTrustBundlePolicy = string.IsNullOrEmpty(config.AdditionalTrustBundlePolicy) ? "Proxyonly" : config.AdditionalTrustBundlePolicy,
        };
    }

    private static MachinePool PoolDefaults(MachinePool pool) => pool with
    {
        Replicas = pool.Replicas ?? Replicas,
        Hyperthreading = string.IsNullOrEmpty(pool.Hyperthreading) ? "Enabled" : pool.Hyperthreading,
        Architecture = string.IsNullOrEmpty(pool.Architecture) ? "amd64" : pool.Architecture,
    };

    private static OpenStackPlatform OpenStackDefaults(OpenStackPlatform os, NetworkingConfig n, Func<string, string?> environment, List<FieldError> errors)
    {
        var cloud = os.Cloud;
        if (string.IsNullOrEmpty(cloud))
        {
            cloud = environment("OS_CLOUD");
            if (string.IsNullOrEmpty(cloud))
            {
                cloud = CloudName;
            }
        }
        var lb = os.LoadBalancer ?? new LoadBalancerConfig { Type = LoadBalancerConfig.OpenShiftManagedDefault };
        os = os with { Cloud = cloud, LoadBalancer = lb };

        if (lb.Type == LoadBalancerConfig.UserManaged)
        {
            return os;
        }
        var basePath = FieldPath.Root("platform").Child("openstack");
        if (os.ApiVips.Count == 0 && string.IsNullOrEmpty(os.DeprecatedApiVip))
        {
            if (DefaultVip(n, 5, "API", basePath.Child("apiVIPs"), errors) is { } vip)
            {
                os = os with { ApiVips = [vip] };
            }
        }
        if (os.IngressVips.Count == 0 && string.IsNullOrEmpty(os.DeprecatedIngressVip))
        {
            if (DefaultVip(n, 7, "Ingress", basePath.Child("ingressVIPs"), errors) is { } vip)
            {
                os = os with { IngressVips = [vip] };
            }
        }
        return os;
    }

    // Host #n of machineNetwork[0], printed as Go prints it. When the host does not exist, the reference stores the
    // error text as the VIP and validation fails on it later; ShiftStack reports the defaulting error instead.
    private static string? DefaultVip(NetworkingConfig n, long host, string what, FieldPath path, List<FieldError> errors)
    {
        var first = n.MachineNetwork[0].Cidr;
        if (!Cidr.TryParse(first, out var cidr, out _))
        {
            // Validation reports the invalid machine network; there is nothing to derive a VIP from.
            return null;
        }
        if (cidr.TryHost(host, out var address, out var error))
        {
            return IpAddresses.InstallerText(address);
        }
        errors.Add(FieldError.Invalid(path, cidr.InstallerText,
            $"could not derive {what} VIP from machine networks: {error}; set {path.LastName} explicitly " +
            "(openshift-install stores this message as the VIP and fails on it later)"));
        return null;
    }
}
