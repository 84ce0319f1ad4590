using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>What a conversion starts from in <c>--dir</c>: the install-config, the infraID and the record.</summary>
/// <param name="Directory">The installation directory.</param>
/// <param name="Config">The processed install-config the cluster was installed with.</param>
/// <param name="InfraId">The infraID (from <c>.shiftstack/state.json</c>, or openshift-install's <c>metadata.json</c>).</param>
/// <param name="Record">The conversion record, if any.</param>
public sealed record ConversionInputs(string Directory, InstallConfiguration Config, string InfraId, ConversionRecord? Record);

/// <summary>A computed conversion: facts, plan and cluster side.</summary>
/// <param name="Facts">What exists.</param>
/// <param name="Plan">What to change.</param>
/// <param name="ClusterSide">The cluster-side artifacts (null when the plan has no IPv6 side, i.e. a failed pre-check).</param>
public sealed record PreparedConversion(ConversionFacts Facts, ConversionPlan Plan, ClusterSideArtifacts? ClusterSide);

/// <summary>The outcome of <see cref="ClusterConversion.ApplyAsync"/>.</summary>
/// <param name="Before">The plan that was applied.</param>
/// <param name="After">The state after the apply (its plan has no OpenStack work left).</param>
/// <param name="Applied">One line per change made.</param>
/// <param name="FilesWritten">Cluster-side files written (relative to <c>--dir</c>).</param>
/// <param name="Requests">Requests by service, method and path template.</param>
public sealed record ConversionResult(
    PreparedConversion Before,
    PreparedConversion After,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> FilesWritten,
    IReadOnlyDictionary<RequestKey, long> Requests);

/// <summary>
/// The <c>shiftstack convert</c> entry points: <see cref="LoadInputs"/>, <see cref="PrepareAsync"/> (GETs only: what
/// <c>--plan</c> shows) and <see cref="ApplyAsync"/> (the OpenStack changes, then the cluster-side files).
/// </summary>
public static class ClusterConversion
{
    /// <summary>Reads <c>install-config.yaml</c>, the infraID and the conversion record of a directory.</summary>
    /// <exception cref="ConversionException">Something is missing or invalid; the message says what.</exception>
    public static ConversionInputs LoadInputs(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var installation = InstallationDirectory.Open(directory);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            throw new ConversionException($"{file.Path}: " + string.Join("; ", file.Errors.Select(e => e.Message)) +
                " (convert reads the install-config the cluster was installed with; for an openshift-install cluster, write it back with: oc get cm -n kube-system cluster-config-v1 -o jsonpath='{.data.install-config}')");
        }

        string? infraId;
        try
        {
            infraId = installation.ReadInfraId();
        }
        catch (InstallationDirectoryException e)
        {
            throw new ConversionException(e.Message, e);
        }

        if (infraId is null)
        {
            throw new ConversionException(
                $"no infraID in {directory}: neither {ClusterState.RelativePath} (ShiftStack) nor {InstallationDirectory.MetadataFileName} (openshift-install) exists; convert needs the directory the cluster was installed from");
        }

        return new ConversionInputs(directory, file.Config!, infraId, ConversionRecord.TryLoad(directory));
    }

    /// <summary>Collects the facts (GETs only) and plans; nothing is changed or written.</summary>
    public static async Task<PreparedConversion> PrepareAsync(ConversionInputs inputs, ConversionRequest request, NetworkingClient network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var facts = await ConversionFactsCollector.CollectAsync(network, inputs.Config, inputs.InfraId, request, inputs.Record, cancellationToken).ConfigureAwait(false);
        var plan = ConversionPlanner.Plan(facts, request);
        var side = plan.Ipv6 is not null && plan.CanApply ? ClusterSideArtifacts.Build(plan, facts) : null;
        return new PreparedConversion(facts, plan, side);
    }

    /// <summary>
    /// Applies the OpenStack changes (none when everything is in place already: then only GET requests are sent),
    /// re-observes, and writes the cluster-side files. Safe to re-run after an interruption.
    /// </summary>
    /// <param name="inputs">What <see cref="LoadInputs"/> read.</param>
    /// <param name="request">The request.</param>
    /// <param name="network">Neutron.</param>
    /// <param name="progress">Progress: one step per change (<see cref="ConversionResult.Applied"/> holds what each completed step did).</param>
    /// <param name="prepared">A plan from <see cref="PrepareAsync"/> of this run (computed when null); its requests are not counted.</param>
    /// <param name="force">Overwrite cluster-side files changed since ShiftStack wrote them (<see cref="WrittenFiles"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ConversionException">A pre-check failed or a change was refused.</exception>
    /// <exception cref="EditedFilesException">A cluster-side file was changed since ShiftStack wrote it (checked before any change when <paramref name="prepared"/> has the files).</exception>
    public static async Task<ConversionResult> ApplyAsync(
        ConversionInputs inputs,
        ConversionRequest request,
        NetworkingClient network,
        IProgressSink? progress = null,
        PreparedConversion? prepared = null,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(network);
        var before = network.Requests.Snapshot();
        prepared ??= await PrepareAsync(inputs, request, network, cancellationToken).ConfigureAwait(false);
        if (!prepared.Plan.CanApply)
        {
            throw new ConversionException("pre-checks failed: " + string.Join("; ", prepared.Plan.Errors.Select(e => e.Subject + ": " + e.Message)));
        }

        if (!force && prepared.ClusterSide is { } planned && WrittenFiles.FindInTheWay(inputs.Directory, planned.Files) is { Count: > 0 } inTheWay)
        {
            throw new EditedFilesException(inputs.Directory, inTheWay);
        }

        var applied = new List<string>();
        var sink = new CollectingProgress(applied, progress ?? NullProgressSink.Instance);
        var after = prepared;
        if (!prepared.Plan.IsOpenStackDone || inputs.Record?.Complete != true || !IsRecordFor(inputs.Record, request.Target))
        {
            var record = await ConversionExecutor.ApplyAsync(network, prepared.Plan, prepared.Facts, inputs.Directory, sink, cancellationToken).ConfigureAwait(false);
            if (applied.Count > 0)
            {
                after = await PrepareAsync(inputs with { Record = record }, request, network, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                after = prepared with { Facts = prepared.Facts with { Record = record } };
            }
        }

        var files = after.ClusterSide is { } side ? WriteFiles(inputs.Directory, side, force) : [];
        return new ConversionResult(prepared, after, applied, files, Difference(before, network.Requests.Snapshot()));
    }

    /// <summary>
    /// Writes the cluster-side files under <c>--dir</c> (<see cref="WrittenFiles.Write"/>: a file changed since
    /// ShiftStack wrote it stops the write unless <paramref name="force"/>); returns their relative paths.
    /// </summary>
    public static IReadOnlyList<string> WriteFiles(string directory, ClusterSideArtifacts side, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(side);
        WrittenFiles.Write(directory, side.Files, force);
        foreach (var file in side.Files.Where(f => f.Path.EndsWith(".sh", StringComparison.Ordinal)))
        {
            if (!OperatingSystem.IsWindows())
            {
                var path = Path.Combine(directory, file.Path);
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
            }
        }

        return side.Files.Select(f => f.Path).ToList();
    }

    private static bool IsRecordFor(ConversionRecord? record, ConversionTarget target) =>
        record?.Target == (target == ConversionTarget.DualStack ? ConversionRecord.DualStackTarget : ConversionRecord.SingleStackTarget);

    private static Dictionary<RequestKey, long> Difference(IReadOnlyDictionary<RequestKey, long> before, IReadOnlyDictionary<RequestKey, long> after) =>
        after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(x => x.Count > 0)
            .ToDictionary(x => x.Key, x => x.Count);

    /// <summary>Passes every event on and keeps what each completed step did.</summary>
    private sealed class CollectingProgress(List<string> lines, IProgressSink inner) : IProgressSink
    {
        public void Started(string id, string summary) => inner.Started(id, summary);

        public void Completed(string id, string summary)
        {
            lines.Add(summary);
            inner.Completed(id, summary);
        }

        public void Failed(string id, string summary, string error) => inner.Failed(id, summary, error);

        public void Message(string text) => inner.Message(text);
    }
}
