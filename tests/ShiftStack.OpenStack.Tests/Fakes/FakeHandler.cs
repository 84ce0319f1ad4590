using System.Net;
using System.Text;

namespace ShiftStack.OpenStack.Tests.Fakes;

/// <summary>A request as the fake server saw it.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// An HTTP-level fake: each request is recorded, then answered by the first route whose predicate matches. A route
/// can throw (to simulate dropped connections). Routes registered later win.
/// </summary>
public sealed class FakeHandler : HttpMessageHandler
{
    private readonly List<(Func<RecordedRequest, bool> Match, Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> Respond)> _routes = [];
    private readonly object _lock = new();

    public List<RecordedRequest> Requests { get; } = [];

    public FakeHandler On(Func<RecordedRequest, bool> match, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _routes.Insert(0, (match, (r, _) => Task.FromResult(respond(r))));
        return this;
    }

    public FakeHandler OnAsync(Func<RecordedRequest, bool> match, Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _routes.Insert(0, (match, respond));
        return this;
    }

    /// <summary>Answers requests matching method and path (prefix) with responses from a sequence; the last one repeats.</summary>
    public FakeHandler OnSequence(HttpMethod method, string pathPrefix, params Func<RecordedRequest, HttpResponseMessage>[] responses)
    {
        var index = 0;
        return On(
            r => r.Method == method && r.Uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal),
            r =>
            {
                var i = Math.Min(Interlocked.Increment(ref index) - 1, responses.Length - 1);
                return responses[i](r);
            });
    }

    public IEnumerable<RecordedRequest> To(string pathPrefix) =>
        Requests.Where(r => r.Uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (_lock)
        {
            Requests.Add(recorded);
        }

        foreach (var (match, respond) in _routes)
        {
            if (match(recorded))
            {
                var response = await respond(recorded, cancellationToken);
                response.RequestMessage = request;
                return response;
            }
        }

        return Json(HttpStatusCode.NotFound, "{\"NeutronError\": {\"type\": \"HTTPNotFound\", \"message\": \"no fake route for " + request.Method + " " + request.RequestUri + "\", \"detail\": \"\"}}");
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string? requestId = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("X-Openstack-Request-Id", requestId);
        }

        return response;
    }

    public static HttpResponseMessage NoContent() => new(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
}
