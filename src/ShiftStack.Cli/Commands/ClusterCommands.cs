using System.CommandLine;
using System.Text.Json;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Destroy;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack create cluster</c> (plan, then create what the cluster needs on OpenStack) and
/// <c>shiftstack destroy cluster</c> (remove it again).
/// </summary>
internal static class ClusterCommands
{
    /// <summary>The <c>cluster</c> subcommand of <c>create</c>.</summary>
    public static Command CreateCluster(CliConsole console, Invocation invocation)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output(graphs: true);
        var plan = new Option<bool>("--plan") { Description = "Print the resources and API calls without changing anything" };
        var networkOnly = new Option<bool>("--network-only")
        {
            Description = "Only the Neutron side: security groups, VIP ports, node ports, bootstrap floating IP (no servers)",
        };
        var allowPreview = new Option<bool>(IgnitionDelivery.AllowPreviewOption)
        {
            Description = "Boot the servers with ShiftStack's preview Ignition ('shiftstack create ignition-configs'): they cannot form a cluster; for testing the OpenStack side",
        };
        var createWorkers = new Option<bool>("--create-workers")
        {
            Description = "Also create the worker pool's replicas as servers booted with worker.ign (as the UPI compute-nodes playbook does); by default the machine API creates the workers after installation",
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Requests in flight at most (fewer while a service answers slowly)",
            DefaultValueFactory = _ => 8,
            HelpName = "N",
        };
        var command = new Command("cluster", "Create on OpenStack everything the cluster needs (security groups, VIP port changes, ports, servers), converging on a re-run")
        {
            dir, cloud, output, plan, networkOnly, allowPreview, createWorkers, concurrency,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(output) is OutputFormat.Mermaid or OutputFormat.Dot && !r.GetValue(plan))
            {
                r.AddError("-o mermaid and -o dot draw the plan: add --plan");
            }
        });
        command.SetAction((parse, cancellationToken) => CreateAsync(
            console,
            invocation,
            parse.GetValue(dir)!,
            parse.GetValue(cloud),
            parse.GetValue(output),
            parse.GetValue(plan),
            parse.GetValue(networkOnly) ? ProvisioningScope.NetworkOnly : ProvisioningScope.Cluster,
            parse.GetValue(allowPreview),
            parse.GetValue(createWorkers),
            Math.Clamp(parse.GetValue(concurrency), 1, 64),
            cancellationToken));
        return command;
    }

    /// <summary><c>shiftstack destroy</c> with its <c>cluster</c> subcommand.</summary>
    public static Command Destroy(CliConsole console, Invocation invocation)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var cluster = new Command("cluster", "Delete every resource tagged with the cluster's ID and undo ShiftStack's changes to the VIP ports")
        {
            dir, cloud, output,
        };
        cluster.SetAction((parse, cancellationToken) => DestroyAsync(console, invocation, parse.GetValue(dir)!, parse.GetValue(cloud), parse.GetValue(output), bootstrapOnly: false, cancellationToken));
        var bootstrapDir = CommonOptions.Dir();
        var bootstrapCloud = CommonOptions.Cloud();
        var bootstrapOutput = CommonOptions.Output();
        var bootstrap = new Command("bootstrap", "After 'openshift-install wait-for bootstrap-complete': delete the bootstrap server, its ports, its floating IP and the Glance image of its Ignition, nothing else")
        {
            bootstrapDir, bootstrapCloud, bootstrapOutput,
        };
        bootstrap.SetAction((parse, cancellationToken) => DestroyAsync(console, invocation, parse.GetValue(bootstrapDir)!, parse.GetValue(bootstrapCloud), parse.GetValue(bootstrapOutput), bootstrapOnly: true, cancellationToken));
        return new Command("destroy", "Remove what ShiftStack created") { cluster, bootstrap };
    }

    private static async Task<int> CreateAsync(
        CliConsole console, Invocation invocation, string dir, string? cloudOverride, OutputFormat output, bool planOnly, ProvisioningScope scope, bool allowPreview, bool createWorkers, int concurrency,
        CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            throw CommandFailedException.InvalidConfig(file);
        }

        var cloudName = FirstNonEmpty(CreateCommand.GivenCloud(console, installation, installation.ReadOptions(), cloudOverride), file.Config!.Platform.OpenStack?.Cloud);
        using var log = new FileLog(installation.LogPath);
        invocation.LogPath = log.Path;
        using var clients = await Clients.OpenAsync(cloudName, invocation.ClientOptions(log), scope == ProvisioningScope.Cluster, cancellationToken).ConfigureAwait(false);

        // As 'openshift-install create cluster' does, a directory with only install-config.yaml gets the assets the run
        // needs first, and nothing it has is overwritten: the cluster's identity and metadata.json when it names no
        // cluster yet, ShiftStack's (preview) Ignition when it has none and the servers may boot it.
        var identity = installation.ReadInfraId();
        NetworkFacts? networkFacts = null; // looked up once: by the assets when they are made here, else by provisioning
        ClusterMachines? machines = null; // described once: by the assets when they are made here, else by provisioning
        var missing = identity is null ? "no cluster identity (metadata.json)" : "no Ignition configs";
        var needIgnition = scope == ProvisioningScope.Cluster && allowPreview && installation.Ignition == IgnitionOrigin.None;
        var needIdentity = identity is null && (scope == ProvisioningScope.NetworkOnly || allowPreview);
        if (!installation.IsOpenShiftInstallDirectory && (needIgnition || needIdentity))
        {
            var target = needIgnition ? AssetTarget.IgnitionConfigs : AssetTarget.Metadata;
            var what = needIgnition ? "ShiftStack's preview Ignition configs, metadata.json and the cluster's identity" : "the cluster's identity and metadata.json";
            invocation.EditedFilesHint = "create cluster never overwrites a file it finds: move them away, or generate the assets with 'shiftstack create ignition-configs --force'";
            console.Info($"{dir} has {missing} yet: generating {what} first (as 'shiftstack create ignition-configs' does)");
            var (store, files) = await CreateCommand.GenerateAsync(console, dir, target, clients.Network, clients.Network.Identity.Cloud, force: false, cancellationToken).ConfigureAwait(false);
            networkFacts = (await store.GetAsync(InstallAssets.Facts, cancellationToken).ConfigureAwait(false)).Network;
            machines = await store.GetAsync(InstallAssets.Machines, cancellationToken).ConfigureAwait(false);
            foreach (var f in files)
            {
                console.Info($"wrote {Path.Combine(dir, f.Path)}{(f.IsSecret ? " (0600)" : string.Empty)}");
            }

            identity = installation.ReadInfraId();
        }

        if (identity is null)
        {
            throw new CommandFailedException(
                $"{dir} has {missing}: for a cluster, run 'openshift-install create manifests' and 'openshift-install create ignition-configs --dir {dir}' first, then this command again. "
                + $"To test only the OpenStack side, add {IgnitionDelivery.AllowPreviewOption} (ShiftStack makes its preview assets; the servers cannot form a cluster) or --network-only (no servers)");
        }

        // Which Ignition the servers boot with is decided before anything is sent.
        IgnitionDelivery? ignition;
        try
        {
            var proxy = file.Config!.Proxy is { } p ? new ShimProxy(p.HttpProxy, p.HttpsProxy, p.NoProxy) : null;
            ignition = IgnitionDelivery.Decide(installation, scope, allowPreview, ReadCaBundle(clients.Network.Identity.Cloud), proxy, out var warning);
            if (warning is not null)
            {
                console.Say(LogLevel.Warn, warning);
            }

            foreach (var note in IgnitionChecks.Check(installation, file.Config!, ignition))
            {
                console.Info(note);
            }
        }
        catch (ProvisioningException e) when (planOnly)
        {
            // A plan is still useful without the servers' Ignition: say why it is missing and go on.
            console.Info("note: " + e.Message);
            ignition = null;
        }

        log.Write("shiftstack", Microsoft.Extensions.Logging.LogLevel.Information, $"create cluster {identity} ({(planOnly ? "plan" : scope.ToString())}) with cloud {cloudName}");
        var state = ProvisioningStateStore.Open(dir, identity, cloudName);
        if (planOnly)
        {
            var prepared = await ClusterProvisioner.PrepareAsync(file.Config!, identity, clients.Network, clients.Compute, state, new ProvisioningOptions { Scope = scope, Ignition = ignition, CreateWorkers = createWorkers, NetworkFacts = networkFacts, Machines = machines }, cancellationToken).ConfigureAwait(false);
            switch (output)
            {
                case OutputFormat.Json:
                    JsonOutput.Write(console, json => ClusterRenderer.PlanJson(json, prepared));
                    break;
                case OutputFormat.Mermaid:
                    PlanGraphRenderer.Mermaid(console.Out, prepared.Plan);
                    break;
                case OutputFormat.Dot:
                    PlanGraphRenderer.Dot(console.Out, prepared.Plan);
                    break;
                default:
                    ClusterRenderer.PlanText(console.Out, prepared);
                    break;
            }

            return ExitCodes.Ok;
        }

        invocation.Resumable = true;
        var progressWriter = output == OutputFormat.Json ? console.Error : console.Out;
        var result = await ProgressDisplay.RunAsync(console, progressWriter, $"create cluster {identity}", progress =>
            ClusterProvisioner.ProvisionAsync(file.Config!, identity, clients.Network, clients.Compute, state, new ProvisioningOptions
            {
                Scope = scope,
                CreateWorkers = createWorkers,
                Concurrency = concurrency,
                AssetDirectory = dir,
                Ignition = ignition,
                NetworkFacts = networkFacts,
                Machines = machines,
                Progress = log.Tee(progress),
            }, cancellationToken)).ConfigureAwait(false);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json => ClusterRenderer.ResultJson(json, identity, result, invocation.Waits?.Said ?? 0));
        }
        else
        {
            ClusterRenderer.ResultText(console.Out, identity, result, log.Path, invocation.Waits?.Said ?? 0);
        }

        return result.Succeeded ? ExitCodes.Ok : ExitCodes.CloudError;
    }

    private static async Task<int> DestroyAsync(
        CliConsole console, Invocation invocation, string dir, string? cloudOverride, OutputFormat output, bool bootstrapOnly, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var identity = installation.ReadInfraId() ?? ProvisioningStateStore.TryLoad(dir)?.InfraId
            ?? throw new CommandFailedException($"no cluster in {dir}: neither metadata.json, {InstallationDirectory.OpenShiftInstallStateFileName} nor {ClusterState.RelativePath} names an infraID");
        var metadataCloud = installation.ReadMetadataCloud();
        var state = ProvisioningStateStore.TryLoad(dir) ?? ProvisioningStateStore.Open(dir, identity, null);
        var configFile = installation.LoadConfig();
        var cloudName = FirstNonEmpty(cloudOverride, state.Cloud, metadataCloud, configFile.Config?.Platform.OpenStack?.Cloud);
        using var log = new FileLog(installation.LogPath);
        invocation.LogPath = log.Path;
        invocation.Resumable = true;
        using var clients = await Clients.OpenAsync(cloudName, invocation.ClientOptions(log), compute: true, cancellationToken, computeOptional: true).ConfigureAwait(false);
        var what = bootstrapOnly ? "destroy bootstrap" : "destroy cluster";
        log.Write("shiftstack", Microsoft.Extensions.Logging.LogLevel.Information, $"{what} {identity} with cloud {cloudName}");
        var progressWriter = output == OutputFormat.Json ? console.Error : console.Out;
        var result = await ProgressDisplay.RunAsync(console, progressWriter, $"{what} {identity}", progress =>
        {
            var options = new DestroyOptions { Progress = log.Tee(progress) };
            return bootstrapOnly
                ? BootstrapDestroyer.DestroyAsync(clients.Network, clients.Compute, identity, state, options, cancellationToken)
                : ClusterDestroyer.DestroyAsync(clients.Network, clients.Compute, identity, state, options, cancellationToken);
        }).ConfigureAwait(false);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json => ClusterRenderer.DestroyJson(json, identity, result));
        }
        else
        {
            ClusterRenderer.DestroyText(console.Out, identity, result, bootstrapOnly);
        }

        return result.Succeeded ? ExitCodes.Ok : ExitCodes.CloudError;
    }

    private static string? ReadCaBundle(CloudConfig cloud) =>
        string.IsNullOrEmpty(cloud.CaCertFile) ? null : File.ReadAllText(cloud.CaCertFile);

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
