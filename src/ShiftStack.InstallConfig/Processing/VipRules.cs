using System.Globalization;
using System.Net;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// VIP rules (install-config.md §7.7; reference <c>validateVIPsForPlatform</c> → <c>validateAPIAndIngressVIPs</c>,
/// HEAD behaviour with e5e6a677c5's primary-family rule). For OpenStack, VIPs are required and must lie in a machine
/// network.
/// </summary>
internal static class VipRules
{
    private static readonly FieldPath Base = FieldPath.Root("platform").Child("openstack");

    public static void Validate(OpenStackPlatform os, ParsedNetworks p, FieldErrorList errors)
    {
        var lbType = os.LoadBalancer?.Type;
        var api = os.ApiVips;
        var ingress = os.IngressVips;
        var apiPath = Base.Child("apiVIPs");
        var ingressPath = Base.Child("ingressVIPs");

        if (api.Count == 0)
        {
            errors.Add(FieldError.Required(apiPath, "must specify at least one VIP for the API"));
        }
        else if (api.Count <= 2)
        {
            foreach (var vip in api)
            {
                var parsed = ParseIp(vip);
                if (parsed is null)
                {
                    errors.Add(FieldError.Invalid(apiPath, vip, $"{GoFormat.Quote(vip)} is not a valid IP"));
                }
                // With a user-managed load balancer the VIPs may equal each other and lie outside the machine networks.
                if (lbType != LoadBalancerConfig.UserManaged)
                {
                    foreach (var ingressVip in ingress)
                    {
                        if (parsed is not null && ParseIp(ingressVip) is { } other && IpAddresses.SemanticEquals(parsed, other))
                        {
                            errors.Add(FieldError.Invalid(apiPath, vip, "VIP for API must not be one of the Ingress VIPs"));
                        }
                    }
                    if (InMachineNetworks(parsed, p) is { } notIn)
                    {
                        errors.Add(FieldError.Invalid(apiPath, vip, notIn));
                    }
                }
            }
            if (ingress.Count == 0)
            {
                errors.Add(FieldError.Required(ingressPath, "must specify VIP for ingress, when VIP for API is set"));
            }
            PrimaryFamily(api, "API", apiPath, p, errors);
            if (api.Count == 2)
            {
                TwoVips(api, "API", apiPath, errors);
            }
        }
        else
        {
            errors.Add(FieldError.TooMany(apiPath, api.Count, 2));
        }

        if (ingress.Count == 0)
        {
            errors.Add(FieldError.Required(ingressPath, "must specify at least one VIP for the Ingress"));
        }
        else if (ingress.Count <= 2)
        {
            foreach (var vip in ingress)
            {
                var parsed = ParseIp(vip);
                if (parsed is null)
                {
                    errors.Add(FieldError.Invalid(ingressPath, vip, $"{GoFormat.Quote(vip)} is not a valid IP"));
                }
                if (lbType != LoadBalancerConfig.UserManaged && InMachineNetworks(parsed, p) is { } notIn)
                {
                    errors.Add(FieldError.Invalid(ingressPath, vip, notIn));
                }
            }
            if (api.Count == 0)
            {
                errors.Add(FieldError.Required(apiPath, "must specify VIP for API, when VIP for ingress is set"));
            }
            PrimaryFamily(ingress, "Ingress", ingressPath, p, errors);
            if (ingress.Count == 2)
            {
                TwoVips(ingress, "Ingress", ingressPath, errors);
            }
        }
        else
        {
            errors.Add(FieldError.TooMany(ingressPath, ingress.Count, 2));
        }
    }

    private static IPAddress? ParseIp(string text) => IpAddresses.TryParse(text, out var a) ? a : null;

    // ValidateIPinMachineCIDR: null when the VIP is in a machine network, else the message. An unparseable VIP is in
    // no network, so it gets this error too (as in the reference).
    private static string? InMachineNetworks(IPAddress? vip, ParsedNetworks p)
    {
        var networks = ParsedNetworks.Valid(p.Machine);
        if (vip is not null && networks.Any(n => n.Contains(vip)))
        {
            return null;
        }
        return "IP expected to be in one of the machine networks: " + string.Join(",", networks.Select(n => n.InstallerText));
    }

    // HEAD (e5e6a677c5): in a dual-stack cluster, VIPs[0] must have the primary family of every network list.
    private static void PrimaryFamily(IReadOnlyList<string> vips, string what, FieldPath path, ParsedNetworks p, FieldErrorList errors)
    {
        if (!p.IsDualStack)
        {
            return;
        }
        // utilsnet.IsIPv6String: IPv6 only when it parses as IPv6 (an unparseable VIP counts as IPv4).
        var family = ParseIp(vips[0]) is { } a && IpAddresses.FamilyOf(a) == IpFamily.IPv6 ? IpFamily.IPv6 : IpFamily.IPv4;
        foreach (var (name, list) in p.Lists())
        {
            if (ParsedNetworks.Primary(list) is { } primary && primary != family)
            {
                errors.Add(FieldError.Invalid(path, vips[0], $"{name} primary IP Family and primary IP family for the {what} VIP should match"));
            }
        }
    }

    private static void TwoVips(IReadOnlyList<string> vips, string what, FieldPath path, FieldErrorList errors)
    {
        string? parseError = null;
        var v4 = false;
        var v6 = false;
        for (var i = 0; i < vips.Count; i++)
        {
            if (ParseIp(vips[i]) is { } a)
            {
                if (IpAddresses.FamilyOf(a) == IpFamily.IPv6)
                {
                    v6 = true;
                }
                else
                {
                    v4 = true;
                }
            }
            else
            {
                // k8s.io/utils/net IsDualStackIPStrings; the exact text at the vendored version is unconfirmed.
                parseError ??= string.Create(CultureInfo.InvariantCulture, $"invalid IP[{i}]: {vips[i]}");
            }
        }
        if (parseError is not null || !(v4 && v6))
        {
            errors.Add(FieldError.Invalid(path, vips, $"If two {what} VIPs are given, one must be an IPv4 address, the other an IPv6"));
        }
        if (parseError is not null)
        {
            errors.Add(FieldError.Invalid(Base, vips, parseError));
        }
    }

    /// <summary>
    /// ShiftStack rule (docs/deviations.md §9): a dual-stack cluster needs one VIP of each family per list when the
    /// load balancer is managed (the dual-stack VIP ports are pre-created with both addresses) and a
    /// <c>controlPlanePort</c> (the installer cannot create a dual-stack network). openshift-install does not enforce it.
    /// </summary>
    public static void DualStackRequirements(OpenStackPlatform os, ParsedNetworks p, FieldErrorList errors)
    {
        if (!p.IsDualStack)
        {
            return;
        }
        if (os.LoadBalancer?.Type != LoadBalancerConfig.UserManaged)
        {
            if (os.ApiVips.Count == 1)
            {
                errors.Add(FieldError.Invalid(Base.Child("apiVIPs"), os.ApiVips,
                    "a dual-stack cluster needs two API VIPs, one IPv4 and one IPv6 (ShiftStack rule; openshift-install does not enforce it)"));
            }
            if (os.IngressVips.Count == 1)
            {
                errors.Add(FieldError.Invalid(Base.Child("ingressVIPs"), os.IngressVips,
                    "a dual-stack cluster needs two Ingress VIPs, one IPv4 and one IPv6 (ShiftStack rule; openshift-install does not enforce it)"));
            }
        }
        if (os.ControlPlanePort is null)
        {
            errors.Add(FieldError.Required(Base.Child("controlPlanePort"),
                "a dual-stack cluster needs controlPlanePort with one IPv4 and one IPv6 subnet, because the installer cannot create " +
                "a dual-stack network (ShiftStack rule; openshift-install does not enforce it)"));
        }
    }
}
