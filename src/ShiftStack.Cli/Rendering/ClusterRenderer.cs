using System.Text.Json;
using ShiftStack.Installer.Destroy;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;

namespace ShiftStack.Cli.Rendering;

/// <summary>The plan and result of <c>create cluster</c> and the result of <c>destroy cluster</c>, as text and as JSON members.</summary>
internal static class ClusterRenderer
{
    public static void PlanText(TextWriter writer, PreparedPlan prepared)
    {
        var plan = prepared.Plan;
        var desired = plan.Desired;
        writer.WriteLine($"cluster {desired.InfraId}: {desired.SecurityGroups.Count} security groups ({desired.Rules.Count()} ingress rules), "
            + $"{desired.VipPorts.Count} VIP ports, {desired.Ports.Count} node ports, {desired.Servers.Count} servers"
            + (desired.BootstrapFloatingIp is null ? string.Empty : ", 1 bootstrap floating IP"));
        writer.WriteLine($"{plan.Existing.Count} exist already; {plan.Steps.Count} steps, about {plan.ExpectedRequests} requests ({prepared.LookupRequests} look-ups made)");
        if (plan.IsComplete)
        {
            writer.WriteLine("nothing to do: the cluster is complete");
            return;
        }

        var n = 0;
        foreach (var step in plan.Steps)
        {
            writer.WriteLine($"{++n,3}. {step.Summary}");
            writer.WriteLine($"       {step.Request}" + (step.DependsOn.Count == 0 ? string.Empty : $"   after {string.Join(", ", step.DependsOn)}"));
            foreach (var detail in step.Details)
            {
                writer.WriteLine($"       - {detail}");
            }
        }
    }

    public static void PlanJson(Utf8JsonWriter json, PreparedPlan prepared)
    {
        var plan = prepared.Plan;
        json.WriteString("infraID", plan.Desired.InfraId);
        json.WriteBoolean("complete", plan.IsComplete);
        json.WriteNumber("lookupRequests", prepared.LookupRequests);
        json.WriteNumber("expectedRequests", plan.ExpectedRequests);
        json.WriteStartObject("existing");
        foreach (var (reference, id) in plan.Existing.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteString(reference, id);
        }

        json.WriteEndObject();
        json.WriteStartArray("steps");
        foreach (var step in plan.Steps)
        {
            json.WriteStartObject();
            json.WriteString("id", step.Id);
            json.WriteString("kind", step.Kind);
            json.WriteString("request", step.Request);
            json.WriteString("summary", step.Summary);
            json.WriteStrings("dependsOn", step.DependsOn);
            json.WriteStrings("details", step.Details);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void ResultText(TextWriter writer, string infraId, ProvisioningResult result, string logPath, int waits = 0)
    {
        var succeeded = result.Execution.Results.Count(r => r.Outcome == StepOutcome.Succeeded);
        writer.WriteLine($"cluster {infraId}: {succeeded} of {result.Execution.Results.Count} steps done, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s (log: {logPath})");
        if (result.Execution.LostAnswers > 0)
        {
            writer.WriteLine($"  {result.Execution.LostAnswers} request{(result.Execution.LostAnswers == 1 ? string.Empty : "s")} lost {(result.Execution.LostAnswers == 1 ? "its answer" : "their answers")}; each outcome was resolved by looking, nothing was sent twice:");
            foreach (var resolved in result.Execution.Results.Where(r => r.LostAnswers > 0))
            {
                writer.WriteLine($"    {resolved.Step.Summary}: {resolved.Message}");
            }
        }

        if (waits > 0)
        {
            writer.WriteLine($"  waited for a service {waits} time{(waits == 1 ? string.Empty : "s")} (each said above as it happened; the log has every retry)");
        }

        if (result.Execution.ConcurrencyBackOffs > 0)
        {
            writer.WriteLine($"  a service answered slowly: the run lowered its concurrency {result.Execution.ConcurrencyBackOffs} time{(result.Execution.ConcurrencyBackOffs == 1 ? string.Empty : "s")}, to {result.Execution.LowestConcurrency} request{(result.Execution.LowestConcurrency == 1 ? string.Empty : "s")} at a time at the least");
        }
        foreach (var failure in result.Execution.Failures)
        {
            writer.WriteLine($"  FAILED {failure.Step.Summary}: {failure.Message}");
        }

        var notRun = result.Execution.Results.Count(r => r.Outcome == StepOutcome.NotRun);
        if (notRun > 0)
        {
            writer.WriteLine($"  {notRun} steps not run; run 'shiftstack create cluster' again to continue from here");
        }

        if (result.Succeeded)
        {
            writer.WriteLine(result.Prepared.Plan.IsComplete ? "nothing to do: the cluster was complete" : "the cluster's resources are in place");
        }
    }

    public static void ResultJson(Utf8JsonWriter json, string infraId, ProvisioningResult result, int waits = 0) =>
        RunJson(json, infraId, result.Succeeded, result.Requests, result.Elapsed, result.RequestsByKind, () =>
        {
            json.WriteNumber("lostAnswers", result.Execution.LostAnswers);
            json.WriteNumber("waits", waits);
            json.WriteNumber("concurrencyBackOffs", result.Execution.ConcurrencyBackOffs);
            json.WriteNumber("lowestConcurrency", result.Execution.LowestConcurrency);
            json.WriteStartArray("steps");
            foreach (var r in result.Execution.Results)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Step.Id);
                json.WriteString("outcome", r.Outcome.ToString());
                json.WriteString("message", r.Message);
                json.WriteNumber("lostAnswers", r.LostAnswers);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    public static void DestroyJson(Utf8JsonWriter json, string infraId, DestroyResult result) =>
        RunJson(json, infraId, result.Succeeded, result.Requests, result.Elapsed, result.RequestsByKind, () =>
        {
            json.WriteStrings("deleted", result.Deleted);
            json.WriteStartArray("leftovers");
            foreach (var l in result.Leftovers)
            {
                json.WriteStartObject();
                json.WriteString("kind", l.Kind);
                json.WriteString("id", l.Id);
                json.WriteString("name", l.Name);
                json.WriteString("reason", l.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    /// <summary>The result of <c>destroy cluster</c> or, with <paramref name="bootstrapOnly"/>, <c>destroy bootstrap</c>.</summary>
    public static void DestroyText(TextWriter writer, string infraId, DestroyResult result, bool bootstrapOnly)
    {
        writer.WriteLine(bootstrapOnly
            ? $"bootstrap of {infraId}: {result.Deleted.Count} resources deleted, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s"
            : $"cluster {infraId}: {result.Deleted.Count} resources deleted or restored, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s");
        foreach (var leftover in result.Leftovers)
        {
            writer.WriteLine($"  NOT REMOVED: {leftover.Kind} {leftover.Name} ({leftover.Id}): {leftover.Reason}");
        }

        writer.WriteLine(!result.Succeeded ? $"{result.Leftovers.Count} resources left; run 'shiftstack destroy {(bootstrapOnly ? "bootstrap" : "cluster")}' again or remove them by hand"
            : bootstrapOnly ? "the bootstrap machine is gone; the masters and the rest of the cluster are untouched"
            : "nothing left behind");
    }

    /// <summary>What a create or destroy run reports in JSON around its own members: cluster, outcome, requests, time.</summary>
    private static void RunJson(Utf8JsonWriter json, string infraId, bool succeeded, long requests, TimeSpan elapsed,
        IReadOnlyDictionary<RequestKey, long> requestsByKind, Action members)
    {
        json.WriteString("infraID", infraId);
        json.WriteBoolean("succeeded", succeeded);
        json.WriteNumber("requests", requests);
        json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
        members();
        json.WriteRequestCounts("requestsByKind", requestsByKind);
    }
}
