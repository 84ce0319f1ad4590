using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>ShiftStack: Neutron has the API extensions the installation uses.</summary>
internal static class ExtensionRules
{
    public static void Validate(PreflightContext c)
    {
        if (c.Cloud.NetworkExtensions is not { } extensions)
        {
            return;
        }

        var needed = new List<(string Alias, string Why)>
        {
            ("security-group", "to create the master and worker security groups"),
            ("standard-attr-tag", "to tag the security groups and the VIP ports with the cluster ID"),
        };
        if (!c.UserManagedLoadBalancer)
        {
            needed.Add(("allowed-address-pairs", "to let the control-plane ports carry the API and Ingress VIPs"));
        }

        foreach (var (alias, why) in needed.Where(n => !extensions.Contains(n.Alias)))
        {
            c.Error(FieldError.Invalid(PreflightContext.CloudPath, c.Cloud.CloudName,
                ShiftStackCheck.Mark($"Neutron lacks the API extension {GoFormat.Quote(alias)}, which the installation needs {why}")));
        }
    }
}
