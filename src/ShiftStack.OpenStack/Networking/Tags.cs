using System.Net;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>Collections that have tags (the URL segment of <c>/v2.0/{resource}/{id}/tags</c>).</summary>
public static class TaggableResources
{
    /// <summary>Networks.</summary>
    public const string Networks = "networks";

    /// <summary>Subnets.</summary>
    public const string Subnets = "subnets";

    /// <summary>Ports.</summary>
    public const string Ports = "ports";

    /// <summary>Routers.</summary>
    public const string Routers = "routers";

    /// <summary>Security groups.</summary>
    public const string SecurityGroups = "security-groups";

    /// <summary>Floating IPs.</summary>
    public const string FloatingIps = "floatingips";

    /// <summary>Trunks.</summary>
    public const string Trunks = "trunks";

    /// <summary>Subnet pools.</summary>
    public const string SubnetPools = "subnetpools";
}

internal sealed record TagsBody
{
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];
}

/// <summary>
/// Tags (<c>standard-attr-tag</c>): add one, replace all, remove one/all, list. The multi-tag POST of Neutron ≥ 25
/// is not used (Zed answers 404).
/// </summary>
public sealed class TagOperations
{
    private readonly ServiceConnection _connection;

    internal TagOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>Lists the tags of a resource.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string resource, string id, CancellationToken cancellationToken = default) =>
        await _connection.GetAsync(TagsPath(resource, id), "tags", NeutronJsonContext.Default.ListString, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds one tag (<c>PUT …/tags/{tag}</c>; idempotent).</summary>
    public Task AddAsync(string resource, string id, string tag, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(HttpMethod.Put, TagPath(resource, id, tag), null, cancellationToken);

    /// <summary>Replaces all tags (<c>PUT …/tags</c>); returns the new tags.</summary>
    public async Task<IReadOnlyList<string>> ReplaceAllAsync(string resource, string id, IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new TagsBody { Tags = tags.ToList() }, NeutronJsonContext.Default.TagsBody);
        var response = await _connection.SendAsync(HttpMethod.Put, TagsPath(resource, id), body, cancellationToken).ConfigureAwait(false);
        return ServiceConnection.Read(response, "tags", NeutronJsonContext.Default.ListString);
    }

    /// <summary>Removes one tag.</summary>
    /// <exception cref="OpenStackException">404 <c>TagNotFound</c> if absent.</exception>
    public Task RemoveAsync(string resource, string id, string tag, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(HttpMethod.Delete, TagPath(resource, id, tag), null, cancellationToken);

    /// <summary>Removes all tags.</summary>
    public Task RemoveAllAsync(string resource, string id, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(HttpMethod.Delete, TagsPath(resource, id), null, cancellationToken);

    /// <summary>True if the resource has the tag.</summary>
    public async Task<bool> ExistsAsync(string resource, string id, string tag, CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(HttpMethod.Get, TagPath(resource, id, tag), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private static string TagsPath(string resource, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Uri.EscapeDataString(resource) + "/" + Uri.EscapeDataString(id) + "/tags";
    }

    private static string TagPath(string resource, string id, string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return TagsPath(resource, id) + "/" + Uri.EscapeDataString(tag);
    }
}
