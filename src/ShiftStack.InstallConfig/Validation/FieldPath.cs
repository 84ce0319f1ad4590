using System.Text;

namespace ShiftStack.InstallConfig.Validation;

/// <summary>
/// An immutable path to a field of the install-config, printed like Kubernetes' <c>field.Path</c>:
/// <c>platform.openstack.apiVIPs[1]</c>, <c>platform.openstack.clusterOSImageProperties[key]</c>.
/// </summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    private readonly FieldPath? _parent;
    private readonly string _name;   // child name or map key
    private readonly int _index;     // list index when _kind == Index
    private readonly Kind _kind;
    private readonly int _depth;

    private enum Kind { Root, Child, Index, Key }

    private FieldPath(FieldPath? parent, Kind kind, string name, int index)
    {
        _parent = parent;
        _kind = kind;
        _name = name;
        _index = index;
        _depth = parent is null ? 1 : parent._depth + 1;
    }

    /// <summary>The empty path (the document itself). Prints as the empty string.</summary>
    public static FieldPath Empty { get; } = new(null, Kind.Root, string.Empty, 0);

    /// <summary>Starts a path at a top-level field, e.g. <c>FieldPath.Root("platform")</c>.</summary>
    public static FieldPath Root(string name, params string[] moreNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = new FieldPath(null, Kind.Root, name, 0);
        foreach (var n in moreNames)
        {
            path = path.Child(n);
        }
        return path;
    }

    /// <summary>The parent path, or null for a root.</summary>
    public FieldPath? Parent => _parent;

    /// <summary>Number of elements in the path.</summary>
    public int Depth => _depth;

    /// <summary>True for the empty path.</summary>
    public bool IsEmpty => _kind == Kind.Root && _name.Length == 0;

    /// <summary>A child field: <c>a.b</c>.</summary>
    public FieldPath Child(string name, params string[] moreNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = IsEmpty ? new FieldPath(null, Kind.Root, name, 0) : new FieldPath(this, Kind.Child, name, 0);
        foreach (var n in moreNames)
        {
            path = path.Child(n);
        }
        return path;
    }

    /// <summary>A list element: <c>a[1]</c>.</summary>
    public FieldPath Index(int index) => new(this, Kind.Index, string.Empty, index);

    /// <summary>A map entry: <c>a[key]</c>.</summary>
    public FieldPath Key(string key) => new(this, Kind.Key, key, 0);

    /// <summary>The last element's name (child name or key); empty for an index.</summary>
    public string LastName => _kind is Kind.Index ? string.Empty : _name;

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsEmpty)
        {
            return string.Empty;
        }
        var elements = new List<FieldPath>(_depth);
        for (var p = this; p is not null; p = p._parent)
        {
            elements.Add(p);
        }
        var sb = new StringBuilder();
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var e = elements[i];
            switch (e._kind)
            {
                case Kind.Root:
                    sb.Append(e._name);
                    break;
                case Kind.Child:
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }
                    sb.Append(e._name);
                    break;
                case Kind.Index:
                    sb.Append('[').Append(e._index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                    break;
                case Kind.Key:
                    sb.Append('[').Append(e._name).Append(']');
                    break;
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FieldPath p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
