using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A security-group rule's <c>protocol</c>: a name or an IP protocol number as text. Compare with <see cref="Normalize"/>: Neutron rewrites <c>icmp</c>/<c>icmpv6</c>/<c>1</c> to <c>ipv6-icmp</c> for IPv6 rules.</summary>
[JsonConverter(typeof(StringValueConverter<RuleProtocol>))]
public readonly struct RuleProtocol : IEquatable<RuleProtocol>, IStringValue<RuleProtocol>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public RuleProtocol(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>TCP.</summary>
    public static RuleProtocol Tcp { get; } = new("tcp");

    /// <summary>UDP.</summary>
    public static RuleProtocol Udp { get; } = new("udp");

    /// <summary>ICMP.</summary>
    public static RuleProtocol Icmp { get; } = new("icmp");

    /// <summary>ICMPv6 (Neutron's name).</summary>
    public static RuleProtocol Ipv6Icmp { get; } = new("ipv6-icmp");

    /// <summary>ICMPv6 (alias, stored as ipv6-icmp).</summary>
    public static RuleProtocol Icmpv6 { get; } = new("icmpv6");

    /// <summary>ESP.</summary>
    public static RuleProtocol Esp { get; } = new("esp");

    /// <summary>SCTP.</summary>
    public static RuleProtocol Sctp { get; } = new("sctp");

    /// <summary>VRRP (protocol 112).</summary>
    public static RuleProtocol Vrrp { get; } = new("vrrp");

    /// <summary>Any protocol (stored as null).</summary>
    public static RuleProtocol Any { get; } = new("any");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>
    /// The form Neutron stores for a rule of the given ethertype: for IPv6, <c>icmp</c>, <c>icmpv6</c>, <c>1</c> and
    /// <c>58</c> become <c>ipv6-icmp</c>; names are lowercased; <c>any</c> stays <c>any</c> (Neutron stores null).
    /// </summary>
    public RuleProtocol Normalize(EtherType etherType)
    {
        var lower = Value.ToLowerInvariant();
        if (etherType == EtherType.IPv6 && lower is "icmp" or "icmpv6" or "1" or "58" or "ipv6-icmp")
        {
            return Ipv6Icmp;
        }

        return new RuleProtocol(lower);
    }

    /// <summary>Converts wire text.</summary>
    public static implicit operator RuleProtocol(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(RuleProtocol left, RuleProtocol right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RuleProtocol left, RuleProtocol right) => !left.Equals(right);

    /// <inheritdoc />
    static RuleProtocol IStringValue<RuleProtocol>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static RuleProtocol FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(RuleProtocol other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RuleProtocol other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
