using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Preflight.Rules;

namespace ShiftStack.Installer.Preflight;

/// <summary>The verdict of the pre-flight rules.</summary>
/// <param name="Errors">Every error, in rule order (the reference's checks first, in its order).</param>
/// <param name="Warnings">Warnings (ShiftStack's own; the reference's pre-flight has none).</param>
public sealed record PreflightResult(FieldErrorList Errors, IReadOnlyList<FieldWarning> Warnings)
{
    /// <summary>True when no rule found an error.</summary>
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>
/// The pre-flight rules: pure functions of the install-config and the <see cref="CloudInfo"/> fetched once by
/// <see cref="CloudInfoCollector"/>. They run in the reference's order (preflight.md §2: controlPlanePort, external
/// network, floating IPs, VIPs versus allocation pools; then validate.go's machine pools, control plane first),
/// then ShiftStack's own checks, whose messages end with a
/// <see cref="ShiftStackCheck"/> marker: API extensions, VIPs inside their subnets, VIP ports, IPv6 address modes and
/// routers, quotas. Every error is reported at once; the reference's early return after the externalDNS error is not
/// reproduced (docs/deviations.md §9).
/// </summary>
public static class PreflightValidator
{
    /// <summary>Runs every rule.</summary>
    /// <param name="config">The defaulted, statically valid install-config.</param>
    /// <param name="cloud">The cloud facts.</param>
    /// <returns>Errors and warnings.</returns>
    public static PreflightResult Validate(InstallConfiguration config, CloudInfo cloud)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(cloud);
        var errors = new FieldErrorList();
        var warnings = new List<FieldWarning>();
        if (config.Platform.OpenStack is null)
        {
            return new PreflightResult(errors, warnings);
        }

        var context = new PreflightContext(config, cloud, errors, warnings);

        // The reference's checks, in its order (preflight.md §2).
        ControlPlanePortRules.Validate(context);
        ExternalNetworkRules.Validate(context);
        FloatingIpRules.Validate(context);
        AllocationPoolRules.Validate(context);
        MachinePoolRules.Validate(context);

        // ShiftStack's own checks.
        ExtensionRules.Validate(context);
        VipSubnetRules.Validate(context);
        VipPortRules.Validate(context);
        Ipv6SubnetRules.Validate(context);
        QuotaRules.Validate(context);
        return new PreflightResult(errors, warnings);
    }
}
