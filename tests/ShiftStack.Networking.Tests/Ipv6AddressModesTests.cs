namespace ShiftStack.Networking.Tests;

public class Ipv6AddressModesTests
{
    [Fact]
    public void Constants_are_Neutron_values()
    {
        Ipv6AddressModes.Slaac.ShouldBe("slaac");
        Ipv6AddressModes.DhcpV6Stateful.ShouldBe("dhcpv6-stateful");
        Ipv6AddressModes.DhcpV6Stateless.ShouldBe("dhcpv6-stateless");
        Ipv6AddressModes.All.ShouldBe(["slaac", "dhcpv6-stateful", "dhcpv6-stateless"]);
    }

    [Theory]
    [InlineData("slaac", true)]
    [InlineData("dhcpv6-stateful", true)]
    [InlineData("dhcpv6-stateless", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("none", false)]
    [InlineData("SLAAC", false)]
    public void IsKnown_accepts_exactly_the_three_Neutron_values(string? mode, bool expected) =>
        Ipv6AddressModes.IsKnown(mode).ShouldBe(expected);

    [Theory]
    [InlineData("slaac", true)]
    [InlineData("dhcpv6-stateless", true)]
    [InlineData("dhcpv6-stateful", false)]
    [InlineData(null, false)]
    [InlineData("Slaac", false)]
    public void IsAutoAddress_is_true_for_slaac_and_dhcpv6_stateless(string? mode, bool expected) =>
        Ipv6AddressModes.IsAutoAddress(mode).ShouldBe(expected);

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "slaac", true)]
    [InlineData("slaac", null, true)]
    [InlineData(null, "dhcpv6-stateless", true)]
    [InlineData("dhcpv6-stateless", null, true)]
    [InlineData("slaac", "slaac", true)]
    [InlineData("dhcpv6-stateless", "dhcpv6-stateless", true)]
    [InlineData("dhcpv6-stateful", "dhcpv6-stateful", false)]
    [InlineData(null, "dhcpv6-stateful", false)]
    [InlineData("dhcpv6-stateful", null, false)]
    public void IsAutoAddressSubnet_is_true_when_either_mode_is_auto_address(string? ra, string? address, bool expected) =>
        Ipv6AddressModes.IsAutoAddressSubnet(ra, address).ShouldBe(expected);

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "slaac", true)]
    [InlineData(null, "dhcpv6-stateful", true)]
    [InlineData("dhcpv6-stateless", null, true)]
    [InlineData("slaac", "slaac", true)]
    [InlineData("dhcpv6-stateful", "dhcpv6-stateful", true)]
    [InlineData("dhcpv6-stateless", "dhcpv6-stateless", true)]
    [InlineData("slaac", "dhcpv6-stateful", false)]
    [InlineData("dhcpv6-stateful", "slaac", false)]
    [InlineData("slaac", "dhcpv6-stateless", false)]
    [InlineData("none", null, false)]
    [InlineData(null, "", false)]
    [InlineData("SLAAC", "slaac", false)]
    public void IsValidCombination_follows_Neutron_rules(string? ra, string? address, bool expected) =>
        Ipv6AddressModes.IsValidCombination(ra, address).ShouldBe(expected);
}
