using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// A structural re-implementation of golang.org/x/crypto/ssh <c>ParseAuthorizedKey</c>: the first line that holds
/// <c>[options] keytype base64 [comment]</c> with a well-formed key blob wins. Key material is checked for shape
/// (lengths and fields), not for mathematical validity.
/// </summary>
internal static class SshKeys
{
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-ed25519",
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com",
    };

    /// <summary>The key type from the blob (e.g. <c>ssh-ed25519</c>), or null when no key is found.</summary>
    public static string? ParseAuthorizedKeyType(string text)
    {
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var cr = line.IndexOf('\r', StringComparison.Ordinal);
            if (cr >= 0)
            {
                line = line[..cr];
            }
            line = line.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var i = line.IndexOfAny([' ', '\t']);
            if (i < 0)
            {
                continue;
            }
            if (ParseKey(line[i..]) is { } type)
            {
                return type;
            }
            // Maybe an options field comes first: skip it (options may hold quoted spaces).
            var j = SkipOptions(line);
            if (j > 0 && j < line.Length)
            {
                var restLine = line[j..].TrimStart();
                var k = restLine.IndexOfAny([' ', '\t']);
                if (k >= 0 && ParseKey(restLine[k..]) is { } type2)
                {
                    return type2;
                }
            }
        }
        return null;
    }

    private static int SkipOptions(string line)
    {
        var inQuote = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && (i == 0 || line[i - 1] != '\\'))
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && (c == ' ' || c == '\t'))
            {
                return i;
            }
        }
        return -1;
    }

    private static string? ParseKey(string input)
    {
        var s = input.Trim();
        var end = s.IndexOfAny([' ', '\t']);
        var b64 = end < 0 ? s : s[..end];
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            return null;
        }
        return ParseBlob(blob);
    }

    private static string? ParseBlob(ReadOnlySpan<byte> blob)
    {
        if (!ReadString(ref blob, out var algoBytes))
        {
            return null;
        }
        var algo = Encoding.ASCII.GetString(algoBytes);
        var baseAlgo = algo.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal)
            ? algo[..^"-cert-v01@openssh.com".Length] + (algo.StartsWith("sk-", StringComparison.Ordinal) ? "@openssh.com" : string.Empty)
            : algo;
        if (!KnownTypes.Contains(baseAlgo))
        {
            return null;
        }
        if (!ReferenceEquals(baseAlgo, algo) && baseAlgo != algo)
        {
            // Certificates: accept a non-empty body after the nonce.
            return ReadString(ref blob, out _) && blob.Length > 0 ? algo : null;
        }
        bool ok = algo switch
        {
            "ssh-rsa" => ReadString(ref blob, out _) && ReadString(ref blob, out var n) && n.Length > 0 && blob.IsEmpty,
            "ssh-dss" => ReadString(ref blob, out _) && ReadString(ref blob, out _) && ReadString(ref blob, out _) && ReadString(ref blob, out _) && blob.IsEmpty,
            "ssh-ed25519" => ReadString(ref blob, out var k) && k.Length == 32 && blob.IsEmpty,
            "sk-ssh-ed25519@openssh.com" => ReadString(ref blob, out var k2) && k2.Length == 32 && ReadString(ref blob, out _) && blob.IsEmpty,
            "sk-ecdsa-sha2-nistp256@openssh.com" => ReadString(ref blob, out var c0) && Encoding.ASCII.GetString(c0) == "nistp256"
                && ReadString(ref blob, out var p0) && p0.Length == 65 && p0[0] == 4 && ReadString(ref blob, out _) && blob.IsEmpty,
            _ => Ecdsa(algo, ref blob),
        };
        return ok ? algo : null;
    }

    private static bool Ecdsa(string algo, ref ReadOnlySpan<byte> blob)
    {
        var curve = algo["ecdsa-sha2-".Length..];
        var pointLength = curve switch { "nistp256" => 65, "nistp384" => 97, "nistp521" => 133, _ => -1 };
        return ReadString(ref blob, out var c) && Encoding.ASCII.GetString(c) == curve
            && ReadString(ref blob, out var p) && p.Length == pointLength && p[0] == 4 && blob.IsEmpty;
    }

    private static bool ReadString(ref ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.Length < 4)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (length > (uint)(data.Length - 4))
        {
            return false;
        }
        value = data.Slice(4, (int)length);
        data = data[(4 + (int)length)..];
        return true;
    }
}

/// <summary><c>validate.CABundle</c>: a sequence of PEM blocks, each an X.509 certificate, nothing else.</summary>
internal static class Pem
{
    /// <summary>Null when valid; else "invalid block" or a certificate parse error.</summary>
    public static string? CABundleError(string bundle)
    {
        var rest = bundle;
        while (true)
        {
            if (!Decode(rest, out var type, out var der, out rest))
            {
                return "invalid block";
            }
            try
            {
                using var cert = X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException)
            {
                // Go reports the x509 parser's own message here (e.g. "x509: malformed certificate").
                return "x509: malformed certificate";
            }
            _ = type;
            if (rest.Length == 0)
            {
                return null;
            }
        }
    }

    // encoding/pem Decode: finds the next "-----BEGIN <type>-----" line, reads base64 lines up to the matching END
    // line; rest starts after the END line (and its line ending).
    private static bool Decode(string data, out string type, out byte[] der, out string rest)
    {
        type = string.Empty;
        der = [];
        rest = data;
        var search = data;
        while (true)
        {
            var begin = search.IndexOf("-----BEGIN ", StringComparison.Ordinal);
            if (begin < 0)
            {
                return false;
            }
            // BEGIN must start a line.
            if (begin > 0 && search[begin - 1] != '\n')
            {
                search = search[(begin + 11)..];
                continue;
            }
            var afterBegin = search[(begin + 11)..];
            var lineEnd = afterBegin.IndexOf('\n', StringComparison.Ordinal);
            var typeLine = (lineEnd < 0 ? afterBegin : afterBegin[..lineEnd]).TrimEnd('\r', ' ', '\t');
            if (!typeLine.EndsWith("-----", StringComparison.Ordinal) || lineEnd < 0)
            {
                search = afterBegin;
                continue;
            }
            type = typeLine[..^5];
            var body = afterBegin[(lineEnd + 1)..];
            var endMarker = "-----END " + type + "-----";
            var endIdx = body.IndexOf(endMarker, StringComparison.Ordinal);
            if (endIdx < 0)
            {
                search = afterBegin;
                continue;
            }
            var b64 = new StringBuilder();
            foreach (var l in body[..endIdx].Split('\n'))
            {
                var t = l.Trim();
                if (t.Contains(':', StringComparison.Ordinal))
                {
                    continue; // PEM headers
                }
                b64.Append(t);
            }
            try
            {
                der = Convert.FromBase64String(b64.ToString());
            }
            catch (FormatException)
            {
                search = afterBegin;
                continue;
            }
            var after = body[(endIdx + endMarker.Length)..];
            // The rest of the END line (spaces and the line ending) belongs to the block.
            var nl = after.IndexOf('\n', StringComparison.Ordinal);
            if (nl >= 0 && after[..nl].Trim().Length == 0)
            {
                after = after[(nl + 1)..];
            }
            else if (after.Trim().Length == 0)
            {
                after = string.Empty;
            }
            rest = after;
            return true;
        }
    }
}
