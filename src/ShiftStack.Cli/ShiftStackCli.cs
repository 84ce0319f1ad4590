using System.CommandLine;
using System.CommandLine.Invocation;
using ShiftStack.Cli.Commands;
using ShiftStack.Cli.Rendering;

namespace ShiftStack.Cli;

/// <summary>
/// Builds the command tree and runs it. This is the CLI's edge: every failure a command throws is mapped here, once,
/// to its exit code and printed the way the command prints (<see cref="Failures"/>, <see cref="FailureRenderer"/>);
/// parse errors are exit 2, Ctrl+C is exit 130 with one "cancelled" line, the <c>--timeout</c> deadline exit 3.
/// </summary>
internal static class ShiftStackCli
{
    private const string Description = "ShiftStack: install OpenShift on OpenStack with dual-stack (IPv4 + IPv6) networking";

    public static RootCommand Build(CliConsole console, Invocation invocation)
    {
        RootCommand root = null!;
        root = new RootCommand(Description)
        {
            ValidateCommand.Create(console, invocation),
            CreateCommand.Create(console, invocation),
            ConvertCommand.Create(console, invocation),
            AddressesCommand.Create(console, invocation),
            ClusterCommands.Destroy(console, invocation),
            AuditCommand.Create(console, invocation),
            VersionCommand.Create(console),
            CompletionCommand.Create(console, () => root),
        };
        root.Options.Add(CommonOptions.LogLevelOption());
        root.Options.Add(CommonOptions.Timeout());

        // --version prints what 'shiftstack version' prints.
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction(console);
        }

        return root;
    }

    /// <summary>Runs the command line; Ctrl+C (as <paramref name="cancellationToken"/>) is exit 130.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var invocation = new Invocation();
        using var deadline = invocation.Deadline;
        var root = Build(console, invocation);
        var parse = root.Parse(args);
        invocation.Output = OutputOf(parse);
        console.Level = Global(parse, root, "--log-level", LogLevel.Info);
        if (parse.Errors.Count > 0 && parse.Action is not VersionAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"shiftstack: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Run 'shiftstack --help' for usage.").ConfigureAwait(false);
            if (invocation.Output == OutputFormat.Json)
            {
                var message = string.Join("; ", parse.Errors.Select(e => e.Message));
                JsonOutput.Write(console, json => FailureRenderer.WriteError(json,
                    new Failure(ExitCodes.InvalidInput, "input", message) { Hint = "run 'shiftstack --help' for usage" }));
            }

            return ExitCodes.InvalidInput;
        }

        var commandPath = string.Join(' ', CommandPath(parse.CommandResult));
        deadline.Start(Global<TimeSpan?>(parse, root, "--timeout", null) ?? Deadline.DefaultFor(commandPath));
        invocation.Waits = new WaitReporter(console, deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var code = await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = console.Out,
                    Error = console.Error,
                    EnableDefaultExceptionHandler = false,
                    // Ctrl+C is the caller's (Program: the token), so that every command ends the same way.
                    ProcessTerminationTimeout = null,
                },
                linked.Token).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                // The command stopped on Ctrl+C without throwing: it is still a cancellation.
                return Cancelled(console, invocation);
            }

            return code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled(console, invocation);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            var waiting = invocation.Waits.LastWait is { } w ? $": still waiting for {w}" : string.Empty;
            var failure = new Failure(ExitCodes.CloudError, "timeout", $"{commandPath} gave up after {Duration.Format(deadline.Timeout!.Value)} (--timeout){waiting}")
            {
                Hint = invocation.Resumable
                    ? "re-run the command with a longer --timeout: it continues where it stopped"
                    : "check that the cloud is reachable from here, or allow longer with --timeout",
            };
            FailureRenderer.Write(console, failure, invocation.Output);
            return failure.ExitCode;
        }
        catch (Exception e)
        {
            var failure = Failures.From(e, invocation)
                ?? new Failure(ExitCodes.Failure, "internal", "unexpected failure: " + e.Message) { Hint = "this is a bug in ShiftStack; please report it with the command line" };
            FailureRenderer.Write(console, failure, invocation.Output);
            return failure.ExitCode;
        }
    }

    private static int Cancelled(CliConsole console, Invocation invocation)
    {
        var failure = new Failure(ExitCodes.Cancelled, "cancelled", "cancelled")
        {
            Hint = invocation.Resumable ? "re-run the command: it continues where it stopped" : null,
        };
        // One line on standard error whatever the output format (a person pressed Ctrl+C), and the JSON document.
        console.Error.WriteLine("shiftstack: " + failure.Text);
        if (invocation.Output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json => FailureRenderer.WriteError(json, failure));
        }

        return ExitCodes.Cancelled;
    }

    /// <summary>The names from the root's child down to <paramref name="command"/>, e.g. <c>create cluster</c>.</summary>
    private static List<string> CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (var c = command; c?.Parent is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, c.Command.Name);
        }

        return names;
    }

    /// <summary>A root option's value, or <paramref name="fallback"/> when it did not parse.</summary>
    private static T Global<T>(ParseResult parse, RootCommand root, string name, T fallback)
    {
        var option = root.Options.OfType<Option<T>>().First(o => o.Name == name);
        try
        {
            return parse.GetValue(option)!;
        }
        catch (InvalidOperationException)
        {
            return fallback;
        }
    }

    /// <summary>The command's <c>--output</c>, if it has one and it parsed.</summary>
    private static OutputFormat OutputOf(ParseResult parse)
    {
        var option = parse.CommandResult.Command.Options.OfType<Option<OutputFormat>>().FirstOrDefault();
        if (option is null)
        {
            return OutputFormat.Text;
        }

        try
        {
            return parse.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return OutputFormat.Text;
        }
    }

    /// <summary><c>shiftstack --version</c>.</summary>
    private sealed class VersionAction(CliConsole console) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            VersionCommand.Write(console, OutputFormat.Text);
            return ExitCodes.Ok;
        }
    }
}
