using ShiftStack.InstallConfig;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.BlockStorage;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight;

/// <summary>The outcome of <see cref="CloudCheck.RunAsync"/>: a verdict, or why the cloud could not be asked.</summary>
/// <param name="CloudName">The clouds.yaml entry used.</param>
/// <param name="AuthUrl">Its Keystone URL, when the entry was found.</param>
/// <param name="Result">The pre-flight verdict; null when the cloud could not be asked.</param>
/// <param name="Cloud">The facts the verdict is based on; null when the cloud could not be asked.</param>
/// <param name="Failure">
/// Why the cloud could not be asked (clouds.yaml entry missing, cloud unreachable, credentials refused, a request
/// failed): one line naming the cloud, the auth URL and the reason, never a secret. Null on success.
/// </param>
/// <param name="Requests">The requests sent, by service, method and path.</param>
public sealed record CloudCheckOutcome(
    string CloudName,
    string? AuthUrl,
    PreflightResult? Result,
    CloudInfo? Cloud,
    string? Failure,
    IReadOnlyDictionary<RequestKey, long> Requests)
{
    /// <summary>True when the cloud answered and the rules ran.</summary>
    public bool Checked => Result is not null;
}

/// <summary>
/// Pre-flight validation end to end: resolve the cloud in clouds.yaml, authenticate once, collect the
/// <see cref="CloudInfo"/>, run <see cref="PreflightValidator"/>. Unlike the reference, a cloud that cannot be asked
/// is a failure, not a silently skipped pre-flight.
/// </summary>
public static class CloudCheck
{
    /// <summary>Runs the cloud checks for a statically valid install-config.</summary>
    /// <param name="config">The defaulted install-config.</param>
    /// <param name="cloudName">The clouds.yaml entry (<c>--cloud</c>, else <c>platform.openstack.cloud</c>).</param>
    /// <param name="loadCloud">Resolves a cloud name; clouds.yaml search by default (<see cref="CloudConfigLoader"/>).</param>
    /// <param name="options">Client options (tests pass a request counter or handler).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The outcome.</returns>
    public static async Task<CloudCheckOutcome> RunAsync(
        InstallConfiguration config,
        string cloudName,
        Func<string, CloudConfig>? loadCloud = null,
        OpenStackClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(cloudName);
        options ??= new OpenStackClientOptions();
        CloudConfig cloud;
        try
        {
            cloud = (loadCloud ?? (name => new CloudConfigLoader().Load(name)))(cloudName);
        }
        catch (CloudConfigException ex)
        {
            return Failed(cloudName, null, ex.Message, options);
        }

        var authUrl = cloud.Auth.AuthUrl;
        try
        {
            using var identity = new IdentityClient(cloud, options);
            using var network = new NetworkingClient(identity);
            using var compute = new ComputeClient(identity);
            using var volume = new BlockStorageClient(identity);
            var info = await new CloudInfoCollector(network, new NovaComputeFacts(compute), new CinderVolumeFacts(volume))
                .CollectAsync(config, cancellationToken).ConfigureAwait(false);
            var result = PreflightValidator.Validate(config, info);
            return new CloudCheckOutcome(cloud.Name, identity.AuthUrl.ToString(), result, info, null, options.RequestCounter.Snapshot());
        }
        catch (OpenStackException ex)
        {
            return Failed(cloud.Name, authUrl, Scrub(ex.Message, cloud), options);
        }
        catch (CloudConfigException ex)
        {
            return Failed(cloud.Name, authUrl, Scrub(ex.Message, cloud), options);
        }
    }

    // The client already keeps secrets out of its messages by structure; this is the safety net (see Redaction.Scrub).
    private static string Scrub(string text, CloudConfig cloud) =>
        Redaction.Scrub(text, cloud.Auth.Password, cloud.Auth.ApplicationCredentialSecret);

    private static CloudCheckOutcome Failed(string cloudName, string? authUrl, string reason, OpenStackClientOptions options)
    {
        var where = authUrl is null ? $"cloud '{cloudName}'" : $"cloud '{cloudName}' (auth URL {authUrl})";
        return new CloudCheckOutcome(cloudName, authUrl, null, null, $"{where}: {reason}", options.RequestCounter.Snapshot());
    }
}
