using System.CommandLine;
using ShiftStack.Cli.Commands;

namespace ShiftStack.Cli;

/// <summary>Builds the command tree and runs it: parse errors are exit 2, Ctrl+C is exit 130.</summary>
internal static class ShiftStackCli
{
    public static RootCommand Build(CliConsole console) =>
        new("ShiftStack: install OpenShift on OpenStack with dual-stack (IPv4 + IPv6) networking")
        {
            ValidateCommand.Create(console),
            CreateCommand.Create(console),
            ConvertCommand.Create(console),
            AddressesCommand.Create(console),
            ClusterCommands.Destroy(console),
        };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Build(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"shiftstack: {error.Message}").ConfigureAwait(false);
            }
            await console.Error.WriteLineAsync("Run 'shiftstack --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("shiftstack: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }
}
