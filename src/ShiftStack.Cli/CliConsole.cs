namespace ShiftStack.Cli;

/// <summary>The process's standard streams, injectable so commands can be tested in-process.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, Func<Stream> openStandardOutput)
{
    /// <summary>The real console.</summary>
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error, Console.OpenStandardOutput);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Raw standard output, for JSON written as UTF-8 bytes.</summary>
    public Stream OpenStandardOutput() => openStandardOutput();
}
