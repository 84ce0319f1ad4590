using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A security-group rule's <c>ethertype</c>.</summary>
[JsonConverter(typeof(StringValueConverter<EtherType>))]
public readonly struct EtherType : IEquatable<EtherType>, IStringValue<EtherType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public EtherType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>IPv4.</summary>
    public static EtherType IPv4 { get; } = new("IPv4");

    /// <summary>IPv6.</summary>
    public static EtherType IPv6 { get; } = new("IPv6");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator EtherType(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(EtherType left, EtherType right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(EtherType left, EtherType right) => !left.Equals(right);

    /// <inheritdoc />
    static EtherType IStringValue<EtherType>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static EtherType FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(EtherType other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EtherType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
