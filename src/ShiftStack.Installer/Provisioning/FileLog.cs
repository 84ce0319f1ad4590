using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// A logger factory appending every message (debug and up) to one file: the OpenStack clients log each request and
/// response there, with tokens, passwords and user data already redacted by the client library. Thread-safe.
/// </summary>
public sealed class FileLog : ILoggerFactory
{
    /// <summary>The log file under <c>--dir</c>.</summary>
    public const string RelativePath = Installation.InstallationDirectory.StateDirectoryName + "/shiftstack.log";

    private readonly Lock _lock = new();
    private readonly StreamWriter _writer;
    private bool _disposed;

    /// <summary>Opens (appends to) the log file, creating its directory.</summary>
    public FileLog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>The log of an installation directory.</summary>
    public static FileLog In(string directory) => new(System.IO.Path.Combine(directory, RelativePath));

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Writes one line.</summary>
    public void Write(string category, LogLevel level, string message)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _writer.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            _writer.Write(' ');
            _writer.Write(level.ToString().ToUpperInvariant());
            _writer.Write(' ');
            _writer.Write(category);
            _writer.Write(": ");
            _writer.WriteLine(message);
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _writer.Dispose();
            }
        }
    }

    /// <summary>A progress sink that also writes each event to this log.</summary>
    public IProgressSink Tee(IProgressSink inner) => new TeeSink(this, inner);

    private sealed class Logger(FileLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            log.Write(category, logLevel, exception is null ? message : message + " " + exception.GetType().Name + ": " + exception.Message);
        }
    }

    private sealed class TeeSink(FileLog log, IProgressSink inner) : IProgressSink
    {
        public void Started(string id, string summary)
        {
            log.Write("progress", LogLevel.Information, "start " + id + ": " + summary);
            inner.Started(id, summary);
        }

        public void Completed(string id, string summary)
        {
            log.Write("progress", LogLevel.Information, "done " + id + ": " + summary);
            inner.Completed(id, summary);
        }

        public void Failed(string id, string summary, string error)
        {
            log.Write("progress", LogLevel.Error, "FAILED " + id + ": " + summary + ": " + error);
            inner.Failed(id, summary, error);
        }

        public void Message(string text)
        {
            log.Write("progress", LogLevel.Information, text);
            inner.Message(text);
        }
    }
}
