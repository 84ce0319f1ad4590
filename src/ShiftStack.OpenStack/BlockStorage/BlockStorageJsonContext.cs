using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.BlockStorage;

/// <summary>Source-generated JSON metadata for Cinder (AOT-friendly; unknown fields are kept in extension data).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(List<VolumeType>))]
[JsonSerializable(typeof(List<VolumeZoneInfo>))]
internal sealed partial class BlockStorageJsonContext : JsonSerializerContext;
