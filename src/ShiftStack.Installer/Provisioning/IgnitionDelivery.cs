using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShiftStack.Installer.Installation;
using ShiftStack.OpenStack.Image;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// How the servers get their Ignition: which configs (openshift-install's or ShiftStack's preview), and for
/// openshift-install's <c>bootstrap.ign</c> the way the installer does it: uploaded to Glance as
/// <c>&lt;infraID&gt;-ignition</c>, the bootstrap booted with a small shim that fetches it (<see cref="IgnitionShim"/>).
/// </summary>
/// <param name="Directory">The installation directory (the Ignition files).</param>
/// <param name="Origin">Who wrote the Ignition files.</param>
/// <param name="CaBundlePem">The cloud's CA bundle (<c>clouds.yaml</c> <c>cacert</c>), for the shim; null when none.</param>
/// <param name="Proxy">The install-config's proxy, for the shim's own fetch; null when none.</param>
public sealed record IgnitionDelivery(InstallationDirectory Directory, IgnitionOrigin Origin, string? CaBundlePem = null, ShimProxy? Proxy = null)
{
    /// <summary>Nova's limit on <c>user_data</c>, after base64 encoding.</summary>
    public const int MaxUserDataBase64Bytes = 65535;

    /// <summary>The option that boots servers with ShiftStack's preview Ignition anyway.</summary>
    public const string AllowPreviewOption = "--allow-preview-ignition";

    /// <summary>The line said on every run that boots ShiftStack's preview Ignition.</summary>
    public const string PreviewWarning =
        "warning: the servers boot with ShiftStack's preview Ignition (" + AllowPreviewOption + "): it has no release image, bootkube, TLS assets or manifests, "
        + "so these servers cannot form an OpenShift cluster; for a real cluster run 'openshift-install create ignition-configs' in this directory and create the cluster again";

    /// <summary>True when the bootstrap Ignition goes through Glance (openshift-install's, hundreds of KB).</summary>
    public bool UsesGlance => Origin == IgnitionOrigin.OpenShiftInstall;

    /// <summary>
    /// Decides how a <c>create cluster</c> run boots its servers, before anything is sent: openshift-install's
    /// Ignition when the directory has it; ShiftStack's preview only with <paramref name="allowPreview"/> (with
    /// <see cref="PreviewWarning"/>); none needed for a network-only run (null is returned).
    /// </summary>
    /// <exception cref="ProvisioningException">No Ignition, or only the preview without <paramref name="allowPreview"/>.</exception>
    public static IgnitionDelivery? Decide(InstallationDirectory directory, ProvisioningScope scope, bool allowPreview, string? caBundlePem, ShimProxy? proxy, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(directory);
        warning = null;
        if (scope == ProvisioningScope.NetworkOnly)
        {
            return null;
        }

        var origin = directory.Ignition;
        switch (origin)
        {
            case IgnitionOrigin.OpenShiftInstall:
                return new IgnitionDelivery(directory, origin, caBundlePem, proxy);
            case IgnitionOrigin.ShiftStackPreview when allowPreview:
                warning = PreviewWarning;
                return new IgnitionDelivery(directory, origin, caBundlePem, proxy);
            case IgnitionOrigin.ShiftStackPreview:
                throw new ProvisioningException(
                    $"{directory.FilePath(InstallationDirectory.BootstrapIgnitionFileName)} is ShiftStack's preview Ignition ('shiftstack create ignition-configs'), "
                    + "which cannot form a cluster (no release image, bootkube, TLS assets or manifests), so no server was booted. "
                    + $"For a real cluster run 'openshift-install create manifests' and 'openshift-install create ignition-configs --dir {directory.Path}', then 'shiftstack create cluster' again. "
                    + $"To test only the OpenStack side, add {AllowPreviewOption} (servers that cannot form a cluster) or use --network-only (no servers)");
            default:
                throw new ProvisioningException(
                    $"{directory.Path} has no Ignition configs (bootstrap.ign, master.ign), so no server can be booted: "
                    + $"run 'openshift-install create manifests' and 'openshift-install create ignition-configs --dir {directory.Path}' first "
                    + "(or use --network-only for the Neutron side alone)");
        }
    }

    /// <summary>Reads an Ignition file of the directory.</summary>
    /// <exception cref="ProvisioningException">Missing.</exception>
    public byte[] ReadFile(string fileName)
    {
        var path = Directory.FilePath(fileName);
        if (!File.Exists(path))
        {
            throw new ProvisioningException(Origin == IgnitionOrigin.OpenShiftInstall
                ? $"{path} not found: run 'openshift-install create ignition-configs --dir {Directory.Path}' again"
                : $"{path} not found: run 'shiftstack create ignition-configs --dir {Directory.Path}' again");
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// The user data of a non-bootstrap server (and of the bootstrap with the preview): the role's Ignition file;
    /// with openshift-install's configs the file plus the server's <c>/etc/hostname</c>, as the UPI playbooks add to
    /// each master's copy of <c>master.ign</c>.
    /// </summary>
    public byte[] FileUserData(DesiredServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var bytes = ReadFile(server.UserDataFile);
        if (Origin != IgnitionOrigin.OpenShiftInstall)
        {
            return bytes;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(Encoding.UTF8.GetString(bytes));
        }
        catch (JsonException e)
        {
            throw new ProvisioningException($"{Directory.FilePath(server.UserDataFile)} is not an Ignition config ({e.Message}): run 'openshift-install create ignition-configs' again", e);
        }

        if (root is not JsonObject config)
        {
            throw new ProvisioningException($"{Directory.FilePath(server.UserDataFile)} is not an Ignition config (a JSON object is expected)");
        }

        IgnitionShim.AddHostname(config, server.Name);
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    /// <summary>Checks Nova's size limit on a server's user data before the server is asked for.</summary>
    /// <exception cref="ProvisioningException">Too large; says what to do.</exception>
    public static void CheckSize(string serverName, string source, byte[] userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        var encoded = (userData.Length + 2) / 3 * 4;
        if (encoded > MaxUserDataBase64Bytes)
        {
            throw new ProvisioningException(string.Create(CultureInfo.InvariantCulture,
                $"the user data of server {serverName} ({source}) is {userData.Length} bytes, {encoded} in base64: Nova accepts at most {MaxUserDataBase64Bytes}, so the server was not asked for. ")
                + "A bootstrap config this large goes through Glance only when it comes from openshift-install; a large CA bundle in clouds.yaml (cacert) makes the bootstrap shim large: trim the bundle to the CAs the cloud's endpoints need");
        }
    }
}

/// <summary>The install-config's proxy as the shim's own fetch uses it.</summary>
/// <param name="HttpProxy"><c>proxy.httpProxy</c>.</param>
/// <param name="HttpsProxy"><c>proxy.httpsProxy</c>.</param>
/// <param name="NoProxy"><c>proxy.noProxy</c> (comma-separated).</param>
public sealed record ShimProxy(string? HttpProxy, string? HttpsProxy, string? NoProxy);

/// <summary>
/// The bootstrap's Ignition shim, built as openshift-install builds it for OpenStack
/// (<c>pkg/infrastructure/openstack/preprovision/bootstrapignition.go</c>): <c>ignition.config.merge</c> with one source, the
/// Glance image's data URL, sent with <c>X-Auth-Token</c>; <c>ignition.timeouts.httpResponseHeaders</c> 120;
/// <c>ignition.security.tls.certificateAuthorities</c> from the <c>clouds.yaml</c> <c>cacert</c> bundle, one data URL per
/// certificate; the install-config's proxy; and two files: <c>/etc/hostname</c> and
/// <c>/opt/openshift/tls/cloud-ca-cert.pem</c> (the bundle, empty when there is none).
/// </summary>
/// <remarks>
/// Where ShiftStack differs: the shim says <c>ignition.version</c> 3.2.0 (the installer writes the newest version of
/// the Ignition library it is built with), so that every RHCOS that runs OpenShift on OpenStack dual-stack and the
/// Ignition of Debian 12 (2.14, used by the tests) read it; every field used exists in 3.2.0. The hostname is the
/// bootstrap server's name, <c>&lt;infraID&gt;-bootstrap</c> (the installer writes <c>&lt;infraID&gt;bootstrap</c>,
/// without the dash, which is not the server's name). The merge source carries a <c>sha512</c> verification of the
/// uploaded config, so a bootstrap never boots a config other than the one uploaded.
/// </remarks>
public static class IgnitionShim
{
    /// <summary>The shim's Ignition spec version.</summary>
    public const string Version = "3.2.0";

    /// <summary>Where the installer's shim writes the cloud's CA bundle on the bootstrap.</summary>
    public const string CloudCaPath = "/opt/openshift/tls/cloud-ca-cert.pem";

    /// <summary>Builds the shim.</summary>
    /// <param name="data">The uploaded config's URL and the token.</param>
    /// <param name="bootstrapIgnition">The uploaded config (for its sha512).</param>
    /// <param name="hostname">The bootstrap's hostname.</param>
    /// <param name="caBundlePem">The cloud's CA bundle, or null.</param>
    /// <param name="proxy">The proxy, or null.</param>
    /// <returns>The shim JSON (UTF-8).</returns>
    /// <exception cref="ProvisioningException">The CA bundle is not PEM certificates.</exception>
    public static byte[] Build(ImageDataReference data, byte[] bootstrapIgnition, string hostname, string? caBundlePem, ShimProxy? proxy)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(bootstrapIgnition);
        var authorities = new JsonArray();
        foreach (var certificate in SplitCertificates(caBundlePem))
        {
            authorities.Add((JsonNode)new JsonObject { ["source"] = DataUrl(Encoding.UTF8.GetBytes(certificate)) });
        }

        var ignition = new JsonObject
        {
            ["version"] = Version,
            ["config"] = new JsonObject
            {
                ["merge"] = new JsonArray
                {
                    (JsonNode)new JsonObject
                    {
                        ["source"] = data.Url.AbsoluteUri,
                        ["httpHeaders"] = new JsonArray { (JsonNode)new JsonObject { ["name"] = "X-Auth-Token", ["value"] = data.Token } },
                        ["verification"] = new JsonObject { ["hash"] = "sha512-" + Convert.ToHexStringLower(SHA512.HashData(bootstrapIgnition)) },
                    },
                },
            },
            ["timeouts"] = new JsonObject { ["httpResponseHeaders"] = 120 },
        };
        if (authorities.Count > 0)
        {
            ignition["security"] = new JsonObject { ["tls"] = new JsonObject { ["certificateAuthorities"] = authorities } };
        }

        if (proxy is not null && (!string.IsNullOrEmpty(proxy.HttpProxy) || !string.IsNullOrEmpty(proxy.HttpsProxy) || !string.IsNullOrEmpty(proxy.NoProxy)))
        {
            var p = new JsonObject();
            if (!string.IsNullOrEmpty(proxy.HttpProxy))
            {
                p["httpProxy"] = proxy.HttpProxy;
            }

            if (!string.IsNullOrEmpty(proxy.HttpsProxy))
            {
                p["httpsProxy"] = proxy.HttpsProxy;
            }

            if (!string.IsNullOrEmpty(proxy.NoProxy))
            {
                p["noProxy"] = new JsonArray(proxy.NoProxy.Split(',').Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            }

            ignition["proxy"] = p;
        }

        var config = new JsonObject { ["ignition"] = ignition };
        AddHostname(config, hostname);
        var files = (JsonArray)config["storage"]!["files"]!;
        files.Add((JsonNode)new JsonObject
        {
            ["path"] = CloudCaPath,
            ["overwrite"] = true,
            ["mode"] = 420,
            ["contents"] = new JsonObject { ["source"] = DataUrl(Encoding.UTF8.GetBytes(caBundlePem ?? string.Empty)) },
        });
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    /// <summary>
    /// A shim as large as the real one will be (a 255-character token, a Glance URL of the usual length), to check
    /// Nova's size limit before anything is created.
    /// </summary>
    public static byte[] BuildExample(string hostname, IgnitionDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var example = new ImageDataReference(new Uri("https://image.example.invalid:9292/v2/images/00000000-0000-0000-0000-000000000000/file"), new string('x', 255), DateTimeOffset.UnixEpoch);
        return Build(example, [], hostname, delivery.CaBundlePem, delivery.Proxy);
    }

    /// <summary>Adds <c>/etc/hostname</c> (mode 0644, overwrite) to a config's <c>storage.files</c>.</summary>
    public static void AddHostname(JsonObject config, string hostname)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        if (config["storage"] is not JsonObject storage)
        {
            storage = new JsonObject();
            config["storage"] = storage;
        }

        if (storage["files"] is not JsonArray files)
        {
            files = new JsonArray();
            storage["files"] = files;
        }

        files.Add((JsonNode)new JsonObject
        {
            ["path"] = "/etc/hostname",
            ["overwrite"] = true,
            ["mode"] = 420,
            ["contents"] = new JsonObject { ["source"] = DataUrl(Encoding.UTF8.GetBytes(hostname + "\n")) },
        });
    }

    /// <summary>The certificates of a PEM bundle, each as its own PEM text; anything else in the bundle is an error.</summary>
    /// <exception cref="ProvisioningException">The bundle holds something that is not a certificate.</exception>
    public static IReadOnlyList<string> SplitCertificates(string? bundle)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(bundle))
        {
            return result;
        }

        const string begin = "-----BEGIN CERTIFICATE-----";
        const string end = "-----END CERTIFICATE-----";
        var rest = bundle.AsSpan().Trim();
        while (rest.Length > 0)
        {
            var stop = rest.IndexOf(end, StringComparison.Ordinal);
            if (!rest.StartsWith(begin, StringComparison.Ordinal) || stop < 0)
            {
                throw new ProvisioningException("the cacert bundle of clouds.yaml is not a list of PEM certificates: check the cacert file of the cloud");
            }

            result.Add(rest[..(stop + end.Length)].ToString() + "\n");
            rest = rest[(stop + end.Length)..].Trim();
        }

        return result;
    }

    private static string DataUrl(byte[] content) => "data:text/plain;charset=utf-8;base64," + Convert.ToBase64String(content);
}
