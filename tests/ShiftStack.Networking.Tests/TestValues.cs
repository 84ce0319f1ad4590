using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace ShiftStack.Networking.Tests;

/// <summary>Independent helpers for tests: plain integer views of addresses and full-form texts.</summary>
internal static class TestValues
{
    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static Cidr C(string text) => Cidr.Parse(text);

    public static UInt128 ValueOf(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress V4(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static IPAddress V6(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static string DottedQuad(uint value) =>
        string.Join('.', new[] { value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF }
            .Select(o => o.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Eight four-digit groups, uppercase: the least canonical spelling Go still accepts.</summary>
    public static string FullUpperIPv6(UInt128 value) =>
        string.Join(':', Enumerable.Range(0, 8)
            .Select(k => ((ushort)(value >> (112 - (16 * k)))).ToString("X4", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Reference RFC 5952 compression, written differently from the library: try the longest zero runs first,
    /// leftmost first, and never compress a single group.
    /// </summary>
    public static string ReferenceCompressedIPv6(UInt128 value)
    {
        string[] groups = Enumerable.Range(0, 8)
            .Select(k => ((ushort)(value >> (112 - (16 * k)))).ToString("x", CultureInfo.InvariantCulture))
            .ToArray();
        for (int length = 8; length >= 2; length--)
        {
            for (int start = 0; start + length <= 8; start++)
            {
                if (groups.Skip(start).Take(length).All(g => g == "0"))
                {
                    return string.Join(':', groups.Take(start)) + "::" + string.Join(':', groups.Skip(start + length));
                }
            }
        }

        return string.Join(':', groups);
    }

    public static UInt128 HighMask(int prefixLength, int bits)
    {
        UInt128 all = bits == 128 ? UInt128.MaxValue : uint.MaxValue;
        return prefixLength == 0 ? UInt128.Zero : (all << (bits - prefixLength)) & all;
    }
}
