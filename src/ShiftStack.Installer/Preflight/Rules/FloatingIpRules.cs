using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Lookups;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>preflight.md §5.2: each floating IP exists, is not in use (status DOWN), needs an external network; the two differ.</summary>
internal static class FloatingIpRules
{
    public static void Validate(PreflightContext c)
    {
        var api = c.OpenStack.ApiFloatingIP;
        var ingress = c.OpenStack.IngressFloatingIP;
        Check(c, "apiFloatingIP", api, c.Cloud.ApiFloatingIp);
        Check(c, "ingressFloatingIP", ingress, c.Cloud.IngressFloatingIp);
        if (!string.IsNullOrEmpty(api) && !string.IsNullOrEmpty(ingress) && Same(api, ingress))
        {
            c.Error(FieldError.Invalid(PreflightContext.Base.Child("ingressFloatingIP"), ingress, "ingressFloatingIP can not be the same as apiFloatingIP"));
        }
    }

    private static void Check(PreflightContext c, string field, string? address, Lookup<FloatingIp>? lookup)
    {
        if (string.IsNullOrEmpty(address))
        {
            return;
        }

        var path = PreflightContext.Base.Child(field);

        // The reference takes the first match.
        var fip = lookup is { Matches.Count: > 0 } ? lookup.Matches[0] : null;
        if (fip is null)
        {
            c.Error(FieldError.NotFound(path, address));
        }
        else if (!string.Equals(fip.Status, "DOWN", StringComparison.Ordinal))
        {
            c.Error(FieldError.Invalid(path, address, "Floating IP already in use"));
        }
        else if (string.IsNullOrEmpty(c.OpenStack.ExternalNetwork))
        {
            c.Error(FieldError.Invalid(path, address, "Cannot set floating ips when external network not specified"));
        }
    }

    private static bool Same(string a, string b) =>
        IpAddresses.TryParse(a, out var x) && IpAddresses.TryParse(b, out var y)
            ? IpAddresses.SemanticEquals(x, y)
            : string.Equals(a, b, StringComparison.Ordinal);
}
