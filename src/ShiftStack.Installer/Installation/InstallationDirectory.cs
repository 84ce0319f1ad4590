using System.Text;
using System.Text.Json;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Manifests;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Validation;

namespace ShiftStack.Installer.Installation;

/// <summary>Who wrote the Ignition configs of an installation directory.</summary>
public enum IgnitionOrigin
{
    /// <summary>There is no <c>bootstrap.ign</c>.</summary>
    None,

    /// <summary>
    /// openshift-install (<c>create ignition-configs</c>): the real configs, the only ones that can form a cluster.
    /// </summary>
    OpenShiftInstall,

    /// <summary>ShiftStack's own <c>create ignition-configs</c>: a preview that cannot form a cluster.</summary>
    ShiftStackPreview,
}

/// <summary>Where the install-config of a directory was read from.</summary>
public enum ConfigSource
{
    /// <summary>Neither place has one.</summary>
    None,

    /// <summary><c>install-config.yaml</c> (before openshift-install consumed it, or ShiftStack's own directory).</summary>
    InstallConfigYaml,

    /// <summary>The <c>*installconfig.InstallConfig</c> asset of openshift-install's <c>.openshift_install_state.json</c>.</summary>
    OpenShiftInstallState,

    /// <summary>Both, and they agree.</summary>
    Both,
}

/// <summary>The installation directory holds something that cannot be used; the message says what and what to do.</summary>
public sealed class InstallationDirectoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InstallationDirectoryException()
        : this("the installation directory cannot be used")
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstallationDirectoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstallationDirectoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The one owner of an installation directory (<c>--dir</c>) in both of its shapes: ShiftStack's own
/// (<c>install-config.yaml</c>, ShiftStack's state under <c>.shiftstack/</c>) and openshift-install's after
/// <c>create ignition-configs</c> (no <c>install-config.yaml</c>: the config is inside
/// <c>.openshift_install_state.json</c>; <c>metadata.json</c> names the infraID; <c>bootstrap.ign</c>,
/// <c>master.ign</c>, <c>worker.ign</c>, <c>auth/</c>). Every command gets the install-config, the cluster's identity
/// and the paths of its files from here. openshift-install's infraID wins over ShiftStack's wherever openshift-install
/// made one, so that <c>openshift-install destroy cluster</c> and ShiftStack agree on what belongs to the cluster.
/// </summary>
public sealed class InstallationDirectory
{
    /// <summary>ShiftStack's own directory under <c>--dir</c> (state, records, log).</summary>
    public const string StateDirectoryName = ".shiftstack";

    /// <summary>openshift-install's asset state file.</summary>
    public const string OpenShiftInstallStateFileName = ".openshift_install_state.json";

    /// <summary>The key of the install-config asset in openshift-install's state file (Go type name).</summary>
    public const string InstallConfigAssetKey = "*installconfig.InstallConfig";

    /// <summary>The key of the cluster-ID asset in openshift-install's state file (fields <c>UUID</c>, <c>InfraID</c>).</summary>
    public const string ClusterIdAssetKey = "*installconfig.ClusterID";

    /// <summary>The key of the bootstrap Ignition asset in openshift-install's state file.</summary>
    public const string BootstrapAssetKey = "*bootstrap.Bootstrap";

    /// <summary><c>metadata.json</c>: what <c>destroy</c> reads.</summary>
    public const string MetadataFileName = "metadata.json";

    /// <summary>The bootstrap Ignition config.</summary>
    public const string BootstrapIgnitionFileName = "bootstrap.ign";

    /// <summary>The masters' (pointer) Ignition config.</summary>
    public const string MasterIgnitionFileName = "master.ign";

    /// <summary>The workers' (pointer) Ignition config.</summary>
    public const string WorkerIgnitionFileName = "worker.ign";

    /// <summary>The options later <c>create</c> runs reuse, under <c>.shiftstack/</c>.</summary>
    public const string OptionsFileName = "options.json";

    private readonly Func<string, string?>? _environment;
    private InstallConfigFile? _config;
    private ConfigSource _configSource;
    private OpenShiftInstallState? _openShiftInstallState;
    private bool _openShiftInstallStateRead;

    private InstallationDirectory(string path, Func<string, string?>? environment)
    {
        Path = path;
        _environment = environment;
    }

    /// <summary>The directory as given on the command line.</summary>
    public string Path { get; }

    /// <summary><c>DIR/.shiftstack</c>.</summary>
    public string StateDirectory => System.IO.Path.Combine(Path, StateDirectoryName);

    /// <summary>ShiftStack's log of requests, <c>DIR/.shiftstack/shiftstack.log</c>.</summary>
    public string LogPath => System.IO.Path.Combine(Path, Provisioning.FileLog.RelativePath);

    /// <summary><c>DIR/install-config.yaml</c>.</summary>
    public string InstallConfigPath => System.IO.Path.Combine(Path, InstallConfigFile.FileName);

    /// <summary><c>DIR/.openshift_install_state.json</c>.</summary>
    public string OpenShiftInstallStatePath => System.IO.Path.Combine(Path, OpenShiftInstallStateFileName);

    /// <summary><c>DIR/metadata.json</c>.</summary>
    public string MetadataPath => System.IO.Path.Combine(Path, MetadataFileName);

    /// <summary>True when openshift-install has worked in this directory (its state file exists).</summary>
    public bool IsOpenShiftInstallDirectory => File.Exists(OpenShiftInstallStatePath);

    /// <summary>Who wrote <c>bootstrap.ign</c>.</summary>
    public IgnitionOrigin Ignition
    {
        get
        {
            if (!File.Exists(FilePath(BootstrapIgnitionFileName)))
            {
                return IgnitionOrigin.None;
            }

            // ShiftStack never writes openshift-install's state file; its own create ignition-configs always writes
            // .shiftstack/state.json first. A bootstrap.ign with neither came from elsewhere: it is not ShiftStack's.
            if (IsOpenShiftInstallDirectory || !File.Exists(ClusterState.PathIn(Path)))
            {
                return IgnitionOrigin.OpenShiftInstall;
            }

            return IgnitionOrigin.ShiftStackPreview;
        }
    }

    /// <summary>Opens a directory (nothing is read until asked for).</summary>
    /// <param name="path">The directory.</param>
    /// <param name="environment">Environment lookup (for <c>OS_CLOUD</c>); the process environment by default.</param>
    public static InstallationDirectory Open(string path, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new InstallationDirectory(path, environment);
    }

    /// <summary>A file of the directory, e.g. <c>bootstrap.ign</c>.</summary>
    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A file under <c>DIR/.shiftstack/</c>.</summary>
    public string StateFilePath(string name) => System.IO.Path.Combine(StateDirectory, name);

    /// <summary>Where the options of the last <c>shiftstack create</c> run are kept (<see cref="RememberedOptions"/>).</summary>
    public string OptionsPath => StateFilePath(OptionsFileName);

    /// <summary>
    /// The options an earlier <c>shiftstack create manifests|ignition-configs</c> run was given (<c>--offline</c>,
    /// <c>--cloud</c>), which later runs on this directory use when they are not given again, as openshift-install
    /// keeps its choices in its state; null when none were kept or the file cannot be read (then nothing is reused).
    /// </summary>
    public RememberedOptions? ReadOptions()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(OptionsPath));
            var root = doc.RootElement;
            var offline = root.TryGetProperty("offline", out var o) && o.ValueKind == JsonValueKind.True;
            var cloud = root.TryGetProperty("cloud", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return new RememberedOptions(offline, string.IsNullOrEmpty(cloud) ? null : cloud);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="options"/> for the next runs (atomically; an unchanged file is not written again).</summary>
    public void RememberOptions(RememberedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ReadOptions() == options)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("offline", options.Offline);
            if (options.Cloud is { } cloud)
            {
                json.WriteString("cloud", cloud);
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        Directory.CreateDirectory(StateDirectory);
        FileWriting.WriteAllBytes(OptionsPath, buffer.ToArray(), secret: false);
    }

    /// <summary>Where <see cref="LoadConfig"/> found the install-config (after it ran).</summary>
    public ConfigSource ConfigSource
    {
        get
        {
            LoadConfig();
            return _configSource;
        }
    }

    /// <summary>
    /// The install-config after loading, up-conversion, defaults and static validation: from
    /// <c>install-config.yaml</c>, or from openshift-install's state file when openshift-install consumed the YAML.
    /// When both exist they must agree; a disagreement is an error finding that names the field and says which
    /// file to fix. Never throws for bad input.
    /// </summary>
    public InstallConfigFile LoadConfig()
    {
        if (_config is not null)
        {
            return _config;
        }

        if (!Directory.Exists(Path))
        {
            _configSource = ConfigSource.None;
            return _config = InstallConfigFile.Load(Path, _environment);
        }

        var yamlExists = File.Exists(InstallConfigPath);
        OpenShiftInstallState? state;
        try
        {
            state = ReadOpenShiftInstallState();
        }
        catch (InstallationDirectoryException e)
        {
            _configSource = ConfigSource.None;
            return _config = new InstallConfigFile(OpenShiftInstallStatePath, null, null, [Finding.Problem(e.Message)]);
        }

        var fromState = state?.ConfigText is { } text ? InstallConfigFile.LoadText(text, OpenShiftInstallStatePath, _environment) : null;
        if (!yamlExists && fromState is null)
        {
            _configSource = ConfigSource.None;
            if (state is not null)
            {
                return _config = new InstallConfigFile(OpenShiftInstallStatePath, null, null, [Finding.Problem(
                    $"{OpenShiftInstallStatePath} holds no {InstallConfigAssetKey} asset and there is no {InstallConfigFile.FileName}: "
                    + "run 'openshift-install create install-config' (or write install-config.yaml) in this directory")]);
            }

            return _config = InstallConfigFile.Load(Path, _environment);
        }

        if (!yamlExists)
        {
            _configSource = ConfigSource.OpenShiftInstallState;
            return _config = fromState!;
        }

        var fromYaml = InstallConfigFile.Load(Path, _environment);
        if (fromState is null)
        {
            _configSource = ConfigSource.InstallConfigYaml;
            return _config = fromYaml;
        }

        _configSource = ConfigSource.Both;
        if (!fromYaml.IsValid || !fromState.IsValid)
        {
            return _config = fromYaml.IsValid ? fromState : fromYaml;
        }

        var differences = Differences(fromYaml, fromState);
        if (differences.Count == 0)
        {
            return _config = fromYaml;
        }

        var shown = string.Join(", ", differences.Take(5)) + (differences.Count > 5 ? $" and {differences.Count - 5} more" : string.Empty);
        var ignitionNote = Ignition == IgnitionOrigin.OpenShiftInstall
            ? $"openshift-install made its Ignition configs from the config in {OpenShiftInstallStateFileName}, so fix {InstallConfigFile.FileName}: "
              + $"remove it (the state file's config is used then) or make it say what the state file says; to change the cluster instead, "
              + "start again with 'openshift-install create manifests' / 'create ignition-configs' from the changed install-config.yaml"
            : $"openshift-install will regenerate its assets from {InstallConfigFile.FileName} on its next run; run it (e.g. 'openshift-install create ignition-configs') "
              + $"so that both say the same, or remove {InstallConfigFile.FileName} to keep the state file's config";
        var finding = Finding.Problem(
            $"{InstallConfigFile.FileName} and {OpenShiftInstallStateFileName} ({InstallConfigAssetKey}) disagree on {shown}: {ignitionNote}");
        return _config = fromYaml with { Findings = [.. fromYaml.Findings, finding] };
    }

    /// <summary>
    /// The cluster's identity: openshift-install's (<c>metadata.json</c>, checked against the state file's
    /// <c>*installconfig.ClusterID</c>) where openshift-install made one, else ShiftStack's
    /// (<c>.shiftstack/state.json</c>, checked against a <c>metadata.json</c> next to it), else <c>metadata.json</c> alone;
    /// null when the directory names no cluster yet.
    /// </summary>
    /// <exception cref="InstallationDirectoryException">A file is broken, or two files name different clusters.</exception>
    public ClusterIdentity? ReadIdentity()
    {
        var metadata = ReadMetadata();
        var state = ReadOpenShiftInstallState();
        if (state?.InfraId is { } stateInfraId)
        {
            if (metadata is not null && !string.Equals(metadata.InfraId, stateInfraId, StringComparison.Ordinal))
            {
                throw new InstallationDirectoryException(
                    $"{MetadataPath} names infraID {metadata.InfraId} but {OpenShiftInstallStatePath} ({ClusterIdAssetKey}) names {stateInfraId}: "
                    + "metadata.json belongs to another run of openshift-install; run 'openshift-install create ignition-configs' again in this directory");
            }

            return metadata ?? new ClusterIdentity(LoadConfig().Config?.Metadata.Name ?? string.Empty, stateInfraId, state.ClusterId ?? string.Empty);
        }

        ClusterState? shiftStack;
        try
        {
            shiftStack = ClusterState.TryLoad(Path);
        }
        catch (AssetException e)
        {
            throw new InstallationDirectoryException(e.Message, e);
        }

        if (shiftStack is not null)
        {
            if (metadata is not null && !string.Equals(metadata.InfraId, shiftStack.Identity.InfraId, StringComparison.Ordinal))
            {
                throw new InstallationDirectoryException(
                    $"{MetadataPath} names infraID {metadata.InfraId} but {ClusterState.PathIn(Path)} names {shiftStack.Identity.InfraId}: "
                    + "they belong to different clusters; keep one installation directory per cluster");
            }

            return shiftStack.Identity;
        }

        return metadata;
    }

    /// <summary>The infraID, or null when the directory names no cluster yet (<see cref="ReadIdentity"/>).</summary>
    public string? ReadInfraId() => ReadIdentity()?.InfraId;

    /// <summary><c>metadata.json</c>'s <c>openstack.cloud</c> (the cloud openshift-install used), if any.</summary>
    /// <exception cref="InstallationDirectoryException">metadata.json is broken.</exception>
    public string? ReadMetadataCloud() => ReadMetadataDocument() is { } doc ? doc.Cloud : null;

    /// <summary>The Ignition config file of a role: <c>bootstrap.ign</c>, <c>master.ign</c> or <c>worker.ign</c>.</summary>
    public string IgnitionPath(string role) => FilePath(role switch
    {
        "bootstrap" => BootstrapIgnitionFileName,
        "master" => MasterIgnitionFileName,
        "worker" => WorkerIgnitionFileName,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "bootstrap, master or worker"),
    });

    /// <summary>Reads openshift-install's state file (once); null when there is none.</summary>
    /// <exception cref="InstallationDirectoryException">It is not a JSON object.</exception>
    internal OpenShiftInstallState? ReadOpenShiftInstallState()
    {
        if (!_openShiftInstallStateRead)
        {
            _openShiftInstallState = OpenShiftInstallState.TryRead(OpenShiftInstallStatePath);
            _openShiftInstallStateRead = true;
        }

        return _openShiftInstallState;
    }

    private ClusterIdentity? ReadMetadata() =>
        ReadMetadataDocument() is { } doc
            ? new ClusterIdentity(doc.ClusterName ?? string.Empty, doc.InfraId, doc.ClusterId ?? string.Empty)
            : null;

    private MetadataDocument? ReadMetadataDocument()
    {
        var path = MetadataPath;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InstallationDirectoryException($"{path}: not a metadata.json (a JSON object is expected); run 'openshift-install create ignition-configs' again, or remove it");
            }

            var infraId = String(root, "infraID");
            if (string.IsNullOrEmpty(infraId))
            {
                throw new InstallationDirectoryException($"{path} has no infraID; run 'openshift-install create ignition-configs' again, or remove it");
            }

            string? cloud = null;
            if (root.TryGetProperty("openstack", out var os) && os.ValueKind == JsonValueKind.Object)
            {
                cloud = String(os, "cloud");
            }

            return new MetadataDocument(infraId, String(root, "clusterID"), String(root, "clusterName"), cloud);
        }
        catch (JsonException e)
        {
            throw new InstallationDirectoryException($"{path}: not a metadata.json ({e.Message}); run 'openshift-install create ignition-configs' again, or remove it", e);
        }
        catch (IOException e)
        {
            throw new InstallationDirectoryException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The field paths on which two valid configs differ (pull secret compared, never shown).</summary>
    internal static IReadOnlyList<string> Differences(InstallConfigFile a, InstallConfigFile b)
    {
        var result = new List<string>();
        using var left = JsonDocument.Parse(JsonText.Write(InstallConfigDocument.Redacted(a.Config!)));
        using var right = JsonDocument.Parse(JsonText.Write(InstallConfigDocument.Redacted(b.Config!)));
        Compare(left.RootElement, right.RootElement, string.Empty, result);
        if (!Equals(a.Config!.PullSecret, b.Config!.PullSecret))
        {
            result.Add("pullSecret");
        }

        return result;
    }

    private static void Compare(JsonElement a, JsonElement b, string path, List<string> differences)
    {
        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var names = a.EnumerateObject().Select(p => p.Name).Concat(b.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var child = path.Length == 0 ? name : path + "." + name;
                var hasA = a.TryGetProperty(name, out var va);
                var hasB = b.TryGetProperty(name, out var vb);
                if (hasA != hasB)
                {
                    differences.Add(child);
                }
                else
                {
                    Compare(va, vb, child, differences);
                }
            }

            return;
        }

        if (a.ValueKind == JsonValueKind.Array && b.ValueKind == JsonValueKind.Array && a.GetArrayLength() == b.GetArrayLength())
        {
            var i = 0;
            foreach (var (x, y) in a.EnumerateArray().Zip(b.EnumerateArray()))
            {
                Compare(x, y, $"{path}[{i++}]", differences);
            }

            return;
        }

        if (a.ValueKind != b.ValueKind || !string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal))
        {
            differences.Add(path.Length == 0 ? "(the whole config)" : path);
        }
    }

    private sealed record MetadataDocument(string InfraId, string? ClusterId, string? ClusterName, string? Cloud);
}

/// <summary>
/// What ShiftStack reads of openshift-install's <c>.openshift_install_state.json</c>: a JSON object keyed by each
/// asset's Go type (<c>reflect.TypeOf(asset).String()</c>), each value the asset as <c>encoding/json</c> marshals it.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="ConfigText">
/// The <c>config</c> member of the <c>*installconfig.InstallConfig</c> asset, preceded by as many line breaks and
/// spaces as come before it in the file, so that the YAML loader's positions are the state file's lines and columns.
/// </param>
/// <param name="InfraId"><c>*installconfig.ClusterID</c>'s <c>InfraID</c>.</param>
/// <param name="ClusterId"><c>*installconfig.ClusterID</c>'s <c>UUID</c>.</param>
/// <param name="AssetKeys">Every asset key in the file.</param>
internal sealed record OpenShiftInstallState(string Path, string? ConfigText, string? InfraId, string? ClusterId, IReadOnlyList<string> AssetKeys)
{
    /// <summary>Reads the file; null when there is none.</summary>
    /// <exception cref="InstallationDirectoryException">Not a JSON object of assets.</exception>
    public static OpenShiftInstallState? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new InstallationDirectoryException($"cannot read {path}: {e.Message}", e);
        }

        try
        {
            string? configText = null;
            var keys = new List<string>();
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Broken(path, "a JSON object of assets is expected");
            }

            string? infraId = null;
            string? uuid = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString() ?? string.Empty;
                keys.Add(key);
                reader.Read();
                if (key == InstallationDirectory.InstallConfigAssetKey && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = reader.GetString();
                        reader.Read();
                        if (member == "config" && reader.TokenType == JsonTokenType.StartObject)
                        {
                            var start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            var end = (int)reader.BytesConsumed;
                            configText = Positioned(bytes, start, end);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (key == InstallationDirectory.ClusterIdAssetKey && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = reader.GetString();
                        reader.Read();
                        if (member == "InfraID" && reader.TokenType == JsonTokenType.String)
                        {
                            infraId = reader.GetString();
                        }
                        else if (member == "UUID" && reader.TokenType == JsonTokenType.String)
                        {
                            uuid = reader.GetString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return new OpenShiftInstallState(path, configText, string.IsNullOrEmpty(infraId) ? null : infraId, uuid, keys);
        }
        catch (JsonException e)
        {
            throw Broken(path, e.Message, e);
        }
    }

    private static string Positioned(byte[] bytes, int start, int end)
    {
        var lines = 0;
        var lineStart = 0;
        for (var i = 0; i < start; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines++;
                lineStart = i + 1;
            }
        }

        var builder = new StringBuilder(end - start + lines + (start - lineStart));
        builder.Append('\n', lines).Append(' ', start - lineStart);
        builder.Append(Encoding.UTF8.GetString(bytes, start, end - start));
        return builder.ToString();
    }

    private static InstallationDirectoryException Broken(string path, string why, Exception? inner = null) =>
        new($"{path}: not openshift-install's state file ({why}); run openshift-install again in this directory, or remove the file", inner);
}

/// <summary>Options of a <c>shiftstack create</c> run that later runs on the same directory reuse.</summary>
/// <param name="Offline"><c>--offline</c> was given.</param>
/// <param name="Cloud">The <c>--cloud</c> given, if any.</param>
public sealed record RememberedOptions(bool Offline, string? Cloud);
