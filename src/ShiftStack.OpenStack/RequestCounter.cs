using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ShiftStack.OpenStack;

/// <summary>
/// Counts HTTP requests sent (each attempt counts, retries and token requests included), by service type, method and
/// path template (IDs replaced by <c>{id}</c>). Thread-safe. Used by benchmarks and tests ("number of Neutron requests").
/// </summary>
public sealed partial class RequestCounter
{
    private readonly ConcurrentDictionary<RequestKey, long> _counts = new();
    private long _total;

    /// <summary>All requests counted.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests to one service type (<c>network</c>, <c>identity</c>, ...).</summary>
    public long ForService(string serviceType) =>
        _counts.Where(kv => string.Equals(kv.Key.ServiceType, serviceType, StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>Requests that change the cloud (<see cref="RequestKey.ChangesCloud"/>) in a snapshot.</summary>
    public static long Changes(IReadOnlyDictionary<RequestKey, long>? requests) =>
        requests?.Where(kv => kv.Key.ChangesCloud).Sum(kv => kv.Value) ?? 0;

    /// <summary>Requests with this method and path template, e.g. <c>("GET", "/v2.0/ports")</c>.</summary>
    public long Count(string method, string pathTemplate) =>
        _counts.Where(kv => string.Equals(kv.Key.Method, method, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(kv.Key.PathTemplate, pathTemplate, StringComparison.Ordinal))
            .Sum(kv => kv.Value);

    /// <summary>A copy of all counts.</summary>
    public IReadOnlyDictionary<RequestKey, long> Snapshot() => new Dictionary<RequestKey, long>(_counts);

    /// <summary>Sets every count to zero.</summary>
    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    internal void Record(string serviceType, string method, Uri uri)
    {
        var key = new RequestKey(serviceType, method, Template(uri.AbsolutePath));
        _counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    internal static string Template(string path) => IdSegment().Replace(path, "/{id}");

    [GeneratedRegex("/(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})(?=/|$)")]
    private static partial Regex IdSegment();
}

/// <summary>One counted request kind.</summary>
/// <param name="ServiceType">Catalog service type.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="PathTemplate">Path with UUIDs replaced by <c>{id}</c>.</param>
public readonly record struct RequestKey(string ServiceType, string Method, string PathTemplate)
{
    /// <summary>
    /// True for a request that changes the cloud: any method but GET/HEAD, except to Keystone (a token POST
    /// changes nothing the user owns).
    /// </summary>
    public bool ChangesCloud =>
        !string.Equals(ServiceType, "identity", StringComparison.Ordinal)
        && !string.Equals(Method, "GET", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => $"{ServiceType} {Method} {PathTemplate}";
}
