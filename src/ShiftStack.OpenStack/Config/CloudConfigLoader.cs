using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiftStack.OpenStack.Config;

/// <summary>
/// Finds and reads the cloud configuration the way openstacksdk / the <c>openstack</c> CLI do:
/// <list type="bullet">
/// <item><c>clouds.yaml</c> (or <c>.yml</c> / <c>.json</c>): <c>$OS_CLIENT_CONFIG_FILE</c> first, then the current
/// directory, <c>$XDG_CONFIG_HOME/openstack</c>, <c>~/.config/openstack</c>, <c>/etc/xdg/openstack</c>,
/// <c>/etc/openstack</c>; the first file found wins;</item>
/// <item><c>secure.yaml</c> (or <c>$OS_CLIENT_SECURE_FILE</c>), searched the same way, merged on top;</item>
/// <item>the <c>OS_*</c> environment variables form a cloud named <c>envvars</c> (or <c>$OS_CLOUD_NAME</c>);</item>
/// <item>the cloud is the one named, else <c>$OS_CLOUD</c>, else the environment cloud, else the only cloud in the file.</item>
/// </list>
/// Vendor profiles (<c>clouds-public.yaml</c>, <c>profile:</c>) are not supported.
/// </summary>
public sealed class CloudConfigLoader
{
    private static readonly string[] ConfigFileNames = ["clouds.yaml", "clouds.yml", "clouds.json"];
    private static readonly string[] SecureFileNames = ["secure.yaml", "secure.yml", "secure.json"];

    private static readonly HashSet<string> EnvironmentSelectors = new(StringComparer.Ordinal)
    {
        "OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME",
    };

    private static readonly HashSet<string> AuthKeys = new(StringComparer.Ordinal)
    {
        "auth_url", "username", "user_id", "password", "project_name", "project_id", "tenant_name", "tenant_id",
        "user_domain_name", "user_domain_id", "project_domain_name", "project_domain_id", "domain_name", "domain_id",
        "default_domain_name", "default_domain_id", "system_scope", "application_credential_id",
        "application_credential_name", "application_credential_secret",
    };

    private readonly IConfigEnvironment _environment;
    private readonly IConfigFileSystem _fileSystem;

    /// <summary>Creates a loader over the given environment and file system (the real ones by default).</summary>
    public CloudConfigLoader(IConfigEnvironment? environment = null, IConfigFileSystem? fileSystem = null)
    {
        _environment = environment ?? SystemConfigEnvironment.Instance;
        _fileSystem = fileSystem ?? SystemConfigFileSystem.Instance;
    }

    /// <summary>The directories searched, in order.</summary>
    public IReadOnlyList<string> SearchDirectories
    {
        get
        {
            var home = _environment.HomeDirectory;
            var xdgConfig = _environment.GetVariable("XDG_CONFIG_HOME");
            var dirs = new List<string> { _environment.CurrentDirectory };
            if (!string.IsNullOrEmpty(xdgConfig))
            {
                dirs.Add(Path.Combine(xdgConfig, "openstack"));
            }

            dirs.Add(Path.Combine(home, ".config", "openstack"));
            dirs.Add("/etc/xdg/openstack");
            dirs.Add("/etc/openstack");
            return dirs.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The candidate <c>clouds.yaml</c> paths, in search order.</summary>
    public IReadOnlyList<string> ConfigFileCandidates => Candidates("OS_CLIENT_CONFIG_FILE", ConfigFileNames);

    /// <summary>The candidate <c>secure.yaml</c> paths, in search order.</summary>
    public IReadOnlyList<string> SecureFileCandidates => Candidates("OS_CLIENT_SECURE_FILE", SecureFileNames);

    /// <summary>The <c>clouds.yaml</c> that would be used, or null.</summary>
    public string? FindConfigFile() => ConfigFileCandidates.FirstOrDefault(_fileSystem.FileExists);

    /// <summary>The <c>secure.yaml</c> that would be merged, or null.</summary>
    public string? FindSecureFile() => SecureFileCandidates.FirstOrDefault(_fileSystem.FileExists);

    /// <summary>Reads one cloud from an explicit <c>clouds.yaml</c> (plus a <c>secure.yaml</c> next to it, if any), ignoring the environment.</summary>
    public static CloudConfig LoadFromFile(string path, string cloudName, IConfigFileSystem? fileSystem = null)
    {
        fileSystem ??= SystemConfigFileSystem.Instance;
        if (!fileSystem.FileExists(path))
        {
            throw new CloudConfigException($"cloud '{cloudName}' not found: {path} does not exist");
        }

        var clouds = ReadClouds(fileSystem, path);
        var dir = Path.GetDirectoryName(path) ?? ".";
        var secure = SecureFileNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(fileSystem.FileExists);
        if (secure is not null)
        {
            Merge(clouds, ReadClouds(fileSystem, secure));
        }

        if (!clouds.TryGetValue(cloudName, out var cloud) || cloud is not Dictionary<string, object?> map)
        {
            throw new CloudConfigException($"cloud '{cloudName}' not found in {path}; available: {Available(clouds)}");
        }

        return ToCloudConfig(cloudName, path, map);
    }

    /// <summary>
    /// Loads a cloud: <paramref name="cloudName"/> if given, else <c>$OS_CLOUD</c>, else the environment cloud, else
    /// the only cloud of the file.
    /// </summary>
    /// <exception cref="CloudConfigException">Nothing found, the cloud is unknown or its settings are unsupported.</exception>
    public CloudConfig Load(string? cloudName = null)
    {
        var configFile = FindConfigFile();
        var clouds = configFile is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : ReadClouds(_fileSystem, configFile);
        var secureFile = FindSecureFile();
        if (secureFile is not null)
        {
            Merge(clouds, ReadClouds(_fileSystem, secureFile));
        }

        var envKey = NonEmpty(_environment.GetVariable("OS_CLOUD_NAME")) ?? "envvars";
        var envCloud = EnvironmentCloud();

        var requested = NonEmpty(cloudName) ?? NonEmpty(_environment.GetVariable("OS_CLOUD"));
        if (requested is null)
        {
            if (envCloud is not null)
            {
                requested = envKey;
            }
            else if (clouds.Count == 1)
            {
                requested = clouds.Keys.First();
            }
            else if (clouds.Count == 0)
            {
                throw new CloudConfigException(
                    $"no cloud configured: no clouds.yaml found (looked for {string.Join(", ", ConfigFileCandidates)}) and no OS_* environment variables set");
            }
            else
            {
                throw new CloudConfigException(
                    $"no cloud selected: set OS_CLOUD or name a cloud; clouds in {configFile}: {Available(clouds)}");
            }
        }

        if (string.Equals(requested, envKey, StringComparison.Ordinal) && envCloud is not null)
        {
            if (clouds.ContainsKey(envKey))
            {
                throw new CloudConfigException(
                    $"cloud '{envKey}' is defined both in {configFile} and by OS_* environment variables; set OS_CLOUD_NAME to rename the environment cloud");
            }

            return ToCloudConfig(envKey, sourceFile: null, envCloud);
        }

        if (!clouds.TryGetValue(requested, out var found) || found is not Dictionary<string, object?> map)
        {
            if (configFile is null)
            {
                throw new CloudConfigException(
                    $"cloud '{requested}' not found: no clouds.yaml found (looked for {string.Join(", ", ConfigFileCandidates)})"
                    + (envCloud is null ? string.Empty : $"; the OS_* environment variables form the cloud '{envKey}'"));
            }

            var available = Available(clouds);
            if (envCloud is not null)
            {
                available += $" (and '{envKey}' from OS_* environment variables)";
            }

            throw new CloudConfigException($"cloud '{requested}' not found in {configFile}; available: {available}");
        }

        return ToCloudConfig(requested, configFile, map);
    }

    private List<string> Candidates(string overrideVariable, string[] names)
    {
        var list = new List<string>();
        var explicitFile = NonEmpty(_environment.GetVariable(overrideVariable));
        if (explicitFile is not null)
        {
            list.Add(explicitFile);
        }

        foreach (var dir in SearchDirectories)
        {
            list.AddRange(names.Select(n => Path.Combine(dir, n)));
        }

        return list;
    }

    private Dictionary<string, object?>? EnvironmentCloud()
    {
        var names = _environment.VariableNames
            .Where(k => k.StartsWith("OS_", StringComparison.Ordinal)
                        && !k.StartsWith("OS_TEST", StringComparison.Ordinal)
                        && !k.StartsWith("OS_STD", StringComparison.Ordinal)
                        && !k.StartsWith("OS_LOG", StringComparison.Ordinal))
            .ToList();
        if (!names.Any(n => !EnvironmentSelectors.Contains(n)))
        {
            return null;
        }

        var cloud = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cloud[name[3..].ToLowerInvariant()] = _environment.GetVariable(name);
        }

        return cloud;
    }

    private static Dictionary<string, object?> ReadClouds(IConfigFileSystem fileSystem, string path)
    {
        object? root;
        try
        {
            var yaml = new YamlStream();
            using var reader = new StringReader(fileSystem.ReadAllText(path));
            yaml.Load(reader);
            root = yaml.Documents.Count == 0 ? null : Convert(yaml.Documents[0].RootNode);
        }
        catch (YamlException ex)
        {
            throw new CloudConfigException($"{path} is not valid YAML: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new CloudConfigException($"{path} cannot be read: {ex.Message}", ex);
        }

        if (root is null)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        if (root is not Dictionary<string, object?> top)
        {
            throw new CloudConfigException($"{path}: expected a mapping with a 'clouds' key");
        }

        if (!top.TryGetValue("clouds", out var clouds) || clouds is null)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        return clouds as Dictionary<string, object?>
               ?? throw new CloudConfigException($"{path}: 'clouds' must be a mapping of cloud names");
    }

    private static object? Convert(YamlNode node) =>
        node switch
        {
            YamlMappingNode mapping => mapping.Children.ToDictionary(
                kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty,
                kv => Convert(kv.Value),
                StringComparer.Ordinal),
            YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
            YamlScalarNode scalar => scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "" ? null : scalar.Value,
            _ => null,
        };

    /// <summary>Deep merge: values of <paramref name="top"/> win.</summary>
    private static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> top)
    {
        foreach (var (key, value) in top)
        {
            if (value is Dictionary<string, object?> topMap && target.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> targetMap)
            {
                Merge(targetMap, topMap);
            }
            else
            {
                target[key] = value;
            }
        }
    }

    private static CloudConfig ToCloudConfig(string name, string? sourceFile, Dictionary<string, object?> cloud)
    {
        var where = sourceFile is null ? $"cloud '{name}' (OS_* environment variables)" : $"cloud '{name}' in {sourceFile}";
        var auth = cloud.TryGetValue("auth", out var a) && a is Dictionary<string, object?> authMap
            ? new Dictionary<string, object?>(authMap, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in AuthKeys)
        {
            if (!auth.ContainsKey(key) && cloud.TryGetValue(key, out var v))
            {
                auth[key] = v;
            }
        }

        string? Auth(string key) => auth.TryGetValue(key, out var v) ? NonEmpty(v as string) : null;
        string? Top(string key) => cloud.TryGetValue(key, out var v) ? NonEmpty(v as string) : null;

        var defaultDomainName = Auth("default_domain_name");
        var defaultDomainId = Auth("default_domain_id");
        var cloudAuth = new CloudAuth
        {
            AuthUrl = Auth("auth_url"),
            Username = Auth("username"),
            UserId = Auth("user_id"),
            Password = Auth("password"),
            ProjectName = Auth("project_name") ?? Auth("tenant_name"),
            ProjectId = Auth("project_id") ?? Auth("tenant_id"),
            UserDomainName = Auth("user_domain_name") ?? (Auth("user_domain_id") is null ? defaultDomainName : null),
            UserDomainId = Auth("user_domain_id") ?? (Auth("user_domain_name") is null ? defaultDomainId : null),
            ProjectDomainName = Auth("project_domain_name") ?? (Auth("project_domain_id") is null ? defaultDomainName : null),
            ProjectDomainId = Auth("project_domain_id") ?? (Auth("project_domain_name") is null ? defaultDomainId : null),
            DomainName = Auth("domain_name"),
            DomainId = Auth("domain_id"),
            SystemScope = Auth("system_scope"),
            ApplicationCredentialId = Auth("application_credential_id"),
            ApplicationCredentialName = Auth("application_credential_name"),
            ApplicationCredentialSecret = Auth("application_credential_secret"),
        };

        var authType = (Top("auth_type") ?? Top("auth_plugin"))?.ToLowerInvariant();
        if (authType is null && cloudAuth.ApplicationCredentialSecret is not null && cloudAuth.Password is null)
        {
            authType = AuthTypes.ApplicationCredential;
        }

        authType = authType switch
        {
            null or "password" or "v3password" => AuthTypes.Password,
            "v3applicationcredential" or "applicationcredential" or "application_credential" => AuthTypes.ApplicationCredential,
            _ => throw new CloudConfigException(
                $"{where}: auth_type '{authType}' is not supported; use 'password' or 'v3applicationcredential'"),
        };

        if (cloudAuth.AuthUrl is null)
        {
            throw new CloudConfigException($"{where} has no auth.auth_url");
        }

        var identityVersion = Top("identity_api_version") ?? "3";
        if (!identityVersion.StartsWith('3'))
        {
            throw new CloudConfigException($"{where}: identity_api_version '{identityVersion}' is not supported; only Keystone v3 is");
        }

        string? region = Top("region_name");
        if (region is null && cloud.TryGetValue("regions", out var regions) && regions is List<object?> regionList && regionList.Count > 0)
        {
            region = regionList[0] switch
            {
                string s => s,
                Dictionary<string, object?> m when m.TryGetValue("name", out var n) => n as string,
                _ => null,
            };
        }

        var verify = true;
        if (Top("insecure") is { } insecure && ParseBool(insecure, where, "insecure"))
        {
            verify = false;
        }

        if (Top("verify") is { } verifyText)
        {
            verify = ParseBool(verifyText, where, "verify");
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in cloud)
        {
            const string suffix = "_endpoint_override";
            if (key.EndsWith(suffix, StringComparison.Ordinal) && value is string url && url.Length > 0)
            {
                overrides[key[..^suffix.Length].Replace('_', '-')] = url;
            }
        }

        var iface = Top("interface") ?? Top("endpoint_type") ?? "public";
        if (iface.EndsWith("URL", StringComparison.Ordinal))
        {
            iface = iface[..^3];
        }

        return new CloudConfig
        {
            Name = name,
            SourceFile = sourceFile,
            Auth = cloudAuth,
            AuthType = authType,
            RegionName = region,
            Interface = iface.ToLowerInvariant(),
            IdentityApiVersion = identityVersion,
            CaCertFile = Top("cacert"),
            Verify = verify,
            ClientCertFile = Top("cert"),
            ClientKeyFile = Top("key"),
            EndpointOverrides = overrides,
        };
    }

    private static bool ParseBool(string text, string where, string key) =>
        text.ToLower(CultureInfo.InvariantCulture) switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw new CloudConfigException($"{where}: '{key}' must be true or false, not '{text}'"),
        };

    private static string Available(Dictionary<string, object?> clouds) =>
        clouds.Count == 0 ? "(none)" : string.Join(", ", clouds.Keys.Order(StringComparer.Ordinal));

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
