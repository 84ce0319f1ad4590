using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// Who the cluster is: its name, the infraID every cloud resource is named and tagged with, and the cluster UUID.
/// Generated once, then read back from the state file by every later command (create cluster, destroy).
/// </summary>
/// <param name="ClusterName"><c>metadata.name</c> of the install-config.</param>
/// <param name="InfraId"><c>&lt;name truncated to 21&gt;-&lt;5 random chars&gt;</c> (reference <c>generateInfraID</c>).</param>
/// <param name="ClusterId">A random UUID (metadata.json <c>clusterID</c>).</param>
public sealed record ClusterIdentity(string ClusterName, string InfraId, string ClusterId);

/// <summary>The installer's self-signed root CA (signs the machine-config server certificate; in the pointer
/// Ignition configs). PEM text.</summary>
/// <param name="CertificatePem">The certificate.</param>
/// <param name="PrivateKeyPem">The PKCS#8 private key.</param>
public sealed record RootCertificateAuthority(string CertificatePem, string PrivateKeyPem);

/// <summary>
/// What ShiftStack keeps between runs in <c>&lt;dir&gt;/.shiftstack/state.json</c> (mode 0600, it holds the root CA
/// key), like the reference's <c>.openshift_install_state.json</c>: generated once, reused afterwards, so re-running
/// a command produces byte-identical files.
/// </summary>
/// <param name="Identity">The cluster identity.</param>
/// <param name="RootCa">The root CA.</param>
public sealed partial record ClusterState(ClusterIdentity Identity, RootCertificateAuthority RootCa)
{
    /// <summary>The state directory under <c>--dir</c>.</summary>
    public const string DirectoryName = Installation.InstallationDirectory.StateDirectoryName;

    /// <summary>The state file path relative to <c>--dir</c>.</summary>
    public const string RelativePath = DirectoryName + "/state.json";

    /// <summary>The reference's infraID length limit.</summary>
    public const int MaxInfraIdLength = 27;

    private const int RandomLength = 5;

    /// <summary>The state file of an installation directory.</summary>
    public static string PathIn(string directory) => System.IO.Path.Combine(directory, DirectoryName, "state.json");

    /// <summary>
    /// Reads the state file; null when there is none. Throws <see cref="AssetException"/> when it cannot be read.
    /// </summary>
    public static ClusterState? TryLoad(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var dto = JsonSerializer.Deserialize(File.ReadAllText(path), StateJsonContext.Default.StateDto);
            if (dto?.ClusterName is null || dto.InfraId is null || dto.ClusterId is null || dto.RootCa?.Certificate is null || dto.RootCa.PrivateKey is null)
            {
                throw new AssetException($"{path}: incomplete state file; remove {DirectoryName} to start over");
            }
            return new ClusterState(new ClusterIdentity(dto.ClusterName, dto.InfraId, dto.ClusterId),
                new RootCertificateAuthority(dto.RootCa.Certificate, dto.RootCa.PrivateKey));
        }
        catch (JsonException e)
        {
            throw new AssetException($"{path}: not a ShiftStack state file ({e.Message}); remove {DirectoryName} to start over", e);
        }
    }

    /// <summary>The identity recorded in an installation directory, for commands that run after generation
    /// (create cluster, destroy); null when the directory has no state.</summary>
    public static ClusterIdentity? TryReadIdentity(string directory) => TryLoad(directory)?.Identity;

    /// <summary>Writes the state file (mode 0600).</summary>
    public void Save(string directory)
    {
        var path = PathIn(directory);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var dto = new StateDto
        {
            Version = 1,
            ClusterName = Identity.ClusterName,
            InfraId = Identity.InfraId,
            ClusterId = Identity.ClusterId,
            RootCa = new RootCaDto { Certificate = RootCa.CertificatePem, PrivateKey = RootCa.PrivateKeyPem },
        };
        FileWriting.WriteAllText(path, JsonSerializer.Serialize(dto, StateJsonContext.Default.StateDto) + "\n", secret: true);
    }

    /// <summary>
    /// The reference's infraID rule: characters other than <c>[A-Za-z0-9-]</c> become '-', runs of '-' collapse,
    /// the name is cut to 21 characters (27 − 5 random − 1 dash) and trailing dashes are dropped, then
    /// '-' and the 5 random characters are appended.
    /// </summary>
    public static string InfraIdFor(string clusterName, string randomSuffix)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        var b = NotAlphanumDash().Replace(clusterName, "-");
        b = Dashes().Replace(b, "-");
        var maxBase = MaxInfraIdLength - (RandomLength + 1);
        if (b.Length > maxBase)
        {
            b = b[..maxBase];
        }
        return b.TrimEnd('-') + "-" + randomSuffix;
    }

    /// <summary>A new self-signed root CA like the reference's (<c>CN=root-ca, OU=openshift</c>, 10 years, RSA 2048).</summary>
    public static RootCertificateAuthority NewRootCa(IIdentitySource identities, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(time);
        using var key = identities.NewRsaKey();
        var request = new CertificateRequest("CN=root-ca, OU=openshift", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var cert = request.CreateSelfSigned(now.AddMinutes(-1), now.AddYears(10));
        return new RootCertificateAuthority(cert.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    [GeneratedRegex("[^A-Za-z0-9-]")]
    private static partial Regex NotAlphanumDash();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}

internal sealed class StateDto
{
    [JsonPropertyName("version")]
    public int Version { get; set; }

    [JsonPropertyName("clusterName")]
    public string? ClusterName { get; set; }

    [JsonPropertyName("infraID")]
    public string? InfraId { get; set; }

    [JsonPropertyName("clusterID")]
    public string? ClusterId { get; set; }

    [JsonPropertyName("rootCA")]
    public RootCaDto? RootCa { get; set; }
}

internal sealed class RootCaDto
{
    [JsonPropertyName("certificate")]
    public string? Certificate { get; set; }

    [JsonPropertyName("privateKey")]
    public string? PrivateKey { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StateDto))]
internal sealed partial class StateJsonContext : JsonSerializerContext;

/// <summary>
/// File writes that are atomic and have the right mode from the start (secrets never exist world-readable): the
/// content goes to a temporary file beside the target, is flushed to disk, and replaces the target by a rename, so a
/// full disk or a crash leaves the old file or the new one, never an empty or partial file.
/// </summary>
internal static class FileWriting
{
    public static void WriteAllBytes(string path, byte[] content, bool secret)
    {
        var mode = secret
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode is masked by umask; set it explicitly.
                File.SetUnixFileMode(temp, mode);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text, bool secret) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text), secret);
}
