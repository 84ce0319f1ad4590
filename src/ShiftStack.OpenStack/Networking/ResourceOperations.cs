using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>Get, list (all pages or page by page) and delete, shared by every Neutron resource.</summary>
/// <typeparam name="TResource">The resource.</typeparam>
/// <typeparam name="TList">Its list options.</typeparam>
public abstract class ResourceOperations<TResource, TList>
    where TList : NeutronListOptions
{
    private readonly JsonTypeInfo<TResource> _info;
    private readonly JsonTypeInfo<List<TResource>> _listInfo;

    private protected ResourceOperations(
        ServiceConnection connection,
        string collectionPath,
        string singular,
        string plural,
        JsonTypeInfo<TResource> info,
        JsonTypeInfo<List<TResource>> listInfo)
    {
        Connection = connection;
        CollectionPath = collectionPath;
        Singular = singular;
        Plural = plural;
        _info = info;
        _listInfo = listInfo;
    }

    private protected ServiceConnection Connection { get; }

    private protected string CollectionPath { get; }

    private protected string Singular { get; }

    private protected string Plural { get; }

    /// <summary>Gets one resource by ID.</summary>
    /// <exception cref="OpenStackException">E.g. 404 <c>PortNotFound</c>.</exception>
    public Task<TResource> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Connection.GetAsync(ItemPath(id), Singular, _info, cancellationToken);

    /// <summary>Gets one resource by ID, or null if it does not exist.</summary>
    public async Task<TResource?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(HttpMethod.Get, ItemPath(id), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? default : ServiceConnection.Read(response, Singular, _info);
    }

    /// <summary>Lists resources, following <c>next</c> links until the last page.</summary>
    public async Task<IReadOnlyList<TResource>> ListAsync(TList? options = null, CancellationToken cancellationToken = default)
    {
        var all = new List<TResource>();
        await foreach (var page in ListPagesAsync(options, cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(page.Items);
        }

        return all;
    }

    /// <summary>Lists resources page by page (one request per page; page size from <see cref="NeutronListOptions.Limit"/>).</summary>
    public async IAsyncEnumerable<Page<TResource>> ListPagesAsync(TList? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = options?.ToQuery() ?? string.Empty;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (items, next) = await Connection.ListPageAsync(CollectionPath, query, Plural, _listInfo, cancellationToken).ConfigureAwait(false);
            var hasNext = next is not null && items.Count > 0 && seen.Add(next);
            yield return new Page<TResource>(items, hasNext);
            if (!hasNext)
            {
                yield break;
            }

            query = next!;
        }
    }

    /// <summary>Deletes a resource.</summary>
    /// <exception cref="OpenStackException">E.g. 404 when it does not exist, 409 when in use.</exception>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        Connection.DeleteAsync(ItemPath(id), cancellationToken);

    /// <summary>Deletes a resource; false if it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(HttpMethod.Delete, ItemPath(id), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private protected string ItemPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return CollectionPath + "/" + Uri.EscapeDataString(id);
    }

    private protected Task<TResource> CreateCoreAsync<TCreate>(TCreate options, JsonTypeInfo<TCreate> info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Connection.SendJsonAsync(HttpMethod.Post, CollectionPath, Singular, options, info, Singular, _info, cancellationToken);
    }

    private protected async Task<IReadOnlyList<TResource>> CreateBulkCoreAsync<TCreate>(IEnumerable<TCreate> options, JsonTypeInfo<List<TCreate>> info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = options.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        return await Connection.SendJsonAsync(HttpMethod.Post, CollectionPath, Plural, list, info, Plural, _listInfo, cancellationToken).ConfigureAwait(false);
    }

    private protected Task<TResource> UpdateCoreAsync<TUpdate>(string id, TUpdate options, JsonTypeInfo<TUpdate> info, int? ifRevisionNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Connection.SendJsonAsync(HttpMethod.Put, ItemPath(id), Singular, options, info, Singular, _info, cancellationToken, IfMatch(ifRevisionNumber));
    }

    private protected static IReadOnlyList<KeyValuePair<string, string>>? IfMatch(int? revisionNumber) =>
        revisionNumber is { } n ? [new("If-Match", "revision_number=" + n.ToString(CultureInfo.InvariantCulture))] : null;
}
