using System.Globalization;

namespace ShiftStack.OpenStack;

/// <summary>
/// How long a cloud's services take to answer, per service type and method, as the clients observe it: the fastest
/// answer so far and the most recent ones. The transport gives each attempt a timeout that grows with the slowest recent
/// answer (<see cref="TimeoutFor"/>), and a run lowers the number of requests it keeps in flight while a service answers
/// far slower than its fastest (<see cref="Slowdown"/>). Thread-safe; shared like <see cref="RequestCounter"/>.
/// </summary>
public sealed class ServiceLatency
{
    /// <summary>How many recent answers of one service and method are kept.</summary>
    public const int Window = 16;

    /// <summary>Answers a series needs before it counts for <see cref="Slowdown"/> and <see cref="TimeoutFor"/>.</summary>
    public const int MinimumSamples = 4;

    /// <summary>The timeout of an attempt is this many times the slowest recent answer of its service and method.</summary>
    public const double TimeoutFactor = 8;

    /// <summary>Answers faster than this are never "slow": a 20 ms GET that takes 100 ms is not a service in trouble.</summary>
    public static readonly TimeSpan SlowdownFloor = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Service, string Method), Series> _series = [];

    /// <summary>Records the time an answered attempt took.</summary>
    /// <param name="serviceType">Catalog service type (<c>network</c>, <c>compute</c>, ...).</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="elapsed">From sending to the whole answer.</param>
    public void Record(string serviceType, string method, TimeSpan elapsed)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue((serviceType, method), out var series))
            {
                series = new Series();
                _series[(serviceType, method)] = series;
            }

            series.Add(elapsed);
        }
    }

    /// <summary>
    /// The time one attempt may take: <see cref="TimeoutFactor"/> times the slowest of the last <see cref="Window"/>
    /// answers of this service and method, never less than <paramref name="floor"/> and never more than
    /// <paramref name="ceiling"/>. It never drops below the floor: an attempt cut off early may still be carried out by the
    /// service, and looking for its effect too soon could send it a second time.
    /// </summary>
    public TimeSpan TimeoutFor(string serviceType, string method, TimeSpan floor, TimeSpan ceiling)
    {
        TimeSpan slowest;
        lock (_lock)
        {
            if (!_series.TryGetValue((serviceType, method), out var series) || series.Count < MinimumSamples)
            {
                return floor;
            }

            slowest = series.Slowest;
        }

        var adapted = TimeSpan.FromTicks((long)Math.Min(slowest.Ticks * TimeoutFactor, TimeSpan.MaxValue.Ticks / 2.0));
        return adapted < floor ? floor : adapted > ceiling && ceiling >= floor ? ceiling : adapted;
    }

    /// <summary>
    /// How much slower than its fastest the most slowed-down service answers now: the median of the last
    /// <see cref="MinimumSamples"/> answers over the fastest answer, for each service and method with enough answers
    /// (medians under <see cref="SlowdownFloor"/> count as 1). 1 when nothing is known.
    /// </summary>
    public Slowdown Slowdown()
    {
        lock (_lock)
        {
            var worst = new Slowdown(1, string.Empty, TimeSpan.Zero, TimeSpan.Zero);
            foreach (var ((service, method), series) in _series)
            {
                if (series.Count < MinimumSamples)
                {
                    continue;
                }

                var recent = series.RecentMedian;
                var fastest = series.Fastest;
                var factor = recent < SlowdownFloor || fastest <= TimeSpan.Zero ? 1 : recent / fastest;
                if (factor > worst.Factor)
                {
                    worst = new Slowdown(factor, $"{service} {method}", recent, fastest);
                }
            }

            return worst;
        }
    }

    private sealed class Series
    {
        private readonly TimeSpan[] _recent = new TimeSpan[Window];
        private int _next;

        public int Count { get; private set; }

        public TimeSpan Fastest { get; private set; } = TimeSpan.MaxValue;

        public TimeSpan Slowest => _recent.Take(Math.Min(Count, Window)).Max();

        public TimeSpan RecentMedian
        {
            get
            {
                var last = Enumerable.Range(1, Math.Min(MinimumSamples, Count))
                    .Select(i => _recent[(_next - i + Window) % Window])
                    .Order()
                    .ToList();
                return last[last.Count / 2];
            }
        }

        public void Add(TimeSpan elapsed)
        {
            _recent[_next] = elapsed;
            _next = (_next + 1) % Window;
            Count++;
            if (elapsed < Fastest)
            {
                Fastest = elapsed;
            }
        }
    }
}

/// <summary>How much slower than its fastest a service answers now.</summary>
/// <param name="Factor">Recent median over fastest; 1 when nothing is slow.</param>
/// <param name="Series">Service type and method, e.g. <c>network POST</c>; empty when nothing is slow.</param>
/// <param name="Recent">The median of the recent answers.</param>
/// <param name="Fastest">The fastest answer.</param>
public sealed record Slowdown(double Factor, string Series, TimeSpan Recent, TimeSpan Fastest)
{
    /// <inheritdoc />
    public override string ToString() => Factor <= 1
        ? "no service answers slowly"
        : string.Create(CultureInfo.InvariantCulture, $"{Series} answers take {Recent.TotalSeconds:0.0#} s, {Factor:0.#}x the fastest ({Fastest.TotalSeconds:0.0#} s)");
}
