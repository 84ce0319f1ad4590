using System.Globalization;
using System.Security.Cryptography;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Destroy;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Provisioning;

/// <summary>How the user's network of a scenario looks.</summary>
public sealed record ScenarioOptions
{
    /// <summary><c>slaac</c>, <c>dhcpv6-stateless</c> or <c>dhcpv6-stateful</c>.</summary>
    public string Ipv6Mode { get; init; } = "slaac";

    /// <summary>IPv6 first in every list of the install-config.</summary>
    public bool Ipv6Primary { get; init; }

    /// <summary>
    /// A flat, shared network created by the admin, whose IPv6 subnet has only <c>ipv6_address_mode</c> (no RA mode);
    /// no router, no floating IPs.
    /// </summary>
    public bool ProviderNetwork { get; init; }

    /// <summary>A router to <c>public</c>, <c>externalNetwork: public</c> and an <c>apiFloatingIP</c>.</summary>
    public bool FloatingIps { get; init; } = true;
}

/// <summary>
/// One user's dual-stack environment on the local cloud, as the docs tell users to prepare it: a network with an IPv4
/// and an IPv6 subnet (on a router to <c>public</c>, or a provider network), the API and Ingress VIP ports created
/// first, optionally a floating IP for the API; plus an installation directory with the install-config written from
/// the real addresses and small Ignition configs. Everything (the cluster included) is removed at the end, even after
/// a failure.
/// </summary>
public sealed class ProvisioningScenario : IAsyncDisposable
{
    // m1.xlarge: the smallest local flavor that meets the installer's control-plane minimums (validate checks them).
    public const string Flavor = "m1.xlarge";
    public const string Image = "fake-img";

    private readonly LocalCloud _cloud;
    private readonly List<Func<Task>> _cleanup = [];

    private ProvisioningScenario(LocalCloud cloud, string name, ScenarioOptions options)
    {
        _cloud = cloud;
        Options = options;
        Name = name;
        InfraId = cloud.Name(name) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        Counter = new RequestCounter();
        Network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { RequestCounter = Counter });
        ComputeClient = new ComputeClient(Network.Identity);
        Images = new ImageClient(Network.Identity);
        Compute = new ComputeClientProvisioning(ComputeClient, Images);
        Directory = Path.Combine(Path.GetTempPath(), "shiftstack-it-" + InfraId);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public ScenarioOptions Options { get; }

    public string Name { get; }

    public string InfraId { get; }

    public RequestCounter Counter { get; }

    public NetworkingClient Network { get; }

    public ComputeClient ComputeClient { get; }

    public ImageClient Images { get; }

    public IComputeProvisioning Compute { get; }

    public string Directory { get; }

    public InstallConfiguration Config { get; private set; } = null!;

    public Network UserNetwork { get; private set; } = null!;

    public Subnet V4 { get; private set; } = null!;

    public Subnet V6 { get; private set; } = null!;

    public Port ApiPort { get; private set; } = null!;

    public Port IngressPort { get; private set; } = null!;

    public FloatingIp? ApiFloatingIp { get; private set; }

    /// <summary>The router on both subnets (with <see cref="ScenarioOptions.FloatingIps"/>, not on a provider network); its namespace is <c>qrouter-&lt;id&gt;</c>.</summary>
    public Router? Router { get; private set; }

    public ProvisioningStateStore OpenState() => ProvisioningStateStore.Open(Directory, InfraId, LocalCloud.UserCloud);

    public static async Task<ProvisioningScenario> CreateAsync(LocalCloud cloud, string name, ScenarioOptions? options = null)
    {
        var scenario = new ProvisioningScenario(cloud, name, options ?? new ScenarioOptions());
        try
        {
            await scenario.PrepareAsync();
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    private async Task PrepareAsync()
    {
        var admin = _cloud.AdminNetworking;
        var octet = RandomNumberGenerator.GetInt32(1, 250);
        // 10.128.0.0/14 is the cluster network of the install-config: a machine network inside it is invalid.
        var second = RandomNumberGenerator.GetInt32(100, 246);
        var v4Cidr = string.Create(CultureInfo.InvariantCulture, $"10.{(second >= 128 ? second + 4 : second)}.{octet}.0/24");
        var v6Cidr = $"fd{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(1))}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}:1::/64";

        // A flat provider network, shared, made by the admin but, as the OpenShift docs require ("openstack network
        // create --share --project <cluster project>"), owned by the cluster's project: Neutron's default policy lets
        // only the network owner create ports with fixed_ips subnets and allowed address pairs.
        UserNetwork = Options.ProviderNetwork
            ? await admin.Networks.CreateAsync(new NetworkCreateOptions
            {
                Name = _cloud.Name(Name + "-net"),
                Shared = true,
                ProviderNetworkType = "flat",
                ProviderPhysicalNetwork = _cloud.Name(Name + "-phys"),
                ProjectId = (await Network.Identity.GetTokenAsync()).ProjectId,
            })
            : await Network.Networks.CreateAsync(new NetworkCreateOptions { Name = _cloud.Name(Name + "-net") });
        _cleanup.Add(() => admin.Networks.DeleteIfExistsAsync(UserNetwork.Id));
        V4 = await Network.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = UserNetwork.Id, IpVersion = 4, Cidr = v4Cidr, Name = _cloud.Name(Name + "-v4") });
        _cleanup.Add(() => Network.Subnets.DeleteIfExistsAsync(V4.Id));
        var mode = new Ipv6Mode(Options.Ipv6Mode);
        V6 = await Network.Subnets.CreateAsync(new SubnetCreateOptions
        {
            NetworkId = UserNetwork.Id, IpVersion = 6, Cidr = v6Cidr, Name = _cloud.Name(Name + "-v6"),
            Ipv6AddressMode = mode,
            Ipv6RaMode = Options.ProviderNetwork ? (Ipv6Mode?)null : mode,
        });
        _cleanup.Add(() => Network.Subnets.DeleteIfExistsAsync(V6.Id));

        if (Options.FloatingIps && !Options.ProviderNetwork)
        {
            var external = (await Network.Networks.ListAsync(new NetworkListOptions { Name = "public", RouterExternal = true })).ShouldHaveSingleItem("external network public (hack/openstack-up)");
            var router = await Network.Routers.CreateAsync(new RouterCreateOptions { Name = _cloud.Name(Name + "-router"), ExternalGatewayInfo = new ExternalGateway { NetworkId = external.Id } });
            Router = router;
            _cleanup.Add(() => Network.Routers.DeleteIfExistsAsync(router.Id));
            foreach (var subnet in new[] { V4, V6 })
            {
                await Network.Routers.AddInterfaceAsync(router.Id, new RouterInterfaceOptions { SubnetId = subnet.Id });
                _cleanup.Add(async () =>
                {
                    try
                    {
                        await Network.Routers.RemoveInterfaceAsync(router.Id, new RouterInterfaceOptions { SubnetId = subnet.Id });
                    }
                    catch (OpenStackException ex) when (ex.IsNotFound)
                    {
                    }
                });
            }

            ApiFloatingIp = await Network.FloatingIps.CreateAsync(new FloatingIpCreateOptions { FloatingNetworkId = external.Id, Description = _cloud.Name(Name + "-api-fip") });
            _cleanup.Add(() => Network.FloatingIps.DeleteIfExistsAsync(ApiFloatingIp.Id));
        }

        // The VIP ports, as the docs say: openstack port create --network <net> api / ingress (plus a user tag).
        ApiPort = await Network.Ports.CreateAsync(new PortCreateOptions { NetworkId = UserNetwork.Id, Name = _cloud.Name(Name + "-api"), Tags = ["user-owned"] });
        _cleanup.Add(() => Network.Ports.DeleteIfExistsAsync(ApiPort.Id));
        IngressPort = await Network.Ports.CreateAsync(new PortCreateOptions { NetworkId = UserNetwork.Id, Name = _cloud.Name(Name + "-ingress"), Tags = ["user-owned"] });
        _cleanup.Add(() => Network.Ports.DeleteIfExistsAsync(IngressPort.Id));
        ApiPort.FixedIps.Count.ShouldBe(2, "the API VIP port has an IPv4 and an IPv6 address");

        WriteInstallDirectory();
        var file = InstallConfigFile.Load(Directory, _ => null);
        file.IsValid.ShouldBeTrue(string.Join("; ", file.Findings.Select(f => f.Message)));
        Config = file.Config!;
    }

    private static string Address(Port port, int version) =>
        port.FixedIps.Single(ip => ip.IpAddress.Contains(':') == (version == 6)).IpAddress;

    private void WriteInstallDirectory()
    {
        string Pair(string v4, string v6) => Options.Ipv6Primary ? $"\n    - {v6}\n    - {v4}" : $"\n    - {v4}\n    - {v6}";
        string Entries(string v4, string v6) => Options.Ipv6Primary ? $"\n  - cidr: {v6}\n  - cidr: {v4}" : $"\n  - cidr: {v4}\n  - cidr: {v6}";
        var clusterNetworks = Options.Ipv6Primary
            ? "\n  - cidr: fd01::/48\n    hostPrefix: 64\n  - cidr: 10.128.0.0/14\n    hostPrefix: 23"
            : "\n  - cidr: 10.128.0.0/14\n    hostPrefix: 23\n  - cidr: fd01::/48\n    hostPrefix: 64";
        var services = Options.Ipv6Primary ? "\n  - fd02::/112\n  - 172.30.0.0/16" : "\n  - 172.30.0.0/16\n  - fd02::/112";
        var fixedIps = Options.Ipv6Primary
            ? $"\n      - subnet:\n          name: {V6.Name}\n      - subnet:\n          name: {V4.Name}"
            : $"\n      - subnet:\n          name: {V4.Name}\n      - subnet:\n          name: {V6.Name}";
        var fips = ApiFloatingIp is null ? string.Empty : $"\n    externalNetwork: public\n    apiFloatingIP: {ApiFloatingIp.FloatingIpAddress}";
        var yaml = $"""
            apiVersion: v1
            baseDomain: example.com
            metadata:
              name: {Name}
            controlPlane:
              name: master
              replicas: 3
              platform:
                openstack:
                  type: {Flavor}
            compute:
            - name: worker
              replicas: 2
              platform:
                openstack:
                  type: {Flavor}
            networking:
              machineNetwork:{Entries(V4.Cidr, V6.Cidr)}
              clusterNetwork:{clusterNetworks}
              serviceNetwork:{services}
            platform:
              openstack:
                cloud: {LocalCloud.UserCloud}
                clusterOSImage: {Image}{fips}
                apiVIPs:{Pair(Address(ApiPort, 4), Address(ApiPort, 6))}
                ingressVIPs:{Pair(Address(IngressPort, 4), Address(IngressPort, 6))}
                controlPlanePort:
                  network:
                    name: {UserNetwork.Name}
                  fixedIPs:{fixedIps}
            pullSecret: '{PullSecret}'
            sshKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIm6dsYLyOuTpzX4az6VjCTsfBb0rZze7VwE9kGNnOoB admin@example.com
            """;
        File.WriteAllText(Path.Combine(Directory, "install-config.yaml"), yaml + "\n");
        File.WriteAllText(Path.Combine(Directory, "bootstrap.ign"), """{"ignition":{"version":"3.2.0"}}""");
        File.WriteAllText(Path.Combine(Directory, "master.ign"), """{"ignition":{"version":"3.2.0","config":{"merge":[{"source":"https://api-int.example.com:22623/config/master"}]}}}""");
    }

    /// <summary>A pull secret with a recognisable auth value (never to appear in a log).</summary>
    public const string PullSecret = """{"auths":{"registry.example.com":{"auth":"c2hpZnRzdGFjay1pdDpzZWNyZXQtcHVsbA=="}}}""";

    /// <summary>Progress of every run also goes here (e.g. the test output).</summary>
    public IProgressSink? Trace { get; set; }

    public Task<ProvisioningResult> ProvisionAsync(ProvisioningScope scope = ProvisioningScope.Cluster, IProgressSink? progress = null, CancellationToken cancellationToken = default) =>
        ClusterProvisioner.ProvisionAsync(Config, InfraId, Network, scope == ProvisioningScope.Cluster ? Compute : null, OpenState(), new ProvisioningOptions
        {
            Scope = scope,
            AssetDirectory = Directory,
            Progress = Tee(progress),
            PollInterval = TimeSpan.FromSeconds(1),
            ServerActiveTimeout = TimeSpan.FromMinutes(5),
        }, cancellationToken);

    public Task<DestroyResult> DestroyAsync(bool withCompute = true) =>
        ClusterDestroyer.DestroyAsync(Network, withCompute ? Compute : null, InfraId, OpenState(), new DestroyOptions
        {
            PollInterval = TimeSpan.FromSeconds(1),
            RetryDelay = TimeSpan.FromMilliseconds(500),
            Progress = Tee(null),
        });

    private IProgressSink Tee(IProgressSink? progress) =>
        (progress, Trace) switch
        {
            (null, null) => NullProgressSink.Instance,
            (null, { } t) => t,
            ({ } p, null) => p,
            ({ } p, { } t) => new TeeProgress(p, t),
        };

    private sealed class TeeProgress(IProgressSink a, IProgressSink b) : IProgressSink
    {
        public void Started(string id, string summary)
        {
            a.Started(id, summary);
            b.Started(id, summary);
        }

        public void Completed(string id, string summary)
        {
            a.Completed(id, summary);
            b.Completed(id, summary);
        }

        public void Failed(string id, string summary, string error)
        {
            a.Failed(id, summary, error);
            b.Failed(id, summary, error);
        }

        public void Message(string text)
        {
            a.Message(text);
            b.Message(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var errors = new List<string>();
        try
        {
            var result = await DestroyAsync();
            errors.AddRange(result.Leftovers.Select(l => $"{l.Kind} {l.Name} ({l.Id}): {l.Reason}"));
        }
        catch (Exception ex) when (ex is OpenStackException or ProvisioningException or InvalidOperationException)
        {
            errors.Add("destroy: " + ex.Message);
        }

        foreach (var step in Enumerable.Reverse(_cleanup))
        {
            try
            {
                await step();
            }
            catch (OpenStackException ex) when (ex.IsNotFound)
            {
            }
            catch (OpenStackException ex)
            {
                errors.Add(ex.Message);
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        ComputeClient.Dispose();
        Images.Dispose();
        Network.Dispose();
        errors.ShouldBeEmpty("clean-up of scenario " + Name);
    }
}
