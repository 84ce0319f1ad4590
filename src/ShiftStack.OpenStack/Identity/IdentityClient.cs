using System.Buffers;
using System.Net;
using System.Text.Json;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Identity;

/// <summary>
/// Keystone v3: authenticates (password or application credential), caches the token, renews it before it expires
/// (and when a service refuses it), and resolves service endpoints from the catalog. The other clients are built on
/// one <see cref="IdentityClient"/> and share its HTTP connection, token and <see cref="RequestCounter"/>.
/// </summary>
public sealed class IdentityClient : IDisposable
{
    /// <summary>Catalog service type of Keystone.</summary>
    public const string ServiceType = "identity";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthToken? _token;

    /// <summary>Creates a client for a cloud.</summary>
    public IdentityClient(CloudConfig cloud, OpenStackClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Cloud = cloud;
        Options = options ?? new OpenStackClientOptions();
        AuthUrl = NormalizeAuthUrl(cloud);
        Transport = Options.Handler is { } handler
            ? new Transport(handler, disposeHandler: false, Options)
            : new Transport(HandlerFactory.Create(cloud), disposeHandler: true, Options);
    }

    /// <summary>The cloud.</summary>
    public CloudConfig Cloud { get; }

    /// <summary>The options.</summary>
    public OpenStackClientOptions Options { get; }

    /// <summary>The Keystone v3 base URL (<c>auth_url</c>, with <c>/v3</c> added if it had no version).</summary>
    public Uri AuthUrl { get; }

    /// <summary>Requests sent by this client and every client built on it.</summary>
    public RequestCounter Requests => Options.RequestCounter;

    internal Transport Transport { get; }

    /// <summary>Returns the cached token, or authenticates when there is none or it expires within <see cref="OpenStackClientOptions.TokenRenewalMargin"/>.</summary>
    public async Task<AuthToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _token);
        if (current is not null && IsFresh(current))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _token;
            if (current is not null && IsFresh(current))
            {
                return current;
            }

            var token = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Authenticates now, replacing any cached token.</summary>
    public async Task<AuthToken> AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var token = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the cached token (the next call authenticates again).</summary>
    public void InvalidateToken() => Volatile.Write(ref _token, null);

    /// <summary>Drops the cached token if it is still <paramref name="stale"/> (a service refused it).</summary>
    internal void InvalidateToken(AuthToken stale) => Interlocked.CompareExchange(ref _token, null, stale);

    /// <summary>
    /// The endpoint of a service: an override from the options or the cloud (<c>&lt;service&gt;_endpoint_override</c>),
    /// else the catalog entry for the cloud's interface and region.
    /// </summary>
    /// <exception cref="OpenStackException">Of type <see cref="ErrorTypes.EndpointNotFound"/> when the catalog has no match.</exception>
    public async Task<Uri> GetEndpointAsync(string serviceType, CancellationToken cancellationToken = default)
    {
        if (Options.EndpointOverrides.TryGetValue(serviceType, out var overridden))
        {
            return overridden;
        }

        if (Cloud.EndpointOverrides.TryGetValue(serviceType, out var configured) && Uri.TryCreate(configured, UriKind.Absolute, out var configuredUri))
        {
            return configuredUri;
        }

        if (serviceType == ServiceType)
        {
            return AuthUrl;
        }

        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.Catalog.FindEndpoint(serviceType, Cloud.Interface, Cloud.RegionName, Cloud.Name);
    }

    private bool IsFresh(AuthToken token) =>
        token.ExpiresAt - Options.TimeProvider.GetUtcNow() > Options.TokenRenewalMargin;

    private async Task<AuthToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(AuthUrl.AbsoluteUri.TrimEnd('/') + "/auth/tokens");
        var request = new TransportRequest(HttpMethod.Post, uri, ServiceType)
        {
            Body = BuildAuthBody(Cloud),
            Idempotent = true,
        };
        var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var auth = Cloud.Auth;
        string Scrub(string text) => Redaction.Scrub(text, auth.Password, auth.ApplicationCredentialSecret);

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var (type, message) = ErrorBody.Parse(response.Body, response.ReasonPhrase);
            throw new OpenStackException(
                response.StatusCode,
                type ?? "Unauthorized",
                Scrub($"authentication failed for {DescribeIdentity()} at {AuthUrl}: {message} {WhatToCheck()}"),
                "POST",
                uri,
                response.RequestId,
                response.ClientRequestId,
                ServiceType);
        }

        if (!response.IsSuccess)
        {
            throw response.ToException(Scrub);
        }

        var subjectToken = response.Header("X-Subject-Token");
        TokenInfo? info;
        try
        {
            info = JsonSerializer.Deserialize(response.Body, IdentityJsonContext.Default.TokenEnvelope)?.Token;
        }
        catch (JsonException ex)
        {
            throw new OpenStackException(response.StatusCode, ErrorTypes.InvalidResponse, $"the token response cannot be read: {ex.Message}", "POST", uri, response.RequestId, response.ClientRequestId, ServiceType, ex);
        }

        if (string.IsNullOrEmpty(subjectToken) || info is null)
        {
            throw new OpenStackException(response.StatusCode, ErrorTypes.InvalidResponse, "the token response has no X-Subject-Token header or no token body", "POST", uri, response.RequestId, response.ClientRequestId, ServiceType);
        }

        return new AuthToken(subjectToken, info);
    }

    /// <summary>
    /// What to do about a refused authentication. Keystone says only "requires authentication"; for an application
    /// credential the usual causes are its expiry and its deletion, which the user cannot see in that answer.
    /// </summary>
    private string WhatToCheck() => Cloud.AuthType == AuthTypes.ApplicationCredential
        ? $"Check the credentials of {DescribeCloud()}: Keystone refuses an application credential that has expired (its expires_at " +
          "has passed) or was deleted, as well as a wrong secret; make a new one ('openstack application credential create') and put its id and secret there."
        : $"Check the credentials of {DescribeCloud()}.";

    private string DescribeCloud() => Cloud.SourceFile is null ? $"cloud '{Cloud.Name}'" : $"cloud '{Cloud.Name}' in {Cloud.SourceFile}";

    private string DescribeIdentity()
    {
        var auth = Cloud.Auth;
        if (Cloud.AuthType == AuthTypes.ApplicationCredential)
        {
            return $"application credential '{auth.ApplicationCredentialId ?? auth.ApplicationCredentialName}'";
        }

        var user = auth.UserId is not null ? $"user id '{auth.UserId}'" : $"user '{auth.Username}' (domain '{auth.UserDomainName ?? auth.UserDomainId ?? "Default"}')";
        var scope = auth.ProjectId is not null ? $"project id '{auth.ProjectId}'"
            : auth.ProjectName is not null ? $"project '{auth.ProjectName}'"
            : auth.DomainName is not null ? $"domain '{auth.DomainName}'"
            : auth.DomainId is not null ? $"domain id '{auth.DomainId}'"
            : auth.SystemScope is not null ? $"system '{auth.SystemScope}'"
            : "no scope";
        return $"{user}, {scope}";
    }

    internal static byte[] BuildAuthBody(CloudConfig cloud)
    {
        var auth = cloud.Auth;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("auth");
            w.WriteStartObject("identity");
            if (cloud.AuthType == AuthTypes.ApplicationCredential)
            {
                if (auth.ApplicationCredentialSecret is null)
                {
                    throw new CloudConfigException($"cloud '{cloud.Name}': auth_type v3applicationcredential needs application_credential_secret");
                }

                w.WriteStartArray("methods");
                w.WriteStringValue("application_credential");
                w.WriteEndArray();
                w.WriteStartObject("application_credential");
                if (auth.ApplicationCredentialId is not null)
                {
                    w.WriteString("id", auth.ApplicationCredentialId);
                }
                else if (auth.ApplicationCredentialName is not null)
                {
                    w.WriteString("name", auth.ApplicationCredentialName);
                    WriteUser(w, cloud, withPassword: false);
                }
                else
                {
                    throw new CloudConfigException($"cloud '{cloud.Name}': auth_type v3applicationcredential needs application_credential_id, or application_credential_name and the user");
                }

                w.WriteString("secret", auth.ApplicationCredentialSecret);
                w.WriteEndObject();
                w.WriteEndObject(); // identity
            }
            else
            {
                if (auth.Password is null)
                {
                    throw new CloudConfigException($"cloud '{cloud.Name}' has no auth.password (put it in clouds.yaml, secure.yaml or OS_PASSWORD)");
                }

                w.WriteStartArray("methods");
                w.WriteStringValue("password");
                w.WriteEndArray();
                w.WriteStartObject("password");
                WriteUser(w, cloud, withPassword: true);
                w.WriteEndObject();
                w.WriteEndObject(); // identity
                WriteScope(w, auth);
            }

            w.WriteEndObject(); // auth
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteUser(Utf8JsonWriter w, CloudConfig cloud, bool withPassword)
    {
        var auth = cloud.Auth;
        w.WriteStartObject("user");
        if (auth.UserId is not null)
        {
            w.WriteString("id", auth.UserId);
        }
        else if (auth.Username is not null)
        {
            w.WriteString("name", auth.Username);
            WriteDomain(w, auth.UserDomainId, auth.UserDomainName ?? (auth.UserDomainId is null ? "Default" : null));
        }
        else
        {
            throw new CloudConfigException($"cloud '{cloud.Name}' has neither auth.username nor auth.user_id");
        }

        if (withPassword)
        {
            w.WriteString("password", auth.Password);
        }

        w.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter w, CloudAuth auth)
    {
        if (auth.ProjectId is not null)
        {
            w.WriteStartObject("scope");
            w.WriteStartObject("project");
            w.WriteString("id", auth.ProjectId);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else if (auth.ProjectName is not null)
        {
            w.WriteStartObject("scope");
            w.WriteStartObject("project");
            w.WriteString("name", auth.ProjectName);
            WriteDomain(w, auth.ProjectDomainId, auth.ProjectDomainName ?? (auth.ProjectDomainId is null ? "Default" : null));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else if (auth.DomainId is not null || auth.DomainName is not null)
        {
            w.WriteStartObject("scope");
            WriteDomain(w, auth.DomainId, auth.DomainName);
            w.WriteEndObject();
        }
        else if (auth.SystemScope is not null)
        {
            w.WriteStartObject("scope");
            w.WriteStartObject("system");
            w.WriteBoolean(auth.SystemScope, true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void WriteDomain(Utf8JsonWriter w, string? id, string? name)
    {
        w.WriteStartObject("domain");
        if (id is not null)
        {
            w.WriteString("id", id);
        }
        else
        {
            w.WriteString("name", name);
        }

        w.WriteEndObject();
    }

    private static Uri NormalizeAuthUrl(CloudConfig cloud)
    {
        var text = cloud.Auth.AuthUrl ?? throw new CloudConfigException($"cloud '{cloud.Name}' has no auth.auth_url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CloudConfigException($"cloud '{cloud.Name}': auth_url '{text}' is not an http(s) URL");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v2.0", StringComparison.Ordinal))
        {
            throw new CloudConfigException($"cloud '{cloud.Name}': auth_url '{text}' is Keystone v2.0; only v3 is supported");
        }

        if (!path.EndsWith("/v3", StringComparison.Ordinal))
        {
            path += "/v3";
        }

        return new UriBuilder(uri) { Path = path + "/" , Query = string.Empty }.Uri;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Transport.Dispose();
        _gate.Dispose();
    }
}
