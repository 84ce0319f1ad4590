using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.Installer.Validation;

/// <summary>Whether a finding stops the installation.</summary>
public enum FindingSeverity
{
    /// <summary>Reported, but the install-config is still usable.</summary>
    Warning,

    /// <summary>The install-config must be fixed.</summary>
    Error,
}

/// <summary>
/// One problem reported to the user, whatever found it: the YAML loader, the static rules or the cloud checks.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Field">The install-config field path (reference spelling), if the problem belongs to a field.</param>
/// <param name="Type">The k8s error type name (<c>Invalid</c>, <c>Required</c>, …) for field errors.</param>
/// <param name="Value">The offending value, for field errors that carry one.</param>
/// <param name="Detail">The detail text.</param>
/// <param name="Message">The whole message as the reference prints it (<c>path: Invalid value: "x": detail</c>).</param>
/// <param name="Position">Where in the file the problem is, if known.</param>
public sealed record Finding(
    FindingSeverity Severity,
    string? Field,
    string? Type,
    object? Value,
    string Detail,
    string Message,
    SourcePosition? Position)
{
    /// <summary>A finding from a field error, located in the source map when it has no position yet.</summary>
    public static Finding From(FieldError error, SourceMap? source)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Finding(FindingSeverity.Error, error.Path.ToString(), error.Type.ToString(), error.BadValue,
            error.Detail, error.ToString(), error.Position ?? source?.Find(error.Path));
    }

    /// <summary>A finding from a field warning.</summary>
    public static Finding From(FieldWarning warning, SourceMap? source)
    {
        ArgumentNullException.ThrowIfNull(warning);
        return new Finding(FindingSeverity.Warning, warning.Path.IsEmpty ? null : warning.Path.ToString(), null, null,
            warning.Message, warning.ToString(), warning.Position ?? source?.Find(warning.Path));
    }

    /// <summary>A finding from a loader diagnostic (YAML syntax, types, unknown fields).</summary>
    public static Finding From(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var path = diagnostic.Path is null || diagnostic.Path.IsEmpty ? null : diagnostic.Path.ToString();
        var message = path is null ? diagnostic.Message : path + ": " + diagnostic.Message;
        return new Finding(diagnostic.IsError ? FindingSeverity.Error : FindingSeverity.Warning, path, null, null,
            diagnostic.Message, message, diagnostic.Position);
    }

    /// <summary>An error about the input as a whole (a missing directory, an unreadable file).</summary>
    public static Finding Problem(string message, SourcePosition? position = null) =>
        new(FindingSeverity.Error, null, null, null, message, message, position);
}
