using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace ShiftStack.Networking;

/// <summary>
/// IP address parsing, classification and text, with the semantics of the installer (Go <c>net</c>) and of
/// Neutron's stored text.
/// </summary>
public static class IpAddresses
{
    /// <summary>
    /// Parses an IP address with Go's <c>net.ParseIP</c> semantics.
    /// </summary>
    /// <remarks>
    /// Strict: a dotted-quad IPv4 with exactly four decimal octets and no leading zeros (<c>010.0.0.1</c> is
    /// rejected), or an IPv6 text with hex groups of at most four digits, at most one <c>::</c> and an optional
    /// trailing dotted quad. Zones (<c>fe80::1%eth0</c>), brackets, prefixes and surrounding whitespace are
    /// rejected. An IPv4-mapped text (<c>::ffff:192.0.2.1</c>) gives a 16-byte IPv6 <see cref="IPAddress"/>
    /// whose <see cref="FamilyOf"/> is <see cref="IpFamily.IPv4"/>.
    /// </remarks>
    /// <param name="text">The text to parse.</param>
    /// <param name="address">The address, or null when the text is not an IP address.</param>
    /// <returns>True when <paramref name="text"/> is an IP address.</returns>
    public static bool TryParse(string? text, [MaybeNullWhen(false)] out IPAddress address)
    {
        if (text is null || !IpText.TryParse(text, out UInt128 value, out bool dotted))
        {
            address = null;
            return false;
        }

        address = IpText.ToAddress(value, isIPv6: !dotted);
        return true;
    }

    /// <summary>
    /// The family of an address as Go and Kubernetes see it (<c>To4() == nil</c> means IPv6): an IPv4-mapped IPv6
    /// address is <see cref="IpFamily.IPv4"/>.
    /// </summary>
    /// <param name="address">The address.</param>
    /// <returns>The address family.</returns>
    public static IpFamily FamilyOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        IpText.ToFamilyValue(address, out IpFamily family);
        return family;
    }

    /// <summary>
    /// The canonical text Neutron stores and matches in filters: IPv4 as a dotted quad, IPv6 as RFC 5952 text
    /// (lowercase, no leading zeros, the first longest run of at least two zero groups compressed).
    /// </summary>
    /// <remarks>
    /// Like Neutron (netaddr, which uses glibc <c>inet_ntop</c>), an IPv4-mapped address keeps its mixed form
    /// (<c>::ffff:192.0.2.1</c>) and an IPv4-compatible one (first 96 bits zero, seventh group non-zero) is written
    /// <c>::192.0.2.1</c>. A scope id on <paramref name="address"/> is ignored.
    /// Example: <c>2001:DB8::0:1</c> → <c>2001:db8::1</c>.
    /// </remarks>
    /// <param name="address">The address.</param>
    /// <returns>The canonical text.</returns>
    public static string Canonical(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        UInt128 value = IpText.ToValue(address, out bool isIPv6);
        return IpText.Canonical(value, isIPv6);
    }

    /// <summary>
    /// The text the installer prints for an address (Go's <c>net.IP.String()</c>): an IPv4-mapped IPv6 address
    /// prints as plain IPv4, and IPv6 never embeds a dotted quad (<c>::c000:201</c>).
    /// </summary>
    /// <remarks>
    /// Equal to <see cref="Canonical"/> for every address except IPv4-mapped and IPv4-compatible IPv6 ones.
    /// Use it to reproduce installer messages and defaulted values (for instance the defaulted API VIP).
    /// </remarks>
    /// <param name="address">The address.</param>
    /// <returns>Go's text of the address.</returns>
    public static string InstallerText(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        UInt128 value = IpText.ToValue(address, out bool isIPv6);
        return IpText.GoText(value, isIPv6);
    }

    /// <summary>
    /// Address equality as Go's <c>net.IP.Equal</c>: an IPv4 address equals its IPv4-mapped IPv6 form. Scope ids
    /// are ignored.
    /// </summary>
    /// <param name="a">The first address.</param>
    /// <param name="b">The second address.</param>
    /// <returns>True when both denote the same address.</returns>
    public static bool SemanticEquals(IPAddress a, IPAddress b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        UInt128 x = IpText.ToFamilyValue(a, out IpFamily fa);
        UInt128 y = IpText.ToFamilyValue(b, out IpFamily fb);
        return fa == fb && x == y;
    }
}
