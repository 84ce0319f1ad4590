using System.Security.Cryptography;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// Everything an asset run reads besides the install-config file: the installation directory, the environment,
/// local clouds.yaml facts, the cloud look-ups (absent with <c>--offline</c>) and the source of random values.
/// Tests pass fakes so generation is offline and deterministic.
/// </summary>
public sealed record AssetInputs
{
    /// <summary>The installation directory (<c>--dir</c>): install-config.yaml, state, generated files.</summary>
    public required string Directory { get; init; }

    /// <summary>Environment lookup (<c>OS_CLOUD</c>, <c>OPENSHIFT_INSTALL_BOOTSTRAP_NODE_IP</c>).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Where the install-config's network facts come from (Neutron); null when offline.</summary>
    public Lookups.NetworkFactsSource? NetworkFacts { get; init; }

    /// <summary>What the local clouds.yaml entry says (region, CA bundle); null when unknown.</summary>
    public LocalCloudSettings? CloudSettings { get; init; }

    /// <summary>Random values for new cluster identities; the real randomness by default.</summary>
    public IIdentitySource Identities { get; init; } = RandomIdentitySource.Instance;

    /// <summary>The clock, for the root CA's validity.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Settings of the clouds.yaml entry that end up in generated files (cloud.conf, the CAPO credentials).</summary>
/// <param name="Region">The <c>region_name</c>, if any.</param>
/// <param name="CaBundle">The contents of the <c>cacert</c> file, if any.</param>
public sealed record LocalCloudSettings(string? Region, string? CaBundle)
{
    /// <summary>
    /// The whole entry, credentials included, for the CAPO credentials Secret
    /// (<c>cluster-api/02_openstack-cloud-config.yaml</c>, mode 0600); null when unknown (no Secret is written).
    /// </summary>
    public ShiftStack.OpenStack.Config.CloudConfig? Entry { get; init; }
}

/// <summary>Where new random identifiers come from (injectable for tests).</summary>
public interface IIdentitySource
{
    /// <summary>The 5 random characters appended to the infraID (k8s <c>utilrand.String</c> alphabet).</summary>
    string InfraIdSuffix();

    /// <summary>A new random cluster UUID (v4), lower-case.</summary>
    string ClusterId();

    /// <summary>A new RSA key for the root CA.</summary>
    RSA NewRsaKey();
}

/// <summary>Cryptographic randomness.</summary>
public sealed class RandomIdentitySource : IIdentitySource
{
    /// <summary>The alphabet of k8s.io/apimachinery <c>util/rand.String</c> (no vowels, no confusable digits).</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The shared instance.</summary>
    public static RandomIdentitySource Instance { get; } = new();

    /// <inheritdoc />
    public string InfraIdSuffix() => RandomNumberGenerator.GetString(Alphabet, 5);

    /// <inheritdoc />
    public string ClusterId() => Guid.NewGuid().ToString("D");

    /// <inheritdoc />
    public RSA NewRsaKey() => RSA.Create(2048);
}
