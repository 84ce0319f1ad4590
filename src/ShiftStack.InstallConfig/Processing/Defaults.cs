using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>Defaults (install-config.md §6).</summary>
public static class Defaults
{
    /// <summary>Returns the defaulted config.</summary>
    public static InstallConfiguration Apply(InstallConfiguration config, Func<string, string?> environment, out IReadOnlyList<FieldError> errors)
    {
        errors = [];
        return config;
    }
}
