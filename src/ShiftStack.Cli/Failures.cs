using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;

namespace ShiftStack.Cli;

/// <summary>
/// Why a command stopped, as the user is told it: the exit code (<see cref="ExitCodes"/>), a kind for scripts, the
/// message and, when there is one, what to do. Rendered once, at the CLI's edge (<see cref="FailureRenderer"/>): a
/// <c>shiftstack: message (hint)</c> line on standard error, or with <c>-o json</c> an <c>error</c> object with the same
/// fields on standard output.
/// </summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Kind">
/// <c>input</c> (arguments, the installation directory), <c>install-config</c> (static validation failed),
/// <c>clouds.yaml</c> (no usable cloud entry), <c>cloud</c> (the cloud failed a request or could not be reached),
/// <c>edited</c> (a generated file was changed since ShiftStack wrote it, or ShiftStack never wrote it: nothing was
/// written), <c>file</c> (a local file could not be read or written).
/// </param>
/// <param name="Message">What went wrong.</param>
internal sealed record Failure(int ExitCode, string Kind, string Message)
{
    /// <summary>What to do about it, if the command knows.</summary>
    public string? Hint { get; init; }

    /// <summary>For <c>install-config</c>: the file and its findings.</summary>
    public InstallConfigFile? File { get; init; }

    /// <summary>For <c>edited</c>: the files in the way.</summary>
    public IReadOnlyList<EditedFile>? EditedFiles { get; init; }

    /// <summary>The text line, without the <c>shiftstack: </c> prefix.</summary>
    public string Text => Hint is null ? Message : $"{Message} ({Hint})";
}

/// <summary>A command stopped with a <see cref="Failure"/> it describes itself.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException()
        : this(new Failure(ExitCodes.Failure, "internal", "the command failed"))
    {
    }

    public CommandFailedException(string message)
        : this(new Failure(ExitCodes.InvalidInput, "input", message))
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException) => Failure = new Failure(ExitCodes.InvalidInput, "input", message);

    public CommandFailedException(Failure failure)
        : base(failure.Message) => Failure = failure;

    public Failure Failure { get; }

    /// <summary>The install-config of <paramref name="file"/> failed static validation.</summary>
    public static CommandFailedException InvalidConfig(InstallConfigFile file)
    {
        var errors = file.Errors.Count();
        return new(new Failure(ExitCodes.InvalidInput, "install-config", $"{file.Path}: invalid: {errors} error{(errors == 1 ? string.Empty : "s")}")
        {
            File = file,
        });
    }
}

/// <summary>
/// What the running command knows that makes a failure's hint precise: where its requests are logged, whether a re-run
/// continues. Set by the command, read by <see cref="Failures.From"/>.
/// </summary>
internal sealed class Invocation
{
    /// <summary>How the command prints (text or JSON); failures are printed the same way.</summary>
    public OutputFormat Output { get; set; }

    /// <summary>The command's request log, named in the hint of a cloud failure.</summary>
    public string? LogPath { get; set; }

    /// <summary>True when running the command again continues where it stopped (said in the hint of a cloud failure).</summary>
    public bool Resumable { get; set; }

    /// <summary>The hint of a clouds.yaml failure, when the command can do without the cloud.</summary>
    public string? CloudConfigHint { get; set; }

    /// <summary>What to do about generated files in the way of a write (the command's <c>--force</c>, by default).</summary>
    public string EditedFilesHint { get; set; } = "to overwrite, run the command again with --force";

    /// <summary>The command's overall deadline (<c>--timeout</c>).</summary>
    public Deadline Deadline { get; } = new();

    /// <summary>Says on standard error what the command waits for (and, at debug level, every request).</summary>
    public WaitReporter? Waits { get; set; }

    /// <summary>
    /// The options every OpenStack client of the command is made with: its waits said (<see cref="Waits"/>), its
    /// requests logged to <paramref name="log"/> when the command keeps a log.
    /// </summary>
    public OpenStackClientOptions ClientOptions(ILoggerFactory? log = null) => new()
    {
        LoggerFactory = log ?? NullLoggerFactory.Instance,
        Observer = Waits,
    };
}

/// <summary>The one mapping from what the libraries throw to what the user is told and the exit code.</summary>
internal static class Failures
{
    /// <summary>The failure <paramref name="exception"/> stands for, or null for a bug (not the user's, not the cloud's).</summary>
    public static Failure? From(Exception exception, Invocation invocation) => exception switch
    {
        CommandFailedException c => c.Failure,
        CloudConfigException e => new Failure(ExitCodes.CloudError, "clouds.yaml", "clouds.yaml: " + e.Message) { Hint = invocation.CloudConfigHint },
        OpenStackException e => Cloud("OpenStack request failed: " + e.Message, invocation),
        EditedFilesException e => new Failure(ExitCodes.InvalidInput, "edited", e.Message) { Hint = invocation.EditedFilesHint, EditedFiles = e.Files },
        AssetException { IsCloudError: true } e => Cloud(e.Message, invocation),
        AssetException e => new Failure(ExitCodes.InvalidInput, "input", e.Message),
        ConversionException { InnerException: OpenStackException } e => Cloud(e.Message, invocation),
        ConversionException e => new Failure(ExitCodes.InvalidInput, "input", e.Message),
        ProvisioningException e => new Failure(ExitCodes.InvalidInput, "input", e.Message),
        InstallationDirectoryException e => new Failure(ExitCodes.InvalidInput, "input", e.Message),
        FormatException e => new Failure(ExitCodes.InvalidInput, "input", e.Message),
        IOException or UnauthorizedAccessException => new Failure(ExitCodes.Failure, "file", "cannot read or write a file: " + exception.Message),
        _ => null,
    };

    private static Failure Cloud(string message, Invocation invocation)
    {
        var hints = new List<string>();
        if (invocation.Resumable)
        {
            hints.Add("re-run the command: it continues where it stopped");
        }

        if (invocation.LogPath is not null)
        {
            hints.Add($"requests are logged in {invocation.LogPath}");
        }

        return new Failure(ExitCodes.CloudError, "cloud", message) { Hint = hints.Count == 0 ? null : string.Join("; ", hints) };
    }
}
