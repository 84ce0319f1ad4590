using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Ignition;
using ShiftStack.Installer.Manifests;
using ShiftStack.InstallConfig;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// What a node's NetworkManager is given by ShiftStack, taken from ShiftStack's own generators: the files under
/// <c>/etc/NetworkManager/conf.d/</c> of the generated bootstrap Ignition config (<c>02-ipv6.conf</c>,
/// <c>99-openstack.conf</c>) and the kernel arguments of the generated <c>99-dual-stack-master</c> MachineConfig
/// (<c>ip=dhcp,dhcp6</c>).
/// </summary>
public sealed record NodeNetworkFiles(IReadOnlyDictionary<string, byte[]> ConfD, IReadOnlyList<string> KernelArguments)
{
    private const string ConfDir = "/etc/NetworkManager/conf.d/";

    /// <summary>Runs the generators on <paramref name="config"/> and picks their NetworkManager inputs.</summary>
    public static NodeNetworkFiles Generate(InstallConfiguration config, string infraId)
    {
        var inputs = new ClusterInputs(config, new ClusterIdentity(config.Metadata.Name ?? "guest-proof", infraId, "guest-proof"),
            ResolvedPools.From(config), new CloudFacts(null, false, null, null, "RegionOne", null, []));

        using var ignition = JsonDocument.Parse(JsonText.Write(IgnitionConfigs.Bootstrap(inputs, bootstrapNodeIp: null)));
        var confD = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in ignition.RootElement.GetProperty("storage").GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            if (path.StartsWith(ConfDir, StringComparison.Ordinal))
            {
                confD[path[ConfDir.Length..]] = DecodeDataUrl(file.GetProperty("contents").GetProperty("source").GetString()!);
            }
        }

        var master = MachineConfigManifests.DualStack(inputs).Single(f => f.Path.EndsWith("99-dual-stack-master.yaml", StringComparison.Ordinal));
        using var machineConfig = JsonDocument.Parse(JsonText.Write(master.Document));
        var kernelArguments = machineConfig.RootElement.GetProperty("spec").GetProperty("kernelArguments")
            .EnumerateArray().Select(a => a.GetString()!).ToList();
        return new NodeNetworkFiles(confD, kernelArguments);
    }

    /// <summary>The same inputs without one conf.d file (a negative control).</summary>
    public NodeNetworkFiles Without(string confFile) =>
        this with { ConfD = ConfD.Where(kv => kv.Key != confFile).ToDictionary(kv => kv.Key, kv => kv.Value) };

    private static byte[] DecodeDataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        url.StartsWith("data:", StringComparison.Ordinal).ShouldBeTrue(url);
        url[..comma].EndsWith(";base64", StringComparison.Ordinal).ShouldBeTrue(url);
        return Convert.FromBase64String(url[(comma + 1)..]);
    }
}

/// <summary>
/// A guest on a Neutron port of the local cloud: a network namespace <c>ssg-&lt;hex&gt;</c> whose NIC <c>eth0</c> is
/// plugged into <c>br-int</c> by <c>hack/openstack/plug-port --netns</c> (a veth carrying the port's MAC), and the
/// real NetworkManager started on it by <c>hack/openstack/nm-guest</c> with only the given conf.d files and kernel
/// arguments, with config, state and run directories of its own (<c>/tmp/shiftstack-guest-&lt;hex&gt;</c>). Dispose
/// stops NetworkManager and its D-Bus daemon, unplugs the port, deletes the namespace and the directory, also after a
/// failure. The port must already be bound to the compute host (as Nova binds a server's port). Needs root.
/// </summary>
public sealed class NetworkManagerGuest : IDisposable
{
    /// <summary>The guest's NIC.</summary>
    public const string Interface = "eth0";

    private readonly string _repoRoot;
    private readonly string _portId;
    private Process? _networkManager;
    private bool _plugged;
    private bool _disposed;

    private NetworkManagerGuest(string repoRoot, string portId, string id)
    {
        _repoRoot = repoRoot;
        _portId = portId;
        Namespace = "ssg-" + id;
        Directory = Path.Combine(Path.GetTempPath(), "shiftstack-guest-" + id);
    }

    /// <summary>The guest's network namespace.</summary>
    public string Namespace { get; }

    /// <summary>The guest's own files: conf.d, NetworkManager's state, its D-Bus socket and <c>NetworkManager.log</c>.</summary>
    public string Directory { get; }

    private string LogPath => Path.Combine(Directory, "NetworkManager.log");

    /// <summary>
    /// Creates the namespace, plugs <paramref name="port"/> into it, runs <paramref name="plugged"/> (e.g. wait until
    /// Neutron reports the port ACTIVE, so that the first Router Solicitation is not lost) and starts NetworkManager.
    /// </summary>
    public static async Task<NetworkManagerGuest> StartAsync(string repoRoot, Port port, NodeNetworkFiles files, Func<Task> plugged)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(plugged);
        var guest = new NetworkManagerGuest(repoRoot, port.Id, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            guest.Plug(port, files);
            await plugged();
            guest.StartNetworkManager(files);
            return guest;
        }
        catch
        {
            guest.Dispose();
            throw;
        }
    }

    private void Plug(Port port, NodeNetworkFiles files)
    {
        var confD = Path.Combine(Directory, "conf.d");
        System.IO.Directory.CreateDirectory(confD);
        foreach (var (name, content) in files.ConfD)
        {
            var path = Path.Combine(confD, name);
            File.WriteAllBytes(path, content);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // mode 0600, as the Ignition file
            }
        }

        NamespacePair.Ip("netns", "add", Namespace);
        _plugged = true;
        // the "server" is only a label on the OVS port here (external-ids:vm-uuid): there is no Nova server
        Run(Path.Combine(_repoRoot, "hack", "openstack", "plug-port"), ["--netns", Namespace, "--ifname", Interface, port.Id, Guid.NewGuid().ToString(), port.MacAddress]);
    }

    private void StartNetworkManager(NodeNetworkFiles files)
    {

        var start = new ProcessStartInfo(Path.Combine(_repoRoot, "hack", "openstack", "nm-guest"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Namespace);
        start.ArgumentList.Add(Directory);
        foreach (var argument in files.KernelArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(LogPath) { AutoFlush = true };
        _networkManager = Process.Start(start) ?? throw new InvalidOperationException("cannot start hack/openstack/nm-guest");
        var gate = new object();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(line);
            }
        }

        _networkManager.OutputDataReceived += (_, e) => Write(e.Data);
        _networkManager.ErrorDataReceived += (_, e) => Write(e.Data);
        _networkManager.Exited += (_, _) => log.Dispose();
        _networkManager.EnableRaisingEvents = true;
        _networkManager.BeginOutputReadLine();
        _networkManager.BeginErrorReadLine();
    }

    /// <summary>The guest NIC's addresses: global IPv6 (with flags) and IPv4.</summary>
    public (IReadOnlyList<(IPAddress Address, int PrefixLength, bool Tentative, bool Temporary)> Ipv6, IReadOnlyList<IPAddress> Ipv4) Addresses()
    {
        using var doc = JsonDocument.Parse(NamespacePair.Ip("-n", Namespace, "-j", "-4", "addr", "show", "dev", Interface));
        var v4 = doc.RootElement.EnumerateArray()
            .SelectMany(l => l.TryGetProperty("addr_info", out var infos) ? infos.EnumerateArray().ToList() : [])
            .Where(i => i.TryGetProperty("local", out _))
            .Select(i => IPAddress.Parse(i.GetProperty("local").GetString()!)).ToList();
        return (NamespacePair.GlobalIpv6(Namespace, Interface), v4);
    }

    /// <summary>
    /// Waits (bounded) until the NIC has a usable (not tentative) global IPv6 address and an IPv4 address; throws with
    /// what it saw and the end of NetworkManager's log otherwise.
    /// </summary>
    public async Task<(IPAddress Ipv6, int PrefixLength, IPAddress Ipv4)> WaitForAddressesAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            EnsureRunning();
            var (v6, v4) = Addresses();
            var usable = v6.Where(a => !a.Tentative).ToList();
            if (usable.Count > 0 && v4.Count > 0)
            {
                usable.Count.ShouldBe(1, "one global IPv6 address (no temporary ones): " + string.Join(", ", usable.Select(a => a.Address)));
                v4.Count.ShouldBe(1);
                return (usable[0].Address, usable[0].PrefixLength, v4[0]);
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"guest {Namespace}: no usable global IPv6 and IPv4 address on {Interface} within {timeout.TotalSeconds} s\n{Diagnostics()}");
    }

    /// <summary>One ICMP echo from the guest (IPv4 or IPv6 by the address), 2 s to answer.</summary>
    public bool Ping(IPAddress address, IPAddress? source = null)
    {
        string[] args = ["ip", "netns", "exec", Namespace, "ping", address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "-6" : "-4", "-c", "1", "-W", "2"];
        if (source is not null)
        {
            args = [.. args, "-I", source.ToString()];
        }

        return TryRun("/usr/bin/env", [.. args, address.ToString()]);
    }

    /// <summary>
    /// Adds <paramref name="address"/> as a host address (/32, /128) on <see cref="Interface"/> beside NetworkManager's,
    /// without duplicate address detection, so that <see cref="Ping"/> can send from it at once.
    /// </summary>
    public void AddAddress(IPAddress address)
    {
        var v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        string[] args = ["netns", "exec", Namespace, "ip", "address", "add", $"{address}/{(v6 ? 128 : 32)}", "dev", Interface];
        Run("ip", v6 ? [.. args, "nodad"] : args);
    }

    /// <summary>A setting (e.g. <c>ipv6.addr-gen-mode</c>) of the profile active on <see cref="Interface"/>, as nmcli shows it.</summary>
    public string ProfileSetting(string name)
    {
        var profile = Nmcli("-g", "GENERAL.CONNECTION", "device", "show", Interface).Trim();
        profile.ShouldNotBeEmpty($"no profile is active on {Interface}\n{Diagnostics()}");
        return Nmcli("-g", name, "connection", "show", profile).Trim();
    }

    /// <summary><c>nmcli</c> on the guest's own bus.</summary>
    public string Nmcli(params string[] args) =>
        Run("/usr/bin/env", ["DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + Path.Combine(Directory, "bus"), "nmcli", .. args]);

    /// <summary>NetworkManager's merged configuration as it read it (<c>NetworkManager --print-config</c> in the guest's mounts).</summary>
    public string PrintConfig()
    {
        var pid = _networkManager?.Id ?? throw new InvalidOperationException("NetworkManager is not running");
        return Run("nsenter", ["--target", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mount", "--net", "NetworkManager", "--print-config"]);
    }

    /// <summary>Addresses, devices and the end of NetworkManager's log, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new System.Text.StringBuilder();
        try
        {
            text.AppendLine(NamespacePair.Ip("-n", Namespace, "addr", "show", "dev", Interface).Trim());
        }
        catch (InvalidOperationException e)
        {
            text.AppendLine(e.Message);
        }

        try
        {
            var lines = File.ReadAllLines(LogPath);
            text.AppendLine($"--- last 30 lines of {LogPath} ---");
            foreach (var line in lines.TakeLast(30))
            {
                text.AppendLine(line);
            }
        }
        catch (IOException e)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }

    private void EnsureRunning()
    {
        if (_networkManager is { HasExited: true })
        {
            throw new InvalidOperationException($"guest {Namespace}: hack/openstack/nm-guest exited {_networkManager.ExitCode}\n{Diagnostics()}");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_networkManager is not null)
        {
            if (!_networkManager.HasExited)
            {
                _networkManager.Kill(entireProcessTree: true);
                _networkManager.WaitForExit(TimeSpan.FromSeconds(10));
            }

            _networkManager.Dispose();
        }

        if (_plugged)
        {
            TryRun(Path.Combine(_repoRoot, "hack", "openstack", "plug-port"), ["--unplug", _portId]);
            TryRun("ip", ["netns", "del", Namespace]);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static bool TryRun(string file, string[] args)
    {
        try
        {
            Run(file, args);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Run(string file, string[] args) => NamespacePair.Run(file, args, TimeSpan.FromSeconds(60));
}
