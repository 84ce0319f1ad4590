using System.Diagnostics;
using System.Text.RegularExpressions;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Provisioning.ProvisioningFixtures;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// <c>create cluster --plan -o mermaid|dot</c> (issue #19, "A picture"): the plan's resources, what exists and what
/// will be made, and their dependencies, as a graph that Graphviz parses and Mermaid's flowchart syntax holds. The plan
/// is built offline from hand-made cloud facts (the same plan <c>--plan -o json</c> prints). <c>docs/plan-example.*</c>
/// are this plan's renders: <c>make docs-plan</c> rewrites them (<c>UPDATE_DOCS=1</c>) and renders the SVG with
/// <c>dot -Tsvg</c>; this test fails when they are out of date.
/// </summary>
public sealed partial class PlanGraphTests
{
    /// <summary>
    /// The docs' example: a network-only plan on a cloud that has the user's VIP ports and the cluster's master
    /// security group, tagged but without its rules (a run interrupted after the group was made).
    /// </summary>
    internal static ProvisioningPlan ExamplePlan()
    {
        var facts = Facts();
        var desired = ClusterPlanner.Plan(DualStack(), InfraId, facts, ProvisioningScope.NetworkOnly);
        var master = desired.SecurityGroups.Single(g => g.Role == SecurityGroupRole.Master);
        var observed = ObservedCluster.Empty with
        {
            SecurityGroups = new Dictionary<SecurityGroupRole, SecurityGroup>
            {
                [SecurityGroupRole.Master] = new() { Id = "50000000-0000-0000-0000-000000000001", Name = master.Name, Tags = master.Tags },
            },
        };
        return ProvisioningPlan.Build(desired, facts, observed);
    }

    private static string Render(Action<TextWriter, ProvisioningPlan> renderer, ProvisioningPlan plan)
    {
        using var writer = new StringWriter();
        renderer(writer, plan);
        return writer.ToString();
    }

    [Fact]
    public void Dot_draws_every_step_and_existing_resource_with_its_dependencies()
    {
        var plan = ExamplePlan();

        var dot = Render(PlanGraphRenderer.Dot, plan);

        dot.ShouldStartWith("digraph plan {\n");
        dot.ShouldEndWith("}\n");
        var nodes = DotNode().Matches(dot).Select(m => m.Groups[1].Value).ToList();
        nodes.Count.ShouldBe(plan.Steps.Count + plan.Existing.Count);
        nodes.Distinct().Count().ShouldBe(nodes.Count);
        var edges = DotEdge().Matches(dot).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        edges.Count.ShouldBe(plan.Steps.Sum(s => s.DependsOn.Count) + plan.Steps.Sum(s => plan.Existing.Keys.Count(k => s.Id.EndsWith("-" + k, StringComparison.Ordinal))));
        edges.ShouldAllBe(e => nodes.Contains(e.Item1) && nodes.Contains(e.Item2));
        foreach (var step in plan.Steps)
        {
            dot.ShouldContain(step.Summary.Replace("\"", "\\\"", StringComparison.Ordinal));
        }

        dot.ShouldContain("fillcolor=\"#e8f5e9\""); // something exists (the user's VIP ports)
        dot.ShouldContain("fillcolor=\"#fff3e0\"");
    }

    [Fact]
    public void Graphviz_parses_the_dot_output()
    {
        var dot = Render(PlanGraphRenderer.Dot, ExamplePlan());

        // hack/openstack-up installs graphviz with the other packages of 'make test'.
        var start = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process? started = null;
        Should.NotThrow(() => started = Process.Start(start), "Graphviz's dot is not installed: apt-get install graphviz (make test installs it)");
        using var process = started.ShouldNotBeNull();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        var svg = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        process.ExitCode.ShouldBe(0, error);
        error.ShouldBeEmpty();
        svg.ShouldContain("<svg");
    }

    [Fact]
    public void Mermaid_is_a_flowchart_whose_edges_join_declared_nodes()
    {
        var plan = ExamplePlan();

        var mermaid = Render(PlanGraphRenderer.Mermaid, plan);

        var lines = mermaid.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("---");
        lines[1].ShouldStartWith("title: \"create cluster " + InfraId + ": ");
        lines[2].ShouldBe("---");
        lines[3].ShouldBe("flowchart LR");
        var body = lines.Skip(4).ToList();
        var nodes = body.Select(l => MermaidNode().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var edges = body.Select(l => MermaidEdge().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var classes = body.Count(l => l.StartsWith("  classDef ", StringComparison.Ordinal));
        (nodes.Count + edges.Count + classes).ShouldBe(body.Count, "every line is a node, an edge or a class");
        nodes.Count.ShouldBe(plan.Steps.Count + plan.Existing.Count);
        edges.ShouldAllBe(e => nodes.Contains(e.Item1) && nodes.Contains(e.Item2));
        edges.Count.ShouldBe(DotEdge().Count(Render(PlanGraphRenderer.Dot, plan)));
        // Labels never break the syntax: no raw quote inside a label.
        body.Where(l => MermaidNode().IsMatch(l)).ShouldAllBe(l => l.Count(c => c == '"') == 2);
    }

    [Fact]
    public void The_rendered_example_in_docs_is_this_plan()
    {
        var docs = Path.Combine(CliRunner.RepoRoot, "docs");
        var renders = new Dictionary<string, string>
        {
            ["plan-example.dot"] = Render(PlanGraphRenderer.Dot, ExamplePlan()),
            ["plan-example.mmd"] = Render(PlanGraphRenderer.Mermaid, ExamplePlan()),
        };
        foreach (var (name, text) in renders)
        {
            var path = Path.Combine(docs, name);
            if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            {
                File.WriteAllText(path, text);
            }

            File.ReadAllText(path).ShouldBe(text, $"{path} is out of date: run 'make docs-plan'");
        }
    }

    [Fact]
    public async Task Mermaid_and_dot_need_plan()
    {
        var run = await CliRunner.RunAsync("create", "cluster", "--dir", ".", "-o", "dot");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("-o mermaid and -o dot draw the plan: add --plan");
    }

    [Fact]
    public async Task Other_commands_refuse_mermaid()
    {
        var run = await CliRunner.RunAsync("validate", "--dir", ".", "-o", "mermaid");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--output must be text or json, not 'mermaid'");
    }

    [GeneratedRegex(@"^  (n\d+) \[label=""(?:[^""\\]|\\.)*"", fillcolor=""#[0-9a-f]{6}""\];$", RegexOptions.Multiline)]
    private static partial Regex DotNode();

    [GeneratedRegex(@"^  (n\d+) -> (n\d+);$", RegexOptions.Multiline)]
    private static partial Regex DotEdge();

    [GeneratedRegex(@"^  (n\d+)\[""[^""]*""\]:::(?:exists|make)$")]
    private static partial Regex MermaidNode();

    [GeneratedRegex(@"^  (n\d+) --> (n\d+)$")]
    private static partial Regex MermaidEdge();
}
