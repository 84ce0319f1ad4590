using System.Collections.Concurrent;
using System.Globalization;
using ShiftStack.OpenStack;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// Says on standard error what a command waits for, so that an unreachable or silent cloud is never a silent wait:
/// once a request has waited <see cref="Threshold"/>, a line naming the service, where it is, why it waits and how
/// much longer it keeps trying (the request's own limit, or the command's <c>--timeout</c> if that comes first);
/// then again every <see cref="Repeat"/> while it still waits. With <c>--log-level debug</c>, also every request
/// (method, URL, status, time). Standard output stays clean for <c>-o json</c>.
/// </summary>
internal sealed class WaitReporter(CliConsole console, Deadline deadline) : IRequestObserver
{
    /// <summary>A wait shorter than this is not worth a line.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(2);

    /// <summary>A wait that goes on is said again this often.</summary>
    public static readonly TimeSpan Repeat = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (string Reason, DateTimeOffset Said)> _said = new(StringComparer.Ordinal);

    private int _linesSaid;

    /// <summary>The last wait said, for the message when the deadline ends the command.</summary>
    public string? LastWait { get; private set; }

    /// <summary>How many wait lines were said (a run's summary counts them).</summary>
    public int Said => Volatile.Read(ref _linesSaid);

    public void Attempted(RequestAttempt attempt)
    {
        if (console.Level > LogLevel.Debug)
        {
            return;
        }

        var outcome = attempt.Status is { } status ? status.ToString(CultureInfo.InvariantCulture) : "no response: " + attempt.Failure;
        console.Say(LogLevel.Debug, $"debug: {attempt.Method} {attempt.Url} {outcome} {attempt.Elapsed.TotalSeconds:0.000}s{(attempt.Attempt > 1 ? $" (attempt {attempt.Attempt})" : string.Empty)}");
    }

    public void Waiting(RequestWait wait)
    {
        var total = wait.Waited + (wait.RetryIn ?? TimeSpan.Zero);
        if (total < Threshold)
        {
            return;
        }

        var what = $"{Service(wait.ServiceType)} at {wait.Endpoint}";
        LastWait = $"{what}: {wait.Reason}";
        var now = DateTimeOffset.UtcNow;
        var key = wait.Endpoint;
        var repeated = _said.TryGetValue(key, out var said) && said.Reason == Kind(wait.Reason) && now - said.Said < Repeat;
        if (repeated)
        {
            return;
        }

        _said[key] = (Kind(wait.Reason), now);
        Interlocked.Increment(ref _linesSaid);
        console.Say(LogLevel.Warn, $"waiting for {what} ({wait.Method} {PathOf(wait.Url)}): {wait.Reason}; {HowLong(wait)} (Ctrl+C to stop)");
    }

    /// <summary>How long the request keeps trying, or when the deadline ends the command if that comes first.</summary>
    private string HowLong(RequestWait wait)
    {
        var attempts = $"attempt {wait.Attempt} of {wait.MaxAttempts}";
        string own;
        TimeSpan? limit;
        if (wait.RetryIn is null)
        {
            own = $"this attempt gives up in {Duration.Format(wait.GiveUpIn ?? TimeSpan.Zero)} ({attempts})";
            limit = wait.GiveUpIn;
        }
        else if (wait.GiveUpIn is { } giveUp)
        {
            own = $"retrying in {wait.RetryIn.Value.TotalSeconds:0.0} s while it is down, for up to {Duration.Format(giveUp)} more";
            limit = giveUp;
        }
        else
        {
            own = $"retrying in {wait.RetryIn.Value.TotalSeconds:0.0} s ({attempts})";
            limit = null;
        }

        if (deadline.Remaining is { } left && (limit is null || left < limit))
        {
            own += $"; --timeout {Duration.Format(deadline.Timeout!.Value)} ends the command in {Duration.Format(left)}";
        }

        return own;
    }

    /// <summary>The reason without its counts, so that "no answer after 2 s" and "after 17 s" are one wait.</summary>
    private static string Kind(string reason) => reason.StartsWith("no answer", StringComparison.Ordinal) ? "no answer" : reason;

    private static string PathOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url;
        }

        var path = uri.AbsolutePath;
        return path.Length <= 60 ? path : path[..57] + "...";
    }

    /// <summary>The service type as people know it.</summary>
    public static string Service(string type) => type switch
    {
        "identity" => "Keystone (identity)",
        "network" => "Neutron (network)",
        "compute" => "Nova (compute)",
        "image" => "Glance (image)",
        "volumev3" or "block-storage" or "volume" => "Cinder (block storage)",
        _ => type,
    };
}
