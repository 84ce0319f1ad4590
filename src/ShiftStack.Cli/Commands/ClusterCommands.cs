using System.CommandLine;
using System.Text.Json;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Destroy;
using ShiftStack.Installer.Installation;
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
    public static Command CreateCluster(CliConsole console)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var plan = new Option<bool>("--plan") { Description = "Print the resources and API calls without changing anything" };
        var networkOnly = new Option<bool>("--network-only")
        {
            Description = "Only the Neutron side: security groups, VIP ports, node ports, bootstrap floating IP (no servers)",
        };
        var allowPreview = new Option<bool>(IgnitionDelivery.AllowPreviewOption)
        {
            Description = "Boot the servers with ShiftStack's preview Ignition ('shiftstack create ignition-configs'): they cannot form a cluster; for testing the OpenStack side",
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Requests in flight at most",
            DefaultValueFactory = _ => 8,
            HelpName = "N",
        };
        var command = new Command("cluster", "Create on OpenStack everything the cluster needs (security groups, VIP port changes, ports, servers), converging on a re-run")
        {
            dir, cloud, output, plan, networkOnly, allowPreview, concurrency,
        };
        command.SetAction((parse, cancellationToken) => CreateAsync(
            console,
            parse.GetValue(dir)!,
            parse.GetValue(cloud),
            parse.GetValue(output),
            parse.GetValue(plan),
            parse.GetValue(networkOnly) ? ProvisioningScope.NetworkOnly : ProvisioningScope.Cluster,
            parse.GetValue(allowPreview),
            Math.Clamp(parse.GetValue(concurrency), 1, 64),
            cancellationToken));
        return command;
    }

    /// <summary><c>shiftstack destroy</c> with its <c>cluster</c> subcommand.</summary>
    public static Command Destroy(CliConsole console)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var cluster = new Command("cluster", "Delete every resource tagged with the cluster's ID and undo ShiftStack's changes to the VIP ports")
        {
            dir, cloud, output,
        };
        cluster.SetAction((parse, cancellationToken) => DestroyAsync(console, parse.GetValue(dir)!, parse.GetValue(cloud), parse.GetValue(output), bootstrapOnly: false, cancellationToken));
        var bootstrapDir = CommonOptions.Dir();
        var bootstrapCloud = CommonOptions.Cloud();
        var bootstrapOutput = CommonOptions.Output();
        var bootstrap = new Command("bootstrap", "After 'openshift-install wait-for bootstrap-complete': delete the bootstrap server, its ports, its floating IP and the Glance image of its Ignition, nothing else")
        {
            bootstrapDir, bootstrapCloud, bootstrapOutput,
        };
        bootstrap.SetAction((parse, cancellationToken) => DestroyAsync(console, parse.GetValue(bootstrapDir)!, parse.GetValue(bootstrapCloud), parse.GetValue(bootstrapOutput), bootstrapOnly: true, cancellationToken));
        return new Command("destroy", "Remove what ShiftStack created") { cluster, bootstrap };
    }

    private static async Task<int> CreateAsync(
        CliConsole console, string dir, string? cloudOverride, OutputFormat output, bool planOnly, ProvisioningScope scope, bool allowPreview, int concurrency, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            FindingsRenderer.WriteText(console.Error, file.Path, false, file.Findings, string.Empty);
            return ExitCodes.InvalidInput;
        }

        string? identity;
        try
        {
            identity = installation.ReadInfraId();
        }
        catch (InstallationDirectoryException e)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        if (identity is null)
        {
            await console.Error.WriteLineAsync($"shiftstack: {dir} has no cluster identity (no metadata.json): run 'openshift-install create manifests' and 'openshift-install create ignition-configs --dir {dir}' first (or 'shiftstack create ignition-configs' for ShiftStack's preview)").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var cloudName = string.IsNullOrEmpty(cloudOverride) ? file.Config!.Platform.OpenStack?.Cloud : cloudOverride;
        using var log = new FileLog(installation.LogPath);
        using var clients = await Clients.OpenAsync(console, cloudName, log, scope == ProvisioningScope.Cluster, cancellationToken).ConfigureAwait(false);
        if (clients is null)
        {
            return ExitCodes.InvalidInput;
        }

        // Which Ignition the servers boot with is decided before anything is sent.
        IgnitionDelivery? ignition;
        try
        {
            var proxy = file.Config!.Proxy is { } p ? new ShimProxy(p.HttpProxy, p.HttpsProxy, p.NoProxy) : null;
            ignition = IgnitionDelivery.Decide(installation, scope, allowPreview, ReadCaBundle(clients.Network.Identity.Cloud), proxy, out var warning);
            if (warning is not null)
            {
                await console.Error.WriteLineAsync("shiftstack: " + warning).ConfigureAwait(false);
            }

            foreach (var note in IgnitionChecks.Check(installation, file.Config!, ignition))
            {
                await console.Error.WriteLineAsync("shiftstack: " + note).ConfigureAwait(false);
            }
        }
        catch (ProvisioningException e) when (planOnly)
        {
            await console.Error.WriteLineAsync("shiftstack: note: " + e.Message).ConfigureAwait(false);
            ignition = null;
        }
        catch (ProvisioningException e)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (IOException e)
        {
            await console.Error.WriteLineAsync($"shiftstack: cannot read the cloud's CA bundle: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        log.Write("shiftstack", Microsoft.Extensions.Logging.LogLevel.Information, $"create cluster {identity} ({(planOnly ? "plan" : scope.ToString())}) with cloud {cloudName}");
        try
        {
            var state = ProvisioningStateStore.Open(dir, identity, cloudName);
            if (planOnly)
            {
                var prepared = await ClusterProvisioner.PrepareAsync(file.Config!, identity, clients.Network, clients.Compute, state, new ProvisioningOptions { Scope = scope, Ignition = ignition }, cancellationToken).ConfigureAwait(false);
                if (output == OutputFormat.Json)
                {
                    using var stdout = console.OpenStandardOutput();
                    WritePlanJson(stdout, prepared);
                }
                else
                {
                    WritePlanText(console.Out, prepared);
                }

                return ExitCodes.Ok;
            }

            var progressWriter = output == OutputFormat.Json ? console.Error : console.Out;
            var result = await ProgressDisplay.RunAsync(console, progressWriter, $"create cluster {identity}", progress =>
                ClusterProvisioner.ProvisionAsync(file.Config!, identity, clients.Network, clients.Compute, state, new ProvisioningOptions
                {
                    Scope = scope,
                    Concurrency = concurrency,
                    AssetDirectory = dir,
                    Ignition = ignition,
                    Progress = log.Tee(progress),
                }, cancellationToken)).ConfigureAwait(false);
            if (output == OutputFormat.Json)
            {
                using var stdout = console.OpenStandardOutput();
                WriteResultJson(stdout, identity, result);
            }
            else
            {
                WriteResultText(console.Out, identity, result, log.Path);
            }

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.CloudError;
        }
        catch (ProvisioningException e)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (OpenStackException e)
        {
            await console.Error.WriteLineAsync("shiftstack: OpenStack request failed: " + e.Message + $" (requests are logged in {log.Path})").ConfigureAwait(false);
            return ExitCodes.CloudError;
        }
    }

    private static async Task<int> DestroyAsync(CliConsole console, string dir, string? cloudOverride, OutputFormat output, bool bootstrapOnly, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        string? identity;
        string? metadataCloud;
        try
        {
            identity = installation.ReadInfraId() ?? ProvisioningStateStore.TryLoad(dir)?.InfraId;
            metadataCloud = installation.ReadMetadataCloud();
        }
        catch (Exception e) when (e is InstallationDirectoryException or ProvisioningException)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        if (identity is null)
        {
            await console.Error.WriteLineAsync($"shiftstack: no cluster in {dir}: neither metadata.json, {InstallationDirectory.OpenShiftInstallStateFileName} nor {ClusterState.RelativePath} names an infraID").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        ProvisioningStateStore state;
        try
        {
            state = ProvisioningStateStore.TryLoad(dir) ?? ProvisioningStateStore.Open(dir, identity, null);
        }
        catch (ProvisioningException e)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var configFile = installation.LoadConfig();
        var cloudName = FirstNonEmpty(cloudOverride, state.Cloud, metadataCloud, configFile.Config?.Platform.OpenStack?.Cloud);
        using var log = new FileLog(installation.LogPath);
        using var clients = await Clients.OpenAsync(console, cloudName, log, compute: true, cancellationToken, computeOptional: true).ConfigureAwait(false);
        if (clients is null)
        {
            return ExitCodes.InvalidInput;
        }

        var verb = bootstrapOnly ? "bootstrap" : "cluster";
        log.Write("shiftstack", Microsoft.Extensions.Logging.LogLevel.Information, $"destroy {verb} {identity} with cloud {cloudName}");
        try
        {
            var progressWriter = output == OutputFormat.Json ? console.Error : console.Out;
            var options = new DestroyOptions();
            var result = await ProgressDisplay.RunAsync(console, progressWriter, $"destroy {verb} {identity}", progress => bootstrapOnly
                ? BootstrapDestroyer.DestroyAsync(clients.Network, clients.Compute, identity, state, options with { Progress = log.Tee(progress) }, cancellationToken)
                : ClusterDestroyer.DestroyAsync(clients.Network, clients.Compute, identity, state, options with { Progress = log.Tee(progress) }, cancellationToken)).ConfigureAwait(false);
            if (output == OutputFormat.Json)
            {
                using var stdout = console.OpenStandardOutput();
                WriteDestroyJson(stdout, identity, result);
            }
            else
            {
                await console.Out.WriteLineAsync(bootstrapOnly
                    ? $"bootstrap of {identity}: {result.Deleted.Count} resources deleted, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s"
                    : $"cluster {identity}: {result.Deleted.Count} resources deleted or restored, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s").ConfigureAwait(false);
                foreach (var leftover in result.Leftovers)
                {
                    await console.Out.WriteLineAsync($"  NOT REMOVED: {leftover.Kind} {leftover.Name} ({leftover.Id}): {leftover.Reason}").ConfigureAwait(false);
                }

                await console.Out.WriteLineAsync(!result.Succeeded ? $"{result.Leftovers.Count} resources left; run 'shiftstack destroy {verb}' again or remove them by hand"
                    : bootstrapOnly ? "the bootstrap machine is gone; the masters and the rest of the cluster are untouched"
                    : "nothing left behind").ConfigureAwait(false);
            }

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.CloudError;
        }
        catch (OpenStackException e)
        {
            await console.Error.WriteLineAsync("shiftstack: OpenStack request failed: " + e.Message + $" (requests are logged in {log.Path})").ConfigureAwait(false);
            return ExitCodes.CloudError;
        }
    }

    private static string? ReadCaBundle(CloudConfig cloud) =>
        string.IsNullOrEmpty(cloud.CaCertFile) ? null : File.ReadAllText(cloud.CaCertFile);

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static void WritePlanText(TextWriter writer, PreparedPlan prepared)
    {
        var plan = prepared.Plan;
        var desired = plan.Desired;
        writer.WriteLine($"cluster {desired.InfraId}: {desired.SecurityGroups.Count} security groups ({desired.Rules.Count()} ingress rules), "
            + $"{desired.VipPorts.Count} VIP ports, {desired.Ports.Count} node ports, {desired.Servers.Count} servers"
            + (desired.BootstrapFloatingIp is null ? string.Empty : ", 1 bootstrap floating IP"));
        writer.WriteLine($"{plan.Existing.Count} exist already; {plan.Steps.Count} steps, about {plan.ExpectedRequests} requests ({prepared.LookupRequests} look-ups made)");
        if (plan.IsComplete)
        {
            writer.WriteLine("nothing to do: the cluster is complete");
            return;
        }

        var n = 0;
        foreach (var step in plan.Steps)
        {
            writer.WriteLine($"{++n,3}. {step.Summary}");
            writer.WriteLine($"       {step.Request}" + (step.DependsOn.Count == 0 ? string.Empty : $"   after {string.Join(", ", step.DependsOn)}"));
            foreach (var detail in step.Details)
            {
                writer.WriteLine($"       - {detail}");
            }
        }
    }

    private static void WritePlanJson(Stream stream, PreparedPlan prepared)
    {
        var plan = prepared.Plan;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("infraID", plan.Desired.InfraId);
        json.WriteBoolean("complete", plan.IsComplete);
        json.WriteNumber("lookupRequests", prepared.LookupRequests);
        json.WriteNumber("expectedRequests", plan.ExpectedRequests);
        json.WriteStartObject("existing");
        foreach (var (reference, id) in plan.Existing.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteString(reference, id);
        }

        json.WriteEndObject();
        json.WriteStartArray("steps");
        foreach (var step in plan.Steps)
        {
            json.WriteStartObject();
            json.WriteString("id", step.Id);
            json.WriteString("kind", step.Kind);
            json.WriteString("request", step.Request);
            json.WriteString("summary", step.Summary);
            WriteStrings(json, "dependsOn", step.DependsOn);
            WriteStrings(json, "details", step.Details);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteResultText(TextWriter writer, string infraId, ProvisioningResult result, string logPath)
    {
        var succeeded = result.Execution.Results.Count(r => r.Outcome == StepOutcome.Succeeded);
        writer.WriteLine($"cluster {infraId}: {succeeded} of {result.Execution.Results.Count} steps done, {result.Requests} requests, {result.Elapsed.TotalSeconds:0.0}s (log: {logPath})");
        foreach (var failure in result.Execution.Failures)
        {
            writer.WriteLine($"  FAILED {failure.Step.Summary}: {failure.Message}");
        }

        var notRun = result.Execution.Results.Count(r => r.Outcome == StepOutcome.NotRun);
        if (notRun > 0)
        {
            writer.WriteLine($"  {notRun} steps not run; run 'shiftstack create cluster' again to continue from here");
        }

        if (result.Succeeded)
        {
            writer.WriteLine(result.Prepared.Plan.IsComplete ? "nothing to do: the cluster was complete" : "the cluster's resources are in place");
        }
    }

    private static void WriteResultJson(Stream stream, string infraId, ProvisioningResult result)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("infraID", infraId);
        json.WriteBoolean("succeeded", result.Succeeded);
        json.WriteNumber("requests", result.Requests);
        json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        json.WriteStartArray("steps");
        foreach (var r in result.Execution.Results)
        {
            json.WriteStartObject();
            json.WriteString("id", r.Step.Id);
            json.WriteString("outcome", r.Outcome.ToString());
            json.WriteString("message", r.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteRequestCounts(json, result.RequestsByKind);
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteDestroyJson(Stream stream, string infraId, DestroyResult result)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("infraID", infraId);
        json.WriteBoolean("succeeded", result.Succeeded);
        json.WriteNumber("requests", result.Requests);
        json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        WriteStrings(json, "deleted", result.Deleted);
        json.WriteStartArray("leftovers");
        foreach (var l in result.Leftovers)
        {
            json.WriteStartObject();
            json.WriteString("kind", l.Kind);
            json.WriteString("id", l.Id);
            json.WriteString("name", l.Name);
            json.WriteString("reason", l.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteRequestCounts(json, result.RequestsByKind);
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteRequestCounts(Utf8JsonWriter json, IReadOnlyDictionary<RequestKey, long> counts)
    {
        json.WriteStartObject("requestsByKind");
        foreach (var (key, count) in counts.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
        {
            json.WriteNumber(key.ToString(), count);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>The clients of one command, on one identity (one token, one request counter, one log).</summary>
    private sealed class Clients : IDisposable
    {
        private readonly ComputeClient? _compute;
        private readonly ImageClient? _images;

        private Clients(NetworkingClient network, ComputeClient? compute, ImageClient? images)
        {
            Network = network;
            _compute = compute;
            _images = images;
            Compute = compute is null || images is null ? null : new ComputeClientProvisioning(compute, images);
        }

        public NetworkingClient Network { get; }

        public IComputeProvisioning? Compute { get; }

        public static async Task<Clients?> OpenAsync(
            CliConsole console, string? cloudName, FileLog log, bool compute, CancellationToken cancellationToken, bool computeOptional = false)
        {
            CloudConfig cloud;
            try
            {
                cloud = new CloudConfigLoader().Load(cloudName);
            }
            catch (CloudConfigException e)
            {
                await console.Error.WriteLineAsync($"shiftstack: clouds.yaml: {e.Message}").ConfigureAwait(false);
                return null;
            }

            var network = new NetworkingClient(cloud, new OpenStackClientOptions { LoggerFactory = log });
            if (!compute)
            {
                return new Clients(network, null, null);
            }

            var nova = new ComputeClient(network.Identity);
            var glance = new ImageClient(network.Identity);
            if (computeOptional)
            {
                try
                {
                    await nova.GetEndpointAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OpenStackException e) when (e.ErrorType == ErrorTypes.EndpointNotFound)
                {
                    nova.Dispose();
                    glance.Dispose();
                    return new Clients(network, null, null);
                }
            }

            return new Clients(network, nova, glance);
        }

        public void Dispose()
        {
            _compute?.Dispose();
            _images?.Dispose();
            Network.Dispose();
        }
    }
}
