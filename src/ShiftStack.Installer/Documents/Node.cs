using System.Globalization;

namespace ShiftStack.Installer.Documents;

/// <summary>
/// A tiny JSON/YAML document model: maps, lists and scalars. Generators build these trees the way the reference's Go
/// structs serialise (<c>omitempty</c> decided by the builder); <see cref="YamlText"/> and <see cref="JsonText"/> write
/// them. No reflection, so it stays AOT-friendly.
/// </summary>
public abstract class Node
{
    /// <summary>A string scalar.</summary>
    public static implicit operator Node(string value) => new ScalarNode(value);

    /// <summary>An integer scalar.</summary>
    public static implicit operator Node(long value) => new ScalarNode(value);

    /// <summary>An integer scalar.</summary>
    public static implicit operator Node(int value) => new ScalarNode((long)value);

    /// <summary>A boolean scalar.</summary>
    public static implicit operator Node(bool value) => new ScalarNode(value);

    /// <summary>The <c>null</c> scalar.</summary>
    public static Node Null { get; } = new ScalarNode(null);

    /// <summary>A list of strings.</summary>
    public static ListNode Strings(IEnumerable<string> values) => new(values.Select(v => (Node)v));
}

/// <summary>A scalar: string, long, bool or null.</summary>
public sealed class ScalarNode : Node
{
    internal ScalarNode(object? value) => Value = value;

    /// <summary>The value (<see cref="string"/>, <see cref="long"/>, <see cref="bool"/> or null).</summary>
    public object? Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => (string)Value,
    };
}

/// <summary>A list.</summary>
public sealed class ListNode : Node
{
    private readonly List<Node> _items;

    /// <summary>An empty list, or one holding <paramref name="items"/>.</summary>
    public ListNode(IEnumerable<Node>? items = null) => _items = items is null ? [] : [.. items];

    /// <summary>The items.</summary>
    public IReadOnlyList<Node> Items => _items;

    /// <summary>Appends an item.</summary>
    public ListNode Add(Node item)
    {
        _items.Add(item);
        return this;
    }
}

/// <summary>
/// A map with string keys, kept in insertion order (JSON writes that order; YAML sorts like the reference's
/// <c>sigs.k8s.io/yaml</c>). Adding a key twice replaces the value.
/// </summary>
public sealed class MapNode : Node
{
    private readonly List<KeyValuePair<string, Node>> _entries = [];

    /// <summary>The entries in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, Node>> Entries => _entries;

    /// <summary>The value of a key, or null.</summary>
    public Node? this[string key] => _entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>Sets a key (always emitted, like a Go field without <c>omitempty</c>).</summary>
    public MapNode Add(string key, Node value)
    {
        var i = _entries.FindIndex(e => e.Key == key);
        if (i >= 0)
        {
            _entries[i] = new(key, value);
        }
        else
        {
            _entries.Add(new(key, value));
        }
        return this;
    }

    /// <summary>Sets a string key unless the value is null or empty (Go <c>omitempty</c>).</summary>
    public MapNode AddString(string key, string? value) => string.IsNullOrEmpty(value) ? this : Add(key, value);

    /// <summary>Sets a key when <paramref name="value"/> is not null.</summary>
    public MapNode AddOptional(string key, Node? value) => value is null ? this : Add(key, value);

    /// <summary>Sets a list of strings unless it is empty (Go <c>omitempty</c>).</summary>
    public MapNode AddStrings(string key, IEnumerable<string>? values)
    {
        var list = values?.ToList() ?? [];
        return list.Count == 0 ? this : Add(key, Strings(list));
    }

    /// <summary>Sets a list unless it is empty (Go <c>omitempty</c>).</summary>
    public MapNode AddList(string key, IEnumerable<Node>? values)
    {
        var list = values?.ToList() ?? [];
        return list.Count == 0 ? this : Add(key, new ListNode(list));
    }

    /// <summary>Sets an integer unless it is zero (Go <c>omitempty</c>).</summary>
    public MapNode AddNonZero(string key, long value) => value == 0 ? this : Add(key, value);

    /// <summary>Sets a boolean only when true (Go <c>omitempty</c> on a plain bool).</summary>
    public MapNode AddTrue(string key, bool value) => value ? Add(key, true) : this;

    /// <summary>A map of string values (Go <c>map[string]string</c>).</summary>
    public static MapNode FromStrings(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new MapNode();
        foreach (var (k, v) in values)
        {
            map.Add(k, v);
        }
        return map;
    }
}
