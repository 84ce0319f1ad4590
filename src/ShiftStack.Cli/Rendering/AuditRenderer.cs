using System.Text.Json;
using ShiftStack.Installer.Audit;
using ShiftStack.Installer.Provisioning;

namespace ShiftStack.Cli.Rendering;

/// <summary>The findings of <c>audit cluster</c> and what <c>--fix</c> did, as text and as JSON members.</summary>
internal static class AuditRenderer
{
    public static void Text(TextWriter writer, AuditReport report, ProvisioningResult? fix, AuditReport? after)
    {
        if (fix is not null)
        {
            writer.WriteLine($"--fix ran {fix.Execution.Results.Count} steps: {fix.Execution.Results.Count(r => r.Outcome == StepOutcome.Succeeded)} done");
            foreach (var result in fix.Execution.Results)
            {
                writer.WriteLine($"  {(result.Outcome == StepOutcome.Succeeded ? "done  " : result.Outcome == StepOutcome.Failed ? "FAILED" : "not run")} {result.Message}");
            }

            writer.WriteLine("after the fix:");
            Findings(writer, after ?? report);
            return;
        }

        Findings(writer, report);
        if (report.Findings.Any(f => f.IsDrift && f.Fix is not null))
        {
            writer.WriteLine($"run with --fix to make these {report.Repair.Plan.Steps.Count} changes (nothing of yours is touched):");
            Steps(writer, report);
        }
    }

    /// <summary>What <c>--fix</c> found and is about to change, shown before the first change is made.</summary>
    public static void FixPlan(TextWriter writer, AuditReport report)
    {
        Findings(writer, report);
        writer.WriteLine($"--fix: making these {report.Repair.Plan.Steps.Count} changes (nothing of yours is touched):");
        Steps(writer, report);
    }

    private static void Findings(TextWriter writer, AuditReport shown)
    {
        var drift = shown.Findings.Where(f => f.IsDrift).ToList();
        var notes = shown.Findings.Where(f => !f.IsDrift).ToList();
        writer.WriteLine(drift.Count == 0
            ? $"cluster {shown.InfraId}: no drift from the dual-stack invariants ({shown.Requests} requests)"
            : $"cluster {shown.InfraId}: {drift.Count} drift finding{(drift.Count == 1 ? string.Empty : "s")}, {drift.Count(f => f.Fix is not null)} repairable by --fix ({shown.Requests} requests)");
        foreach (var finding in drift)
        {
            Write(writer, "DRIFT", finding);
        }

        foreach (var finding in notes)
        {
            Write(writer, "note ", finding);
        }
    }

    private static void Steps(TextWriter writer, AuditReport report)
    {
        foreach (var step in report.Repair.Plan.Steps)
        {
            writer.WriteLine($"  - {step.Summary}   [{step.Request}]");
        }
    }

    public static void Json(Utf8JsonWriter json, AuditReport report, ProvisioningResult? fix, AuditReport? after)
    {
        var shown = after ?? report;
        json.WriteString("infraID", shown.InfraId);
        json.WriteBoolean("clean", shown.Clean);
        json.WriteNumber("requests", shown.Requests);
        json.WriteStartArray("findings");
        foreach (var finding in shown.Findings)
        {
            json.WriteStartObject();
            json.WriteString("id", finding.Id);
            json.WriteString("code", finding.Code);
            json.WriteString("resource", finding.Resource);
            json.WriteBoolean("drift", finding.IsDrift);
            json.WriteString("what", finding.What);
            json.WriteString("why", finding.Why);
            if (finding.Fix is null)
            {
                json.WriteNull("fix");
            }
            else
            {
                json.WriteString("fix", finding.Fix);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (fix is not null)
        {
            json.WriteStartArray("fixed");
            foreach (var result in fix.Execution.Results)
            {
                json.WriteStartObject();
                json.WriteString("id", result.Step.Id);
                json.WriteString("kind", result.Step.Kind);
                json.WriteString("outcome", result.Outcome.ToString().ToLowerInvariant());
                json.WriteString("message", result.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("foundBeforeFix");
            foreach (var finding in report.Findings.Where(f => f.IsDrift))
            {
                json.WriteStringValue(finding.Id);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteStartArray("repair");
            foreach (var step in shown.Repair.Plan.Steps)
            {
                json.WriteStartObject();
                json.WriteString("id", step.Id);
                json.WriteString("kind", step.Kind);
                json.WriteString("request", step.Request);
                json.WriteString("summary", step.Summary);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }

    private static void Write(TextWriter writer, string label, AuditFinding finding)
    {
        writer.WriteLine($"{label}  {finding.Code,-32} {finding.Resource}");
        writer.WriteLine($"        {finding.What}");
        writer.WriteLine($"        why: {finding.Why}");
        if (finding.IsDrift)
        {
            writer.WriteLine(finding.Fix is null ? "        --fix: cannot repair this (it is yours, or a server): see above" : $"        --fix: {finding.Fix}");
        }
    }
}
