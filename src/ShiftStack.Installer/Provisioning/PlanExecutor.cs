using ShiftStack.OpenStack;

namespace ShiftStack.Installer.Provisioning;

/// <summary>How one step ended.</summary>
public enum StepOutcome
{
    /// <summary>It ran and succeeded.</summary>
    Succeeded,

    /// <summary>It ran and failed.</summary>
    Failed,

    /// <summary>It did not run: a dependency failed, or an earlier failure stopped the run.</summary>
    NotRun,
}

/// <summary>The outcome of one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">What it did, or why it failed / did not run.</param>
/// <param name="Error">The exception of a failure.</param>
/// <param name="LostAnswers">Requests of the step whose answer was lost and whose outcome was resolved by looking.</param>
public sealed record StepResult(PlanStep Step, StepOutcome Outcome, string Message, Exception? Error = null, int LostAnswers = 0);

/// <summary>The outcome of a plan's execution.</summary>
/// <param name="Results">One result per step, in plan order.</param>
public sealed record ExecutionResult(IReadOnlyList<StepResult> Results)
{
    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Results.All(r => r.Outcome == StepOutcome.Succeeded);

    /// <summary>The failures.</summary>
    public IEnumerable<StepResult> Failures => Results.Where(r => r.Outcome == StepOutcome.Failed);

    /// <summary>Requests whose answer was lost and whose outcome the executor resolved by looking.</summary>
    public int LostAnswers => Results.Sum(r => r.LostAnswers);

    /// <summary>How often the run lowered its concurrency because a service answered slowly (<see cref="ConcurrencyGovernor"/>).</summary>
    public int ConcurrencyBackOffs { get; init; }

    /// <summary>The fewest requests the run allowed in flight at a time.</summary>
    public int LowestConcurrency { get; init; }
}

/// <summary>
/// Runs a plan's steps as a dependency graph: a step starts when its dependencies have succeeded, at most
/// <see cref="StepContext.Concurrency"/> at a time. After the first failure no new step starts (those running
/// finish), so a re-run converges from a well-defined point. Cancellation stops everything and throws
/// <see cref="OperationCanceledException"/> once running steps have ended.
/// </summary>
public static class PlanExecutor
{
    /// <summary>Runs the plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="context">Clients, state and progress; its <see cref="StepContext.Ids"/> are filled from <see cref="ProvisioningPlan.Existing"/>.</param>
    /// <param name="cancellationToken">Cancellation (Ctrl+C).</param>
    /// <returns>The result of every step.</returns>
    public static async Task<ExecutionResult> ExecuteAsync(ProvisioningPlan plan, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (reference, id) in plan.Existing)
        {
            context.Ids.TryAdd(reference, id);
        }

        var byId = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            foreach (var dep in step.DependsOn)
            {
                if (!byId.ContainsKey(dep))
                {
                    throw new InvalidOperationException($"step {step.Id} depends on unknown step {dep}");
                }
            }
        }

        var gate = context.Governor.NewGate();
        var stopped = 0;
        var tasks = new Dictionary<string, Task<StepResult>>(StringComparer.Ordinal);

        Task<StepResult> Run(PlanStep step)
        {
            if (tasks.TryGetValue(step.Id, out var existing))
            {
                return existing;
            }

            var dependencies = step.DependsOn.Select(d => Run(byId[d])).ToList();
            var task = RunStepAsync(step, dependencies);
            tasks[step.Id] = task;
            return task;
        }

        async Task<StepResult> RunStepAsync(PlanStep step, List<Task<StepResult>> dependencies)
        {
            var results = await Task.WhenAll(dependencies).ConfigureAwait(false);
            var failed = results.FirstOrDefault(r => r.Outcome != StepOutcome.Succeeded);
            if (failed is not null)
            {
                return new StepResult(step, StepOutcome.NotRun, $"not run: {failed.Step.Id} did not succeed");
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref stopped) != 0)
                {
                    return new StepResult(step, StepOutcome.NotRun, "not run: an earlier step failed");
                }

                cancellationToken.ThrowIfCancellationRequested();
                context.Progress.Started(step.Id, step.Summary);
                try
                {
                    var (message, lost) = await ExecuteResolvingLostAnswersAsync(step, context, cancellationToken).ConfigureAwait(false);
                    context.Progress.Completed(step.Id, message);
                    return new StepResult(step, StepOutcome.Succeeded, message, LostAnswers: lost);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    context.Progress.Failed(step.Id, step.Summary, "cancelled");
                    throw;
                }
                catch (Exception ex)
                {
                    Interlocked.Exchange(ref stopped, 1);
                    context.Progress.Failed(step.Id, step.Summary, ex.Message);
                    return new StepResult(step, StepOutcome.Failed, ex.Message, ex);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        List<Task<StepResult>> all;
        lock (tasks)
        {
            all = plan.Steps.Select(Run).ToList();
        }

        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Wait for every step to settle before reporting the cancellation.
            await Task.WhenAll(all.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }

        return new ExecutionResult(all.Select(t => t.Result).ToList())
        {
            ConcurrencyBackOffs = context.Governor.BackOffs,
            LowestConcurrency = context.Governor.Lowest,
        };
    }

    /// <summary>How often a step whose answers keep getting lost is tried before the run gives up on it.</summary>
    internal const int MaxLostAnswers = 3;

    /// <summary>
    /// Runs a step; when a request's answer is lost (the request was sent, the outcome is unknown), waits for the service
    /// and looks (<see cref="PlanStep.ResolveLostAnswerAsync"/>): found, the step is done; not found, it is sent again,
    /// which cannot duplicate what is not there. Never a blind repeat, never a lost step.
    /// </summary>
    private static async Task<(string Message, int LostAnswers)> ExecuteResolvingLostAnswersAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        for (var lost = 0; ; lost++)
        {
            try
            {
                var message = await step.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
                return (lost == 0 ? message : $"{message} (after {lost} lost answer{(lost == 1 ? string.Empty : "s")})", lost);
            }
            catch (OpenStackException ex) when (IsLostAnswer(ex) && step.ResolvesLostAnswers && lost < MaxLostAnswers && !cancellationToken.IsCancellationRequested)
            {
                context.Progress.Message($"{step.Summary}: the answer to {ex.Method} {ex.RequestUri?.AbsolutePath} was lost ({ex.ErrorMessage}); "
                    + "waiting for the service to answer again, then looking whether it was done");
                var resolved = await step.ResolveLostAnswerAsync(context, cancellationToken).ConfigureAwait(false);
                if (resolved is not null)
                {
                    context.Progress.Message($"{step.Summary}: found done by looking");
                    return ($"{resolved} (answer lost; resolved by looking)", lost + 1);
                }

                context.Progress.Message($"{step.Summary}: not done; sending it again");
            }
        }
    }

    /// <summary>
    /// True when a request may have been carried out but its answer never came: the connection failed after it was
    /// sent (the client retries by itself what certainly never reached the service), or a gateway said the service did
    /// not answer.
    /// </summary>
    internal static bool IsLostAnswer(OpenStackException ex) =>
        ex.Is(ErrorTypes.ConnectionFailed)
        || ex.StatusCode is System.Net.HttpStatusCode.BadGateway or System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.GatewayTimeout;
}
