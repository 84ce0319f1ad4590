using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A Nova API microversion (<c>2.90</c>): major.minor, compared numerically (2.9 &lt; 2.10).</summary>
internal readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    public static bool TryParse(string? text, out Microversion version)
    {
        version = default;
        var parts = text?.Trim().Split('.');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Microversion(major, minor);
        return true;
    }

    public int CompareTo(Microversion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(Microversion left, Microversion right) => left.CompareTo(right) < 0;

    public static bool operator >(Microversion left, Microversion right) => left.CompareTo(right) > 0;

    public static bool operator <=(Microversion left, Microversion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Microversion left, Microversion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}

/// <summary>
/// Nova's view of a <see cref="ServiceConnection"/>: every request carries the microversion headers
/// (<c>OpenStack-API-Version: compute 2.x</c> and the legacy <c>X-OpenStack-Nova-API-Version: 2.x</c>), the endpoint
/// is used as the catalog gives it when it already names a version (<c>…/v2.1</c>, also the legacy
/// <c>…/v2.1/&lt;project id&gt;</c>) and gets <c>/v2.1</c> otherwise, and lists follow <c>&lt;collection&gt;_links</c>.
/// </summary>
internal sealed class NovaConnection
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private ServiceConnection? _connection;

    public NovaConnection(IdentityClient identity, string serviceType, Microversion microversion)
    {
        Identity = identity;
        ServiceType = serviceType;
        Microversion = microversion;
        _headers =
        [
            new("OpenStack-API-Version", "compute " + microversion),
            new("X-OpenStack-Nova-API-Version", microversion.ToString()),
        ];
    }

    public IdentityClient Identity { get; }

    public string ServiceType { get; }

    public Microversion Microversion { get; }

    public TimeProvider TimeProvider => Identity.Options.TimeProvider;

    public async Task<ServiceConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } existing)
        {
            return existing;
        }

        var endpoint = await Identity.GetEndpointAsync(ServiceType, cancellationToken).ConfigureAwait(false);
        var connection = new ServiceConnection(Identity, ServiceType, HasVersionSegment(endpoint) ? string.Empty : "v2.1");
        return Interlocked.CompareExchange(ref _connection, connection, null) ?? connection;
    }

    public async Task<Uri> GetBaseUriAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.GetBaseUriAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RawResponse> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.SendAsync(method, path, body, cancellationToken, _headers, allowNotFound).ConfigureAwait(false);
    }

    public async Task<T> GetAsync<T>(string path, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return ServiceConnection.Read(response, key, typeInfo);
    }

    /// <summary>The resource, or null on 404.</summary>
    public async Task<T?> FindAsync<T>(string path, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : ServiceConnection.Read(response, key, typeInfo);
    }

    public async Task<T> PostAsync<T>(string path, byte[] body, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
        return ServiceConnection.Read(response, key, typeInfo);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes; false when the resource did not exist (404).</summary>
    public async Task<bool> DeleteIfExistsAsync(string path, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>Every item of a collection, following the <c>next</c> link of <c>&lt;key&gt;_links</c> (Nova pages at its <c>max_limit</c>, 1000 by default).</summary>
    public async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, string query, string key, JsonTypeInfo<List<T>> typeInfo, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var response = await SendAsync(HttpMethod.Get, query.Length == 0 ? path : path + "?" + query, null, cancellationToken).ConfigureAwait(false);
            var (items, next) = ReadPage(response, key, typeInfo);
            all.AddRange(items);
            if (next is null || items.Count == 0 || !seen.Add(next))
            {
                return all;
            }

            query = next;
        }
    }

    private static (List<T> Items, string? NextQuery) ReadPage<T>(RawResponse response, string key, JsonTypeInfo<List<T>> typeInfo)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(key, out var items))
            {
                throw Invalid(response, $"the response has no '{key}'", null);
            }

            var list = items.Deserialize(typeInfo) ?? [];
            string? next = null;
            if (doc.RootElement.TryGetProperty(key + "_links", out var links) && links.ValueKind == JsonValueKind.Array)
            {
                foreach (var link in links.EnumerateArray())
                {
                    if (link.ValueKind == JsonValueKind.Object
                        && link.TryGetProperty("rel", out var rel) && rel.ValueKind == JsonValueKind.String && rel.GetString() == "next"
                        && link.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String
                        && Uri.TryCreate(href.GetString(), UriKind.Absolute, out var nextUri))
                    {
                        // Nova builds the link from its own idea of its URL: keep ours, take only the query.
                        next = nextUri.Query.TrimStart('?');
                    }
                }
            }

            return (list, next);
        }
        catch (JsonException ex)
        {
            throw Invalid(response, ex.Message, ex);
        }
    }

    internal static OpenStackException Invalid(RawResponse response, string what, Exception? inner) =>
        new(response.StatusCode, ErrorTypes.InvalidResponse, $"unexpected response: {what}", response.Request.Method.Method, response.Request.Uri, response.RequestId, response.ClientRequestId, response.Request.ServiceType, inner);

    /// <summary>True when a path segment is <c>v2</c> or <c>v2.1</c> (the endpoint already names the API version).</summary>
    internal static bool HasVersionSegment(Uri endpoint) =>
        endpoint.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => s is "v2" or "v2.1");
}
