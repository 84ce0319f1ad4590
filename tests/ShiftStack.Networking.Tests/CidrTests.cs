using System.Net;
using static ShiftStack.Networking.Tests.TestValues;

namespace ShiftStack.Networking.Tests;

public class CidrTests
{
    [Fact]
    public void Parse_keeps_the_address_as_written_and_masks_the_network()
    {
        // Given a CIDR with host bits set
        Cidr cidr = Cidr.Parse("10.0.0.5/16");

        // Then the address is kept, the network is masked
        cidr.Address.ShouldBe(Ip("10.0.0.5"));
        cidr.Network.ShouldBe(Ip("10.0.0.0"));
        cidr.PrefixLength.ShouldBe(16);
        cidr.Family.ShouldBe(IpFamily.IPv4);
        cidr.AddressBits.ShouldBe(32);
        cidr.IsNetworkAddress.ShouldBeFalse();
        cidr.Text.ShouldBe("10.0.0.5/16");
        cidr.ToString().ShouldBe("10.0.0.0/16");
        cidr.InstallerText.ShouldBe("10.0.0.5/16");
    }

    [Fact]
    public void Parse_reads_an_IPv6_network()
    {
        Cidr cidr = Cidr.Parse("fd2e:6f44:5dd8:c956::/64");

        cidr.Family.ShouldBe(IpFamily.IPv6);
        cidr.AddressBits.ShouldBe(128);
        cidr.PrefixLength.ShouldBe(64);
        cidr.IsNetworkAddress.ShouldBeTrue();
        cidr.Network.ShouldBe(Ip("fd2e:6f44:5dd8:c956::"));
        cidr.ToString().ShouldBe("fd2e:6f44:5dd8:c956::/64");
    }

    [Theory]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", 0)]
    [InlineData("192.168.1.1/0", "0.0.0.0/0", 0)]
    [InlineData("192.168.1.1/32", "192.168.1.1/32", 32)]
    [InlineData("::/0", "::/0", 0)]
    [InlineData("2001:db8::1/0", "::/0", 0)]
    [InlineData("2001:db8::1/128", "2001:db8::1/128", 128)]
    [InlineData("fd00::1/127", "fd00::/127", 127)]
    [InlineData("10.0.0.0/08", "10.0.0.0/8", 8)]
    [InlineData("10.0.0.0/0000000024", "10.0.0.0/24", 24)]
    public void Parse_accepts_the_prefix_lengths_Go_accepts(string text, string canonical, int prefix)
    {
        Cidr.TryParse(text, out Cidr cidr, out string error).ShouldBeTrue();

        error.ShouldBeEmpty();
        cidr.ToString().ShouldBe(canonical);
        cidr.PrefixLength.ShouldBe(prefix);
        cidr.Text.ShouldBe(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("/8")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/1a")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/16777215")]
    [InlineData("010.0.0.0/8")]
    [InlineData("10.00.0.0/16")]
    [InlineData("::ffff:010.0.0.0/104")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.0.0/8")]
    [InlineData("256.0.0.0/8")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("10.0.0.0/8 ")]
    [InlineData("10.0.0.0 /8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("\t10.0.0.0/8")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("[fd00::]/64")]
    [InlineData("fd00::/64\n")]
    [InlineData("1::2::3/64")]
    [InlineData("1:2:3:4:5:6:7:8:9/64")]
    [InlineData("12345::/64")]
    [InlineData("fd00::g/64")]
    public void Parse_rejects_what_Go_ParseCIDR_rejects_with_Go_message(string text)
    {
        Cidr.TryParse(text, out Cidr cidr, out string error).ShouldBeFalse();

        error.ShouldBe("invalid CIDR address: " + text);
        cidr.ShouldBe(default);
    }

    [Fact]
    public void TryParse_of_null_fails_like_an_empty_string()
    {
        Cidr.TryParse(null, out _, out string error).ShouldBeFalse();

        error.ShouldBe("invalid CIDR address: ");
    }

    [Fact]
    public void Parse_throws_FormatException_with_Go_message()
    {
        FormatException ex = Should.Throw<FormatException>(() => Cidr.Parse("010.0.0.0/8"));

        ex.Message.ShouldBe("invalid CIDR address: 010.0.0.0/8");
    }

    [Fact]
    public void Canonical_text_lowercases_and_compresses_IPv6()
    {
        Cidr cidr = Cidr.Parse("FD2E:6F44:5DD8:C956:0::/64");

        cidr.ToString().ShouldBe("fd2e:6f44:5dd8:c956::/64");
        cidr.InstallerText.ShouldBe("fd2e:6f44:5dd8:c956::/64");
        cidr.Text.ShouldBe("FD2E:6F44:5DD8:C956:0::/64");
    }

    [Fact]
    public void ToString_prints_the_network_and_InstallerText_the_address_as_written()
    {
        Cidr cidr = Cidr.Parse("fd2e::0005/64");

        cidr.ToString().ShouldBe("fd2e::/64");
        cidr.InstallerText.ShouldBe("fd2e::5/64");
    }

    [Theory]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8", 8)]
    [InlineData("::ffff:10.1.2.3/120", "10.1.2.0/24", 24)]
    [InlineData("::ffff:a00:0/104", "10.0.0.0/8", 8)]
    [InlineData("::ffff:10.0.0.0/96", "0.0.0.0/0", 0)]
    [InlineData("::ffff:10.0.0.0/128", "10.0.0.0/32", 32)]
    public void IPv4_mapped_CIDR_is_read_as_IPv4_like_Go(string text, string canonical, int prefix)
    {
        Cidr cidr = Cidr.Parse(text);

        cidr.Family.ShouldBe(IpFamily.IPv4);
        cidr.AddressBits.ShouldBe(32);
        cidr.PrefixLength.ShouldBe(prefix);
        cidr.ToString().ShouldBe(canonical);
        cidr.Contains(Ip("10.0.0.1")).ShouldBe(cidr.Contains(Ip("::ffff:10.0.0.1")));
    }

    [Fact]
    public void IPv4_mapped_CIDR_shorter_than_96_is_IPv4_everything_as_Go_prints_it()
    {
        // Go: the installer's IPNet keeps 10.0.0.0 (To4) with a 16-byte /64 mask and prints "10.0.0.0/0".
        Cidr cidr = Cidr.Parse("::ffff:10.0.0.0/64");

        cidr.Family.ShouldBe(IpFamily.IPv4);
        cidr.PrefixLength.ShouldBe(0);
        cidr.InstallerText.ShouldBe("10.0.0.0/0");
        cidr.IsNetworkAddress.ShouldBeFalse();
    }

    [Fact]
    public void An_address_written_in_the_IPv4_mapped_range_makes_the_CIDR_IPv4_whatever_the_prefix()
    {
        // Go's installer keeps the address as written (To4) and classifies the CIDR by it.
        Cidr ipv6 = C("::fffc:0:0/94");
        Cidr mapped = C("::ffff:128.46.60.152/94");

        ipv6.Family.ShouldBe(IpFamily.IPv6);
        mapped.Family.ShouldBe(IpFamily.IPv4);
        mapped.InstallerText.ShouldBe("128.46.60.152/0");
        (ipv6 == mapped).ShouldBeFalse();
    }

    [Fact]
    public void An_IPv6_network_spanning_the_IPv4_mapped_range_does_not_contain_those_addresses_like_Go()
    {
        Cidr cidr = C("::/80");

        cidr.Contains(Ip("::fffe:0:1")).ShouldBeTrue();
        cidr.Contains(Ip("::ffff:0:1")).ShouldBeFalse();
        cidr.Host(-1).ShouldBe(Ip("::ffff:255.255.255.255"));
    }

    [Theory]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("0.0.0.0/16", true)]
    [InlineData("::/0", true)]
    [InlineData("::ffff:0.0.0.0/96", true)]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("::1/128", false)]
    public void IsUnspecified_says_whether_the_address_is_all_zeros(string text, bool expected) =>
        Cidr.Parse(text).IsUnspecified.ShouldBe(expected);

    [Theory]
    [InlineData("192.168.25.0/24", "192.168.25.199", true)]
    [InlineData("192.168.25.0/24", "192.168.26.1", false)]
    [InlineData("192.168.25.0/24", "::ffff:192.168.25.7", true)]
    [InlineData("192.168.25.7/24", "192.168.25.200", true)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("fd2e:6f44:5dd8:c956::/64", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36", true)]
    [InlineData("fd2e:6f44:5dd8:c956::/64", "fd2e:6f44:5dd8:c957::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "1.2.3.4", false)]
    [InlineData("::/0", "::ffff:1.2.3.4", false)]
    [InlineData("::/96", "::1.2.3.4", true)]
    [InlineData("10.0.0.1/32", "10.0.0.1", true)]
    [InlineData("10.0.0.1/32", "10.0.0.2", false)]
    public void Contains_is_family_aware_like_Go(string cidr, string address, bool expected) =>
        C(cidr).Contains(Ip(address)).ShouldBe(expected);

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true)]
    [InlineData("10.1.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0/16", false)]
    [InlineData("10.0.0.0/16", "10.0.0.0/16", true)]
    [InlineData("10.0.1.0/24", "10.0.1.7/16", true)]
    [InlineData("10.128.0.0/14", "10.0.0.0/16", false)]
    [InlineData("172.30.0.0/16", "172.17.0.0/16", false)]
    [InlineData("100.64.0.0/16", "100.64.3.0/24", true)]
    [InlineData("fd98::/64", "fd98::/48", true)]
    [InlineData("fd01::/48", "fd02::/112", false)]
    [InlineData("0.0.0.0/0", "::/0", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.1.0.0/16", true)]
    [InlineData("::/0", "::ffff:10.0.0.0/104", false)]
    public void Overlaps_is_true_when_one_network_contains_the_other(string a, string b, bool expected)
    {
        C(a).Overlaps(C(b)).ShouldBe(expected);
        C(b).Overlaps(C(a)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("192.168.25.0/24", 5, "192.168.25.5")]
    [InlineData("192.168.25.0/24", 7, "192.168.25.7")]
    [InlineData("10.0.0.0/16", 0, "10.0.0.0")]
    [InlineData("10.0.0.0/16", 256, "10.0.1.0")]
    [InlineData("10.0.0.0/16", -1, "10.0.255.255")]
    [InlineData("10.0.0.0/16", -2, "10.0.255.254")]
    [InlineData("10.0.0.0/30", 3, "10.0.0.3")]
    [InlineData("10.0.0.1/32", 0, "10.0.0.1")]
    [InlineData("fd2e::/64", 5, "fd2e::5")]
    [InlineData("fd2e:6f44:5dd8:c956::/64", 7, "fd2e:6f44:5dd8:c956::7")]
    [InlineData("fd2e::/64", -1, "fd2e::ffff:ffff:ffff:ffff")]
    [InlineData("::/0", long.MaxValue, "::7fff:ffff:ffff:ffff")]
    [InlineData("::/0", -1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("::ffff:10.0.0.0/104", 5, "10.0.0.5")]
    public void Host_returns_the_nth_address_of_the_network_like_go_cidr(string cidr, long n, string expected)
    {
        IPAddress? host = C(cidr).Host(n);

        host.ShouldNotBeNull();
        IpAddresses.Canonical(host).ShouldBe(expected);
    }

    [Fact]
    public void Host_ORs_the_number_into_the_address_as_written_like_go_cidr()
    {
        // go-cidr 1.1.0 does not mask: 10.0.0.2/16 host 5 is 10.0.0.7, which equals host 7.
        Cidr cidr = C("10.0.0.2/16");

        cidr.Host(5).ShouldBe(Ip("10.0.0.7"));
        cidr.Host(7).ShouldBe(Ip("10.0.0.7"));
    }

    [Theory]
    [InlineData("10.0.0.0/30", 5, "prefix of 30 does not accommodate a host numbered 5")]
    [InlineData("10.0.0.0/30", 4, "prefix of 30 does not accommodate a host numbered 4")]
    [InlineData("10.0.0.1/32", 1, "prefix of 32 does not accommodate a host numbered 1")]
    [InlineData("fd00::/126", 7, "prefix of 126 does not accommodate a host numbered 7")]
    [InlineData("fd00::/126", -5, "prefix of 126 does not accommodate a host numbered -1")]
    [InlineData("::ffff:10.0.0.0/126", 5, "prefix of 126 does not accommodate a host numbered 5")]
    public void Host_out_of_range_is_null_with_go_cidr_message(string cidr, long n, string message)
    {
        C(cidr).Host(n).ShouldBeNull();

        C(cidr).TryHost(n, out IPAddress? host, out string error).ShouldBeFalse();
        host.ShouldBeNull();
        error.ShouldBe(message);
    }

    [Fact]
    public void TryHost_succeeds_with_an_empty_error()
    {
        C("192.168.25.0/24").TryHost(5, out IPAddress? host, out string error).ShouldBeTrue();

        host.ShouldBe(Ip("192.168.25.5"));
        error.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("10.0.0.5/8", "10.0.0.0/8")]
    [InlineData("10.0.0.0/08", "10.0.0.0/8")]
    [InlineData("FD2E:6F44:5DD8:C956:0::/64", "fd2e:6f44:5dd8:c956::/64")]
    [InlineData("fd2e:6f44:5dd8:c956::1/64", "fd2e:6f44:5dd8:c956::/64")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    public void Equality_compares_network_and_prefix_not_spelling(string a, string b)
    {
        C(a).Equals(C(b)).ShouldBeTrue();
        (C(a) == C(b)).ShouldBeTrue();
        (C(a) != C(b)).ShouldBeFalse();
        C(a).Equals((object)C(b)).ShouldBeTrue();
        C(a).GetHashCode().ShouldBe(C(b).GetHashCode());
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/16")]
    [InlineData("10.0.0.0/8", "11.0.0.0/8")]
    [InlineData("0.0.0.0/0", "::/0")]
    [InlineData("::/96", "::ffff:0.0.0.0/96")]
    public void Equality_distinguishes_different_networks(string a, string b)
    {
        (C(a) == C(b)).ShouldBeFalse();
        (C(a) != C(b)).ShouldBeTrue();
    }

    [Fact]
    public void Default_is_the_IPv4_any_network()
    {
        Cidr cidr = default;

        cidr.ShouldBe(C("0.0.0.0/0"));
        cidr.Family.ShouldBe(IpFamily.IPv4);
        cidr.Address.ShouldBe(IPAddress.Any);
        cidr.Text.ShouldBe("0.0.0.0/0");
        cidr.Equals((object?)null).ShouldBeFalse();
    }
}
