using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Static validation (install-config.md §7) in the order of the reference's <c>ValidateInstallConfig</c>.
/// Never throws; returns every error.
/// </summary>
public static class InstallConfigValidator
{
    /// <summary>Returns every error; warnings are appended to <paramref name="warnings"/>.</summary>
    /// <param name="config">An up-converted and defaulted config.</param>
    /// <param name="warnings">Receives warnings (the reference logs them).</param>
    public static FieldErrorList Validate(InstallConfiguration config, List<FieldWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(warnings);
        var errors = new FieldErrorList();

        if (string.IsNullOrEmpty(config.ApiVersion))
        {
            errors.Add(FieldError.Required(FieldPath.Root("apiVersion"), "install-config version required"));
            return errors;
        }
        if (config.ApiVersion != "v1")
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("apiVersion"), config.ApiVersion, "install-config version must be \"v1\""));
            return errors;
        }

        GenericRules.ValidateSshKey(config, errors);
        GenericRules.ValidateTrustBundle(config, errors);
        GenericRules.ValidateNameAndDomain(config, errors);

        ParsedNetworks? parsed = null;
        if (config.Networking is { } n)
        {
            parsed = new ParsedNetworks(n);
            NetworkingRules.ValidateNetworking(n, parsed, errors, warnings);
            NetworkingRules.ValidateIPVersion(n, parsed, errors, warnings);
            NetworkingRules.ValidateClusterNetworkMtu(n, errors);
            if (config.Platform.OpenStack is { } vipPlatform)
            {
                VipRules.Validate(vipPlatform, parsed, errors);
            }
            NetworkingRules.ValidateOvnKubernetesConfig(n, parsed, errors);
        }
        else
        {
            errors.Add(FieldError.Required(FieldPath.Root("networking"), "networking is required"));
        }

        GenericRules.ValidatePlatformChoice(config.Platform, errors);
        if (config.Platform.OpenStack is { } os)
        {
            OpenStackRules.Validate(os, errors);
            if (parsed is not null)
            {
                VipRules.DualStackRequirements(os, parsed, errors);
            }
        }

        if (config.ControlPlane is { } cp)
        {
            MachinePoolRules.ValidateControlPlane(cp, errors);
        }
        else
        {
            errors.Add(FieldError.Required(FieldPath.Root("controlPlane"), "controlPlane is required"));
        }
        if (config.Arbiter is { } arbiter)
        {
            MachinePoolRules.ValidateArbiter(config, arbiter, errors);
        }
        MachinePoolRules.ValidateCompute(config.ControlPlane, config.Compute, errors);

        GenericRules.ValidatePullSecret(config.PullSecret, errors);
        if (config.Proxy is { } proxy)
        {
            GenericRules.ValidateProxy(proxy, config.Networking, parsed, errors);
        }
        GenericRules.ValidatePublishAndCredentials(config, warnings, errors);
        if (config.Capabilities is { } caps)
        {
            GenericRules.ValidateCapabilityNames(caps, errors);
        }
        GenericRules.ValidatePublishStrategy(config, errors);
        if (config.Capabilities is { } enabledCaps)
        {
            GenericRules.ValidateEnabledCapabilities(enabledCaps, errors);
        }
        GenericRules.ValidateFeatureSet(config, errors);
        return errors;
    }
}
