using System.Runtime.InteropServices;
using ShiftStack.Cli;

// Ctrl+C (and SIGTERM) cancel the command, which then prints one "cancelled" line and exits 130; a second Ctrl+C
// ends the process at once.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

return await ShiftStackCli.RunAsync(args, CliConsole.Standard, cancel.Token).ConfigureAwait(false);
