using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig;

/// <summary>
/// Where each field of a loaded install-config is in the source file, keyed by field path
/// (e.g. <c>platform.openstack.controlPlanePort.fixedIPs[1].subnet</c>).
/// </summary>
public sealed class SourceMap
{
    private readonly Dictionary<string, SourcePosition> _positions = new(StringComparer.Ordinal);

    /// <summary>An empty map for the given file name.</summary>
    public SourceMap(string fileName) => FileName = fileName ?? throw new ArgumentNullException(nameof(fileName));

    /// <summary>The file the positions refer to.</summary>
    public string FileName { get; }

    /// <summary>Number of recorded paths.</summary>
    public int Count => _positions.Count;

    /// <summary>All recorded paths and positions.</summary>
    public IReadOnlyDictionary<string, SourcePosition> Positions => _positions;

    internal void Record(FieldPath path, int line, int column)
    {
        _positions.TryAdd(path.ToString(), new SourcePosition(FileName, line, column));
    }

    /// <summary>The position of exactly this path, or null.</summary>
    public SourcePosition? Get(FieldPath path) => _positions.TryGetValue(path.ToString(), out var p) ? p : null;

    /// <summary>
    /// The position of the path or of its closest existing parent (e.g. a defaulted <c>platform.openstack.apiVIPs</c>
    /// resolves to <c>platform.openstack</c>). Null only when nothing was recorded, not even the document.
    /// </summary>
    public SourcePosition? Find(FieldPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (FieldPath? p = path; p is not null; p = p.Parent)
        {
            if (_positions.TryGetValue(p.ToString(), out var position))
            {
                return position;
            }
        }
        return _positions.TryGetValue(string.Empty, out var root) ? root : null;
    }

    /// <summary>Returns a copy of the errors with <see cref="FieldError.Position"/> filled from this map.</summary>
    public FieldErrorList Locate(IEnumerable<FieldError> errors) =>
        new(errors.Select(e => e.Position is null ? e with { Position = Find(e.Path) } : e));

    /// <summary>Returns a copy of the warnings with <see cref="FieldWarning.Position"/> filled from this map.</summary>
    public IReadOnlyList<FieldWarning> Locate(IEnumerable<FieldWarning> warnings) =>
        warnings.Select(w => w.Position is null ? w with { Position = Find(w.Path) } : w).ToList();
}
