using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>preflight.md §5.1: the external network exists; none on a single-stack IPv6 cluster (HEAD / 4.18+).</summary>
internal static class ExternalNetworkRules
{
    public static void Validate(PreflightContext c)
    {
        var name = c.OpenStack.ExternalNetwork;
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var path = PreflightContext.Base.Child("externalNetwork");
        if (c.Cloud.ExternalNetwork is { IsAmbiguous: true } lookup)
        {
            c.Error(FieldError.Invalid(path, name,
                $"found multiple networks named {GoFormat.Quote(name)}: {string.Join(", ", lookup.Matches.Select(n => n.Id))}; the external network is looked up by name, so the name must be unique "
                + ShiftStackCheck.Differs("fails with \"found multiple networks\" and silently skips every pre-flight check")));
        }
        else if (c.Cloud.ExternalNetwork?.Found is null)
        {
            c.Error(FieldError.NotFound(path, name));
        }

        if (c.MachineNetworks.Count == 1 && Cidr.TryParse(c.MachineNetworks[0], out var only, out _) && only.Family == IpFamily.IPv6)
        {
            c.Error(FieldError.Invalid(path, name, "Cannot set external network on Single Stack IPv6 cluster"));
        }
    }
}
