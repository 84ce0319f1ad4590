using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;

namespace ShiftStack.OpenStack.Image;

/// <summary>A Glance image (named so to keep it apart from the <c>Image</c> namespace).</summary>
public sealed record GlanceImage
{
    /// <summary>ID.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Name (Glance allows none, and does not make names unique).</summary>
    public string? Name { get; init; }

    /// <summary>Status (only <see cref="ImageStatus.Active"/> images can boot).</summary>
    public ImageStatus Status { get; init; }

    /// <summary><c>public</c>, <c>private</c>, <c>shared</c> or <c>community</c>.</summary>
    public string? Visibility { get; init; }

    /// <summary>Size of the data in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>Virtual disk size in bytes.</summary>
    public long? VirtualSize { get; init; }

    /// <summary>Disk format (<c>qcow2</c>, <c>raw</c>, ...).</summary>
    public string? DiskFormat { get; init; }

    /// <summary>Container format (<c>bare</c>, ...).</summary>
    public string? ContainerFormat { get; init; }

    /// <summary>MD5 checksum.</summary>
    public string? Checksum { get; init; }

    /// <summary>Hash algorithm of <see cref="OsHashValue"/> (e.g. <c>sha512</c>).</summary>
    public string? OsHashAlgo { get; init; }

    /// <summary>Multihash of the data.</summary>
    public string? OsHashValue { get; init; }

    /// <summary>Minimum disk in GiB.</summary>
    public int MinDisk { get; init; }

    /// <summary>Minimum RAM in MiB.</summary>
    public int MinRam { get; init; }

    /// <summary>Owner project ID.</summary>
    public string? Owner { get; init; }

    /// <summary><c>protected</c>.</summary>
    public bool Protected { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>created_at</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Other properties (e.g. <c>hw_disk_bus</c>, <c>os_distro</c>, <c>file</c>, <c>schema</c>).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Image list filters (<c>GET /v2/images</c>).</summary>
public sealed record ImageListOptions
{
    /// <summary><c>name</c>: exact match.</summary>
    public string? Name { get; init; }

    /// <summary><c>status</c>.</summary>
    public ImageStatus? Status { get; init; }

    /// <summary><c>visibility</c> (<c>public</c>, <c>private</c>, <c>shared</c>, <c>community</c>, <c>all</c>).</summary>
    public string? Visibility { get; init; }

    /// <summary><c>owner</c>.</summary>
    public string? Owner { get; init; }

    /// <summary>Images having all these tags (<c>tag=</c>, repeated).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Page size (<c>limit</c>); the list still returns every page.</summary>
    public int? Limit { get; init; }

    internal string ToQuery() =>
        new QueryBuilder().Add("name", Name).Add("status", Status?.Value).Add("visibility", Visibility)
            .Add("owner", Owner).AddAll("tag", Tags).Add("limit", Limit).ToString();
}

/// <summary>The body of an image create (<c>POST /v2/images</c>): the record only, the data is uploaded after.</summary>
public sealed record ImageCreateOptions
{
    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Container format (<c>bare</c>).</summary>
    public string? ContainerFormat { get; init; }

    /// <summary>Disk format (<c>raw</c>, <c>qcow2</c>, ...).</summary>
    public string? DiskFormat { get; init; }

    /// <summary>Visibility; Glance's default is <c>shared</c>.</summary>
    public string? Visibility { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>
/// Where a guest can read an image's data: the data URL on the image service's public endpoint and the token to send
/// in <c>X-Auth-Token</c> (valid until <see cref="ExpiresAt"/>). <see cref="ToString"/> never shows the token.
/// </summary>
/// <param name="Url">E.g. <c>http://127.0.0.1:9292/v2/images/&lt;id&gt;/file</c>.</param>
/// <param name="Token">The Keystone token of the client that made the image.</param>
/// <param name="ExpiresAt">When the token expires.</param>
public sealed record ImageDataReference(Uri Url, string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// The application credential the token was issued from, when it is restricted to reading this image's data
    /// (<see cref="ImageOperations.GetRestrictedDataReferenceAsync"/>); null when it is the client's own token.
    /// </summary>
    public ApplicationCredential? Credential { get; init; }

    /// <summary>Why the token is the client's own although a restricted one was asked for; null otherwise.</summary>
    public string? Unrestricted { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Url} (token until {ExpiresAt:O})";
}

/// <summary>Images (<c>/v2/images</c>). Glance does not wrap its answers: an image is the top-level object.</summary>
public sealed class ImageOperations
{
    private readonly ServiceConnection _connection;

    internal ImageOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>Gets an image.</summary>
    /// <exception cref="OpenStackException">404 when it does not exist (or is not visible to the project).</exception>
    public async Task<GlanceImage> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(HttpMethod.Get, ItemPath(id), null, cancellationToken).ConfigureAwait(false);
        return ReadRoot(response, ImageJsonContext.Default.GlanceImage);
    }

    /// <summary>Gets an image, or null if it does not exist.</summary>
    public async Task<GlanceImage?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(HttpMethod.Get, ItemPath(id), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : ReadRoot(response, ImageJsonContext.Default.GlanceImage);
    }

    /// <summary>Lists images, following <c>next</c> until the last page.</summary>
    public async Task<IReadOnlyList<GlanceImage>> ListAsync(ImageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = new List<GlanceImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var query = options?.ToQuery() ?? string.Empty;
        while (true)
        {
            var response = await _connection.SendAsync(HttpMethod.Get, query.Length == 0 ? "images" : "images?" + query, null, cancellationToken).ConfigureAwait(false);
            var page = ReadRoot(response, ImageJsonContext.Default.ImageListPage);
            all.AddRange(page.Images);
            var next = page.Next is { } link && link.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? link[(q + 1)..] : null;
            if (next is null || page.Images.Count == 0 || !seen.Add(next))
            {
                return all;
            }

            query = next;
        }
    }

    /// <summary>The images with exactly this name (Glance names are not unique), e.g. <c>fake-img</c>.</summary>
    public Task<IReadOnlyList<GlanceImage>> ListByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return ListAsync(new ImageListOptions { Name = name }, cancellationToken);
    }

    /// <summary>The images having all these tags, e.g. <c>openshiftClusterID=&lt;infraID&gt;</c>.</summary>
    public Task<IReadOnlyList<GlanceImage>> ListByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return ListAsync(new ImageListOptions { Tags = [tag] }, cancellationToken);
    }

    /// <summary>Creates an image record (status <c>queued</c>, no data yet).</summary>
    public async Task<GlanceImage> CreateAsync(ImageCreateOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = JsonSerializer.SerializeToUtf8Bytes(options, ImageJsonContext.Default.ImageCreateOptions);
        var response = await _connection.SendAsync(HttpMethod.Post, "images", body, cancellationToken).ConfigureAwait(false);
        return ReadRoot(response, ImageJsonContext.Default.GlanceImage);
    }

    /// <summary>
    /// Uploads an image's data (<c>PUT /v2/images/{id}/file</c>, <c>application/octet-stream</c>). The data is never
    /// logged. A second upload to an image that has data already is refused by Glance (409).
    /// </summary>
    public async Task UploadAsync(string id, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        await _connection.SendAsync(HttpMethod.Put, ItemPath(id) + "/file", data, cancellationToken, contentType: "application/octet-stream").ConfigureAwait(false);
    }

    /// <summary>Deletes an image; false if it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(HttpMethod.Delete, ItemPath(id), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>
    /// The URL and token a guest reads the image's data with: the image's <c>file</c> path on the image service's
    /// <c>public</c> endpoint in the cloud's region (the guest is outside the cloud's internal network), and the
    /// client's current token.
    /// </summary>
    public async Task<ImageDataReference> GetDataReferenceAsync(GlanceImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var identity = _connection.Identity;
        var token = await identity.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = token.Catalog.FindEndpoint(ImageClient.ServiceType, "public", identity.Cloud.RegionName, identity.Cloud.Name);
        var file = image.AdditionalProperties is { } extra && extra.TryGetValue("file", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()!
            : "/v2/images/" + Uri.EscapeDataString(image.Id) + "/file";

        // The catalog URL may or may not end with the version (http://host:9292 or http://host:9292/v2/); "file" is
        // an absolute path that starts with it.
        var root = new UriBuilder(endpoint) { Query = string.Empty }.Uri.AbsoluteUri.TrimEnd('/');
        if (root.EndsWith("/v2", StringComparison.Ordinal) && file.StartsWith("/v2/", StringComparison.Ordinal))
        {
            root = root[..^3];
        }

        return new ImageDataReference(new Uri(root + file), token.Value, token.ExpiresAt);
    }

    private const string ReaderRole = "reader";

    /// <summary>
    /// Like <see cref="GetDataReferenceAsync"/>, but with a token that can read this image's data and nothing else:
    /// issued from a new application credential named <paramref name="credentialName"/> (earlier ones of that name
    /// are deleted first), restricted by one access rule (<c>GET</c> on the image's <c>file</c> path of the
    /// <c>image</c> service) and expiring after <paramref name="lifetime"/>. Where the cloud does not allow such a
    /// credential (Keystone's policy, a Keystone without access rules), the client's own token is used, and
    /// <see cref="ImageDataReference.Unrestricted"/> says why.
    /// </summary>
    public async Task<ImageDataReference> GetRestrictedDataReferenceAsync(GlanceImage image, string credentialName, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(credentialName);
        var own = await GetDataReferenceAsync(image, cancellationToken).ConfigureAwait(false);
        var credentials = new ApplicationCredentials(_connection.Identity);
        ApplicationCredential credential;
        try
        {
            foreach (var old in await credentials.ListAsync(credentialName, cancellationToken).ConfigureAwait(false))
            {
                await credentials.DeleteAsync(old.Id, cancellationToken).ConfigureAwait(false);
            }

            var description = $"reads the data of image {image.Name ?? image.Id} ({image.Id}) and nothing else";
            IReadOnlyList<AccessRule> rules = [new AccessRule(ImageClient.ServiceType, "GET", own.Url.AbsolutePath)];
            try
            {
                // The least role that reads an image (Keystone's default "reader", implied by "member").
                credential = await credentials.CreateAsync(credentialName, description, DateTimeOffset.UtcNow + lifetime, rules, [ReaderRole], cancellationToken).ConfigureAwait(false);
            }
            catch (OpenStackException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                // A cloud without the reader role: the token's own roles, still restricted by the access rule.
                credential = await credentials.CreateAsync(credentialName, description, DateTimeOffset.UtcNow + lifetime, rules, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OpenStackException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed)
        {
            return own with { Unrestricted = $"Keystone did not allow an application credential restricted to this image ({e.ErrorMessage})" };
        }

        var token = await credentials.IssueTokenAsync(credential, cancellationToken).ConfigureAwait(false);
        return own with { Token = token.Value, ExpiresAt = token.ExpiresAt, Credential = credential };
    }

    private static T ReadRoot<T>(RawResponse response, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, typeInfo) ?? throw Invalid(response, "empty body", null);
        }
        catch (JsonException ex)
        {
            throw Invalid(response, ex.Message, ex);
        }
    }

    private static OpenStackException Invalid(RawResponse response, string what, Exception? inner) =>
        new(response.StatusCode, ErrorTypes.InvalidResponse, $"unexpected response: {what}", response.Request.Method.Method, response.Request.Uri, response.RequestId, response.ClientRequestId, response.Request.ServiceType, inner);

    private static string ItemPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "images/" + Uri.EscapeDataString(id);
    }
}

internal sealed record ImageListPage
{
    public List<GlanceImage> Images { get; init; } = [];

    public string? Next { get; init; }
}
