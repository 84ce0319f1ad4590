using System.Net;
using ShiftStack.OpenStack.Compute;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>Waiting for a server: ACTIVE, ERROR with its fault, gone, timeout, cancellation.</summary>
public class ServerWaitTests
{
    private const string Path = "/v2.1/servers/" + NovaFake.ServerId;

    private static readonly ServerWaitOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Polls_until_ACTIVE_and_returns_the_active_server()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(
            Path,
            () => NovaFake.Server("BUILD"),
            () => NovaFake.Server("BUILD"),
            () => NovaFake.Server("ACTIVE"));
        using var client = nova.Compute();
        var seen = new List<ServerStatus>();

        var server = await client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Active, Fast with { OnPoll = s => seen.Add(s.Status) });

        server.Status.ShouldBe(ServerStatus.Active);
        seen.ShouldBe([ServerStatus.Build, ServerStatus.Build, ServerStatus.Active]);
        nova.NovaRequests.Count().ShouldBe(3);
    }

    [Fact]
    public async Task ERROR_fails_fast_with_the_fault_message()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(
            Path,
            () => NovaFake.Server("BUILD"),
            () => NovaFake.Server("ERROR", "\"fault\": {\"code\": 500, \"created\": \"2025-01-01T12:00:09Z\", \"message\": \"No valid host was found. There are not enough hosts available.\"}"));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Active, Fast));

        ex.ErrorType.ShouldBe(ComputeErrorTypes.ServerError);
        ex.ErrorMessage.ShouldBe($"server {NovaFake.ServerId} ('ss-master-0') went to ERROR instead of ACTIVE: No valid host was found. There are not enough hosts available. (fault code 500)");
        ex.StatusCode.ShouldBeNull();
        ex.ServiceType.ShouldBe("compute");
        ex.RequestUri.ShouldBe(new Uri(NovaFake.NovaUrl + "/servers/" + NovaFake.ServerId));
        nova.NovaRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task ERROR_without_a_fault_still_fails_fast()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Server("ERROR"));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Active, Fast));

        ex.ErrorMessage.ShouldEndWith("went to ERROR instead of ACTIVE: Nova gave no fault message");
    }

    [Fact]
    public async Task Waiting_for_ERROR_returns_the_server_in_ERROR()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Server("ERROR"));
        using var client = nova.Compute();

        (await client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Error, Fast)).Status.ShouldBe(ServerStatus.Error);
    }

    [Fact]
    public async Task A_server_that_disappears_while_waited_for_is_itemNotFound()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Server("BUILD"), () => NovaFake.NovaError(HttpStatusCode.NotFound, "itemNotFound", $"Instance {NovaFake.ServerId} could not be found."));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Active, Fast));

        ex.ErrorType.ShouldBe(ComputeErrorTypes.ItemNotFound);
        ex.IsNotFound.ShouldBeTrue();
    }

    [Fact]
    public async Task Times_out_with_the_last_status_and_task_state()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Json(NovaFake.ServerJson("BUILD").Replace("\"OS-EXT-STS:task_state\": null", "\"OS-EXT-STS:task_state\": \"spawning\"", StringComparison.Ordinal)));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<TimeoutException>(() => client.Servers.WaitForStatusAsync(
            NovaFake.ServerId, ServerStatus.Active, new ServerWaitOptions { PollInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(300) }));

        ex.Message.ShouldBe($"server {NovaFake.ServerId} ('ss-master-0') did not become ACTIVE within 300 ms: it is BUILD, task state spawning");
        nova.NovaRequests.Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_with_OperationCanceledException_not_a_timeout()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Server("BUILD"));
        using var client = nova.Compute();
        using var cts = new CancellationTokenSource();
        var polls = 0;

        var ex = await Record.ExceptionAsync(() => client.Servers.WaitForStatusAsync(
            NovaFake.ServerId,
            ServerStatus.Active,
            new ServerWaitOptions { PollInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromMinutes(5), OnPoll = _ => { if (++polls == 2) { cts.Cancel(); } } },
            cts.Token));

        ex.ShouldBeAssignableTo<OperationCanceledException>();
        polls.ShouldBe(2);
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Record.ExceptionAsync(() => client.Servers.WaitForStatusAsync(NovaFake.ServerId, ServerStatus.Active, Fast, cts.Token));

        ex.ShouldBeAssignableTo<OperationCanceledException>();
        nova.NovaRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Deletion_is_complete_on_404()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(
            Path,
            () => NovaFake.Json(NovaFake.ServerJson("ACTIVE").Replace("\"OS-EXT-STS:task_state\": null", "\"OS-EXT-STS:task_state\": \"deleting\"", StringComparison.Ordinal)),
            () => NovaFake.NovaError(HttpStatusCode.NotFound, "itemNotFound", "gone"));
        using var client = nova.Compute();

        await client.Servers.WaitForDeletionAsync(NovaFake.ServerId, Fast);

        nova.NovaRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Deletion_waits_past_ERROR_and_the_transient_DELETED_status_until_404()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(
            Path,
            () => NovaFake.Server("ERROR"),
            () => NovaFake.Server("DELETED"),
            () => NovaFake.NovaError(HttpStatusCode.NotFound, "itemNotFound", "gone"));
        using var client = nova.Compute();
        var seen = new List<ServerStatus>();

        await client.Servers.WaitForDeletionAsync(NovaFake.ServerId, Fast with { OnPoll = s => seen.Add(s.Status) });

        seen.ShouldBe([ServerStatus.Error, ServerStatus.Deleted]);
        nova.NovaRequests.Count().ShouldBe(3);
    }

    [Fact]
    public async Task Deletion_times_out_with_the_last_state_and_fault()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(Path, () => NovaFake.Server("ERROR", "\"fault\": {\"code\": 500, \"message\": \"Failed to deallocate network\"}"));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<TimeoutException>(() => client.Servers.WaitForDeletionAsync(
            NovaFake.ServerId, new ServerWaitOptions { PollInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(200) }));

        ex.Message.ShouldBe($"server {NovaFake.ServerId} ('ss-master-0') was not deleted within 200 ms: it is ERROR, fault: Failed to deallocate network");
    }

    [Fact]
    public async Task Non_positive_intervals_are_refused()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.Servers.WaitForStatusAsync("x", ServerStatus.Active, new ServerWaitOptions { PollInterval = TimeSpan.Zero }));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.Servers.WaitForDeletionAsync("x", new ServerWaitOptions { Timeout = TimeSpan.FromSeconds(-5) }));
    }
}
