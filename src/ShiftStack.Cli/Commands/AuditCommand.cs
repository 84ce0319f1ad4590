using System.CommandLine;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Audit;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack audit cluster</c>: the cluster's dual-stack invariants checked against the live cloud, read-only;
/// <c>--fix</c> repairs the drift through the plan executor of <c>create cluster</c>, then audits again.
/// Exit 0 when there is no drift (after <c>--fix</c>: none left), 2 when there is, 3 when the cloud cannot be asked or a
/// repair failed.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliConsole console, Invocation invocation)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var fix = new Option<bool>("--fix") { Description = "Repair the drift (through the same plan and executor as 'create cluster'), then audit again; never touches what is yours" };
        var networkOnly = new Option<bool>("--network-only") { Description = "Audit only the Neutron side (no servers, no server groups)" };
        var cluster = new Command("cluster", "Check the cluster's dual-stack invariants against the cloud: rules, node and VIP ports, servers, leaks")
        {
            dir, cloud, output, fix, networkOnly,
        };
        cluster.SetAction((parse, cancellationToken) => RunAsync(
            console, invocation, parse.GetValue(dir)!, parse.GetValue(cloud), parse.GetValue(output), parse.GetValue(fix), parse.GetValue(networkOnly), cancellationToken));
        return new Command("audit", "Find drift from what the cluster needs on OpenStack") { cluster };
    }

    private static async Task<int> RunAsync(
        CliConsole console, Invocation invocation, string dir, string? cloudOverride, OutputFormat output, bool fix, bool networkOnly, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            throw CommandFailedException.InvalidConfig(file);
        }

        var identity = installation.ReadInfraId() ?? ProvisioningStateStore.TryLoad(dir)?.InfraId
            ?? throw new CommandFailedException($"no cluster in {dir}: neither metadata.json, {InstallationDirectory.OpenShiftInstallStateFileName} nor {ClusterState.RelativePath} names an infraID");
        var state = ProvisioningStateStore.TryLoad(dir) ?? ProvisioningStateStore.Open(dir, identity, null);
        var cloudName = string.IsNullOrEmpty(cloudOverride) ? state.Cloud ?? file.Config!.Platform.OpenStack?.Cloud : cloudOverride;
        using var log = new FileLog(installation.LogPath);
        invocation.LogPath = log.Path;
        using var clients = await Clients.OpenAsync(cloudName, invocation.ClientOptions(log), compute: !networkOnly, cancellationToken, computeOptional: true).ConfigureAwait(false);
        log.Write("shiftstack", Microsoft.Extensions.Logging.LogLevel.Information, $"audit cluster {identity}{(fix ? " --fix" : string.Empty)} with cloud {cloudName}");
        var progressWriter = output == OutputFormat.Json ? console.Error : console.Out;

        var report = await ClusterAuditor.AuditAsync(file.Config!, identity, clients.Network, clients.Compute, state, cancellationToken).ConfigureAwait(false);
        ProvisioningResult? repaired = null;
        AuditReport? after = null;
        if (fix && report.Repair.Plan.Steps.Count > 0)
        {
            invocation.Resumable = true;
            if (output != OutputFormat.Json)
            {
                AuditRenderer.FixPlan(console.Out, report);
            }

            var started = DateTimeOffset.UtcNow;
            var before = clients.Network.Requests.Total;
            var execution = await ProgressDisplay.RunAsync(console, progressWriter, $"audit --fix {identity}", progress =>
                ClusterProvisioner.ExecuteAsync(report.Repair, clients.Network, null, state,
                    new ProvisioningOptions { Scope = ProvisioningScope.NetworkOnly, Progress = log.Tee(progress) }, cancellationToken)).ConfigureAwait(false);
            repaired = new ProvisioningResult(report.Repair, execution, clients.Network.Requests.Total - before, new Dictionary<ShiftStack.OpenStack.RequestKey, long>(), DateTimeOffset.UtcNow - started);
            after = await ClusterAuditor.AuditAsync(file.Config!, identity, clients.Network, clients.Compute, state, cancellationToken).ConfigureAwait(false);
        }

        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json => AuditRenderer.Json(json, report, repaired, after));
        }
        else
        {
            AuditRenderer.Text(console.Out, report, repaired, after);
        }

        if (repaired is { Succeeded: false })
        {
            return ExitCodes.CloudError;
        }

        return (after ?? report).Clean ? ExitCodes.Ok : ExitCodes.InvalidInput;
    }
}
