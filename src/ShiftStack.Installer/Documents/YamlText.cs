using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ShiftStack.Installer.Documents;

/// <summary>
/// Writes a <see cref="Node"/> tree as YAML the way the reference's <c>sigs.k8s.io/yaml</c> (JSON → go-yaml v2) does:
/// every map's keys sorted in go-yaml's order, sequences not indented under their key, strings quoted only when
/// YAML 1.1 would read them as something else, multi-line strings as literal blocks.
/// </summary>
/// <remarks>
/// One deliberate difference: go-yaml v2 folds long plain scalars at 80 columns; ShiftStack never folds. Both read
/// back to the same value.
/// </remarks>
public static partial class YamlText
{
    /// <summary>The YAML text of a document (ends with a newline).</summary>
    public static string Write(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = new StringBuilder();
        switch (node)
        {
            case MapNode map when map.Entries.Count > 0:
                WriteMapBody(sb, map, 0);
                break;
            case ListNode list when list.Items.Count > 0:
                WriteListBody(sb, list, 0);
                break;
            default:
                sb.Append(Inline(node, 0)).Append('\n');
                break;
        }
        return sb.ToString();
    }

    /// <summary>Keys in go-yaml v2's order (<c>keyList.Less</c>): letters by code point, other characters before
    /// letters, runs of digits compared as numbers.</summary>
    public static IComparer<string> KeyOrder { get; } = Comparer<string>.Create(CompareKeys);

    private static void WriteMapBody(StringBuilder sb, MapNode map, int indent)
    {
        foreach (var (key, value) in map.Entries.OrderBy(e => e.Key, KeyOrder))
        {
            sb.Append(' ', indent).Append(Scalar(key, indent)).Append(':');
            WriteValueAfterKey(sb, value, indent);
        }
    }

    private static void WriteValueAfterKey(StringBuilder sb, Node value, int indent)
    {
        switch (value)
        {
            case MapNode m when m.Entries.Count > 0:
                sb.Append('\n');
                WriteMapBody(sb, m, indent + 2);
                break;
            case ListNode l when l.Items.Count > 0:
                // go-yaml v2 writes block sequences under a mapping key without extra indentation.
                sb.Append('\n');
                WriteListBody(sb, l, indent);
                break;
            default:
                sb.Append(' ').Append(Inline(value, indent)).Append('\n');
                break;
        }
    }

    private static void WriteListBody(StringBuilder sb, ListNode list, int indent)
    {
        foreach (var item in list.Items)
        {
            sb.Append(' ', indent).Append('-');
            switch (item)
            {
                case MapNode m when m.Entries.Count > 0:
                    var first = true;
                    foreach (var (key, value) in m.Entries.OrderBy(e => e.Key, KeyOrder))
                    {
                        if (first)
                        {
                            sb.Append(' ');
                            first = false;
                        }
                        else
                        {
                            sb.Append(' ', indent + 2);
                        }
                        sb.Append(Scalar(key, indent + 2)).Append(':');
                        WriteValueAfterKey(sb, value, indent + 2);
                    }
                    break;
                case ListNode l when l.Items.Count > 0:
                    sb.Append('\n');
                    WriteListBody(sb, l, indent + 2);
                    break;
                default:
                    sb.Append(' ').Append(Inline(item, indent + 2)).Append('\n');
                    break;
            }
        }
    }

    private static string Inline(Node node, int indent) => node switch
    {
        MapNode => "{}",
        ListNode => "[]",
        ScalarNode { Value: string s } => Scalar(s, indent),
        ScalarNode sc => sc.ToString(),
        _ => throw new ArgumentException("unknown node type", nameof(node)),
    };

    /// <summary>A string scalar as go-yaml v2 writes it at the given indentation.</summary>
    internal static string Scalar(string s, int indent)
    {
        if (s.Contains('\n', StringComparison.Ordinal) && CanBeLiteral(s))
        {
            return Literal(s, indent);
        }
        if (ResolvesToNonString(s) || NeedsDoubleQuotes(s))
        {
            return DoubleQuoted(s);
        }
        if (!PlainAllowed(s))
        {
            return "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        }
        return s;
    }

    private static bool CanBeLiteral(string s) =>
        s.All(c => c == '\n' || c == '\t' || (c >= ' ' && c != '\u007f')) && !s.StartsWith(' ') && !s.Contains(" \n", StringComparison.Ordinal);

    private static string Literal(string s, int indent)
    {
        var body = s;
        string chomp;
        if (!s.EndsWith('\n'))
        {
            chomp = "-";
        }
        else if (s.EndsWith("\n\n", StringComparison.Ordinal))
        {
            chomp = "+";
            body = s[..^1];
        }
        else
        {
            chomp = string.Empty;
            body = s[..^1];
        }
        var pad = new string(' ', indent + 2);
        var sb = new StringBuilder("|").Append(chomp);
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(pad).Append(line);
            }
        }
        return sb.ToString();
    }

    private static bool NeedsDoubleQuotes(string s) =>
        s.Any(c => c < ' ' || c == '\u007f' || c == '\u2028' || c == '\u2029' || c == '\ufeff');

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\u2028' || c == '\u2029' || c == '\ufeff')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    // go-yaml's emitter analysis (yaml_emitter_analyze_scalar) for block context.
    private static bool PlainAllowed(string s)
    {
        if (s.Length == 0 || s[0] == ' ' || s[^1] == ' ')
        {
            return false;
        }
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : '\0';
            var followedBySpace = next is '\0' or ' ' or '\t';
            if (i == 0)
            {
                switch (c)
                {
                    case '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                        return false;
                    case '?' or ':' or '-' when followedBySpace:
                        return false;
                }
            }
            else
            {
                if (c == ':' && followedBySpace)
                {
                    return false;
                }
                if (c == '#' && s[i - 1] == ' ')
                {
                    return false;
                }
            }
            if (c == '\t' || c > '\u007e')
            {
                // go-yaml allows printable unicode in plain scalars; tabs force quoting.
                if (c == '\t')
                {
                    return false;
                }
            }
        }
        return true;
    }

    // YAML 1.1 resolution as go-yaml v2 does it: strings that would read back as bool, null, int or float are quoted.
    private static bool ResolvesToNonString(string s)
    {
        if (s.Length == 0)
        {
            return true;
        }
        if (s is "~" or "null" or "Null" or "NULL" or "<<"
            or "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO"
            or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            or "on" or "On" or "ON" or "off" or "Off" or "OFF"
            or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF"
            or ".nan" or ".NaN" or ".NAN")
        {
            return true;
        }
        var c = s[0];
        if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }
        return IntPattern().IsMatch(s) || FloatPattern().IsMatch(s) || Base60Pattern().IsMatch(s);
    }

    [GeneratedRegex("^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60Pattern();

    private static int CompareKeys(string? a, string? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null)
        {
            return -1;
        }
        if (b is null)
        {
            return 1;
        }
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }
            var al = char.IsLetter(a[i]);
            var bl = char.IsLetter(b[i]);
            if (al && bl)
            {
                return a[i].CompareTo(b[i]);
            }
            if (al || bl)
            {
                return bl ? -1 : 1;
            }
            // Both non-letters: compare digit runs as numbers (go-yaml's natural order).
            long an = 0, bn = 0;
            if (a[i] == '0' || b[i] == '0')
            {
                for (var j = i - 1; j >= 0 && char.IsAsciiDigit(a[j]); j--)
                {
                    if (a[j] != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i, bi = i;
            for (; ai < a.Length && char.IsAsciiDigit(a[ai]); ai++)
            {
                an = (an * 10) + (a[ai] - '0');
            }
            for (; bi < b.Length && char.IsAsciiDigit(b[bi]); bi++)
            {
                bn = (bn * 10) + (b[bi] - '0');
            }
            if (an != bn)
            {
                return an.CompareTo(bn);
            }
            if (ai != bi)
            {
                return ai.CompareTo(bi);
            }
            return a[i].CompareTo(b[i]);
        }
        return a.Length.CompareTo(b.Length);
    }
}
