using System.Net;
using static ShiftStack.Networking.Tests.TestValues;

namespace ShiftStack.Networking.Tests;

public class Eui64Tests
{
    // neutron-ipv6.md §5, worked examples (observed on Neutron 21.0.0 / computed with oslo.utils 6.0.1).
    [Theory]
    [InlineData("fa:16:3e:12:34:56", "fd2e:6f44:5dd8:c956::/64", "fd2e:6f44:5dd8:c956:f816:3eff:fe12:3456")]
    [InlineData("fa:16:3e:00:00:02", "fd2e:6f44:5dd8:c956::/64", "fd2e:6f44:5dd8:c956:f816:3eff:fe00:2")]
    [InlineData("02:00:00:00:00:01", "fd00::/64", "fd00::ff:fe00:1")]
    [InlineData("fa:16:3e:ab:cd:ef", "2001:db8:0:1::/64", "2001:db8:0:1:f816:3eff:feab:cdef")]
    public void FromMac_gives_the_address_Neutron_assigns(string mac, string prefix, string expected)
    {
        IPAddress address = Eui64.FromMac(mac, C(prefix));

        IpAddresses.Canonical(address).ShouldBe(expected);
    }

    [Fact]
    public void InterfaceId_inserts_fffe_and_flips_the_universal_local_bit()
    {
        Eui64.TryParseMac("fa:16:3e:12:34:56", out byte[] mac).ShouldBeTrue();

        Eui64.InterfaceId(mac).ShouldBe(0xF8163EFFFE123456UL);
    }

    [Fact]
    public void InterfaceId_sets_the_universal_local_bit_when_it_was_clear() =>
        Eui64.InterfaceId([0x00, 0x01, 0x02, 0x03, 0x04, 0x05]).ShouldBe(0x020102FFFE030405UL);

    [Fact]
    public void FromMac_uses_the_network_address_of_the_prefix() =>
        IpAddresses.Canonical(Eui64.FromMac("fa:16:3e:12:34:56", C("fd2e:6f44:5dd8:c956::99/64")))
            .ShouldBe("fd2e:6f44:5dd8:c956:f816:3eff:fe12:3456");

    [Fact]
    public void FromMac_accepts_a_prefix_shorter_than_64_like_oslo_utils() =>
        IpAddresses.Canonical(Eui64.FromMac("fa:16:3e:12:34:56", C("2001:db8:1::/48")))
            .ShouldBe("2001:db8:1:0:f816:3eff:fe12:3456");

    [Fact]
    public void FromMac_accepts_the_MAC_in_any_case_and_netaddr_format() =>
        Eui64.FromMac("FA16.3E12.3456", C("fd00::/64")).ShouldBe(Ip("fd00::f816:3eff:fe12:3456"));

    [Fact]
    public void FromMac_rejects_an_IPv4_prefix_with_oslo_utils_message()
    {
        ArgumentException ex = Should.Throw<ArgumentException>(() => Eui64.FromMac("fa:16:3e:12:34:56", C("10.0.0.0/24")));

        ex.ParamName.ShouldBe("prefix");
        ex.Message.ShouldStartWith("Unable to generate IP address by EUI64 for IPv4 prefix");
    }

    [Fact]
    public void FromMac_rejects_a_prefix_longer_than_64_with_Neutron_message()
    {
        ArgumentException ex = Should.Throw<ArgumentException>(() => Eui64.FromMac("fa:16:3e:12:34:56", C("fd00:4::/80")));

        ex.ParamName.ShouldBe("prefix");
        ex.Message.ShouldStartWith(
            "Invalid CIDR fd00:4::/80 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("fa:16:3e:12:34")]
    [InlineData("not a mac")]
    public void FromMac_rejects_a_bad_MAC_with_oslo_utils_message(string mac)
    {
        ArgumentException ex = Should.Throw<ArgumentException>(() => Eui64.FromMac(mac, C("fd00::/64")));

        ex.ParamName.ShouldBe("mac");
        ex.Message.ShouldStartWith($"Bad prefix or mac format for generating IPv6 address by EUI-64: fd00::/64, {mac}:");
    }

    [Theory]
    [InlineData("fa:16:3e:12:34:56", "fa:16:3e:12:34:56")]
    [InlineData("FA:16:3E:12:34:56", "fa:16:3e:12:34:56")]
    [InlineData("fa-16-3e-12-34-56", "fa:16:3e:12:34:56")]
    [InlineData("fa:16:3e:1:2:3", "fa:16:3e:01:02:03")]
    [InlineData("fa16.3e12.3456", "fa:16:3e:12:34:56")]
    [InlineData("fa16:3e12:3456", "fa:16:3e:12:34:56")]
    [InlineData("fa16-3e12-3456", "fa:16:3e:12:34:56")]
    [InlineData("a16.3e12.3456", "0a:16:3e:12:34:56")]
    [InlineData("fa163e:123456", "fa:16:3e:12:34:56")]
    [InlineData("fa163e-123456", "fa:16:3e:12:34:56")]
    [InlineData("fa163:e12345", "0f:a1:63:e1:23:45")]
    [InlineData("fa163e123456", "fa:16:3e:12:34:56")]
    [InlineData("a163e123456", "0a:16:3e:12:34:56")]
    public void TryParseMac_accepts_the_netaddr_formats(string text, string expected)
    {
        Eui64.TryParseMac(text, out byte[] mac).ShouldBeTrue();

        Eui64.FormatMac(mac).ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" fa:16:3e:12:34:56")]
    [InlineData("fa:16:3e:12:34:56 ")]
    [InlineData("fa:16:3e:12:34")]
    [InlineData("fa:16:3e:12:34:56:78")]
    [InlineData("fa:16:3e:ff:fe:12:34:56")]
    [InlineData("fa:16:3e:12:34:567")]
    [InlineData("fa:16-3e:12:34:56")]
    [InlineData("fa.16.3e.12.34.56")]
    [InlineData("gg:16:3e:12:34:56")]
    [InlineData("fa:16:3e:12:34:")]
    [InlineData("fa::3e:12:34:56")]
    [InlineData("fa163e1234")]
    [InlineData("fa163e1234567")]
    [InlineData("fa163e12345g")]
    [InlineData("fa16.3e123.456")]
    [InlineData("fa1634:e12345:0")]
    public void TryParseMac_rejects_other_text(string? text)
    {
        Eui64.TryParseMac(text, out byte[] mac).ShouldBeFalse();

        mac.ShouldBeEmpty();
    }

    [Fact]
    public void TryExtractMac_recovers_the_MAC_of_an_EUI64_address()
    {
        Eui64.TryExtractMac(Ip("fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36"), out byte[] mac).ShouldBeTrue();

        Eui64.FormatMac(mac).ShouldBe("fa:16:3e:78:cf:36");
    }

    [Theory]
    [InlineData("fd00:20::379")]
    [InlineData("192.168.25.10")]
    [InlineData("::ffff:192.168.25.10")]
    public void TryExtractMac_refuses_addresses_without_fffe_in_the_middle(string address)
    {
        Eui64.TryExtractMac(Ip(address), out byte[] mac).ShouldBeFalse();

        mac.ShouldBeEmpty();
    }

    [Fact]
    public void FormatMac_and_InterfaceId_require_six_bytes()
    {
        Should.Throw<ArgumentException>(() => Eui64.FormatMac([1, 2, 3]));
        Should.Throw<ArgumentException>(() => Eui64.InterfaceId([1, 2, 3, 4, 5, 6, 7]));
    }
}
