using System.Net;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

/// <summary>Adaptive timeouts (issue #21): an attempt's time grows with the service's slowest recent answers.</summary>
public sealed class ServiceLatencyTests
{
    private static readonly TimeSpan Floor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(5);

    [Fact]
    public void Until_a_service_has_answered_a_few_times_an_attempt_gets_the_configured_timeout()
    {
        var latency = new ServiceLatency();
        latency.TimeoutFor("network", "POST", Floor, Ceiling).ShouldBe(Floor);
        for (var i = 1; i < ServiceLatency.MinimumSamples; i++)
        {
            latency.Record("network", "POST", TimeSpan.FromSeconds(20));
        }

        latency.TimeoutFor("network", "POST", Floor, Ceiling).ShouldBe(Floor);
    }

    [Fact]
    public void The_timeout_grows_with_the_slowest_recent_answer_of_the_same_service_and_method_and_never_drops_below_the_floor()
    {
        var latency = new ServiceLatency();
        foreach (var seconds in new[] { 0.5, 0.4, 12.0, 0.6 })
        {
            latency.Record("network", "POST", TimeSpan.FromSeconds(seconds));
        }

        latency.TimeoutFor("network", "POST", Floor, Ceiling).ShouldBe(TimeSpan.FromSeconds(96), "8 x the slowest (12 s)");
        latency.TimeoutFor("network", "GET", Floor, Ceiling).ShouldBe(Floor, "GETs have their own answers");
        latency.TimeoutFor("compute", "POST", Floor, Ceiling).ShouldBe(Floor);

        // The slow answer leaves the window after Window newer ones: the timeout falls back, but not below the floor.
        for (var i = 0; i < ServiceLatency.Window; i++)
        {
            latency.Record("network", "POST", TimeSpan.FromMilliseconds(300));
        }

        latency.TimeoutFor("network", "POST", Floor, Ceiling).ShouldBe(Floor);
        latency.Record("network", "POST", TimeSpan.FromMinutes(2));
        latency.TimeoutFor("network", "POST", Floor, Ceiling).ShouldBe(Ceiling);
    }

    [Fact]
    public void Slowdown_compares_the_recent_median_with_the_fastest_answer_and_ignores_fast_requests()
    {
        var latency = new ServiceLatency();
        latency.Slowdown().Factor.ShouldBe(1);
        foreach (var ms in new[] { 500, 450, 2000, 1900, 2100, 1800 })
        {
            latency.Record("network", "POST", TimeSpan.FromMilliseconds(ms));
        }

        // GETs that go from 10 ms to 200 ms are still fast: they do not count.
        foreach (var ms in new[] { 10, 200, 200, 200, 200 })
        {
            latency.Record("network", "GET", TimeSpan.FromMilliseconds(ms));
        }

        var slowdown = latency.Slowdown();
        slowdown.Series.ShouldBe("network POST");
        slowdown.Factor.ShouldBe(2000 / 450.0, 0.001);
        slowdown.ToString().ShouldBe("network POST answers take 2.0 s, 4.4x the fastest (0.45 s)");
    }

    [Fact]
    public async Task A_slow_service_gets_a_longer_timeout_from_the_transport_once_it_has_answered_slowly_before()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnAsync(r => r.Uri.AbsolutePath.StartsWith("/v2.0/ports/", StringComparison.Ordinal), async (_, ct) =>
        {
            await Task.Delay(300, ct);
            return FakeHandler.Json(HttpStatusCode.OK, """{"port": {"id": "p1", "network_id": "n1"}}""");
        });
        var options = new OpenStackClientOptions
        {
            Handler = cloud.Handler,
            TimeProvider = cloud.Time,
            RequestTimeout = TimeSpan.FromMilliseconds(50),
            Retry = new RetryOptions { MaxAttempts = 1 },
        };

        // Without history, 50 ms is all an attempt gets.
        using (var fresh = cloud.Networking(options: options))
        {
            var ex = await Should.ThrowAsync<OpenStackException>(() => fresh.Ports.GetAsync("p1"));
            ex.Message.ShouldContain("no response within 0.1 s");
        }

        // After four answers of 100 ms, an attempt gets 8 x the slowest of them: the 300 ms answer arrives in time.
        var latency = new ServiceLatency();
        for (var i = 0; i < ServiceLatency.MinimumSamples; i++)
        {
            latency.Record("network", "GET", TimeSpan.FromMilliseconds(100));
        }

        using var warmed = cloud.Networking(options: new OpenStackClientOptions
        {
            Handler = options.Handler, TimeProvider = options.TimeProvider, RequestTimeout = options.RequestTimeout, Retry = options.Retry, Latency = latency,
        });
        (await warmed.Ports.GetAsync("p1")).Id.ShouldBe("p1");
    }
}
