using System.Security.Cryptography;
using ShiftStack.Installer.Preflight;
using ShiftStack.Installer.Validation;
using ShiftStack.IntegrationTests.OpenStack;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>The user's side of a dual-stack cluster, built on the local Neutron for one test.</summary>
public sealed record DualStackNetwork(Network Network, Subnet V4, Subnet V6, Port? Api, Port? Ingress)
{
    public string Address(Port port, IpFamily family) =>
        port.FixedIps.Select(ip => ip.IpAddress).First(ip => IpAddresses.TryParse(ip, out var a) && IpAddresses.FamilyOf(a) == family);
}

/// <summary>
/// One pre-flight integration test's resources and install-config: every name starts with the run's prefix and a
/// random tag of its own (<c>ss-it-&lt;run&gt;-pf&lt;tag&gt;-</c>), and everything is deleted at the end, also after a failure.
/// </summary>
public sealed class PreflightScenario(LocalCloud cloud)
{
    public const string V4Cidr = "10.0.0.0/16";
    public const string V6Cidr = "2001:db8:2222:5555::/64";

    private static readonly string SshKey = File.ReadLines(Path.Combine(FindRepoRoot(), "examples", "dual-stack", "install-config.yaml"))
        .First(l => l.StartsWith("sshKey: ", StringComparison.Ordinal))["sshKey: ".Length..];

    private readonly string _tag = "pf" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly List<string> _dirs = [];

    public NeutronResources Resources { get; } = new(cloud.Networking, cloud);

    public NetworkingClient Client => cloud.Networking;

    public LocalCloud Cloud => cloud;

    /// <summary>The cluster name (<c>metadata.name</c>) of this test's install-configs: its random tag.</summary>
    public string ClusterName => _tag;

    /// <summary>The name a resource gets in Neutron (run prefix + test tag + <paramref name="name"/>).</summary>
    public string Name(string name) => Resources.Name(Local(name));

    /// <summary>The name to pass to <see cref="NeutronResources"/> (which adds the run prefix).</summary>
    public string Local(string name) => _tag + "-" + name;

    public Task<Network> NetworkAsync(string name = "net") => Resources.NetworkAsync(Local(name));

    public Task<Subnet> V4SubnetAsync(string networkId, string name = "v4", string cidr = V4Cidr) => Resources.Ipv4SubnetAsync(networkId, cidr, Local(name));

    public Task<Subnet> V6SubnetAsync(string networkId, Ipv6Mode mode, string name = "v6", string cidr = V6Cidr) => Resources.Ipv6SubnetAsync(networkId, cidr, mode, Local(name));

    public Task<Port> PortAsync(string networkId, string name, params FixedIpRequest[] fixedIps) =>
        Resources.PortAsync(new PortCreateOptions { NetworkId = networkId, Name = Local(name), FixedIps = fixedIps.Length == 0 ? null : fixedIps });

    public async Task<Router> RouterOnAsync(string subnetId, string name = "router")
    {
        var router = await Resources.RouterAsync(new RouterCreateOptions { Name = Local(name) });
        await Resources.RouterInterfaceAsync(router.Id, subnetId);
        return router;
    }

    /// <summary>The seed's workflow: network, IPv4 subnet, IPv6 subnet with a router, and the two VIP ports without fixed IPs.</summary>
    public async Task<DualStackNetwork> DualStackAsync(Ipv6Mode? mode = null, bool router = true, bool ports = true)
    {
        var network = await NetworkAsync();
        var v4 = await V4SubnetAsync(network.Id);
        var v6 = await V6SubnetAsync(network.Id, mode ?? Ipv6Mode.Slaac);
        if (router)
        {
            await RouterOnAsync(v6.Id);
        }

        var api = ports ? await PortAsync(network.Id, "api") : null;
        var ingress = ports ? await PortAsync(network.Id, "ingress") : null;
        return new DualStackNetwork(network, v4, v6, api, ingress);
    }

    /// <summary>An install-config for <paramref name="net"/>, the VIPs taken from its ports unless given.</summary>
    public string InstallConfig(
        DualStackNetwork net,
        IReadOnlyList<string>? apiVips = null,
        IReadOnlyList<string>? ingressVips = null,
        string? networkName = null,
        string? v4SubnetName = null,
        string? v6SubnetName = null,
        IReadOnlyList<string>? machineNetworks = null,
        string extra = "")
    {
        apiVips ??= [net.Address(net.Api!, IpFamily.IPv4), net.Address(net.Api!, IpFamily.IPv6)];
        ingressVips ??= [net.Address(net.Ingress!, IpFamily.IPv4), net.Address(net.Ingress!, IpFamily.IPv6)];
        machineNetworks ??= [V4Cidr, V6Cidr];
        return new InstallConfigYaml
        {
            ClusterName = _tag,
            MasterFlavor = "m1.xlarge",
            Workers = 2,
            WorkerFlavor = "m1.xlarge",
            NetworkType = "OVNKubernetes",
            MachineNetworks = machineNetworks,
            Cloud = LocalCloud.UserCloud,
            ApiVips = apiVips,
            IngressVips = ingressVips,
            ControlPlaneNetwork = InstallConfigYaml.Named(networkName ?? net.Network.Name),
            ControlPlaneSubnets = [InstallConfigYaml.Named(v4SubnetName ?? net.V4.Name), InstallConfigYaml.Named(v6SubnetName ?? net.V6.Name)],
            Extra = extra,
            PullSecret = """{"auths":{"registry.example.com":{"auth":"ZGVtbzpkZW1v"}}}""",
            SshKey = SshKey,
        }.ToString();
    }

    /// <summary>Writes the install-config into a new directory (removed at the end) and returns the directory.</summary>
    public string WriteDir(string installConfig)
    {
        var dir = Path.Combine(Path.GetTempPath(), "shiftstack-" + _tag + "-" + _dirs.Count);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, InstallConfigFile.FileName), installConfig);
        _dirs.Add(dir);
        return dir;
    }

    /// <summary>Loads and statically validates the install-config (which must be statically valid), then runs the cloud checks.</summary>
    public async Task<CloudCheckOutcome> ValidateAsync(string installConfig, RequestCounter? counter = null)
    {
        var file = InstallConfigFile.Load(WriteDir(installConfig));
        file.IsValid.ShouldBeTrue("the install-config must pass static validation: " + string.Join("; ", file.Errors.Select(e => e.Message)));
        var outcome = await CloudCheck.RunAsync(file.Config!, LocalCloud.UserCloud, cloud.Cloud,
            new OpenStackClientOptions { RequestCounter = counter ?? new RequestCounter() });
        outcome.Failure.ShouldBeNull();
        return outcome;
    }

    /// <summary>Deletes the directories and every Neutron resource of the test (also after a failure).</summary>
    public async Task CleanUpAsync()
    {
        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }

        await Resources.CleanUpAsync();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ShiftStack.slnx not found above " + AppContext.BaseDirectory);
    }
}
