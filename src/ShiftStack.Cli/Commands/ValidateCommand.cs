using System.CommandLine;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Preflight;
using ShiftStack.Installer.Validation;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack validate</c>: the verdict openshift-install would give on an install-config — static checks, then
/// the cloud (pre-flight) checks against the cloud named by <c>--cloud</c> or <c>platform.openstack.cloud</c>.
/// Exit 0 valid, 2 invalid, 3 when the cloud cannot be asked (unknown in clouds.yaml, unreachable, credentials refused).
/// </summary>
internal static class ValidateCommand
{
    private const string StaticErrorsStop =
        "cloud checks not run: fix the errors above first (openshift-install also stops after static validation errors)";

    public static Command Create(CliConsole console, Invocation invocation)
    {
        var dir = CommonOptions.Dir();
        var offline = new Option<bool>("--offline") { Description = "Static checks only; do not contact the cloud" };
        var cloudOption = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var command = new Command("validate", "Load install-config.yaml as openshift-install does, check it against the cloud, and report every problem at once")
        {
            dir, offline, cloudOption, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // install-config.yaml, or (after openshift-install consumed it) the config in its state file; both must agree.
            var file = InstallationDirectory.Open(parse.GetValue(dir)!).LoadConfig();
            var json = parse.GetValue(output) == OutputFormat.Json;
            var os = file.Config?.Platform.OpenStack;

            if (!file.IsValid || parse.GetValue(offline) || os is null)
            {
                // Said only when a cloud check was asked for, and only to people: JSON has cloudChecked.
                var note = !file.IsValid ? (parse.GetValue(offline) || json ? null : StaticErrorsStop)
                    : parse.GetValue(offline) ? null
                    : "cloud checks skipped: the install-config has no platform.openstack";
                var summary = $"{file.Path}: valid{(parse.GetValue(offline) ? " (static checks; cloud checks skipped: --offline)" : " (static checks)")}";
                Render(console, json, file, file.Findings, file.IsValid, summary, cloudChecked: false, cloudName: null, failure: null, note);
                return file.IsValid ? ExitCodes.Ok : ExitCodes.InvalidInput;
            }

            var cloudName = parse.GetValue(cloudOption) is { Length: > 0 } given ? given : os.Cloud ?? "openstack";
            var outcome = await ProgressDisplay.CloudStepAsync(console, $"validate {file.Path}",
                $"pre-flight with cloud {cloudName}: Keystone, then the Neutron look-ups (subnets, network, VIP ports, quotas)",
                () => CloudCheck.RunAsync(file.Config!, cloudName, options: invocation.ClientOptions(), cancellationToken: cancellationToken),
                o => o.Result is null ? "the cloud could not be asked (below)" : null).ConfigureAwait(false);
            if (outcome.Result is not { } result)
            {
                Render(console, json, file, file.Findings, valid: false, string.Empty, cloudChecked: false, cloudName, outcome.Failure, note: null);
                var failure = CloudFailure(outcome.Failure!);
                await console.Error.WriteLineAsync("shiftstack: " + failure.Text).ConfigureAwait(false);
                return failure.ExitCode;
            }

            var findings = file.Findings
                .Concat(result.Errors.Select(e => Finding.From(e, file.Source)))
                .Concat(result.Warnings.Select(w => Finding.From(w, file.Source)))
                .ToList();
            var valid = result.IsValid;
            Render(console, json, file, findings, valid, $"{file.Path}: valid (static and cloud checks against cloud '{outcome.CloudName}')",
                cloudChecked: true, outcome.CloudName, failure: null, note: null);
            return valid ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }

    private static Failure CloudFailure(string failure) =>
        new(ExitCodes.CloudError, "cloud", $"cannot run the cloud checks against {failure}");

    private static void Render(CliConsole console, bool json, InstallConfigFile file, IReadOnlyList<Finding> findings, bool valid, string summary,
        bool cloudChecked, string? cloudName, string? failure, string? note)
    {
        if (json)
        {
            FindingsRenderer.WriteJson(console, file.Path, valid, findings, w =>
            {
                w.WriteBoolean("cloudChecked", cloudChecked);
                if (cloudName is not null)
                {
                    w.WriteString("cloud", cloudName);
                }

                if (failure is not null)
                {
                    w.WriteString("cloudError", failure);
                    FailureRenderer.WriteError(w, CloudFailure(failure));
                }

                if (note is not null)
                {
                    w.WriteString("note", note);
                }
            });
            return;
        }

        if (failure is not null)
        {
            // The findings so far (static warnings); the failure itself goes to standard error.
            foreach (var f in findings)
            {
                console.Out.WriteLine($"{f.Position?.ToString() ?? file.Path}: warning: {f.Message}");
            }

            return;
        }

        FindingsRenderer.WriteText(console.Out, file.Path, valid, findings, summary);
        if (note is not null)
        {
            console.Out.WriteLine($"{file.Path}: {note}");
        }
    }
}
