using System.Net;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Addresses;

/// <summary>A Neutron port as the cloud provider reads it (ports listed with <c>device_id = &lt;server id&gt;</c>).</summary>
/// <param name="Name">The port name (for messages).</param>
/// <param name="Status">Neutron's <c>status</c>; only <c>ACTIVE</c> ports count in the port pass.</param>
/// <param name="NetworkName">The name of the port's network.</param>
/// <param name="FixedIps">The fixed IP addresses, in Neutron's order.</param>
public sealed record CcmPort(string Name, string Status, string NetworkName, IReadOnlyList<string> FixedIps)
{
    /// <summary>Trunk sub-ports: each sub-port's network name and fixed IPs.</summary>
    public IReadOnlyList<CcmSubport> Subports { get; init; } = [];
}

/// <summary>A trunk sub-port's addresses, merged into Nova's address map under its network's name.</summary>
/// <param name="NetworkName">The sub-port's network name.</param>
/// <param name="FixedIps">Its fixed IPs.</param>
public sealed record CcmSubport(string NetworkName, IReadOnlyList<string> FixedIps);

/// <summary>One entry of Nova's <c>server.addresses</c> map.</summary>
/// <param name="Address">The address.</param>
/// <param name="Type"><c>OS-EXT-IPS:type</c>: <c>fixed</c> or <c>floating</c>.</param>
public sealed record NovaAddress(string Address, string Type = NovaAddress.Fixed)
{
    /// <summary>A fixed IP.</summary>
    public const string Fixed = "fixed";

    /// <summary>A floating IP.</summary>
    public const string Floating = "floating";
}

/// <summary>What the cloud provider reads about one server.</summary>
public sealed record CcmServer
{
    /// <summary>The server name.</summary>
    public required string Name { get; init; }

    /// <summary>The server's ports (Neutron order).</summary>
    public IReadOnlyList<CcmPort> Ports { get; init; } = [];

    /// <summary>Nova's <c>server.addresses</c>: network name → addresses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<NovaAddress>> Addresses { get; init; } =
        new Dictionary<string, IReadOnlyList<NovaAddress>>(StringComparer.Ordinal);

    /// <summary><c>accessIPv4</c>.</summary>
    public string? AccessIPv4 { get; init; }

    /// <summary><c>accessIPv6</c>.</summary>
    public string? AccessIPv6 { get; init; }

    /// <summary>The hostname key of the server metadata.</summary>
    public string? MetadataHostname { get; init; }

    /// <summary>
    /// A server whose Nova address map is built from its ports as Nova does (network name → every fixed IP of every
    /// attached port, whatever the port's status: Nova's network info cache does not filter on it).
    /// </summary>
    /// <param name="name">The server name.</param>
    /// <param name="ports">Its ports.</param>
    /// <returns>The server.</returns>
    public static CcmServer FromPorts(string name, IReadOnlyList<CcmPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var map = new Dictionary<string, IReadOnlyList<NovaAddress>>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            var list = map.TryGetValue(port.NetworkName, out var existing) ? existing.ToList() : [];
            list.AddRange(port.FixedIps.Select(ip => new NovaAddress(ip)));
            map[port.NetworkName] = list;
        }

        return new CcmServer { Name = name, Ports = ports, Addresses = map };
    }
}

/// <summary>
/// The addresses cloud-provider-openstack reports for a server: <c>nodeAddresses</c> and
/// <c>sortNodeAddresses</c> of <c>pkg/openstack/instances_addresses.go</c> (docs/addresses.md), reproduced
/// step by step, pure.
/// </summary>
public static class CcmNodeAddresses
{
    /// <summary>The port status whose fixed IPs the port pass takes.</summary>
    public const string ActiveStatus = "ACTIVE";

    /// <summary>
    /// The node addresses in the cloud provider's order:
    /// <list type="number">
    /// <item>every fixed IP of every <c>ACTIVE</c> port → <c>InternalIP</c> (IPv6 skipped when disabled);</item>
    /// <item><c>accessIPv4</c>/<c>accessIPv6</c> → <c>ExternalIP</c>; the metadata hostname → <c>Hostname</c>;</item>
    /// <item>Nova's address map merged with the trunk sub-ports, networks in sorted name order: <c>floating</c> →
    /// <c>ExternalIP</c>; a <c>public-network-name</c> network → <c>ExternalIP</c> (and its <c>InternalIP</c> copy
    /// removed); else, when <c>internal-network-name</c> is empty or lists the network → <c>InternalIP</c>; otherwise
    /// the address is removed from the list entirely;</item>
    /// <item>with <c>address-sort-order</c>, a stable sort: addresses matching a listed CIDR first, by CIDR order,
    /// by IP bytes within a CIDR; the rest keep their order.</item>
    /// </list>
    /// Duplicates (same text and type) are added once.
    /// </summary>
    /// <param name="server">The server and its ports.</param>
    /// <param name="options">The cloud.conf <c>[Networking]</c> options.</param>
    /// <returns>The addresses.</returns>
    public static IReadOnlyList<NodeAddress> Select(CcmServer server, CloudProviderNetworking options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var addresses = new List<NodeAddress>();

        // 1. private IPs of ACTIVE ports, in port order
        foreach (var port in server.Ports)
        {
            if (!string.Equals(port.Status, ActiveStatus, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var ip in port.FixedIps)
            {
                if (!IsIpv6(ip) || !options.Ipv6SupportDisabled)
                {
                    Add(addresses, NodeAddress.Internal(ip));
                }
            }
        }

        // 2. access IPs, 3. metadata hostname
        if (!string.IsNullOrEmpty(server.AccessIPv4))
        {
            Add(addresses, NodeAddress.External(server.AccessIPv4));
        }

        if (!string.IsNullOrEmpty(server.AccessIPv6) && !options.Ipv6SupportDisabled)
        {
            Add(addresses, NodeAddress.External(server.AccessIPv6));
        }

        if (!string.IsNullOrEmpty(server.MetadataHostname))
        {
            Add(addresses, new NodeAddress(NodeAddressType.Hostname, server.MetadataHostname));
        }

        // 4. Nova's map plus trunk sub-ports, networks in sorted name order (Go sort.Strings: ordinal)
        var map = server.Addresses.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
        foreach (var sub in server.Ports.SelectMany(p => p.Subports))
        {
            foreach (var ip in sub.FixedIps)
            {
                if (!IsIpv6(ip) || !options.Ipv6SupportDisabled)
                {
                    if (!map.TryGetValue(sub.NetworkName, out var list))
                    {
                        map[sub.NetworkName] = list = [];
                    }

                    list.Add(new NovaAddress(ip));
                }
            }
        }

        foreach (var network in map.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var entry in map[network])
            {
                NodeAddressType type;
                if (string.Equals(entry.Type, NovaAddress.Floating, StringComparison.Ordinal))
                {
                    type = NodeAddressType.ExternalIP;
                }
                else if (options.PublicNetworkNames.Contains(network, StringComparer.Ordinal))
                {
                    type = NodeAddressType.ExternalIP;
                    addresses.RemoveAll(a => string.Equals(a.Address, entry.Address, StringComparison.Ordinal));
                }
                else if (options.InternalNetworkNames.Count == 0 || options.InternalNetworkNames.Contains(network, StringComparer.Ordinal))
                {
                    type = NodeAddressType.InternalIP;
                }
                else
                {
                    // "ignored due to 'internal-network-name' option": removed whatever its type
                    addresses.RemoveAll(a => string.Equals(a.Address, entry.Address, StringComparison.Ordinal));
                    continue;
                }

                if (!IsIpv6(entry.Address) || !options.Ipv6SupportDisabled)
                {
                    Add(addresses, new NodeAddress(type, entry.Address));
                }
            }
        }

        // 5. address-sort-order
        return string.IsNullOrEmpty(options.AddressSortOrder) ? addresses : Sort(addresses, options.AddressSortOrder);
    }

    /// <summary>
    /// <c>sortNodeAddresses</c>: a stable sort by the index of the first CIDR of <paramref name="addressSortOrder"/>
    /// that contains the address (earlier CIDRs first, invalid items ignored), by IP bytes (16-byte form) among
    /// addresses of the same CIDR; addresses matching none keep their relative order after the matching ones.
    /// </summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="addressSortOrder">Comma-separated CIDRs.</param>
    /// <returns>The sorted list.</returns>
    public static IReadOnlyList<NodeAddress> Sort(IReadOnlyList<NodeAddress> addresses, string addressSortOrder)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(addressSortOrder);
        var cidrs = addressSortOrder.Split(',')
            .Select(item => item.Trim())
            .Where(item => item.Length > 0)
            .Select(item => Cidr.TryParse(item, out var c, out _) ? c : (Cidr?)null)
            .OfType<Cidr>()
            .ToList();

        int Priority(NodeAddress a)
        {
            if (!IpAddresses.TryParse(a.Address, out var ip))
            {
                return 0;
            }

            for (var i = 0; i < cidrs.Count; i++)
            {
                if (cidrs[i].Contains(ip))
                {
                    return cidrs.Count - i;
                }
            }

            return 0;
        }

        // LINQ's OrderBy is stable: priority-0 addresses share an empty key and keep their order.
        return addresses
            .Select(a => (Address: a, Priority: Priority(a)))
            .OrderByDescending(x => x.Priority)
            .ThenBy(x => x.Priority > 0 && IpAddresses.TryParse(x.Address.Address, out var ip) ? Bytes16(ip) : [], ByteArrayComparer.Instance)
            .Select(x => x.Address)
            .ToList();
    }

    private static void Add(List<NodeAddress> addresses, NodeAddress address)
    {
        if (!addresses.Contains(address))
        {
            addresses.Add(address);
        }
    }

    /// <summary>Go's <c>net.ParseIP(a).To4() == nil</c>: IPv6 (an unparsable text counts as IPv6, as in Go).</summary>
    private static bool IsIpv6(string address) =>
        !IpAddresses.TryParse(address, out var ip) || IpAddresses.FamilyOf(ip) == IpFamily.IPv6;

    private static byte[] Bytes16(IPAddress ip) =>
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip.MapToIPv6().GetAddressBytes() : ip.GetAddressBytes();

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static ByteArrayComparer Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
