using System.CommandLine;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Validation;

namespace ShiftStack.Cli.Commands;

/// <summary><c>shiftstack validate</c>: the verdict openshift-install would give on an install-config.</summary>
internal static class ValidateCommand
{
    public static Command Create(Console console)
    {
        var dir = CommonOptions.Dir();
        var offline = new Option<bool>("--offline") { Description = "Static checks only; do not contact the cloud" };
        var output = CommonOptions.Output();
        var command = new Command("validate", "Load install-config.yaml as openshift-install does and report every problem at once")
        {
            dir, offline, output,
        };
        command.SetAction(parse =>
        {
            var file = InstallConfigFile.Load(parse.GetValue(dir)!);
            var valid = file.IsValid;
            var summary = $"{file.Path}: valid{(parse.GetValue(offline) ? " (static checks; cloud checks skipped: --offline)" : " (static checks)")}";
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                using var stdout = console.OpenStandardOutput();
                FindingsRenderer.WriteJson(stdout, file.Path, valid, file.Findings);
            }
            else
            {
                FindingsRenderer.WriteText(console.Out, file.Path, valid, file.Findings, summary);
            }
            return valid ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }
}
