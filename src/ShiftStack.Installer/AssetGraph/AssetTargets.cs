using ShiftStack.Installer.Assets;

namespace ShiftStack.Installer.AssetGraph;

/// <summary>A CLI verb: a name and the assets whose files it writes.</summary>
/// <param name="Name">The verb, e.g. <c>manifests</c>.</param>
/// <param name="Targets">The target assets; each value must be an <see cref="IFileAsset"/>.</param>
public sealed record AssetTarget(string Name, IReadOnlyList<Asset> Targets)
{
    /// <summary><c>create manifests</c>.</summary>
    public static AssetTarget Manifests { get; } = new("manifests", [
        InstallAssets.MasterMachines,
        InstallAssets.WorkerMachines,
        InstallAssets.MachineConfigs,
        InstallAssets.ClusterConfigs,
        InstallAssets.CapiManifestFiles,
    ]);

    /// <summary><c>create ignition-configs</c>.</summary>
    public static AssetTarget IgnitionConfigs { get; } = new("ignition-configs", [
        InstallAssets.IgnitionFiles,
        InstallAssets.Metadata,
    ]);

    /// <summary>
    /// The cluster's identity (<c>.shiftstack/state.json</c>) and <c>metadata.json</c> alone: what <c>create cluster</c>
    /// makes first on a directory that names no cluster yet but has its Ignition configs, or for <c>--network-only</c>.
    /// </summary>
    public static AssetTarget Metadata { get; } = new("metadata", [InstallAssets.Metadata]);

    /// <summary>Generates the targets and returns their files sorted by path (nothing is written).</summary>
    public async Task<IReadOnlyList<GeneratedFile>> GenerateAsync(AssetStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = new List<GeneratedFile>();
        foreach (var target in Targets)
        {
            var value = await store.GetUntypedAsync(target, cancellationToken).ConfigureAwait(false);
            files.AddRange(value is IFileAsset f ? f.Files : throw new InvalidOperationException($"asset {target.Name} writes no files"));
        }
        var duplicate = files.GroupBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two assets write {duplicate.Key}");
        }
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Generates the targets and writes their files under the store's directory, sorted by path, through
    /// <see cref="WrittenFiles.Write"/>: a file changed since ShiftStack wrote it, or one it never wrote, stops the
    /// write before anything is written (<see cref="EditedFilesException"/>) unless <paramref name="force"/>.
    /// </summary>
    public async Task<IReadOnlyList<GeneratedFile>> WriteAsync(AssetStore store, bool force = false, CancellationToken cancellationToken = default)
    {
        var files = await GenerateAsync(store, cancellationToken).ConfigureAwait(false);
        WrittenFiles.Write(store.Inputs.Directory, files, force);
        return files;
    }
}
