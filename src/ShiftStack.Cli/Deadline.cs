using System.Globalization;
using System.Text.RegularExpressions;

namespace ShiftStack.Cli;

/// <summary>
/// The command's overall deadline (<c>--timeout</c>): when it passes, the command stops as on Ctrl+C but with exit 3
/// and a message saying what it was waiting for. Commands that wait for servers (create cluster, destroy, convert)
/// default to <see cref="LongDefault"/>, the others to <see cref="ShortDefault"/>; <c>--timeout 0</c> waits forever.
/// </summary>
internal sealed class Deadline : IDisposable
{
    /// <summary>Default for commands that only ask the cloud (validate, create manifests, addresses, …).</summary>
    public static readonly TimeSpan ShortDefault = TimeSpan.FromMinutes(10);

    /// <summary>Default for commands that create or delete servers and wait for Nova.</summary>
    public static readonly TimeSpan LongDefault = TimeSpan.FromMinutes(60);

    private readonly CancellationTokenSource _expired = new();
    private DateTimeOffset _end = DateTimeOffset.MaxValue;

    /// <summary>The deadline; null for none.</summary>
    public TimeSpan? Timeout { get; private set; }

    /// <summary>Cancelled when the deadline passes.</summary>
    public CancellationToken Token => _expired.Token;

    /// <summary>True once the deadline has passed.</summary>
    public bool Expired => _expired.IsCancellationRequested;

    /// <summary>Time left; null without a deadline.</summary>
    public TimeSpan? Remaining => Timeout is null ? null : _end - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>The default for the command at <paramref name="commandPath"/> (e.g. "create cluster").</summary>
    public static TimeSpan DefaultFor(string commandPath) =>
        commandPath is "create cluster" or "destroy cluster" or "destroy bootstrap" or "convert" or "audit cluster" ? LongDefault : ShortDefault;

    /// <summary>Starts the clock.</summary>
    public void Start(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        Timeout = timeout;
        _end = DateTimeOffset.UtcNow + timeout;
        _expired.CancelAfter(timeout);
    }

    public void Dispose() => _expired.Dispose();
}

/// <summary>Durations as people write them: <c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>0</c> (none), or seconds.</summary>
internal static partial class Duration
{
    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var match = Pattern().Match(text);
        if (text.Length == 0 || !match.Success)
        {
            return false;
        }

        static int Part(Match m, string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        duration = new TimeSpan(Part(match, "h"), Part(match, "m"), Part(match, "s"));
        return true;
    }

    /// <summary><c>1h5m</c>, <c>2m30s</c>, <c>45s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var total = (long)Math.Round(duration.TotalSeconds);
        var (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        return h > 0 ? $"{h}h{(m > 0 ? $"{m}m" : string.Empty)}"
            : m > 0 ? $"{m}m{(s > 0 ? $"{s}s" : string.Empty)}"
            : $"{s}s";
    }
}
