using System.Globalization;
using System.Text;
using ShiftStack.Installer.Provisioning;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// <c>create cluster --plan -o mermaid|dot</c>: the plan of <see cref="ClusterRenderer.PlanJson"/> as a graph. Every
/// resource that exists (<see cref="ProvisioningPlan.Existing"/>) and every step still to run
/// (<see cref="ProvisioningPlan.Steps"/>) is a node; an arrow goes from a step to the steps that depend on it
/// (<see cref="PlanStep.DependsOn"/>), and from an existing resource to the steps that change it (a step's id ends
/// with the reference of the resource it acts on, e.g. <c>tag-port/x</c>). Existing resources are green, steps orange.
/// </summary>
internal static class PlanGraphRenderer
{
    private const string ExistsColour = "#e8f5e9";
    private const string MakeColour = "#fff3e0";

    private sealed record Node(string Name, string Label, bool Exists);

    private sealed record Graph(string Title, IReadOnlyList<Node> Nodes, IReadOnlyList<(string From, string To)> Edges);

    public static void Dot(TextWriter writer, ProvisioningPlan plan)
    {
        var graph = Build(plan);
        writer.WriteLine("digraph plan {");
        writer.WriteLine($"  label=\"{DotText(graph.Title)}\";");
        writer.WriteLine("  labelloc=t;");
        writer.WriteLine("  rankdir=LR;");
        writer.WriteLine("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];");
        foreach (var node in graph.Nodes)
        {
            writer.WriteLine($"  {node.Name} [label=\"{DotText(node.Label)}\", fillcolor=\"{(node.Exists ? ExistsColour : MakeColour)}\"];");
        }

        foreach (var (from, to) in graph.Edges)
        {
            writer.WriteLine($"  {from} -> {to};");
        }

        writer.WriteLine("}");
    }

    public static void Mermaid(TextWriter writer, ProvisioningPlan plan)
    {
        var graph = Build(plan);
        writer.WriteLine("---");
        writer.WriteLine($"title: \"{graph.Title.Replace("\"", "'", StringComparison.Ordinal)}\"");
        writer.WriteLine("---");
        writer.WriteLine("flowchart LR");
        writer.WriteLine($"  classDef exists fill:{ExistsColour},stroke:#2e7d32");
        writer.WriteLine($"  classDef make fill:{MakeColour},stroke:#ef6c00");
        foreach (var node in graph.Nodes)
        {
            writer.WriteLine($"  {node.Name}[\"{MermaidText(node.Label)}\"]:::{(node.Exists ? "exists" : "make")}");
        }

        foreach (var (from, to) in graph.Edges)
        {
            writer.WriteLine($"  {from} --> {to}");
        }
    }

    private static Graph Build(ProvisioningPlan plan)
    {
        var nodes = new List<Node>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Add(string key, string label, bool exists)
        {
            var name = "n" + nodes.Count.ToString(CultureInfo.InvariantCulture);
            names[key] = name;
            nodes.Add(new Node(name, label, exists));
            return name;
        }

        var existing = plan.Existing.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        foreach (var (reference, id) in existing)
        {
            Add("exists:" + reference, $"{reference}\nexists: {id}", exists: true);
        }

        foreach (var step in plan.Steps)
        {
            Add("step:" + step.Id, $"{step.Summary}\n{step.Request}", exists: false);
        }

        var edges = new List<(string From, string To)>();
        foreach (var step in plan.Steps)
        {
            var to = names["step:" + step.Id];
            foreach (var (reference, _) in existing.Where(e => step.Id.EndsWith("-" + e.Key, StringComparison.Ordinal)))
            {
                edges.Add((names["exists:" + reference], to));
            }

            foreach (var dependency in step.DependsOn)
            {
                if (names.TryGetValue("step:" + dependency, out var from))
                {
                    edges.Add((from, to));
                }
            }
        }

        var title = string.Create(CultureInfo.InvariantCulture,
            $"create cluster {plan.Desired.InfraId}: {plan.Steps.Count} step{(plan.Steps.Count == 1 ? string.Empty : "s")} to run ({plan.ExpectedRequests} requests), {existing.Count} {(existing.Count == 1 ? "resource exists" : "resources exist")}");
        return new Graph(title, nodes, edges);
    }

    private static string DotText(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return b.ToString();
    }

    private static string MermaidText(string text) =>
        text.Replace("&", "#amp;", StringComparison.Ordinal)
            .Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal)
            .Replace(">", "#gt;", StringComparison.Ordinal)
            .Replace("\n", "<br/>", StringComparison.Ordinal);
}
