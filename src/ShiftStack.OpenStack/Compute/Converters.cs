using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Compute;

/// <summary>An integer that Nova may send as <c>""</c> for zero (flavor <c>swap</c> before microversion 2.75).</summary>
internal sealed class EmptyStringAsZeroConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetInt32();
            case JsonTokenType.String:
                var text = reader.GetString();
                return string.IsNullOrWhiteSpace(text) ? 0 : int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
            case JsonTokenType.Null:
                return 0;
            default:
                throw new JsonException("expected a number or a string");
        }
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A server's <c>image</c>: <c>{"id": ...}</c>, or <c>""</c> when booted from a volume (read as null).</summary>
internal sealed class ServerImageConverter : JsonConverter<ServerImage?>
{
    public override ServerImage? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                string? id = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        throw new JsonException("unexpected token in image");
                    }

                    var name = reader.GetString();
                    reader.Read();
                    if (name == "id" && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return new ServerImage { Id = id ?? string.Empty };
            default:
                throw new JsonException("expected an object or a string for image");
        }
    }

    public override void Write(Utf8JsonWriter writer, ServerImage? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteStringValue(string.Empty);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteEndObject();
    }
}

/// <summary>The <c>networks</c> of a server create: a list of <c>{port}</c> / <c>{uuid, fixed_ip}</c>, or <c>"none"</c> when empty.</summary>
internal sealed class ServerNetworksConverter : JsonConverter<IReadOnlyList<ServerNetwork>>
{
    public override IReadOnlyList<ServerNetwork> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("server create networks are only written");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<ServerNetwork> value, JsonSerializerOptions options)
    {
        if (value.Count == 0)
        {
            writer.WriteStringValue("none");
            return;
        }

        writer.WriteStartArray();
        foreach (var network in value)
        {
            writer.WriteStartObject();
            if (network.Port is not null)
            {
                writer.WriteString("port", network.Port);
            }

            if (network.Uuid is not null)
            {
                writer.WriteString("uuid", network.Uuid);
            }

            if (network.FixedIp is not null)
            {
                writer.WriteString("fixed_ip", network.FixedIp);
            }

            if (network.Tag is not null)
            {
                writer.WriteString("tag", network.Tag);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
