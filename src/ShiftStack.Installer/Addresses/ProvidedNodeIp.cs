using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Addresses;

/// <summary>
/// kubelet's <c>alpha.kubernetes.io/provided-node-ip</c> annotation and the cloud node controller's filter on it
/// (docs/addresses.md): component-helpers <c>ParseNodeIPAnnotation</c> and cloud-provider
/// <c>GetNodeAddressesFromNodeIP</c>, as released with <c>CloudDualStackNodeIPs</c> (a pair of one IPv4 and one IPv6).
/// </summary>
public static class ProvidedNodeIp
{
    /// <summary>The annotation key.</summary>
    public const string AnnotationKey = "alpha.kubernetes.io/provided-node-ip";

    /// <summary>
    /// Parses the annotation: one IP, or a comma-separated pair of one IPv4 and one IPv6 (no spaces trimmed), neither
    /// unspecified in a pair. Errors carry the Kubernetes texts.
    /// </summary>
    /// <param name="annotation">The annotation value.</param>
    /// <param name="ips">The IPs, in order.</param>
    /// <param name="error">Why it is invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string annotation, out IReadOnlyList<IPAddress> ips, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var list = new List<IPAddress>();
        ips = list;
        foreach (var item in annotation.Split(','))
        {
            if (!TryParseSloppy(item, out var ip))
            {
                error = $"could not parse \"{item}\"";
                return false;
            }

            list.Add(ip);
        }

        if (list.Count > 2 || (list.Count == 2 && IpAddresses.FamilyOf(list[0]) == IpAddresses.FamilyOf(list[1])))
        {
            error = "must contain either a single IP or a dual-stack pair of IPs";
            return false;
        }

        if (list.Count == 2 && (IsUnspecified(list[0]) || IsUnspecified(list[1])))
        {
            error = "dual-stack node IP cannot include '0.0.0.0' or '::'";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// <c>GetNodeAddressesFromNodeIP</c>: every annotation IP must be among the cloud's addresses (compared as
    /// addresses, not text); the matches come first in annotation order; every other address of a matched type is
    /// dropped; addresses of other types follow in the cloud's order.
    /// </summary>
    /// <param name="annotation">The annotation value (kubelet's <c>--node-ip</c>).</param>
    /// <param name="cloudAddresses">The cloud provider's addresses.</param>
    /// <returns>The node's addresses, or the node controller's error (then the node keeps its old addresses).</returns>
    public static NodeIpFilterResult Filter(string annotation, IReadOnlyList<NodeAddress> cloudAddresses)
    {
        ArgumentNullException.ThrowIfNull(cloudAddresses);
        if (!TryParse(annotation, out var nodeIps, out var parseError))
        {
            return NodeIpFilterResult.Failed($"failed to parse node IP \"{annotation}\": {parseError}");
        }

        var enforced = new List<NodeAddress>();
        var matchedTypes = new HashSet<NodeAddressType>();
        foreach (var nodeIp in nodeIps)
        {
            var matched = false;
            foreach (var address in cloudAddresses)
            {
                if (TryParseSloppy(address.Address, out var ip) && IpAddresses.SemanticEquals(ip, nodeIp))
                {
                    enforced.Add(address);
                    matchedTypes.Add(address.Type);
                    matched = true;
                }
            }

            if (!matched)
            {
                return NodeIpFilterResult.Failed("failed to get node address from cloud provider that matches ip: " + IpAddresses.InstallerText(nodeIp));
            }
        }

        enforced.AddRange(cloudAddresses.Where(a => !matchedTypes.Contains(a.Type)));
        return NodeIpFilterResult.Ok(enforced);
    }

    /// <summary>The annotation kubelet writes for these node IPs: joined with <c>,</c>.</summary>
    public static string Format(IEnumerable<string> nodeIps) => string.Join(",", nodeIps);

    /// <summary>
    /// k8s.io/utils <c>ParseIPSloppy</c>: Go's <c>net.ParseIP</c>, except that IPv4 octets may have leading zeros
    /// (read as decimal).
    /// </summary>
    private static bool TryParseSloppy(string text, [NotNullWhen(true)] out IPAddress? ip)
    {
        if (IpAddresses.TryParse(text, out ip))
        {
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)))
        {
            var bytes = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            if (bytes.All(b => b <= 255))
            {
                ip = new IPAddress(bytes.Select(b => (byte)b).ToArray());
                return true;
            }
        }

        ip = null;
        return false;
    }

    private static bool IsUnspecified(IPAddress ip) =>
        ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || (ip.IsIPv4MappedToIPv6 && ip.MapToIPv4().Equals(IPAddress.Any));
}

/// <summary>The result of <see cref="ProvidedNodeIp.Filter"/>.</summary>
/// <param name="Addresses">The node's addresses (empty on error).</param>
/// <param name="Error">The node controller's error, or null.</param>
public sealed record NodeIpFilterResult(IReadOnlyList<NodeAddress> Addresses, string? Error)
{
    /// <summary>True when the node controller sets the addresses.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static NodeIpFilterResult Ok(IReadOnlyList<NodeAddress> addresses) => new(addresses, null);

    /// <summary>A failure.</summary>
    public static NodeIpFilterResult Failed(string error) => new([], error);
}
