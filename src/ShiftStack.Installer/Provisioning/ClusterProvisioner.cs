using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>Settings of a provisioning run.</summary>
public sealed record ProvisioningOptions
{
    /// <summary>Whole cluster or network only.</summary>
    public ProvisioningScope Scope { get; init; } = ProvisioningScope.Cluster;

    /// <summary>
    /// Also create the worker pool's replicas as servers booted with <c>worker.ign</c> (<c>--create-workers</c>, the
    /// UPI <c>compute-nodes.yaml</c> way); by default workers are left to the machine API.
    /// </summary>
    public bool CreateWorkers { get; init; }

    /// <summary>Concurrent requests at most (default 8).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>The installation directory (Ignition configs); null only for network-only runs.</summary>
    public string? AssetDirectory { get; init; }

    /// <summary>How long servers may take to become ACTIVE.</summary>
    public TimeSpan ServerActiveTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Poll interval while waiting for servers.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress.</summary>
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary>
    /// Which Ignition the servers boot with, and how (<see cref="IgnitionDelivery.Decide"/>); null: the files of
    /// <see cref="AssetDirectory"/> as user data, as they are.
    /// </summary>
    public IgnitionDelivery? Ignition { get; init; }

    /// <summary>
    /// The install-config's network facts when this command has them already (create cluster generated its assets
    /// from them); null: they are collected by the run.
    /// </summary>
    public NetworkFacts? NetworkFacts { get; init; }

    /// <summary>
    /// The cluster's machines when this command has them already (create cluster's assets described them); null: the
    /// run describes them from the install-config (<see cref="ClusterMachines.From"/>, the same pure function).
    /// </summary>
    public ClusterMachines? Machines { get; init; }
}

/// <summary>A plan together with what it was computed from.</summary>
/// <param name="Facts">The cloud facts.</param>
/// <param name="Observed">What existed.</param>
/// <param name="Plan">The calls to make.</param>
/// <param name="LookupRequests">Requests spent on facts and observation.</param>
public sealed record PreparedPlan(ProvisioningFacts Facts, ObservedCluster Observed, ProvisioningPlan Plan, long LookupRequests);

/// <summary>The outcome of <see cref="ClusterProvisioner.ProvisionAsync"/>.</summary>
/// <param name="Prepared">The plan and its inputs.</param>
/// <param name="Execution">What each step did.</param>
/// <param name="Requests">Requests sent by the whole run (look-ups, steps, retries, token).</param>
/// <param name="RequestsByKind">The same by service, method and path template.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ProvisioningResult(
    PreparedPlan Prepared,
    ExecutionResult Execution,
    long Requests,
    IReadOnlyDictionary<RequestKey, long> RequestsByKind,
    TimeSpan Elapsed)
{
    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Execution.Succeeded;
}

/// <summary>
/// The provisioning entry points: <c>PrepareAsync</c> (facts, desired state, observation, plan: read-only,
/// what <c>--plan</c> shows) and <see cref="ProvisionAsync"/> (the same, then execution). Conversion and benchmarks
/// call these with <see cref="ProvisioningScope.NetworkOnly"/> to work on the Neutron side alone.
/// </summary>
public static class ClusterProvisioner
{
    /// <summary>Computes the plan without changing anything.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova/Glance (ignored for <see cref="ProvisioningScope.NetworkOnly"/>).</param>
    /// <param name="state">The state (for resources a crash left untagged).</param>
    /// <param name="scope">Whole cluster or network only.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The plan and its inputs.</returns>
    public static Task<PreparedPlan> PrepareAsync(
        InstallConfiguration config,
        string infraId,
        NetworkingClient network,
        IComputeProvisioning? compute,
        ProvisioningStateStore state,
        ProvisioningScope scope = ProvisioningScope.Cluster,
        CancellationToken cancellationToken = default) =>
        PrepareAsync(config, infraId, network, compute, state, new ProvisioningOptions { Scope = scope }, cancellationToken);

    /// <summary>Computes the plan without changing anything, with a run's options (scope, Ignition delivery).</summary>
    public static async Task<PreparedPlan> PrepareAsync(
        InstallConfiguration config,
        string infraId,
        NetworkingClient network,
        IComputeProvisioning? compute,
        ProvisioningStateStore state,
        ProvisioningOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        var scope = options.Scope;
        var before = network.Requests.Total;
        if (scope == ProvisioningScope.NetworkOnly)
        {
            compute = null;
        }
        else if (compute is null)
        {
            throw new ProvisioningException("no compute service: provision with --network-only, or use a cloud with Nova");
        }

        // The network facts this command has already (create cluster's assets used them), or collected now while
        // the flavor and image are looked up.
        var networkFacts = options.NetworkFacts is { } known ? Task.FromResult(known) : NetworkFactsCollector.CollectAsync(config, network, cancellationToken);
        var factsTask = ProvisioningFactsCollector.CollectAsync(config, networkFacts, compute, options.CreateWorkers, cancellationToken);
        // A bootstrap floating IP exists only with an external network: without one the list is not asked for.
        var externalNetwork = !string.IsNullOrEmpty(config.Platform.OpenStack?.ExternalNetwork);
        var observedTask = ClusterObserver.ObserveAsync(network, compute, infraId, state, includeFloatingIps: externalNetwork, cancellationToken: cancellationToken);
        await Task.WhenAll(factsTask, observedTask).ConfigureAwait(false);
        var desired = ClusterPlanner.Plan(config, infraId, factsTask.Result, scope, options.CreateWorkers, options.Machines);
        var observed = observedTask.Result;
        if (state.BootstrapRemoved)
        {
            desired = BootstrapMachine.Without(desired);
        }
        else if (scope == ProvisioningScope.Cluster && options.Ignition is { UsesGlance: true } ignition && compute is not null)
        {
            // openshift-install's bootstrap.ign goes through Glance: the image is part of the cluster, and one that
            // holds exactly the current file is reused.
            var image = new DesiredIgnitionImage(DesiredIgnitionImage.NameFor(infraId), [ClusterNames.ClusterTag(infraId)], Installation.InstallationDirectory.BootstrapIgnitionFileName);
            desired = desired with { BootstrapIgnitionImage = image };
            var images = await compute.ListImagesAsync(ClusterNames.ClusterTag(infraId), cancellationToken).ConfigureAwait(false);
            var data = ignition.ReadFile(image.File);
            var current = images.FirstOrDefault(i => string.Equals(i.Name, image.Name, StringComparison.Ordinal) && UploadBootstrapIgnitionStep.Holds(i, data));
            observed = observed with { Images = images, CurrentBootstrapIgnitionImageId = current?.Id };
        }

        if (scope == ProvisioningScope.Cluster && options.Ignition is { } delivery)
        {
            // Every server's user data is checked against Nova's limit before anything is created.
            foreach (var server in desired.Servers)
            {
                if (desired.BootstrapIgnitionImage is { } glance && server.UserDataFile == glance.File)
                {
                    IgnitionDelivery.CheckSize(server.Name, "the Ignition shim that fetches " + glance.File + " from Glance", IgnitionShim.BuildExample(server.Name, delivery));
                }
                else
                {
                    IgnitionDelivery.CheckSize(server.Name, delivery.Directory.FilePath(server.UserDataFile), delivery.FileUserData(server));
                }
            }
        }

        var plan = ProvisioningPlan.Build(desired, factsTask.Result, observed);
        return new PreparedPlan(factsTask.Result, observed, plan, network.Requests.Total - before);
    }

    /// <summary>Plans and executes: creates what is missing, converging after a crash or Ctrl+C.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova/Glance (null for network-only).</param>
    /// <param name="state">The state file (written as resources are created).</param>
    /// <param name="options">Scope, concurrency, progress.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The outcome; check <see cref="ProvisioningResult.Succeeded"/>.</returns>
    public static async Task<ProvisioningResult> ProvisionAsync(
        InstallConfiguration config,
        string infraId,
        NetworkingClient network,
        IComputeProvisioning? compute,
        ProvisioningStateStore state,
        ProvisioningOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new ProvisioningOptions();
        var started = DateTimeOffset.UtcNow;
        var counter = network.Requests;
        var before = counter.Snapshot();
        var beforeTotal = counter.Total;
        var prepared = await PrepareAsync(config, infraId, network, compute, state, options, cancellationToken).ConfigureAwait(false);
        var execution = await ExecuteAsync(prepared, network, compute, state, options, cancellationToken).ConfigureAwait(false);
        return new ProvisioningResult(prepared, execution, counter.Total - beforeTotal, Difference(before, counter.Snapshot()), DateTimeOffset.UtcNow - started);
    }

    /// <summary>Executes a prepared plan.</summary>
    public static Task<ExecutionResult> ExecuteAsync(
        PreparedPlan prepared,
        NetworkingClient network,
        IComputeProvisioning? compute,
        ProvisioningStateStore state,
        ProvisioningOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
        var context = new StepContext
        {
            Network = network,
            Compute = options.Scope == ProvisioningScope.NetworkOnly ? null : compute,
            Facts = prepared.Facts,
            State = state,
            AssetDirectory = options.AssetDirectory,
            Ignition = options.Ignition,
            Progress = options.Progress,
            Concurrency = options.Concurrency,
            ServerActiveTimeout = options.ServerActiveTimeout,
            PollInterval = options.PollInterval,
        };
        return PlanExecutor.ExecuteAsync(prepared.Plan, context, cancellationToken);
    }

    internal static IReadOnlyDictionary<RequestKey, long> Difference(IReadOnlyDictionary<RequestKey, long> before, IReadOnlyDictionary<RequestKey, long> after) =>
        after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(x => x.Count > 0)
            .ToDictionary(x => x.Key, x => x.Count);
}
