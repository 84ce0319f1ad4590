using System.Net;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.OpenStack;

/// <summary>The seed's workflow against the real local Neutron: a dual-stack network with a SLAAC subnet, and ports on it.</summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DualStackPortTests(LocalCloud cloud) : IAsyncLifetime
{
    private const string Ipv4Cidr = "10.0.0.0/16";
    private const string SlaacCidr = "2001:db8:2222:5555::/64";

    private readonly NeutronResources _resources = new(cloud.Networking, cloud);

    private NetworkingClient Client => cloud.Networking;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _resources.CleanUpAsync();

    private async Task<(Network Network, Subnet V4, Subnet V6)> DualStackAsync(string name = "dual-stack")
    {
        var network = await _resources.NetworkAsync(name);
        var v4 = await _resources.Ipv4SubnetAsync(network.Id, Ipv4Cidr);
        var v6 = await _resources.Ipv6SubnetAsync(network.Id, SlaacCidr, Ipv6Mode.Slaac);
        return (network, v4, v6);
    }

    [Fact]
    public async Task Slaac_subnet_is_created_with_both_modes_and_reads_back_as_auto_address()
    {
        var (network, v4, v6) = await DualStackAsync();

        network.Name.ShouldBe(cloud.Name("dual-stack"));
        v4.IpVersion.ShouldBe(4);
        v4.Ipv6RaMode.ShouldBeNull();
        v4.Ipv6AddressMode.ShouldBeNull();
        v4.IsAutoAddress.ShouldBeFalse();
        v4.GatewayIp.ShouldBe("10.0.0.1");
        v4.AllocationPools.ShouldBe([new AllocationPool("10.0.0.2", "10.0.255.254")]);
        v6.IpVersion.ShouldBe(6);
        v6.Cidr.ShouldBe(SlaacCidr);
        v6.Ipv6RaMode.ShouldBe(Ipv6Mode.Slaac);
        v6.Ipv6AddressMode.ShouldBe(Ipv6Mode.Slaac);
        v6.IsAutoAddress.ShouldBeTrue();
        v6.EnableDhcp.ShouldBeTrue();
        (await Client.Networks.GetAsync(network.Id)).Subnets.ShouldBe([v4.Id, v6.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Ports_without_fixed_ips_get_one_IPv4_and_the_EUI64_IPv6_address()
    {
        var (network, v4, v6) = await DualStackAsync();

        foreach (var name in new[] { "api", "ingress" })
        {
            var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = name });

            port.Name.ShouldBe(cloud.Name(name));
            port.Status.ShouldBe(PortStatus.Down, "no agents: ports stay DOWN");
            port.FixedIps.Count.ShouldBe(2);
            var ipv4 = port.FixedIpsOf(IpFamily.IPv4).ShouldHaveSingleItem();
            ipv4.SubnetId.ShouldBe(v4.Id);
            Cidr.Parse(Ipv4Cidr).Contains(IPAddress.Parse(ipv4.IpAddress)).ShouldBeTrue();
            var ipv6 = port.FixedIpsOf(IpFamily.IPv6).ShouldHaveSingleItem();
            ipv6.SubnetId.ShouldBe(v6.Id);
            var expected = IpAddresses.Canonical(Eui64.FromMac(port.MacAddress, Cidr.Parse(v6.Cidr)));
            ipv6.IpAddress.ShouldBe(expected, $"EUI-64 of MAC {port.MacAddress}");
        }
    }

    [Fact]
    public async Task An_explicit_IPv6_address_on_the_slaac_subnet_fails_with_AllocationOnAutoAddressSubnet()
    {
        var (network, v4, v6) = await DualStackAsync();

        var ex = await Should.ThrowAsync<OpenStackException>(() => _resources.PortAsync(new PortCreateOptions
        {
            NetworkId = network.Id,
            Name = "explicit",
            FixedIps = [FixedIpRequest.OnSubnet(v4.Id), FixedIpRequest.Address("2001:db8:2222:5555::1234", v6.Id)],
        }));

        ex.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ex.ErrorType.ShouldBe(ErrorTypes.AllocationOnAutoAddressSubnet);
        ex.ErrorMessage.ShouldBe($"IPv6 address 2001:db8:2222:5555::1234 cannot be directly assigned to a port on subnet {v6.Id} as the subnet is configured for automatic addresses");
        ex.RequestId.ShouldNotBeNullOrEmpty();
        ex.Method.ShouldBe("POST");
    }

    [Fact]
    public async Task Even_the_EUI64_address_itself_is_refused_on_Neutron_21_but_accepted_by_newer_releases()
    {
        var (network, _, v6) = await DualStackAsync();
        const string mac = "fa:16:3e:12:34:56";
        var eui64 = IpAddresses.Canonical(Eui64.FromMac(mac, Cidr.Parse(v6.Cidr)));
        eui64.ShouldBe("2001:db8:2222:5555:f816:3eff:fe12:3456");

        try
        {
            var port = await _resources.PortAsync(new PortCreateOptions
            {
                NetworkId = network.Id,
                Name = "eui64",
                MacAddress = mac,
                FixedIps = [FixedIpRequest.Address(eui64, v6.Id)],
            });

            // Neutron >= 22.0.0 (and 21.1.0 backport): allowed because it equals EUI-64(MAC).
            port.FixedIps.ShouldContain(ip => ip.IpAddress == eui64);
        }
        catch (OpenStackException ex)
        {
            // Neutron 21.0.0 (Debian 12): always refused.
            ex.ErrorType.ShouldBe(ErrorTypes.AllocationOnAutoAddressSubnet);
        }
    }

    [Fact]
    public async Task A_dhcpv6_stateful_subnet_takes_an_explicit_address()
    {
        var network = await _resources.NetworkAsync("stateful");
        var v4 = await _resources.Ipv4SubnetAsync(network.Id, "10.1.0.0/16");
        var v6 = await _resources.Ipv6SubnetAsync(network.Id, "2001:db8:2222:6666::/64", Ipv6Mode.Dhcpv6Stateful);
        v6.IsAutoAddress.ShouldBeFalse();

        var port = await _resources.PortAsync(new PortCreateOptions
        {
            NetworkId = network.Id,
            Name = "stateful",
            FixedIps = [FixedIpRequest.OnSubnet(v4.Id), FixedIpRequest.Address("2001:DB8:2222:6666::10", v6.Id)],
        });

        port.FixedIpsOf(IpFamily.IPv6).ShouldHaveSingleItem().IpAddress.ShouldBe("2001:db8:2222:6666::10", "Neutron stores canonical text");
        port.FixedIpsOf(IpFamily.IPv4).ShouldHaveSingleItem().SubnetId.ShouldBe(v4.Id);

        var taken = await Should.ThrowAsync<OpenStackException>(() => _resources.PortAsync(new PortCreateOptions
        {
            NetworkId = network.Id,
            Name = "taken",
            FixedIps = [FixedIpRequest.Address("2001:db8:2222:6666::10", v6.Id)],
        }));
        taken.ErrorType.ShouldBe(ErrorTypes.IpAddressAlreadyAllocated);
        taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Fixed_ip_filter_finds_a_port_by_an_uppercase_non_canonical_IPv6_address()
    {
        var (network, _, _) = await DualStackAsync();
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "api" });
        var ipv6 = port.FixedIpsOf(IpFamily.IPv6).Single().IpAddress;
        var userWritten = Expand(IPAddress.Parse(ipv6)).ToUpperInvariant(); // e.g. 2001:0DB8:2222:5555:F816:3EFF:FE12:3456
        userWritten.ShouldNotBe(ipv6);

        var found = await Client.Ports.ListAsync(new PortListOptions { NetworkId = network.Id, FixedIps = [FixedIpFilter.ByIpAddress(userWritten)] });
        found.ShouldHaveSingleItem().Id.ShouldBe(port.Id);

        // What Neutron does with the raw text (why the canonicalisation exists): an exact string match, so nothing.
        var raw = await Client.Ports.ListAsync(new PortListOptions
        {
            NetworkId = network.Id,
            ExtraFilters = new Dictionary<string, string> { ["fixed_ips"] = "ip_address=" + userWritten },
        });
        raw.ShouldBeEmpty();

        var byIpv4 = await Client.Ports.ListAsync(new PortListOptions { FixedIps = [FixedIpFilter.ByIpAddress(port.FixedIpsOf(IpFamily.IPv4).Single().IpAddress)], NetworkId = network.Id });
        byIpv4.ShouldHaveSingleItem().Id.ShouldBe(port.Id);
    }

    [Fact]
    public async Task Tags_in_the_create_body_and_add_replace_remove_round_trip()
    {
        var (network, _, _) = await DualStackAsync();
        var clusterTag = "openshiftClusterID=" + cloud.RunId;
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "tagged", Tags = ["created", clusterTag] });
        port.Tags.ShouldBe(["created", clusterTag], ignoreOrder: true);

        await Client.Tags.AddAsync(TaggableResources.Ports, port.Id, cloud.Name("dual-stack-vips-port"));
        await Client.Tags.AddAsync(TaggableResources.Ports, port.Id, cloud.Name("dual-stack-vips-port")); // idempotent
        (await Client.Tags.ListAsync(TaggableResources.Ports, port.Id)).ShouldBe(["created", clusterTag, cloud.Name("dual-stack-vips-port")], ignoreOrder: true);
        (await Client.Tags.ExistsAsync(TaggableResources.Ports, port.Id, clusterTag)).ShouldBeTrue();

        var byTag = await Client.Ports.ListAsync(new PortListOptions { Tags = [clusterTag, "created"] });
        byTag.ShouldHaveSingleItem().Id.ShouldBe(port.Id);

        await Client.Tags.RemoveAsync(TaggableResources.Ports, port.Id, "created");
        (await Client.Tags.ExistsAsync(TaggableResources.Ports, port.Id, "created")).ShouldBeFalse();
        var missing = await Should.ThrowAsync<OpenStackException>(() => Client.Tags.RemoveAsync(TaggableResources.Ports, port.Id, "created"));
        missing.ErrorType.ShouldBe("TagNotFound");

        var replaced = await Client.Tags.ReplaceAllAsync(TaggableResources.Networks, network.Id, [clusterTag, "b"]);
        replaced.ShouldBe([clusterTag, "b"], ignoreOrder: true);
        (await Client.Networks.GetAsync(network.Id)).Tags.ShouldBe([clusterTag, "b"], ignoreOrder: true);
        await Client.Tags.RemoveAllAsync(TaggableResources.Networks, network.Id);
        (await Client.Tags.ListAsync(TaggableResources.Networks, network.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Allowed_address_pairs_round_trip_with_the_port_mac_filled_in()
    {
        var (network, _, _) = await DualStackAsync();
        var api = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "api" });
        var vip4 = api.FixedIpsOf(IpFamily.IPv4).Single().IpAddress;
        var vip6 = api.FixedIpsOf(IpFamily.IPv6).Single().IpAddress;
        var master = await _resources.PortAsync(new PortCreateOptions
        {
            NetworkId = network.Id,
            Name = "master-0",
            AllowedAddressPairs = [new AllowedAddressPair { IpAddress = vip4 }, new AllowedAddressPair { IpAddress = vip6 + "/128" }],
        });

        master.AllowedAddressPairs.Select(p => p.IpAddress).ShouldBe([vip4, vip6 + "/128"], ignoreOrder: true);
        master.AllowedAddressPairs.ShouldAllBe(p => p.MacAddress == master.MacAddress);

        var updated = await Client.Ports.UpdateAsync(master.Id, new PortUpdateOptions { AllowedAddressPairs = [new AllowedAddressPair { IpAddress = vip6 }] });
        updated.AllowedAddressPairs.ShouldHaveSingleItem().IpAddress.ShouldBe(vip6);
        updated.RevisionNumber.ShouldBeGreaterThan(master.RevisionNumber);

        var renamed = await Client.Ports.UpdateAsync(master.Id, new PortUpdateOptions { Name = cloud.Name("renamed") });
        renamed.AllowedAddressPairs.ShouldHaveSingleItem("null means unchanged");

        var cleared = await Client.Ports.UpdateAsync(master.Id, new PortUpdateOptions { AllowedAddressPairs = [] });
        cleared.AllowedAddressPairs.ShouldBeEmpty("an empty list clears");
    }

    [Fact]
    public async Task Update_with_a_stale_revision_number_fails_with_412()
    {
        var (network, _, _) = await DualStackAsync();
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "rev" });

        var ok = await Client.Ports.UpdateAsync(port.Id, new PortUpdateOptions { Description = "one" }, ifRevisionNumber: port.RevisionNumber);
        var ex = await Should.ThrowAsync<OpenStackException>(() => Client.Ports.UpdateAsync(port.Id, new PortUpdateOptions { Description = "two" }, ifRevisionNumber: port.RevisionNumber));

        ok.Description.ShouldBe("one");
        ex.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        ex.ErrorType.ShouldBe("RevisionNumberConstraintFailed");
    }

    [Fact]
    public async Task Device_id_and_owner_are_set_and_filterable()
    {
        var (network, _, _) = await DualStackAsync();
        var deviceId = Guid.NewGuid().ToString();
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "dev", DeviceId = deviceId, DeviceOwner = "shiftstack:test" });

        port.DeviceId.ShouldBe(deviceId);
        port.DeviceOwner.ShouldBe("shiftstack:test");
        (await Client.Ports.ListAsync(new PortListOptions { DeviceId = deviceId })).ShouldHaveSingleItem().Id.ShouldBe(port.Id);
        (await Client.Ports.ListAsync(new PortListOptions { MacAddress = port.MacAddress.ToUpperInvariant(), NetworkId = network.Id })).Count.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Not_found_is_a_typed_error_and_find_returns_null()
    {
        var missing = Guid.NewGuid().ToString();

        var ex = await Should.ThrowAsync<OpenStackException>(() => Client.Ports.GetAsync(missing));

        ex.ErrorType.ShouldBe(ErrorTypes.PortNotFound);
        ex.IsNotFound.ShouldBeTrue();
        (await Client.Ports.FindAsync(missing)).ShouldBeNull();
        (await Client.Ports.DeleteIfExistsAsync(missing)).ShouldBeFalse();
    }

    private static string Expand(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return string.Join(':', Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x4")));
    }
}
