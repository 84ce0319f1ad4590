using ShiftStack.InstallConfig;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Networking;
using ShiftStack.Tests.Shared;

namespace ShiftStack.Installer.Tests.Provisioning;

/// <summary>Install-configs (loaded and defaulted like the CLI does) and hand-built cloud facts.</summary>
internal static class ProvisioningFixtures
{
    public const string InfraId = "dualstack-x7k2p";
    public const string NetworkId = "11111111-1111-1111-1111-111111111111";
    public const string SubnetV4 = "44444444-4444-4444-4444-444444444444";
    public const string SubnetV6 = "66666666-6666-6666-6666-666666666666";
    public const string ApiPortId = "aaaaaaaa-0000-0000-0000-000000000001";
    public const string IngressPortId = "aaaaaaaa-0000-0000-0000-000000000002";
    public const string UserGroupId = "99999999-9999-9999-9999-999999999999";
    public const string ApiFipId = "ffffffff-0000-0000-0000-000000000001";
    public const string ExternalNetworkId = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee";

    /// <summary>The dual-stack cluster of the provisioning tests (image <c>rhcos</c>).</summary>
    public static readonly string DualStackYaml = new InstallConfigYaml { ClusterOSImage = "rhcos" }.ToString();

    /// <summary>Loads, up-converts and defaults a YAML install-config; fails the test on any error.</summary>
    public static InstallConfiguration Load(string yaml)
    {
        var loaded = InstallConfigLoader.LoadText(yaml, "install-config.yaml");
        loaded.Succeeded.ShouldBeTrue(string.Join("; ", loaded.Diagnostics.Select(d => d.ToString())));
        var processed = InstallConfigProcessor.Process(loaded.Config!, _ => null);
        processed.IsValid.ShouldBeTrue(string.Join("; ", processed.Errors.Select(e => e.ToString())));
        return processed.Config;
    }

    public static InstallConfiguration DualStack() => Load(DualStackYaml);

    public static InstallConfiguration DualStack(Func<string, string> edit) => Load(edit(DualStackYaml));

    public static Port VipPort(string id, string name, params string[] addresses) => new()
    {
        Id = id,
        Name = name,
        NetworkId = NetworkId,
        MacAddress = "fa:16:3e:00:00:01",
        FixedIps = addresses.Select(a => new FixedIp { IpAddress = a, SubnetId = a.Contains(':') ? SubnetV6 : SubnetV4 }).ToList(),
        SecurityGroups = [UserGroupId],
        Tags = ["user-tag"],
        RevisionNumber = 3,
    };

    public static ProvisioningFacts Facts(bool withFloatingIp = false, bool withExternalNetwork = false, string ipv6Mode = "slaac") => new()
    {
        ClusterNetwork = new Network { Id = NetworkId, Name = "dualstack", Mtu = 1500 },
        ClusterSubnets =
        [
            new Subnet { Id = SubnetV4, Name = "subnet-v4", NetworkId = NetworkId, IpVersion = 4, Cidr = "192.168.25.0/24" },
            new Subnet
            {
                Id = SubnetV6, Name = "subnet-v6", NetworkId = NetworkId, IpVersion = 6, Cidr = "fd2e:6f44:5dd8:c956::/64",
                Ipv6AddressMode = new Ipv6Mode(ipv6Mode), Ipv6RaMode = new Ipv6Mode(ipv6Mode),
            },
        ],
        VipPorts =
        [
            new VipPortFact(VipRole.Api, VipPort(ApiPortId, "api", "192.168.25.199", "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36")),
            new VipPortFact(VipRole.Ingress, VipPort(IngressPortId, "ingress", "192.168.25.79", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad")),
        ],
        ApiFloatingIp = withFloatingIp ? new FloatingIp { Id = ApiFipId, FloatingIpAddress = "203.0.113.10", Status = "DOWN" } : null,
        ExternalNetwork = withExternalNetwork ? new Network { Id = ExternalNetworkId, Name = "public", RouterExternal = true } : null,
        Compute = new ComputeProvisioningFacts(new Dictionary<string, string> { ["m1.xlarge"] = "flavor-id" }, "image-id"),
    };
}
