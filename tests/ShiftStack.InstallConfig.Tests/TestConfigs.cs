using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>Valid configs to start from, and helpers to run the processor.</summary>
internal static class TestConfigs
{
    public const string PullSecretJson = "{\"auths\":{\"quay.io\":{\"auth\":\"c2VjcmV0LXB1bGwtdG9rZW4=\"}}}";

    public static readonly Func<string, string?> NoEnvironment = _ => null;

    /// <summary>The documented dual-stack sample (install-config.md §4.4), IPv4-primary, with a pull secret.</summary>
    public static InstallConfiguration DualStack() => new()
    {
        ApiVersion = "v1",
        Metadata = new ObjectMetadata { Name = "mycluster" },
        BaseDomain = "mydomain.test",
        Networking = new NetworkingConfig
        {
            NetworkType = "OVNKubernetes",
            MachineNetwork = [new() { Cidr = "192.168.25.0/24" }, new() { Cidr = "fd2e:6f44:5dd8:c956::/64" }],
            ClusterNetwork = [new() { Cidr = "10.128.0.0/14", HostPrefix = 23 }, new() { Cidr = "fd01::/48", HostPrefix = 64 }],
            ServiceNetwork = ["172.30.0.0/16", "fd02::/112"],
        },
        ControlPlane = new MachinePool { Name = "master", Replicas = 3, Platform = new() { OpenStack = new() { FlavorName = "m1.xlarge" } } },
        Compute = [new MachinePool { Name = "worker", Replicas = 3, Platform = new() { OpenStack = new() { FlavorName = "m1.xlarge" } } }],
        Platform = new Platform
        {
            OpenStack = new OpenStackPlatform
            {
                ApiVips = ["192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36"],
                IngressVips = ["192.168.25.79", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad"],
                ControlPlanePort = new PortTarget
                {
                    Network = new NetworkFilter { Name = "dualstack" },
                    FixedIPs = [new() { Subnet = new() { Name = "subnet-v4" } }, new() { Subnet = new() { Name = "subnet-v6" } }],
                },
            },
        },
        PullSecret = new Secret(PullSecretJson),
    };

    /// <summary>The same cluster with IPv6 listed first everywhere (IPv6-primary dual-stack, 4.15+).</summary>
    public static InstallConfiguration DualStackV6Primary() => DualStack()
        .WithNetworking(n => n with
        {
            MachineNetwork = [n.MachineNetwork[1], n.MachineNetwork[0]],
            ClusterNetwork = [n.ClusterNetwork[1], n.ClusterNetwork[0]],
            ServiceNetwork = [n.ServiceNetwork[1], n.ServiceNetwork[0]],
        })
        .WithOpenStack(o => o with { ApiVips = [o.ApiVips[1], o.ApiVips[0]], IngressVips = [o.IngressVips[1], o.IngressVips[0]] });

    /// <summary>A single-stack IPv4 cluster (the manifest-test base case, already up-converted).</summary>
    public static InstallConfiguration SingleStack() => new()
    {
        ApiVersion = "v1",
        Metadata = new ObjectMetadata { Name = "manifests1" },
        BaseDomain = "shiftstack.example.com",
        Networking = new NetworkingConfig
        {
            NetworkType = "OVNKubernetes",
            MachineNetwork = [new() { Cidr = "10.0.128.0/17" }],
            ClusterNetwork = [new() { Cidr = "10.128.0.0/14", HostPrefix = 23 }],
            ServiceNetwork = ["172.30.0.0/16"],
        },
        ControlPlane = new MachinePool { Name = "master", Replicas = 3 },
        Compute = [new MachinePool { Name = "worker", Replicas = 3 }],
        Platform = new Platform { OpenStack = new OpenStackPlatform { Cloud = "openstack" } },
        PullSecret = new Secret(PullSecretJson),
    };

    public static InstallConfiguration WithNetworking(this InstallConfiguration c, Func<NetworkingConfig, NetworkingConfig> f) =>
        c with { Networking = f(c.Networking!) };

    public static InstallConfiguration WithOpenStack(this InstallConfiguration c, Func<OpenStackPlatform, OpenStackPlatform> f) =>
        c with { Platform = c.Platform with { OpenStack = f(c.Platform.OpenStack!) } };

    public static ProcessResult Process(InstallConfiguration c) => InstallConfigProcessor.Process(c, NoEnvironment);

    public static IReadOnlyList<string> Errors(InstallConfiguration c) => Process(c).Errors.Select(e => e.ToString()).ToList();

    public static IReadOnlyList<string> Warnings(InstallConfiguration c) => Process(c).Warnings.Select(w => w.ToString()).ToList();

    public static string SampleDir => Path.Combine(AppContext.BaseDirectory, "TestData", "samples");

    /// <summary>Fills the manifest-test placeholders with plausible values (the pull secret as a quoted JSON string).</summary>
    public static string FillPlaceholders(string yaml) => yaml
        .Replace("${COMPUTE_FLAVOR}", "m1.xlarge", StringComparison.Ordinal)
        .Replace("${BOOTSTRAP_FLAVOR}", "m1.large", StringComparison.Ordinal)
        .Replace("${OS_CLOUD}", "openstack", StringComparison.Ordinal)
        .Replace("${EXTERNAL_NETWORK}", "external", StringComparison.Ordinal)
        .Replace("${API_FIP}", "203.0.113.10", StringComparison.Ordinal)
        .Replace("${PULL_SECRET}", "'" + PullSecretJson + "'", StringComparison.Ordinal);

    public static FieldError Single(IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        list.Count.ShouldBe(1, string.Join("\n", list));
        return list[0];
    }
}
