using System.Globalization;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// preflight.md §4, only when <c>controlPlanePort</c> is set: externalDNS, the subnets (found, CIDR, same network),
/// the family combination, the network (found, contains the subnets) and its MTU.
/// </summary>
/// <remarks>
/// ShiftStack differences, each marked in its message: "found multiple subnets/networks" is an error naming the filter
/// (the reference aborts and silently skips pre-flight); a CIDR that equals a machine network only as a parsed
/// network is accepted with a warning (the reference compares text); "network must contain subnets" checks every
/// subnet (the reference only the last one found); the checks after the externalDNS error still run.
/// </remarks>
internal static class ControlPlanePortRules
{
    /// <summary>IPv6 minimum MTU (1280) plus 100 bytes of OVN-Kubernetes overhead (OCPBUGS-2921).</summary>
    public const int MinimumIpv6Mtu = 1380;

    public static void Validate(PreflightContext c)
    {
        if (c.Port is not { } port)
        {
            return;
        }

        if (c.OpenStack.ExternalDns.Count > 0)
        {
            // The reference returns here; ShiftStack reports the other errors too (docs/deviations.md §9).
            c.Error(FieldError.Invalid(PreflightContext.Base.Child("externalDNS"), c.OpenStack.ExternalDns,
                "externalDNS is set, externalDNS is not supported when ControlPlanePort is set"));
        }

        var ipv4 = 0;
        var ipv6 = 0;
        string? firstNetworkId = null;
        for (var i = 0; i < c.Cloud.ControlPlanePortSubnets.Count && i < port.FixedIPs.Count; i++)
        {
            var lookup = c.Cloud.ControlPlanePortSubnets[i];
            var filter = port.FixedIPs[i].Subnet;
            var value = string.IsNullOrEmpty(filter.Id) ? filter.Name ?? string.Empty : filter.Id;
            if (lookup.IsAmbiguous)
            {
                c.Error(FieldError.Invalid(PreflightContext.SubnetPath(i), value,
                    $"found multiple subnets matching {lookup.Filter}: {string.Join(", ", lookup.Matches.Select(s => $"{s.Id} ({s.Cidr} on network {s.NetworkId})"))}; "
                    + $"set controlPlanePort.fixedIPs[{i.ToString(CultureInfo.InvariantCulture)}].subnet.id to the one to use "
                    + ShiftStackCheck.Differs("fails with \"found multiple subnets\" and silently skips every pre-flight check")));
                continue;
            }

            if (lookup.Found is not { } subnet)
            {
                c.Error(FieldError.NotFound(PreflightContext.FixedIPsPath, value));
                continue;
            }

            if (subnet.IpVersion == 6)
            {
                ipv6++;
            }
            else
            {
                ipv4++;
            }

            CheckCidr(c, i, subnet);

            if (firstNetworkId is null)
            {
                firstNetworkId = subnet.NetworkId;
            }
            else if (!string.Equals(subnet.NetworkId, firstNetworkId, StringComparison.Ordinal))
            {
                c.Error(FieldError.Invalid(PreflightContext.FixedIPsPath, subnet.NetworkId, "fixedIPs subnets must be on the same Network"));
            }
        }

        // HEAD / 4.18+: two fixedIPs must be one IPv4 and one IPv6 subnet; a single IPv6 subnet is single-stack IPv6.
        // (Not judged when a filter matched several subnets: the reference never gets this far then.)
        var ambiguous = c.Cloud.ControlPlanePortSubnets.Any(l => l.IsAmbiguous);
        if (port.FixedIPs.Count == 2 && !ambiguous && !(ipv4 == 1 && ipv6 == 1))
        {
            c.Error(FieldError.Internal(PreflightContext.FixedIPsPath, "one IPv4 subnet and one IPv6 subnet must be specified"));
        }

        CheckNetwork(c, port);
        CheckOwner(c);
        CheckMtu(c, ipv6 > 0);
    }

    /// <summary>
    /// A network of another project (a shared provider network made by the admin): Neutron's default policy lets only
    /// the network's owner (or an admin) create ports with chosen subnets and allowed address pairs, so
    /// <c>create cluster</c> would fail with 403 at its first node port. The OpenShift docs ask for provider networks
    /// created with <c>--project</c> the cluster's project. A warning: a cloud may relax the policy.
    /// </summary>
    private static void CheckOwner(PreflightContext c)
    {
        if (c.ClusterNetwork is not { } network || string.IsNullOrEmpty(network.ProjectId) || string.IsNullOrEmpty(c.Cloud.ProjectId)
            || string.Equals(network.ProjectId, c.Cloud.ProjectId, StringComparison.Ordinal))
        {
            return;
        }

        c.Warn(PreflightContext.NetworkPath,
            $"network {PreflightContext.Describe(network)} belongs to project {network.ProjectId}, not to this cloud's project {c.Cloud.ProjectId}; "
            + "with Neutron's default policy only the network's owner or an admin may create the node ports (fixed IPs on chosen subnets, "
            + "allowed address pairs for the VIPs), so create cluster would fail with 403: have the admin create the network with "
            + $"--project {c.Cloud.ProjectId} (as the OpenShift docs ask for provider networks) "
            + ShiftStackCheck.NotInReference);
    }

    private static void CheckCidr(PreflightContext c, int index, Subnet subnet)
    {
        // The reference: the subnet's cidr text must equal one machineNetwork CIDR as Go prints it.
        var machine = c.MachineNetworks.Select(t => Cidr.TryParse(t, out var m, out _) ? m : (Cidr?)null).OfType<Cidr>().ToList();
        if (machine.Any(m => string.Equals(m.InstallerText, subnet.Cidr, StringComparison.Ordinal)))
        {
            return;
        }

        // ShiftStack compares networks: the same network written differently is accepted, with a warning.
        if (Cidr.TryParse(subnet.Cidr, out var parsed, out _) && machine.Where(m => m == parsed).Select(m => (Cidr?)m).FirstOrDefault() is { } same)
        {
            c.Warn(PreflightContext.SubnetPath(index),
                $"the CIDR {GoFormat.Quote(subnet.Cidr)} of subnet {PreflightContext.Describe(subnet)} is machineNetwork {GoFormat.Quote(same.InstallerText)} written differently; "
                + "openshift-install would reject it with \"controlPlanePort CIDR does not match machineNetwork\" "
                + ShiftStackCheck.Differs("compares CIDRs as text"));
            return;
        }

        c.Error(FieldError.Invalid(PreflightContext.FixedIPsPath, subnet.Cidr, "controlPlanePort CIDR does not match machineNetwork"));
    }

    private static void CheckNetwork(PreflightContext c, InstallConfig.PortTarget port)
    {
        if (c.Cloud.ControlPlanePortNetworkDerived || c.Cloud.ControlPlanePortNetwork is not { } lookup)
        {
            return;
        }

        var value = string.IsNullOrEmpty(port.Network.Id) ? port.Network.Name ?? string.Empty : port.Network.Id;
        if (lookup.IsAmbiguous)
        {
            c.Error(FieldError.Invalid(PreflightContext.NetworkPath, value,
                $"found multiple networks matching {lookup.Filter}: {string.Join(", ", lookup.Matches.Select(n => n.Id))}; set controlPlanePort.network.id to the one to use "
                + ShiftStackCheck.Differs("fails with \"found multiple networks\" and silently skips every pre-flight check")));
            return;
        }

        if (lookup.Found is not { } network)
        {
            c.Error(FieldError.NotFound(PreflightContext.NetworkPath, value));
            return;
        }

        var found = c.FoundSubnets.Select(x => x.Subnet).ToList();
        if (found.Count == 0 || found.All(s => string.Equals(s.NetworkId, network.Id, StringComparison.Ordinal)))
        {
            return;
        }

        // The reference compares with the last subnet found only; ShiftStack with every one.
        var lastMatches = string.Equals(found[^1].NetworkId, network.Id, StringComparison.Ordinal);
        c.Error(FieldError.Invalid(PreflightContext.NetworkPath, value, lastMatches
            ? "network must contain subnets: " + string.Join(", ", found.Where(s => s.NetworkId != network.Id).Select(PreflightContext.Describe))
              + " is not on it " + ShiftStackCheck.Differs("checks only the last subnet")
            : "network must contain subnets"));
    }

    private static void CheckMtu(PreflightContext c, bool hasIpv6Subnet)
    {
        if (!hasIpv6Subnet || c.ClusterNetwork is not { } network)
        {
            return;
        }

        if (network.Mtu is not { } mtu)
        {
            c.Warn(PreflightContext.NetworkPath,
                $"network {PreflightContext.Describe(network)} reports no MTU (Neutron without the net-mtu extension), so the minimum of {MinimumIpv6Mtu} for IPv6 cannot be checked; "
                + "openshift-install would read it as 0 and fail with \"network should have an MTU of at least 1380\" "
                + ShiftStackCheck.Differs("treats a missing MTU as 0"));
            return;
        }

        if (mtu < MinimumIpv6Mtu)
        {
            c.Error(FieldError.Internal(PreflightContext.NetworkPath, "network should have an MTU of at least 1380"));
        }
    }
}
