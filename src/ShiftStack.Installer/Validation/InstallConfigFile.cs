using ShiftStack.InstallConfig;

namespace ShiftStack.Installer.Validation;

/// <summary>
/// The install-config of an installation directory after loading, up-conversion, defaults and static validation —
/// the first asset every command starts from.
/// </summary>
/// <param name="Path">The file that was read.</param>
/// <param name="Config">The converted and defaulted config, or <c>null</c> when it could not be loaded.</param>
/// <param name="Source">Field positions in the file, for pointing at lines.</param>
/// <param name="Findings">Errors and warnings, in file order for loader findings, then rule order.</param>
public sealed record InstallConfigFile(
    string Path,
    InstallConfiguration? Config,
    SourceMap? Source,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The file name every command looks for in <c>--dir</c>.</summary>
    public const string FileName = "install-config.yaml";

    /// <summary>True when the config loaded and no rule found an error.</summary>
    public bool IsValid => Config is not null && !Findings.Any(f => f.Severity == FindingSeverity.Error);

    /// <summary>The errors only.</summary>
    public IEnumerable<Finding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error);

    /// <summary>The warnings only.</summary>
    public IEnumerable<Finding> Warnings => Findings.Where(f => f.Severity == FindingSeverity.Warning);

    /// <summary>
    /// Reads <c>install-config.yaml</c> from <paramref name="directory"/> and runs the reference's processing order:
    /// load, up-convert, defaults, static validation. Never throws for bad input; every problem is a finding.
    /// </summary>
    /// <param name="directory">The installation directory.</param>
    /// <param name="environment">Environment lookup (for <c>OS_CLOUD</c>); the process environment by default.</param>
    public static InstallConfigFile Load(string directory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = System.IO.Path.Combine(directory, FileName);
        if (!Directory.Exists(directory))
        {
            return Failed(path, $"directory not found: {directory} (pass the installation directory that holds {FileName} with --dir)");
        }
        if (Directory.Exists(path))
        {
            return Failed(path, $"{path} is a directory, not a file: the install-config must be a file named {FileName} in {directory}");
        }
        if (!File.Exists(path))
        {
            return Failed(path, $"{path} not found: write an {FileName} in that directory (see examples/ for a starting point)");
        }

        return Process(path, InstallConfigLoader.LoadFile(path), environment);
    }

    /// <summary>
    /// Like <see cref="Load"/> for install-config text found elsewhere than in <c>install-config.yaml</c> (the JSON
    /// config inside openshift-install's state file is YAML too); positions name <paramref name="path"/>.
    /// </summary>
    public static InstallConfigFile LoadText(string text, string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        return Process(path, InstallConfigLoader.LoadText(text, path), environment);
    }

    private static InstallConfigFile Process(string path, LoadResult loaded, Func<string, string?>? environment)
    {
        var findings = loaded.Diagnostics.Select(Finding.From).ToList();
        if (!loaded.Succeeded || loaded.Config is null)
        {
            return new InstallConfigFile(path, null, loaded.Source, findings);
        }

        var processed = InstallConfigProcessor.Process(loaded.Config, environment);
        findings.AddRange(processed.Errors.Select(e => Finding.From(e, loaded.Source)));
        findings.AddRange(processed.Warnings.Select(w => Finding.From(w, loaded.Source)));
        return new InstallConfigFile(path, processed.Config, loaded.Source, findings);
    }

    private static InstallConfigFile Failed(string path, string message) =>
        new(path, null, null, [Finding.Problem(message)]);
}
