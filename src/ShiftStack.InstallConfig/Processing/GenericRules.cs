using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// The platform-independent rules of the reference's <c>ValidateInstallConfig</c> that a user hits
/// (reference <c>pkg/types/validation/installconfig.go</c> and <c>pkg/validate/validate.go</c>).
/// </summary>
internal static partial class GenericRules
{
    private const string Dns1123SubdomainFmt = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    [GeneratedRegex("^" + Dns1123SubdomainFmt + "$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    /// <summary>k8s <c>IsDNS1123Subdomain</c> messages, aggregated as k8s does; null when valid.</summary>
    public static string? SubdomainError(string v)
    {
        var messages = new List<string>();
        if (v.Length > 253)
        {
            messages.Add("must be no more than 253 characters");
        }
        if (!Dns1123Subdomain().IsMatch(v))
        {
            messages.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
                "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + Dns1123SubdomainFmt + "')");
        }
        return Aggregate(messages);
    }

    /// <summary>k8s <c>utilerrors.NewAggregate(...).Error()</c>: one message alone, several as <c>[a, b]</c>.</summary>
    public static string? Aggregate(IReadOnlyList<string> messages) => messages.Count switch
    {
        0 => null,
        1 => messages[0],
        _ => "[" + string.Join(", ", messages.Distinct(StringComparer.Ordinal)) + "]",
    };

    /// <summary>
    /// <c>validate.OnPremClusterName</c> (OpenStack): no dots, then <c>ClusterName</c> (at most 54 characters, a DNS-1123
    /// subdomain). The "must not contain '.'" text is from memory of the installer, unconfirmed.
    /// </summary>
    public static string? ClusterNameError(string name)
    {
        if (name.Contains('.', StringComparison.Ordinal))
        {
            return "cluster name must not contain '.'";
        }
        if (name.Length > 54)
        {
            return "must be no more than 54 characters";
        }
        return SubdomainError(name);
    }

    /// <summary><c>validate.DomainName(v, acceptTrailingDot: true)</c>.</summary>
    public static string? DomainNameError(string v) => SubdomainError(v.EndsWith('.') ? v[..^1] : v);

    public static void ValidateNameAndDomain(InstallConfiguration c, FieldErrorList errors)
    {
        var name = c.Metadata.Name ?? string.Empty;
        var baseDomain = c.BaseDomain ?? string.Empty;
        var nameErr = ClusterNameError(name);
        if (nameErr is not null)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata", "name"), name, nameErr));
        }
        var domainErr = DomainNameError(baseDomain);
        if (domainErr is not null)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("baseDomain"), baseDomain, domainErr));
        }
        if (nameErr is null && domainErr is null)
        {
            var clusterDomain = name + "." + (baseDomain.EndsWith('.') ? baseDomain[..^1] : baseDomain);
            if (DomainNameError(clusterDomain) is { } err)
            {
                errors.Add(FieldError.Invalid(FieldPath.Root("baseDomain"), clusterDomain, err));
            }
        }
    }

    // ---- pull secret -------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>validate.ImagePullSecret</c>: JSON with a non-empty <c>auths</c> map whose entries have <c>auth</c> or
    /// <c>credsStore</c>. The bad value is printed redacted (the reference prints the whole secret).
    /// </summary>
    public static void ValidatePullSecret(Secret? secret, FieldErrorList errors)
    {
        var text = secret?.Reveal() ?? string.Empty;
        if (PullSecretError(text) is { } err)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("pullSecret"), secret ?? new Secret(string.Empty), err));
        }
    }

    internal static string? PullSecretError(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "unexpected end of JSON input";
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            // Go's encoding/json names the offending character; ShiftStack does not echo any part of the secret.
            return "the pull secret is not valid JSON";
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return "auths required";
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                return $"json: cannot unmarshal {GoJsonKind(root.ValueKind)} into Go value of type validate.imagePullSecret";
            }
            JsonElement? auths = null;
            foreach (var p in root.EnumerateObject())
            {
                // Go matches struct fields case-insensitively; the last duplicate wins.
                if (string.Equals(p.Name, "auths", StringComparison.OrdinalIgnoreCase))
                {
                    auths = p.Value;
                }
            }
            if (auths is not { } a || a.ValueKind == JsonValueKind.Null)
            {
                return "auths required";
            }
            if (a.ValueKind != JsonValueKind.Object)
            {
                return $"json: cannot unmarshal {GoJsonKind(a.ValueKind)} into Go struct field imagePullSecret.auths of type map[string]map[string]interface {{}}";
            }
            var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var p in a.EnumerateObject())
            {
                if (!entries.ContainsKey(p.Name))
                {
                    order.Add(p.Name);
                }
                entries[p.Name] = p.Value;
            }
            if (entries.Count == 0)
            {
                return "auths required";
            }
            var messages = new List<string>();
            foreach (var registry in order)
            {
                var entry = entries[registry];
                if (entry.ValueKind == JsonValueKind.Null)
                {
                    messages.Add($"{GoFormat.Quote(registry)} requires either auth or credsStore");
                    continue;
                }
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    return $"json: cannot unmarshal {GoJsonKind(entry.ValueKind)} into Go struct field imagePullSecret.auths of type map[string]interface {{}}";
                }
                var has = entry.EnumerateObject().Any(p => p.Name is "auth" or "credsStore");
                if (!has)
                {
                    messages.Add($"{GoFormat.Quote(registry)} requires either auth or credsStore");
                }
            }
            return Aggregate(messages);
        }
    }

    private static string GoJsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    // ---- SSH key -----------------------------------------------------------------------------------------------

    public static void ValidateSshKey(InstallConfiguration c, FieldErrorList errors)
    {
        var key = c.SshKey;
        if (c.Fips)
        {
            if (!string.IsNullOrEmpty(key))
            {
                var type = SshKeys.ParseAuthorizedKeyType(key);
                if (type is null)
                {
                    errors.Add(FieldError.Invalid(FieldPath.Root("sshKey"), key, "Fatal error trying to parse configured public key: ssh: no key found"));
                }
                else if (!FipsKeyType().IsMatch(type))
                {
                    errors.Add(FieldError.Invalid(FieldPath.Root("sshKey"), key, $"SSH key type {type} unavailable when FIPS is enabled. Please use rsa or ecdsa."));
                }
            }
            // The reference also checks that the installer host runs in FIPS mode (hostcrypt); ShiftStack does not
            // inspect the host here.
        }
        else if (!string.IsNullOrEmpty(key) && SshKeys.ParseAuthorizedKeyType(key) is null)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("sshKey"), key, "ssh: no key found"));
        }
    }

    [GeneratedRegex(@"^ecdsa-sha2-nistp\d{3}$|^ssh-rsa$", RegexOptions.CultureInvariant)]
    private static partial Regex FipsKeyType();

    // ---- trust bundle ------------------------------------------------------------------------------------------

    public static void ValidateTrustBundle(InstallConfiguration c, FieldErrorList errors)
    {
        if (!string.IsNullOrEmpty(c.AdditionalTrustBundle) && Pem.CABundleError(c.AdditionalTrustBundle) is { } err)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("additionalTrustBundle"), c.AdditionalTrustBundle, err));
        }
        if (!string.IsNullOrEmpty(c.AdditionalTrustBundlePolicy) && c.AdditionalTrustBundlePolicy is not ("Proxyonly" or "Always"))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("additionalTrustBundlePolicy"), c.AdditionalTrustBundlePolicy, "supported values \"Proxyonly\", \"Always\""));
        }
    }

    // ---- platform ----------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>validatePlatform</c>: exactly one platform. ShiftStack installs only on OpenStack, so another platform alone
    /// is a ShiftStack error.
    /// </summary>
    public static void ValidatePlatformChoice(Platform platform, FieldErrorList errors)
    {
        var path = FieldPath.Root("platform");
        var names = PlatformNames(platform);
        if (names.Count == 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty,
                "must specify one of the platforms (" + string.Join(", ", InstallConfigLoader.KnownPlatformNames) + ")"));
            return;
        }
        var active = names[0];
        foreach (var n in names.Skip(1))
        {
            errors.Add(FieldError.Invalid(path, active, $"must only specify a single type of platform; cannot use both {GoFormat.Quote(active)} and {GoFormat.Quote(n)}"));
        }
        if (platform.OpenStack is null)
        {
            errors.Add(FieldError.Invalid(path, active, "ShiftStack supports only the openstack platform"));
        }
    }

    /// <summary>The platform names given, sorted (the reference's <c>Platform.Name()</c> is the first).</summary>
    private static List<string> PlatformNames(Platform platform)
    {
        var names = platform.Others.ToList();
        if (platform.OpenStack is not null)
        {
            names.Add("openstack");
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The reference's <c>Platform.Name()</c>: the active platform's name, empty when none is given.</summary>
    public static string PlatformName(Platform platform) => PlatformNames(platform).FirstOrDefault() ?? string.Empty;

    // ---- proxy -------------------------------------------------------------------------------------------------

    public static void ValidateProxy(ProxyConfig p, NetworkingConfig? n, ParsedNetworks? parsed, FieldErrorList errors)
    {
        var path = FieldPath.Root("proxy");
        if (string.IsNullOrEmpty(p.HttpProxy) && string.IsNullOrEmpty(p.HttpsProxy))
        {
            errors.Add(FieldError.Required(path, "must include httpProxy or httpsProxy"));
        }
        if (!string.IsNullOrEmpty(p.HttpProxy))
        {
            ValidateProxyUri(p.HttpProxy, path.Child("httpProxy"), ["http"], n, parsed, errors);
        }
        if (!string.IsNullOrEmpty(p.HttpsProxy))
        {
            ValidateProxyUri(p.HttpsProxy, path.Child("httpsProxy"), ["http", "https"], n, parsed, errors);
        }
        if (!string.IsNullOrEmpty(p.NoProxy) && p.NoProxy != "*")
        {
            if (p.NoProxy.Contains(' ', StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid(path.Child("noProxy"), p.NoProxy, "noProxy must not have spaces"));
            }
            var parts = p.NoProxy.Split(',');
            for (var i = 0; i < parts.Length; i++)
            {
                var v = parts[i].Trim();
                var domain = v.StartsWith('.') ? v[1..] : v;
                domain = domain.EndsWith('.') ? domain[..^1] : domain;
                if (SubdomainError(domain) is not null && !Cidr.TryParse(v, out _, out _) && !IpAddresses.TryParse(v, out _))
                {
                    errors.Add(FieldError.Invalid(path.Child("noProxy"), p.NoProxy, string.Create(CultureInfo.InvariantCulture,
                        $"each element of noProxy must be a IP, CIDR or domain without wildcard characters, which is violated by element {i} {GoFormat.Quote(v)}")));
                }
            }
        }
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex SchemePattern();

    // url.ParseRequestURI (approximation: scheme, then an absolute path or "//authority"), scheme check, and
    // validateIPProxy (an IP proxy inside the cluster, service or join networks).
    private static void ValidateProxyUri(string uri, FieldPath path, string[] schemes, NetworkingConfig? n, ParsedNetworks? parsed, FieldErrorList errors)
    {
        string scheme;
        string rest;
        var m = SchemePattern().Match(uri);
        if (m.Success)
        {
            scheme = m.Groups[1].Value.ToLowerInvariant();
            rest = m.Groups[2].Value;
            if (!rest.StartsWith('/'))
            {
                errors.Add(FieldError.Invalid(path, uri, $"parse {GoFormat.Quote(uri)}: invalid URI for request"));
                return;
            }
        }
        else if (uri.StartsWith('/'))
        {
            scheme = string.Empty;
            rest = uri;
        }
        else
        {
            errors.Add(FieldError.Invalid(path, uri, $"parse {GoFormat.Quote(uri)}: invalid URI for request"));
            return;
        }
        if (!schemes.Contains(scheme))
        {
            errors.Add(FieldError.NotSupported(path, scheme, schemes));
            return;
        }
        if (n is null || parsed is null || !rest.StartsWith("//", StringComparison.Ordinal))
        {
            return;
        }
        var authority = rest[2..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? authority[1..close] : authority;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }
        if (!IpAddresses.TryParse(host, out var ip))
        {
            return;
        }
        if (ParsedNetworks.Valid(parsed.Cluster).Any(c => c.Contains(ip)))
        {
            errors.Add(FieldError.Invalid(path, uri, "proxy value is part of the cluster networks"));
        }
        if (ParsedNetworks.Valid(parsed.Service).Any(c => c.Contains(ip)))
        {
            errors.Add(FieldError.Invalid(path, uri, "proxy value is part of the service networks"));
        }
        if (parsed.JoinSubnet is { } join && join.Contains(ip))
        {
            errors.Add(FieldError.Invalid(path, uri, "proxy value is part of the ovn-kubernetes IPv4 InternalJoinSubnet"));
        }
    }

    // ---- publish, credentials, images, capabilities ----------------------------------------------------------------
    // ValidateInstallConfig's order: publish value, image sources, credentialsMode, capability names; then the
    // Internal and Mixed publish rules and operatorPublishingStrategy; then what the enabled capabilities allow.

    private static readonly string[] PublishValues = ["External", "Internal", "Mixed"];

    public static void ValidatePublishAndCredentials(InstallConfiguration c, List<FieldWarning> warnings, FieldErrorList errors)
    {
        var publish = c.Publish ?? string.Empty;
        if (!PublishValues.Contains(publish))
        {
            // The reference checks this twice (before and after imageDigestSources); its aggregate prints it once.
            errors.Add(FieldError.NotSupported(FieldPath.Root("publish"), publish, PublishValues));
        }
        if (c.ImageContentSources.Count != 0 && c.ImageDigestSources.Count != 0)
        {
            // Sic: the reference passes publish as the value here.
            errors.Add(FieldError.Invalid(FieldPath.Root("imageContentSources"), publish, "cannot set imageContentSources and imageDigestSources at the same time"));
        }
        if (c.ImageContentSources.Count != 0)
        {
            warnings.Add(new FieldWarning(FieldPath.Root("imageContentSources"), "imageContentSources is deprecated, please use ImageDigestSources"));
        }
        if (!string.IsNullOrEmpty(c.CredentialsMode))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("credentialsMode"), c.CredentialsMode, "cannot be set when using the \"openstack\" platform"));
        }
    }

    /// <summary>
    /// The Internal and Mixed publish rules of <c>ValidateInstallConfig</c>: Mixed needs operatorPublishingStrategy,
    /// and operatorPublishingStrategy needs Mixed; its two fields default to External, take External or Internal, and
    /// may not both be Internal.
    /// </summary>
    public static void ValidatePublishStrategy(InstallConfiguration c, FieldErrorList errors)
    {
        var publish = c.Publish ?? string.Empty;
        if (publish == "Internal")
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("publish"), publish, "Internal publish strategy is not supported on \"openstack\" platform"));
        }
        var operators = c.OperatorPublishingStrategy;
        if (publish == "Mixed")
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("publish"), publish, "mixed publish strategy is not supported on \"openstack\" platform"));
            if (operators is null)
            {
                errors.Add(FieldError.Invalid(FieldPath.Root("publish"), publish, "please specify the operator publishing strategy for mixed publish strategy"));
            }
        }
        else if (operators is not null)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("operatorPublishingStrategy"), publish, "operator publishing strategy is only allowed with mixed publishing strategy installs"));
        }
        if (operators is null)
        {
            return;
        }
        // Sic: the reference reports these at the root paths "apiserver" and "ingress".
        var apiServer = NonEmptyOr(operators.ApiServer, "External");
        var ingress = NonEmptyOr(operators.Ingress, "External");
        if (!PublishingValues.Contains(apiServer))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("apiserver"), apiServer, PublishingValues));
        }
        if (!PublishingValues.Contains(ingress))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("ingress"), ingress, PublishingValues));
        }
        if (apiServer == "Internal" && ingress == "Internal")
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("publish"), apiServer, "cannot set both fields to internal in a mixed cluster, use publish internal instead"));
        }
    }

    private static readonly string[] PublishingValues = ["External", "Internal"];

    private static string NonEmptyOr(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

    /// <summary>
    /// openshift/api's <c>ClusterVersionCapabilitySets</c> at the version the installer vendors: the capabilities each
    /// baseline set enables (<c>None</c> enables none; an unknown set enables none either).
    /// </summary>
    private static readonly Dictionary<string, string[]> CapabilitySets = BuildCapabilitySets();

    private static Dictionary<string, string[]> BuildCapabilitySets()
    {
        string[] v411 = ["baremetal", "marketplace", "openshift-samples", "MachineAPI"];
        string[] v412 = [.. v411, "Console", "Insights", "Storage", "CSISnapshot"];
        string[] v413 = [.. v412, "NodeTuning"];
        string[] v414 = [.. v413, "Build", "DeploymentConfig", "ImageRegistry"];
        string[] v415 = [.. v414, "OperatorLifecycleManager", "CloudCredential"];
        string[] v416 = [.. v415, "Ingress", "CloudControllerManager"];
        string[] v418 = [.. v416, "OperatorLifecycleManagerV1"];
        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["None"] = [],
            ["v4.11"] = v411,
            ["v4.12"] = v412,
            ["v4.13"] = v413,
            ["v4.14"] = v414,
            ["v4.15"] = v415,
            ["v4.16"] = v416,
            ["v4.17"] = v416,
            ["v4.18"] = v418,
            ["vCurrent"] = v418,
        };
    }

    private static readonly string[] CapabilitySetNames = [.. CapabilitySets.Keys.Order(StringComparer.Ordinal)];

    private static readonly string[] Capabilities = [.. CapabilitySets["vCurrent"].Order(StringComparer.Ordinal)];

    /// <summary><c>validateCapabilities</c>: the baseline set and each additional capability must be known.</summary>
    public static void ValidateCapabilityNames(CapabilitiesConfig caps, FieldErrorList errors)
    {
        var path = FieldPath.Root("capabilities");
        var baseline = caps.BaselineCapabilitySet ?? string.Empty;
        if (!CapabilitySets.ContainsKey(baseline))
        {
            errors.Add(FieldError.NotSupported(path.Child("baselineCapabilitySet"), baseline, CapabilitySetNames));
        }
        for (var i = 0; i < caps.AdditionalEnabledCapabilities.Count; i++)
        {
            if (!Capabilities.Contains(caps.AdditionalEnabledCapabilities[i]))
            {
                errors.Add(FieldError.NotSupported(path.Child("additionalEnabledCapabilities").Index(i), caps.AdditionalEnabledCapabilities[i], Capabilities));
            }
        }
    }

    /// <summary>
    /// What <c>ValidateInstallConfig</c> requires of the enabled capabilities (the baseline set, <c>vCurrent</c> when
    /// empty, plus the additional ones) on OpenStack: marketplace needs OperatorLifecycleManager; CloudCredential,
    /// CloudControllerManager and Ingress may not be disabled.
    /// </summary>
    public static void ValidateEnabledCapabilities(CapabilitiesConfig caps, FieldErrorList errors)
    {
        var path = FieldPath.Root("capabilities");
        var baseline = NonEmptyOr(caps.BaselineCapabilitySet, "vCurrent");
        var enabled = (CapabilitySets.GetValueOrDefault(baseline) ?? []).Concat(caps.AdditionalEnabledCapabilities).ToHashSet(StringComparer.Ordinal);
        var value = new GoRawValue(CapabilitiesJson(caps));
        if (enabled.Contains("marketplace") && !enabled.Contains("OperatorLifecycleManager"))
        {
            // With baseline None the reference reports this twice, identically; its aggregate prints it once.
            errors.Add(FieldError.Invalid(FieldPath.Root("additionalEnabledCapabilities"), caps.AdditionalEnabledCapabilities, "the marketplace capability requires the OperatorLifecycleManager capability"));
        }
        if (!enabled.Contains("CloudCredential"))
        {
            errors.Add(FieldError.Invalid(path, value, "disabling CloudCredential capability available only for baremetal platforms"));
        }
        if (!enabled.Contains("CloudControllerManager"))
        {
            errors.Add(FieldError.Invalid(path, value, "disabling CloudControllerManager is only supported on the Baremetal, None, or External platform with cloudControllerManager value none"));
        }
        if (!enabled.Contains("Ingress"))
        {
            errors.Add(FieldError.Invalid(path, value, "the Ingress capability is required"));
        }
    }

    private static string CapabilitiesJson(CapabilitiesConfig caps)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(caps.BaselineCapabilitySet))
        {
            parts.Add("\"baselineCapabilitySet\":" + GoFormat.JsonString(caps.BaselineCapabilitySet));
        }
        if (caps.AdditionalEnabledCapabilities.Count > 0)
        {
            parts.Add("\"additionalEnabledCapabilities\":[" + string.Join(",", caps.AdditionalEnabledCapabilities.Select(GoFormat.JsonString)) + "]");
        }
        return "{" + string.Join(",", parts) + "}";
    }

    // ---- feature set -------------------------------------------------------------------------------------------

    /// <summary>Feature sets at the openshift/api version the installer vendors (no OKD yet), sorted.</summary>
    private static readonly string[] FeatureSets = ["", "CustomNoUpgrade", "DevPreviewNoUpgrade", "TechPreviewNoUpgrade"];

    public static void ValidateFeatureSet(InstallConfiguration c, FieldErrorList errors)
    {
        var featureSet = c.FeatureSet ?? string.Empty;
        if (!FeatureSets.Contains(featureSet))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("featureSet"), featureSet, FeatureSets));
        }
        if (c.FeatureGates.Count > 0)
        {
            if (featureSet != "CustomNoUpgrade")
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("featureGates"), "featureGates can only be used with the CustomNoUpgrade feature set"));
            }
            for (var i = 0; i < c.FeatureGates.Count; i++)
            {
                var raw = c.FeatureGates[i];
                var parts = raw.Split('=');
                if (parts.Length != 2)
                {
                    errors.Add(FieldError.Invalid(FieldPath.Root("featureGates").Index(i), raw, "must match the format <feature-name>=<bool>"));
                    continue;
                }
                if (FeatureGates.GoBool(parts[1]) is null)
                {
                    errors.Add(FieldError.Invalid(FieldPath.Root("featureGates").Index(i), raw, "must match the format <feature-name>=<bool>, could not parse boolean value"));
                }
            }
        }
    }
}
