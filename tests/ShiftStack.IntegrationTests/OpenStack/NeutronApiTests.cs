using System.Net;
using ShiftStack.Networking;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.OpenStack;

/// <summary>The rest of the Neutron client against the real local Neutron.</summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NeutronApiTests(LocalCloud cloud) : IAsyncLifetime
{
    private readonly NeutronResources _resources = new(cloud.Networking, cloud);

    private NetworkingClient Client => cloud.Networking;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _resources.CleanUpAsync();

    [Fact]
    public async Task Bulk_port_create_without_macs_on_a_slaac_network_is_detectable_and_single_creates_work()
    {
        var network = await _resources.NetworkAsync("bulk");
        await _resources.Ipv4SubnetAsync(network.Id, "10.2.0.0/16");
        var v6 = await _resources.Ipv6SubnetAsync(network.Id, "2001:db8:2222:7777::/64", Ipv6Mode.Slaac);
        PortCreateOptions Port(string name, string? mac = null) => new() { NetworkId = network.Id, Name = cloud.Name(name), MacAddress = mac };

        IReadOnlyList<Port> created;
        try
        {
            created = await Client.Ports.CreateBulkAsync([Port("bulk-a"), Port("bulk-b")]);

            // Neutron >= 21.1.0 / 22.0.0: fixed (bug 1995732).
            created.Count.ShouldBe(2);
        }
        catch (OpenStackException ex)
        {
            // Neutron 21.0.0 (Debian 12): HTTP 500 with a generic message; the client flags it.
            ex.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            ex.IsBulkAutoAddressBug.ShouldBeTrue();
            ex.Message.ShouldContain("bug 1995732");

            // The bulk request is atomic: nothing was left behind (the DHCP agent's own port is the cloud's).
            (await Client.Ports.ListAsync(new PortListOptions { NetworkId = network.Id }))
                .Where(p => p.DeviceOwner != DeviceOwners.Dhcp).ShouldBeEmpty();

            created = await Client.Ports.CreateEachAsync([Port("bulk-a"), Port("bulk-b")]);
        }

        foreach (var port in created)
        {
            _resources.TrackPort(port.Id);
            port.FixedIpsOf(IpFamily.IPv6).Single().IpAddress.ShouldBe(IpAddresses.Canonical(Eui64.FromMac(port.MacAddress, Cidr.Parse(v6.Cidr))));
        }

        // With explicit MACs the bulk create works on every release.
        var withMacs = await Client.Ports.CreateBulkAsync([Port("mac-a", "fa:16:3e:aa:00:01"), Port("mac-b", "fa:16:3e:aa:00:02")]);
        foreach (var port in withMacs)
        {
            _resources.TrackPort(port.Id);
        }

        withMacs.Select(p => p.FixedIpsOf(IpFamily.IPv6).Single().IpAddress)
            .ShouldBe(["2001:db8:2222:7777:f816:3eff:feaa:1", "2001:db8:2222:7777:f816:3eff:feaa:2"]);
    }

    [Fact]
    public async Task Bulk_port_create_keeps_the_asked_for_allowed_address_pairs_and_tags()
    {
        // Neutron 21 drops allowed_address_pairs and tags from a bulk POST; the client puts them back.
        var network = await _resources.NetworkAsync("bulkpairs");
        await _resources.Ipv4SubnetAsync(network.Id, "10.3.0.0/16");
        await _resources.Ipv6SubnetAsync(network.Id, "2001:db8:2222:8888::/64", Ipv6Mode.Dhcpv6Stateful);
        string[] vips = ["10.3.0.5", "10.3.0.7", "2001:db8:2222:8888::5", "2001:db8:2222:8888::7"];
        PortCreateOptions Port(string name) => new()
        {
            NetworkId = network.Id,
            Name = cloud.Name(name),
            AllowedAddressPairs = vips.Select(v => new AllowedAddressPair { IpAddress = v }).ToList(),
            Tags = ["openshiftClusterID=" + cloud.RunId],
        };

        var created = await Client.Ports.CreateBulkAsync([Port("pairs-a"), Port("pairs-b")]);
        foreach (var port in created)
        {
            _resources.TrackPort(port.Id);
        }

        foreach (var port in created)
        {
            var stored = await Client.Ports.GetAsync(port.Id);
            stored.AllowedAddressPairs.Select(p => p.IpAddress).Order(StringComparer.Ordinal).ShouldBe(vips.Order(StringComparer.Ordinal), stored.Name);
            stored.Tags.ShouldBe(["openshiftClusterID=" + cloud.RunId], stored.Name);
            port.AllowedAddressPairs.Count.ShouldBe(vips.Length, "the returned port is the corrected one");
        }
    }

    [Fact]
    public async Task Security_group_rules_bulk_create_round_trips_and_normalises_icmp_for_IPv6()
    {
        var group = await _resources.SecurityGroupAsync("master");
        group.SecurityGroupRules.Count.ShouldBe(2, "a new group has the IPv4 and IPv6 egress rules");
        await Client.Tags.ReplaceAllAsync(TaggableResources.SecurityGroups, group.Id, ["openshiftClusterID=" + cloud.RunId]);

        SecurityGroupRuleCreateOptions Rule(EtherType ethertype, RuleProtocol protocol, int? min, int? max, string remote) => new()
        {
            SecurityGroupId = group.Id,
            Direction = RuleDirection.Ingress,
            Ethertype = ethertype,
            Protocol = protocol,
            PortRangeMin = min,
            PortRangeMax = max,
            RemoteIpPrefix = remote,
            Description = "Created By OpenShift Installer",
        };

        var rules = await Client.SecurityGroupRules.CreateBulkAsync(
        [
            Rule(EtherType.IPv4, RuleProtocol.Tcp, 6443, 6443, "0.0.0.0/0"),
            Rule(EtherType.IPv6, RuleProtocol.Tcp, 6443, 6443, "::/0"),
            Rule(EtherType.IPv6, RuleProtocol.Icmp, null, null, "2001:db8:2222:5555::/64"),
            Rule(EtherType.IPv4, "112", null, null, "10.0.0.0/16"),
            Rule(EtherType.IPv6, RuleProtocol.Udp, 1, 65535, "2001:db8:2222:5555::/64"),
        ]);

        rules.Count.ShouldBe(5);
        rules[0].Protocol.ShouldBe(RuleProtocol.Tcp);
        rules[0].PortRangeMin.ShouldBe(6443);
        rules[1].Ethertype.ShouldBe(EtherType.IPv6);
        rules[2].Protocol.ShouldBe(RuleProtocol.Ipv6Icmp, "Neutron rewrites icmp for IPv6");
        rules[2].Protocol!.Value.ShouldBe(RuleProtocol.Icmp.Normalize(EtherType.IPv6));
        rules[3].Protocol!.Value.Value.ShouldBe("112");
        rules[4].PortRangeMin.ShouldBeNull("1-65535 is stored as null/null");
        rules.ShouldAllBe(r => r.Direction == RuleDirection.Ingress && r.SecurityGroupId == group.Id);

        var listed = await Client.SecurityGroupRules.ListAsync(new SecurityGroupRuleListOptions { SecurityGroupId = group.Id, Direction = RuleDirection.Ingress });
        listed.Select(r => r.Id).ShouldBe(rules.Select(r => r.Id), ignoreOrder: true);
        (await Client.SecurityGroups.GetAsync(group.Id)).Tags.ShouldBe(["openshiftClusterID=" + cloud.RunId]);

        var duplicate = await Should.ThrowAsync<OpenStackException>(() => Client.SecurityGroupRules.CreateAsync(Rule(EtherType.IPv4, RuleProtocol.Tcp, 6443, 6443, "0.0.0.0/0")));
        duplicate.ErrorType.ShouldBe(ErrorTypes.SecurityGroupRuleExists);
        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var inPost = await Should.ThrowAsync<OpenStackException>(() => Client.SecurityGroupRules.CreateBulkAsync(
            [Rule(EtherType.IPv4, RuleProtocol.Udp, 53, 53, "10.0.0.0/16"), Rule(EtherType.IPv4, RuleProtocol.Udp, 53, 53, "10.0.0.0/16")]));
        inPost.ErrorType.ShouldBe("DuplicateSecurityGroupRuleInPost");
        (await Client.SecurityGroupRules.ListAsync(new SecurityGroupRuleListOptions { SecurityGroupId = group.Id })).Count.ShouldBe(7, "the failed bulk is atomic");

        var conflict = await Should.ThrowAsync<OpenStackException>(() => Client.SecurityGroupRules.CreateAsync(Rule(EtherType.IPv4, RuleProtocol.Tcp, 22, 22, "fd00::/8")));
        conflict.ErrorType.ShouldBe("SecurityGroupRuleParameterConflict");
        conflict.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Security_groups_attach_to_ports_and_can_be_cleared()
    {
        var network = await _resources.NetworkAsync("sg-ports");
        await _resources.Ipv4SubnetAsync(network.Id, "10.3.0.0/24");
        var group = await _resources.SecurityGroupAsync("worker");
        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "p", SecurityGroups = [group.Id] });
        port.SecurityGroups.ShouldBe([group.Id]);

        var defaulted = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "default-sg" });
        defaulted.SecurityGroups.Count.ShouldBe(1, "the project's default group");

        var cleared = await Client.Ports.UpdateAsync(port.Id, new PortUpdateOptions { SecurityGroups = [] });
        cleared.SecurityGroups.ShouldBeEmpty();
        var insecure = await Client.Ports.UpdateAsync(port.Id, new PortUpdateOptions { PortSecurityEnabled = false });
        insecure.PortSecurityEnabled.ShouldBe(false);

        var refused = await Should.ThrowAsync<OpenStackException>(() => Client.Ports.UpdateAsync(port.Id, new PortUpdateOptions { SecurityGroups = [group.Id] }));
        refused.ErrorType.ShouldBe("PortSecurityAndIPRequiredForSecurityGroups");
    }

    [Fact]
    public async Task Pagination_with_a_small_limit_follows_next_links()
    {
        var network = await _resources.NetworkAsync("paging");
        await _resources.Ipv4SubnetAsync(network.Id, "10.4.0.0/24");
        var created = await Client.Ports.CreateBulkAsync(Enumerable.Range(0, 5).Select(i => new PortCreateOptions { NetworkId = network.Id, Name = cloud.Name("page-" + i) }));
        foreach (var port in created)
        {
            _resources.TrackPort(port.Id);
        }

        using var counted = cloud.CreateNetworkingClient();
        // device_id="": the test's five ports, not the port the DHCP agent adds on the subnet (device_id dhcp<…>).
        var options = new PortListOptions { NetworkId = network.Id, DeviceId = string.Empty, Limit = 2, Sort = [new SortKey("name")] };
        var pages = new List<Page<Port>>();
        await foreach (var page in counted.Ports.ListPagesAsync(options))
        {
            pages.Add(page);
        }

        pages.Select(p => p.Items.Count).ShouldBe([2, 2, 1]);
        pages.Select(p => p.HasNext).ShouldBe([true, true, false]);
        pages.SelectMany(p => p.Items).Select(p => p.Name).ShouldBe(Enumerable.Range(0, 5).Select(i => cloud.Name("page-" + i)));
        counted.Requests.Count("GET", "/v2.0/ports").ShouldBe(3);

        var all = await counted.Ports.ListAsync(options);
        all.Select(p => p.Id).ShouldBe(created.Select(p => p.Id), ignoreOrder: true);

        var onlyIds = await counted.Ports.ListAsync(new PortListOptions { NetworkId = network.Id, DeviceId = string.Empty, Fields = ["id", "name"] });
        onlyIds.Count.ShouldBe(5);
        onlyIds.ShouldAllBe(p => p.MacAddress == string.Empty && p.FixedIps.Count == 0 && p.Id.Length > 0);
    }

    [Fact]
    public async Task Subnet_gateway_absent_null_and_value_are_three_different_things()
    {
        var network = await _resources.NetworkAsync("gateways");

        var defaulted = await _resources.SubnetAsync(new SubnetCreateOptions { NetworkId = network.Id, IpVersion = 4, Cidr = "10.5.0.0/24", Name = "default-gw" });
        var none = await _resources.SubnetAsync(new SubnetCreateOptions { NetworkId = network.Id, IpVersion = 4, Cidr = "10.5.1.0/24", Name = "no-gw", GatewayIp = SubnetGateway.None });
        var given = await _resources.SubnetAsync(new SubnetCreateOptions
        {
            NetworkId = network.Id,
            IpVersion = 4,
            Cidr = "10.5.2.0/24",
            Name = "given-gw",
            GatewayIp = SubnetGateway.Address("10.5.2.254"),
            AllocationPools = [new AllocationPool("10.5.2.10", "10.5.2.20")],
            DnsNameservers = ["10.5.2.253"],
        });

        defaulted.GatewayIp.ShouldBe("10.5.0.1");
        none.GatewayIp.ShouldBeNull();
        given.GatewayIp.ShouldBe("10.5.2.254");
        given.AllocationPools.ShouldBe([new AllocationPool("10.5.2.10", "10.5.2.20")]);
        given.DnsNameservers.ShouldBe(["10.5.2.253"]);

        (await Client.Subnets.UpdateAsync(given.Id, new SubnetUpdateOptions { Name = cloud.Name("renamed") })).GatewayIp.ShouldBe("10.5.2.254", "absent = unchanged");
        (await Client.Subnets.UpdateAsync(given.Id, new SubnetUpdateOptions { GatewayIp = SubnetGateway.None })).GatewayIp.ShouldBeNull();
        none.AllocationPools.ShouldBe([new AllocationPool("10.5.1.1", "10.5.1.254")], "without a gateway the pool starts at .1");
        var withGateway = await Client.Subnets.UpdateAsync(none.Id, new SubnetUpdateOptions
        {
            GatewayIp = SubnetGateway.Address("10.5.1.1"),
            AllocationPools = [new AllocationPool("10.5.1.2", "10.5.1.254")],
        });
        withGateway.GatewayIp.ShouldBe("10.5.1.1");

        var listed = await Client.Subnets.ListAsync(new SubnetListOptions { NetworkId = network.Id, IpVersion = 4 });
        listed.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Router_interface_and_floating_ip_on_the_public_network()
    {
        var external = (await Client.Networks.ListAsync(new NetworkListOptions { RouterExternal = true })).ShouldHaveSingleItem("hack/openstack-up creates the external network 'public'");
        var network = await _resources.NetworkAsync("fip");
        var v4 = await _resources.Ipv4SubnetAsync(network.Id, "10.6.0.0/24");
        var router = await _resources.RouterAsync(new RouterCreateOptions { Name = "router", ExternalGatewayInfo = new ExternalGateway { NetworkId = external.Id } });
        router.ExternalGatewayInfo.ShouldNotBeNull().NetworkId.ShouldBe(external.Id);

        var routerInterface = await _resources.RouterInterfaceAsync(router.Id, v4.Id);
        routerInterface.SubnetId.ShouldBe(v4.Id);
        routerInterface.PortId.ShouldNotBeNullOrEmpty();

        var port = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "ingress" });
        var fip = await _resources.FloatingIpAsync(new FloatingIpCreateOptions { FloatingNetworkId = external.Id, PortId = port.Id, Description = cloud.Name("ingress-fip") });

        fip.PortId.ShouldBe(port.Id);
        fip.FixedIpAddress.ShouldBe(port.FixedIps.Single().IpAddress);
        IpAddresses.FamilyOf(IPAddress.Parse(fip.FloatingIpAddress)).ShouldBe(IpFamily.IPv4);
        (await Client.FloatingIps.ListAsync(new FloatingIpListOptions { PortId = port.Id })).ShouldHaveSingleItem().Id.ShouldBe(fip.Id);

        var detached = await Client.FloatingIps.DisassociateAsync(fip.Id);
        detached.PortId.ShouldBeNull();
        var attached = await Client.FloatingIps.AssociateAsync(fip.Id, port.Id);
        attached.PortId.ShouldBe(port.Id);
    }

    [Fact]
    public async Task Trunk_with_a_subport()
    {
        (await Client.Extensions.IsSupportedAsync("trunk")).ShouldBeTrue();
        var network = await _resources.NetworkAsync("trunk");
        await _resources.Ipv4SubnetAsync(network.Id, "10.7.0.0/24");
        var parent = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "parent" });
        var child = await _resources.PortAsync(new PortCreateOptions { NetworkId = network.Id, Name = "child" });

        var trunk = await _resources.TrunkAsync(new TrunkCreateOptions { PortId = parent.Id, Name = "trunk" });
        trunk.PortId.ShouldBe(parent.Id);
        var withSub = await Client.Trunks.AddSubPortsAsync(trunk.Id, [new SubPort { PortId = child.Id, SegmentationType = "vlan", SegmentationId = 100 }]);
        withSub.SubPorts.ShouldHaveSingleItem().SegmentationId.ShouldBe(100);
        (await Client.Trunks.GetSubPortsAsync(trunk.Id)).ShouldHaveSingleItem().PortId.ShouldBe(child.Id);
        (await Client.Ports.GetAsync(parent.Id)).TrunkDetails.ShouldNotBeNull().SubPorts.ShouldHaveSingleItem().PortId.ShouldBe(child.Id);

        (await Client.Trunks.RemoveSubPortsAsync(trunk.Id, [new SubPort { PortId = child.Id }])).SubPorts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Extensions_and_quotas()
    {
        (await Client.Extensions.IsSupportedAsync("standard-attr-tag")).ShouldBeTrue();
        (await Client.Extensions.IsSupportedAsync("no-such-extension")).ShouldBeFalse();
        (await Client.Extensions.ListAsync()).ShouldContain(e => e.Alias == "quota_details");

        var quota = await Client.Quotas.GetForCurrentProjectAsync();
        quota.Port.ShouldNotBe(0);
        var details = await Client.Quotas.GetDetailsForCurrentProjectAsync();
        details.SecurityGroupRule.Limit.ShouldBe(quota.SecurityGroupRule);
        details.Port.Used.ShouldBeGreaterThanOrEqualTo(0);

        var projectId = (await Client.Identity.GetTokenAsync()).ProjectId!;
        (await cloud.AdminNetworking.Quotas.GetAsync(projectId)).Network.ShouldBe(quota.Network);
    }

    [Fact]
    public async Task Provider_attributes_need_admin()
    {
        var ex = await Should.ThrowAsync<OpenStackException>(() => _resources.Client.Networks.CreateAsync(new NetworkCreateOptions
        {
            Name = cloud.Name("provider"),
            ProviderNetworkType = "flat",
            ProviderPhysicalNetwork = "physnet-ss",
        }));

        ex.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ex.ErrorType.ShouldBe("PolicyNotAuthorized");
    }

    [Fact]
    public async Task A_wrong_password_gives_a_clear_authentication_error_without_the_password()
    {
        const string wrong = "Wr0ng-Passw0rd-For-Test";
        var config = cloud.Cloud() with { Auth = cloud.Cloud().Auth with { Password = wrong } };
        using var client = new NetworkingClient(config);

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Networks.ListAsync());

        ex.IsAuthenticationFailure.ShouldBeTrue();
        ex.ServiceType.ShouldBe("identity");
        ex.Message.ShouldContain("authentication failed for user 'shiftstack'");
        ex.Message.ShouldContain($"Check the credentials of cloud 'local' in {cloud.CloudsYamlPath}");
        ex.ToString().ShouldNotContain(wrong);
        ex.ToString().ShouldNotContain(cloud.Cloud().Auth.Password!);
    }

    [Fact]
    public async Task A_revoked_or_bad_token_is_replaced_once()
    {
        using var client = cloud.CreateNetworkingClient();
        await client.Networks.ListAsync(new NetworkListOptions { Name = cloud.Name("none") });
        var before = client.Requests.ForService("identity");

        await client.Identity.AuthenticateAsync();
        await client.Networks.ListAsync(new NetworkListOptions { Name = cloud.Name("none") });

        client.Requests.ForService("identity").ShouldBe(before + 1);
    }

    [Fact]
    public async Task Unknown_filter_is_a_typed_400()
    {
        var ex = await Should.ThrowAsync<OpenStackException>(() => Client.Ports.ListAsync(new PortListOptions { ExtraFilters = new Dictionary<string, string> { ["bogus"] = "x" } }));

        ex.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ex.ErrorMessage.ShouldContain("bogus");
    }

    [Fact]
    public async Task Envvars_cloud_from_the_local_clouds_yaml_values_authenticates()
    {
        var local = cloud.Cloud();
        var env = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = local.Auth.AuthUrl!,
            ["OS_USERNAME"] = local.Auth.Username!,
            ["OS_PASSWORD"] = local.Auth.Password!,
            ["OS_PROJECT_NAME"] = local.Auth.ProjectName!,
            ["OS_USER_DOMAIN_NAME"] = local.Auth.UserDomainName ?? "Default",
            ["OS_PROJECT_DOMAIN_NAME"] = local.Auth.ProjectDomainName ?? "Default",
            ["OS_REGION_NAME"] = local.RegionName ?? "RegionOne",
        };
        var config = new CloudConfigLoader(new DictionaryEnvironment(env), new NoFiles()).Load();
        using var client = new NetworkingClient(config);

        config.Name.ShouldBe("envvars");
        (await client.Identity.GetTokenAsync()).ProjectName.ShouldBe(local.Auth.ProjectName);
        (await client.GetEndpointAsync()).AbsoluteUri.ShouldEndWith("/v2.0/");
    }

    private sealed class DictionaryEnvironment(Dictionary<string, string> variables) : IConfigEnvironment
    {
        public IEnumerable<string> VariableNames => variables.Keys;

        public string CurrentDirectory => "/nonexistent";

        public string HomeDirectory => "/nonexistent";

        public string? GetVariable(string name) => variables.GetValueOrDefault(name);
    }

    private sealed class NoFiles : IConfigFileSystem
    {
        public bool FileExists(string path) => false;

        public string ReadAllText(string path) => throw new FileNotFoundException(path);
    }
}
