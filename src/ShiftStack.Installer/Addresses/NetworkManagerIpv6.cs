using System.Globalization;

namespace ShiftStack.Installer.Addresses;

/// <summary>The Linux per-interface IPv6 sysctls a NetworkManager IPv6 configuration amounts to.</summary>
/// <param name="AddrGenMode"><c>net.ipv6.conf.&lt;if&gt;.addr_gen_mode</c>: 0 EUI-64, 2 stable-privacy (RFC 7217).</param>
/// <param name="UseTempaddr"><c>use_tempaddr</c> (RFC 4941 privacy addresses); null leaves the kernel default (0).</param>
public sealed record KernelIpv6Settings(int AddrGenMode, int? UseTempaddr)
{
    /// <summary>Kernel <c>IN6_ADDR_GEN_MODE_EUI64</c>.</summary>
    public const int Eui64 = 0;

    /// <summary>Kernel <c>IN6_ADDR_GEN_MODE_NONE</c>.</summary>
    public const int None = 1;

    /// <summary>Kernel <c>IN6_ADDR_GEN_MODE_STABLE_PRIVACY</c>.</summary>
    public const int StablePrivacy = 2;

    /// <summary>Kernel <c>IN6_ADDR_GEN_MODE_RANDOM</c>.</summary>
    public const int Random = 3;
}

/// <summary>
/// Reads the IPv6 address-generation settings of a NetworkManager <c>conf.d</c> file (the global
/// <c>[connection]</c> defaults, docs/addresses.md) and says which kernel settings give a guest the same interface
/// identifier.
/// </summary>
public static class NetworkManagerIpv6
{
    /// <summary>
    /// Maps <c>ipv6.addr-gen-mode</c> (names or numbers, as NetworkManager's keyfile reader accepts) and
    /// <c>ipv6.ip6-privacy</c> of the <c>[connection]</c> section to kernel sysctls. <c>eui64</c> (0) → 0;
    /// <c>stable-privacy</c> (1) → 2; <c>default-or-eui64</c> (2) and an absent key → 0 (no other global default,
    /// so the eui64 fallback); <c>default</c> (3) → 2 (its stable-privacy fallback). <c>ip6-privacy</c> -1 or absent →
    /// null (the sysctl default), else the value.
    /// </summary>
    /// <remarks>
    /// NetworkManager itself handles Router Advertisements in user space and computes the interface identifier with
    /// the same RFC 4291 modified EUI-64 as the kernel; the sysctls are the kernel's equivalent, which a test can apply
    /// in a network namespace without running NetworkManager.
    /// </remarks>
    /// <param name="conf">The conf.d file text, e.g. <c>[connection]\nipv6.addr-gen-mode=0\n</c>.</param>
    /// <returns>The kernel settings.</returns>
    /// <exception cref="FormatException">An unknown <c>addr-gen-mode</c> or <c>ip6-privacy</c> value.</exception>
    public static KernelIpv6Settings KernelSettings(string conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        string? mode = null;
        string? privacy = null;
        var inConnection = false;
        foreach (var raw in conf.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                inConnection = line.StartsWith("[connection", StringComparison.Ordinal);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (!inConnection || eq < 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (key == "ipv6.addr-gen-mode")
            {
                mode = value;
            }
            else if (key == "ipv6.ip6-privacy")
            {
                privacy = value;
            }
        }

        var addrGenMode = mode switch
        {
            null or "eui64" or "0" or "default-or-eui64" or "2" => KernelIpv6Settings.Eui64,
            "stable-privacy" or "1" or "default" or "3" => KernelIpv6Settings.StablePrivacy,
            _ => throw new FormatException($"unknown ipv6.addr-gen-mode '{mode}'"),
        };
        int? useTempaddr = privacy switch
        {
            null or "-1" or "unknown" => null,
            "0" or "disabled" => 0,
            "1" or "enabled-prefer-public-addr" => 1,
            "2" or "enabled-prefer-temp-addr" => 2,
            _ => throw new FormatException($"unknown ipv6.ip6-privacy '{privacy}'"),
        };
        return new KernelIpv6Settings(addrGenMode, useTempaddr);
    }

    /// <summary>The sysctl lines for one interface, e.g. <c>net.ipv6.conf.eth0.addr_gen_mode=0</c>.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="interfaceName">The interface.</param>
    /// <returns>The <c>key=value</c> lines (<c>use_tempaddr</c> always written, 0 when left to the default).</returns>
    public static IReadOnlyList<string> Sysctls(KernelIpv6Settings settings, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            $"net.ipv6.conf.{interfaceName}.addr_gen_mode={settings.AddrGenMode.ToString(CultureInfo.InvariantCulture)}",
            $"net.ipv6.conf.{interfaceName}.use_tempaddr={(settings.UseTempaddr ?? 0).ToString(CultureInfo.InvariantCulture)}",
        ];
    }
}
