using System.Net;
using System.Text.Json;
using ShiftStack.OpenStack.Networking;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

/// <summary>What the Neutron client puts on the wire, and how it reads pages.</summary>
public class NetworkingRequestTests
{
    private const string SubnetJson = """{"subnet": {"id": "s1", "network_id": "n1", "ip_version": 6, "cidr": "2001:db8::/64", "ipv6_ra_mode": "slaac", "ipv6_address_mode": null, "gateway_ip": null}}""";

    private static JsonElement Sent(RecordedRequest request, string key) => JsonDocument.Parse(request.Body!).RootElement.GetProperty(key);

    [Fact]
    public async Task Subnet_gateway_is_absent_null_or_a_value()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/subnets", _ => FakeHandler.Json(HttpStatusCode.Created, SubnetJson));

        await client.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = "n1", IpVersion = 4, Cidr = "10.0.0.0/24" });
        await client.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = "n1", IpVersion = 4, Cidr = "10.0.0.0/24", GatewayIp = SubnetGateway.None });
        await client.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = "n1", IpVersion = 4, Cidr = "10.0.0.0/24", GatewayIp = SubnetGateway.Address("10.0.0.254") });

        var bodies = cloud.Handler.To("/v2.0/subnets").Select(r => Sent(r, "subnet")).ToList();
        bodies[0].TryGetProperty("gateway_ip", out _).ShouldBeFalse();
        bodies[1].GetProperty("gateway_ip").ValueKind.ShouldBe(JsonValueKind.Null);
        bodies[2].GetProperty("gateway_ip").GetString().ShouldBe("10.0.0.254");
    }

    [Fact]
    public async Task Unset_ipv6_modes_are_omitted_never_sent_as_null()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/subnets", _ => FakeHandler.Json(HttpStatusCode.Created, SubnetJson));

        var subnet = await client.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = "n1", IpVersion = 6, Cidr = "2001:db8::/64", Ipv6RaMode = Ipv6Mode.Slaac });

        var body = Sent(cloud.Handler.To("/v2.0/subnets").Single(), "subnet");
        body.GetProperty("ipv6_ra_mode").GetString().ShouldBe("slaac");
        body.TryGetProperty("ipv6_address_mode", out _).ShouldBeFalse();
        body.GetProperty("network_id").GetString().ShouldBe("n1");
        body.GetProperty("ip_version").GetInt32().ShouldBe(6);
        subnet.Ipv6RaMode.ShouldBe(Ipv6Mode.Slaac);
        subnet.Ipv6AddressMode.ShouldBeNull();
        subnet.GatewayIp.ShouldBeNull();
        subnet.IsAutoAddress.ShouldBeTrue("either mode being slaac makes the subnet auto-address");
    }

    [Fact]
    public async Task Port_update_sends_only_what_is_set_and_empty_lists_clear()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Put, "/v2.0/ports/", _ => FakeHandler.Json(HttpStatusCode.OK, """{"port": {"id": "p1"}}"""));

        await client.Ports.UpdateAsync("p1", new PortUpdateOptions { Name = "" });
        await client.Ports.UpdateAsync("p1", new PortUpdateOptions { SecurityGroups = [], AllowedAddressPairs = [], PortSecurityEnabled = false }, ifRevisionNumber: 7);

        var requests = cloud.Handler.To("/v2.0/ports/").ToList();
        Sent(requests[0], "port").EnumerateObject().Select(p => p.Name).ShouldBe(["name"]);
        Sent(requests[0], "port").GetProperty("name").GetString().ShouldBe("");
        var second = Sent(requests[1], "port");
        second.EnumerateObject().Select(p => p.Name).ShouldBe(["security_groups", "allowed_address_pairs", "port_security_enabled"], ignoreOrder: true);
        second.GetProperty("security_groups").GetArrayLength().ShouldBe(0);
        requests[1].Header("If-Match").ShouldBe("revision_number=7");
        requests[0].Header("If-Match").ShouldBeNull();
    }

    [Fact]
    public async Task Port_create_body_has_snake_case_and_colon_names()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.Created, """{"port": {"id": "p1", "tags": ["a"]}}"""));

        await client.Ports.CreateAsync(new PortCreateOptions
        {
            NetworkId = "n1",
            Name = "api",
            MacAddress = "fa:16:3e:00:00:01",
            FixedIps = [FixedIpRequest.OnSubnet("s4")],
            AllowedAddressPairs = [new AllowedAddressPair { IpAddress = "10.0.0.5" }],
            SecurityGroups = ["sg"],
            DeviceId = "d",
            DeviceOwner = DeviceOwners.ComputeNova,
            BindingHostId = "host",
            Tags = ["a"],
        });

        var body = Sent(cloud.Handler.To("/v2.0/ports").Single(), "port");
        body.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["network_id", "name", "mac_address", "fixed_ips", "security_groups", "allowed_address_pairs", "device_id", "device_owner", "binding:host_id", "tags"],
            ignoreOrder: true);
        body.GetProperty("fixed_ips")[0].EnumerateObject().Select(p => p.Name).ShouldBe(["subnet_id"]);
        body.GetProperty("allowed_address_pairs")[0].EnumerateObject().Select(p => p.Name).ShouldBe(["ip_address"]);
    }

    [Fact]
    public async Task Port_tags_ignored_by_neutron_in_the_create_are_set_with_one_put()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.Created, """{"port": {"id": "p1", "tags": []}}"""));
        cloud.Handler.OnSequence(HttpMethod.Put, "/v2.0/ports/p1/tags", r => FakeHandler.Json(HttpStatusCode.OK, r.Body!));

        var port = await client.Ports.CreateAsync(new PortCreateOptions { NetworkId = "n1", Tags = ["openshiftClusterID=x", "b"] });

        port.Tags.ShouldBe(["openshiftClusterID=x", "b"]);
        var put = cloud.Handler.To("/v2.0/ports/p1/tags").Single();
        JsonDocument.Parse(put.Body!).RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["openshiftClusterID=x", "b"]);
    }

    [Fact]
    public async Task Port_tags_applied_by_neutron_need_no_extra_request()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.Created, """{"ports": [{"id": "p1", "tags": ["a"]}, {"id": "p2", "tags": ["a"]}]}"""));

        var ports = await client.Ports.CreateBulkAsync([new PortCreateOptions { NetworkId = "n", Tags = ["a"] }, new PortCreateOptions { NetworkId = "n", Tags = ["a"] }]);

        ports.Count.ShouldBe(2);
        cloud.NeutronRequests.Count().ShouldBe(1);
        Sent(cloud.NeutronRequests.Single(), "ports").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Bulk_port_create_500_without_macs_is_flagged_as_the_auto_address_bug()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.InternalServerError, """{"NeutronError": {"type": "HTTPInternalServerError", "message": "Request Failed: internal server error while processing your request.", "detail": ""}}""", "req-500"));

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.CreateBulkAsync([new PortCreateOptions { NetworkId = "n" }, new PortCreateOptions { NetworkId = "n" }]));
        ex.IsBulkAutoAddressBug.ShouldBeTrue();
        ex.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        ex.RequestId.ShouldBe("req-500");
        ex.Message.ShouldContain("bug 1995732");

        var withMacs = await Should.ThrowAsync<OpenStackException>(() => client.Ports.CreateBulkAsync([new PortCreateOptions { NetworkId = "n", MacAddress = "fa:16:3e:00:00:01" }]));
        withMacs.IsBulkAutoAddressBug.ShouldBeFalse();
        cloud.Handler.To("/v2.0/ports").Count().ShouldBe(2, "a 500 is not retried");
    }

    [Fact]
    public async Task Create_each_deletes_the_ports_already_created_when_one_fails()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(
            HttpMethod.Post,
            "/v2.0/ports",
            _ => FakeHandler.Json(HttpStatusCode.Created, """{"port": {"id": "first"}}"""),
            _ => FakeHandler.Json(HttpStatusCode.Conflict, """{"NeutronError": {"type": "IpAddressAlreadyAllocated", "message": "taken", "detail": ""}}"""));
        cloud.Handler.OnSequence(HttpMethod.Delete, "/v2.0/ports/first", _ => FakeHandler.NoContent());

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.CreateEachAsync([new PortCreateOptions { NetworkId = "n" }, new PortCreateOptions { NetworkId = "n" }]));

        ex.ErrorType.ShouldBe(ErrorTypes.IpAddressAlreadyAllocated);
        cloud.Handler.To("/v2.0/ports/first").Single().Method.ShouldBe(HttpMethod.Delete);
    }

    [Theory]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("2001:0db8:2222:5555:F816:3EFF:FE12:3456", "2001:db8:2222:5555:f816:3eff:fe12:3456")]
    [InlineData(" fd00::0:1 ", "fd00::1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    public async Task Fixed_ip_filters_are_sent_in_canonical_text(string written, string sent)
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.OK, """{"ports": []}"""));

        await client.Ports.ListAsync(new PortListOptions { NetworkId = "n1", FixedIps = [FixedIpFilter.ByIpAddress(written), FixedIpFilter.BySubnet("s1")] });

        var query = cloud.NeutronRequests.Single().Uri.Query;
        query.ShouldBe($"?network_id=n1&fixed_ips=ip_address%3D{Uri.EscapeDataString(sent)}&fixed_ips=subnet_id%3Ds1");
    }

    [Fact]
    public void Fixed_ip_filter_rejects_what_is_not_an_address()
    {
        Should.Throw<ArgumentException>(() => FixedIpFilter.ByIpAddress("api.example.com")).Message.ShouldContain("'api.example.com' is not an IP address");
    }

    [Fact]
    public async Task List_options_become_query_parameters()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/security-group-rules", _ => FakeHandler.Json(HttpStatusCode.OK, """{"security_group_rules": []}"""));

        await client.SecurityGroupRules.ListAsync(new SecurityGroupRuleListOptions
        {
            SecurityGroupId = "sg",
            Direction = RuleDirection.Ingress,
            Ethertype = EtherType.IPv6,
            Tags = ["a", "b"],
            NotTagsAny = ["c"],
            Fields = ["id", "protocol"],
            Sort = [new SortKey("protocol", SortOrder.Descending)],
            Limit = 10,
            Marker = "m",
        });

        cloud.NeutronRequests.Single().Uri.Query.ShouldBe(
            "?security_group_id=sg&direction=ingress&ethertype=IPv6&tags=a%2Cb&not-tags-any=c&fields=id&fields=protocol&sort_key=protocol&sort_dir=desc&limit=10&marker=m");
    }

    [Fact]
    public async Task Pagination_follows_next_links_keeping_the_configured_endpoint()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.0/networks",
            r => r.Uri.Query switch
            {
                "?limit=2" => FakeHandler.Json(HttpStatusCode.OK, """
                    {"networks": [{"id": "a"}, {"id": "b"}],
                     "networks_links": [{"rel": "next", "href": "http://internal-name:9696/v2.0/networks?limit=2&marker=b"}]}
                    """),
                "?limit=2&marker=b" => FakeHandler.Json(HttpStatusCode.OK, """
                    {"networks": [{"id": "c"}, {"id": "d"}],
                     "networks_links": [{"rel": "next", "href": "http://internal-name:9696/v2.0/networks?limit=2&marker=d"},
                                        {"rel": "previous", "href": "http://internal-name:9696/v2.0/networks?limit=2&marker=c&page_reverse=True"}]}
                    """),
                "?limit=2&marker=d" => FakeHandler.Json(HttpStatusCode.OK, """
                    {"networks": [{"id": "e"}],
                     "networks_links": [{"rel": "previous", "href": "http://internal-name:9696/v2.0/networks?limit=2&marker=e&page_reverse=True"}]}
                    """),
                _ => FakeHandler.Json(HttpStatusCode.BadRequest, "{}"),
            });

        var all = await client.Networks.ListAsync(new NetworkListOptions { Limit = 2 });

        all.Select(n => n.Id).ShouldBe(["a", "b", "c", "d", "e"]);
        cloud.NeutronRequests.ShouldAllBe(r => r.Uri.Host == "neutron.test");
        client.Requests.Count("GET", "/v2.0/networks").ShouldBe(3);
    }

    [Fact]
    public async Task An_empty_page_with_a_next_link_stops_the_listing()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/networks", _ => FakeHandler.Json(HttpStatusCode.OK, """{"networks": [], "networks_links": [{"rel": "next", "href": "http://x/v2.0/networks?marker=z"}]}"""));

        (await client.Networks.ListAsync()).ShouldBeEmpty();
        cloud.NeutronRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Tags_use_the_single_tag_put_replace_all_put_and_escape_the_tag()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.On(r => r.Uri.AbsolutePath.StartsWith("/v2.0/security-groups/sg1/tags", StringComparison.Ordinal), r =>
            r.Method == HttpMethod.Put && r.Body is not null ? FakeHandler.Json(HttpStatusCode.OK, r.Body) : new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("null") });

        await client.Tags.AddAsync(TaggableResources.SecurityGroups, "sg1", "openshiftClusterID=a/b c");
        var replaced = await client.Tags.ReplaceAllAsync(TaggableResources.SecurityGroups, "sg1", ["x", "y"]);

        var requests = cloud.NeutronRequests.ToList();
        requests[0].Uri.AbsoluteUri.ShouldBe("http://neutron.test:9696/v2.0/security-groups/sg1/tags/openshiftClusterID%3Da%2Fb%20c");
        requests[0].Body.ShouldBeNull();
        requests[1].Uri.AbsolutePath.ShouldBe("/v2.0/security-groups/sg1/tags");
        replaced.ShouldBe(["x", "y"]);
    }

    [Fact]
    public async Task Quota_details_are_read()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/quotas/p1/details", _ => FakeHandler.Json(HttpStatusCode.OK, """
            {"quota": {"network": {"used": 1, "limit": 100, "reserved": 0}, "port": {"used": 10, "limit": 500, "reserved": 2},
                       "security_group_rule": {"used": 90, "limit": 100, "reserved": 0}, "floatingip": {"used": 0, "limit": -1, "reserved": 0}}}
            """));

        var details = await client.Quotas.GetDetailsForCurrentProjectAsync();

        details.Port.Available.ShouldBe(488);
        details.SecurityGroupRule.Available.ShouldBe(10);
        details.Floatingip.Available.ShouldBe(int.MaxValue);
    }

    [Fact]
    public void Rule_protocols_normalise_like_neutron()
    {
        RuleProtocol.Icmp.Normalize(EtherType.IPv6).ShouldBe(RuleProtocol.Ipv6Icmp);
        RuleProtocol.Icmpv6.Normalize(EtherType.IPv6).ShouldBe(RuleProtocol.Ipv6Icmp);
        new RuleProtocol("1").Normalize(EtherType.IPv6).ShouldBe(RuleProtocol.Ipv6Icmp);
        RuleProtocol.Icmp.Normalize(EtherType.IPv4).ShouldBe(RuleProtocol.Icmp);
        new RuleProtocol("TCP").Normalize(EtherType.IPv4).Value.ShouldBe("tcp");
        new EtherType("ipv6").ShouldBe(EtherType.IPv6);
        PortStatus.Active.ShouldNotBe(new PortStatus("active"));
        Ipv6Mode.Dhcpv6Stateless.IsAutoAddress.ShouldBeTrue();
        Ipv6Mode.Dhcpv6Stateful.IsAutoAddress.ShouldBeFalse();
    }
}
