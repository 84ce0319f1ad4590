namespace ShiftStack.Installer.Addresses;

/// <summary>Why a port is part of the cluster.</summary>
public enum PortRole
{
    /// <summary>Holds an <c>apiVIPs</c> address.</summary>
    ApiVip,

    /// <summary>Holds an <c>ingressVIPs</c> address.</summary>
    IngressVip,

    /// <summary>Tagged <c>openshiftClusterID=&lt;infraID&gt;</c>: a node (bootstrap, master) port.</summary>
    Node,
}

/// <summary>One port: what Neutron recorded, what the guest will configure, and whether they agree.</summary>
public sealed record PortReport
{
    /// <summary>Port id.</summary>
    public required string Id { get; init; }

    /// <summary>Port name.</summary>
    public required string Name { get; init; }

    /// <summary>Roles (a VIP port may hold both VIPs in odd setups).</summary>
    public required IReadOnlyList<PortRole> Roles { get; init; }

    /// <summary>MAC address.</summary>
    public required string MacAddress { get; init; }

    /// <summary>Neutron status (<c>ACTIVE</c>, <c>DOWN</c>, …).</summary>
    public required string Status { get; init; }

    /// <summary>Network name (the id when the network was not found).</summary>
    public required string Network { get; init; }

    /// <summary>IPv4 fixed IPs as Neutron recorded them.</summary>
    public required IReadOnlyList<string> Ipv4 { get; init; }

    /// <summary>IPv6 fixed IPs with their predictions.</summary>
    public required IReadOnlyList<Ipv6Check> Ipv6 { get; init; }

    /// <summary>Disagreements, each saying which and why.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when nothing disagrees.</summary>
    public bool Agrees => Problems.Count == 0;
}

/// <summary>One node: the addresses the cloud controller manager would publish for it.</summary>
public sealed record NodeReport
{
    /// <summary>The machine name (the port names without their <c>-&lt;index&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Its ports, machine network first.</summary>
    public required IReadOnlyList<string> Ports { get; init; }

    /// <summary>The server id, or null while the ports are not attached to a server.</summary>
    public string? ServerId { get; init; }

    /// <summary>The cloud provider's list under the generated cloud.conf (<see cref="CcmNodeAddresses.Select"/>).</summary>
    public required IReadOnlyList<NodeAddress> CloudAddresses { get; init; }

    /// <summary>The kubelet node-IP pair the guest would pass (its machine-network addresses, primary family first).</summary>
    public string? ProvidedNodeIp { get; init; }

    /// <summary>The node's addresses after the <c>provided-node-ip</c> filter.</summary>
    public NodeIpFilterResult? Published { get; init; }

    /// <summary>Facts worth knowing that are not disagreements (a DOWN port, no server yet).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Disagreements.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when the node would get exactly the expected addresses.</summary>
    public bool Agrees => Problems.Count == 0;
}

/// <summary>The result of <c>shiftstack addresses</c>.</summary>
public sealed record AddressReport
{
    /// <summary>The cluster's infraID, or null before one exists.</summary>
    public string? InfraId { get; init; }

    /// <summary>The machine networks in install-config order.</summary>
    public required IReadOnlyList<string> MachineNetworks { get; init; }

    /// <summary>The cloud.conf <c>[Networking]</c> options the node addresses were computed with.</summary>
    public required CloudProviderNetworking Networking { get; init; }

    /// <summary>Where <see cref="Networking"/> came from (the generated file, or the generator run in memory).</summary>
    public required string NetworkingSource { get; init; }

    /// <summary>The ports.</summary>
    public required IReadOnlyList<PortReport> Ports { get; init; }

    /// <summary>The nodes (empty before provisioning).</summary>
    public required IReadOnlyList<NodeReport> Nodes { get; init; }

    /// <summary>Disagreements not tied to one port or node (a VIP without a port, a cloud.conf gap).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Remarks that are not disagreements.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Neutron requests made by the collection pass.</summary>
    public long NeutronRequests { get; init; }

    /// <summary>True when every port and node agrees and nothing else is wrong.</summary>
    public bool Agrees => Problems.Count == 0 && Ports.All(p => p.Agrees) && Nodes.All(n => n.Agrees);

    /// <summary>Every disagreement, prefixed with the port or node it concerns.</summary>
    public IEnumerable<string> AllProblems =>
        Problems
            .Concat(Ports.SelectMany(p => p.Problems.Select(x => $"port {p.Name}: {x}")))
            .Concat(Nodes.SelectMany(n => n.Problems.Select(x => $"node {n.Name}: {x}")));
}
