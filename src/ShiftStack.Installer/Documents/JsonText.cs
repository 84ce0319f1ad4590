using System.Globalization;
using System.Text;

namespace ShiftStack.Installer.Documents;

/// <summary>
/// Writes a <see cref="Node"/> tree as compact JSON in insertion order, escaping like Go's <c>encoding/json</c>
/// (<c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 as <c>\u</c> escapes). Used for Ignition configs and
/// <c>metadata.json</c>, whose Go structs serialise fields in declaration order.
/// </summary>
public static class JsonText
{
    /// <summary>The compact JSON text (no trailing newline, like <c>json.Marshal</c>).</summary>
    public static string Write(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Node node)
    {
        switch (node)
        {
            case MapNode m:
                sb.Append('{');
                for (var i = 0; i < m.Entries.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    AppendString(sb, m.Entries[i].Key);
                    sb.Append(':');
                    Append(sb, m.Entries[i].Value);
                }
                sb.Append('}');
                break;
            case ListNode l:
                sb.Append('[');
                for (var i = 0; i < l.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    Append(sb, l.Items[i]);
                }
                sb.Append(']');
                break;
            case ScalarNode { Value: string s }:
                AppendString(sb, s);
                break;
            case ScalarNode sc:
                sb.Append(sc.ToString());
                break;
            default:
                throw new ArgumentException("unknown node type", nameof(node));
        }
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
