using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>The networking lists parsed once; unparseable entries are null (validation reports them).</summary>
internal sealed class ParsedNetworks
{
    public ParsedNetworks(NetworkingConfig n)
    {
        Machine = n.MachineNetwork.Select(e => Parse(e.Cidr)).ToList();
        Service = n.ServiceNetwork.Select(Parse).ToList();
        Cluster = n.ClusterNetwork.Select(e => Parse(e.Cidr)).ToList();
        JoinSubnet = n.OvnKubernetesConfig?.IPv4?.InternalJoinSubnet is { } join ? Parse(join) : null;
    }

    public IReadOnlyList<Cidr?> Machine { get; }

    public IReadOnlyList<Cidr?> Service { get; }

    public IReadOnlyList<Cidr?> Cluster { get; }

    public Cidr? JoinSubnet { get; }

    public static Cidr? Parse(string? text) => Cidr.TryParse(text ?? string.Empty, out var c, out _) ? c : null;

    /// <summary>The lists by field name, in sorted order (clusterNetwork, machineNetwork, serviceNetwork).</summary>
    public IEnumerable<(string Name, IReadOnlyList<Cidr> Cidrs)> Lists()
    {
        yield return ("clusterNetwork", Valid(Cluster));
        yield return ("machineNetwork", Valid(Machine));
        yield return ("serviceNetwork", Valid(Service));
    }

    public static IReadOnlyList<Cidr> Valid(IEnumerable<Cidr?> list) => list.Where(c => c.HasValue).Select(c => c!.Value).ToList();

    /// <summary>The reference's dual-stack detection: service networks of both families.</summary>
    public bool IsDualStack => ServiceHas(IpFamily.IPv4) && ServiceHas(IpFamily.IPv6);

    public bool ServiceHas(IpFamily family) => Valid(Service).Any(c => c.Family == family);

    /// <summary>Family of a list's first entry, as the reference's "primary" (null when the list is empty).</summary>
    public static IpFamily? Primary(IReadOnlyList<Cidr> list) => list.Count == 0 ? null : list[0].Family;

    /// <summary>Go's <c>IPNet.String()</c> for a network with host bits cleared: the "expecting" text.</summary>
    public static string NetworkText(Cidr c) =>
        IpAddresses.InstallerText(c.Network) + "/" + c.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
