using ShiftStack.InstallConfig;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// The convention that keeps the reference's verdict readable: every message is either one of the reference's texts
/// (preflight.md §4–§5), unmarked, or ends with the ShiftStack marker.
/// </summary>
public class MarkerTests
{
    private static readonly HashSet<string> ReferenceDetails = new(StringComparer.Ordinal)
    {
        string.Empty, // NotFound
        "externalDNS is set, externalDNS is not supported when ControlPlanePort is set",
        "controlPlanePort CIDR does not match machineNetwork",
        "fixedIPs subnets must be on the same Network",
        "one IPv4 subnet and one IPv6 subnet must be specified",
        "network must contain subnets",
        "network should have an MTU of at least 1380",
        "Cannot set external network on Single Stack IPv6 cluster",
        "Floating IP already in use",
        "Cannot set floating ips when external network not specified",
        "ingressFloatingIP can not be the same as apiFloatingIP",
        "apiVIP can not fall in a MachineNetwork allocation pool",
        "ingressVIP can not fall in a MachineNetwork allocation pool",
    };

    public static TheoryData<string> BrokenClouds() => new(Scenarios().Select(s => s.Name));

    private static IEnumerable<(string Name, InstallConfiguration Config, CloudInfo Cloud)> Scenarios()
    {
        var dual = DualStack();
        var cloud = DualStackCloud();
        yield return ("nothing found", dual.With(os => os with { ExternalNetwork = "x", ApiFloatingIP = "1.2.3.4", IngressFloatingIP = "1.2.3.4", ExternalDns = ["9.9.9.9"] }),
            cloud.WithSubnets(null, null) with
            {
                ControlPlanePortNetwork = Lookup.None<Network>("n"),
                ExternalNetwork = Lookup.None<Network>("x"),
                VipPorts = [],
                NetworkExtensions = new HashSet<string>(StringComparer.Ordinal),
                NetworkQuota = NetworkQuotaFacts.Unavailable("no"),
                Compute = ComputeFacts.Unavailable("no"),
            });
        yield return ("everything wrong on the subnets", dual,
            cloud.WithSubnets(V4Subnet(cidr: "10.0.0.0/24", networkId: OtherNetworkId), V6Subnet(null, null, cidr: "fd2e:6f44:5dd8:c956:0::/64")) with
            {
                ControlPlanePortNetwork = Lookup.Of("n", Network(mtu: 1300)),
                VipPorts = [ApiPort() with { DeviceOwner = "compute:nova" }],
                RouterInterfacePorts = [],
                NetworkQuota = NetworkQuotaFacts.Of(DefaultQuota() with { Port = Usage(1, 1), SecurityGroupRule = Usage(10) }),
            });
        yield return ("ambiguous", dual.With(os => os with { ExternalNetwork = "x" }),
            cloud with
            {
                ControlPlanePortSubnets = [Lookup.Of("a", V4Subnet(), V4Subnet()), Lookup.Of("b", V6Subnet("slaac", null))],
                ControlPlanePortNetwork = Lookup.Of("n", Network(), Network()),
                ExternalNetwork = Lookup.Of("x", Network(), Network()),
            });
    }

    [Theory]
    [MemberData(nameof(BrokenClouds))]
    public void Every_message_is_the_references_or_carries_the_ShiftStack_marker(string scenario)
    {
        var (_, config, cloud) = Scenarios().Single(s => s.Name == scenario);

        var result = PreflightValidator.Validate(config, cloud);

        result.Errors.Count.ShouldBeGreaterThan(2);
        result.Errors.ShouldAllBe(e => ReferenceDetails.Contains(e.Detail) || ShiftStackCheck.IsMarked(e.Detail));
        result.Errors.Where(e => ReferenceDetails.Contains(e.Detail)).ShouldAllBe(e => !e.Detail.Contains("ShiftStack", StringComparison.Ordinal));
        result.Warnings.ShouldAllBe(w => ShiftStackCheck.IsMarked(w.Message));
    }
}
