using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Identity;

/// <summary>An access rule of an application credential: the one request (service type, method, path) it allows.</summary>
/// <param name="Service">The catalog service type, e.g. <c>image</c>.</param>
/// <param name="Method">The HTTP method, e.g. <c>GET</c>.</param>
/// <param name="Path">The path as the service sees it, e.g. <c>/v2/images/{id}/file</c> (<c>*</c> and <c>**</c> are wildcards).</param>
public sealed record AccessRule(string Service, string Method, string Path);

/// <summary>
/// A Keystone application credential of the authenticated user. Its secret is known only from the answer to its
/// creation, and is never shown (<see cref="ToString"/> leaves it out).
/// </summary>
/// <param name="Id">Its ID.</param>
/// <param name="Name">Its name (unique per user).</param>
/// <param name="UserId">The user it belongs to.</param>
/// <param name="ExpiresAt">When it expires; null for never.</param>
/// <param name="AccessRules">The requests it is restricted to; empty for all the user's roles allow.</param>
public sealed record ApplicationCredential(string Id, string Name, string UserId, DateTimeOffset? ExpiresAt, IReadOnlyList<AccessRule> AccessRules)
{
    internal string? Secret { get; init; }
}

/// <summary>A token handed to someone else (a server's Ignition), with when it expires. <see cref="ToString"/> hides it.</summary>
/// <param name="Value">The token, for an <c>X-Auth-Token</c> header.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record IssuedToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"token until {ExpiresAt:O}";
}

/// <summary>
/// Keystone's application credentials of the authenticated user (<c>/v3/users/{user_id}/application_credentials</c>):
/// create one restricted by access rules and with an expiry, issue a token from it, find and delete it. A member may
/// do all of this for their own user (Keystone's default policy); a service checks a rule only when its
/// <c>keystone_authtoken</c> names its <c>service_type</c>, and refuses such tokens otherwise.
/// </summary>
public sealed class ApplicationCredentials
{
    private readonly IdentityClient _identity;
    private readonly ServiceConnection _connection;

    /// <summary>Creates the API on an identity client (its token says whose credentials these are).</summary>
    public ApplicationCredentials(IdentityClient identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _connection = new ServiceConnection(identity, IdentityClient.ServiceType, string.Empty);
    }

    /// <summary>
    /// Creates a credential restricted to <paramref name="accessRules"/>, with <paramref name="roles"/> (names) of the
    /// user on the token's project, or all the token's roles when none are given.
    /// </summary>
    public async Task<ApplicationCredential> CreateAsync(
        string name, string? description, DateTimeOffset expiresAt, IReadOnlyList<AccessRule> accessRules, IReadOnlyList<string>? roles = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(accessRules);
        var userId = await UserIdAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("application_credential");
            w.WriteString("name", name);
            if (description is not null)
            {
                w.WriteString("description", description);
            }

            w.WriteString("expires_at", expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteBoolean("unrestricted", false);
            if (roles is { Count: > 0 })
            {
                w.WriteStartArray("roles");
                foreach (var role in roles)
                {
                    w.WriteStartObject();
                    w.WriteString("name", role);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("access_rules");
            foreach (var rule in accessRules)
            {
                w.WriteStartObject();
                w.WriteString("service", rule.Service);
                w.WriteString("method", rule.Method);
                w.WriteString("path", rule.Path);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var response = await _connection.SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(userId)}/application_credentials", buffer.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
        return Parse(response, userId, single: true).Single();
    }

    /// <summary>The current user's credentials, those named <paramref name="name"/> when given.</summary>
    public async Task<IReadOnlyList<ApplicationCredential>> ListAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync(cancellationToken).ConfigureAwait(false);
        var path = $"users/{Uri.EscapeDataString(userId)}/application_credentials" + (name is null ? string.Empty : "?name=" + Uri.EscapeDataString(name));
        var response = await _connection.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return Parse(response, userId, single: false);
    }

    /// <summary>Deletes a credential (the tokens issued from it stop working). False when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var userId = await UserIdAsync(cancellationToken).ConfigureAwait(false);
        var response = await _connection.SendAsync(
            HttpMethod.Delete, $"users/{Uri.EscapeDataString(userId)}/application_credentials/{Uri.EscapeDataString(id)}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>
    /// Authenticates with a credential made by <see cref="CreateAsync"/> (the only answer that holds its secret) and
    /// returns the token, for someone else to use. The token expires with the credential at the latest.
    /// </summary>
    public async Task<IssuedToken> IssueTokenAsync(ApplicationCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.Secret is null)
        {
            throw new ArgumentException($"application credential {credential.Id}: its secret is known only from the answer to its creation", nameof(credential));
        }

        var cloud = _identity.Cloud with
        {
            AuthType = AuthTypes.ApplicationCredential,
            Auth = new CloudAuth { AuthUrl = _identity.AuthUrl.AbsoluteUri, ApplicationCredentialId = credential.Id, ApplicationCredentialSecret = credential.Secret },
        };
        using var client = new IdentityClient(cloud, _identity.Options);
        var token = await client.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        return new IssuedToken(token.Value, token.ExpiresAt);
    }

    private async Task<string> UserIdAsync(CancellationToken cancellationToken)
    {
        var token = await _identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.UserId ?? throw new OpenStackException(
            HttpStatusCode.OK, ErrorTypes.InvalidResponse, "the token names no user, so it has no application credentials", "GET", _identity.AuthUrl, null, null, IdentityClient.ServiceType);
    }

    private static List<ApplicationCredential> Parse(RawResponse response, string userId, bool single)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            var items = single
                ? [root.GetProperty("application_credential")]
                : root.GetProperty("application_credentials").EnumerateArray().ToList();
            return items.Select(e => new ApplicationCredential(
                    e.GetProperty("id").GetString()!,
                    e.GetProperty("name").GetString()!,
                    e.TryGetProperty("user_id", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : userId,
                    e.TryGetProperty("expires_at", out var x) && x.ValueKind == JsonValueKind.String ? ParseTime(x.GetString()!) : null,
                    e.TryGetProperty("access_rules", out var rules) && rules.ValueKind == JsonValueKind.Array
                        ? rules.EnumerateArray().Select(r => new AccessRule(r.GetProperty("service").GetString()!, r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!)).ToList()
                        : [])
                {
                    Secret = e.TryGetProperty("secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
                })
                .ToList();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new OpenStackException(response.StatusCode, ErrorTypes.InvalidResponse, $"unexpected application credential response: {ex.Message}", response.Request.Method.Method, response.Request.Uri, response.RequestId, response.ClientRequestId, IdentityClient.ServiceType, ex);
        }
    }

    // Keystone writes "2026-12-05T12:00:00.000000", in UTC without a zone.
    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
