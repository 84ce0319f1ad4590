using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ShiftStack.OpenStack.Core;

/// <summary>
/// Keeps secrets out of what is logged or put into messages. By structure first: the headers that carry tokens, the
/// JSON properties that carry passwords, secrets and user data, the password of a URL's user information. Then, as a
/// safety net for text that comes from elsewhere (a server's error message), <see cref="Scrub"/> removes a known
/// secret, but only one long enough that removing it can neither mangle a message nor reveal the secret by the holes
/// it leaves (<see cref="MinScrubLength"/>).
/// </summary>
public static class Redaction
{
    /// <summary>What stands in the place of a secret.</summary>
    public const string Mask = "***";

    /// <summary>
    /// The shortest secret <see cref="Scrub"/> removes from free text. A shorter one (a one-letter or a dictionary-word
    /// password) cannot be told from the words of a message: replacing it everywhere would make messages unreadable
    /// and spell the secret out by its holes. Such secrets are kept out by structure alone; generated ones (tokens,
    /// application credential secrets, the random passwords of clouds) are far longer.
    /// </summary>
    public const int MinScrubLength = 12;

    private const int MaxLoggedBody = 4096;

    private static readonly HashSet<string> SensitiveHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Auth-Token", "X-Subject-Token", "Authorization", "X-Service-Token", "Proxy-Authorization",
    };

    public static bool IsSensitiveHeader(string name) => SensitiveHeaders.Contains(name);

    /// <summary>
    /// True for JSON property names whose values are secrets. Nova: <c>adminPass</c> (server create response) and
    /// <c>user_data</c> (an Ignition pointer config can carry a token).
    /// </summary>
    public static bool IsSensitiveProperty(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Equals("adminPass", StringComparison.OrdinalIgnoreCase)
        || name.Equals("user_data", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the JSON text with the values of sensitive properties replaced by <see cref="Mask"/>, truncated for
    /// logging. Text that is not JSON is returned truncated as is (service responses only; request bodies are JSON).
    /// </summary>
    public static string ForLog(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        string text;
        try
        {
            text = RedactJson(utf8);
        }
        catch (JsonException)
        {
            text = Encoding.UTF8.GetString(utf8);
        }

        return text.Length > MaxLoggedBody ? string.Concat(text.AsSpan(0, MaxLoggedBody), $"... ({text.Length} chars)") : text;
    }

    /// <summary>
    /// Rewrites JSON replacing the values of sensitive properties by the mask. When a sensitive property holds an
    /// object or array (Keystone's <c>"password": {"user": {...}}</c>), every scalar inside is masked except
    /// <c>name</c>/<c>id</c> identifiers, so the log still says who authenticated.
    /// </summary>
    public static string RedactJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var buffer = new ArrayBufferWriter<byte>(utf8.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var depth = 0;
            var maskedFrom = -1; // depth at which a sensitive object/array started
            string? property = null;
            var pendingSensitive = false;

            bool MaskScalar() =>
                pendingSensitive || (maskedFrom >= 0 && property is not ("name" or "id"));

            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString() ?? string.Empty;
                        writer.WritePropertyName(property);
                        pendingSensitive = IsSensitiveProperty(property);
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (pendingSensitive && maskedFrom < 0)
                        {
                            maskedFrom = depth;
                        }

                        depth++;
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            writer.WriteStartObject();
                        }
                        else
                        {
                            writer.WriteStartArray();
                        }

                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        if (depth <= maskedFrom)
                        {
                            maskedFrom = -1;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            writer.WriteEndObject();
                        }
                        else
                        {
                            writer.WriteEndArray();
                        }

                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                    default:
                        if (MaskScalar())
                        {
                            writer.WriteStringValue(Mask);
                        }
                        else if (reader.TokenType == JsonTokenType.String)
                        {
                            writer.WriteStringValue(reader.GetString());
                        }
                        else
                        {
                            writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        }

                        break;
                }

                pendingSensitive = false;
                if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    property = reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray ? null : property;
                }
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The safety net for text from elsewhere: every occurrence of each secret of at least
    /// <see cref="MinScrubLength"/> characters is replaced by <see cref="Mask"/>; shorter secrets are left alone (see
    /// <see cref="MinScrubLength"/>), so that a message stays readable and says nothing of them.
    /// </summary>
    public static string Scrub(string text, params ReadOnlySpan<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= MinScrubLength)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The URL as text, with the password of its user information (<c>user:password@</c>) masked.</summary>
    public static string Url(Uri uri) => Url(uri, null);

    /// <summary>
    /// The URL up to <paramref name="part"/> (<see cref="Uri.GetLeftPart"/>), or whole when null, with the password of
    /// its user information masked.
    /// </summary>
    public static string Url(Uri uri, UriPartial? part)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var text = part is { } p && uri.IsAbsoluteUri ? uri.GetLeftPart(p) : uri.ToString();
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
        {
            return text;
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var masked = colon < 0 ? uri.UserInfo : string.Concat(uri.UserInfo.AsSpan(0, colon + 1), Mask);
        var at = text.IndexOf(uri.UserInfo + "@", StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), masked, text.AsSpan(at + uri.UserInfo.Length));
    }
}
