using ShiftStack.InstallConfig.Processing;
using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig;

/// <summary>The result of <see cref="InstallConfigProcessor.Process"/>.</summary>
/// <param name="Config">The up-converted and defaulted config (the input unchanged when up-conversion failed).</param>
/// <param name="Errors">All static validation errors (or the single up-conversion error).</param>
/// <param name="Warnings">Warnings the reference logs (e.g. Docker bridge overlap) plus ShiftStack's own.</param>
public sealed record ProcessResult(InstallConfiguration Config, FieldErrorList Errors, IReadOnlyList<FieldWarning> Warnings)
{
    /// <summary>True when there is no error.</summary>
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>
/// Up-conversion of deprecated fields, defaults and static validation, in the reference's order
/// (install-config.md §1): conversion stops at its first error; validation collects every error.
/// </summary>
public static class InstallConfigProcessor
{
    /// <summary>Runs up-conversion → defaults → static validation. Never throws for user errors.</summary>
    /// <param name="config">The loaded config.</param>
    /// <param name="environment">Environment lookup (for <c>OS_CLOUD</c>); defaults to the process environment.</param>
    public static ProcessResult Process(InstallConfiguration config, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        environment ??= Environment.GetEnvironmentVariable;

        var warnings = new List<FieldWarning>(Deprecations.Find(config));
        var converted = Conversion.Convert(config, out var conversionError, warnings);
        if (conversionError is not null)
        {
            return new ProcessResult(config, new FieldErrorList([conversionError]), warnings);
        }

        var defaulted = Defaults.Apply(converted, environment, out var defaultErrors);
        var errors = new FieldErrorList(defaultErrors);
        // A VIP that could not be defaulted is reported by Defaults; drop the then-redundant "Required" for it.
        var defaultedPaths = defaultErrors.Select(e => e.Path).ToHashSet();
        errors.AddRange(InstallConfigValidator.Validate(defaulted, warnings)
            .Where(e => !(e.Type == FieldErrorType.Required && defaultedPaths.Contains(e.Path))));
        return new ProcessResult(defaulted, errors, warnings);
    }
}
