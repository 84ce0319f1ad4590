using ShiftStack.Cli;

return await ShiftStackCli.RunAsync(args, ShiftStack.Cli.CliConsole.Standard).ConfigureAwait(false);
