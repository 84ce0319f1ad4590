using System.Globalization;
using System.Text.RegularExpressions;
using ShiftStack.InstallConfig.Validation;
using YamlDotNet.Core;

namespace ShiftStack.InstallConfig.Loading;

/// <summary>
/// Reads typed values out of the YAML tree, recording every position in the <see cref="SourceMap"/> and every
/// problem as a <see cref="Diagnostic"/>. Never throws for user errors. Plain scalars are resolved as go-yaml v2
/// (YAML 1.1) does, because the reference converts YAML to JSON with it before unmarshalling into Go types: an
/// unquoted <c>123</c> or <c>yes</c> is not a string there.
/// </summary>
internal sealed partial class ConfigReader
{
    private readonly SourceMap _source;
    private readonly List<Diagnostic> _diagnostics;

    public ConfigReader(SourceMap source, List<Diagnostic> diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    public SourcePosition PositionOf(Mark mark) => new(_source.FileName, (int)mark.Line, (int)mark.Column);

    public void Record(FieldPath path, YNode node) => _source.Record(path, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(FieldPath path, YNode node, string message) =>
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, message, path, PositionOf(node.Start)));

    public void Warning(FieldPath path, YNode node, string message) =>
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, message, path, PositionOf(node.Start)));

    private enum ScalarKind { Null, Bool, Int, Float, String }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    private static ScalarKind Resolve(YScalar s)
    {
        if (s.Tag is { } tag)
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" => ScalarKind.String,
                "tag:yaml.org,2002:int" => ScalarKind.Int,
                "tag:yaml.org,2002:bool" => ScalarKind.Bool,
                "tag:yaml.org,2002:float" => ScalarKind.Float,
                "tag:yaml.org,2002:null" => ScalarKind.Null,
                _ => ScalarKind.String,
            };
        }
        if (!s.IsPlain)
        {
            return ScalarKind.String;
        }
        var v = s.Value;
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ScalarKind.Null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON"
                or "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return ScalarKind.Bool;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                return ScalarKind.Float;
        }
        if (TryParseGoInt(v, out _))
        {
            return ScalarKind.Int;
        }
        if (FloatPattern().IsMatch(v.Replace("_", string.Empty, StringComparison.Ordinal)))
        {
            return ScalarKind.Float;
        }
        return ScalarKind.String;
    }

    // strconv.ParseInt(s, 0, 64) after removing '_' (go-yaml v2), plus the 0b prefix.
    private static bool TryParseGoInt(string text, out long value)
    {
        value = 0;
        var s = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (s.Length == 0)
        {
            return false;
        }
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 0)
        {
            return false;
        }
        var radix = 10;
        if (s.Length > 2 && s[0] == '0' && (s[1] is 'x' or 'X'))
        {
            radix = 16;
            s = s[2..];
        }
        else if (s.Length > 2 && s[0] == '0' && (s[1] is 'b' or 'B'))
        {
            radix = 2;
            s = s[2..];
        }
        else if (s.Length > 2 && s[0] == '0' && (s[1] is 'o' or 'O'))
        {
            radix = 8;
            s = s[2..];
        }
        else if (s.Length > 1 && s[0] == '0')
        {
            radix = 8;
            s = s[1..];
        }
        System.Numerics.BigInteger acc = 0;
        foreach (var c in s)
        {
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }
            acc = (acc * radix) + d;
            if (acc > long.MaxValue + (System.Numerics.BigInteger)1)
            {
                return false;
            }
        }
        if (negative)
        {
            acc = -acc;
        }
        if (acc < long.MinValue || acc > long.MaxValue)
        {
            return false;
        }
        value = (long)acc;
        return true;
    }

    private static string Describe(YNode node) => node switch
    {
        YScalar s => Resolve(s) switch
        {
            ScalarKind.Bool => "a boolean",
            ScalarKind.Int => "a number",
            ScalarKind.Float => "a number",
            ScalarKind.Null => "null",
            _ => "a string",
        },
        _ => node.KindName,
    };

    private static bool IsNull(YNode? node) => node is null || (node is YScalar s && Resolve(s) == ScalarKind.Null);

    /// <summary>A string field. Null for absent or null values.</summary>
    public string? String(YNode? node, FieldPath path)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is YScalar s && Resolve(s) == ScalarKind.String)
        {
            return s.Value;
        }
        Error(path, node!, $"expected a string, got {Describe(node!)}" + (node is YScalar ? " (quote the value to make it a string)" : string.Empty));
        return null;
    }

    /// <summary>An integer field within [min, max]. Null for absent, null or invalid values.</summary>
    public long? Integer(YNode? node, FieldPath path, long min, long max)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is YScalar s)
        {
            var kind = Resolve(s);
            if (kind == ScalarKind.Int && TryParseGoInt(s.Value, out var v))
            {
                if (v < min || v > max)
                {
                    Error(path, node, string.Create(CultureInfo.InvariantCulture, $"integer {v} is out of range [{min}, {max}]"));
                    return null;
                }
                return v;
            }
            if (kind == ScalarKind.Float && double.TryParse(s.Value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && Math.Floor(d) == d && d >= min && d <= max)
            {
                // go-yaml turns 3.0 into the JSON number 3, which Go unmarshals into an integer.
                return (long)d;
            }
        }
        Error(path, node!, $"expected an integer, got {Describe(node!)}");
        return null;
    }

    /// <summary>A boolean field. Null for absent, null or invalid values.</summary>
    public bool? Boolean(YNode? node, FieldPath path)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is YScalar s && Resolve(s) == ScalarKind.Bool)
        {
            return s.Value is "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON"
                || (s.Tag is not null && s.Value.Equals("true", StringComparison.OrdinalIgnoreCase));
        }
        Error(path, node!, $"expected a boolean, got {Describe(node!)}");
        return null;
    }

    /// <summary>A list; each item read by <paramref name="item"/>. Items that fail are left out.</summary>
    public IReadOnlyList<T> List<T>(YNode? node, FieldPath path, Func<YNode, FieldPath, T?> item)
    {
        if (IsNull(node))
        {
            return [];
        }
        if (node is not YSequence seq)
        {
            Error(path, node!, $"expected a list, got {Describe(node!)}");
            return [];
        }
        var result = new List<T>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var itemPath = path.Index(i);
            Record(itemPath, seq.Items[i]);
            var value = item(seq.Items[i], itemPath);
            if (value is not null)
            {
                result.Add(value);
            }
        }
        return result;
    }

    /// <summary>A list of strings. A null item becomes the empty string, like Go's JSON decoder.</summary>
    public IReadOnlyList<string> StringList(YNode? node, FieldPath path) =>
        List(node, path, (n, p) => String(n, p) ?? string.Empty);

    /// <summary>A string-to-string map (e.g. <c>clusterOSImageProperties</c>).</summary>
    public IReadOnlyDictionary<string, string> StringMap(YNode? node, FieldPath path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var m = Mapping(node, path, openKeys: true);
        if (m is null)
        {
            return result;
        }
        foreach (var key in m.Keys)
        {
            var value = String(m.Get(key), path.Key(key));
            result[key] = value ?? string.Empty;
        }
        return result;
    }

    /// <summary>A mapping with known keys. Null for absent or null values, or when the node is not a mapping.</summary>
    /// <param name="node">The node to read.</param>
    /// <param name="path">Its field path.</param>
    /// <param name="openKeys">True for free-form maps (no unknown-field warnings, keys recorded as <c>[key]</c>).</param>
    public MappingView? Mapping(YNode? node, FieldPath path, bool openKeys = false)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is not YMapping mapping)
        {
            Error(path, node!, $"expected a mapping, got {Describe(node!)}");
            return null;
        }
        return new MappingView(this, mapping, path, openKeys);
    }

    /// <summary>A view of one mapping: tracks which keys were read so that the rest can be reported as unknown.</summary>
    internal sealed class MappingView
    {
        private readonly ConfigReader _reader;
        private readonly FieldPath _path;
        private readonly Dictionary<string, (YNode Key, YNode Value)> _entries = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public MappingView(ConfigReader reader, YMapping mapping, FieldPath path, bool openKeys)
        {
            _reader = reader;
            _path = path;
            var merges = new List<YNode>();
            foreach (var (keyNode, valueNode) in mapping.Entries)
            {
                if (keyNode is not YScalar keyScalar)
                {
                    reader.Error(path, keyNode, $"mapping keys must be strings, got {keyNode.KindName}");
                    continue;
                }
                if (keyScalar.IsPlain && keyScalar.Value == "<<")
                {
                    merges.Add(valueNode);
                    continue;
                }
                var key = keyScalar.Value;
                var childPath = openKeys ? path.Key(key) : path.Child(key);
                if (_entries.TryGetValue(key, out var first))
                {
                    reader.Error(childPath, keyNode, string.Create(CultureInfo.InvariantCulture,
                        $"duplicate key \"{key}\" (first defined at line {first.Key.Start.Line}, column {first.Key.Start.Column})"));
                    continue;
                }
                _entries[key] = (keyNode, valueNode);
                _order.Add(key);
                reader.Record(childPath, keyNode);
            }
            // YAML 1.1 merge keys ("<<: *anchor"), as go-yaml v2 supports: explicit keys win.
            foreach (var merge in merges)
            {
                var sources = merge switch
                {
                    YMapping m => [m],
                    YSequence s when s.Items.All(i => i is YMapping) => s.Items.Cast<YMapping>().ToList(),
                    _ => null,
                };
                if (sources is null)
                {
                    reader.Error(path, merge, "map merge requires a mapping or a list of mappings");
                    continue;
                }
                foreach (var src in sources)
                {
                    foreach (var (k, v) in src.Entries)
                    {
                        if (k is YScalar ks && !_entries.ContainsKey(ks.Value))
                        {
                            _entries[ks.Value] = (k, v);
                            _order.Add(ks.Value);
                            reader.Record(openKeys ? path.Key(ks.Value) : path.Child(ks.Value), k);
                        }
                    }
                }
            }
        }

        public IReadOnlyList<string> Keys
        {
            get
            {
                foreach (var k in _order)
                {
                    _read.Add(k);
                }
                return _order;
            }
        }

        public bool Has(string key) => _entries.ContainsKey(key);

        public FieldPath PathOf(string key) => _path.Child(key);

        public YNode? Get(string key)
        {
            _read.Add(key);
            return _entries.TryGetValue(key, out var e) ? e.Value : null;
        }

        public string? String(string key) => _reader.String(Get(key), PathOf(key));

        public long? Integer(string key, long min, long max) => _reader.Integer(Get(key), PathOf(key), min, max);

        public bool? Boolean(string key) => _reader.Boolean(Get(key), PathOf(key));

        public IReadOnlyList<string> StringList(string key) => _reader.StringList(Get(key), PathOf(key));

        public MappingView? Mapping(string key) => _reader.Mapping(Get(key), PathOf(key));

        public IReadOnlyList<T> List<T>(string key, Func<YNode, FieldPath, T?> item) => _reader.List(Get(key), PathOf(key), item);

        /// <summary>Warns at <paramref name="key"/>'s position when the key is present.</summary>
        public void Warn(string key, string message)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                _reader.Warning(PathOf(key), e.Key, message);
            }
        }

        /// <summary>Marks keys as known but not used by ShiftStack; warns when present.</summary>
        public void Unsupported(params string[] keys)
        {
            foreach (var key in keys)
            {
                if (_entries.TryGetValue(key, out var e))
                {
                    _read.Add(key);
                    _reader.Warning(PathOf(key), e.Key, $"field \"{key}\" is not used by ShiftStack and is ignored");
                }
            }
        }

        /// <summary>Reads and discards known keys that need no handling (e.g. <c>kind</c>).</summary>
        public void Ignore(params string[] keys)
        {
            foreach (var key in keys)
            {
                _read.Add(key);
            }
        }

        /// <summary>Warns about every key that was not read.</summary>
        public void Finish()
        {
            foreach (var key in _order)
            {
                if (!_read.Contains(key))
                {
                    var nearest = NearMiss.Closest(key, _read);
                    _reader.Warning(PathOf(key), _entries[key].Key, nearest is null
                        ? $"unknown field \"{key}\" (ignored)"
                        : $"unknown field \"{key}\" (ignored): {NearMiss.Phrase} \"{nearest}\"?");
                }
            }
        }
    }
}

/// <summary>
/// The known field an unknown one is a misspelling of: the same but for case, or at most two edits away (one for
/// short names), e.g. <c>machineNetworks</c> for <c>machineNetwork</c>.
/// </summary>
public static class NearMiss
{
    /// <summary>How a suggestion is worded; warnings holding it are printed before the errors they cause.</summary>
    public const string Phrase = "did you mean";

    /// <summary>The closest of <paramref name="known"/> to <paramref name="key"/>, or null when none is close.</summary>
    public static string? Closest(string key, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        var allowed = key.Length <= 4 ? 1 : 2;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known.Order(StringComparer.Ordinal))
        {
            var distance = string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(key, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
