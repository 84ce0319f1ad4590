using System.CommandLine;
using ShiftStack.Cli.Commands;
using ShiftStack.Cli.Rendering;

namespace ShiftStack.Cli;

/// <summary>
/// Builds the command tree and runs it. This is the CLI's edge: every failure a command throws is mapped here, once,
/// to its exit code and printed the way the command prints (<see cref="Failures"/>, <see cref="FailureRenderer"/>);
/// parse errors are exit 2, Ctrl+C is exit 130.
/// </summary>
internal static class ShiftStackCli
{
    public static RootCommand Build(CliConsole console, Invocation invocation) =>
        new("ShiftStack: install OpenShift on OpenStack with dual-stack (IPv4 + IPv6) networking")
        {
            ValidateCommand.Create(console),
            CreateCommand.Create(console, invocation),
            ConvertCommand.Create(console, invocation),
            AddressesCommand.Create(console),
            ClusterCommands.Destroy(console, invocation),
            AuditCommand.Create(console, invocation),
        };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var invocation = new Invocation();
        var root = Build(console, invocation);
        var parse = root.Parse(args);
        invocation.Output = OutputOf(parse);
        if (parse.Errors.Count > 0)
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

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("shiftstack: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            var failure = Failures.From(e, invocation)
                ?? new Failure(ExitCodes.Failure, "internal", "unexpected failure: " + e.Message) { Hint = "this is a bug in ShiftStack; please report it with the command line" };
            FailureRenderer.Write(console, failure, invocation.Output);
            return failure.ExitCode;
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
}
