using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// A "guest" and a "router" network namespace joined by a veth pair, created with iproute2 and removed on dispose
/// (deleting a namespace destroys its veth end and so the pair). The veth is created with both ends already inside
/// the namespaces, so nothing ever appears in the host's namespace and no packet leaves them. Names are unique per
/// instance (<c>ssa-&lt;hex&gt;-g</c>/<c>-r</c>; interfaces <c>sg&lt;hex&gt;</c>/<c>sr&lt;hex&gt;</c>, within IFNAMSIZ).
/// Needs root.
/// </summary>
public sealed class NamespacePair : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    private bool _disposed;

    private NamespacePair(string id)
    {
        Guest = $"ssa-{id}-g";
        Router = $"ssa-{id}-r";
        GuestInterface = "sg" + id;
        RouterInterface = "sr" + id;
    }

    /// <summary>The guest namespace.</summary>
    public string Guest { get; }

    /// <summary>The router namespace.</summary>
    public string Router { get; }

    /// <summary>The guest's veth end.</summary>
    public string GuestInterface { get; }

    /// <summary>The router's veth end.</summary>
    public string RouterInterface { get; }

    /// <summary>Creates both namespaces and the veth pair; removes whatever was created if a step fails.</summary>
    public static NamespacePair Create()
    {
        var pair = new NamespacePair(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            Ip("netns", "add", pair.Guest);
            Ip("netns", "add", pair.Router);
            Ip("link", "add", "name", pair.GuestInterface, "netns", pair.Guest, "type", "veth", "peer", "name", pair.RouterInterface, "netns", pair.Router);
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>ip &lt;args&gt;</c> and returns its standard output; throws with stderr on failure.</summary>
    public static string Ip(params string[] args) => Run("ip", args);

    /// <summary>Runs a command inside <paramref name="ns"/> (<c>ip netns exec</c>).</summary>
    public static string Exec(string ns, params string[] args) => Run("ip", ["netns", "exec", ns, .. args]);

    /// <summary>Sets sysctls inside <paramref name="ns"/> (<c>key=value</c> each).</summary>
    public static void Sysctl(string ns, params string[] settings) => Exec(ns, ["sysctl", "-q", "-w", .. settings]);

    /// <summary>The ifindex of <paramref name="interfaceName"/> inside <paramref name="ns"/>.</summary>
    public static int IfIndex(string ns, string interfaceName)
    {
        using var doc = JsonDocument.Parse(Ip("-n", ns, "-j", "link", "show", "dev", interfaceName));
        return doc.RootElement[0].GetProperty("ifindex").GetInt32();
    }

    /// <summary>
    /// The global IPv6 addresses of an interface inside a namespace, with their flags: (address, prefix length,
    /// tentative, temporary).
    /// </summary>
    public static IReadOnlyList<(IPAddress Address, int PrefixLength, bool Tentative, bool Temporary)> GlobalIpv6(string ns, string interfaceName)
    {
        using var doc = JsonDocument.Parse(Ip("-n", ns, "-j", "-6", "addr", "show", "dev", interfaceName, "scope", "global"));
        var result = new List<(IPAddress, int, bool, bool)>();
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                if (!info.TryGetProperty("local", out var local))
                {
                    continue;
                }

                result.Add((IPAddress.Parse(local.GetString()!), info.GetProperty("prefixlen").GetInt32(),
                    info.TryGetProperty("tentative", out var t) && t.GetBoolean(),
                    info.TryGetProperty("temporary", out var tmp) && tmp.GetBoolean()));
            }
        }

        return result;
    }

    /// <summary>The namespaces that currently exist (to check clean-up).</summary>
    /// <summary>
    /// ICMP echo requests the kernel of namespace <paramref name="ns"/> has received so far, in one family
    /// (<c>Icmp: InEchos</c> of <c>/proc/net/snmp</c>, <c>Icmp6InEchos</c> of <c>/proc/net/snmp6</c>; per namespace).
    /// </summary>
    public static long EchoRequestsReceived(string ns, bool ipv6)
    {
        if (ipv6)
        {
            var line = Exec(ns, "cat", "/proc/net/snmp6").Split('\n').Single(l => l.StartsWith("Icmp6InEchos ", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        var icmp = Exec(ns, "cat", "/proc/net/snmp").Split('\n').Where(l => l.StartsWith("Icmp: ", StringComparison.Ordinal)).ToList();
        var names = icmp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = icmp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "InEchos")], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> List() =>
        Ip("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToList();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var ns in new[] { Guest, Router })
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // not created (or already gone)
            }
        }
    }

    /// <summary>Runs a command and returns its standard output; throws with stderr on failure or after the timeout (20 s).</summary>
    internal static string Run(string file, string[] args, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CommandTimeout;
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: no answer within {limit.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }
}

/// <summary>
/// Opens sockets inside a named network namespace (<c>/run/netns/&lt;name&gt;</c>): a dedicated thread enters the
/// namespace with <c>setns(2)</c>, creates the socket (a socket stays in the namespace it was created in), and goes
/// back to the process's namespace before it ends, so no other thread is ever affected.
/// </summary>
internal static class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    public static System.Net.Sockets.Socket Create(string ns, Func<System.Net.Sockets.Socket> create)
    {
        System.Net.Sockets.Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var original = NativeMethods.open("/proc/thread-self/ns/net", OpenReadOnlyCloseOnExec);
            var target = NativeMethods.open(Path.Combine("/run/netns", ns), OpenReadOnlyCloseOnExec);
            try
            {
                if (original < 0 || target < 0)
                {
                    throw new InvalidOperationException($"cannot open the namespace files of {ns}: errno {Marshal.GetLastPInvokeError()}");
                }

                if (NativeMethods.setns(target, CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({ns}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                try
                {
                    socket = create();
                }
                finally
                {
                    if (NativeMethods.setns(original, CloneNewNet) != 0)
                    {
                        // The thread ends right after this; nothing else ever runs on it.
                        failure = new InvalidOperationException($"setns back failed: errno {Marshal.GetLastPInvokeError()}");
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                if (original >= 0)
                {
                    _ = NativeMethods.close(original);
                }

                if (target >= 0)
                {
                    _ = NativeMethods.close(target);
                }
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("opening a socket in namespace " + ns + " did not finish within 10 s");
        }

        if (failure is not null)
        {
            socket?.Dispose();
            throw new InvalidOperationException("cannot open a socket in namespace " + ns, failure);
        }

        return socket!;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int setns(int fd, int nstype);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
    }
}
