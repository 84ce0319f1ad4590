using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ShiftStack.OpenStack.Config;

namespace ShiftStack.OpenStack.Core;

/// <summary>Builds the HTTP handler from a cloud's TLS settings.</summary>
internal static class HandlerFactory
{
    public static SocketsHttpHandler Create(CloudConfig cloud)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };

        if (!cloud.Verify)
        {
#pragma warning disable CA5359 // the user asked for it with verify: false / insecure: true
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (cloud.CaCertFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(ExpandHome(caFile));
            }
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new CloudConfigException($"cloud '{cloud.Name}': cacert {caFile} cannot be read: {ex.Message}", ex);
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var cert = new X509Certificate2(certificate);
                return chain.Build(cert);
            };
        }

        if (cloud.ClientCertFile is { } certFile)
        {
            try
            {
                var clientCert = X509Certificate2.CreateFromPemFile(ExpandHome(certFile), cloud.ClientKeyFile is null ? null : ExpandHome(cloud.ClientKeyFile));
                handler.SslOptions.ClientCertificates = [clientCert];
            }
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new CloudConfigException($"cloud '{cloud.Name}': client certificate {certFile} cannot be read: {ex.Message}", ex);
            }
        }

        return handler;
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
