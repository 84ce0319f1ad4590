namespace ShiftStack.Installer.Addresses;

/// <summary>The Kubernetes <c>NodeAddressType</c> values the OpenStack cloud provider reports.</summary>
public enum NodeAddressType
{
    /// <summary><c>Hostname</c> (from the server's metadata).</summary>
    Hostname,

    /// <summary><c>ExternalIP</c> (floating IPs, access IPs, public networks).</summary>
    ExternalIP,

    /// <summary><c>InternalIP</c> (fixed IPs).</summary>
    InternalIP,
}

/// <summary>A Kubernetes <c>v1.NodeAddress</c>: a type and the address text as the cloud gave it.</summary>
/// <param name="Type">The address type.</param>
/// <param name="Address">The address (Neutron's text for fixed IPs).</param>
public sealed record NodeAddress(NodeAddressType Type, string Address)
{
    /// <summary>An <c>InternalIP</c>.</summary>
    public static NodeAddress Internal(string address) => new(NodeAddressType.InternalIP, address);

    /// <summary>An <c>ExternalIP</c>.</summary>
    public static NodeAddress External(string address) => new(NodeAddressType.ExternalIP, address);

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Address}";
}
