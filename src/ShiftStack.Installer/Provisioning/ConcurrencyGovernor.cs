using System.Globalization;
using ShiftStack.OpenStack;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// How many requests a run keeps in flight: the configured most (<c>--concurrency</c>) while the services answer about
/// as fast as they ever did, fewer while one answers far slower than its fastest (<see cref="ServiceLatency.Slowdown"/>):
/// overlapping requests make a single-process Neutron slower for each, and a loaded one slower still. The limit halves
/// when the slowest service takes <see cref="BackOffAt"/> times its fastest answer, and grows by one again when it is
/// back under <see cref="RecoverAt"/> times; between two changes at least as many requests end as the limit allows.
/// Each change is a progress message. Thread-safe.
/// </summary>
public sealed class ConcurrencyGovernor
{
    /// <summary>The slowdown at which the limit halves.</summary>
    public const double BackOffAt = 4;

    /// <summary>The slowdown under which the limit grows again.</summary>
    public const double RecoverAt = 2;

    private readonly Lock _lock = new();
    private readonly ServiceLatency _latency;
    private readonly IProgressSink _progress;
    private int _limit;
    private int _sinceChange;

    /// <summary>Creates a governor.</summary>
    /// <param name="maximum">The most requests in flight (at least 1).</param>
    /// <param name="latency">The services' answer times, as the clients observe them.</param>
    /// <param name="progress">Where a change of the limit is reported.</param>
    public ConcurrencyGovernor(int maximum, ServiceLatency latency, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentNullException.ThrowIfNull(progress);
        Maximum = Math.Max(1, maximum);
        _limit = Maximum;
        Lowest = Maximum;
        _latency = latency;
        _progress = progress;
    }

    /// <summary>The configured most.</summary>
    public int Maximum { get; }

    /// <summary>The current limit.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>How often the limit was lowered in this run.</summary>
    public int BackOffs { get; private set; }

    /// <summary>The lowest limit of this run.</summary>
    public int Lowest { get; private set; }

    /// <summary>A gate that lets <see cref="Limit"/> holders through at a time.</summary>
    public AdaptiveGate NewGate() => new(this);

    /// <summary>Called as each request or step ends: looks at the services' answer times and adjusts the limit.</summary>
    public void Review()
    {
        string? message = null;
        lock (_lock)
        {
            _sinceChange++;
            if (_sinceChange < _limit)
            {
                return;
            }

            var slowdown = _latency.Slowdown();
            if (slowdown.Factor >= BackOffAt && _limit > 1)
            {
                _limit = Math.Max(1, _limit / 2);
                _sinceChange = 0;
                BackOffs++;
                Lowest = Math.Min(Lowest, _limit);
                message = string.Create(CultureInfo.InvariantCulture, $"{slowdown}: at most {_limit} request{(_limit == 1 ? string.Empty : "s")} at a time now");
            }
            else if (slowdown.Factor < RecoverAt && _limit < Maximum)
            {
                _limit++;
                _sinceChange = 0;
                message = string.Create(CultureInfo.InvariantCulture, $"the services answer quickly again: at most {_limit} requests at a time");
            }
        }

        if (message is not null)
        {
            _progress.Message(message);
        }
    }
}

/// <summary>
/// A semaphore whose count is the <see cref="ConcurrencyGovernor.Limit"/> of the moment: a lower limit lets fewer new
/// holders in (those inside finish); a higher one lets waiting ones in as holders leave.
/// </summary>
public sealed class AdaptiveGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly ConcurrencyGovernor _governor;
    private int _inside;

    internal AdaptiveGate(ConcurrencyGovernor governor) => _governor = governor;

    /// <summary>Waits for a place.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_inside < _governor.Limit)
            {
                _inside++;
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }

        await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Gives a place back, lets the governor review the limit, and lets waiting holders in.</summary>
    public void Release()
    {
        _governor.Review();
        lock (_lock)
        {
            _inside--;
            while (_inside < _governor.Limit && _waiting.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    _inside++;
                }
            }
        }
    }
}
