using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Preflight.PreflightFixtures;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// Which requests the collector sends (against a fake Keystone + Neutron): each look-up once, combined where Neutron
/// ORs repeated filters, and nothing the install-config does not need.
/// </summary>
public class CloudInfoCollectorTests
{
    private const string V4Json = $$"""{"id":"{{V4Id}}","name":"subnet-v4","network_id":"{{NetworkId}}","ip_version":4,"cidr":"{{V4Cidr}}","enable_dhcp":true,"gateway_ip":"192.168.25.1","allocation_pools":[{"start":"192.168.25.2","end":"192.168.25.254"}],"ipv6_ra_mode":null,"ipv6_address_mode":null}""";
    private const string V6Json = $$"""{"id":"{{V6Id}}","name":"subnet-v6","network_id":"{{NetworkId}}","ip_version":6,"cidr":"{{V6Cidr}}","enable_dhcp":true,"gateway_ip":"fd2e:6f44:5dd8:c956::1","allocation_pools":[],"ipv6_ra_mode":"slaac","ipv6_address_mode":"slaac"}""";
    private const string NetworkJson = $$"""{"id":"{{NetworkId}}","name":"dualstack","mtu":1500,"status":"ACTIVE"}""";
    private const string ApiPortJson = $$"""{"id":"{{ApiPortId}}","name":"api","network_id":"{{NetworkId}}","device_owner":"","status":"DOWN","fixed_ips":[{"subnet_id":"{{V4Id}}","ip_address":"{{ApiV4}}"},{"subnet_id":"{{V6Id}}","ip_address":"{{ApiV6}}"}]}""";
    private const string IngressPortJson = $$"""{"id":"{{IngressPortId}}","name":"ingress","network_id":"{{NetworkId}}","device_owner":"","status":"DOWN","fixed_ips":[{"subnet_id":"{{V4Id}}","ip_address":"{{IngressV4}}"},{"subnet_id":"{{V6Id}}","ip_address":"{{IngressV6}}"}]}""";
    private const string RouterPortJson = $$"""{"id":"{{RouterPortId}}","name":"","network_id":"{{NetworkId}}","device_owner":"network:router_interface","device_id":"r-1","fixed_ips":[{"subnet_id":"{{V6Id}}","ip_address":"fd2e:6f44:5dd8:c956::1"}]}""";
    private const string QuotaJson = """{"quota":{"network":{"limit":100,"used":1,"reserved":0},"subnet":{"limit":100,"used":2,"reserved":0},"subnetpool":{"limit":-1,"used":0,"reserved":0},"port":{"limit":500,"used":5,"reserved":0},"router":{"limit":10,"used":1,"reserved":0},"floatingip":{"limit":50,"used":0,"reserved":0},"security_group":{"limit":10,"used":1,"reserved":0},"security_group_rule":{"limit":100,"used":4,"reserved":0},"rbac_policy":{"limit":10,"used":0,"reserved":0}}}""";
    private const string ExtensionsJson = """{"extensions":[{"alias":"security-group","name":"sg"},{"alias":"standard-attr-tag","name":"tag"},{"alias":"allowed-address-pairs","name":"aap"},{"alias":"quota_details","name":"qd"}]}""";

    private static FakeOpenStack DualStackCloudFake() => new FakeOpenStack()
        .On("subnets", q =>
        {
            var items = new List<string>();
            if (q.Contains("subnet-v4", StringComparison.Ordinal) || q.Contains(V4Id, StringComparison.Ordinal))
            {
                items.Add(V4Json);
            }

            if (q.Contains("subnet-v6", StringComparison.Ordinal) || q.Contains(V6Id, StringComparison.Ordinal))
            {
                items.Add(V6Json);
            }

            return "{\"subnets\":[" + string.Join(",", items) + "]}";
        })
        .On("networks", q => q.Contains("public", StringComparison.Ordinal)
            ? """{"networks":[{"id":"ext-1","name":"public","router:external":true}]}"""
            : "{\"networks\":[" + NetworkJson + "]}")
        .On("ports", q => q.Contains("subnet_id=", StringComparison.Ordinal)
            ? "{\"ports\":[" + ApiPortJson + "," + IngressPortJson + "," + RouterPortJson + "]}"
            : "{\"ports\":[" + ApiPortJson + "," + IngressPortJson + "]}")
        .On("floatingips", _ => """{"floatingips":[{"id":"f1","floating_ip_address":"172.24.4.10","status":"DOWN"},{"id":"f2","floating_ip_address":"172.24.4.11","status":"DOWN"}]}""")
        .On("extensions", _ => ExtensionsJson)
        .On($"quotas/{FakeOpenStack.ProjectId}/details", _ => QuotaJson);

    private static async Task<(CloudInfo Cloud, FakeOpenStack Fake, RequestCounter Counter)> CollectAsync(InstallConfiguration config, FakeOpenStack? fake = null)
    {
        fake ??= DualStackCloudFake();
        var counter = new RequestCounter();
        using var client = fake.Client(counter);
        var cloud = await new CloudInfoCollector(client).CollectAsync(config);
        return (cloud, fake, counter);
    }

    [Fact]
    public async Task Dual_stack_by_names_takes_one_token_and_six_Neutron_requests()
    {
        var (cloud, fake, counter) = await CollectAsync(DualStack());

        fake.Requests[0].ShouldBe("POST /v3/auth/tokens");
        fake.NeutronRequests.ShouldBe(
        [
            "GET /v2.0/subnets?name=subnet-v4&name=subnet-v6",
            "GET /v2.0/networks?name=dualstack",
            $"GET /v2.0/ports?fixed_ips=ip_address={ApiV4}&fixed_ips=ip_address={ApiV6}&fixed_ips=ip_address={IngressV4}&fixed_ips=ip_address={IngressV6}",
            "GET /v2.0/extensions",
            $"GET /v2.0/quotas/{FakeOpenStack.ProjectId}/details",
            $"GET /v2.0/ports?fixed_ips=subnet_id={V6Id}&fields=id&fields=name&fields=network_id&fields=device_owner&fields=device_id&fields=fixed_ips",
        ], ignoreOrder: true);
        counter.ForService("network").ShouldBe(6);
        counter.ForService("identity").ShouldBe(1);

        cloud.CloudName.ShouldBe("fake");
        cloud.ProjectId.ShouldBe(FakeOpenStack.ProjectId);
        cloud.ControlPlanePortSubnets.Select(l => (l.Filter, l.Found?.Id)).ShouldBe([("name=\"subnet-v4\"", V4Id), ("name=\"subnet-v6\"", V6Id)]);
        cloud.ControlPlanePortNetwork!.Found!.Mtu.ShouldBe(1500);
        cloud.ControlPlanePortNetworkDerived.ShouldBeFalse();
        cloud.VipPorts.Select(p => p.Name).ShouldBe(["api", "ingress"]);
        cloud.RouterInterfacePorts.Select(p => p.Id).ShouldBe([RouterPortId]);
        cloud.NetworkExtensions!.ShouldContain("standard-attr-tag");
        cloud.NetworkQuota!.Details!.SecurityGroupRule.Available.ShouldBe(96);
        cloud.Compute.HasEndpoint.ShouldBeFalse();
        PreflightValidator.Validate(DualStack(), cloud).Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task Subnets_given_by_id_are_fetched_in_one_request()
    {
        var config = DualStack().With(os => os with
        {
            ControlPlanePort = os.ControlPlanePort! with
            {
                FixedIPs = [new FixedIP { Subnet = new SubnetFilter { Id = V4Id } }, new FixedIP { Subnet = new SubnetFilter { Id = V6Id, Name = "subnet-v6" } }],
            },
        });

        var (cloud, fake, _) = await CollectAsync(config);

        fake.NeutronRequests.Count(r => r.StartsWith("GET /v2.0/subnets", StringComparison.Ordinal)).ShouldBe(1);
        fake.NeutronRequests.ShouldContain($"GET /v2.0/subnets?id={V4Id}&id={V6Id}");
        cloud.ControlPlanePortSubnets.Select(l => l.Found?.Id).ShouldBe([V4Id, V6Id]);
        cloud.ControlPlanePortSubnets[1].Filter.ShouldBe($"id=\"{V6Id}\" name=\"subnet-v6\"");
    }

    [Fact]
    public async Task Mixed_subnet_filters_take_one_request_each()
    {
        var config = DualStack().With(os => os with
        {
            ControlPlanePort = os.ControlPlanePort! with
            {
                FixedIPs = [new FixedIP { Subnet = new SubnetFilter { Id = V4Id } }, new FixedIP { Subnet = new SubnetFilter { Name = "subnet-v6" } }],
            },
        });

        var (cloud, fake, _) = await CollectAsync(config);

        fake.NeutronRequests.Where(r => r.StartsWith("GET /v2.0/subnets", StringComparison.Ordinal))
            .ShouldBe([$"GET /v2.0/subnets?id={V4Id}", "GET /v2.0/subnets?name=subnet-v6"], ignoreOrder: true);
        cloud.ControlPlanePortSubnets.Select(l => l.Found?.Id).ShouldBe([V4Id, V6Id]);
    }

    [Fact]
    public async Task Without_a_network_filter_the_network_of_the_first_subnet_is_fetched()
    {
        var config = DualStack().With(os => os with { ControlPlanePort = os.ControlPlanePort! with { Network = new NetworkFilter() } });

        var (cloud, fake, _) = await CollectAsync(config);

        fake.NeutronRequests.ShouldContain($"GET /v2.0/networks?id={NetworkId}");
        cloud.ControlPlanePortNetworkDerived.ShouldBeTrue();
        cloud.ControlPlanePortNetwork!.Found!.Id.ShouldBe(NetworkId);
        fake.NeutronRequests.Count.ShouldBe(6);
    }

    [Fact]
    public async Task External_network_and_both_floating_IPs_add_two_requests()
    {
        var config = DualStack().With(os => os with { ExternalNetwork = "public", ApiFloatingIP = "172.24.4.10", IngressFloatingIP = "172.24.4.11" });

        var (cloud, fake, _) = await CollectAsync(config);

        fake.NeutronRequests.Count.ShouldBe(8);
        fake.NeutronRequests.ShouldContain("GET /v2.0/networks?name=public");
        fake.NeutronRequests.ShouldContain("GET /v2.0/floatingips?floating_ip_address=172.24.4.10&floating_ip_address=172.24.4.11");
        cloud.ExternalNetwork!.Found!.Id.ShouldBe("ext-1");
        cloud.ApiFloatingIp!.Found!.Id.ShouldBe("f1");
        cloud.IngressFloatingIp!.Found!.Id.ShouldBe("f2");
    }

    [Fact]
    public async Task Single_stack_needs_neither_VIP_ports_nor_router_interfaces()
    {
        var config = DualStack().WithMachineNetworks(V4Cidr).With(os => os with
        {
            ApiVips = ["192.168.25.5"],
            IngressVips = ["192.168.25.7"],
            ControlPlanePort = os.ControlPlanePort! with { FixedIPs = [os.ControlPlanePort.FixedIPs[0]] },
        });

        var (_, fake, _) = await CollectAsync(config);

        fake.NeutronRequests.ShouldBe(
            ["GET /v2.0/subnets?name=subnet-v4", "GET /v2.0/networks?name=dualstack", "GET /v2.0/extensions", $"GET /v2.0/quotas/{FakeOpenStack.ProjectId}/details"],
            ignoreOrder: true);
    }

    [Fact]
    public async Task A_name_matching_two_subnets_is_recorded_as_ambiguous()
    {
        var fake = DualStackCloudFake().On("subnets", _ => "{\"subnets\":[" + V4Json + "," + V6Json + "," + V6Json.Replace(V6Id, "dup-1", StringComparison.Ordinal) + "]}");

        var (cloud, _, _) = await CollectAsync(DualStack(), fake);

        cloud.ControlPlanePortSubnets[1].IsAmbiguous.ShouldBeTrue();
        cloud.ControlPlanePortSubnets[1].Matches.Select(s => s.Id).ShouldBe([V6Id, "dup-1"]);
        cloud.RouterInterfacePorts.ShouldBeEmpty(); // no IPv6 subnet was found, so none was looked at
    }

    [Fact]
    public async Task A_quota_without_usage_details_is_recorded_as_unavailable()
    {
        var fake = DualStackCloudFake().OnStatus($"quotas/{FakeOpenStack.ProjectId}/details", HttpStatusCode.NotFound,
            """{"NeutronError":{"type":"HTTPNotFound","message":"The resource could not be found.","detail":""}}""");

        var (cloud, _, _) = await CollectAsync(DualStack(), fake);

        cloud.NetworkQuota!.Details.ShouldBeNull();
        cloud.NetworkQuota.UnavailableReason.ShouldBe("Neutron does not report quota usage (no quota_details extension)");
    }

    [Fact]
    public async Task A_compute_endpoint_without_a_Nova_source_is_recorded_as_unchecked()
    {
        var fake = DualStackCloudFake();
        fake.WithCompute = true;

        var (cloud, _, _) = await CollectAsync(DualStack(), fake);

        cloud.Compute.HasEndpoint.ShouldBeTrue();
        cloud.Compute.UnavailableReason.ShouldBe("ShiftStack has no Nova client yet");
    }

    [Fact]
    public async Task A_compute_source_gets_the_flavors_of_the_plan()
    {
        var fake = DualStackCloudFake();
        fake.WithCompute = true;
        var source = new RecordingComputeSource();
        using var client = fake.Client();

        var cloud = await new CloudInfoCollector(client, source).CollectAsync(DualStack());

        source.Flavors.ShouldBe(["m1.xlarge", "m1.large"]);
        cloud.Compute.ShouldBeSameAs(source.Result);
    }

    [Fact]
    public async Task Refused_credentials_propagate_as_an_OpenStackException_without_any_Neutron_request()
    {
        var fake = DualStackCloudFake();
        fake.RefuseCredentials = true;
        using var client = fake.Client();

        var ex = await Should.ThrowAsync<OpenStackException>(() => new CloudInfoCollector(client).CollectAsync(DualStack()));

        ex.IsAuthenticationFailure.ShouldBeTrue();
        ex.Message.ShouldNotContain("not-a-real-password");
        fake.NeutronRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_Neutron_failure_propagates()
    {
        var fake = DualStackCloudFake().OnStatus("extensions", HttpStatusCode.InternalServerError,
            """{"NeutronError":{"type":"HTTPInternalServerError","message":"boom","detail":""}}""");
        using var client = fake.Client();

        var ex = await Should.ThrowAsync<OpenStackException>(() => new CloudInfoCollector(client).CollectAsync(DualStack()));

        ex.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Nova_facts_take_two_requests_flavors_and_quota_details()
    {
        var fake = DualStackCloudFake()
            .OnPath("/v2.1/flavors/detail", _ => """{"flavors":[{"id":"1","name":"m1.large","vcpus":4,"ram":8192,"disk":80,"extra_specs":{}},{"id":"2","name":"m1.xlarge","vcpus":8,"ram":16384,"disk":160,"extra_specs":{}},{"id":"3","name":"m1.tiny","vcpus":1,"ram":512,"disk":1,"extra_specs":{}}]}""")
            .OnPath($"/v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail", _ => """{"quota_set":{"id":"p-1","cores":{"limit":20,"in_use":2,"reserved":0},"instances":{"limit":10,"in_use":1,"reserved":0},"ram":{"limit":51200,"in_use":4096,"reserved":0}}}""");
        fake.WithCompute = true;
        var counter = new RequestCounter();
        using var identity = fake.Identity(counter);
        var network = new NetworkingClient(identity);
        var compute = new ComputeClient(identity);

        var cloud = await new CloudInfoCollector(network, new NovaComputeFacts(compute)).CollectAsync(DualStack());

        fake.NovaRequests.ShouldBe(["GET /v2.1/flavors/detail", $"GET /v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail"], ignoreOrder: true);
        counter.ForService("identity").ShouldBe(1);
        cloud.Compute.Flavors.Keys.ShouldBe(["m1.large", "m1.xlarge"], ignoreOrder: true);
        cloud.Compute.Quota!.Cores.Available.ShouldBe(18);
        PreflightValidator.Validate(DualStack(), cloud).Messages().ShouldBe(
        [
            "platform.openstack.cloud: Invalid value: \"fake\": the project's quota of cores is too small for this cluster: 44 needed (vCPUs of the machines' flavors), 18 free (limit 20, 2 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
            "platform.openstack.cloud: Invalid value: \"fake\": the project's quota of RAM (MiB) is too small for this cluster: 90112 needed (RAM of the machines' flavors), 47104 free (limit 51200, 4096 used) "
            + "(ShiftStack check; openshift-install checks quotas against a fixed estimate)",
        ]);
    }

    [Fact]
    public async Task Machine_pool_facts_are_asked_only_when_a_pool_needs_them_zones_types_and_the_baremetal_spec()
    {
        // machinepool.go needs compute zones, volume types and volume zones; the reference lists all three always,
        // ShiftStack only when a merged pool names them. The baremetal extra spec is asked for separately only when
        // Nova's flavor list lacks extra_specs and the flavor is below the minimums (the only case where it matters).
        var fake = DualStackCloudFake()
            .OnPath("/v2.1/flavors/detail", _ => """{"flavors":[{"id":"1","name":"bm.small","vcpus":1,"ram":512,"disk":1},{"id":"2","name":"m1.xlarge","vcpus":8,"ram":16384,"disk":160}]}""")
            .OnPath("/v2.1/flavors/1/os-extra_specs/baremetal", _ => """{"baremetal":"true"}""")
            .OnPath($"/v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail", _ => """{"quota_set":{"id":"p-1","cores":{"limit":100000,"in_use":0,"reserved":0},"instances":{"limit":100000,"in_use":0,"reserved":0},"ram":{"limit":100000,"in_use":0,"reserved":0}}}""")
            .OnPath("/v2.1/os-availability-zone", _ => """{"availabilityZoneInfo":[{"zoneName":"az-a","zoneState":{"available":true}},{"zoneName":"az-down","zoneState":{"available":false}}]}""")
            .OnPath($"/v3/{FakeOpenStack.ProjectId}/types", _ => """{"volume_types":[{"id":"t1","name":"standard","os-volume-type-access:is_public":true}]}""")
            .OnPath($"/v3/{FakeOpenStack.ProjectId}/os-availability-zone", _ => """{"availabilityZoneInfo":[{"zoneName":"vol-a","zoneState":{"available":true}}]}""");
        fake.WithCompute = true;
        fake.WithVolume = true;
        var counter = new RequestCounter();
        using var identity = fake.Identity(counter);
        var network = new NetworkingClient(identity);
        var compute = new ComputeClient(identity);
        var volume = new ShiftStack.OpenStack.BlockStorage.BlockStorageClient(identity);
        var collector = new CloudInfoCollector(network, new NovaComputeFacts(compute), new CinderVolumeFacts(volume));
        var config = DualStack();
        config = config with
        {
            ControlPlane = config.ControlPlane! with
            {
                Platform = new MachinePoolPlatform
                {
                    OpenStack = new OpenStackMachinePool
                    {
                        FlavorName = "bm.small",
                        Zones = ["az-a", "az-down"],
                        RootVolume = new RootVolume { Size = 100, Types = ["standard", "fast"], Zones = ["vol-a"] },
                    },
                },
            },
            Compute = [config.Compute[0] with { Platform = new MachinePoolPlatform { OpenStack = new OpenStackMachinePool { FlavorName = "m1.xlarge" } } }],
        };

        var cloud = await collector.CollectAsync(config);

        fake.NovaRequests.ShouldBe(
        [
            "GET /v2.1/flavors/detail", $"GET /v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail", "GET /v2.1/os-availability-zone",
            "GET /v2.1/flavors/1/os-extra_specs/baremetal",
        ], ignoreOrder: true);
        fake.CinderRequests.ShouldBe([$"GET /v3/{FakeOpenStack.ProjectId}/types", $"GET /v3/{FakeOpenStack.ProjectId}/os-availability-zone"], ignoreOrder: true);
        counter.ForService("identity").ShouldBe(1);
        cloud.Compute.Zones.ShouldBe(["az-a"]);
        cloud.Compute.BaremetalFlavors.ShouldBe(["bm.small"]);
        cloud.Volume!.Types.ShouldBe(["standard"]);
        cloud.Volume.Zones.ShouldBe(["vol-a"]);
        PreflightValidator.Validate(config, cloud).Messages().ShouldBe(
        [
            "controlPlane.platform.openstack.rootVolume.types: Invalid value: \"fast\": Volume type either does not exist in this cloud, or is not available",
            "controlPlane.platform.openstack.zones.zone[1]: Invalid value: \"az-down\": Zone either does not exist in this cloud, or is not available",
        ]);

        // The dual-stack example names no zone and no root volume: neither Nova's zones nor Cinder are asked.
        var plain = DualStackCloudFake()
            .OnPath("/v2.1/flavors/detail", _ => """{"flavors":[]}""")
            .OnPath($"/v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail", _ => """{"quota_set":{"id":"p-1","cores":{"limit":100000,"in_use":0,"reserved":0},"instances":{"limit":100000,"in_use":0,"reserved":0},"ram":{"limit":100000,"in_use":0,"reserved":0}}}""");
        plain.WithCompute = true;
        plain.WithVolume = true;
        using var plainIdentity = plain.Identity(new RequestCounter());
        var plainCloud = await new CloudInfoCollector(new NetworkingClient(plainIdentity), new NovaComputeFacts(new ComputeClient(plainIdentity)),
            new CinderVolumeFacts(new ShiftStack.OpenStack.BlockStorage.BlockStorageClient(plainIdentity))).CollectAsync(DualStack());
        plain.NovaRequests.ShouldBe(["GET /v2.1/flavors/detail", $"GET /v2.1/os-quota-sets/{FakeOpenStack.ProjectId}/detail"], ignoreOrder: true);
        plain.CinderRequests.ShouldBeEmpty();
        plainCloud.Volume.ShouldBeNull();
        plainCloud.Compute.Zones.ShouldBeNull();
    }

    private sealed class RecordingComputeSource : IComputeFactsSource
    {
        public IReadOnlyCollection<string> Flavors { get; private set; } = [];

        public ComputeFacts Result { get; } = new() { HasEndpoint = true };

        public Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, CancellationToken cancellationToken = default)
        {
            Flavors = flavorNames;
            return Task.FromResult(Result);
        }
    }
}
