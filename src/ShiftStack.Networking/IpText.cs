using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace ShiftStack.Networking;

/// <summary>
/// Parsing and formatting of IP address text on plain integers. IPv4 values live in the low 32 bits of a
/// <see cref="UInt128"/>; IPv6 values use all 128 bits.
/// </summary>
internal static class IpText
{
    private const uint IPv4MappedMarker = 0xFFFF;

    /// <summary>
    /// Parses like Go's <c>netip.ParseAddr</c> without a zone (what <c>net.ParseIP</c> accepts): dotted-quad
    /// IPv4 without leading zeros, or IPv6 with at most one <c>::</c>, hex groups of 1–4 digits and an optional
    /// trailing dotted quad. No zones, brackets or whitespace.
    /// </summary>
    /// <param name="text">The address text.</param>
    /// <param name="value">The parsed value.</param>
    /// <param name="dotted">True when the text is a plain dotted quad (Go's <c>Is4()</c>, 32-bit).</param>
    internal static bool TryParse(ReadOnlySpan<char> text, out UInt128 value, out bool dotted)
    {
        value = UInt128.Zero;
        dotted = false;
        foreach (char c in text)
        {
            switch (c)
            {
                case '.':
                    dotted = true;
                    if (TryParseIPv4(text, out uint v4))
                    {
                        value = v4;
                        return true;
                    }

                    return false;
                case ':':
                    return TryParseIPv6(text, out value);
                case '%':
                    return false;
            }
        }

        return false;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        int octet = 0;
        int fields = 0;
        int digits = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (digits == 1 && octet == 0)
                {
                    return false; // leading zero
                }

                octet = (octet * 10) + (c - '0');
                digits++;
                if (octet > 255)
                {
                    return false;
                }
            }
            else if (c == '.')
            {
                if (i == 0 || i == text.Length - 1 || text[i - 1] == '.' || fields == 3)
                {
                    return false;
                }

                value = (value << 8) | (uint)octet;
                fields++;
                octet = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (fields < 3)
        {
            return false;
        }

        value = (value << 8) | (uint)octet;
        return true;
    }

    private static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = UInt128.Zero;
        if (text.Contains('%'))
        {
            return false; // zones are not IP addresses for net.ParseIP
        }

        Span<byte> ip = stackalloc byte[16];
        ip.Clear();
        int ellipsis = -1;
        ReadOnlySpan<char> s = text;
        if (s.Length >= 2 && s[0] == ':' && s[1] == ':')
        {
            ellipsis = 0;
            s = s[2..];
            if (s.IsEmpty)
            {
                return true;
            }
        }

        int i = 0;
        while (i < 16)
        {
            int off = 0;
            uint group = 0;
            for (; off < s.Length; off++)
            {
                int digit = HexValue(s[off]);
                if (digit < 0)
                {
                    break;
                }

                if (off > 3)
                {
                    return false; // more than four digits in a group
                }

                group = (group << 4) + (uint)digit;
            }

            if (off == 0)
            {
                return false;
            }

            if (off < s.Length && s[off] == '.')
            {
                // Trailing dotted quad: only in the last 32 bits.
                if ((ellipsis < 0 && i != 12) || i + 4 > 16 || !TryParseIPv4(s, out uint v4))
                {
                    return false;
                }

                BinaryPrimitives.WriteUInt32BigEndian(ip[i..], v4);
                s = [];
                i += 4;
                break;
            }

            ip[i] = (byte)(group >> 8);
            ip[i + 1] = (byte)group;
            i += 2;

            s = s[off..];
            if (s.IsEmpty)
            {
                break;
            }

            if (s[0] != ':' || s.Length == 1)
            {
                return false;
            }

            s = s[1..];
            if (s[0] == ':')
            {
                if (ellipsis >= 0)
                {
                    return false; // a second ::
                }

                ellipsis = i;
                s = s[1..];
                if (s.IsEmpty)
                {
                    break;
                }
            }
        }

        if (!s.IsEmpty)
        {
            return false;
        }

        if (i < 16)
        {
            if (ellipsis < 0)
            {
                return false;
            }

            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--)
            {
                ip[j + n] = ip[j];
            }

            ip.Slice(ellipsis, n).Clear();
        }
        else if (ellipsis >= 0)
        {
            return false; // :: must stand for at least one group
        }

        value = BinaryPrimitives.ReadUInt128BigEndian(ip);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>True when a 128-bit value is in <c>::ffff:0:0/96</c> (Go's <c>To4() != nil</c> for 16-byte IPs).</summary>
    internal static bool IsIPv4Mapped(UInt128 value) => (value >> 32) == IPv4MappedMarker;

    /// <summary>The 128-bit IPv4-mapped form of an IPv4 value.</summary>
    internal static UInt128 ToMapped(uint v4) => ((UInt128)IPv4MappedMarker << 32) | v4;

    /// <summary>Reads an <see cref="IPAddress"/> as a value; the flag says whether it is 128-bit.</summary>
    internal static UInt128 ToValue(IPAddress address, out bool isIPv6)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new ArgumentException("The address could not be read.", nameof(address));
        }

        isIPv6 = written == 16;
        return isIPv6 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>
    /// Reads an <see cref="IPAddress"/> the way Go's <c>To4</c> sees it: IPv4 and IPv4-mapped IPv6 addresses give
    /// a 32-bit value and <see cref="IpFamily.IPv4"/>.
    /// </summary>
    internal static UInt128 ToFamilyValue(IPAddress address, out IpFamily family)
    {
        UInt128 value = ToValue(address, out bool isIPv6);
        if (isIPv6 && !IsIPv4Mapped(value))
        {
            family = IpFamily.IPv6;
            return value;
        }

        family = IpFamily.IPv4;
        return (uint)value;
    }

    internal static IPAddress ToAddress(UInt128 value, bool isIPv6)
    {
        if (!isIPv6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    internal static string FormatIPv4(uint value) => string.Create(
        CultureInfo.InvariantCulture,
        $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}");

    /// <summary>
    /// RFC 5952 text: lowercase, no leading zeros, the first longest run of two or more zero groups compressed.
    /// </summary>
    /// <param name="value">The 128-bit address.</param>
    /// <param name="embedIPv4">
    /// True for Neutron's text (netaddr → glibc <c>inet_ntop</c>): the last 32 bits are written as a dotted quad
    /// for IPv4-mapped addresses (<c>::ffff:192.0.2.1</c>) and for IPv4-compatible ones (<c>::192.0.2.1</c>, the
    /// first 96 bits zero and the seventh group non-zero). False for Go's text, which never embeds a dotted quad
    /// (mapped addresses are handled by the caller).
    /// </param>
    internal static string FormatIPv6(UInt128 value, bool embedIPv4)
    {
        Span<ushort> words = stackalloc ushort[8];
        for (int k = 0; k < 8; k++)
        {
            words[k] = (ushort)(value >> (112 - (16 * k)));
        }

        int bestStart = -1;
        int bestLength = 0;
        int runStart = -1;
        for (int k = 0; k < 8; k++)
        {
            if (words[k] != 0)
            {
                runStart = -1;
                continue;
            }

            if (runStart < 0)
            {
                runStart = k;
            }

            if (k - runStart + 1 > bestLength)
            {
                bestStart = runStart;
                bestLength = k - runStart + 1;
            }
        }

        if (bestLength < 2)
        {
            bestStart = -1;
        }

        bool dottedTail = embedIPv4 && bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xFFFF));

        var sb = new StringBuilder(45);
        for (int k = 0; k < 8; k++)
        {
            if (bestStart >= 0 && k >= bestStart && k < bestStart + bestLength)
            {
                if (k == bestStart)
                {
                    sb.Append(':');
                }

                continue;
            }

            if (k != 0)
            {
                sb.Append(':');
            }

            if (dottedTail && k == 6)
            {
                sb.Append(FormatIPv4((uint)value));
                return sb.ToString();
            }

            sb.Append(words[k].ToString("x", CultureInfo.InvariantCulture));
        }

        if (bestStart >= 0 && bestStart + bestLength == 8)
        {
            sb.Append(':');
        }

        return sb.ToString();
    }

    /// <summary>Neutron's canonical text of an address (IPv4 dotted quad, IPv6 RFC 5952).</summary>
    internal static string Canonical(UInt128 value, bool isIPv6) =>
        isIPv6 ? FormatIPv6(value, embedIPv4: true) : FormatIPv4((uint)value);

    /// <summary>Go's <c>net.IP.String()</c> text of an address (an IPv4-mapped IPv6 address prints as IPv4).</summary>
    internal static string GoText(UInt128 value, bool isIPv6) =>
        !isIPv6 || IsIPv4Mapped(value) ? FormatIPv4((uint)value) : FormatIPv6(value, embedIPv4: false);
}
