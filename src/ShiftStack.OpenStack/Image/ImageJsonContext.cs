using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Image;

/// <summary>Source-generated JSON metadata for Glance (AOT-friendly; unknown fields are kept in extension data).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GlanceImage))]
[JsonSerializable(typeof(ImageListPage))]
[JsonSerializable(typeof(ImageCreateOptions))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
