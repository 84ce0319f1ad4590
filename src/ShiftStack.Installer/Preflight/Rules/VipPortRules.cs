using System.Net;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// ShiftStack (docs/deviations.md §5): for dual-stack with an OpenShift-managed load balancer, each VIP list lives on one
/// pre-created port of the cluster network, that port holds exactly the listed VIPs and is used by no server or
/// router. The reference checks none of this; it looks up only the port of <c>VIPs[0]</c>, late, and silently skips a
/// missing one.
/// </summary>
internal static class VipPortRules
{
    public static void Validate(PreflightContext c)
    {
        if (!CloudInfoCollector.NeedsVipPorts(c.OpenStack))
        {
            return;
        }

        var v4 = c.FoundSubnets.Select(x => x.Subnet).FirstOrDefault(s => s.IpVersion == 4);
        var v6 = c.FoundSubnets.Select(x => x.Subnet).FirstOrDefault(s => s.IpVersion == 6);
        if (v4 is null || v6 is null || v4.NetworkId != v6.NetworkId)
        {
            // The subnet, family and same-network checks already report why there is no dual-stack network to look at.
            return;
        }

        // The ports must be where the subnets are (a network filter naming another network is reported on its own).
        var scope = new Scope(c, v4, v6, v4.NetworkId);
        Check(scope, "apiVIPs", "api", c.OpenStack.ApiVips, "ingressVIPs", c.OpenStack.IngressVips);
        Check(scope, "ingressVIPs", "ingress", c.OpenStack.IngressVips, "apiVIPs", c.OpenStack.ApiVips);
    }

    private sealed record Scope(PreflightContext Context, Subnet V4, Subnet V6, string NetworkId)
    {
        public string NetworkText => Context.ClusterNetwork is { } n && n.Id == NetworkId ? PreflightContext.Describe(n) : "(" + NetworkId + ")";
    }

    private static void Check(Scope s, string field, string role, IReadOnlyList<string> list, string otherField, IReadOnlyList<string> otherList)
    {
        var c = s.Context;
        var vips = PreflightContext.ParseAll(list);
        if (vips.Count == 0)
        {
            return;
        }

        var path = PreflightContext.Base.Child(field);
        var onNetwork = c.Cloud.VipPorts.Where(p => p.NetworkId == s.NetworkId).ToList();
        var holders = vips.Select(v => (v.Text, v.Address, Ports: onNetwork.Where(p => PreflightContext.Holds(p, v.Address)).ToList())).ToList();
        var ports = holders.SelectMany(h => h.Ports).DistinctBy(p => p.Id).ToList();

        if (ports.Count == 0)
        {
            c.Error(FieldError.Invalid(path, list,
                $"no port on the controlPlanePort network {s.NetworkText} holds these VIPs; create the port first, then copy its addresses into {field}: "
                + CreateCommand(s, vips, role) + Elsewhere(s, vips.Select(v => (v.Text, v.Address))) + " " + ShiftStackCheck.NotInReference));
            return;
        }

        if (ports.Count > 1)
        {
            var where = string.Join(", ", holders.Select(h => h.Ports.Count == 0
                ? h.Text + " on no port"
                : h.Text + " on " + string.Join(" and ", h.Ports.Select(p => "port " + PreflightContext.Describe(p)))));
            c.Error(FieldError.Invalid(path, list,
                $"the VIPs are on different ports: {where}; one port must hold all of them (the installer tags, and attaches the floating IP to, only the port of {field}[0]) "
                + ShiftStackCheck.NotInReference));
            return;
        }

        var port = ports[0];
        var addresses = string.Join(", ", port.FixedIps.Select(ip => ip.IpAddress));
        foreach (var (text, address, _) in holders.Where(h => h.Ports.Count == 0))
        {
            c.Error(FieldError.Invalid(path, text,
                $"port {PreflightContext.Describe(port)} holds the other {field} but not this address (the port's addresses: {addresses})"
                + Elsewhere(s, [(text, address)]) + " " + ShiftStackCheck.NotInReference));
        }

        var others = PreflightContext.ParseAll(otherList).Select(v => v.Address).ToList();
        var extras = port.FixedIps
            .Where(ip => PreflightContext.Parse(ip.IpAddress) is not { } a || !vips.Any(v => IpAddresses.SemanticEquals(v.Address, a)))
            .Select(ip => ip.IpAddress)
            .ToList();
        if (extras.Count > 0)
        {
            var shared = extras.Any(e => PreflightContext.Parse(e) is { } a && others.Any(o => IpAddresses.SemanticEquals(o, a)));
            c.Error(FieldError.Invalid(path, list,
                $"port {PreflightContext.Describe(port)} also holds {string.Join(", ", extras)}, "
                + (shared ? $"which is in {otherField}; the API and Ingress VIPs need one port each" : $"which is not in {field}; the port must hold exactly the {field}")
                + " " + ShiftStackCheck.NotInReference));
        }

        if (!string.IsNullOrEmpty(port.DeviceOwner))
        {
            c.Error(FieldError.Invalid(path, list,
                $"port {PreflightContext.Describe(port)} holding these VIPs is used by {port.DeviceOwner} {port.DeviceId}; the VIPs need a port of their own that no server or router uses "
                + ShiftStackCheck.NotInReference));
        }
    }

    /// <summary>The <c>openstack port create</c> command that makes the missing VIP port.</summary>
    private static string CreateCommand(Scope s, IReadOnlyList<(string Text, IPAddress Address)> vips, string role)
    {
        string? Vip(IpFamily family) => vips.Where(v => IpAddresses.FamilyOf(v.Address) == family).Select(v => IpAddresses.Canonical(v.Address)).FirstOrDefault();
        var v4 = Vip(IpFamily.IPv4);
        var v6 = Vip(IpFamily.IPv6);
        var auto = s.V6.IsAutoAddress;
        var command = $"openstack port create --network {s.NetworkId} --fixed-ip subnet={s.V4.Id}{(v4 is null ? string.Empty : ",ip-address=" + v4)} "
            + $"--fixed-ip subnet={s.V6.Id}{(auto || v6 is null ? string.Empty : ",ip-address=" + v6)} {s.Context.ClusterName}-{role}-vips";
        if (!auto)
        {
            return command;
        }

        var mode = s.V6.Ipv6AddressMode?.Value ?? s.V6.Ipv6RaMode?.Value;
        return command + $" (on the {mode} subnet {PreflightContext.Describe(s.V6)} Neutron derives the port's IPv6 address from its MAC and refuses a requested one)";
    }

    private static string Elsewhere(Scope s, IEnumerable<(string Text, IPAddress Address)> vips)
    {
        var hints = vips
            .SelectMany(v => s.Context.Cloud.VipPorts
                .Where(p => p.NetworkId != s.NetworkId && PreflightContext.Holds(p, v.Address))
                .Select(p => $"{v.Text} is held by port {PreflightContext.Describe(p)} on another network ({p.NetworkId})"))
            .ToList();
        return hints.Count == 0 ? string.Empty : "; " + string.Join("; ", hints);
    }
}
