using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>Static validation (install-config.md §7).</summary>
public static class InstallConfigValidator
{
    /// <summary>Returns every error; warnings are appended to <paramref name="warnings"/>.</summary>
    public static FieldErrorList Validate(InstallConfiguration config, List<FieldWarning> warnings) => new();
}
