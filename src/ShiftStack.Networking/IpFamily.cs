namespace ShiftStack.Networking;

/// <summary>An IP address family.</summary>
/// <remarks>
/// Classification follows Go and Kubernetes (<c>utilnet.IsIPv6</c> is <c>ip.To4() == nil</c>), so an IPv4-mapped
/// IPv6 address such as <c>::ffff:192.0.2.1</c> belongs to <see cref="IPv4"/>.
/// </remarks>
public enum IpFamily
{
    /// <summary>IPv4: 32-bit addresses, including IPv4-mapped IPv6 addresses.</summary>
    IPv4,

    /// <summary>IPv6: 128-bit addresses that are not IPv4-mapped.</summary>
    IPv6,
}
