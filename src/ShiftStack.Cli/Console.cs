namespace ShiftStack.Cli;

/// <summary>The process's standard streams, injectable so commands can be tested in-process.</summary>
internal sealed class Console(TextWriter output, TextWriter error, Func<Stream> openStandardOutput)
{
    /// <summary>The real console.</summary>
    public static Console System { get; } =
        new(global::System.Console.Out, global::System.Console.Error, global::System.Console.OpenStandardOutput);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Raw standard output, for JSON written as UTF-8 bytes.</summary>
    public Stream OpenStandardOutput() => openStandardOutput();
}
