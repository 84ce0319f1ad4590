using System.Text;
using System.Text.Json;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Addresses;
using ShiftStack.Installer.Installation;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// The dual-stack facts ShiftStack checks in openshift-install's assets before provisioning, as warnings (ShiftStack
/// boots openshift-install's configs as they are, adding only what the UPI playbooks add: each server's hostname):
/// <list type="bullet">
/// <item><c>bootstrap.ign</c> writes <c>/etc/NetworkManager/conf.d/02-ipv6.conf</c> with <c>ipv6.addr-gen-mode=0</c>
/// (EUI-64; openshift-install 4.15 and later, for OpenStack dual-stack). Without it the nodes take stable-privacy
/// SLAAC addresses that Neutron did not record, and the port security drops their IPv6 traffic.</item>
/// <item>A dual-stack config names both subnets in <c>platform.openstack.controlPlanePort</c>, the only way
/// openshift-install installs dual-stack on OpenStack.</item>
/// </list>
/// </summary>
public static class IgnitionChecks
{
    /// <summary>The file openshift-install writes for dual-stack on OpenStack.</summary>
    public const string Ipv6ConfPath = "/etc/NetworkManager/conf.d/02-ipv6.conf";

    /// <summary>The warnings for a directory about to be provisioned (none when it boots no openshift-install Ignition).</summary>
    public static IReadOnlyList<string> Check(InstallationDirectory directory, InstallConfiguration config, IgnitionDelivery? ignition)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        var notes = new List<string>();
        if (ignition is not { Origin: IgnitionOrigin.OpenShiftInstall })
        {
            return notes;
        }

        var dualStack = config.Networking?.MachineNetwork.Any(m => m.Cidr is { } c && c.Contains(':', StringComparison.Ordinal)) == true
            || config.Platform.OpenStack?.ApiVips.Any(v => IpAddresses.TryParse(v, out System.Net.IPAddress? a) && a!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == true;
        if (!dualStack)
        {
            return notes;
        }

        if (config.Platform.OpenStack?.ControlPlanePort is not { FixedIPs.Count: 2 })
        {
            notes.Add("warning: the install-config is dual-stack but platform.openstack.controlPlanePort does not name an IPv4 and an IPv6 subnet: openshift-install installs dual-stack on OpenStack only on such a port's network");
        }

        var conf = FindFile(directory.FilePath(InstallationDirectory.BootstrapIgnitionFileName), Ipv6ConfPath);
        if (conf is null)
        {
            notes.Add($"warning: bootstrap.ign has no {Ipv6ConfPath} (openshift-install before 4.15?): the nodes' SLAAC IPv6 addresses will be stable-privacy ones that Neutron did not record, and their IPv6 traffic is dropped by port security; use openshift-install 4.15 or later for dual-stack");
        }
        else if (!conf.Contains("addr-gen-mode", StringComparison.Ordinal) || SafeMode(conf) != KernelIpv6Settings.Eui64)
        {
            notes.Add($"warning: {Ipv6ConfPath} in bootstrap.ign does not set ipv6.addr-gen-mode=0 (EUI-64): the nodes' SLAAC IPv6 addresses will not be the ones Neutron recorded");
        }

        return notes;
    }

    /// <summary>The decoded contents of a file an Ignition config writes (a <c>data:</c> URL), or null.</summary>
    public static string? FindFile(string ignitionPath, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(ignitionPath));
            if (!doc.RootElement.TryGetProperty("storage", out var storage) || !storage.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var file in files.EnumerateArray())
            {
                if (file.TryGetProperty("path", out var p) && p.GetString() == path
                    && file.TryGetProperty("contents", out var contents) && contents.TryGetProperty("source", out var source))
                {
                    return DecodeDataUrl(source.GetString());
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The content of a <c>data:</c> URL (base64 or percent-encoded); null for other URLs.</summary>
    public static string? DecodeDataUrl(string? url)
    {
        if (url is null || !url.StartsWith("data:", StringComparison.Ordinal))
        {
            return null;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return null;
        }

        var meta = url[5..comma];
        var data = url[(comma + 1)..];
        return meta.EndsWith(";base64", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : Uri.UnescapeDataString(data);
    }

    private static int SafeMode(string conf)
    {
        try
        {
            return NetworkManagerIpv6.KernelSettings(conf).AddrGenMode;
        }
        catch (FormatException)
        {
            return -1;
        }
    }
}
