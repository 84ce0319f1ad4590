namespace ShiftStack.Cli;

/// <summary>How much the CLI says on standard error (<c>--log-level</c>); failures are always printed.</summary>
internal enum LogLevel
{
    /// <summary>Also every request: method, URL, status, time.</summary>
    Debug = -1,

    /// <summary>Notes, waits and warnings (the default).</summary>
    Info = 0,

    /// <summary>Waits and warnings.</summary>
    Warn,

    /// <summary>Only the failure.</summary>
    Error,
}

/// <summary>The process's standard streams, injectable so commands can be tested in-process.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    private readonly Lock _lock = new();

    /// <summary>The real console.</summary>
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The command's <c>--log-level</c>.</summary>
    public LogLevel Level { get; set; } = LogLevel.Info;

    /// <summary>A <c>shiftstack: …</c> line on standard error if <paramref name="level"/> is shown; safe from any thread.</summary>
    public void Say(LogLevel level, string text)
    {
        if (level < Level)
        {
            return;
        }

        lock (_lock)
        {
            Error.WriteLine("shiftstack: " + text);
            Error.Flush();
        }
    }

    /// <summary>A note (info level).</summary>
    public void Info(string text) => Say(LogLevel.Info, text);

    /// <summary>A warning.</summary>
    public void Warn(string text) => Say(LogLevel.Warn, "warning: " + text);
}
