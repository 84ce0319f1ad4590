using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Core;

/// <summary>An enumeration-like value backed by an open set of strings (the service may return values this library does not know).</summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface IStringValue<TSelf>
    where TSelf : struct, IStringValue<TSelf>
{
    /// <summary>The wire value.</summary>
    string Value { get; }

    /// <summary>Creates a value from its wire text.</summary>
    static abstract TSelf FromValue(string value);
}

/// <summary>JSON converter for <see cref="IStringValue{TSelf}"/> structs (AOT-friendly: no reflection).</summary>
internal sealed class StringValueConverter<T> : JsonConverter<T>
    where T : struct, IStringValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => T.FromValue(reader.GetString() ?? string.Empty),
            JsonTokenType.Number => T.FromValue(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => throw new JsonException($"expected a string for {typeof(T).Name}"),
        };

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
