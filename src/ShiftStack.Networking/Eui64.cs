using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ShiftStack.Networking;

/// <summary>
/// The EUI-64 (modified, RFC 4291) addresses Neutron gives ports on auto-address (SLAAC / DHCPv6-stateless)
/// subnets, computed as oslo.utils <c>get_ipv6_addr_by_EUI64</c> does.
/// </summary>
public static class Eui64
{
    /// <summary>
    /// The EUI-64 address of <paramref name="mac"/> on <paramref name="prefix"/>: the MAC split in the middle with
    /// <c>ff:fe</c> inserted, the universal/local bit (<c>0x02</c> of the first octet) flipped, and the 64-bit
    /// interface id added to the prefix's network address. Example: <c>fa:16:3e:12:34:56</c> on
    /// <c>fd2e:6f44:5dd8:c956::/64</c> → <c>fd2e:6f44:5dd8:c956:f816:3eff:fe12:3456</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// oslo.utils raises ValueError for an IPv4 prefix ("Unable to generate IP address by EUI64 for IPv4 prefix")
    /// and for a MAC netaddr cannot read ("Bad prefix or mac format for generating IPv6 address by EUI-64: …");
    /// this method throws <see cref="ArgumentException"/> with the same texts.
    /// </para>
    /// <para>
    /// A prefix longer than /64 is rejected here. oslo.utils would silently compute
    /// <c>(network + eui64) ^ (1 &lt;&lt; 57)</c>, mixing the prefix's low bits with the interface id, but Neutron
    /// never gets there: it refuses auto-address subnets that are not /64 ("Invalid CIDR … for IPv6 address mode.
    /// OpenStack uses the EUI-64 address format, which requires the prefix to be /64."), and that text is used.
    /// A shorter prefix is accepted, as in oslo.utils: the low 64 bits of its network address are zero.
    /// </para>
    /// </remarks>
    /// <param name="mac">A 48-bit MAC in any format <see cref="TryParseMac"/> accepts.</param>
    /// <param name="prefix">An IPv6 prefix of length 64 or less; its network address is used.</param>
    /// <returns>The EUI-64 address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mac"/> is null.</exception>
    /// <exception cref="ArgumentException">The prefix is IPv4 or longer than /64, or the MAC is not valid.</exception>
    public static IPAddress FromMac(string mac, Cidr prefix)
    {
        ArgumentNullException.ThrowIfNull(mac);
        if (prefix.Family != IpFamily.IPv6)
        {
            throw new ArgumentException("Unable to generate IP address by EUI64 for IPv4 prefix", nameof(prefix));
        }

        if (!TryParseMac(mac, out byte[] bytes))
        {
            throw new ArgumentException(
                $"Bad prefix or mac format for generating IPv6 address by EUI-64: {prefix.Text}, {mac}:",
                nameof(mac));
        }

        if (prefix.PrefixLength > 64)
        {
            throw new ArgumentException(
                $"Invalid CIDR {prefix} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64.",
                nameof(prefix));
        }

        return IpText.ToAddress(prefix.NetworkValue | InterfaceId(bytes), isIPv6: true);
    }

    /// <summary>
    /// The modified EUI-64 interface id of a 48-bit MAC: <c>b0^0x02 b1 b2 ff fe b3 b4 b5</c>.
    /// </summary>
    /// <param name="mac">Six bytes.</param>
    /// <returns>The 64-bit interface id.</returns>
    /// <exception cref="ArgumentException">The MAC is not six bytes long.</exception>
    public static ulong InterfaceId(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6)
        {
            throw new ArgumentException("A MAC address has six bytes.", nameof(mac));
        }

        return ((ulong)(mac[0] ^ 0x02) << 56) | ((ulong)mac[1] << 48) | ((ulong)mac[2] << 40)
            | (0xFFFEUL << 24) | ((ulong)mac[3] << 16) | ((ulong)mac[4] << 8) | mac[5];
    }

    /// <summary>
    /// Recovers the MAC from an EUI-64 address. The address is recognised as Neutron's
    /// <c>is_eui64_address</c> does: IPv6 with <c>ff:fe</c> in the middle of the interface id.
    /// </summary>
    /// <param name="address">The address.</param>
    /// <param name="mac">The six MAC bytes, or an empty array when the address is not EUI-64.</param>
    /// <returns>True when the address is an EUI-64 address.</returns>
    public static bool TryExtractMac(IPAddress address, out byte[] mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        UInt128 value = IpText.ToFamilyValue(address, out IpFamily family);
        ulong iid = (ulong)value;
        if (family != IpFamily.IPv6 || ((iid >> 24) & 0xFFFF) != 0xFFFE)
        {
            mac = [];
            return false;
        }

        mac =
        [
            (byte)((iid >> 56) ^ 0x02),
            (byte)(iid >> 48),
            (byte)(iid >> 40),
            (byte)(iid >> 16),
            (byte)(iid >> 8),
            (byte)iid,
        ];
        return true;
    }

    /// <summary>
    /// Parses a 48-bit MAC in the formats netaddr's <c>EUI</c> (and so Neutron and oslo.utils) accepts, hex digits
    /// in either case: six groups of 1–2 digits separated by <c>:</c> or <c>-</c> (<c>fa:16:3e:12:34:56</c>); three
    /// groups of 1–4 digits separated by <c>:</c>, <c>-</c> or <c>.</c> (<c>fa16.3e12.3456</c>); two groups of 5–6
    /// digits separated by <c>:</c> or <c>-</c> (<c>fa163e:123456</c>); or 11–12 bare digits. Shorter groups are
    /// left-padded with zeros. No whitespace. 64-bit EUIs are not MACs and are rejected.
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="mac">The six bytes, or an empty array on failure.</param>
    /// <returns>True when <paramref name="text"/> is a MAC.</returns>
    public static bool TryParseMac([NotNullWhen(true)] string? text, out byte[] mac)
    {
        mac = [];
        if (text is null)
        {
            return false;
        }

        if (!TryGroups(text, ':', 6, 1, 2, out ulong value)
            && !TryGroups(text, '-', 6, 1, 2, out value)
            && !TryGroups(text, ':', 3, 1, 4, out value)
            && !TryGroups(text, '-', 3, 1, 4, out value)
            && !TryGroups(text, '.', 3, 1, 4, out value)
            && !TryGroups(text, '-', 2, 5, 6, out value)
            && !TryGroups(text, ':', 2, 5, 6, out value)
            && !TryGroups(text, '\0', 1, 11, 12, out value))
        {
            return false;
        }

        mac = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            mac[i] = (byte)(value >> (40 - (8 * i)));
        }

        return true;
    }

    /// <summary>The MAC text Neutron stores and returns: six lowercase two-digit groups joined by <c>:</c>.</summary>
    /// <param name="mac">Six bytes.</param>
    /// <returns>The text, e.g. <c>fa:16:3e:12:34:56</c>.</returns>
    /// <exception cref="ArgumentException">The MAC is not six bytes long.</exception>
    public static string FormatMac(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6)
        {
            throw new ArgumentException("A MAC address has six bytes.", nameof(mac));
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{mac[0]:x2}:{mac[1]:x2}:{mac[2]:x2}:{mac[3]:x2}:{mac[4]:x2}:{mac[5]:x2}");
    }

    private static bool TryGroups(string text, char separator, int count, int minDigits, int maxDigits, out ulong value)
    {
        value = 0;
        int groupBits = 48 / count;
        int start = 0;
        for (int g = 0; g < count; g++)
        {
            int end = g == count - 1 ? text.Length : text.IndexOf(separator, start);
            if (end < 0)
            {
                return false;
            }

            int length = end - start;
            if (length < minDigits || length > maxDigits
                || !ulong.TryParse(text.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong group))
            {
                return false;
            }

            value = (value << groupBits) | group;
            start = end + 1;
        }

        return true;
    }
}
