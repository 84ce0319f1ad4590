using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ShiftStack.OpenStack.Core;

/// <summary>One HTTP request to send (re-sendable: the body is a byte array).</summary>
internal sealed record TransportRequest(HttpMethod Method, Uri Uri, string ServiceType)
{
    public byte[]? Body { get; init; }

    /// <summary>The token for <c>X-Auth-Token</c>, if any.</summary>
    public string? AuthToken { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Overrides the method's idempotency (e.g. a Keystone token POST is safe to repeat).</summary>
    public bool? Idempotent { get; init; }

    /// <summary>The body's media type; JSON unless set (Glance image data is <c>application/octet-stream</c>).</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>True for JSON bodies, the only ones written to the log (redacted); others are logged by size.</summary>
    public bool IsJsonBody => string.Equals(ContentType, "application/json", StringComparison.Ordinal);
}

/// <summary>A received response, fully buffered.</summary>
internal sealed class RawResponse
{
    public required HttpStatusCode StatusCode { get; init; }

    public string? ReasonPhrase { get; init; }

    public required byte[] Body { get; init; }

    public required HttpResponseHeaders Headers { get; init; }

    public required TransportRequest Request { get; init; }

    public required string ClientRequestId { get; init; }

    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public string? RequestId =>
        Header("x-openstack-request-id") ?? Header("x-compute-request-id");

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public OpenStackException ToException(Func<string, string>? scrub = null)
    {
        var (type, message) = ErrorBody.Parse(Body, ReasonPhrase);
        if (scrub is not null)
        {
            message = scrub(message);
        }

        return new OpenStackException(StatusCode, type, message, Request.Method.Method, Request.Uri, RequestId, ClientRequestId, Request.ServiceType);
    }
}

/// <summary>
/// Sends requests with a client request id, retries transient failures with exponential backoff and jitter, counts
/// every attempt and logs requests/responses at debug level with secrets redacted. It does not interpret error
/// statuses beyond deciding whether to retry: callers turn them into <see cref="OpenStackException"/>.
/// </summary>
internal sealed class Transport : IDisposable
{
    public const string ClientRequestIdHeader = "X-Client-Request-Id";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly OpenStackClientOptions _options;

    public Transport(HttpMessageHandler handler, bool disposeHandler, OpenStackClientOptions options)
    {
        _http = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("ShiftStack.OpenStack");
    }

    public OpenStackClientOptions Options => _options;

    public RequestCounter Counter => _options.RequestCounter;

    public async Task<RawResponse> SendAsync(TransportRequest request, CancellationToken cancellationToken)
    {
        var clientRequestId = "req-" + Guid.NewGuid().ToString("D");
        var maxAttempts = Math.Max(1, _options.Retry.MaxAttempts);
        var firstAttempt = _options.TimeProvider.GetTimestamp();

        // Within MaxAttempts: exponential backoff. Beyond them, only while the service is down (refused connection,
        // 502/503/504) and UnavailableTimeout has not passed, with delays of at most UnavailableRetryDelay.
        bool NextDelay(int attempt, bool unavailable, TimeSpan? retryAfter, out TimeSpan delay)
        {
            if (attempt < maxAttempts)
            {
                delay = Backoff(attempt, retryAfter, _options.Retry.MaxDelay);
                return true;
            }

            delay = Backoff(attempt, retryAfter, TimeSpan.FromTicks(Math.Min(_options.Retry.UnavailableRetryDelay.Ticks, _options.Retry.MaxDelay.Ticks)));
            return unavailable && _options.TimeProvider.GetElapsedTime(firstAttempt) + delay <= _options.Retry.UnavailableTimeout;
        }

        // What the observer is told while a request waits: how much longer it keeps trying at most while the service
        // is down (null: the attempts are counted, not the time).
        TimeSpan? GiveUpIn(bool unavailable) =>
            unavailable ? _options.Retry.UnavailableTimeout - _options.TimeProvider.GetElapsedTime(firstAttempt) : null;

        var seenDown = false;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var message = Build(request, clientRequestId);
            Counter.Record(request.ServiceType, request.Method.Method, request.Uri);
            LogRequest(request, message, clientRequestId, attempt);

            var stopwatch = Stopwatch.StartNew();
            var attemptTimeout = _options.Latency.TimeoutFor(request.ServiceType, request.Method.Method, _options.RequestTimeout, _options.MaxRequestTimeout);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(attemptTimeout);
            using var slow = WatchSlowAttempt(request, attempt, maxAttempts, firstAttempt, stopwatch, attemptTimeout);
            HttpResponseMessage response;
            byte[] body;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                slow?.Dispose();
                var description = ex is OperationCanceledException
                    ? $"no response within {attemptTimeout.TotalSeconds:0.#} s"
                    : Describe(ex);
                _options.Observer?.Attempted(new RequestAttempt(request.ServiceType, request.Method.Method, Redaction.Url(request.Uri), attempt, null, description, stopwatch.Elapsed));
                // A refused connection is a service that is down: retried for as long as UnavailableTimeout allows, not
                // only MaxAttempts times. So is a dropped connection of a request safe to repeat once an earlier attempt
                // of it was refused (the service is restarting, perhaps more than once); a dropped connection alone is
                // not (it may be a proxy, or a request the service cannot answer).
                seenDown |= IsRefused(ex);
                var down = IsRefused(ex) || (seenDown && IsIdempotent(request) && IsDropped(ex));
                if (CanRetryFailure(request, ex) && NextDelay(attempt, down, retryAfter: null, out var delay))
                {
                    LogRetry(request, clientRequestId, attempt, description, delay);
                    ReportWait(request, IsRefused(ex) ? "connection refused" : description, attempt, maxAttempts, firstAttempt, delay, GiveUpIn(down));
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                LogRetry(request, clientRequestId, attempt, description, delay: null);
                throw new OpenStackException(
                    statusCode: null,
                    ErrorTypes.ConnectionFailed,
                    $"could not reach {Redaction.Url(request.Uri, UriPartial.Authority)}: {description} ({attempt} attempt{(attempt == 1 ? "" : "s")})",
                    request.Method.Method,
                    request.Uri,
                    requestId: null,
                    clientRequestId,
                    request.ServiceType,
                    ex);
            }

            slow?.Dispose();
            _options.Latency.Record(request.ServiceType, request.Method.Method, stopwatch.Elapsed);
            _options.Observer?.Attempted(new RequestAttempt(request.ServiceType, request.Method.Method, Redaction.Url(request.Uri), attempt, (int)response.StatusCode, null, stopwatch.Elapsed));
            using (response)
            {
                var raw = new RawResponse
                {
                    StatusCode = response.StatusCode,
                    ReasonPhrase = response.ReasonPhrase,
                    Body = body,
                    Headers = response.Headers,
                    Request = request,
                    ClientRequestId = clientRequestId,
                };
                LogResponse(raw, stopwatch.Elapsed);

                seenDown |= IsUnavailable(raw.StatusCode);
                if (IsRetriableResponse(raw, out var why) && NextDelay(attempt, IsUnavailable(raw.StatusCode), RetryAfter(response), out var delay))
                {
                    LogRetry(request, clientRequestId, attempt, why, delay);
                    var unavailable = IsUnavailable(raw.StatusCode);
                    ReportWait(request, why, attempt, maxAttempts, firstAttempt, delay, GiveUpIn(unavailable));
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return raw;
            }
        }
    }

    /// <summary>
    /// A timer telling the observer that an attempt has had no answer for <see cref="OpenStackClientOptions.SlowRequestNotice"/>,
    /// and again each time as long passes; null without an observer. Disposed when the attempt ends.
    /// </summary>
    private ITimer? WatchSlowAttempt(TransportRequest request, int attempt, int maxAttempts, long firstAttempt, Stopwatch stopwatch, TimeSpan attemptTimeout)
    {
        if (_options.Observer is not { } observer || _options.SlowRequestNotice <= TimeSpan.Zero)
        {
            return null;
        }

        return _options.TimeProvider.CreateTimer(
            _ => observer.Waiting(new RequestWait(
                request.ServiceType,
                request.Method.Method,
                Redaction.Url(request.Uri),
                Redaction.Url(request.Uri, UriPartial.Authority),
                $"no answer after {stopwatch.Elapsed.TotalSeconds:0} s",
                attempt,
                maxAttempts,
                _options.TimeProvider.GetElapsedTime(firstAttempt),
                RetryIn: null,
                GiveUpIn: attemptTimeout - stopwatch.Elapsed)),
            null,
            _options.SlowRequestNotice,
            _options.SlowRequestNotice);
    }

    private void ReportWait(TransportRequest request, string reason, int attempt, int maxAttempts, long firstAttempt, TimeSpan delay, TimeSpan? giveUpIn) =>
        _options.Observer?.Waiting(new RequestWait(
            request.ServiceType,
            request.Method.Method,
            Redaction.Url(request.Uri),
            Redaction.Url(request.Uri, UriPartial.Authority),
            reason,
            attempt,
            maxAttempts,
            _options.TimeProvider.GetElapsedTime(firstAttempt),
            delay,
            giveUpIn));

    private HttpRequestMessage Build(TransportRequest request, string clientRequestId)
    {
        var message = new HttpRequestMessage(request.Method, request.Uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        message.Headers.TryAddWithoutValidation(ClientRequestIdHeader, clientRequestId);
        if (request.AuthToken is not null)
        {
            message.Headers.TryAddWithoutValidation("X-Auth-Token", request.AuthToken);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        return message;
    }

    private static bool IsIdempotent(TransportRequest request) =>
        request.Idempotent ?? (request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch);

    /// <summary>The service dropped the connection (the response ended early, the connection was reset).</summary>
    private static bool IsDropped(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or IOException
        || ex is HttpRequestException { InnerException: IOException };

    private static bool CanRetryFailure(TransportRequest request, Exception ex)
    {
        if (IsIdempotent(request))
        {
            return true;
        }

        // A POST is retried only when the request certainly never reached the server.
        return ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError };
    }

    /// <summary>The connection was refused (or could not be made): the service is down and never saw the request.</summary>
    private static bool IsRefused(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    private static bool IsUnavailable(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private bool IsRetriableResponse(RawResponse response, out string why)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.BadGateway:
            case HttpStatusCode.ServiceUnavailable:
            case HttpStatusCode.GatewayTimeout:
                why = $"HTTP {(int)response.StatusCode}";
                return true;
            case HttpStatusCode.Conflict:
                var (type, message) = ErrorBody.Parse(response.Body, response.ReasonPhrase);
                if ((type is not null && _options.Retry.RetriableConflictTypes.Contains(type))
                    || message.Contains("try again", StringComparison.OrdinalIgnoreCase)
                    || message.Contains("retry", StringComparison.OrdinalIgnoreCase))
                {
                    why = $"HTTP 409 {type}: {message}";
                    return true;
                }

                break;
        }

        why = string.Empty;
        return false;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter, TimeSpan cap)
    {
        var retry = _options.Retry;
        var exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, cap.TotalMilliseconds);
#pragma warning disable CA5394 // jitter needs no cryptographic randomness
        var jittered = (capped / 2) + (Random.Shared.NextDouble() * capped / 2);
#pragma warning restore CA5394
        if (retryAfter is { } after)
        {
            jittered = Math.Max(jittered, Math.Min(after.TotalMilliseconds, cap.TotalMilliseconds));
        }

        return TimeSpan.FromMilliseconds(jittered);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    private static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            // Inner socket errors repeat the outer message's words ("Connection refused (host:port)" then
            // "Connection refused"): keep each only once.
            if (!parts.Any(part => part.Contains(e.Message, StringComparison.Ordinal)))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(" ", parts);
    }

    private void LogRetry(TransportRequest request, string clientRequestId, int attempt, string failure, TimeSpan? delay)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        _logger.LogDebug(
            "{Method} {Url} [{ClientRequestId}] attempt {Attempt} failed: {Failure}; {Next}",
            request.Method.Method,
            Redaction.Url(request.Uri),
            clientRequestId,
            attempt,
            failure,
            delay is { } d ? $"retrying in {(int)d.TotalMilliseconds} ms" : "giving up");
    }

    private void LogRequest(TransportRequest request, HttpRequestMessage message, string clientRequestId, int attempt)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var headers = new StringBuilder();
        foreach (var header in message.Headers)
        {
            headers.Append(header.Key).Append(": ")
                .Append(Redaction.IsSensitiveHeader(header.Key) ? Redaction.Mask : string.Join(",", header.Value))
                .Append("; ");
        }

        // A non-JSON body (image data: a bootstrap Ignition config holds the pull secret) is never logged.
        var body = request.Body is null ? string.Empty
            : request.IsJsonBody ? Redaction.ForLog(request.Body)
            : $"({request.Body.Length} bytes of {request.ContentType}, not logged)";
        _logger.LogDebug(
            "REQ {Method} {Url} [{ClientRequestId}] attempt {Attempt} headers {Headers}body {Body}",
            request.Method.Method, Redaction.Url(request.Uri), clientRequestId, attempt, headers.ToString(), body);
    }

    private void LogResponse(RawResponse response, TimeSpan elapsed)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var subjectToken = response.Header("X-Subject-Token") is null ? string.Empty : "X-Subject-Token: " + Redaction.Mask + " ";
        _logger.LogDebug(
            "RESP {Method} {Url} [{ClientRequestId}] {Status} in {Elapsed} ms request-id {RequestId} {SubjectToken}body {Body}",
            response.Request.Method.Method,
            Redaction.Url(response.Request.Uri),
            response.ClientRequestId,
            (int)response.StatusCode,
            (int)elapsed.TotalMilliseconds,
            response.RequestId,
            subjectToken,
            Redaction.ForLog(response.Body));
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
