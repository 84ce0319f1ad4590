using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Addresses;

/// <summary>How a port's recorded IPv6 address compares with the one the guest will configure.</summary>
public enum AddressAgreement
{
    /// <summary>Auto-address subnet: Neutron's address is the EUI-64 of the port's MAC, which the guest also builds.</summary>
    Agrees,

    /// <summary>Stateful subnet: Neutron's IPAM picked the address and the guest gets that same address from DHCPv6; nothing to predict.</summary>
    AssignedByDhcpv6,

    /// <summary>The guest would not configure the address Neutron recorded (or Neutron recorded none where it should have).</summary>
    Disagrees,
}

/// <summary>One IPv6 address of a port, with its prediction.</summary>
/// <param name="SubnetId">The subnet.</param>
/// <param name="SubnetCidr">Its CIDR, when the subnet is known.</param>
/// <param name="Mode">Its mode: <c>ipv6_address_mode</c>, else <c>ipv6_ra_mode</c>, else null (neither set).</param>
/// <param name="Recorded">The address Neutron recorded; null when it recorded none on an auto-address subnet.</param>
/// <param name="Predicted">The predicted address text, or <see cref="Ipv6Prediction.AssignedByDhcpv6"/>, or why none can be predicted.</param>
/// <param name="Agreement">The verdict.</param>
/// <param name="Reason">Why it disagrees (null when it agrees).</param>
public sealed record Ipv6Check(
    string SubnetId,
    string? SubnetCidr,
    string? Mode,
    string? Recorded,
    string Predicted,
    AddressAgreement Agreement,
    string? Reason)
{
    /// <summary>The address the guest ends up with: the prediction on auto-address subnets, Neutron's address on stateful ones.</summary>
    public string? GuestAddress => Agreement == AddressAgreement.AssignedByDhcpv6 ? Recorded
        : IpAddresses.TryParse(Predicted, out _) ? Predicted : null;
}

/// <summary>
/// Predicts the IPv6 address a guest configures for a Neutron port from the port's MAC and the subnet's mode
/// (docs/addresses.md§5), and compares it with the address Neutron recorded.
/// </summary>
public static class Ipv6Prediction
{
    /// <summary>The prediction on a stateful subnet.</summary>
    public const string AssignedByDhcpv6 = "assigned by DHCPv6";

    /// <summary>
    /// One check per IPv6 fixed IP of <paramref name="port"/>, plus one per auto-address subnet of the port's network
    /// that the port has no address on (Neutron adds one to every non-router port, so its absence is a disagreement).
    /// <list type="bullet">
    /// <item>auto-address subnet (either mode <c>slaac</c> or <c>dhcpv6-stateless</c>): predicted = EUI-64 of the MAC
    /// on the subnet's /64; agrees when Neutron recorded exactly that address;</item>
    /// <item>stateful subnet (<c>dhcpv6-stateful</c>, or no mode): <see cref="AssignedByDhcpv6"/>;</item>
    /// <item>subnet not found, MAC unreadable, prefix not /64: disagrees, with the reason.</item>
    /// </list>
    /// </summary>
    /// <param name="port">The port.</param>
    /// <param name="subnets">Known subnets by id.</param>
    /// <param name="networkSubnetIds">The ids of the subnets of the port's network (for missing auto addresses); empty when unknown.</param>
    /// <returns>The checks, in fixed-IP order, then the missing ones.</returns>
    public static IReadOnlyList<Ipv6Check> Check(Port port, IReadOnlyDictionary<string, Subnet> subnets, IReadOnlyList<string> networkSubnetIds)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(subnets);
        ArgumentNullException.ThrowIfNull(networkSubnetIds);
        var checks = new List<Ipv6Check>();
        foreach (var fixedIp in port.FixedIps)
        {
            if (!IpAddresses.TryParse(fixedIp.IpAddress, out var recorded) || IpAddresses.FamilyOf(recorded) != IpFamily.IPv6)
            {
                continue;
            }

            if (!subnets.TryGetValue(fixedIp.SubnetId, out var subnet))
            {
                checks.Add(new Ipv6Check(fixedIp.SubnetId, null, null, fixedIp.IpAddress, "unknown",
                    AddressAgreement.Disagrees, $"subnet {fixedIp.SubnetId} of {fixedIp.IpAddress} was not found, so nothing can be predicted"));
                continue;
            }

            checks.Add(CheckOne(port.MacAddress, subnet, fixedIp.IpAddress));
        }

        var isRouterPort = port.DeviceOwner.StartsWith("network:router_interface", StringComparison.Ordinal);
        foreach (var id in networkSubnetIds)
        {
            if (isRouterPort || !subnets.TryGetValue(id, out var subnet) || !subnet.IsAutoAddress
                || port.FixedIps.Any(ip => string.Equals(ip.SubnetId, id, StringComparison.Ordinal)))
            {
                continue;
            }

            checks.Add(CheckOne(port.MacAddress, subnet, recorded: null));
        }

        return checks;
    }

    /// <summary>The check of one address (or of a missing one, <paramref name="recorded"/> null) on one subnet.</summary>
    /// <param name="mac">The port's MAC.</param>
    /// <param name="subnet">The IPv6 subnet.</param>
    /// <param name="recorded">What Neutron recorded, or null.</param>
    /// <returns>The check.</returns>
    public static Ipv6Check CheckOne(string mac, Subnet subnet, string? recorded)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var mode = ModeOf(subnet);
        if (!subnet.IsAutoAddress)
        {
            return new Ipv6Check(subnet.Id, subnet.Cidr, mode, recorded, AssignedByDhcpv6, AddressAgreement.AssignedByDhcpv6, null);
        }

        string predicted;
        try
        {
            predicted = IpAddresses.Canonical(Eui64.FromMac(mac, Cidr.Parse(subnet.Cidr)));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return new Ipv6Check(subnet.Id, subnet.Cidr, mode, recorded, "none", AddressAgreement.Disagrees,
                $"no EUI-64 address can be derived from MAC {mac} on {subnet.Cidr}: {e.Message}");
        }

        if (recorded is null)
        {
            return new Ipv6Check(subnet.Id, subnet.Cidr, mode, null, predicted, AddressAgreement.Disagrees,
                $"Neutron recorded no address on {mode} subnet {subnet.Cidr}, where it gives every port the EUI-64 address; the guest will configure {predicted}");
        }

        if (IpAddresses.TryParse(recorded, out var r) && IpAddresses.TryParse(predicted, out var p) && IpAddresses.SemanticEquals(r, p))
        {
            return new Ipv6Check(subnet.Id, subnet.Cidr, mode, recorded, predicted, AddressAgreement.Agrees, null);
        }

        return new Ipv6Check(subnet.Id, subnet.Cidr, mode, recorded, predicted, AddressAgreement.Disagrees,
            $"Neutron recorded {recorded} but the guest will configure {predicted} (EUI-64 of MAC {mac} on {mode} subnet {subnet.Cidr}); " +
            "port security drops traffic from an address Neutron does not know");
    }

    /// <summary>The subnet's mode for display: the address mode, else the RA mode, else null.</summary>
    public static string? ModeOf(Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var address = subnet.Ipv6AddressMode?.Value;
        var ra = subnet.Ipv6RaMode?.Value;
        return !string.IsNullOrEmpty(address) ? address : !string.IsNullOrEmpty(ra) ? ra : null;
    }
}
