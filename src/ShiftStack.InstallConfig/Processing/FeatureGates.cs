namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Whether an install-config enables a feature gate, as the reference's <c>InstallConfig.EnabledFeatureGates</c>
/// decides it (<c>pkg/types/featuregates/featuregates.go</c>, <c>FeatureGateFromFeatureSets</c>): a named feature set
/// enables the gates openshift/api lists for it; <c>CustomNoUpgrade</c> enables exactly the <c>featureGates</c> given
/// as <c>Name=true</c> and disables every other gate.
/// </summary>
internal static class FeatureGates
{
    /// <summary>Two-node clusters with an arbiter node; gates the <c>arbiter</c> pool.</summary>
    public const string HighlyAvailableArbiter = "HighlyAvailableArbiter";

    /// <summary>
    /// The feature sets that enable each gate a ShiftStack rule consults, at the openshift/api version the installer
    /// vendors (HighlyAvailableArbiter is enabled by default since 4.20; "" is the Default set).
    /// </summary>
    private static readonly Dictionary<string, string[]> EnabledIn = new(StringComparer.Ordinal)
    {
        [HighlyAvailableArbiter] = ["", "TechPreviewNoUpgrade", "DevPreviewNoUpgrade"],
    };

    /// <summary>True when <paramref name="config"/> enables <paramref name="gate"/>.</summary>
    public static bool Enabled(InstallConfiguration config, string gate)
    {
        var featureSet = config.FeatureSet ?? string.Empty;
        if (featureSet == "CustomNoUpgrade")
        {
            // One "Name=true" entry enables the gate, whatever other entries say (the reference disables only the
            // gates that are not specifically enabled); names and values are not trimmed.
            return config.FeatureGates.Any(raw => raw.Split('=') is [var name, var value] && name == gate && GoBool(value) == true);
        }
        return EnabledIn.TryGetValue(gate, out var sets) && sets.Contains(featureSet);
    }

    /// <summary>Go's <c>strconv.ParseBool</c>; null when it fails.</summary>
    public static bool? GoBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
