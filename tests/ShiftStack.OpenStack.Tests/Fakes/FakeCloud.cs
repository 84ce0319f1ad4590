using System.Net;
using Microsoft.Extensions.Logging;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.OpenStack.Tests.Fakes;

/// <summary>A fake Keystone (tokens tok-1, tok-2, ...) and a fake Neutron endpoint, on one <see cref="FakeHandler"/>.</summary>
public sealed class FakeCloud : IDisposable
{
    public const string KeystoneUrl = "http://keystone.test:5000/v3";
    public const string NeutronUrl = "http://neutron.test:9696";
    public const string Password = "s3cr3t-Pa55word!";

    private int _tokens;

    public FakeCloud(TimeSpan? tokenLifetime = null, FakeTime? time = null)
    {
        Time = time ?? new FakeTime(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        TokenLifetime = tokenLifetime ?? TimeSpan.FromHours(1);
        Handler.On(
            r => r.Method == HttpMethod.Post && r.Uri.AbsoluteUri == KeystoneUrl + "/auth/tokens",
            _ => TokenResponse());
    }

    public FakeHandler Handler { get; } = new();

    public FakeTime Time { get; }

    public TimeSpan TokenLifetime { get; set; }

    public CapturingLoggerProvider Logs { get; } = new();

    public int TokensIssued => _tokens;

    public IEnumerable<RecordedRequest> AuthRequests => Handler.To("/v3/auth/tokens");

    public IEnumerable<RecordedRequest> NeutronRequests => Handler.Requests.Where(r => r.Uri.Host == "neutron.test");

    public string CatalogJson { get; set; } = $$"""
        [
          {"type": "identity", "name": "keystone", "id": "k1", "endpoints": [
            {"id": "e1", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{KeystoneUrl}}"}]},
          {"type": "network", "name": "neutron", "id": "n1", "endpoints": [
            {"id": "e2", "interface": "internal", "region_id": "RegionOne", "region": "RegionOne", "url": "http://neutron-internal.test:9696"},
            {"id": "e3", "interface": "public", "region_id": "RegionTwo", "region": "RegionTwo", "url": "http://neutron-two.test:9696"},
            {"id": "e4", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{NeutronUrl}}"}]}
        ]
        """;

    public static CloudConfig Cloud(string? region = "RegionOne", string iface = "public") => new()
    {
        Name = "fake",
        SourceFile = "/fake/clouds.yaml",
        Auth = new CloudAuth
        {
            AuthUrl = KeystoneUrl,
            Username = "demo",
            Password = Password,
            ProjectName = "demo-project",
            UserDomainName = "Default",
            ProjectDomainName = "Default",
        },
        RegionName = region,
        Interface = iface,
    };

    public OpenStackClientOptions Options(int maxAttempts = 3) => new()
    {
        Handler = Handler,
        TimeProvider = Time,
        LoggerFactory = Logs,
        // No waiting for a service that stays down: the tests of that pass their own UnavailableTimeout.
        Retry = new RetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5), UnavailableTimeout = TimeSpan.Zero },
    };

    public NetworkingClient Networking(CloudConfig? cloud = null, OpenStackClientOptions? options = null) =>
        new(cloud ?? Cloud(), options ?? Options());

    public IdentityClient Identity(CloudConfig? cloud = null, OpenStackClientOptions? options = null) =>
        new(cloud ?? Cloud(), options ?? Options());

    public HttpResponseMessage TokenResponse()
    {
        var n = Interlocked.Increment(ref _tokens);
        var now = Time.GetUtcNow();
        var expires = now + TokenLifetime;
        var response = FakeHandler.Json(HttpStatusCode.Created, $$$"""
            {"token": {"methods": ["password"], "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
             "audit_ids": ["a"], "expires_at": "{{{expires:yyyy-MM-ddTHH:mm:ss.ffffffZ}}}", "issued_at": "{{{now:yyyy-MM-ddTHH:mm:ss.ffffffZ}}}",
             "project": {"id": "p1", "name": "demo-project", "domain": {"id": "default", "name": "Default"}},
             "is_domain": false, "roles": [{"id": "r1", "name": "member"}],
             "catalog": {{{CatalogJson}}}}}
            """, "req-keystone-" + n);
        response.Headers.TryAddWithoutValidation("X-Subject-Token", "tok-" + n);
        return response;
    }

    public void Dispose() => Handler.Dispose();
}

/// <summary>A clock the test moves.</summary>
public sealed class FakeTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Collects every log line.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
