using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ShiftStack.OpenStack.Core;

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
