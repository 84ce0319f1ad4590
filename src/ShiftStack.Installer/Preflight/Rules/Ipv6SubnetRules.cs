using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// ShiftStack (docs/deviations.md §6): the IPv6 <c>controlPlanePort</c> subnets' address modes, and a Neutron router to
/// send their Router Advertisements. Warnings, because a router outside Neutron may do the job; the reference never
/// reads these attributes.
/// </summary>
internal static class Ipv6SubnetRules
{
    public static void Validate(PreflightContext c)
    {
        var singleStackIpv6 = c.Port is { FixedIPs.Count: 1 };
        foreach (var (index, subnet) in c.FoundSubnets.Where(x => x.Subnet.IpVersion == 6))
        {
            var path = PreflightContext.SubnetPath(index);
            var ra = subnet.Ipv6RaMode?.Value;
            var address = subnet.Ipv6AddressMode?.Value;
            var name = "IPv6 subnet " + PreflightContext.Describe(subnet);
            if (ra is null && address is null)
            {
                c.Warn(path, ShiftStackCheck.Mark(
                    $"{name} has neither ipv6_address_mode nor ipv6_ra_mode: Neutron sends no Router Advertisements and no DHCPv6 for it, so the nodes get no IPv6 address; "
                    + "create it with --ipv6-ra-mode slaac --ipv6-address-mode slaac (or both dhcpv6-stateless, or both dhcpv6-stateful)"));
            }
            else if (address is null)
            {
                c.Warn(path, ShiftStackCheck.Mark(
                    $"{name} has ipv6_ra_mode {ra} but no ipv6_address_mode: Neutron's reference implementation does not support this combination and the nodes may get no IPv6 address; "
                    + $"create it with --ipv6-address-mode {ra} as well"));
            }
            else if (ra is null)
            {
                c.Warn(path, ShiftStackCheck.Mark(address == Ipv6AddressModes.Slaac
                    ? $"{name} has ipv6_address_mode slaac but no ipv6_ra_mode: no Neutron router advertises it, so a router outside Neutron must send Router Advertisements for {subnet.Cidr} (flags {Flags(address)}) or the nodes get no IPv6 address"
                    : $"{name} has ipv6_address_mode {address} but no ipv6_ra_mode: Neutron's reference implementation supports an address mode alone only for slaac; "
                      + $"a router outside Neutron must send Router Advertisements for {subnet.Cidr} with flags {Flags(address)}, or create the subnet with --ipv6-ra-mode {address}"));
            }
            else if (!string.Equals(ra, address, StringComparison.Ordinal))
            {
                c.Warn(path, ShiftStackCheck.Mark(
                    $"{name} has ipv6_ra_mode {ra} but ipv6_address_mode {address}: Neutron refuses different modes (\"If both attributes are set, they must be the same value\"), "
                    + "so the routers advertise one mode and DHCPv6 serves another; recreate the subnet with both modes equal"));
            }

            if (ra is not null && !c.Cloud.RouterInterfacePorts.Any(p => p.FixedIps.Any(ip => ip.SubnetId == subnet.Id)))
            {
                c.Warn(path, ShiftStackCheck.Mark(
                    $"{name} has ipv6_ra_mode {ra} but no Neutron router has an interface on it, so nothing sends its Router Advertisements and the nodes get no IPv6 address; "
                    + $"attach it to a router: openstack router add subnet <router> {subnet.Id}"));
            }

            if (singleStackIpv6 && address != Ipv6AddressModes.DhcpV6Stateful)
            {
                c.Warn(path, ShiftStackCheck.Mark(
                    $"{name} has ipv6_address_mode {address ?? "unset"}: single-stack IPv6 needs dhcpv6-stateful, otherwise the nodes get no DNS servers "
                    + "(BZ 2304331; the installer's single-stack IPv6 documentation requires stateful DHCPv6)"));
            }
        }
    }

    private static string Flags(string mode) => mode switch
    {
        Ipv6AddressModes.Slaac => "A=1 M=0 O=0",
        Ipv6AddressModes.DhcpV6Stateless => "A=1 M=0 O=1",
        Ipv6AddressModes.DhcpV6Stateful => "A=0 M=1 O=0",
        _ => "unknown for mode " + mode,
    };
}
