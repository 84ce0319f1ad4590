using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace ShiftStack.Networking.Tests;

/// <summary>
/// Neutron stores <c>str(netaddr.IPAddress(...))</c>, which is glibc <c>inet_ntop</c>. TestData/inet_ntop.tsv was
/// produced with glibc 2.36 (Debian 12, the release the spec observed Neutron on) for biased random values.
/// </summary>
public class NeutronTextTests
{
    public static TheoryData<string, string> GlibcSamples()
    {
        var data = new TheoryData<string, string>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "inet_ntop.tsv")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split('\t');
            data.Add(parts[0], parts[1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GlibcSamples))]
    public void Canonical_text_matches_glibc_inet_ntop_as_Neutron_stores_it(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var address = new IPAddress(bytes);

        IpAddresses.Canonical(address).ShouldBe(expected);
        IpAddresses.TryParse(expected, out IPAddress? parsed).ShouldBeTrue();
        BinaryPrimitives.ReadUInt128BigEndian(parsed!.GetAddressBytes())
            .ShouldBe(UInt128.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
