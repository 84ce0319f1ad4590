using System.Net;
using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// preflight.md §5.3: single-stack IPv4 BYON (exactly one <c>controlPlanePort</c> subnet found, and it is IPv4), the
/// VIPs must stay out of the subnet's allocation pools, because the installer creates the VIP ports itself.
/// Dual-stack skips it on purpose: there the VIPs are the addresses of pre-created ports, taken from the pools.
/// ShiftStack also skips it for two <c>fixedIPs</c> of which only the IPv4 subnet was found (the reference would
/// then report the VIPs of the pre-created ports as being in the pool).
/// </summary>
internal static class AllocationPoolRules
{
    public static void Validate(PreflightContext c)
    {
        // The reference runs it whenever one IPv4 subnet was found; ShiftStack not when a second fixedIPs entry (a
        // dual-stack config whose other subnet is missing, which is reported already) makes the VIPs port addresses.
        if (c.UserManagedLoadBalancer || c.Port is not { FixedIPs.Count: 1 } || c.FoundSubnets.Count != 1 || c.FoundSubnets[0].Subnet.IpVersion != 4)
        {
            return;
        }

        var pools = c.FoundSubnets[0].Subnet.AllocationPools
            .Select(p => (Start: PreflightContext.Parse(p.Start), End: PreflightContext.Parse(p.End)))
            .Where(p => p.Start is not null && p.End is not null)
            .Select(p => (Start: Bytes(p.Start!), End: Bytes(p.End!)))
            .ToList();
        Check(c, "apiVIPs", "apiVIP", c.OpenStack.ApiVips, pools);
        Check(c, "ingressVIPs", "ingressVIP", c.OpenStack.IngressVips, pools);
    }

    private static void Check(PreflightContext c, string field, string singular, IReadOnlyList<string> vips, List<(UInt128 Start, UInt128 End)> pools)
    {
        foreach (var vip in vips)
        {
            if (PreflightContext.Parse(vip) is not { } address)
            {
                continue;
            }

            var value = Bytes(address);
            if (pools.Any(p => value >= p.Start && value <= p.End))
            {
                c.Error(FieldError.Invalid(PreflightContext.Base.Child(field), vip, singular + " can not fall in a MachineNetwork allocation pool"));
            }
        }
    }

    // Go compares the 16-byte forms (IPv4 as ::ffff:a.b.c.d) byte by byte: the same order as this 128-bit value.
    private static UInt128 Bytes(IPAddress address)
    {
        var bytes = address.MapToIPv6().GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
