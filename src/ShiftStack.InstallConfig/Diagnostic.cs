using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig;

/// <summary>Severity of a loader <see cref="Diagnostic"/>.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The file loads, but something is ignored (e.g. an unknown field).</summary>
    Warning,
    /// <summary>The file cannot be used.</summary>
    Error,
}

/// <summary>A problem found while reading the install-config file.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong; never contains the pull secret.</param>
/// <param name="Path">The field path, when the problem belongs to a field.</param>
/// <param name="Position">File, line and column, when known.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Message, FieldPath? Path, SourcePosition? Position)
{
    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary><c>file:line:column: error: path: message</c>.</summary>
    public override string ToString()
    {
        var where = Position is null ? string.Empty : Position + ": ";
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var path = Path is null || Path.IsEmpty ? string.Empty : Path + ": ";
        return $"{where}{severity}: {path}{Message}";
    }
}

/// <summary>The result of loading an install-config file.</summary>
/// <param name="Config">The model; null when the file could not be read at all (see <see cref="Diagnostics"/>).</param>
/// <param name="Source">Positions of every field that was read.</param>
/// <param name="Diagnostics">Errors and warnings, in file order.</param>
public sealed record LoadResult(InstallConfiguration? Config, SourceMap Source, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the file loaded without errors (warnings are allowed).</summary>
    public bool Succeeded => Config is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>Only the errors.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    /// <summary>Only the warnings.</summary>
    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
