using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Machine pool rules (reference <c>pkg/types/validation/machinepools.go</c>, <c>validateControlPlane</c>,
/// <c>validateCompute</c>, and the OpenStack pool check in <c>pkg/types/openstack/validation/machinepool.go</c>).
/// </summary>
internal static class MachinePoolRules
{
    // The reference builds these lists from Go maps (random order); ShiftStack prints them sorted.
    private static readonly string[] HyperthreadingValues = ["Disabled", "Enabled"];
    private static readonly string[] ArchitectureValues = ["amd64", "arm64", "ppc64le", "s390x"];
    private static readonly string[] ServerGroupPolicies = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"];

    public static void ValidateControlPlane(MachinePool pool, FieldErrorList errors)
    {
        var path = FieldPath.Root("controlPlane");
        if (pool.Name != "master")
        {
            errors.Add(FieldError.NotSupported(path.Child("name"), pool.Name ?? string.Empty, ["master"]));
        }
        if (pool.Replicas == 0)
        {
            errors.Add(FieldError.Invalid(path.Child("replicas"), pool.Replicas, "number of control plane replicas must be positive"));
        }
        ValidatePool(pool, path, errors);
    }

    /// <summary>
    /// <c>arbiter</c> (<c>ValidateInstallConfig</c> and <c>validateArbiter</c> in installconfig.go): without the
    /// HighlyAvailableArbiter feature gate the pool is forbidden; with it, the pool is judged (bare metal only, named
    /// <c>arbiter</c>, at least one replica, at least two control-plane replicas) and validated as any pool.
    /// </summary>
    public static void ValidateArbiter(InstallConfiguration config, MachinePool arbiter, FieldErrorList errors)
    {
        var path = FieldPath.Root("arbiter");
        if (!FeatureGates.Enabled(config, FeatureGates.HighlyAvailableArbiter))
        {
            errors.Add(FieldError.Forbidden(path, FeatureGates.HighlyAvailableArbiter + " feature must be enabled in order to use arbiter cluster deployment"));
            return;
        }
        // Every platform but bare metal is refused, and ShiftStack validates no bare-metal config.
        errors.Add(FieldError.NotSupported(path.Child("platform"), GenericRules.PlatformName(config.Platform), ["baremetal"]));
        if (arbiter.Name != "arbiter")
        {
            errors.Add(FieldError.NotSupported(path.Child("name"), arbiter.Name ?? string.Empty, ["arbiter"]));
        }
        if (arbiter.Replicas == 0)
        {
            errors.Add(FieldError.Invalid(path.Child("replicas"), arbiter.Replicas, "number of arbiter replicas must be positive"));
        }
        if (config.ControlPlane?.Replicas is not >= 2)
        {
            // Sic: the value is the control plane's replica count, at the arbiter's path.
            errors.Add(FieldError.Invalid(path.Child("replicas"), config.ControlPlane?.Replicas, "number of controlPlane replicas must be at least 2 for arbiter deployments"));
        }
        ValidatePool(arbiter, path, errors);
    }

    public static void ValidateCompute(MachinePool? controlPlane, IReadOnlyList<MachinePool> pools, FieldErrorList errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i];
            var path = FieldPath.Root("compute").Index(i);
            var name = pool.Name ?? string.Empty;
            switch (name)
            {
                case "worker":
                    break;
                case "edge":
                    // Edge pools are AWS-only.
                    errors.Add(FieldError.NotSupported(path.Child("name"), name, ["worker"]));
                    break;
                default:
                    errors.Add(FieldError.NotSupported(path.Child("name"), name, ["worker", "edge"]));
                    break;
            }
            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(path.Child("name"), name));
            }
            if (controlPlane is not null && controlPlane.Architecture != pool.Architecture)
            {
                // Sic: "heteregeneous" is the reference's spelling.
                errors.Add(FieldError.Invalid(path.Child("architecture"), pool.Architecture ?? string.Empty,
                    "heteregeneous multi-arch is not supported; compute pool architecture must match control plane"));
            }
            ValidatePool(pool, path, errors);
        }
    }

    private static void ValidatePool(MachinePool pool, FieldPath path, FieldErrorList errors)
    {
        if (pool.Replicas is { } replicas)
        {
            if (replicas < 0)
            {
                errors.Add(FieldError.Invalid(path.Child("replicas"), replicas, "number of replicas must not be negative"));
            }
        }
        else
        {
            errors.Add(FieldError.Required(path.Child("replicas"), "replicas is required"));
        }
        if (pool.Hyperthreading is not ("Enabled" or "Disabled"))
        {
            errors.Add(FieldError.NotSupported(path.Child("hyperthreading"), pool.Hyperthreading ?? string.Empty, HyperthreadingValues));
        }
        if (!ArchitectureValues.Contains(pool.Architecture))
        {
            errors.Add(FieldError.NotSupported(path.Child("architecture"), pool.Architecture ?? string.Empty, ArchitectureValues));
        }
        var platformPath = path.Child("platform");
        foreach (var other in pool.Platform.Others)
        {
            // ShiftStack wording (the reference prints the pool platform struct as the value here).
            errors.Add(FieldError.Forbidden(platformPath.Child(other), $"cannot specify \"{other}\" for machine pool when cluster is using \"openstack\""));
        }
        if (pool.Platform.OpenStack is { } os)
        {
            ValidateOpenStackPool(os, platformPath.Child("openstack"), errors);
        }
    }

    /// <summary>
    /// The static OpenStack machine-pool check: <c>serverGroupPolicy</c> must be empty or one of the Nova policies.
    /// Flavors, zones, root volumes and additional networks/security groups are checked against the cloud
    /// (pre-flight), not here.
    /// </summary>
    public static void ValidateOpenStackPool(OpenStackMachinePool pool, FieldPath path, FieldErrorList errors)
    {
        if (!string.IsNullOrEmpty(pool.ServerGroupPolicy) && !ServerGroupPolicies.Contains(pool.ServerGroupPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("serverGroupPolicy"), pool.ServerGroupPolicy, ServerGroupPolicies));
        }
    }
}
