using System.Net;
using CsCheck;
using static ShiftStack.Networking.Tests.TestValues;

namespace ShiftStack.Networking.Tests;

/// <summary>Generators biased toward the corners of the address space: zero runs, IPv4-mapped, IPv4-compatible.</summary>
internal static class Gens
{
    public static readonly Gen<UInt128> IPv6Value = Gen.Frequency<UInt128>(
        (2, Gen.UInt128),
        (4, Gen.Select(Gen.UInt128, Gen.Byte, ZeroGroups)),
        (1, Gen.UInt.Select(v4 => ((UInt128)0xFFFF << 32) | v4)),
        (1, Gen.UInt.Select(v4 => (UInt128)v4)),
        (1, Gen.ULong.Select(iid => ((UInt128)0xFD2E_6F44_5DD8_C956UL << 64) | iid)));

    public static readonly Gen<IPAddress> Address = Gen.Frequency<IPAddress>(
        (1, Gen.UInt.Select(V4)),
        (2, IPv6Value.Select(V6)));

    public static readonly Gen<Cidr> Cidr =
        Gen.Select(Gen.Bool, Gen.UInt, IPv6Value, Gen.Int[0, 128], Gen.Bool, MakeCidr);

    public static readonly Gen<byte[]> Mac = Gen.ULong.Select(r =>
        Enumerable.Range(0, 6).Select(i => (byte)(r >> (8 * i))).ToArray());

    /// <summary>Clears the 16-bit groups whose bit is set in <paramref name="zeroMask"/>.</summary>
    private static UInt128 ZeroGroups(UInt128 value, byte zeroMask)
    {
        for (int k = 0; k < 8; k++)
        {
            if ((zeroMask & (1 << k)) != 0)
            {
                value &= ~((UInt128)0xFFFF << (16 * k));
            }
        }

        return value;
    }

    /// <summary>Builds a CIDR from text written by .NET or by hand, never by the library under test.</summary>
    public static Cidr MakeCidr(bool isIPv6, uint v4, UInt128 v6, int prefix, bool networkOnly)
    {
        string text;
        if (isIPv6)
        {
            UInt128 value = networkOnly ? v6 & HighMask(prefix, 128) : v6;
            text = V6(value) + "/" + prefix;
        }
        else
        {
            prefix %= 33;
            uint value = networkOnly ? v4 & (uint)HighMask(prefix, 32) : v4;
            text = DottedQuad(value) + "/" + prefix;
        }

        return Networking.Cidr.Parse(text);
    }
}

public class PropertyTests
{
    private const int Iterations = 2000;

    private static bool IsMappedInIPv6Network(Cidr cidr, IPAddress address) =>
        cidr.Family == IpFamily.IPv6 && ValueOf(address) >> 32 == 0xFFFF;

    [Fact]
    public void Every_host_of_a_CIDR_is_contained_in_it()
    {
        Gen.Select(Gens.Cidr, Gen.ULong).Sample((cidr, r) =>
        {
            int hostBits = cidr.AddressBits - cidr.PrefixLength;
            long n = hostBits >= 63 ? (long)(r >> 1) : (long)(r % (1UL << hostBits));

            IPAddress? host = cidr.Host(n);

            host.ShouldNotBeNull();
            cidr.Contains(cidr.Address).ShouldBeTrue();
            if (IsMappedInIPv6Network(cidr, host))
            {
                // Go: an IPv6 network never contains an address that To4() turns into IPv4.
                cidr.Contains(host).ShouldBeFalse();
                return;
            }

            cidr.Contains(host).ShouldBeTrue();
            cidr.Contains(cidr.Network).ShouldBe(!IsMappedInIPv6Network(cidr, cidr.Network));
            IpAddresses.FamilyOf(host).ShouldBe(cidr.Family);
        }, iter: Iterations);
    }

    [Fact]
    public void The_address_after_the_last_host_and_before_the_network_are_not_contained()
    {
        Gens.Cidr.Sample(cidr =>
        {
            IPAddress last = cidr.Host(-1)!;
            UInt128 lastValue = ValueOf(last);
            UInt128 networkValue = ValueOf(cidr.Network);
            UInt128 max = cidr.AddressBits == 32 ? uint.MaxValue : UInt128.MaxValue;

            cidr.Contains(last).ShouldBe(!IsMappedInIPv6Network(cidr, last));
            lastValue.ShouldBe(networkValue | (~HighMask(cidr.PrefixLength, cidr.AddressBits) & max));
            if (lastValue != max)
            {
                IPAddress next = cidr.AddressBits == 32 ? V4((uint)lastValue + 1) : V6(lastValue + 1);
                cidr.Contains(next).ShouldBeFalse();
            }

            if (networkValue != 0)
            {
                IPAddress previous = cidr.AddressBits == 32 ? V4((uint)networkValue - 1) : V6(networkValue - 1);
                cidr.Contains(previous).ShouldBeFalse();
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Overlap_is_symmetric_and_means_one_contains_the_others_network()
    {
        // Half of the pairs share a random number of leading bits, so that overlaps are common.
        Gen<(Cidr, Cidr)> pairs = Gen.Select(Gens.Cidr, Gens.Cidr, Gen.Int[0, 128], Gen.UInt128, Gen.Bool, (a, b, shared, noise, related) =>
        {
            if (!related)
            {
                return (a, b);
            }

            int bits = a.AddressBits;
            int keep = shared % (bits + 1);
            UInt128 high = HighMask(keep, bits);
            UInt128 value = (ValueOf(a.Address) & high) | (noise & ~high & (bits == 32 ? uint.MaxValue : UInt128.MaxValue));
            int prefix = (int)(noise % (UInt128)(bits + 1));
            return (Gens.MakeCidr(bits == 128, (uint)value, value, prefix, networkOnly: false), a);
        });

        pairs.Sample((a, b) =>
        {
            bool overlaps = a.Overlaps(b);

            overlaps.ShouldBe(b.Overlaps(a));
            overlaps.ShouldBe(a.Contains(b.Network) || b.Contains(a.Network));
            if (a.Family != b.Family)
            {
                overlaps.ShouldBeFalse();
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Parsing_the_canonical_text_of_a_CIDR_keeps_family_prefix_and_network()
    {
        Gens.Cidr.Sample(cidr =>
        {
            Cidr.TryParse(cidr.ToString(), out Cidr again, out string error).ShouldBeTrue(error);

            again.Family.ShouldBe(cidr.Family);
            again.PrefixLength.ShouldBe(cidr.PrefixLength);
            again.ShouldBe(cidr);
            again.IsNetworkAddress.ShouldBeTrue();
            again.ToString().ShouldBe(cidr.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void Canonical_text_round_trips_and_is_idempotent()
    {
        Gens.Address.Sample(address =>
        {
            string canonical = IpAddresses.Canonical(address);

            IpAddresses.TryParse(canonical, out IPAddress? parsed).ShouldBeTrue(canonical);
            parsed.ShouldBe(address);
            IpAddresses.Canonical(parsed).ShouldBe(canonical);
            IpAddresses.FamilyOf(parsed).ShouldBe(IpAddresses.FamilyOf(address));
            canonical.ShouldBe(canonical.ToLowerInvariant());
            IPAddress.Parse(canonical).ShouldBe(address);
        }, iter: Iterations);
    }

    [Fact]
    public void Canonical_IPv6_text_is_RFC5952_compression_unless_an_IPv4_tail_is_embedded()
    {
        Gens.IPv6Value.Sample(value =>
        {
            string canonical = IpAddresses.Canonical(V6(value));
            string reference = ReferenceCompressedIPv6(value);

            if (canonical.Contains('.', StringComparison.Ordinal))
            {
                // Only IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses, as glibc inet_ntop.
                (value >> 32 == 0xFFFF || value >> 32 == 0).ShouldBeTrue(canonical);
            }
            else
            {
                canonical.ShouldBe(reference);
            }

            string installer = IpAddresses.InstallerText(V6(value));
            if (value >> 32 != 0xFFFF)
            {
                installer.ShouldBe(reference);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Go_parser_accepts_full_and_dotnet_spellings_and_agrees_with_dotnet()
    {
        Gens.Address.Sample(address =>
        {
            UInt128 value = ValueOf(address);
            string[] spellings = address.GetAddressBytes().Length == 4
                ? [address.ToString()]
                : [address.ToString(), FullUpperIPv6(value)];

            foreach (string text in spellings)
            {
                IpAddresses.TryParse(text, out IPAddress? parsed).ShouldBeTrue(text);
                parsed.ShouldBe(address);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Whatever_the_Go_parser_accepts_dotnet_reads_the_same_way()
    {
        Gen<string> noise = Gen.String[Gen.Char["0123456789abcdefABCDEF:.::..%/ "], 0, 24];

        noise.Sample(text =>
        {
            if (IpAddresses.TryParse(text, out IPAddress? parsed))
            {
                IPAddress.TryParse(text, out IPAddress? dotnet).ShouldBeTrue(text);
                parsed.ShouldBe(dotnet);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Eui64_address_gives_back_its_MAC_and_stays_in_the_prefix()
    {
        Gen.Select(Gens.Mac, Gens.IPv6Value.Where(v => v >> 32 != 0xFFFF), Gen.Int[0, 64]).Sample((mac, prefixValue, length) =>
        {
            Cidr prefix = Gens.MakeCidr(true, 0, prefixValue, length, networkOnly: false);
            string macText = Eui64.FormatMac(mac);

            IPAddress address = Eui64.FromMac(macText, prefix);

            prefix.Contains(address).ShouldBeTrue();
            Eui64.TryExtractMac(address, out byte[] recovered).ShouldBeTrue();
            recovered.ShouldBe(mac);
            ((ulong)ValueOf(address)).ShouldBe(Eui64.InterfaceId(mac));
            Eui64.TryParseMac(macText.ToUpperInvariant().Replace(':', '-'), out byte[] reparsed).ShouldBeTrue();
            reparsed.ShouldBe(mac);
        }, iter: Iterations);
    }

    [Fact]
    public void Cidr_equality_ignores_spelling_and_host_bits()
    {
        Gen.Select(Gens.Cidr, Gen.UInt128).Sample((cidr, noise) =>
        {
            UInt128 network = ValueOf(cidr.Network);
            UInt128 hostMask = ~HighMask(cidr.PrefixLength, cidr.AddressBits) & (cidr.AddressBits == 32 ? uint.MaxValue : UInt128.MaxValue);
            UInt128 other = network | (noise & hostMask);
            if (cidr.Family == IpFamily.IPv6 && other >> 32 == 0xFFFF)
            {
                return; // Go reads an IPv4-mapped address as IPv4, whatever the prefix: another family.
            }

            var spellings = new List<string>();
            if (cidr.Family == IpFamily.IPv4)
            {
                spellings.Add($"{DottedQuad((uint)other)}/0{cidr.PrefixLength}");
                spellings.Add($"::ffff:{DottedQuad((uint)other)}/{cidr.PrefixLength + 96}");
                spellings.Add($"::FFFF:{FullUpperIPv6(((UInt128)0xFFFF << 32) | other)[30..]}/{cidr.PrefixLength + 96}");
            }
            else
            {
                spellings.Add($"{FullUpperIPv6(other)}/{cidr.PrefixLength}");
                spellings.Add($"{V6(other)}/00{cidr.PrefixLength}");
            }

            foreach (string text in spellings)
            {
                Cidr respelled = Cidr.Parse(text);
                respelled.ShouldBe(cidr, text);
                respelled.GetHashCode().ShouldBe(cidr.GetHashCode());
                respelled.ToString().ShouldBe(cidr.ToString());
            }
        }, iter: Iterations);
    }
}
