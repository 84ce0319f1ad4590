namespace ShiftStack.Networking;

/// <summary>
/// The values of Neutron's subnet attributes <c>ipv6_ra_mode</c> and <c>ipv6_address_mode</c>, and Neutron's rules
/// about them. Unset is <c>null</c> (JSON <c>null</c> in responses; the key omitted in requests). Values are compared
/// ordinally: Neutron accepts exactly these lowercase strings.
/// </summary>
public static class Ipv6AddressModes
{
    /// <summary>SLAAC: the guest builds its EUI-64 address from the RA prefix (RA flags A=1, M=0, O=0).</summary>
    public const string Slaac = "slaac";

    /// <summary>Stateful DHCPv6: addresses and options from DHCPv6, picked by IPAM (RA flags A=0, M=1, O=0).</summary>
    public const string DhcpV6Stateful = "dhcpv6-stateful";

    /// <summary>Stateless DHCPv6: SLAAC address, other options from DHCPv6 (RA flags A=1, M=0, O=1).</summary>
    public const string DhcpV6Stateless = "dhcpv6-stateless";

    /// <summary>The three values Neutron accepts (neutron-lib <c>IPV6_MODES</c>).</summary>
    public static IReadOnlyList<string> All { get; } = [Slaac, DhcpV6Stateful, DhcpV6Stateless];

    /// <summary>True when <paramref name="mode"/> is one of the three values Neutron accepts.</summary>
    /// <param name="mode">A mode value.</param>
    /// <returns>True for <c>slaac</c>, <c>dhcpv6-stateful</c> or <c>dhcpv6-stateless</c>.</returns>
    public static bool IsKnown(string? mode) => mode is Slaac or DhcpV6Stateful or DhcpV6Stateless;

    /// <summary>
    /// True when a single mode value is an auto-address one (<c>slaac</c> or <c>dhcpv6-stateless</c>). A
    /// <em>subnet</em> is auto-address when either of its two modes is: use <see cref="IsAutoAddressSubnet"/>.
    /// </summary>
    /// <param name="ipv6AddressMode">A mode value.</param>
    /// <returns>True for <c>slaac</c> or <c>dhcpv6-stateless</c>.</returns>
    public static bool IsAutoAddress(string? ipv6AddressMode) => ipv6AddressMode is Slaac or DhcpV6Stateless;

    /// <summary>
    /// Neutron's <c>is_auto_address_subnet</c>: true when <b>either</b> <c>ipv6_address_mode</c> or
    /// <c>ipv6_ra_mode</c> is <c>slaac</c> or <c>dhcpv6-stateless</c>. Every non-router port then gets an EUI-64
    /// address on the subnet, and (on Neutron 21.0.0) no explicit address can be requested on it.
    /// </summary>
    /// <param name="raMode">The subnet's <c>ipv6_ra_mode</c>, null when unset.</param>
    /// <param name="addressMode">The subnet's <c>ipv6_address_mode</c>, null when unset.</param>
    /// <returns>True for an auto-address subnet.</returns>
    public static bool IsAutoAddressSubnet(string? raMode, string? addressMode) =>
        IsAutoAddress(addressMode) || IsAutoAddress(raMode);

    /// <summary>
    /// True when Neutron accepts the pair on an IPv6 subnet with DHCP enabled: each value is unset or one of
    /// <see cref="All"/>, and if both are set they are equal. The API accepts single-sided pairs that the reference
    /// implementation does not act on (only address-only <c>slaac</c> is supported with an external router).
    /// Not checked here: IPv4 subnets and <c>enable_dhcp=false</c> accept neither mode, and auto-address subnets
    /// must be /64.
    /// </summary>
    /// <param name="raMode">The <c>ipv6_ra_mode</c>, null when unset.</param>
    /// <param name="addressMode">The <c>ipv6_address_mode</c>, null when unset.</param>
    /// <returns>True when Neutron accepts the combination.</returns>
    public static bool IsValidCombination(string? raMode, string? addressMode)
    {
        if ((raMode is not null && !IsKnown(raMode)) || (addressMode is not null && !IsKnown(addressMode)))
        {
            return false;
        }

        return raMode is null || addressMode is null || string.Equals(raMode, addressMode, StringComparison.Ordinal);
    }
}
