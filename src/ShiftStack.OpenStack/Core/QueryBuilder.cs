using System.Globalization;
using System.Text;

namespace ShiftStack.OpenStack.Core;

/// <summary>Builds a URL query string; repeated keys are kept (Neutron ORs them).</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _sb = new();

    public QueryBuilder Add(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_sb.Length > 0)
        {
            _sb.Append('&');
        }

        _sb.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryBuilder Add(string key, int? value) =>
        value is null ? this : Add(key, value.Value.ToString(CultureInfo.InvariantCulture));

    public QueryBuilder Add(string key, bool? value) =>
        value is null ? this : Add(key, value.Value ? "true" : "false");

    public QueryBuilder AddAll(string key, IEnumerable<string>? values)
    {
        if (values is not null)
        {
            foreach (var value in values)
            {
                Add(key, value);
            }
        }

        return this;
    }

    public QueryBuilder AddJoined(string key, IEnumerable<string>? values)
    {
        if (values is not null)
        {
            var list = values.ToList();
            if (list.Count > 0)
            {
                Add(key, string.Join(',', list));
            }
        }

        return this;
    }

    public override string ToString() => _sb.ToString();
}
