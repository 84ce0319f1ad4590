using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A port's <c>status</c>.</summary>
[JsonConverter(typeof(StringValueConverter<PortStatus>))]
public readonly struct PortStatus : IEquatable<PortStatus>, IStringValue<PortStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public PortStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Bound and up.</summary>
    public static PortStatus Active { get; } = new("ACTIVE");

    /// <summary>Not bound or down (always, on a cloud without agents).</summary>
    public static PortStatus Down { get; } = new("DOWN");

    /// <summary>Being built.</summary>
    public static PortStatus Build { get; } = new("BUILD");

    /// <summary>Failed.</summary>
    public static PortStatus Error { get; } = new("ERROR");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator PortStatus(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(PortStatus left, PortStatus right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PortStatus left, PortStatus right) => !left.Equals(right);

    /// <inheritdoc />
    static PortStatus IStringValue<PortStatus>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static PortStatus FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(PortStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PortStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
