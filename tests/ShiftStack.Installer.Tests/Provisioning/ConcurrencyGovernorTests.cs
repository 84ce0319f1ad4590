using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;

namespace ShiftStack.Installer.Tests.Provisioning;

/// <summary>Concurrency that backs off while a service answers slowly, and comes back (issue #21).</summary>
public sealed class ConcurrencyGovernorTests
{
    [Fact]
    public void The_limit_halves_while_a_service_answers_far_slower_than_its_fastest_and_grows_back_one_by_one()
    {
        var latency = new ServiceLatency();
        var progress = new Messages();
        var governor = new ConcurrencyGovernor(8, latency, progress);
        Answers(latency, 500, 4);
        ReviewTimes(governor, 8);
        governor.Limit.ShouldBe(8, "answers as fast as ever");

        Answers(latency, 3000, 4);
        ReviewTimes(governor, 1);
        governor.Limit.ShouldBe(4);
        progress.Lines.ShouldHaveSingleItem().ShouldBe("network POST answers take 3.0 s, 6x the fastest (0.5 s): at most 4 requests at a time now");

        // Not again before as many requests as the limit allows have ended.
        ReviewTimes(governor, 3);
        governor.Limit.ShouldBe(4);
        ReviewTimes(governor, 1);
        governor.Limit.ShouldBe(2);
        ReviewTimes(governor, 2);
        governor.Limit.ShouldBe(1);
        ReviewTimes(governor, 5);
        governor.Limit.ShouldBe(1, "never below one");
        governor.BackOffs.ShouldBe(3);
        governor.Lowest.ShouldBe(1);

        Answers(latency, 600, 4);
        ReviewTimes(governor, 1);
        governor.Limit.ShouldBe(2);
        progress.Lines[^1].ShouldBe("the services answer quickly again: at most 2 requests at a time");
        ReviewTimes(governor, 100);
        governor.Limit.ShouldBe(8, "never above the configured most");
    }

    [Fact]
    public async Task The_gate_lets_in_as_many_holders_as_the_limit_of_the_moment()
    {
        var latency = new ServiceLatency();
        var governor = new ConcurrencyGovernor(2, latency, NullProgressSink.Instance);
        var gate = governor.NewGate();
        await gate.WaitAsync(CancellationToken.None);
        await gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);
        third.IsCompleted.ShouldBeFalse();

        // The service slows down: once as many requests as the limit have ended (one elsewhere, then the first holder),
        // the limit drops to 1, so the third still waits.
        Answers(latency, 100, 4);
        Answers(latency, 2000, 4);
        governor.Review();
        gate.Release();
        governor.Limit.ShouldBe(1);
        third.IsCompleted.ShouldBeFalse();

        gate.Release();
        await third.WaitAsync(TimeSpan.FromSeconds(5));

        using var cancel = new CancellationTokenSource();
        var fourth = gate.WaitAsync(cancel.Token);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => fourth);
        gate.Release();
        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static void Answers(ServiceLatency latency, int milliseconds, int count)
    {
        for (var i = 0; i < count; i++)
        {
            latency.Record("network", "POST", TimeSpan.FromMilliseconds(milliseconds));
        }
    }

    private static void ReviewTimes(ConcurrencyGovernor governor, int count)
    {
        for (var i = 0; i < count; i++)
        {
            governor.Review();
        }
    }

    private sealed class Messages : IProgressSink
    {
        public List<string> Lines { get; } = [];

        public void Started(string id, string summary)
        {
        }

        public void Completed(string id, string summary)
        {
        }

        public void Failed(string id, string summary, string error)
        {
        }

        public void Message(string text) => Lines.Add(text);
    }
}
