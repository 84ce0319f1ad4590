using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// The bootstrap machine of a cluster: its server, its ports, its floating IP and the Glance image holding its Ignition;
/// what <c>destroy bootstrap</c> removes, and what <c>create cluster</c> no longer makes once it was removed.
/// </summary>
public static class BootstrapMachine
{
    /// <summary>The desired cluster without its bootstrap machine (after <c>destroy bootstrap</c>).</summary>
    public static DesiredCluster Without(DesiredCluster desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var machine = ClusterNames.BootstrapMachine(desired.InfraId);
        return desired with
        {
            Ports = desired.Ports.Where(p => !string.Equals(p.Machine, machine, StringComparison.Ordinal)).ToList(),
            Servers = desired.Servers.Where(s => s.Role != Planning.MachineRole.Bootstrap).ToList(),
            BootstrapFloatingIp = null,
            BootstrapIgnitionImage = null,
        };
    }

    /// <summary>True when a port belongs to the bootstrap machine (<c>&lt;infraID&gt;-bootstrap-&lt;n&gt;</c>).</summary>
    public static bool IsPort(string infraId, string portName) =>
        portName.StartsWith(ClusterNames.BootstrapMachine(infraId) + "-", StringComparison.Ordinal)
        && int.TryParse(portName.AsSpan(ClusterNames.BootstrapMachine(infraId).Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}
