using ShiftStack.InstallConfig;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>Hand-built Neutron records and install-configs for the address tests (values from neutron-ipv6.md §5).</summary>
internal static class AddressFixtures
{
    public const string PullSecret = """{"auths":{"registry.example.com":{"auth":"ZXhhbXBsZTpleGFtcGxl"}}}""";
    public const string V4Cidr = "192.168.25.0/24";
    public const string V6Cidr = "fd2e:6f44:5dd8:c956::/64";
    public const string StorageCidr = "172.16.0.0/24";
    public const string Mac = "fa:16:3e:12:34:56";
    public const string Eui64 = "fd2e:6f44:5dd8:c956:f816:3eff:fe12:3456";
    public const string Mac2 = "fa:16:3e:00:00:02";
    public const string Eui64Mac2 = "fd2e:6f44:5dd8:c956:f816:3eff:fe00:2";
    public const string NetworkId = "net-machine";
    public const string StorageNetworkId = "net-storage";

    public static Subnet V4Subnet { get; } = new() { Id = "sub-v4", NetworkId = NetworkId, IpVersion = 4, Cidr = V4Cidr };

    public static Subnet Slaac { get; } = V6("sub-v6", "slaac", "slaac");

    public static Subnet StorageSubnet { get; } = new() { Id = "sub-storage", NetworkId = StorageNetworkId, IpVersion = 4, Cidr = StorageCidr };

    public static Network Machine(params Subnet[] subnets) =>
        new() { Id = NetworkId, Name = "dualstack", Subnets = subnets.Select(s => s.Id).ToList() };

    public static Network Storage { get; } = new() { Id = StorageNetworkId, Name = "storage", Subnets = [StorageSubnet.Id] };

    public static Subnet V6(string id, string? raMode, string? addressMode) => new()
    {
        Id = id,
        NetworkId = NetworkId,
        IpVersion = 6,
        Cidr = V6Cidr,
        EnableDhcp = true,
        Ipv6RaMode = raMode is null ? (Ipv6Mode?)null : new Ipv6Mode(raMode),
        Ipv6AddressMode = addressMode is null ? (Ipv6Mode?)null : new Ipv6Mode(addressMode),
    };

    public static Port Port(string name, string mac, string status, string networkId, params (string Subnet, string Ip)[] fixedIps) => new()
    {
        Id = "id-" + name,
        Name = name,
        MacAddress = mac,
        Status = new PortStatus(status),
        NetworkId = networkId,
        FixedIps = fixedIps.Select(f => new FixedIp { SubnetId = f.Subnet, IpAddress = f.Ip }).ToList(),
    };

    public static Dictionary<string, Subnet> ById(params Subnet[] subnets) => subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);

    /// <summary>A processed dual-stack install-config (IPv4 or IPv6 primary), optionally with a storage network on the masters.</summary>
    public static InstallConfiguration Config(bool ipv6Primary = false, bool networkByName = true, bool storage = false)
    {
        string[] machine = ipv6Primary ? [V6Cidr, V4Cidr] : [V4Cidr, V6Cidr];
        string[] cluster = ipv6Primary ? ["fd01::/48", "10.128.0.0/14"] : ["10.128.0.0/14", "fd01::/48"];
        string[] hostPrefix = ipv6Primary ? ["64", "23"] : ["23", "64"];
        string[] service = ipv6Primary ? ["fd02::/112", "172.30.0.0/16"] : ["172.30.0.0/16", "fd02::/112"];
        string[] api = ipv6Primary ? ["fd2e:6f44:5dd8:c956::a", "192.168.25.199"] : ["192.168.25.199", "fd2e:6f44:5dd8:c956::a"];
        string[] ingress = ipv6Primary ? ["fd2e:6f44:5dd8:c956::b", "192.168.25.79"] : ["192.168.25.79", "fd2e:6f44:5dd8:c956::b"];
        var network = networkByName ? "name: dualstack" : "id: 3b5a3d2c-7c49-4d5b-9f0e-2d8b1c1f0a11";
        var additional = storage ? "\n      additionalNetworkIDs:\n      - " + StorageNetworkId : string.Empty;
        var yaml = $$"""
            apiVersion: v1
            baseDomain: example.com
            metadata:
              name: addr
            controlPlane:
              name: master
              replicas: 3
              platform:
                openstack:
                  type: m1.xlarge{{additional}}
            compute:
            - name: worker
              replicas: 0
            networking:
              networkType: OVNKubernetes
              machineNetwork:
              - cidr: {{machine[0]}}
              - cidr: {{machine[1]}}
              clusterNetwork:
              - cidr: {{cluster[0]}}
                hostPrefix: {{hostPrefix[0]}}
              - cidr: {{cluster[1]}}
                hostPrefix: {{hostPrefix[1]}}
              serviceNetwork:
              - {{service[0]}}
              - {{service[1]}}
            platform:
              openstack:
                cloud: openstack
                apiVIPs:
                - {{api[0]}}
                - {{api[1]}}
                ingressVIPs:
                - {{ingress[0]}}
                - {{ingress[1]}}
                controlPlanePort:
                  network:
                    {{network}}
                  fixedIPs:
                  - subnet:
                      id: 6f1c2e7a-94b3-4c1d-8e2f-5a6b7c8d9e01
                  - subnet:
                      id: 0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c62
            pullSecret: '{{PullSecret}}'
            """;
        var loaded = InstallConfigLoader.LoadText(yaml, "install-config.yaml");
        loaded.Succeeded.ShouldBeTrue(string.Join("; ", loaded.Diagnostics.Select(d => d.ToString())));
        var processed = InstallConfigProcessor.Process(loaded.Config!, _ => null);
        processed.Errors.ShouldBeEmpty();
        return processed.Config!;
    }
}
