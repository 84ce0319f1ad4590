using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// A fake Keystone + Neutron at the HTTP level, for testing which requests <c>CloudInfoCollector</c> sends. Neutron
/// answers by path with the JSON a route returns for the (unescaped) query; an unknown path is a 404.
/// </summary>
internal sealed class FakeOpenStack : HttpMessageHandler
{
    public const string KeystoneUrl = "http://keystone.test:5000/v3";
    public const string NeutronUrl = "http://neutron.test:9696";
    public const string ProjectId = "p-1";

    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Dictionary<string, Func<string, (HttpStatusCode Status, string Json)>> _routes = new(StringComparer.Ordinal);

    /// <summary>Put a compute endpoint in the catalog.</summary>
    public bool WithCompute { get; set; }

    /// <summary>Put a block-storage (volumev3) endpoint in the catalog.</summary>
    public bool WithVolume { get; set; }

    /// <summary>Refuse the credentials.</summary>
    public bool RefuseCredentials { get; set; }

    /// <summary>Every request as <c>METHOD /path?unescaped-query</c>, in arrival order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    /// <summary>The Neutron requests only.</summary>
    public IReadOnlyList<string> NeutronRequests => Requests.Where(r => r.Contains("/v2.0/", StringComparison.Ordinal)).ToList();

    /// <summary>The Cinder requests only.</summary>
    public IReadOnlyList<string> CinderRequests => Requests.Where(r => r.Contains("/v3/" + ProjectId + "/", StringComparison.Ordinal)).ToList();

    /// <summary>The Nova requests only.</summary>
    public IReadOnlyList<string> NovaRequests => Requests.Where(r => r.Contains("/v2.1/", StringComparison.Ordinal)).ToList();

    public FakeOpenStack On(string path, Func<string, string> json)
    {
        _routes["/v2.0/" + path] = q => (HttpStatusCode.OK, json(q));
        return this;
    }

    /// <summary>A route on any service, by absolute path (e.g. <c>/v2.1/flavors/detail</c>).</summary>
    public FakeOpenStack OnPath(string absolutePath, Func<string, string> json)
    {
        _routes[absolutePath] = q => (HttpStatusCode.OK, json(q));
        return this;
    }

    public FakeOpenStack OnStatus(string path, HttpStatusCode status, string json)
    {
        _routes["/v2.0/" + path] = _ => (status, json);
        return this;
    }

    public static CloudConfig Cloud() => new()
    {
        Name = "fake",
        Auth = new CloudAuth
        {
            AuthUrl = KeystoneUrl,
            Username = "demo",
            Password = "not-a-real-password",
            ProjectName = "demo",
            UserDomainName = "Default",
            ProjectDomainName = "Default",
        },
        RegionName = "RegionOne",
    };

    public NetworkingClient Client(RequestCounter? counter = null) => new(Identity(counter));

    public IdentityClient Identity(RequestCounter? counter = null) => new(Cloud(), new OpenStackClientOptions
    {
        Handler = this,
        RequestCounter = counter ?? new RequestCounter(),
        Retry = new RetryOptions { MaxAttempts = 1 },
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var query = Uri.UnescapeDataString(uri.Query.TrimStart('?'));
        _requests.Enqueue($"{request.Method} {uri.AbsolutePath}{(query.Length == 0 ? string.Empty : "?" + query)}");
        if (request.Method == HttpMethod.Post && uri.AbsolutePath == "/v3/auth/tokens")
        {
            if (RefuseCredentials)
            {
                return Task.FromResult(Json(HttpStatusCode.Unauthorized,
                    "{\"error\":{\"code\":401,\"title\":\"Unauthorized\",\"message\":\"The request you have made requires authentication.\"}}"));
            }

            var response = Json(HttpStatusCode.Created, Token());
            response.Headers.TryAddWithoutValidation("X-Subject-Token", "tok-1");
            return Task.FromResult(response);
        }

        if (_routes.TryGetValue(uri.AbsolutePath, out var route))
        {
            var (status, json) = route(query);
            return Task.FromResult(Json(status, json));
        }

        return Task.FromResult(Json(HttpStatusCode.NotFound,
            "{\"NeutronError\":{\"type\":\"HTTPNotFound\",\"message\":\"no route " + uri.AbsolutePath + "\",\"detail\":\"\"}}"));
    }

    private string Token()
    {
        var compute = WithCompute
            ? ",{\"type\":\"compute\",\"name\":\"nova\",\"id\":\"c1\",\"endpoints\":[{\"id\":\"e3\",\"interface\":\"public\",\"region_id\":\"RegionOne\",\"url\":\"http://nova.test:8774/v2.1\"}]}"
            : string.Empty;
        if (WithVolume)
        {
            compute += ",{\"type\":\"volumev3\",\"name\":\"cinderv3\",\"id\":\"v1\",\"endpoints\":[{\"id\":\"e4\",\"interface\":\"public\",\"region_id\":\"RegionOne\",\"url\":\"http://cinder.test:8776/v3/" + ProjectId + "\"}]}";
        }

        return "{\"token\":{\"expires_at\":\"2099-01-01T00:00:00Z\",\"issued_at\":\"2025-01-01T00:00:00Z\","
            + "\"user\":{\"id\":\"u-1\",\"name\":\"demo\"},\"project\":{\"id\":\"" + ProjectId + "\",\"name\":\"demo\"},\"roles\":[{\"name\":\"member\"}],"
            + "\"catalog\":[{\"type\":\"identity\",\"name\":\"keystone\",\"id\":\"k1\",\"endpoints\":[{\"id\":\"e1\",\"interface\":\"public\",\"region_id\":\"RegionOne\",\"url\":\"" + KeystoneUrl + "\"}]},"
            + "{\"type\":\"network\",\"name\":\"neutron\",\"id\":\"n1\",\"endpoints\":[{\"id\":\"e2\",\"interface\":\"public\",\"region_id\":\"RegionOne\",\"url\":\"" + NeutronUrl + "\"}]}"
            + compute + "]}}";
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
