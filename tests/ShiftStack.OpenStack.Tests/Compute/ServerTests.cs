using System.Net;
using System.Text;
using System.Text.Json;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>Server requests as Nova sees them: microversion headers, create body, list filters, paging, models.</summary>
public class ServerTests
{
    private const string CreatedJson = """{"server": {"id": "0b7b3c2e-5a8f-4b8e-9d53-2f6f1a3c9e11", "links": [], "OS-DCF:diskConfig": "MANUAL", "security_groups": [{"name": "default"}], "adminPass": "Zx9-admin-pass"}}""";

    private static ServerCreateOptions Master() => new()
    {
        Name = "ss-abc12-master-0",
        FlavorRef = "flavor-1",
        ImageRef = "image-1",
        Networks = [ServerNetwork.OnPort("port-1")],
        AvailabilityZone = "az1",
        Metadata = new Dictionary<string, string> { ["Name"] = "ss-abc12-master-0", ["openshiftClusterID"] = "ss-abc12" },
        Tags = ["openshiftClusterID=ss-abc12"],
        ServerGroupId = "group-1",
        ConfigDrive = true,
    };

    [Fact]
    public async Task Every_request_carries_both_microversion_headers()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted))
            .On(HttpMethod.Get, "/v2.1/servers/" + NovaFake.ServerId, _ => NovaFake.Server("ACTIVE"))
            .On(HttpMethod.Get, "/v2.1/servers/detail", _ => NovaFake.Json("""{"servers": []}"""))
            .On(HttpMethod.Delete, "/v2.1/servers/" + NovaFake.ServerId, _ => FakeHandler.NoContent());
        using var client = nova.Compute();

        await client.Servers.CreateAsync(Master());
        await client.Servers.GetAsync(NovaFake.ServerId);
        await client.Servers.ListAsync();
        await client.Servers.DeleteAsync(NovaFake.ServerId);

        var requests = nova.NovaRequests.ToList();
        requests.Count.ShouldBe(4);
        requests.ShouldAllBe(r => r.Header("OpenStack-API-Version") == "compute 2.90" && r.Header("X-OpenStack-Nova-API-Version") == "2.90");
        client.Microversion.ShouldBe(ComputeClient.DefaultMicroversion);
    }

    [Fact]
    public async Task A_lower_microversion_is_sent_as_given()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/servers/detail", _ => NovaFake.Json("""{"servers": []}"""));
        using var client = nova.Compute("2.79");

        await client.Servers.ListAsync();

        nova.NovaRequests.Single().Header("OpenStack-API-Version").ShouldBe("compute 2.79");
    }

    [Theory]
    [InlineData("2.51")]
    [InlineData("2.1")]
    [InlineData("3.0")]
    [InlineData("latest")]
    [InlineData("2.")]
    public void Microversions_below_2_52_or_malformed_are_refused(string microversion)
    {
        using var nova = new NovaFake();

        var ex = Should.Throw<ArgumentException>(() => nova.Compute(microversion));

        ex.Message.ShouldContain(microversion);
    }

    [Fact]
    public async Task Create_body_has_ports_az_metadata_tags_config_drive_base64_user_data_and_the_group_hint()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted));
        using var client = nova.Compute();
        const string ignition = """{"ignition":{"version":"3.2.0","config":{"merge":[{"source":"https://api-int.example:22623/config/master"}]}}}""";

        var created = await client.Servers.CreateAsync(Master().WithUserData(ignition));

        created.Id.ShouldBe(NovaFake.ServerId);
        var body = nova.NovaRequests.Single().Body;
        var expected = $$$"""
            {"server": {
               "name": "ss-abc12-master-0", "flavorRef": "flavor-1", "imageRef": "image-1",
               "networks": [{"port": "port-1"}], "availability_zone": "az1",
               "metadata": {"Name": "ss-abc12-master-0", "openshiftClusterID": "ss-abc12"},
               "tags": ["openshiftClusterID=ss-abc12"],
               "user_data": "{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(ignition))}}}",
               "config_drive": true},
             "os:scheduler_hints": {"group": "group-1"}}
            """;
        NovaFake.SameJson(body, expected).ShouldBeTrue(body);
    }

    [Fact]
    public async Task Create_without_group_optional_fields_sends_only_what_is_set()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted));
        using var client = nova.Compute();

        await client.Servers.CreateAsync(new ServerCreateOptions
        {
            Name = "bare",
            FlavorRef = "f",
            ImageRef = "i",
            Networks = [ServerNetwork.OnNetwork("net-1", "10.0.0.5"), ServerNetwork.OnPort("port-2") with { Tag = "nic2" }],
            Hostname = "master-0",
        });

        var body = nova.NovaRequests.Single().Body;
        NovaFake.SameJson(body, """
            {"server": {"name": "bare", "flavorRef": "f", "imageRef": "i", "hostname": "master-0",
              "networks": [{"uuid": "net-1", "fixed_ip": "10.0.0.5"}, {"port": "port-2", "tag": "nic2"}]}}
            """).ShouldBeTrue(body);
    }

    [Fact]
    public async Task An_empty_network_list_is_sent_as_none()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted));
        using var client = nova.Compute();

        await client.Servers.CreateAsync(new ServerCreateOptions { Name = "n", FlavorRef = "f", ImageRef = "i", Networks = [] });

        JsonDocument.Parse(nova.NovaRequests.Single().Body!).RootElement.GetProperty("server").GetProperty("networks").GetString().ShouldBe("none");
    }

    [Fact]
    public async Task User_data_up_to_65535_bytes_of_base64_is_sent()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted));
        using var client = nova.Compute();
        var largest = new byte[ServerCreateOptions.MaxUserDataLength];

        await client.Servers.CreateAsync(Master() with { UserData = largest });

        var sent = JsonDocument.Parse(nova.NovaRequests.Single().Body!).RootElement.GetProperty("server").GetProperty("user_data").GetString()!;
        sent.Length.ShouldBe(65532);
        Convert.FromBase64String(sent).Length.ShouldBe(49149);
    }

    [Fact]
    public async Task User_data_over_65535_bytes_of_base64_is_refused_with_the_sizes_and_what_to_do_and_nothing_is_sent()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();
        var tooLarge = new byte[ServerCreateOptions.MaxUserDataLength + 1];

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.Servers.CreateAsync(Master() with { UserData = tooLarge }));

        ex.Message.ShouldContain("user data of server 'ss-abc12-master-0' is too large: 49150 bytes are 65536 bytes of base64, and Nova accepts at most 65535 (49149 bytes before encoding)");
        ex.Message.ShouldContain("pointer config");
        nova.Handler.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890")]
    public async Task Tags_Nova_would_refuse_are_refused_before_sending(string tag)
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.Servers.CreateAsync(Master() with { Tags = [tag] }));

        ex.Message.ShouldContain($"invalid server tag '{tag}'");
        nova.Handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task More_than_50_tags_are_refused()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.Servers.CreateAsync(Master() with { Tags = Enumerable.Range(0, 51).Select(i => "t" + i).ToList() }));

        ex.Message.ShouldContain("at most 50 tags, not 51");
    }

    [Fact]
    public async Task A_network_with_both_port_and_uuid_is_refused()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.Servers.CreateAsync(Master() with { Networks = [new ServerNetwork { Port = "p", Uuid = "n" }] }));

        ex.Message.ShouldContain("either a port or a network uuid");
    }

    [Fact]
    public async Task Hostname_needs_microversion_2_90()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute("2.88");

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.Servers.CreateAsync(Master() with { Hostname = "m0" }));

        ex.Message.ShouldContain("Hostname needs compute microversion 2.90 or later; the client uses 2.88");
    }

    [Fact]
    public async Task The_admin_password_of_the_create_answer_is_dropped_and_never_logged_nor_is_user_data()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.Json(CreatedJson, HttpStatusCode.Accepted));
        using var client = nova.Compute();
        const string pointer = """{"ignition":{"config":{"merge":[{"source":"https://glance/v2/images/x/file","httpHeaders":[{"name":"X-Auth-Token","value":"gAAAA-bootstrap-token"}]}]}}}""";

        var created = await client.Servers.CreateAsync(Master().WithUserData(pointer));

        (created.AdditionalProperties?.ContainsKey("adminPass") ?? false).ShouldBeFalse();
        var logs = nova.Cloud.Logs.All;
        logs.ShouldContain("\"user_data\":\"***\"");
        logs.ShouldContain("\"adminPass\":\"***\"");
        logs.ShouldNotContain("Zx9-admin-pass");
        logs.ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(pointer))[..40]);
    }

    [Fact]
    public async Task A_server_is_read_with_addresses_of_both_families_the_embedded_flavor_and_extended_attributes()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/servers/" + NovaFake.ServerId, _ => NovaFake.Server("ACTIVE", "\"OS-EXT-SRV-ATTR:hostname\": \"ss-master-0\", \"future_field\": 1"));
        using var client = nova.Compute();

        var server = await client.Servers.GetAsync(NovaFake.ServerId);

        server.Status.ShouldBe(ServerStatus.Active);
        server.Metadata["openshiftClusterID"].ShouldBe("ss-abc12");
        server.Tags.ShouldBe(["openshiftClusterID=ss-abc12"]);
        server.AddressesOf(IpFamily.IPv4).Select(a => a.Address).ShouldBe(["10.0.0.11"]);
        server.AddressesOf(IpFamily.IPv6).Select(a => a.Address).ShouldBe(["fd2e:6f44:5dd8:c956:f816:3eff:fe11:2233"]);
        server.AllAddresses().ShouldAllBe(x => x.Network == "ss-net" && x.Address.Type == "fixed" && x.Address.MacAddress == "fa:16:3e:11:22:33");
        server.Flavor!.OriginalName.ShouldBe("m1.xlarge");
        server.Flavor.Vcpus.ShouldBe(4);
        server.Image!.Id.ShouldBe("img-1");
        server.AvailabilityZone.ShouldBe("nova");
        server.VmState.ShouldBe("active");
        server.TaskState.ShouldBeNull();
        server.PowerState.ShouldBe(1);
        server.Hostname.ShouldBe("ss-master-0");
        server.ServerGroups.ShouldBe(["g1"]);
        server.SecurityGroups.Single().Name.ShouldBe("ss-abc12-master");
        server.AdditionalProperties!.ShouldContainKey("future_field");
    }

    [Fact]
    public async Task A_server_booted_from_volume_has_no_image()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/servers/x", _ => NovaFake.Json(NovaFake.ServerJson("ACTIVE", id: "x").Replace("\"image\": {\"id\": \"img-1\", \"links\": []}", "\"image\": \"\"", StringComparison.Ordinal)));
        using var client = nova.Compute();

        var server = await client.Servers.GetAsync("x");

        server.Image.ShouldBeNull();
    }

    [Fact]
    public async Task List_sends_the_filters_without_all_tenants_and_follows_next_links_on_our_own_endpoint()
    {
        using var nova = new NovaFake();
        nova.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.1/servers/detail" && !r.Uri.Query.Contains("marker", StringComparison.Ordinal),
            _ => NovaFake.Json("""{"servers": [{"id": "s1", "name": "a", "status": "ACTIVE"}], "servers_links": [{"rel": "next", "href": "http://nova.internal.example/v2.1/servers/detail?limit=1&tags=openshiftClusterID%3Dss-abc12&marker=s1"}]}"""));
        nova.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.1/servers/detail" && r.Uri.Query.Contains("marker=s1", StringComparison.Ordinal),
            _ => NovaFake.Json("""{"servers": [{"id": "s2", "name": "b", "status": "BUILD"}]}"""));
        using var client = nova.Compute();

        var servers = await client.Servers.ListAsync(new ServerListOptions
        {
            Name = ServerListOptions.ExactName("ss-abc12-master-0"),
            Tags = ["openshiftClusterID=ss-abc12"],
            TagsAny = ["a", "b"],
            NotTags = ["c"],
            NotTagsAny = ["d"],
            Status = ServerStatus.Active,
            Limit = 1,
        });

        servers.Select(s => s.Id).ShouldBe(["s1", "s2"]);
        var requests = nova.Handler.Requests.Where(r => r.Uri.AbsolutePath.EndsWith("/servers/detail", StringComparison.Ordinal)).ToList();
        requests.Count.ShouldBe(2);
        requests[0].Uri.Query.ShouldBe("?name=%5Ess-abc12-master-0%24&tags=openshiftClusterID%3Dss-abc12&tags-any=a%2Cb&not-tags=c&not-tags-any=d&status=ACTIVE&limit=1");
        requests[1].Uri.Host.ShouldBe("nova.test");
        requests[1].Uri.Query.ShouldBe("?limit=1&tags=openshiftClusterID%3Dss-abc12&marker=s1");
        requests.ShouldAllBe(r => !r.Uri.Query.Contains("all_tenants", StringComparison.Ordinal));
    }

    [Fact]
    public void All_tenants_cannot_be_smuggled_in_as_an_extra_filter()
    {
        var options = new ServerListOptions { ExtraFilters = new Dictionary<string, string> { ["all_tenants"] = "1" } };

        Should.Throw<ArgumentException>(() => options.ToQuery()).Message.ShouldContain("never spans projects");
    }

    [Theory]
    [InlineData("ss-abc12-master-0", "^ss-abc12-master-0$")]
    [InlineData("a.b*c(d)[e]{f}|g+h?i^j$k\\l", "^a\\.b\\*c\\(d\\)\\[e\\]\\{f\\}\\|g\\+h\\?i\\^j\\$k\\\\l$")]
    public void ExactName_escapes_regex_metacharacters_and_anchors(string name, string pattern) =>
        ServerListOptions.ExactName(name).ShouldBe(pattern);

    [Fact]
    public async Task Interfaces_list_ports_macs_and_fixed_ips()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, $"/v2.1/servers/{NovaFake.ServerId}/os-interface", _ => NovaFake.Json("""
            {"interfaceAttachments": [{"port_state": "ACTIVE", "port_id": "port-1", "net_id": "net-1", "mac_addr": "fa:16:3e:11:22:33", "tag": null,
              "fixed_ips": [{"subnet_id": "v4", "ip_address": "10.0.0.11"}, {"subnet_id": "v6", "ip_address": "fd2e::f816:3eff:fe11:2233"}]}]}
            """));
        using var client = nova.Compute();

        var interfaces = await client.Servers.ListInterfacesAsync(NovaFake.ServerId);

        var nic = interfaces.ShouldHaveSingleItem();
        nic.PortId.ShouldBe("port-1");
        nic.NetId.ShouldBe("net-1");
        nic.MacAddr.ShouldBe("fa:16:3e:11:22:33");
        nic.PortState.ShouldBe("ACTIVE");
        nic.FixedIps.Select(ip => ip.IpAddress).ShouldBe(["10.0.0.11", "fd2e::f816:3eff:fe11:2233"]);
    }

    [Fact]
    public async Task Delete_if_exists_is_false_on_404()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Delete, "/v2.1/servers/gone", _ => NovaFake.NovaError(HttpStatusCode.NotFound, "itemNotFound", "Instance gone could not be found."));
        using var client = nova.Compute();

        (await client.Servers.DeleteIfExistsAsync("gone")).ShouldBeFalse();
        (await client.Servers.FindAsync("gone")).ShouldBeNull();
    }

    [Theory]
    [InlineData("http://nova.test:8774/v2.1", "http://nova.test:8774/v2.1/servers/detail")]
    [InlineData("http://nova.test:8774/v2.1/", "http://nova.test:8774/v2.1/servers/detail")]
    [InlineData("http://nova.test:8774/v2.1/p1", "http://nova.test:8774/v2.1/p1/servers/detail")]
    [InlineData("http://nova.test:8774", "http://nova.test:8774/v2.1/servers/detail")]
    [InlineData("http://nova.test/compute/v2.1", "http://nova.test/compute/v2.1/servers/detail")]
    [InlineData("http://nova.test/compute", "http://nova.test/compute/v2.1/servers/detail")]
    public async Task The_catalog_endpoint_is_used_as_is_when_it_names_a_version_and_gets_v2_1_otherwise(string catalogUrl, string expected)
    {
        using var nova = new NovaFake(catalogUrl);
        nova.Handler.On(r => r.Uri.AbsolutePath.EndsWith("/servers/detail", StringComparison.Ordinal), _ => NovaFake.Json("""{"servers": []}"""));
        using var client = nova.Compute();

        await client.Servers.ListAsync();

        nova.NovaRequests.Single().Uri.AbsoluteUri.ShouldBe(expected);
    }

    [Fact]
    public async Task Requests_are_counted_under_compute_with_ids_templated()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/servers/" + NovaFake.ServerId, _ => NovaFake.Server("ACTIVE"));
        using var client = nova.Compute();

        await client.Servers.GetAsync(NovaFake.ServerId);

        client.Requests.ForService("compute").ShouldBe(1);
        client.Requests.Count("GET", "/v2.1/servers/{id}").ShouldBe(1);
    }
}
