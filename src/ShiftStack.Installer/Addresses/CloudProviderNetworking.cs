using System.Text;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Manifests;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiftStack.Installer.Addresses;

/// <summary>
/// The <c>[Networking]</c> options of cloud-provider-openstack's cloud.conf that decide a node's addresses
/// (docs/addresses.md; <c>NetworkingOpts</c> in <c>pkg/openstack/openstack.go</c>).
/// </summary>
public sealed record CloudProviderNetworking
{
    /// <summary>The section name.</summary>
    public const string SectionName = "Networking";

    /// <summary>No options: every fixed IP of every network becomes an <c>InternalIP</c>, unsorted.</summary>
    public static CloudProviderNetworking None { get; } = new();

    /// <summary><c>ipv6-support-disabled</c>: IPv6 addresses are skipped.</summary>
    public bool Ipv6SupportDisabled { get; init; }

    /// <summary><c>public-network-name</c> (repeatable): addresses on these networks become <c>ExternalIP</c>.</summary>
    public IReadOnlyList<string> PublicNetworkNames { get; init; } = [];

    /// <summary><c>internal-network-name</c> (repeatable): when set, only these networks give <c>InternalIP</c>s.</summary>
    public IReadOnlyList<string> InternalNetworkNames { get; init; } = [];

    /// <summary><c>address-sort-order</c>: comma-separated CIDRs; matching addresses move to the front.</summary>
    public string? AddressSortOrder { get; init; }

    /// <summary>
    /// Reads the <c>[Networking]</c> section of a cloud.conf as gcfg does: section and key names case-insensitive,
    /// <c>;</c>/<c>#</c> comments, optional double quotes around values, repeated keys for the network-name lists,
    /// the last value winning for single keys. Other sections are ignored.
    /// </summary>
    /// <param name="cloudConf">The cloud.conf text.</param>
    /// <returns>The options (<see cref="None"/> without a <c>[Networking]</c> section).</returns>
    public static CloudProviderNetworking Parse(string cloudConf)
    {
        ArgumentNullException.ThrowIfNull(cloudConf);
        var inSection = false;
        var publicNames = new List<string>();
        var internalNames = new List<string>();
        string? sortOrder = null;
        var ipv6Disabled = false;
        foreach (var raw in cloudConf.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                var name = end > 0 ? line[1..end].Trim() : line[1..];
                inSection = string.Equals(name, SectionName, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? line : line[..eq]).Trim().ToUpperInvariant();
            var value = eq < 0 ? "true" : Unquote(line[(eq + 1)..].Trim());
            switch (key)
            {
                case "IPV6-SUPPORT-DISABLED":
                    ipv6Disabled = bool.TryParse(value, out var b) ? b : value is "1" or "yes" or "on";
                    break;
                case "PUBLIC-NETWORK-NAME":
                    publicNames.Add(value);
                    break;
                case "INTERNAL-NETWORK-NAME":
                    internalNames.Add(value);
                    break;
                case "ADDRESS-SORT-ORDER":
                    sortOrder = value;
                    break;
                default:
                    break;
            }
        }

        return new CloudProviderNetworking
        {
            Ipv6SupportDisabled = ipv6Disabled,
            PublicNetworkNames = publicNames,
            InternalNetworkNames = internalNames,
            AddressSortOrder = sortOrder,
        };
    }

    /// <summary>
    /// What the <c>[Networking]</c> section must say so that the cloud provider reports exactly one IPv4 and one IPv6
    /// <c>InternalIP</c> per node, primary family first, even without kubelet node IPs: <c>address-sort-order</c> =
    /// the machine networks in install-config order (docs/deviations.md §7), and <c>internal-network-name</c> = the
    /// machine network's name, so that additional networks (storage) give no <c>InternalIP</c>. Null settings for
    /// single-stack machine networks (nothing to add).
    /// </summary>
    /// <param name="config">The processed install-config.</param>
    /// <param name="machineNetworkName">The Neutron name of the nodes' network (given or looked up); null when unknown.</param>
    /// <returns>The settings, or null when the machine network is single-stack.</returns>
    public static CloudProviderNetworking? For(InstallConfiguration config, string? machineNetworkName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cidrs = MachineCidrs(config);
        if (!CidrList.HasBothFamilies(cidrs))
        {
            return null;
        }

        return new CloudProviderNetworking
        {
            AddressSortOrder = string.Join(",", cidrs.Select(c => c.ToString())),
            InternalNetworkNames = string.IsNullOrEmpty(machineNetworkName) ? [] : [machineNetworkName],
        };
    }

    /// <summary>
    /// The <c>[Networking]</c> section ShiftStack's manifests generator writes for <paramref name="config"/>
    /// (<see cref="ClusterManifests.CloudConf"/>, run on the install-config alone: the section depends on nothing
    /// else), so the address check follows the generator rather than a copy of it.
    /// </summary>
    /// <param name="config">The processed install-config.</param>
    /// <returns>The options the generated cloud.conf gives the cloud provider.</returns>
    public static CloudProviderNetworking Generated(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inputs = new ClusterInputs(
            config,
            new ClusterIdentity(config.Metadata.Name ?? string.Empty, string.Empty, string.Empty),
            new ResolvedPools(new ResolvedPool(MachineRole.Master.Name, 3, new OpenStackMachinePool()), []),
            new CloudFacts(null, false, null, null, null, null, []));
        return Parse(ClusterManifests.CloudConf(inputs));
    }

    /// <summary>The generated ConfigMap file, relative to the installation directory.</summary>
    public const string ConfigMapPath = "manifests/cloud-provider-config.yaml";

    /// <summary>
    /// Reads the <c>[Networking]</c> options from the generated ConfigMap <c>openshift-config/cloud-provider-config</c>
    /// (its <c>data.config</c> is cloud.conf).
    /// </summary>
    /// <param name="yaml">The ConfigMap YAML.</param>
    /// <returns>The options.</returns>
    /// <exception cref="FormatException">Not a ConfigMap with <c>data.config</c>.</exception>
    public static CloudProviderNetworking FromConfigMap(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException("not YAML: " + e.Message, e);
        }

        if (stream.Documents.Count == 0
            || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("data"), out var data)
            || data is not YamlMappingNode dataMap
            || !dataMap.Children.TryGetValue(new YamlScalarNode("config"), out var config)
            || config is not YamlScalarNode { Value: { } text })
        {
            throw new FormatException("no data.config (cloud.conf) in the ConfigMap");
        }

        return Parse(text);
    }

    /// <summary>The machine network CIDRs in install-config order (unparsable entries skipped).</summary>
    public static IReadOnlyList<Cidr> MachineCidrs(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (config.Networking?.MachineNetwork ?? [])
            .Select(m => Cidr.TryParse(m.Cidr, out var c, out _) ? c : (Cidr?)null)
            .OfType<Cidr>()
            .ToList();
    }

    /// <summary>The section as cloud.conf text (empty when there is nothing to write).</summary>
    public string ToIni()
    {
        if (this == None || (!Ipv6SupportDisabled && PublicNetworkNames.Count == 0 && InternalNetworkNames.Count == 0 && string.IsNullOrEmpty(AddressSortOrder)))
        {
            return string.Empty;
        }

        var sb = new StringBuilder("[Networking]\n");
        if (Ipv6SupportDisabled)
        {
            sb.Append("ipv6-support-disabled = true\n");
        }

        if (!string.IsNullOrEmpty(AddressSortOrder))
        {
            sb.Append("address-sort-order = ").Append(AddressSortOrder).Append('\n');
        }

        foreach (var name in PublicNetworkNames)
        {
            sb.Append("public-network-name = ").Append(name).Append('\n');
        }

        foreach (var name in InternalNetworkNames)
        {
            sb.Append("internal-network-name = ").Append(name).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>One line for people: <c>address-sort-order = …; internal-network-name = …</c>, or <c>(none)</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Ipv6SupportDisabled)
        {
            parts.Add("ipv6-support-disabled = true");
        }

        if (!string.IsNullOrEmpty(AddressSortOrder))
        {
            parts.Add("address-sort-order = " + AddressSortOrder);
        }

        parts.AddRange(PublicNetworkNames.Select(n => "public-network-name = " + n));
        parts.AddRange(InternalNetworkNames.Select(n => "internal-network-name = " + n));
        return parts.Count == 0 ? "(none)" : string.Join("; ", parts);
    }

    /// <inheritdoc />
    public bool Equals(CloudProviderNetworking? other) =>
        other is not null
        && Ipv6SupportDisabled == other.Ipv6SupportDisabled
        && string.Equals(AddressSortOrder ?? string.Empty, other.AddressSortOrder ?? string.Empty, StringComparison.Ordinal)
        && PublicNetworkNames.SequenceEqual(other.PublicNetworkNames, StringComparer.Ordinal)
        && InternalNetworkNames.SequenceEqual(other.InternalNetworkNames, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ipv6SupportDisabled, AddressSortOrder, PublicNetworkNames.Count, InternalNetworkNames.Count);

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : value;
}
