using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// ShiftStack: every API and Ingress VIP lies in the <c>controlPlanePort</c> subnet of its family (the reference only
/// checks, statically, that it lies in some machine network).
/// </summary>
internal static class VipSubnetRules
{
    public static void Validate(PreflightContext c)
    {
        if (c.UserManagedLoadBalancer || c.FoundSubnets.Count == 0)
        {
            return;
        }

        Check(c, "apiVIPs", c.OpenStack.ApiVips);
        Check(c, "ingressVIPs", c.OpenStack.IngressVips);
    }

    private static void Check(PreflightContext c, string field, IReadOnlyList<string> vips)
    {
        foreach (var (text, address) in PreflightContext.ParseAll(vips))
        {
            var family = IpAddresses.FamilyOf(address);
            var subnets = c.FoundSubnets.Select(x => x.Subnet).Where(s => (s.IpVersion == 6) == (family == IpFamily.IPv6)).ToList();
            if (subnets.Count == 0)
            {
                // No subnet of this family: the family checks report it.
                continue;
            }

            if (subnets.Any(s => Cidr.TryParse(s.Cidr, out var cidr, out _) && cidr.Contains(address)))
            {
                continue;
            }

            var where = string.Join(" or ", subnets.Select(s => $"{s.Cidr} (subnet {PreflightContext.Describe(s)})"));
            c.Error(FieldError.Invalid(PreflightContext.Base.Child(field), text,
                ShiftStackCheck.Mark($"the VIP must be in the {(family == IpFamily.IPv6 ? "IPv6" : "IPv4")} subnet of controlPlanePort: {where}")));
        }
    }
}
