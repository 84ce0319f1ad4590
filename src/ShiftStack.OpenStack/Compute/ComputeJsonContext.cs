using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Compute;

/// <summary>Source-generated JSON metadata for Nova (AOT-friendly; unknown fields are ignored or kept in extension data).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Server))]
[JsonSerializable(typeof(List<Server>))]
[JsonSerializable(typeof(ServerCreateRequest))]
[JsonSerializable(typeof(List<ServerInterface>))]
[JsonSerializable(typeof(ServerGroup))]
[JsonSerializable(typeof(List<ServerGroup>))]
[JsonSerializable(typeof(ServerGroupCreateBody))]
[JsonSerializable(typeof(Flavor))]
[JsonSerializable(typeof(List<Flavor>))]
[JsonSerializable(typeof(ComputeQuota))]
[JsonSerializable(typeof(ComputeQuotaDetails))]
[JsonSerializable(typeof(LimitsBody))]
[JsonSerializable(typeof(List<AvailabilityZoneInfo>))]
[JsonSerializable(typeof(ComputeVersion))]
[JsonSerializable(typeof(string))]
internal sealed partial class ComputeJsonContext : JsonSerializerContext;
