using System.Text;
using ShiftStack.InstallConfig.Validation;

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

    // Go's encoding/json string escaping (HTML-safe), the same as the validation messages quote values with.
    private static void AppendString(StringBuilder sb, string s) => sb.Append(GoFormat.JsonString(s));
}
