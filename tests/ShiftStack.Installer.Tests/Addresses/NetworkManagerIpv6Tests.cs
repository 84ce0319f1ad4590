using ShiftStack.Installer.Addresses;
using ShiftStack.Installer.Ignition;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>NetworkManager's IPv6 settings mapped to kernel sysctls (node-addresses.md §2).</summary>
public sealed class NetworkManagerIpv6Tests
{
    [Fact]
    public void ShiftStacks_02_ipv6_conf_stands_for_EUI64_and_no_privacy_addresses()
    {
        var settings = NetworkManagerIpv6.KernelSettings(IgnitionConfigs.Ipv6Conf);

        settings.ShouldBe(new KernelIpv6Settings(KernelIpv6Settings.Eui64, null));
        NetworkManagerIpv6.Sysctls(settings, "eth0").ShouldBe(["net.ipv6.conf.eth0.addr_gen_mode=0", "net.ipv6.conf.eth0.use_tempaddr=0"]);
    }

    [Theory]
    [InlineData("eui64", 0)]
    [InlineData("0", 0)]
    [InlineData("stable-privacy", 2)]
    [InlineData("1", 2)]
    [InlineData("default-or-eui64", 0)]
    [InlineData("2", 0)]
    [InlineData("default", 2)]
    [InlineData("3", 2)]
    public void Addr_gen_mode_names_and_numbers_map_to_the_kernel_mode(string value, int kernel)
    {
        NetworkManagerIpv6.KernelSettings($"[connection]\nipv6.addr-gen-mode={value}\n").AddrGenMode.ShouldBe(kernel);
    }

    [Theory]
    [InlineData("-1", null)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    public void Ip6_privacy_maps_to_use_tempaddr(string value, int? kernel)
    {
        NetworkManagerIpv6.KernelSettings($"[connection]\nipv6.ip6-privacy={value}\n").UseTempaddr.ShouldBe(kernel);
    }

    [Fact]
    public void Keys_outside_connection_sections_are_ignored_and_unknown_values_rejected()
    {
        NetworkManagerIpv6.KernelSettings("[main]\nipv6.addr-gen-mode=1\n").AddrGenMode.ShouldBe(0);
        NetworkManagerIpv6.KernelSettings("[connection-eth]\nmatch-device=interface-name:eth0\nipv6.addr-gen-mode=stable-privacy\n").AddrGenMode.ShouldBe(2);
        Should.Throw<FormatException>(() => NetworkManagerIpv6.KernelSettings("[connection]\nipv6.addr-gen-mode=mac\n"));
    }
}
