using ShiftStack.Installer.Addresses;
using static ShiftStack.Installer.Tests.Addresses.AddressFixtures;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>Predicted IPv6 address vs Neutron's (neutron-ipv6.md §3–§5).</summary>
public sealed class Ipv6PredictionTests
{
    [Theory]
    [InlineData("slaac", "slaac")]
    [InlineData("dhcpv6-stateless", "dhcpv6-stateless")]
    [InlineData(null, "slaac")]
    [InlineData("slaac", null)]
    public void On_an_auto_address_subnet_the_EUI64_address_agrees(string? raMode, string? addressMode)
    {
        var subnet = V6("s", raMode, addressMode);
        var port = Port("api", Mac, "DOWN", NetworkId, ("sub-v4", "192.168.25.5"), ("s", Eui64));

        var check = Ipv6Prediction.Check(port, ById(V4Subnet, subnet), [V4Subnet.Id, subnet.Id]).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.Agrees);
        check.Recorded.ShouldBe(Eui64);
        check.Predicted.ShouldBe(Eui64);
        check.GuestAddress.ShouldBe(Eui64);
        check.Reason.ShouldBeNull();
    }

    [Theory]
    [InlineData("dhcpv6-stateful", "dhcpv6-stateful")]
    [InlineData(null, null)]
    public void On_a_stateful_subnet_the_address_is_assigned_by_DHCPv6(string? raMode, string? addressMode)
    {
        var subnet = V6("s", raMode, addressMode);
        var port = Port("api", Mac, "DOWN", NetworkId, ("s", "fd2e:6f44:5dd8:c956::379"));

        var check = Ipv6Prediction.Check(port, ById(subnet), [subnet.Id]).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.AssignedByDhcpv6);
        check.Predicted.ShouldBe("assigned by DHCPv6");
        check.GuestAddress.ShouldBe("fd2e:6f44:5dd8:c956::379", "the guest gets Neutron's address from DHCPv6");
    }

    [Fact]
    public void A_recorded_address_that_is_not_the_EUI64_of_the_MAC_is_a_reported_mismatch()
    {
        // Given: the port's MAC changed (or the record is stale): Neutron holds the EUI-64 of another MAC
        var port = Port("api", Mac2, "ACTIVE", NetworkId, ("sub-v6", Eui64));

        var check = Ipv6Prediction.Check(port, ById(Slaac), [Slaac.Id]).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.Disagrees);
        check.Predicted.ShouldBe(Eui64Mac2);
        check.Reason.ShouldBe(
            $"Neutron recorded {Eui64} but the guest will configure {Eui64Mac2} (EUI-64 of MAC {Mac2} on slaac subnet {V6Cidr}); " +
            "port security drops traffic from an address Neutron does not know");
    }

    [Fact]
    public void Text_differences_alone_are_not_a_mismatch()
    {
        var port = Port("api", Mac, "ACTIVE", NetworkId, ("sub-v6", Eui64.ToUpperInvariant()));

        Ipv6Prediction.Check(port, ById(Slaac), [Slaac.Id]).ShouldHaveSingleItem().Agreement.ShouldBe(AddressAgreement.Agrees);
    }

    [Fact]
    public void No_address_on_an_auto_address_subnet_of_the_network_is_a_mismatch()
    {
        var port = Port("api", Mac, "ACTIVE", NetworkId, ("sub-v4", "192.168.25.5"));

        var check = Ipv6Prediction.Check(port, ById(V4Subnet, Slaac), [V4Subnet.Id, Slaac.Id]).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.Disagrees);
        check.Recorded.ShouldBeNull();
        check.Predicted.ShouldBe(Eui64);
        check.Reason!.ShouldContain("Neutron recorded no address on slaac subnet");
    }

    [Fact]
    public void Router_interfaces_get_no_EUI64_address_and_are_not_blamed_for_it()
    {
        var port = Port("gw", Mac, "ACTIVE", NetworkId, ("sub-v4", "192.168.25.1")) with { DeviceOwner = "network:router_interface" };

        Ipv6Prediction.Check(port, ById(V4Subnet, Slaac), [V4Subnet.Id, Slaac.Id]).ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_subnet_cannot_be_predicted_and_says_so()
    {
        var port = Port("api", Mac, "ACTIVE", NetworkId, ("gone", Eui64));

        var check = Ipv6Prediction.Check(port, ById(), []).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.Disagrees);
        check.Reason.ShouldBe($"subnet gone of {Eui64} was not found, so nothing can be predicted");
    }

    [Fact]
    public void An_unreadable_MAC_is_a_mismatch_with_oslo_utils_message()
    {
        var port = Port("api", "not-a-mac", "ACTIVE", NetworkId, ("sub-v6", Eui64));

        var check = Ipv6Prediction.Check(port, ById(Slaac), [Slaac.Id]).ShouldHaveSingleItem();

        check.Agreement.ShouldBe(AddressAgreement.Disagrees);
        check.Reason!.ShouldContain("Bad prefix or mac format");
    }
}
