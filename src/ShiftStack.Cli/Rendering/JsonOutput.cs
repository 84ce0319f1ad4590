using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ShiftStack.OpenStack;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// The JSON document every command prints with <c>-o json</c>: one object on standard output, indented, non-ASCII and
/// quotes left readable (values are shown to people too), ended by a newline.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one object whose members <paramref name="body"/> writes to the command's standard output.</summary>
    public static void Write(CliConsole console, Action<Utf8JsonWriter> body)
    {
        console.Out.Write(ToText(body));
        console.Out.Flush();
    }

    /// <summary>Writes one object whose members <paramref name="body"/> writes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Action<Utf8JsonWriter> body)
    {
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    /// <summary>The document as text.</summary>
    public static string ToText(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        Write(buffer, body);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An array of strings.</summary>
    public static void WriteStrings(this Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>A string, or <c>null</c>.</summary>
    public static void WriteNullable(this Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary><c>requestsByKind</c>: each request kind (<c>service METHOD path</c>) and how often it was made.</summary>
    public static void WriteRequestCounts(this Utf8JsonWriter json, string name, IReadOnlyDictionary<RequestKey, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, count) in counts.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
        {
            json.WriteNumber(key.ToString(), count);
        }

        json.WriteEndObject();
    }
}
