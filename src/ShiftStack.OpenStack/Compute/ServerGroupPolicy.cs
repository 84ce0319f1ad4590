using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A server group's scheduling policy.</summary>
[JsonConverter(typeof(StringValueConverter<ServerGroupPolicy>))]
public readonly struct ServerGroupPolicy : IEquatable<ServerGroupPolicy>, IStringValue<ServerGroupPolicy>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public ServerGroupPolicy(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>All members on one host (scheduling fails otherwise).</summary>
    public static ServerGroupPolicy Affinity { get; } = new("affinity");

    /// <summary>Every member on a different host (scheduling fails otherwise).</summary>
    public static ServerGroupPolicy AntiAffinity { get; } = new("anti-affinity");

    /// <summary>Prefer one host.</summary>
    public static ServerGroupPolicy SoftAffinity { get; } = new("soft-affinity");

    /// <summary>Prefer different hosts (what OpenShift uses for masters by default).</summary>
    public static ServerGroupPolicy SoftAntiAffinity { get; } = new("soft-anti-affinity");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator ServerGroupPolicy(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(ServerGroupPolicy left, ServerGroupPolicy right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ServerGroupPolicy left, ServerGroupPolicy right) => !left.Equals(right);

    /// <inheritdoc />
    static ServerGroupPolicy IStringValue<ServerGroupPolicy>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static ServerGroupPolicy FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(ServerGroupPolicy other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ServerGroupPolicy other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
