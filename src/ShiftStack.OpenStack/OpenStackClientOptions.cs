using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ShiftStack.OpenStack;

/// <summary>Options shared by every OpenStack client (transport, retries, logging, counting).</summary>
public sealed class OpenStackClientOptions
{
    /// <summary>
    /// The handler to send requests with. Null (the default) builds a <see cref="SocketsHttpHandler"/> from the
    /// cloud's TLS settings (<c>cacert</c>, <c>verify</c>, <c>cert</c>/<c>key</c>). Tests inject a fake here. The
    /// handler is not disposed by the clients.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Logger factory; requests and responses are logged at debug level, with secrets redacted.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Clock used for token expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Retry policy for transient failures.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>
    /// Time allowed for one HTTP attempt (not counting retries), at least. Default 60 s. Once a service has answered a
    /// few requests of a method, an attempt gets <see cref="ServiceLatency.TimeoutFactor"/> times the slowest of its
    /// recent answers when that is longer, up to <see cref="MaxRequestTimeout"/> (<see cref="ServiceLatency.TimeoutFor"/>).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most time one attempt is given however slow the service has been. Default 5 minutes.</summary>
    public TimeSpan MaxRequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The services' observed answer times (adaptive timeouts, a run's concurrency). Shared if given.</summary>
    public ServiceLatency Latency { get; init; } = new();

    /// <summary>A token is renewed when it expires within this margin. Default 2 minutes.</summary>
    public TimeSpan TokenRenewalMargin { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Told about every attempt and every wait (a user interface's progress); none by default.</summary>
    public IRequestObserver? Observer { get; init; }

    /// <summary>
    /// After this long without an answer, and again each time as long passes, an attempt is reported to
    /// <see cref="Observer"/> as waiting. Default 2 s.
    /// </summary>
    public TimeSpan SlowRequestNotice { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Counts every HTTP request sent (including retries and authentication). Shared if given.</summary>
    public RequestCounter RequestCounter { get; init; } = new();

    /// <summary>User-Agent header value.</summary>
    public string UserAgent { get; init; } = "shiftstack";

    /// <summary>
    /// Endpoint URLs by service type (<c>network</c>, <c>compute</c>, <c>image</c>) that replace the catalog's.
    /// The cloud's <c>&lt;service&gt;_endpoint_override</c> keys are applied too; these win.
    /// </summary>
    public IReadOnlyDictionary<string, Uri> EndpointOverrides { get; init; } = new Dictionary<string, Uri>();
}

/// <summary>
/// Retry policy: exponential backoff with jitter for connection failures, 502/503/504, and 409s that Neutron marks as
/// transient. Never for 400, 401, 403 or 404. A service that is down (connection refused, 502/503/504) is retried
/// beyond <see cref="MaxAttempts"/> until <see cref="UnavailableTimeout"/> has passed: a restart of Neutron or Keystone
/// takes 10–30 s, far longer than four quick attempts.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Total attempts, including the first. 1 disables retries. Default 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry; doubled each time. Default 0.5 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one delay (also caps a server's <c>Retry-After</c>). Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long, from the first attempt, a request keeps being retried while the service refuses connections (the
    /// request certainly never reached it) or answers 502/503/504, once <see cref="MaxAttempts"/> are spent. Default
    /// 2 minutes; zero stops after <see cref="MaxAttempts"/>.
    /// </summary>
    public TimeSpan UnavailableTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Upper bound of one delay while waiting for an unavailable service beyond <see cref="MaxAttempts"/>. Default 2 s.</summary>
    public TimeSpan UnavailableRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Neutron error types of a 409 that are worth retrying. A 409 whose message says to try again ("try again",
    /// "retry") is retried too.
    /// </summary>
    public IReadOnlySet<string> RetriableConflictTypes { get; init; } =
        new HashSet<string>(StringComparer.Ordinal) { "RetryRequest", "DBDeadlock", "StaleDataError" };
}
