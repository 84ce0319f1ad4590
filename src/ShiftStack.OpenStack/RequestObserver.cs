namespace ShiftStack.OpenStack;

/// <summary>
/// Told, as it happens, about each attempt of each request and about every wait, so that a user interface can say
/// what it waits for (<see cref="OpenStackClientOptions.Observer"/>). Called from any thread; must not throw or block.
/// </summary>
public interface IRequestObserver
{
    /// <summary>One attempt ended, with a response or without one.</summary>
    void Attempted(RequestAttempt attempt);

    /// <summary>
    /// A request waits: an attempt has had no answer for <see cref="OpenStackClientOptions.SlowRequestNotice"/> (and
    /// again each time as long again passes), or a failed attempt is retried after <see cref="RequestWait.RetryIn"/>.
    /// </summary>
    void Waiting(RequestWait wait);
}

/// <summary>One attempt of a request.</summary>
/// <param name="ServiceType">The catalog service type (<c>identity</c>, <c>network</c>, <c>compute</c>, …).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL, its user-information password masked (<see cref="Core.Redaction.Url(Uri)"/>).</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="Status">The HTTP status; null when no response came.</param>
/// <param name="Failure">Why no response came (connection refused, no answer within the request timeout, …).</param>
/// <param name="Elapsed">How long the attempt took.</param>
public sealed record RequestAttempt(string ServiceType, string Method, string Url, int Attempt, int? Status, string? Failure, TimeSpan Elapsed);

/// <summary>A request that is waiting, and for how long it will keep trying.</summary>
/// <param name="ServiceType">The catalog service type.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL (password masked).</param>
/// <param name="Endpoint">Scheme, host and port of the URL: where the request goes.</param>
/// <param name="Reason">What is wrong: <c>connection refused</c>, <c>HTTP 503</c>, <c>no answer yet</c>, …</param>
/// <param name="Attempt">The attempt this is about (1 for the first).</param>
/// <param name="MaxAttempts">Attempts made at most for a failure that does not mean "the service is down".</param>
/// <param name="Waited">Time since the request's first attempt started.</param>
/// <param name="RetryIn">Delay before the next attempt; null while an attempt is still waiting for its answer.</param>
/// <param name="GiveUpIn">
/// At the latest, how much longer the request keeps trying from now (the current attempt's time-out for a slow
/// answer, the remaining <see cref="RetryOptions.UnavailableTimeout"/> while the service is down); null when the
/// attempts are counted instead (<paramref name="MaxAttempts"/>).
/// </param>
public sealed record RequestWait(
    string ServiceType,
    string Method,
    string Url,
    string Endpoint,
    string Reason,
    int Attempt,
    int MaxAttempts,
    TimeSpan Waited,
    TimeSpan? RetryIn,
    TimeSpan? GiveUpIn);
