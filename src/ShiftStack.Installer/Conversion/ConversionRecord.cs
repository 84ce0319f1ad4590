using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.Installer.Conversion;

/// <summary>What a conversion added to one port.</summary>
public sealed class RecordedPort
{
    /// <summary>Port ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>Port name (for messages).</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary><c>api-vip</c>, <c>ingress-vip</c> or <c>node</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "node";

    /// <summary>True when ShiftStack requested the port's IPv6 address with a <c>fixed_ips</c> update (it did not have one).</summary>
    [JsonPropertyName("addressRequested")]
    public bool AddressRequested { get; set; }

    /// <summary>The address it got, once known.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>Allowed address pairs ShiftStack added (the IPv6 VIPs; absent before).</summary>
    [JsonPropertyName("pairsAdded")]
    public List<string> PairsAdded { get; set; } = [];
}

/// <summary>What a conversion added to one security group.</summary>
public sealed class RecordedSecurityGroup
{
    /// <summary><c>master</c> or <c>worker</c>.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = string.Empty;

    /// <summary>Group ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>Group name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The identity (<see cref="Provisioning.RuleKeys"/>) of every rule the conversion created, recorded before the create request; together with
    /// the rule description <see cref="ConversionPlanner.RuleDescription"/> it tells reversal exactly which rules to delete.
    /// </summary>
    [JsonPropertyName("ruleKeys")]
    public List<string> RuleKeys { get; set; } = [];
}

/// <summary>
/// <c>&lt;dir&gt;/.shiftstack/conversion.json</c>: what a dual-stack conversion added, written <b>before</b> each change
/// is sent (an intent), so that an interrupted apply can be finished and <c>--to single-stack</c> removes exactly what
/// was added, never what existed before. Merged across re-runs; kept (with <see cref="Target"/> <c>single-stack</c>)
/// after a reversal so that re-running the reversal is a no-op.
/// </summary>
public sealed class ConversionRecord
{
    /// <summary>The <see cref="Target"/> of a dual-stack conversion.</summary>
    public const string DualStackTarget = "dual-stack";

    /// <summary>The <see cref="Target"/> after a reversal.</summary>
    public const string SingleStackTarget = "single-stack";

    /// <summary>The file name under <c>.shiftstack/</c>.</summary>
    public const string FileName = "conversion.json";

    /// <summary>Format version.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; } = 1;

    /// <summary>The cluster.</summary>
    [JsonPropertyName("infraID")]
    public string InfraId { get; set; } = string.Empty;

    /// <summary><c>dual-stack</c> (converted or converting) or <c>single-stack</c> (reverted).</summary>
    [JsonPropertyName("target")]
    public string Target { get; set; } = DualStackTarget;

    /// <summary>True once the OpenStack side is in the target state.</summary>
    [JsonPropertyName("complete")]
    public bool Complete { get; set; }

    /// <summary>The IPv6 subnet.</summary>
    [JsonPropertyName("ipv6SubnetID")]
    public string Ipv6SubnetId { get; set; } = string.Empty;

    /// <summary>Its CIDR.</summary>
    [JsonPropertyName("ipv6SubnetCIDR")]
    public string Ipv6SubnetCidr { get; set; } = string.Empty;

    /// <summary>Its mode.</summary>
    [JsonPropertyName("mode")]
    public string Mode { get; set; } = string.Empty;

    /// <summary>True for an auto-address subnet.</summary>
    [JsonPropertyName("autoAddress")]
    public bool AutoAddress { get; set; }

    /// <summary>IPv6 cluster network.</summary>
    [JsonPropertyName("clusterNetwork")]
    public string ClusterNetwork { get; set; } = string.Empty;

    /// <summary>Its host prefix.</summary>
    [JsonPropertyName("hostPrefix")]
    public int HostPrefix { get; set; }

    /// <summary>IPv6 service network.</summary>
    [JsonPropertyName("serviceNetwork")]
    public string ServiceNetwork { get; set; } = string.Empty;

    /// <summary>IPv6 API VIP, once known.</summary>
    [JsonPropertyName("apiVIP")]
    public string? ApiVip { get; set; }

    /// <summary>IPv6 Ingress VIP, once known.</summary>
    [JsonPropertyName("ingressVIP")]
    public string? IngressVip { get; set; }

    /// <summary>Ports changed.</summary>
    [JsonPropertyName("ports")]
    public List<RecordedPort> Ports { get; set; } = [];

    /// <summary>Security groups changed.</summary>
    [JsonPropertyName("securityGroups")]
    public List<RecordedSecurityGroup> SecurityGroups { get; set; } = [];

    /// <summary>The record file of an installation directory.</summary>
    public static string PathIn(string directory) => System.IO.Path.Combine(directory, Assets.ClusterState.DirectoryName, FileName);

    /// <summary>Reads the record; null when there is none.</summary>
    /// <exception cref="ConversionException">The file is not a conversion record.</exception>
    public static ConversionRecord? TryLoad(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ConversionJsonContext.Default.ConversionRecord)
                ?? throw new ConversionException($"{path}: empty conversion record");
        }
        catch (JsonException e)
        {
            throw new ConversionException($"{path}: not a ShiftStack conversion record ({e.Message})", e);
        }
    }

    /// <summary>Writes the record atomically (temporary file + rename), so an interruption never leaves half a file.</summary>
    public void Save(string directory)
    {
        var path = PathIn(directory);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        Assets.FileWriting.WriteAllText(temp, JsonSerializer.Serialize(this, ConversionJsonContext.Default.ConversionRecord) + "\n", secret: false);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The entry of a port, added when missing.</summary>
    public RecordedPort PortEntry(string id, string name, string kind)
    {
        var entry = Ports.FirstOrDefault(p => p.Id == id);
        if (entry is null)
        {
            entry = new RecordedPort { Id = id, Name = name, Kind = kind };
            Ports.Add(entry);
        }

        return entry;
    }

    /// <summary>The entry of a group, added when missing.</summary>
    public RecordedSecurityGroup GroupEntry(string role, string id, string name)
    {
        var entry = SecurityGroups.FirstOrDefault(g => g.Id == id);
        if (entry is null)
        {
            entry = new RecordedSecurityGroup { Role = role, Id = id, Name = name };
            SecurityGroups.Add(entry);
        }

        return entry;
    }
}

/// <summary>A conversion cannot go on (bad record, failed pre-check, cloud refused a change).</summary>
public sealed class ConversionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConversionException()
        : this("conversion failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConversionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConversionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConversionRecord))]
internal sealed partial class ConversionJsonContext : JsonSerializerContext;
