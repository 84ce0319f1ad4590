using System.Net;
using System.Net.Sockets;
using static ShiftStack.Networking.Tests.TestValues;

namespace ShiftStack.Networking.Tests;

public class IpAddressesTests
{
    [Theory]
    [InlineData("192.168.0.1", "192.168.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8::0:1", "2001:db8::1")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("0:0:0:0:0:0:0:0", "::")]
    [InlineData("0001:0002::", "1:2::")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("::FFFF:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    [InlineData("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
    [InlineData("fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36")]
    public void TryParse_accepts_what_Go_ParseIP_accepts(string text, string canonical)
    {
        IpAddresses.TryParse(text, out IPAddress? address).ShouldBeTrue();

        address.ShouldNotBeNull();
        IpAddresses.Canonical(address).ShouldBe(canonical);
        address.ShouldBe(IPAddress.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.4\n")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("1.2.3.00")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..2.3")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.")]
    [InlineData("1")]
    [InlineData("0x1.2.3.4")]
    [InlineData("1.2.3.4:80")]
    [InlineData("1.2.3.4/32")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%")]
    [InlineData("%eth0")]
    [InlineData("[::1]")]
    [InlineData("::1/128")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("1::2::3")]
    [InlineData(":::")]
    [InlineData("12345::")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("1::2:")]
    [InlineData("g::")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("::1.2.3")]
    [InlineData("1:2:3:4:5:1.2.3.4")]
    [InlineData("1:2:3:4:5:6::1.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("::1.2.3.4:5")]
    public void TryParse_rejects_what_Go_ParseIP_rejects(string text)
    {
        IpAddresses.TryParse(text, out IPAddress? address).ShouldBeFalse();

        address.ShouldBeNull();
    }

    [Fact]
    public void TryParse_rejects_null() => IpAddresses.TryParse(null, out _).ShouldBeFalse();

    [Fact]
    public void TryParse_keeps_an_IPv4_mapped_text_as_a_16_byte_address()
    {
        IpAddresses.TryParse("::ffff:192.0.2.1", out IPAddress? address).ShouldBeTrue();

        address!.AddressFamily.ShouldBe(AddressFamily.InterNetworkV6);
        address.IsIPv4MappedToIPv6.ShouldBeTrue();
    }

    [Theory]
    [InlineData("192.0.2.1", IpFamily.IPv4)]
    [InlineData("::ffff:192.0.2.1", IpFamily.IPv4)]
    [InlineData("::ffff:0:0", IpFamily.IPv4)]
    [InlineData("::1", IpFamily.IPv6)]
    [InlineData("::192.0.2.1", IpFamily.IPv6)]
    [InlineData("::ffff:0:c000:201", IpFamily.IPv6)]
    [InlineData("fd2e::5", IpFamily.IPv6)]
    public void FamilyOf_treats_IPv4_mapped_IPv6_as_IPv4_like_Go_To4(string text, IpFamily family) =>
        IpAddresses.FamilyOf(Ip(text)).ShouldBe(family);

    [Theory]
    [InlineData("2001:DB8::0:1", "2001:db8::1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData("1:0:0:2:0:0:3:4", "1::2:0:0:3:4")]
    [InlineData("1:0:0:0:2:0:0:0", "1::2:0:0:0")]
    [InlineData("0:0:1:0:0:0:0:0", "0:0:1::")]
    [InlineData("fd2e:6f44:5dd8:c956:f816:3eff:fe00:0002", "fd2e:6f44:5dd8:c956:f816:3eff:fe00:2")]
    [InlineData("fd00:0:0:0:0:ff:fe00:1", "fd00::ff:fe00:1")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("::ffff:0.0.0.0", "::ffff:0.0.0.0")]
    [InlineData("::ffff:0.0.1.2", "::ffff:0.0.1.2")]
    [InlineData("::1.2.3.4", "::1.2.3.4")]
    [InlineData("::0.1.0.2", "::0.1.0.2")]
    [InlineData("::0.0.1.2", "::102")]
    [InlineData("::ffff:0:102:304", "::ffff:0:102:304")]
    [InlineData("2001:db8::5efe:a00:1", "2001:db8::5efe:a00:1")]
    [InlineData("192.168.0.1", "192.168.0.1")]
    public void Canonical_text_lowercases_and_compresses_IPv6(string text, string canonical) =>
        IpAddresses.Canonical(Ip(text)).ShouldBe(canonical);

    [Fact]
    public void Canonical_ignores_the_scope_id() =>
        IpAddresses.Canonical(new IPAddress(Ip("fe80::1").GetAddressBytes(), 3)).ShouldBe("fe80::1");

    [Theory]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::1.2.3.4", "::102:304")]
    [InlineData("2001:DB8::0:1", "2001:db8::1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("2001:db8::5efe:a00:1", "2001:db8::5efe:a00:1")]
    public void InstallerText_prints_like_Go_net_IP_String(string text, string expected) =>
        IpAddresses.InstallerText(Ip(text)).ShouldBe(expected);

    [Theory]
    [InlineData("1.2.3.4", "::ffff:1.2.3.4", true)]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4", true)]
    [InlineData("1.2.3.4", "1.2.3.4", true)]
    [InlineData("1.2.3.4", "::1.2.3.4", false)]
    [InlineData("1.2.3.4", "1.2.3.5", false)]
    [InlineData("2001:db8::1", "2001:DB8:0::1", true)]
    [InlineData("::", "0.0.0.0", false)]
    public void SemanticEquals_treats_IPv4_as_its_mapped_form_like_Go_IP_Equal(string a, string b, bool expected) =>
        IpAddresses.SemanticEquals(Ip(a), Ip(b)).ShouldBe(expected);

    [Fact]
    public void SemanticEquals_ignores_the_scope_id() =>
        IpAddresses.SemanticEquals(new IPAddress(Ip("fe80::1").GetAddressBytes(), 3), Ip("fe80::1")).ShouldBeTrue();

    [Fact]
    public void Methods_reject_a_null_address()
    {
        Should.Throw<ArgumentNullException>(() => IpAddresses.FamilyOf(null!));
        Should.Throw<ArgumentNullException>(() => IpAddresses.Canonical(null!));
        Should.Throw<ArgumentNullException>(() => IpAddresses.InstallerText(null!));
        Should.Throw<ArgumentNullException>(() => IpAddresses.SemanticEquals(null!, IPAddress.Any));
        Should.Throw<ArgumentNullException>(() => C("10.0.0.0/8").Contains(null!));
    }
}
