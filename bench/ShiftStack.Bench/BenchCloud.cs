using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.Bench;

/// <summary>
/// The benchmark's corner of the local cloud: a Keystone project and user of its own (so Neutron's access log tells its
/// requests apart from other engineers'), a counting proxy in front of Keystone (so token requests are counted the
/// same way for every tool), and a network with an IPv4 and an IPv6 subnet. Every name starts with
/// <see cref="Prefix"/> (<c>ss-bench-&lt;random&gt;-</c>); everything is deleted on dispose, also after a failure.
/// </summary>
internal sealed class BenchCloud : IAsyncDisposable
{
    public const string CloudName = "bench";

    private readonly Process _proxy;
    private readonly HttpClient _http = new();
    private readonly List<NetworkingClient> _clients = [];

    private BenchCloud(string prefix, string directory, Process proxy, int proxyPort)
    {
        Prefix = prefix;
        Directory = directory;
        _proxy = proxy;
        ProxyPort = proxyPort;
    }

    public string Prefix { get; }

    /// <summary>Private temporary folder (mode 0700) holding the bench clouds.yaml (mode 0600).</summary>
    public string Directory { get; }

    public string CloudsYaml => Path.Combine(Directory, "clouds.yaml");

    public int ProxyPort { get; }

    public string UserId { get; private set; } = string.Empty;

    public string ProjectId { get; private set; } = string.Empty;

    /// <summary>The bench user's client for set-up and clean-up (its requests fall outside every timed window).</summary>
    public NetworkingClient Setup { get; private set; } = null!;

    public NeutronLog Log { get; } = new(Paths.NeutronLog);

    public Network Network { get; private set; } = null!;

    public Subnet V4 { get; private set; } = null!;

    public Subnet V6 { get; private set; } = null!;

    public string Ipv6Mode { get; private set; } = "slaac";

    public static async Task<BenchCloud> CreateAsync(string ipv6Mode = "slaac")
    {
        var prefix = "ss-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)) + "-";
        var directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName; // mode 0700 on Unix
        var keystone = new Uri(CloudConfigLoader.LoadFromFile(Paths.LocalCloudsYaml, "local-admin").Auth.AuthUrl!);
        var proxy = Process.Start(new ProcessStartInfo(Paths.Python, [Path.Combine(Paths.Tools, "keystone_counter.py"), keystone.Port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        var port = int.Parse((await proxy.StandardOutput.ReadLineAsync().ConfigureAwait(false))!, CultureInfo.InvariantCulture);
        var cloud = new BenchCloud(prefix, directory, proxy, port);
        try
        {
            await cloud.InitializeAsync(ipv6Mode).ConfigureAwait(false);
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(string ipv6Mode)
    {
        Console.WriteLine($"bench cloud: project/user {Prefix}project/{Prefix}user, Keystone counter on 127.0.0.1:{ProxyPort}");
        var (code, output, error) = await Tool.RunAsync(Paths.Python,
            [Path.Combine(Paths.Tools, "bench_identity.py"), "create", Prefix, Directory, $"http://127.0.0.1:{ProxyPort}/v3"],
            LocalEnvironment()).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("bench_identity.py create failed: " + error);
        }

        var ids = JsonNode.Parse(output)!;
        UserId = (string)ids["user_id"]!;
        ProjectId = (string)ids["project_id"]!;
        Setup = NewClient();
        Ipv6Mode = ipv6Mode;
        Network = await Setup.Networks.CreateAsync(new NetworkCreateOptions { Name = Prefix + "net" }).ConfigureAwait(false);
        var a = RandomNumberGenerator.GetInt32(100, 250);
        var b = RandomNumberGenerator.GetInt32(1, 250);
        V4 = await Setup.Subnets.CreateAsync(new SubnetCreateOptions
        {
            NetworkId = Network.Id, IpVersion = 4, Name = Prefix + "v4",
            Cidr = string.Create(CultureInfo.InvariantCulture, $"10.{a}.{b}.0/24"),
        }).ConfigureAwait(false);
        var mode = new Ipv6Mode(ipv6Mode);
        V6 = await Setup.Subnets.CreateAsync(new SubnetCreateOptions
        {
            NetworkId = Network.Id, IpVersion = 6, Name = Prefix + "v6",
            Cidr = $"fd{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(1))}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}:1::/64",
            Ipv6AddressMode = mode,
            Ipv6RaMode = mode,
        }).ConfigureAwait(false);
    }

    /// <summary>A new client of the bench user with its own request counter (the caller disposes it… or not: all are disposed with the cloud).</summary>
    public NetworkingClient NewClient(RequestCounter? counter = null)
    {
        var client = new NetworkingClient(CloudConfigLoader.LoadFromFile(CloudsYaml, CloudName), new OpenStackClientOptions { RequestCounter = counter ?? new RequestCounter() });
        _clients.Add(client);
        return client;
    }

    /// <summary>The environment for child tools using the bench cloud (never the local clouds.yaml with its admin).</summary>
    public Dictionary<string, string?> ToolEnvironment() => new(StringComparer.Ordinal)
    {
        ["OS_CLIENT_CONFIG_FILE"] = CloudsYaml,
        ["OS_CLOUD"] = CloudName,
    };

    private static Dictionary<string, string?> LocalEnvironment() => new(StringComparer.Ordinal)
    {
        ["OS_CLIENT_CONFIG_FILE"] = Paths.LocalCloudsYaml,
        ["OS_CLOUD"] = null,
    };

    /// <summary>Keystone requests through the counter since the last call, by method and path.</summary>
    public async Task<JsonObject> TakeKeystoneCountsAsync() =>
        (await _http.GetFromJsonAsync<JsonObject>(new Uri($"http://127.0.0.1:{ProxyPort}/__bench/counts?reset=1")).ConfigureAwait(false))!;

    /// <summary>The API and Ingress VIP ports, as a user creates them (<c>openstack port create --network N api</c>).</summary>
    public async Task<(Port Api, Port Ingress)> CreateVipPortsAsync(string name)
    {
        var api = await Setup.Ports.CreateAsync(new PortCreateOptions { NetworkId = Network.Id, Name = name + "-api" }).ConfigureAwait(false);
        var ingress = await Setup.Ports.CreateAsync(new PortCreateOptions { NetworkId = Network.Id, Name = name + "-ingress" }).ConfigureAwait(false);
        return (api, ingress);
    }

    /// <summary>A dummy pull secret (no real credential).</summary>
    private const string PullSecret = """{"auths":{"registry.example.com":{"auth":"YmVuY2g6YmVuY2g="}}}""";

    public static string Address(Port port, bool v6) => port.FixedIps.Single(ip => ip.IpAddress.Contains(':', StringComparison.Ordinal) == v6).IpAddress;

    /// <summary>Writes a dual-stack install-config for this network and returns it loaded, defaulted and validated.</summary>
    public InstallConfiguration WriteInstallConfig(string directory, string clusterName, Port api, Port ingress, int masters = 3)
    {
        System.IO.Directory.CreateDirectory(directory);
        var yaml = new InstallConfigYaml
        {
            ClusterName = clusterName,
            Masters = masters,
            MasterFlavor = "m1.fake",
            Workers = 2,
            MachineNetworks = [V4.Cidr, V6.Cidr],
            Cloud = CloudName,
            ApiVips = [Address(api, false), Address(api, true)],
            IngressVips = [Address(ingress, false), Address(ingress, true)],
            ControlPlaneNetwork = InstallConfigYaml.Named(Network.Name),
            ControlPlaneSubnets = [InstallConfigYaml.Named(V4.Name), InstallConfigYaml.Named(V6.Name)],
            PullSecret = PullSecret,
        }.ToString();
        File.WriteAllText(Path.Combine(directory, "install-config.yaml"), yaml + "\n");
        var file = InstallConfigFile.Load(directory, _ => null);
        if (!file.IsValid)
        {
            throw new InvalidOperationException("bench install-config is invalid: " + string.Join("; ", file.Errors.Select(e => e.Message)));
        }

        return file.Config!;
    }

    /// <summary>Deletes every port and security group whose name starts with <paramref name="namePrefix"/>.</summary>
    public async Task DeleteByPrefixAsync(string namePrefix)
    {
        var ports = (await Setup.Ports.ListAsync(new PortListOptions { NetworkId = Network.Id }).ConfigureAwait(false))
            .Where(p => p.Name.StartsWith(namePrefix, StringComparison.Ordinal)).ToList();
        await Parallel.ForEachAsync(ports, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (p, ct) => await Setup.Ports.DeleteIfExistsAsync(p.Id, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var group in (await Setup.SecurityGroups.ListAsync().ConfigureAwait(false)).Where(g => g.Name.StartsWith(namePrefix, StringComparison.Ordinal)))
        {
            await Setup.SecurityGroups.DeleteIfExistsAsync(group.Id).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Setup is not null && Network is not null)
            {
                await DeleteByPrefixAsync(Prefix).ConfigureAwait(false);
                await Setup.Networks.DeleteIfExistsAsync(Network.Id).ConfigureAwait(false);
            }
        }
        catch (OpenStackException ex)
        {
            Console.Error.WriteLine("bench clean-up: " + ex.Message + " (bench_identity.py delete sweeps the rest)");
        }
        finally
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            // The project sweep deletes whatever is left (ports, networks, groups incl. Neutron's "default"), then user and project.
            var (code, _, error) = await Tool.RunAsync(Paths.Python, [Path.Combine(Paths.Tools, "bench_identity.py"), "delete", Prefix], LocalEnvironment()).ConfigureAwait(false);
            if (code != 0)
            {
                Console.Error.WriteLine($"bench clean-up: bench_identity.py delete {Prefix} failed: {error}");
            }

            _proxy.StandardInput.Close();
            if (!_proxy.WaitForExit(5000))
            {
                _proxy.Kill();
            }

            _proxy.Dispose();
            _http.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
            Console.WriteLine($"bench cloud {Prefix}: cleaned up");
        }
    }
}

/// <summary>Runs a child process and captures its output.</summary>
internal static class Tool
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
