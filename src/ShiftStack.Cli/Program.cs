using ShiftStack.Cli;

return await ShiftStackCli.RunAsync(args, ShiftStack.Cli.Console.System).ConfigureAwait(false);
