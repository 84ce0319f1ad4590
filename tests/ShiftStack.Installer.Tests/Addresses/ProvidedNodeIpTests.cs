using ShiftStack.Installer.Addresses;
using static ShiftStack.Installer.Tests.Addresses.AddressFixtures;

namespace ShiftStack.Installer.Tests.Addresses;

/// <summary>kubelet's <c>provided-node-ip</c> pair and the cloud node controller's filter (node-addresses.md §1.3).</summary>
public sealed class ProvidedNodeIpTests
{
    private const string V4 = "192.168.25.10";

    private static readonly NodeAddress[] Cloud =
    [
        NodeAddress.Internal(V4),
        NodeAddress.Internal(Eui64),
        NodeAddress.Internal("172.16.0.10"),
        NodeAddress.External("203.0.113.7"),
        new(NodeAddressType.Hostname, "m-0"),
    ];

    [Fact]
    public void A_dual_stack_pair_keeps_only_the_pair_as_InternalIPs_in_annotation_order()
    {
        var result = ProvidedNodeIp.Filter($"{V4},{Eui64}", Cloud);

        result.Succeeded.ShouldBeTrue();
        result.Addresses.ShouldBe(
        [
            NodeAddress.Internal(V4),
            NodeAddress.Internal(Eui64),
            NodeAddress.External("203.0.113.7"),
            new NodeAddress(NodeAddressType.Hostname, "m-0"),
        ]);
    }

    [Fact]
    public void An_IPv6_first_pair_makes_IPv6_the_primary_address()
    {
        var result = ProvidedNodeIp.Filter($"{Eui64},{V4}", Cloud);

        result.Addresses.Where(a => a.Type == NodeAddressType.InternalIP).Select(a => a.Address).ShouldBe([Eui64, V4]);
    }

    [Fact]
    public void Node_IPs_match_as_addresses_not_as_text()
    {
        var result = ProvidedNodeIp.Filter("FD2E:6F44:5DD8:C956:F816:3EFF:FE12:3456," + V4, Cloud);

        result.Succeeded.ShouldBeTrue();
        result.Addresses[0].ShouldBe(NodeAddress.Internal(Eui64), "the cloud's text is kept");
    }

    [Fact]
    public void A_node_IP_the_cloud_does_not_report_is_an_error()
    {
        // a stable-privacy guest address: kubelet passes it, the cloud provider only knows the EUI-64 one
        var result = ProvidedNodeIp.Filter($"{V4},fd2e:6f44:5dd8:c956:8563:a1d1:b328:8682", Cloud);

        result.Succeeded.ShouldBeFalse();
        result.Error.ShouldBe("failed to get node address from cloud provider that matches ip: fd2e:6f44:5dd8:c956:8563:a1d1:b328:8682");
        result.Addresses.ShouldBeEmpty();
    }

    [Fact]
    public void A_single_node_IP_filters_only_its_own_family_type()
    {
        var result = ProvidedNodeIp.Filter(V4, Cloud);

        result.Addresses.Where(a => a.Type == NodeAddressType.InternalIP).ShouldBe([NodeAddress.Internal(V4)]);
    }

    [Theory]
    [InlineData("10.0.0.1,10.0.0.2", "must contain either a single IP or a dual-stack pair of IPs")]
    [InlineData("10.0.0.1,fd00::1,fd00::2", "must contain either a single IP or a dual-stack pair of IPs")]
    [InlineData("0.0.0.0,fd00::1", "dual-stack node IP cannot include '0.0.0.0' or '::'")]
    [InlineData("10.0.0.1,::", "dual-stack node IP cannot include '0.0.0.0' or '::'")]
    [InlineData("10.0.0.1, fd00::1", "could not parse \" fd00::1\"")]
    [InlineData("node-0", "could not parse \"node-0\"")]
    public void Invalid_annotations_fail_with_the_Kubernetes_text(string annotation, string error)
    {
        ProvidedNodeIp.TryParse(annotation, out _, out var message).ShouldBeFalse();
        message.ShouldBe(error);
        ProvidedNodeIp.Filter(annotation, Cloud).Error.ShouldBe($"failed to parse node IP \"{annotation}\": {error}");
    }

    [Fact]
    public void IPv4_octets_with_leading_zeros_are_read_as_decimal_like_ParseIPSloppy()
    {
        ProvidedNodeIp.TryParse("192.168.025.010", out var ips, out _).ShouldBeTrue();
        ips.ShouldHaveSingleItem().ToString().ShouldBe(V4);
    }
}
