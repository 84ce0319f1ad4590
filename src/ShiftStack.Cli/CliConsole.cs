namespace ShiftStack.Cli;

/// <summary>The process's standard streams, injectable so commands can be tested in-process.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    /// <summary>The real console.</summary>
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;
}
