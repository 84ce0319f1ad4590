namespace ShiftStack.Cli.Rendering;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Lines for a human.</summary>
    Text,

    /// <summary>One JSON document on standard output, for scripts.</summary>
    Json,
}
