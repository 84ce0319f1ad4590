using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Core;

/// <summary>
/// The authenticated connection of one service client: resolves the endpoint, adds the token, re-authenticates once
/// on a 401, turns error responses into <see cref="OpenStackException"/> and (de)serializes JSON envelopes.
/// </summary>
internal sealed class ServiceConnection
{
    private readonly string _versionPath;
    private Uri? _baseUri;

    public ServiceConnection(IdentityClient identity, string serviceType, string versionPath)
    {
        Identity = identity;
        ServiceType = serviceType;
        _versionPath = versionPath.Trim('/');
    }

    public IdentityClient Identity { get; }

    public string ServiceType { get; }

    /// <summary>The versioned base URL, ending with '/', e.g. <c>http://127.0.0.1:19696/v2.0/</c>.</summary>
    public async Task<Uri> GetBaseUriAsync(CancellationToken cancellationToken)
    {
        if (_baseUri is { } cached)
        {
            return cached;
        }

        var endpoint = await Identity.GetEndpointAsync(ServiceType, cancellationToken).ConfigureAwait(false);
        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (_versionPath.Length > 0 && !path.EndsWith("/" + _versionPath, StringComparison.Ordinal))
        {
            path += "/" + _versionPath;
        }

        var uri = new UriBuilder(endpoint) { Path = path + "/", Query = string.Empty }.Uri;
        _baseUri = uri;
        return uri;
    }

    public async Task<RawResponse> SendAsync(
        HttpMethod method,
        string relativePath,
        byte[]? body,
        CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null,
        bool allowNotFound = false,
        string? contentType = null)
    {
        var baseUri = await GetBaseUriAsync(cancellationToken).ConfigureAwait(false);
        var uri = new Uri(baseUri, relativePath.TrimStart('/'));
        var token = await Identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var request = new TransportRequest(method, uri, ServiceType) { Body = body, AuthToken = token.Value, Headers = headers ?? [] };
        if (contentType is not null)
        {
            request = request with { ContentType = contentType };
        }

        var response = await Identity.Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token was revoked or expired early: authenticate again, once.
            Identity.InvalidateToken(token);
            token = await Identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            response = await Identity.Transport.SendAsync(request with { AuthToken = token.Value }, cancellationToken).ConfigureAwait(false);
        }

        if (response.IsSuccess || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        throw response.ToException();
    }

    public async Task<T> GetAsync<T>(string path, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return Read(response, key, typeInfo);
    }

    public async Task<TResult> SendJsonAsync<TBody, TResult>(
        HttpMethod method,
        string path,
        string requestKey,
        TBody body,
        JsonTypeInfo<TBody> bodyInfo,
        string responseKey,
        JsonTypeInfo<TResult> resultInfo,
        CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        var response = await SendAsync(method, path, Envelope(requestKey, body, bodyInfo), cancellationToken, headers).ConfigureAwait(false);
        return Read(response, responseKey, resultInfo);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        await SendAsync(HttpMethod.Delete, path, null, cancellationToken, headers).ConfigureAwait(false);

    /// <summary>One page of a collection and the query of the next page (from <c>&lt;collection&gt;_links</c>), if any.</summary>
    public async Task<(List<T> Items, string? NextQuery)> ListPageAsync<T>(
        string collectionPath,
        string query,
        string collectionKey,
        JsonTypeInfo<List<T>> typeInfo,
        CancellationToken cancellationToken)
    {
        var path = query.Length == 0 ? collectionPath : collectionPath + "?" + query;
        var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (!doc.RootElement.TryGetProperty(collectionKey, out var items))
            {
                throw Invalid(response, $"the response has no '{collectionKey}'", null);
            }

            var list = items.Deserialize(typeInfo) ?? [];
            string? next = null;
            if (doc.RootElement.TryGetProperty(collectionKey + "_links", out var links) && links.ValueKind == JsonValueKind.Array)
            {
                foreach (var link in links.EnumerateArray())
                {
                    if (link.TryGetProperty("rel", out var rel) && rel.GetString() == "next"
                        && link.TryGetProperty("href", out var href) && Uri.TryCreate(href.GetString(), UriKind.Absolute, out var nextUri))
                    {
                        // Keep our own base URL (the server may not know how it is reached); take only the query.
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

    public static byte[] Envelope<T>(string key, T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static T Read<T>(RawResponse response, string key, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(key, out var element))
            {
                throw Invalid(response, $"the response has no '{key}'", null);
            }

            return element.Deserialize(typeInfo) ?? throw Invalid(response, $"'{key}' is null", null);
        }
        catch (JsonException ex)
        {
            throw Invalid(response, ex.Message, ex);
        }
    }

    private static OpenStackException Invalid(RawResponse response, string what, Exception? inner) =>
        new(response.StatusCode, ErrorTypes.InvalidResponse, $"unexpected response: {what}", response.Request.Method.Method, response.Request.Uri, response.RequestId, response.ClientRequestId, response.Request.ServiceType, inner);
}
