using static ShiftStack.InstallConfig.Tests.TestConfigs;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>Defaults (install-config.md §6).</summary>
public class DefaultsTests
{
    [Fact]
    public void Takes_the_cloud_from_OS_CLOUD()
    {
        var c = SingleStack().WithOpenStack(o => o with { Cloud = null });

        var result = InstallConfigProcessor.Process(c, name => name == "OS_CLOUD" ? "from-env" : null);

        result.Config.Platform.OpenStack!.Cloud.ShouldBe("from-env");
    }

    [Fact]
    public void Falls_back_to_the_openstack_cloud()
    {
        var c = SingleStack().WithOpenStack(o => o with { Cloud = "" });

        Process(c).Config.Platform.OpenStack!.Cloud.ShouldBe("openstack");
    }

    [Fact]
    public void Keeps_an_explicit_cloud()
    {
        var result = InstallConfigProcessor.Process(SingleStack().WithOpenStack(o => o with { Cloud = "mine" }), _ => "from-env");

        result.Config.Platform.OpenStack!.Cloud.ShouldBe("mine");
    }

    [Fact]
    public void Defaults_the_networking_of_a_config_without_networking()
    {
        var result = Process(SingleStack() with { Networking = null });

        var n = result.Config.Networking!;
        n.MachineNetwork.Select(m => m.Cidr).ShouldBe(["10.0.0.0/16"]);
        n.ServiceNetwork.ShouldBe(["172.30.0.0/16"]);
        n.ClusterNetwork.ShouldHaveSingleItem().ShouldBe(new ClusterNetworkEntry { Cidr = "10.128.0.0/14", HostPrefix = 23 });
        n.NetworkType.ShouldBe("OVNKubernetes");
        result.Config.Platform.OpenStack!.ApiVips.ShouldBe(["10.0.0.5"]);
        result.Config.Platform.OpenStack.IngressVips.ShouldBe(["10.0.0.7"]);
        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Defaults_the_load_balancer_and_one_VIP_per_list_from_machineNetwork_0()
    {
        var os = Process(SingleStack()).Config.Platform.OpenStack!;

        os.LoadBalancer.ShouldBe(new LoadBalancerConfig { Type = "OpenShiftManagedDefault" });
        os.ApiVips.ShouldBe(["10.0.128.5"]);
        os.IngressVips.ShouldBe(["10.0.128.7"]);
    }

    [Fact]
    public void Defaults_IPv6_VIPs_from_an_IPv6_primary_machine_network()
    {
        var c = SingleStack().WithNetworking(n => n with
        {
            MachineNetwork = [new() { Cidr = "fd2e:6f44:5dd8:c956::/64" }],
            ClusterNetwork = [new() { Cidr = "fd01::/48", HostPrefix = 64 }],
            ServiceNetwork = ["fd02::/112"],
        });

        var result = Process(c);

        result.Config.Platform.OpenStack!.ApiVips.ShouldBe(["fd2e:6f44:5dd8:c956::5"]);
        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Does_not_default_VIPs_for_a_UserManaged_load_balancer()
    {
        var c = SingleStack().WithOpenStack(o => o with { LoadBalancer = new() { Type = "UserManaged" } });

        Process(c).Config.Platform.OpenStack!.ApiVips.ShouldBeEmpty();
    }

    [Fact]
    public void Does_not_default_a_VIP_when_the_deprecated_field_is_set()
    {
        var c = SingleStack().WithOpenStack(o => o with { DeprecatedApiVip = "10.0.128.9" });

        Process(c).Config.Platform.OpenStack!.ApiVips.ShouldBe(["10.0.128.9"]);
    }

    [Fact]
    public void Reports_a_VIP_that_cannot_be_derived_instead_of_storing_the_error_as_the_VIP()
    {
        // docs/deviations.md §9: the reference stores the error text as the VIP; ShiftStack reports it.
        var c = SingleStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "10.0.0.0/30" }] });

        var result = Process(c);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "platform.openstack.apiVIPs: Invalid value: \"10.0.0.0/30\": could not derive API VIP from machine networks: prefix of 30 does not accommodate a host numbered 5; set apiVIPs explicitly (openshift-install stores this message as the VIP and fails on it later)",
            "platform.openstack.ingressVIPs: Invalid value: \"10.0.0.0/30\": could not derive Ingress VIP from machine networks: prefix of 30 does not accommodate a host numbered 7; set ingressVIPs explicitly (openshift-install stores this message as the VIP and fails on it later)",
        ]);
    }

    [Fact]
    public void Defaults_the_machine_pools()
    {
        var result = Process(SingleStack() with { ControlPlane = null, Compute = [] });

        result.Config.ControlPlane.ShouldBe(new MachinePool { Name = "master", Replicas = 3, Hyperthreading = "Enabled", Architecture = "amd64" });
        result.Config.Compute.ShouldHaveSingleItem().ShouldBe(new MachinePool { Name = "worker", Replicas = 3, Hyperthreading = "Enabled", Architecture = "amd64" });
        result.Config.Publish.ShouldBe("External");
        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Forces_the_control_plane_pool_name_to_master()
    {
        var result = Process(SingleStack() with { ControlPlane = new() { Name = "controllers", Replicas = 3 } });

        result.Config.ControlPlane!.Name.ShouldBe("master");
    }
}
