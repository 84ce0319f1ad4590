using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>An IPv6 subnet mode (<c>ipv6_ra_mode</c> / <c>ipv6_address_mode</c>).</summary>
[JsonConverter(typeof(StringValueConverter<Ipv6Mode>))]
public readonly struct Ipv6Mode : IEquatable<Ipv6Mode>, IStringValue<Ipv6Mode>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public Ipv6Mode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>SLAAC: addresses from EUI-64 of the MAC (auto-address).</summary>
    public static Ipv6Mode Slaac { get; } = new("slaac");

    /// <summary>Stateful DHCPv6: addresses picked by IPAM.</summary>
    public static Ipv6Mode Dhcpv6Stateful { get; } = new("dhcpv6-stateful");

    /// <summary>Stateless DHCPv6: SLAAC addresses plus DHCPv6 options (auto-address).</summary>
    public static Ipv6Mode Dhcpv6Stateless { get; } = new("dhcpv6-stateless");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>slaac</c> and <c>dhcpv6-stateless</c>: Neutron assigns the EUI-64 address itself and refuses explicit addresses (Neutron 21.0.0).</summary>
    public bool IsAutoAddress => ShiftStack.Networking.Ipv6AddressModes.IsAutoAddress(Value);

    /// <summary>Converts wire text.</summary>
    public static implicit operator Ipv6Mode(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(Ipv6Mode left, Ipv6Mode right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ipv6Mode left, Ipv6Mode right) => !left.Equals(right);

    /// <inheritdoc />
    static Ipv6Mode IStringValue<Ipv6Mode>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static Ipv6Mode FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(Ipv6Mode other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Ipv6Mode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
