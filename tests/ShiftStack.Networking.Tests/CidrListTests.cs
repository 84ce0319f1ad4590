using static ShiftStack.Networking.Tests.TestValues;

namespace ShiftStack.Networking.Tests;

public class CidrListTests
{
    private static readonly Cidr[] DualStackMachineNetwork = [C("192.168.25.0/24"), C("FD2E:6F44:5DD8:C956::/64")];

    [Fact]
    public void Join_prints_the_CIDRs_as_the_installer_does_with_comma_space() =>
        CidrList.Join(DualStackMachineNetwork).ShouldBe("192.168.25.0/24, fd2e:6f44:5dd8:c956::/64");

    [Fact]
    public void Join_takes_another_separator_and_keeps_host_bits_as_written() =>
        CidrList.Join([C("10.0.0.5/16"), C("fd00::1/64")], ",").ShouldBe("10.0.0.5/16,fd00::1/64");

    [Fact]
    public void Join_of_an_empty_list_is_empty() => CidrList.Join([]).ShouldBeEmpty();

    [Fact]
    public void FirstFamily_is_the_family_of_the_first_entry()
    {
        CidrList.FirstFamily(DualStackMachineNetwork).ShouldBe(IpFamily.IPv4);
        CidrList.FirstFamily(DualStackMachineNetwork.Reverse()).ShouldBe(IpFamily.IPv6);
        CidrList.FirstFamily([]).ShouldBeNull();
    }

    [Fact]
    public void HasBothFamilies_needs_one_of_each()
    {
        CidrList.HasBothFamilies(DualStackMachineNetwork).ShouldBeTrue();
        CidrList.HasBothFamilies([C("10.0.0.0/16"), C("10.1.0.0/16")]).ShouldBeFalse();
        CidrList.HasBothFamilies([C("fd01::/48")]).ShouldBeFalse();
        CidrList.HasBothFamilies([]).ShouldBeFalse();
    }

    [Fact]
    public void HasFamily_finds_a_family_anywhere_in_the_list()
    {
        CidrList.HasFamily(DualStackMachineNetwork, IpFamily.IPv6).ShouldBeTrue();
        CidrList.HasFamily([C("172.30.0.0/16")], IpFamily.IPv6).ShouldBeFalse();
        CidrList.HasFamily([C("::ffff:172.30.0.0/112")], IpFamily.IPv4).ShouldBeTrue();
    }
}
