using System.Text;
using System.Text.Json;

namespace ShiftStack.OpenStack.Core;

/// <summary>
/// Reads the error bodies of the OpenStack services into (type, message):
/// Neutron <c>{"NeutronError": {"type", "message", "detail"}}</c>; Keystone and keystonemiddleware
/// <c>{"error": {"code", "title", "message"}}</c>; Nova <c>{"itemNotFound": {"code", "message"}}</c> (any single fault
/// key); anything else as plain text.
/// </summary>
internal static class ErrorBody
{
    private const int MaxTextMessage = 500;

    public static (string? Type, string Message) Parse(ReadOnlySpan<byte> body, string? reasonPhrase)
    {
        if (body.IsEmpty)
        {
            return (null, reasonPhrase ?? "no error body");
        }

        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("NeutronError", out var neutron))
                {
                    return FromNeutron(neutron, reasonPhrase);
                }

                if (root.TryGetProperty("error", out var keystone) && keystone.ValueKind == JsonValueKind.Object)
                {
                    var title = Str(keystone, "title");
                    var message = Str(keystone, "message") ?? title ?? reasonPhrase ?? "error";
                    return (title, message);
                }

                foreach (var property in root.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Object && Str(property.Value, "message") is { } msg)
                    {
                        return (property.Name, msg);
                    }
                }

                if (Str(root, "message") is { } plain)
                {
                    return (Str(root, "type") ?? Str(root, "title"), plain);
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to text
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length > MaxTextMessage)
        {
            text = text[..MaxTextMessage] + "...";
        }

        return (null, text.Length == 0 ? reasonPhrase ?? "error" : text);
    }

    private static (string? Type, string Message) FromNeutron(JsonElement neutron, string? reasonPhrase)
    {
        if (neutron.ValueKind == JsonValueKind.String)
        {
            // very old servers: {"NeutronError": "message"}
            return (null, neutron.GetString() ?? reasonPhrase ?? "error");
        }

        var type = Str(neutron, "type");
        var message = Str(neutron, "message") ?? reasonPhrase ?? "error";
        var detail = Str(neutron, "detail");
        if (!string.IsNullOrEmpty(detail))
        {
            message = $"{message} ({detail})";
        }

        return (type, message);
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
}
