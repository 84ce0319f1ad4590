using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// OpenStack platform rules (install-config.md §7.1, §7.2; reference <c>pkg/types/openstack/validation/platform.go</c>).
/// </summary>
internal static class OpenStackRules
{
    private static readonly FieldPath Base = FieldPath.Root("platform").Child("openstack");

    public static void Validate(OpenStackPlatform os, FieldErrorList errors)
    {
        // externalDNS: one error per bad entry, each carrying the whole list.
        foreach (var ip in os.ExternalDns)
        {
            if (!IpAddresses.TryParse(ip, out _))
            {
                errors.Add(FieldError.Invalid(Base.Child("externalDNS"), os.ExternalDns, $"{GoFormat.Quote(ip)} is not a valid IP"));
            }
        }

        // defaultMachinePlatform: the reference runs its OpenStack machine-pool validation here; see MachinePoolRules.
        if (os.DefaultMachinePlatform is { } dmp)
        {
            MachinePoolRules.ValidateOpenStackPool(dmp, Base.Child("defaultMachinePlatform"), errors);
        }

        if (os.LoadBalancer is { } lb && lb.Type is not (LoadBalancerConfig.OpenShiftManagedDefault or LoadBalancerConfig.UserManaged))
        {
            errors.Add(FieldError.Invalid(Base.Child("loadBalancer", "type"), lb.Type ?? string.Empty, "invalid load balancer type"));
        }

        if (os.ControlPlanePort is { } port)
        {
            ValidateControlPlanePort(port, Base.Child("controlPlanePort"), errors);
        }
    }

    // HEAD / 4.17+ (d8f4b7e9db).
    private static void ValidateControlPlanePort(PortTarget port, FieldPath path, FieldErrorList errors)
    {
        if (!string.IsNullOrEmpty(port.Network.Id) && !Uuid.IsV4(port.Network.Id))
        {
            errors.Add(FieldError.Invalid(path.Child("network"), port.Network.Id, "invalid network ID: must be a UUIDv4"));
        }
        var fixedIPsPath = path.Child("fixedIPs");
        switch (port.FixedIPs.Count)
        {
            case 0:
                errors.Add(FieldError.Required(fixedIPsPath, "it is required to set a subnet filter to the controlPlanePort"));
                break;
            case 1 or 2:
                for (var i = 0; i < port.FixedIPs.Count; i++)
                {
                    var subnet = port.FixedIPs[i].Subnet;
                    var subnetPath = fixedIPsPath.Index(i).Child("subnet");
                    if (!string.IsNullOrEmpty(subnet.Id) && !Uuid.IsV4(subnet.Id))
                    {
                        errors.Add(FieldError.Invalid(subnetPath.Child("id"), subnet.Id, "invalid subnet ID: must be a UUIDv4"));
                    }
                    if (string.IsNullOrEmpty(subnet.Id) && string.IsNullOrEmpty(subnet.Name))
                    {
                        errors.Add(FieldError.Required(subnetPath, "either ID or Name must be set on the subnet filter"));
                    }
                }
                break;
            default:
                errors.Add(FieldError.TooMany(fixedIPsPath, port.FixedIPs.Count, 2));
                break;
        }
    }
}

/// <summary>UUID checks as github.com/google/uuid parses them.</summary>
internal static class Uuid
{
    /// <summary>
    /// <c>ValidUUIDv4</c>: google/uuid <c>Parse</c> succeeds and the version is 4. Parse accepts the 36-character form,
    /// the <c>urn:uuid:</c> prefix, the braced form and the 32-hex-digit form.
    /// </summary>
    public static bool IsV4(string text)
    {
        var s = text;
        switch (s.Length)
        {
            case 36:
                break;
            case 36 + 9:
                if (!s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
                s = s[9..];
                break;
            case 36 + 2:
                if (s[0] != '{' || s[^1] != '}')
                {
                    return false;
                }
                s = s[1..^1];
                break;
            case 32:
                return s.All(char.IsAsciiHexDigit) && s[12] == '4';
            default:
                return false;
        }
        if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        {
            return false;
        }
        for (var i = 0; i < s.Length; i++)
        {
            if (i is 8 or 13 or 18 or 23)
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(s[i]))
            {
                return false;
            }
        }
        return s[14] == '4';
    }
}
