using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.Installer.Provisioning;

/// <summary>One resource ShiftStack created (or is about to create: <see cref="Id"/> still null).</summary>
public sealed class RecordedResource
{
    /// <summary>Kind: <c>security-group</c>, <c>port</c>, <c>server-group</c>, <c>server</c>, <c>floating-ip</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>Name (or, for a floating IP, its description).</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>ID once created; null while the create request is in flight (a crash there leaves an intent).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>
    /// When the create was about to be sent (UTC), while <see cref="Id"/> is null: a create whose answer was lost may
    /// still be carried out by the cloud for a while (<see cref="ClusterObserver.UnansweredCreateWindow"/>).
    /// </summary>
    [JsonPropertyName("intentAt")]
    public DateTimeOffset? IntentAt { get; set; }
}

/// <summary>What ShiftStack added to one of the user's VIP ports, so that destroy removes exactly that.</summary>
public sealed class VipPortRecord
{
    /// <summary><c>api</c> or <c>ingress</c>.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = string.Empty;

    /// <summary>The port.</summary>
    [JsonPropertyName("portId")]
    public string PortId { get; set; } = string.Empty;

    /// <summary>The tag ShiftStack added (absent before).</summary>
    [JsonPropertyName("tagAdded")]
    public string? TagAdded { get; set; }

    /// <summary>Security groups ShiftStack added (absent before).</summary>
    [JsonPropertyName("securityGroupsAdded")]
    public List<string> SecurityGroupsAdded { get; set; } = [];

    /// <summary>The floating IP ShiftStack associated with the port (it was not associated before).</summary>
    [JsonPropertyName("floatingIpAssociated")]
    public string? FloatingIpAssociated { get; set; }
}

/// <summary>The content of <c>&lt;dir&gt;/.shiftstack/provisioning.json</c>.</summary>
public sealed class ProvisioningStateData
{
    /// <summary>Format version.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; } = 1;

    /// <summary>The cluster.</summary>
    [JsonPropertyName("infraID")]
    public string InfraId { get; set; } = string.Empty;

    /// <summary>The clouds.yaml entry used.</summary>
    [JsonPropertyName("cloud")]
    public string? Cloud { get; set; }

    /// <summary>Created resources (and intents), by plan reference (e.g. <c>sg/master</c>, <c>port/&lt;name&gt;</c>).</summary>
    [JsonPropertyName("resources")]
    public SortedDictionary<string, RecordedResource> Resources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Changes to the user's VIP ports, by port ID.</summary>
    [JsonPropertyName("vipPorts")]
    public SortedDictionary<string, VipPortRecord> VipPorts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once a bulk port create hit Neutron 21.0.0's auto-address bug (later runs create ports one by one).</summary>
    [JsonPropertyName("bulkPortCreateBroken")]
    public bool BulkPortCreateBroken { get; set; }

    /// <summary>True once <c>destroy bootstrap</c> removed the bootstrap: later <c>create cluster</c> runs do not bring it back.</summary>
    [JsonPropertyName("bootstrapRemoved")]
    public bool BootstrapRemoved { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProvisioningStateData))]
internal sealed partial class ProvisioningStateJsonContext : JsonSerializerContext;

/// <summary>
/// The provisioning state file: the IDs of what was created, written as it goes (each change is saved atomically:
/// temp file, then rename). The cloud's tags are the truth; the state covers the moments tags cannot: between a
/// security-group or floating-IP POST and its tagging, and what was added to the user's VIP ports.
/// Thread-safe.
/// </summary>
public sealed class ProvisioningStateStore
{
    /// <summary>The file name under <c>&lt;dir&gt;/.shiftstack/</c>.</summary>
    public const string FileName = "provisioning.json";

    private readonly Lock _lock = new();
    private readonly string? _path;

    private ProvisioningStateStore(string? path, ProvisioningStateData data)
    {
        _path = path;
        Data = data;
    }

    /// <summary>The file (null for an in-memory store).</summary>
    public string? Path => _path;

    internal ProvisioningStateData Data { get; }

    /// <summary>The state file path of an installation directory.</summary>
    public static string PathIn(string directory) => System.IO.Path.Combine(directory, Installation.InstallationDirectory.StateDirectoryName, FileName);

    /// <summary>Opens (or starts) the state of a directory. A state of another cluster is an error.</summary>
    /// <exception cref="ProvisioningException">The file belongs to another infraID or cannot be read.</exception>
    public static ProvisioningStateStore Open(string directory, string infraId, string? cloud)
    {
        var path = PathIn(directory);
        var data = Read(path) ?? new ProvisioningStateData { InfraId = infraId };
        if (!string.Equals(data.InfraId, infraId, StringComparison.Ordinal))
        {
            throw new ProvisioningException($"{path} records cluster {data.InfraId}, not {infraId}: use another --dir or destroy that cluster first");
        }

        data.Cloud ??= cloud;
        return new ProvisioningStateStore(path, data);
    }

    /// <summary>Reads the state of a directory; null when there is none.</summary>
    public static ProvisioningStateStore? TryLoad(string directory)
    {
        var path = PathIn(directory);
        var data = Read(path);
        return data is null ? null : new ProvisioningStateStore(path, data);
    }

    /// <summary>A store that is never written (plans, tests).</summary>
    public static ProvisioningStateStore InMemory(string infraId) => new(null, new ProvisioningStateData { InfraId = infraId });

    /// <summary>The infraID.</summary>
    public string InfraId => Data.InfraId;

    /// <summary>The cloud name recorded.</summary>
    public string? Cloud
    {
        get
        {
            lock (_lock)
            {
                return Data.Cloud;
            }
        }
    }

    /// <summary>True once the bulk-port bug was seen.</summary>
    public bool BulkPortCreateBroken
    {
        get
        {
            lock (_lock)
            {
                return Data.BulkPortCreateBroken;
            }
        }
    }

    /// <summary>A copy of the recorded resources.</summary>
    public IReadOnlyDictionary<string, RecordedResource> Resources
    {
        get
        {
            lock (_lock)
            {
                return Data.Resources.ToDictionary(
                    kv => kv.Key,
                    kv => new RecordedResource { Kind = kv.Value.Kind, Name = kv.Value.Name, Id = kv.Value.Id, IntentAt = kv.Value.IntentAt },
                    StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A copy of the VIP port records.</summary>
    public IReadOnlyList<VipPortRecord> VipPorts
    {
        get
        {
            lock (_lock)
            {
                return Data.VipPorts.Values.Select(Copy).ToList();
            }
        }
    }

    /// <summary>Records that a create is about to be sent (no ID yet).</summary>
    public void RecordIntent(string reference, string kind, string name) =>
        Update(d =>
        {
            if (!d.Resources.TryGetValue(reference, out var r) || r.Id is null)
            {
                d.Resources[reference] = new RecordedResource { Kind = kind, Name = name, IntentAt = DateTimeOffset.UtcNow };
            }
        });

    /// <summary>Records a created resource.</summary>
    public void RecordCreated(string reference, string kind, string name, string id) =>
        Update(d => d.Resources[reference] = new RecordedResource { Kind = kind, Name = name, Id = id });

    /// <summary>Forgets a resource (deleted).</summary>
    public void Forget(string reference) => Update(d => d.Resources.Remove(reference));

    /// <summary>Changes the record of a VIP port.</summary>
    public void UpdateVipPort(string portId, string role, Action<VipPortRecord> change) =>
        Update(d =>
        {
            if (!d.VipPorts.TryGetValue(portId, out var record))
            {
                record = new VipPortRecord { PortId = portId, Role = role };
                d.VipPorts[portId] = record;
            }

            change(record);
        });

    /// <summary>Forgets a VIP port record (everything added was removed).</summary>
    public void ForgetVipPort(string portId) => Update(d => d.VipPorts.Remove(portId));

    /// <summary>Remembers that bulk port creation does not work on this cloud.</summary>
    public void MarkBulkPortCreateBroken() => Update(d => d.BulkPortCreateBroken = true);

    /// <summary>True once <c>destroy bootstrap</c> removed the bootstrap machine.</summary>
    public bool BootstrapRemoved
    {
        get
        {
            lock (_lock)
            {
                return Data.BootstrapRemoved;
            }
        }
    }

    /// <summary>Remembers that the bootstrap machine was removed on purpose (<c>destroy bootstrap</c>).</summary>
    public void MarkBootstrapRemoved() => Update(d => d.BootstrapRemoved = true);

    /// <summary>True when nothing is recorded any more.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return Data.Resources.Count == 0 && Data.VipPorts.Count == 0;
            }
        }
    }

    /// <summary>Deletes the file (after a complete destroy).</summary>
    public void Delete()
    {
        lock (_lock)
        {
            if (_path is not null && File.Exists(_path))
            {
                File.Delete(_path);
            }
        }
    }

    private void Update(Action<ProvisioningStateData> change)
    {
        lock (_lock)
        {
            change(Data);
            Save();
        }
    }

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        var temp = _path + ".tmp";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(Data, ProvisioningStateJsonContext.Default.ProvisioningStateData);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }

    private static ProvisioningStateData? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ProvisioningStateJsonContext.Default.ProvisioningStateData)
                ?? throw new ProvisioningException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException($"{path} is not a ShiftStack provisioning state ({ex.Message})", ex);
        }
    }

    private static VipPortRecord Copy(VipPortRecord r) => new()
    {
        Role = r.Role,
        PortId = r.PortId,
        TagAdded = r.TagAdded,
        SecurityGroupsAdded = [.. r.SecurityGroupsAdded],
        FloatingIpAssociated = r.FloatingIpAssociated,
    };
}
