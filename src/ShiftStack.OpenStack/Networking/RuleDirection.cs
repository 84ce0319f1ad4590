using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A security-group rule's <c>direction</c>.</summary>
[JsonConverter(typeof(StringValueConverter<RuleDirection>))]
public readonly struct RuleDirection : IEquatable<RuleDirection>, IStringValue<RuleDirection>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public RuleDirection(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Inbound.</summary>
    public static RuleDirection Ingress { get; } = new("ingress");

    /// <summary>Outbound.</summary>
    public static RuleDirection Egress { get; } = new("egress");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator RuleDirection(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(RuleDirection left, RuleDirection right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RuleDirection left, RuleDirection right) => !left.Equals(right);

    /// <inheritdoc />
    static RuleDirection IStringValue<RuleDirection>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static RuleDirection FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(RuleDirection other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RuleDirection other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
