using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// A dual-stack install-config (as examples/dual-stack) and the cloud it was written for, built by hand: every rule
/// test starts from these and changes one thing.
/// </summary>
internal static class PreflightFixtures
{
    public const string NetworkId = "3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11";
    public const string OtherNetworkId = "9d0c1b2a-3f4e-4a5b-8c6d-7e8f9a0b1c2d";
    public const string V4Id = "6f1c2e7a-94b3-4c1d-8e2f-5a6b7c8d9e01";
    public const string V6Id = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c62";
    public const string ApiPortId = "11111111-2222-4333-8444-555555555555";
    public const string IngressPortId = "66666666-7777-4888-9999-aaaaaaaaaaaa";
    public const string RouterPortId = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
    public const string V4Cidr = "192.168.25.0/24";
    public const string V6Cidr = "fd2e:6f44:5dd8:c956::/64";
    public const string ApiV4 = "192.168.25.199";
    public const string ApiV6 = "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36";
    public const string IngressV4 = "192.168.25.79";
    public const string IngressV6 = "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad";

    public static InstallConfiguration DualStack() => new()
    {
        ApiVersion = "v1",
        BaseDomain = "example.com",
        Metadata = new ObjectMetadata { Name = "dualstack" },
        ControlPlane = new MachinePool
        {
            Name = "master",
            Replicas = 3,
            Platform = new MachinePoolPlatform { OpenStack = new OpenStackMachinePool { FlavorName = "m1.xlarge" } },
        },
        Compute =
        [
            new MachinePool
            {
                Name = "worker",
                Replicas = 3,
                Platform = new MachinePoolPlatform { OpenStack = new OpenStackMachinePool { FlavorName = "m1.large" } },
            },
        ],
        Networking = new NetworkingConfig
        {
            NetworkType = "OVNKubernetes",
            MachineNetwork = [new MachineNetworkEntry { Cidr = V4Cidr }, new MachineNetworkEntry { Cidr = V6Cidr }],
            ClusterNetwork = [new ClusterNetworkEntry { Cidr = "10.128.0.0/14", HostPrefix = 23 }, new ClusterNetworkEntry { Cidr = "fd01::/48", HostPrefix = 64 }],
            ServiceNetwork = ["172.30.0.0/16", "fd02::/112"],
        },
        Platform = new Platform
        {
            OpenStack = new OpenStackPlatform
            {
                Cloud = "openstack",
                ApiVips = [ApiV4, ApiV6],
                IngressVips = [IngressV4, IngressV6],
                LoadBalancer = new LoadBalancerConfig { Type = LoadBalancerConfig.OpenShiftManagedDefault },
                ControlPlanePort = new PortTarget
                {
                    Network = new NetworkFilter { Name = "dualstack" },
                    FixedIPs =
                    [
                        new FixedIP { Subnet = new SubnetFilter { Name = "subnet-v4" } },
                        new FixedIP { Subnet = new SubnetFilter { Name = "subnet-v6" } },
                    ],
                },
            },
        },
    };

    /// <summary>The config with <c>platform.openstack</c> changed.</summary>
    public static InstallConfiguration With(this InstallConfiguration config, Func<OpenStackPlatform, OpenStackPlatform> change) =>
        config with { Platform = config.Platform with { OpenStack = change(config.Platform.OpenStack!) } };

    /// <summary>The config with other machine networks.</summary>
    public static InstallConfiguration WithMachineNetworks(this InstallConfiguration config, params string[] cidrs) =>
        config with { Networking = config.Networking! with { MachineNetwork = cidrs.Select(c => new MachineNetworkEntry { Cidr = c }).ToList() } };

    public static Network Network(string id = NetworkId, string name = "dualstack", int? mtu = 1500) =>
        new() { Id = id, Name = name, Mtu = mtu, Status = "ACTIVE", AdminStateUp = true };

    public static Subnet V4Subnet(string networkId = NetworkId, string cidr = V4Cidr, string id = V4Id, string name = "subnet-v4") => new()
    {
        Id = id,
        Name = name,
        NetworkId = networkId,
        IpVersion = 4,
        Cidr = cidr,
        GatewayIp = "192.168.25.1",
        EnableDhcp = true,
        AllocationPools = [new AllocationPool("192.168.25.2", "192.168.25.254")],
    };

    public static Subnet V6Subnet(string? ra = "slaac", string? address = "slaac", string networkId = NetworkId, string cidr = V6Cidr, string id = V6Id, string name = "subnet-v6") => new()
    {
        Id = id,
        Name = name,
        NetworkId = networkId,
        IpVersion = 6,
        Cidr = cidr,
        GatewayIp = "fd2e:6f44:5dd8:c956::1",
        EnableDhcp = true,
        Ipv6RaMode = ra is null ? default(Ipv6Mode?) : new Ipv6Mode(ra),
        Ipv6AddressMode = address is null ? default(Ipv6Mode?) : new Ipv6Mode(address),
        AllocationPools = [new AllocationPool("fd2e:6f44:5dd8:c956::2", "fd2e:6f44:5dd8:c956:ffff:ffff:ffff:ffff")],
    };

    public static Port Port(string id, string name, string networkId, params (string SubnetId, string Ip)[] ips) => new()
    {
        Id = id,
        Name = name,
        NetworkId = networkId,
        Status = PortStatus.Down,
        FixedIps = ips.Select(ip => new FixedIp { SubnetId = ip.SubnetId, IpAddress = ip.Ip }).ToList(),
    };

    public static Port ApiPort() => Port(ApiPortId, "api", NetworkId, (V4Id, ApiV4), (V6Id, ApiV6));

    public static Port IngressPort() => Port(IngressPortId, "ingress", NetworkId, (V4Id, IngressV4), (V6Id, IngressV6));

    public static Port RouterPort(string subnetId = V6Id) =>
        Port(RouterPortId, string.Empty, NetworkId, (subnetId, "fd2e:6f44:5dd8:c956::1")) with { DeviceOwner = DeviceOwners.RouterInterface, DeviceId = "router-1" };

    public static QuotaUsage Usage(int limit, int used = 0) => new() { Limit = limit, Used = used };

    public static NetworkQuotaDetails DefaultQuota() => new()
    {
        Network = Usage(100),
        Subnet = Usage(100),
        Subnetpool = Usage(-1),
        Port = Usage(500, 10),
        Router = Usage(10),
        Floatingip = Usage(50),
        SecurityGroup = Usage(10, 1),
        SecurityGroupRule = Usage(100, 4),
        RbacPolicy = Usage(10),
    };

    /// <summary>The cloud the dual-stack config was written for: everything in order.</summary>
    public static CloudInfo DualStackCloud() => new()
    {
        CloudName = "openstack",
        ProjectId = "project-1",
        ControlPlanePortSubnets =
        [
            Lookup.Of("name=\"subnet-v4\"", V4Subnet()),
            Lookup.Of("name=\"subnet-v6\"", V6Subnet()),
        ],
        ControlPlanePortNetwork = Lookup.Of("name=\"dualstack\"", Network()),
        VipPorts = [ApiPort(), IngressPort()],
        RouterInterfacePorts = [RouterPort()],
        NetworkExtensions = new HashSet<string>(StringComparer.Ordinal) { "security-group", "standard-attr-tag", "allowed-address-pairs", "quota_details", "net-mtu" },
        NetworkQuota = NetworkQuotaFacts.Of(DefaultQuota()),
    };

    public static CloudInfo WithSubnets(this CloudInfo cloud, params Subnet?[] subnets) => cloud with
    {
        ControlPlanePortSubnets = subnets.Select((s, i) => s is null ? Lookup.None<Subnet>("#" + i) : Lookup.Of(s.Name, s)).ToList(),
    };

    public static PreflightResult Validate(InstallConfiguration config, CloudInfo cloud) => PreflightValidator.Validate(config, cloud);

    public static IReadOnlyList<string> Messages(this PreflightResult result) => result.Errors.Select(e => e.ToString()).ToList();

    public static IReadOnlyList<string> WarningMessages(this PreflightResult result) => result.Warnings.Select(w => w.ToString()).ToList();

    public static IEnumerable<FieldError> Reference(this PreflightResult result) => result.Errors.Where(e => !ShiftStackCheck.IsMarked(e.Detail));
}
