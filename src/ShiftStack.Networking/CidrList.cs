
namespace ShiftStack.Networking;

/// <summary>
/// Helpers over an ordered list of CIDRs such as <c>networking.machineNetwork</c>, where the first entry is the
/// primary family.
/// </summary>
public static class CidrList
{
    /// <summary>
    /// Joins the CIDRs as the installer prints them in messages (<see cref="Cidr.InstallerText"/>), by default
    /// with <c>", "</c> (the dual-stack family errors); the VIP error "IP expected to be in one of the machine
    /// networks" uses <c>","</c>.
    /// </summary>
    /// <param name="cidrs">The CIDRs in order.</param>
    /// <param name="separator">The separator.</param>
    /// <returns>The joined text.</returns>
    public static string Join(IEnumerable<Cidr> cidrs, string separator = ", ")
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        return string.Join(separator, cidrs.Select(c => c.InstallerText));
    }

    /// <summary>The family of the first CIDR (the primary family), or null for an empty list.</summary>
    /// <param name="cidrs">The CIDRs in order.</param>
    /// <returns>The primary family.</returns>
    public static IpFamily? FirstFamily(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        foreach (Cidr cidr in cidrs)
        {
            return cidr.Family;
        }

        return null;
    }

    /// <summary>True when at least one CIDR is of <paramref name="family"/>.</summary>
    /// <param name="cidrs">The CIDRs.</param>
    /// <param name="family">The family.</param>
    /// <returns>True when the family is present.</returns>
    public static bool HasFamily(IEnumerable<Cidr> cidrs, IpFamily family)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        return cidrs.Any(c => c.Family == family);
    }

    /// <summary>True when the list holds at least one IPv4 and at least one IPv6 CIDR.</summary>
    /// <param name="cidrs">The CIDRs.</param>
    /// <returns>True for a dual-stack list.</returns>
    public static bool HasBothFamilies(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        bool v4 = false;
        bool v6 = false;
        foreach (Cidr cidr in cidrs)
        {
            v4 |= cidr.Family == IpFamily.IPv4;
            v6 |= cidr.Family == IpFamily.IPv6;
        }

        return v4 && v6;
    }
}
