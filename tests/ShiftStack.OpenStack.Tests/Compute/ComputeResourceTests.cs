using System.Net;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>Server groups, flavors, quotas, limits, availability zones and the version document.</summary>
public class ComputeResourceTests
{
    private const string GroupJson = """{"server_group": {"id": "g1", "name": "ss-abc12-master", "policy": "soft-anti-affinity", "rules": {}, "members": [], "project_id": "p1", "user_id": "u1"}}""";

    [Fact]
    public async Task Server_group_create_sends_policy_and_rules_at_2_64_and_later()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/os-server-groups", _ => NovaFake.Json(GroupJson));
        using var client = nova.Compute();

        var group = await client.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = "ss-abc12-master", Policy = ServerGroupPolicy.SoftAntiAffinity });

        NovaFake.SameJson(nova.NovaRequests.Single().Body, """{"server_group": {"name": "ss-abc12-master", "policy": "soft-anti-affinity"}}""").ShouldBeTrue();
        group.Id.ShouldBe("g1");
        group.Policy.ShouldBe(ServerGroupPolicy.SoftAntiAffinity);
        group.Members.ShouldBeEmpty();
    }

    [Fact]
    public async Task Server_group_rules_carry_max_server_per_host_for_anti_affinity()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/os-server-groups", _ => NovaFake.Json(GroupJson));
        using var client = nova.Compute();

        await client.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = "g", Policy = ServerGroupPolicy.AntiAffinity, MaxServerPerHost = 2 });

        NovaFake.SameJson(nova.NovaRequests.Single().Body, """{"server_group": {"name": "g", "policy": "anti-affinity", "rules": {"max_server_per_host": 2}}}""").ShouldBeTrue();
    }

    [Fact]
    public async Task Server_group_rules_are_refused_with_other_policies()
    {
        using var nova = new NovaFake();
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<ArgumentException>(() => client.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = "g", Policy = ServerGroupPolicy.SoftAntiAffinity, MaxServerPerHost = 2 }));

        ex.Message.ShouldContain("only allowed with the anti-affinity policy");
    }

    [Fact]
    public async Task Server_group_create_sends_a_policies_list_before_2_64_and_reads_policy_from_it()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/os-server-groups", _ => NovaFake.Json("""{"server_group": {"id": "g1", "name": "g", "policies": ["soft-anti-affinity"], "members": [], "metadata": {}}}"""));
        using var client = nova.Compute("2.60");

        var group = await client.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = "g", Policy = ServerGroupPolicy.SoftAntiAffinity });

        NovaFake.SameJson(nova.NovaRequests.Single().Body, """{"server_group": {"name": "g", "policies": ["soft-anti-affinity"]}}""").ShouldBeTrue();
        group.Policy.ShouldBe(ServerGroupPolicy.SoftAntiAffinity);
        group.Policies.ShouldBe([ServerGroupPolicy.SoftAntiAffinity]);
    }

    [Fact]
    public async Task Server_groups_are_listed_got_and_deleted()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/os-server-groups", _ => NovaFake.Json("""{"server_groups": [{"id": "g1", "name": "a", "policy": "affinity", "members": ["s1", "s2"]}]}"""))
            .On(HttpMethod.Get, "/v2.1/os-server-groups/g1", _ => NovaFake.Json(GroupJson))
            .On(HttpMethod.Delete, "/v2.1/os-server-groups/g1", _ => FakeHandler.NoContent())
            .On(HttpMethod.Delete, "/v2.1/os-server-groups/g2", _ => NovaFake.NovaError(HttpStatusCode.NotFound, "itemNotFound", "Instance group g2 could not be found."));
        using var client = nova.Compute();

        var groups = await client.ServerGroups.ListAsync();
        var group = await client.ServerGroups.GetAsync("g1");
        await client.ServerGroups.DeleteAsync("g1");
        var deletedMissing = await client.ServerGroups.DeleteIfExistsAsync("g2");

        groups.Single().Members.ShouldBe(["s1", "s2"]);
        groups.Single().Policy.ShouldBe(ServerGroupPolicy.Affinity);
        group.Name.ShouldBe("ss-abc12-master");
        deletedMissing.ShouldBeFalse();
        nova.NovaRequests.First().Uri.Query.ShouldBeEmpty();
    }

    [Fact]
    public async Task Flavor_by_name_searches_every_page_and_reads_old_empty_swap_as_zero()
    {
        using var nova = new NovaFake();
        nova.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.1/flavors/detail" && r.Uri.Query.Length == 0,
            _ => NovaFake.Json("""{"flavors": [{"id": "1", "name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1, "swap": "", "OS-FLV-EXT-DATA:ephemeral": 0, "os-flavor-access:is_public": true}], "flavors_links": [{"rel": "next", "href": "http://x/v2.1/flavors/detail?marker=1"}]}"""));
        nova.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.1/flavors/detail" && r.Uri.Query == "?marker=1",
            _ => NovaFake.Json("""{"flavors": [{"id": "f-xl", "name": "m1.xlarge", "vcpus": 8, "ram": 16384, "disk": 160, "swap": 1024, "OS-FLV-EXT-DATA:ephemeral": 10, "os-flavor-access:is_public": false, "OS-FLV-DISABLED:disabled": false, "description": null, "extra_specs": {"hw:cpu_policy": "dedicated"}}]}"""));
        using var client = nova.Compute();

        var flavor = await client.Flavors.FindByNameAsync("m1.xlarge");
        var all = await client.Flavors.ListAsync();
        var missing = await client.Flavors.FindByNameAsync("M1.XLARGE");

        flavor.ShouldNotBeNull();
        flavor.Id.ShouldBe("f-xl");
        flavor.Vcpus.ShouldBe(8);
        flavor.Ram.ShouldBe(16384);
        flavor.Disk.ShouldBe(160);
        flavor.Swap.ShouldBe(1024);
        flavor.Ephemeral.ShouldBe(10);
        flavor.IsPublic.ShouldBeFalse();
        flavor.ExtraSpecs!["hw:cpu_policy"].ShouldBe("dedicated");
        all[0].Swap.ShouldBe(0);
        missing.ShouldBeNull();
    }

    [Fact]
    public async Task Flavor_get_and_list_filters()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/flavors/f1", _ => NovaFake.Json("""{"flavor": {"id": "f1", "name": "m1.fake", "vcpus": 1, "ram": 64, "disk": 1, "swap": 0}}"""))
            .On(HttpMethod.Get, "/v2.1/flavors/detail", _ => NovaFake.Json("""{"flavors": []}"""));
        using var client = nova.Compute();

        (await client.Flavors.GetAsync("f1")).Name.ShouldBe("m1.fake");
        await client.Flavors.ListAsync(new FlavorListOptions { IsPublic = true, MinRam = 1024, MinDisk = 20 });

        nova.NovaRequests.Last().Uri.Query.ShouldBe("?is_public=true&minRam=1024&minDisk=20");
    }

    [Fact]
    public async Task Quotas_of_the_current_project_show_limits_and_details_with_in_use()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/os-quota-sets/p1", _ => NovaFake.Json("""{"quota_set": {"id": "p1", "cores": 20, "instances": 10, "ram": 51200, "key_pairs": 100, "metadata_items": 128, "server_groups": 10, "server_group_members": 10}}"""))
            .On(HttpMethod.Get, "/v2.1/os-quota-sets/p1/detail", _ => NovaFake.Json("""
                {"quota_set": {"id": "p1",
                  "cores": {"in_use": 12, "limit": 20, "reserved": 0}, "instances": {"in_use": 3, "limit": -1, "reserved": 0},
                  "ram": {"in_use": 49152, "limit": 51200, "reserved": 0}, "key_pairs": {"in_use": 0, "limit": 100, "reserved": 0},
                  "metadata_items": {"in_use": 0, "limit": 128, "reserved": 0}, "server_groups": {"in_use": 1, "limit": 10, "reserved": 0},
                  "server_group_members": {"in_use": 0, "limit": 10, "reserved": 0}}}
                """));
        using var client = nova.Compute();

        var quota = await client.Quotas.GetForCurrentProjectAsync();
        var details = await client.Quotas.GetDetailsForCurrentProjectAsync();

        quota.Cores.ShouldBe(20);
        quota.Ram.ShouldBe(51200);
        quota.ServerGroupMembers.ShouldBe(10);
        details.Cores.InUse.ShouldBe(12);
        details.Cores.Available.ShouldBe(8);
        details.Instances.Available.ShouldBe(int.MaxValue);
        details.Ram.Available.ShouldBe(2048);
        details.ServerGroups.InUse.ShouldBe(1);
    }

    [Fact]
    public async Task Limits_are_read_from_absolute()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/limits", _ => NovaFake.Json("""
            {"limits": {"rate": [], "absolute": {"maxTotalCores": 20, "totalCoresUsed": 4, "maxTotalInstances": 10, "totalInstancesUsed": 1,
              "maxTotalRAMSize": 51200, "totalRAMUsed": 2048, "maxServerGroups": 10, "totalServerGroupsUsed": 1, "maxServerGroupMembers": 10,
              "maxServerMeta": 128, "maxTotalKeypairs": 100}}}
            """));
        using var client = nova.Compute();

        var limits = await client.Quotas.GetLimitsAsync();

        limits.MaxTotalCores.ShouldBe(20);
        limits.TotalCoresUsed.ShouldBe(4);
        limits.MaxTotalRamSize.ShouldBe(51200);
        limits.TotalRamUsed.ShouldBe(2048);
        limits.TotalServerGroupsUsed.ShouldBe(1);
        limits.AdditionalProperties!.ShouldContainKey("maxTotalKeypairs");
    }

    [Fact]
    public async Task Availability_zones_are_listed_with_their_state()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/os-availability-zone", _ => NovaFake.Json("""{"availabilityZoneInfo": [{"zoneName": "nova", "zoneState": {"available": true}, "hosts": null}, {"zoneName": "az2", "zoneState": {"available": false}, "hosts": null}]}"""));
        using var client = nova.Compute();

        var zones = await client.AvailabilityZones.ListAsync();

        zones.ShouldBe([new AvailabilityZone("nova", true), new AvailabilityZone("az2", false)]);
    }

    [Fact]
    public async Task The_version_document_gives_the_supported_microversion_range()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/", _ => NovaFake.Json("""{"version": {"id": "v2.1", "status": "CURRENT", "version": "2.93", "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": []}}"""));
        using var client = nova.Compute();

        var version = await client.GetVersionAsync();

        version.Id.ShouldBe("v2.1");
        version.MaxMicroversion.ShouldBe("2.93");
        version.MinMicroversion.ShouldBe("2.1");
        version.Supports(ComputeClient.DefaultMicroversion).ShouldBeTrue();
        version.Supports("2.94").ShouldBeFalse();
        version.Supports("2.100").ShouldBeFalse();
        version.Supports("2.9").ShouldBeTrue();
    }
}
