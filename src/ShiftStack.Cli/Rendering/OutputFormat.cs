namespace ShiftStack.Cli.Rendering;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Lines for a human.</summary>
    Text,

    /// <summary>One JSON document on standard output, for scripts.</summary>
    Json,

    /// <summary>A Mermaid flowchart (<c>create cluster --plan</c> only).</summary>
    Mermaid,

    /// <summary>A Graphviz digraph (<c>create cluster --plan</c> only).</summary>
    Dot,
}
