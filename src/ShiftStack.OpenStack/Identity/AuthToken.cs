using System.Text.Json.Serialization;

namespace ShiftStack.OpenStack.Identity;

/// <summary>
/// A Keystone token with its scope and service catalog. The token value itself is not public (it is only sent in
/// <c>X-Auth-Token</c> by the clients of this library), so it cannot leak through logs or <see cref="ToString"/>.
/// </summary>
public sealed class AuthToken
{
    internal AuthToken(string value, TokenInfo info)
    {
        Value = value;
        ExpiresAt = info.ExpiresAt;
        IssuedAt = info.IssuedAt;
        UserId = info.User?.Id;
        UserName = info.User?.Name;
        ProjectId = info.Project?.Id;
        ProjectName = info.Project?.Name;
        DomainId = info.Domain?.Id;
        Roles = info.Roles?.Select(r => r.Name).Where(n => n is not null).Select(n => n!).ToList() ?? [];
        Catalog = new ServiceCatalog(info.Catalog ?? []);
    }

    internal string Value { get; }

    /// <summary>When the token expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>The authenticated user's ID.</summary>
    public string? UserId { get; }

    /// <summary>The authenticated user's name.</summary>
    public string? UserName { get; }

    /// <summary>The scoped project's ID (null for domain/system scope).</summary>
    public string? ProjectId { get; }

    /// <summary>The scoped project's name.</summary>
    public string? ProjectName { get; }

    /// <summary>The scoped domain's ID (domain scope only).</summary>
    public string? DomainId { get; }

    /// <summary>Role names in the scope.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>The service catalog.</summary>
    public ServiceCatalog Catalog { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"token for user {UserName ?? UserId} in project {ProjectName ?? ProjectId ?? DomainId}, expires {ExpiresAt:O}";
}

/// <summary>The Keystone service catalog.</summary>
public sealed class ServiceCatalog
{
    /// <summary>Creates a catalog.</summary>
    public ServiceCatalog(IReadOnlyList<CatalogService> services) => Services = services;

    /// <summary>The services.</summary>
    public IReadOnlyList<CatalogService> Services { get; }

    /// <summary>
    /// Finds the endpoint URL for a service type, interface and region (null region matches any). Interfaces may be
    /// written <c>public</c> or <c>publicURL</c>.
    /// </summary>
    /// <returns>The URL, or null.</returns>
    public Uri? TryFindEndpoint(string serviceType, string endpointInterface, string? region)
    {
        var wanted = NormalizeInterface(endpointInterface);
        foreach (var service in Services.Where(s => string.Equals(s.Type, serviceType, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var endpoint in service.Endpoints)
            {
                if (!string.Equals(NormalizeInterface(endpoint.Interface ?? string.Empty), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!string.IsNullOrEmpty(region)
                    && !string.Equals(endpoint.RegionId, region, StringComparison.Ordinal)
                    && !string.Equals(endpoint.Region, region, StringComparison.Ordinal))
                {
                    continue;
                }

                if (Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri))
                {
                    return uri;
                }
            }
        }

        return null;
    }

    /// <summary>Like <see cref="TryFindEndpoint"/> but throws an <see cref="OpenStackException"/> of type <see cref="ErrorTypes.EndpointNotFound"/> naming what was looked for and what the catalog has.</summary>
    public Uri FindEndpoint(string serviceType, string endpointInterface, string? region, string? cloudName = null) =>
        TryFindEndpoint(serviceType, endpointInterface, region)
        ?? throw new OpenStackException(
            statusCode: null,
            ErrorTypes.EndpointNotFound,
            $"no endpoint for service type '{serviceType}' with interface '{NormalizeInterface(endpointInterface)}' in region '{(string.IsNullOrEmpty(region) ? "(any)" : region)}'"
            + (cloudName is null ? string.Empty : $" in the catalog of cloud '{cloudName}'")
            + $"; the catalog has: {Describe()}",
            method: null,
            requestUri: null,
            serviceType: serviceType);

    /// <summary>A one-line summary: <c>network (public RegionOne, internal RegionOne), identity (...)</c>.</summary>
    public string Describe() =>
        Services.Count == 0
            ? "(empty catalog)"
            : string.Join(", ", Services.Select(s =>
                $"{s.Type} ({string.Join(", ", s.Endpoints.Select(e => $"{e.Interface} {e.RegionId ?? e.Region ?? "(no region)"}"))})"));

    private static string NormalizeInterface(string value) =>
        value.EndsWith("URL", StringComparison.Ordinal) ? value[..^3] : value;
}

/// <summary>A catalog entry: one service with its endpoints.</summary>
public sealed record CatalogService
{
    /// <summary>Service type (<c>network</c>, <c>compute</c>, <c>identity</c>, <c>image</c>).</summary>
    public string? Type { get; init; }

    /// <summary>Service name (<c>neutron</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Service ID.</summary>
    public string? Id { get; init; }

    /// <summary>Endpoints.</summary>
    public IReadOnlyList<CatalogEndpoint> Endpoints { get; init => field = value ?? []; } = [];
}

/// <summary>One endpoint of a catalog service.</summary>
public sealed record CatalogEndpoint
{
    /// <summary>Endpoint ID.</summary>
    public string? Id { get; init; }

    /// <summary><c>public</c>, <c>internal</c> or <c>admin</c>.</summary>
    public string? Interface { get; init; }

    /// <summary>Region ID.</summary>
    [JsonPropertyName("region_id")]
    public string? RegionId { get; init; }

    /// <summary>Region (legacy name).</summary>
    public string? Region { get; init; }

    /// <summary>URL.</summary>
    public string? Url { get; init; }
}

internal sealed class TokenEnvelope
{
    public TokenInfo? Token { get; set; }
}

internal sealed class TokenInfo
{
    [JsonPropertyName("expires_at")]
    public DateTimeOffset ExpiresAt { get; set; }

    [JsonPropertyName("issued_at")]
    public DateTimeOffset? IssuedAt { get; set; }

    public NamedRef? User { get; set; }

    public NamedRef? Project { get; set; }

    public NamedRef? Domain { get; set; }

    public List<NamedRef>? Roles { get; set; }

    public List<CatalogService>? Catalog { get; set; }
}

internal sealed class NamedRef
{
    public string? Id { get; set; }

    public string? Name { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TokenEnvelope))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
