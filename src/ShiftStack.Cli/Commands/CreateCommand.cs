using System.CommandLine;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack create manifests|ignition-configs</c>: generate the target assets of the verb and write their files
/// under <c>--dir</c>, as <c>openshift-install create …</c> does.
/// </summary>
internal static class CreateCommand
{
    public static Command Create(CliConsole console, Invocation invocation)
    {
        var create = new Command("create", "Generate installation assets under --dir");
        create.Subcommands.Add(Verb(console, invocation, AssetTarget.Manifests,
            "Generate the manifests: MAPI Machines/MachineSets/ControlPlaneMachineSet, CAPO OpenStackCluster/OpenStackMachines, config CRs, MachineConfigs"));
        create.Subcommands.Add(Verb(console, invocation, AssetTarget.IgnitionConfigs,
            "Generate bootstrap.ign, master.ign, worker.ign and metadata.json"));
        create.Subcommands.Add(ClusterCommands.CreateCluster(console, invocation));
        return create;
    }

    private static Command Verb(CliConsole console, Invocation invocation, AssetTarget target, string description)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var offline = new Option<bool>("--offline")
        {
            Description = "Do not contact the cloud; fail if a value only the cloud knows is required (kept for later runs on --dir; --offline false asks the cloud again)",
        };
        var output = CommonOptions.Output();
        var force = CommonOptions.Force();
        var command = new Command(target.Name, description) { dir, cloud, offline, output, force };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(console, invocation, target, parse.GetValue(dir)!, parse.GetValue(cloud),
                parse.GetResult(offline) is { Implicit: false } ? parse.GetValue(offline) : null, parse.GetValue(output), parse.GetValue(force), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Invocation invocation, AssetTarget target, string dir, string? cloudOverride, bool? offlineGiven,
        OutputFormat output, bool force, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        if (installation.IsOpenShiftInstallDirectory)
        {
            // ShiftStack's generators would overwrite openshift-install's files (bootstrap.ign, metadata.json, ...)
            // with a preview, and give the cluster a second infraID.
            throw new CommandFailedException(
                $"{dir} is openshift-install's installation directory ({InstallationDirectory.OpenShiftInstallStateFileName}): "
                + $"'shiftstack create {target.Name}' would overwrite its files with ShiftStack's preview; run it on a copy of install-config.yaml in another directory to compare, "
                + "or go on with 'shiftstack create cluster' on this one");
        }

        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            throw CommandFailedException.InvalidConfig(file);
        }

        foreach (var warning in file.Warnings)
        {
            if (console.Level <= LogLevel.Warn)
            {
                await console.Error.WriteLineAsync($"{warning.Position?.ToString() ?? file.Path}: warning: {warning.Message}").ConfigureAwait(false);
            }
        }

        // --offline and --cloud given to an earlier 'create' on this directory hold until given again; a run that
        // names a --cloud but not --offline means to ask that cloud.
        var remembered = installation.ReadOptions();
        var offline = offlineGiven ?? (string.IsNullOrEmpty(cloudOverride) && remembered?.Offline == true);
        if (offlineGiven is null && offline)
        {
            console.Info($"--offline, as the earlier 'shiftstack create' run on {dir} was given ({installation.OptionsPath}); '--offline false' asks the cloud");
        }

        cloudOverride = GivenCloud(console, installation, remembered, cloudOverride);
        var cloudName = string.IsNullOrEmpty(cloudOverride) ? file.Config!.Platform.OpenStack?.Cloud : cloudOverride;
        invocation.CloudConfigHint = "use --offline to generate without the cloud";
        var cloudConfig = offline ? TryLoadCloud(console, cloudName) : new CloudConfigLoader().Load(cloudName);
        using var networking = offline || cloudConfig is null ? null : new NetworkingClient(cloudConfig, invocation.ClientOptions());
        var (store, files) = await GenerateAsync(console, dir, target, networking, cloudConfig, force, cancellationToken).ConfigureAwait(false);
        installation.RememberOptions(new RememberedOptions(offline, string.IsNullOrEmpty(cloudOverride) ? null : cloudOverride));
        var facts = await store.GetAsync(InstallAssets.Facts, cancellationToken).ConfigureAwait(false);
        var identity = await store.GetAsync(InstallAssets.Identity, cancellationToken).ConfigureAwait(false);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json =>
            {
                json.WriteString("cluster", identity.ClusterName);
                json.WriteString("infraID", identity.InfraId);
                json.WriteString("state", ClusterState.PathIn(dir));
                json.WriteStartArray("files");
                foreach (var f in files)
                {
                    json.WriteStartObject();
                    json.WriteString("path", Path.Combine(dir, f.Path));
                    json.WriteBoolean("secret", f.IsSecret);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStrings("notes", facts.Notes);
            });
            return ExitCodes.Ok;
        }

        await console.Out.WriteLineAsync($"cluster {identity.ClusterName}, infraID {identity.InfraId} (state: {ClusterState.PathIn(dir)})").ConfigureAwait(false);
        foreach (var f in files)
        {
            await console.Out.WriteLineAsync($"wrote {Path.Combine(dir, f.Path)}{(f.IsSecret ? " (0600)" : string.Empty)}").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Generates a verb's assets under <paramref name="dir"/> and writes their files: Neutron look-ups through
    /// <paramref name="networking"/> (null: offline), the region and CA bundle from <paramref name="cloudConfig"/>.
    /// Notes on the cloud facts go to stderr. A file in the way (changed since ShiftStack wrote it, or not written by
    /// it) stops the write before anything is written unless <paramref name="force"/>. Used by <c>create manifests|ignition-configs</c> and by
    /// <c>create cluster</c> on a directory that has only <c>install-config.yaml</c>.
    /// </summary>
    internal static async Task<(AssetStore Store, IReadOnlyList<GeneratedFile> Files)> GenerateAsync(
        CliConsole console, string dir, AssetTarget target, NetworkingClient? networking, CloudConfig? cloudConfig, bool force, CancellationToken cancellationToken)
    {
        var inputs = new AssetInputs
        {
            Directory = dir,
            NetworkFacts = networking is null ? null : NetworkFactsCollector.Of(networking),
            CloudSettings = cloudConfig is null ? null : new LocalCloudSettings(cloudConfig.RegionName, ReadCaBundle(cloudConfig)) { Entry = cloudConfig },
        };
        var store = new AssetStore(inputs);
        var files = await target.WriteAsync(store, force, cancellationToken).ConfigureAwait(false);
        var facts = await store.GetAsync(InstallAssets.Facts, cancellationToken).ConfigureAwait(false);
        foreach (var note in facts.Notes)
        {
            console.Info("note: " + note);
        }

        return (store, files);
    }

    /// <summary>
    /// The <c>--cloud</c> of this run: as given, else the one an earlier <c>shiftstack create</c> run on the directory
    /// was given (said on standard error); null for neither (then <c>platform.openstack.cloud</c> decides).
    /// </summary>
    internal static string? GivenCloud(CliConsole console, InstallationDirectory installation, RememberedOptions? remembered, string? cloudOverride)
    {
        if (!string.IsNullOrEmpty(cloudOverride))
        {
            return cloudOverride;
        }

        if (remembered?.Cloud is { } cloud)
        {
            console.Info($"--cloud {cloud}, as the earlier 'shiftstack create' run on {installation.Path} was given ({installation.OptionsPath})");
        }

        return remembered?.Cloud;
    }

    /// <summary>With <c>--offline</c> clouds.yaml is optional: its region and CA bundle are used when it can be read.</summary>
    private static CloudConfig? TryLoadCloud(CliConsole console, string? cloudName)
    {
        try
        {
            return new CloudConfigLoader().Load(cloudName);
        }
        catch (CloudConfigException e)
        {
            console.Warn($"clouds.yaml not read ({e.Message})");
            return null;
        }
    }

    private static string? ReadCaBundle(CloudConfig cloud)
    {
        if (string.IsNullOrEmpty(cloud.CaCertFile))
        {
            return null;
        }
        return File.ReadAllText(cloud.CaCertFile);
    }
}
