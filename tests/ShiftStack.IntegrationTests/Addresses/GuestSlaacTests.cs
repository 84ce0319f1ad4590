using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ShiftStack.Installer.Addresses;
using ShiftStack.Installer.Ignition;
using ShiftStack.IntegrationTests.OpenStack;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// Guest-side proof that predicted = Neutron = guest: a real Neutron port on a real auto-address /64, a "guest" network
/// namespace whose veth carries that port's MAC and the kernel settings ShiftStack's NetworkManager file
/// (<c>02-ipv6.conf</c>, <see cref="IgnitionConfigs.Ipv6Conf"/>) stands for, and a "router" namespace advertising the
/// subnet's /64. The kernel's SLAAC address must be Neutron's <c>fixed_ips</c> entry and ShiftStack's prediction;
/// with stable-privacy (<c>addr_gen_mode=2</c>) or random (<c>3</c>) interface ids it must not be. Needs root (CI is
/// root); never skipped. Every wait is bounded.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GuestSlaacTests(LocalCloud cloud, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan AddressTimeout = TimeSpan.FromSeconds(30);

    private readonly NeutronResources _resources = new(cloud.Networking, cloud);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _resources.CleanUpAsync();

    /// <summary>A fresh ULA /64 per test, so tests never share a prefix.</summary>
    private static Cidr RandomPrefix()
    {
        var bytes = new byte[16];
        bytes[0] = 0xfd;
        RandomNumberGenerator.Fill(bytes.AsSpan(1, 7));
        return Cidr.Parse(IpAddresses.Canonical(new IPAddress(bytes)) + "/64");
    }

    private async Task<(Port Port, Subnet Subnet, string NeutronIpv6)> NeutronPortAsync(string mode)
    {
        var network = await _resources.NetworkAsync("guest-" + mode);
        var subnet = await _resources.Ipv6SubnetAsync(network.Id, RandomPrefix().ToString(), new Ipv6Mode(mode));
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "guest-" + mode });
        var v6 = port.FixedIps.ShouldHaveSingleItem();
        v6.SubnetId.ShouldBe(subnet.Id);
        return (port, subnet, v6.IpAddress);
    }

    /// <summary>Brings up the pair, the guest with <paramref name="guestSysctls"/>, and waits for a usable global address.</summary>
    private async Task<IPAddress> GuestAddressAsync(NamespacePair pair, string mac, Cidr prefix, string mode, IReadOnlyList<string> guestSysctls)
    {
        NamespacePair.Ip("-n", pair.Guest, "link", "set", "dev", pair.GuestInterface, "address", mac);
        NamespacePair.Sysctl(pair.Guest, [.. guestSysctls, $"net.ipv6.conf.{pair.GuestInterface}.accept_ra=2"]);
        NamespacePair.Sysctl(pair.Router,
            "net.ipv6.conf.all.forwarding=1",
            $"net.ipv6.conf.{pair.RouterInterface}.accept_dad=0"); // the router's link-local source is usable at once
        NamespacePair.Ip("-n", pair.Router, "link", "set", "dev", pair.RouterInterface, "up");
        NamespacePair.Ip("-n", pair.Guest, "link", "set", "dev", pair.GuestInterface, "up");

        await using var router = RouterAdvertiser.Start(pair.Router, pair.RouterInterface, prefix, mode);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < AddressTimeout)
        {
            var usable = NamespacePair.GlobalIpv6(pair.Guest, pair.GuestInterface).Where(a => !a.Tentative && !a.Temporary).ToList();
            if (usable.Count > 0)
            {
                output.WriteLine($"guest {pair.GuestInterface} ({mac}) got {usable[0].Address}/{usable[0].PrefixLength} after {clock.ElapsedMilliseconds} ms, {router.Sent} RAs");
                usable.Count.ShouldBe(1, "one global address: no temporary (use_tempaddr) ones");
                usable[0].PrefixLength.ShouldBe(64);
                return usable[0].Address;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(
            $"no global IPv6 address on {pair.GuestInterface} in {pair.Guest} within {AddressTimeout.TotalSeconds} s " +
            $"({router.Sent} RAs sent, last send error: {router.LastError ?? "none"}; addresses: " +
            NamespacePair.Ip("-n", pair.Guest, "-6", "addr", "show", "dev", pair.GuestInterface).Trim() + ")");
    }

    [Theory]
    [InlineData(Ipv6AddressModes.Slaac)]
    [InlineData(Ipv6AddressModes.DhcpV6Stateless)]
    public async Task With_ShiftStacks_NetworkManager_settings_the_guest_configures_exactly_Neutrons_address(string mode)
    {
        // Given: a Neutron port on an auto-address /64, and the kernel settings 02-ipv6.conf stands for
        var (port, subnet, neutronIpv6) = await NeutronPortAsync(mode);
        var settings = NetworkManagerIpv6.KernelSettings(IgnitionConfigs.Ipv6Conf);
        settings.AddrGenMode.ShouldBe(KernelIpv6Settings.Eui64);
        using var pair = NamespacePair.Create();

        // When: the guest with that MAC hears RAs for the subnet's /64
        var guest = await GuestAddressAsync(pair, port.MacAddress, Cidr.Parse(subnet.Cidr), mode, NetworkManagerIpv6.Sysctls(settings, pair.GuestInterface));

        // Then: guest = Neutron = ShiftStack's prediction
        var check = Ipv6Prediction.CheckOne(port.MacAddress, subnet, neutronIpv6);
        IpAddresses.Canonical(guest).ShouldBe(neutronIpv6, $"kernel SLAAC address vs Neutron fixed_ips for MAC {port.MacAddress}");
        check.Agreement.ShouldBe(AddressAgreement.Agrees);
        check.Predicted.ShouldBe(neutronIpv6);
    }

    [Theory]
    [InlineData(KernelIpv6Settings.StablePrivacy)]
    [InlineData(KernelIpv6Settings.Random)]
    public async Task With_a_privacy_interface_id_the_guest_address_is_not_Neutrons(int addrGenMode)
    {
        // Given
        var (port, subnet, neutronIpv6) = await NeutronPortAsync(Ipv6AddressModes.Slaac);
        using var pair = NamespacePair.Create();
        var secret = IpAddresses.Canonical(new IPAddress(RandomNumberGenerator.GetBytes(16)));
        string[] sysctls = addrGenMode == KernelIpv6Settings.StablePrivacy
            ? [$"net.ipv6.conf.{pair.GuestInterface}.stable_secret={secret}", $"net.ipv6.conf.{pair.GuestInterface}.addr_gen_mode=2", $"net.ipv6.conf.{pair.GuestInterface}.use_tempaddr=0"]
            : [$"net.ipv6.conf.{pair.GuestInterface}.addr_gen_mode=3", $"net.ipv6.conf.{pair.GuestInterface}.use_tempaddr=0"];

        // When
        var guest = await GuestAddressAsync(pair, port.MacAddress, Cidr.Parse(subnet.Cidr), Ipv6AddressModes.Slaac, sysctls);

        // Then: same /64, another interface id, not EUI-64 at all: Neutron's port security would drop its traffic
        Cidr.Parse(subnet.Cidr).Contains(guest).ShouldBeTrue();
        IpAddresses.Canonical(guest).ShouldNotBe(neutronIpv6);
        Eui64.TryExtractMac(guest, out _).ShouldBeFalse($"{guest} should not be an EUI-64 address");
    }

    [Fact]
    public void Namespaces_are_removed_on_dispose_even_after_a_failure()
    {
        NamespacePair pair;
        using (pair = NamespacePair.Create())
        {
            NamespacePair.List().ShouldContain(pair.Guest);
            Should.Throw<InvalidOperationException>(() => NamespacePair.Ip("-n", pair.Guest, "link", "set", "dev", "no-such-if", "up"));
        }

        NamespacePair.List().ShouldNotContain(pair.Guest);
        NamespacePair.List().ShouldNotContain(pair.Router);
    }
}
