using System.Diagnostics;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// A service of the real local cloud is killed (<c>hack/openstack/restart --kill</c>, as a crash) while a create is
/// in flight: the client's handler sends the chosen request, and as soon as it is on its way the service is killed and
/// started again. Whatever the service did with the request (carried it out, or not) and whatever reaches the client
/// (the answer, a connection cut off, a refusal), the run must complete with exactly the planned resources, and each
/// answer that was lost must be resolved by looking and named in the run's messages and summary (issue #21). Unlike
/// <see cref="LostAnswerTests"/>, nothing is simulated: the outage is real, and so is the service's half-done work.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InFlightRestartTests(LocalCloud cloud, ITestOutputHelper output)
{
    [Theory]
    [InlineData("neutron-server", "/v2.0/security-groups", "slaac")]
    [InlineData("neutron-server", "/v2.0/security-group-rules", "dhcpv6-stateful")]
    [InlineData("neutron-server", "/v2.0/ports", "dhcpv6-stateful")]
    [InlineData("neutron-server", "/v2.0/ports", "slaac")]
    [InlineData("neutron-server", "/v2.0/floatingips", "slaac")]
    [InlineData("keystone", "/v3/auth/tokens", "slaac")]
    public async Task The_network_side_completes_when_a_service_is_killed_while_a_create_is_in_flight(string service, string path, string ipv6Mode)
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "inflight", new ScenarioOptions { Ipv6Mode = ipv6Mode });
        var before = await ClusterProvisioningTests.UserStateAsync(scenario);
        var endpoint = await EndpointAsync(scenario, service);
        using var handler = new KillDuringFirstRequest(HttpMethod.Post, path, service, endpoint);
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = handler });
        var messages = new MessageLog();

        var clock = Stopwatch.StartNew();
        var result = await ClusterProvisioner.ProvisionAsync(scenario.Config, scenario.InfraId, network, null, scenario.OpenState(), new ProvisioningOptions
        {
            Scope = ProvisioningScope.NetworkOnly,
            Progress = messages,
        });
        var elapsed = clock.Elapsed;
        await handler.CompleteAsync();

        output.WriteLine(string.Join("\n", messages.Lines));
        output.WriteLine(handler.Restart!.Output);
        var summary = $"{service} killed during POST {path} ({ipv6Mode}): {handler.Outcome}; run completed in {elapsed.TotalSeconds:0.0} s with {result.Execution.LostAnswers} lost answer(s) resolved, {result.Requests} requests";
        output.WriteLine(summary);
        Console.WriteLine(summary);

        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        if (handler.AnswerLost && path.StartsWith("/v2.0/", StringComparison.Ordinal))
        {
            // A create whose answer was lost is an unknown outcome: resolved by looking, counted, and named.
            result.Execution.LostAnswers.ShouldBeGreaterThanOrEqualTo(1);
            messages.Lines.ShouldContain(l => l.Contains("the answer to POST " + path, StringComparison.Ordinal));
            result.Execution.Results.Where(r => r.LostAnswers > 0)
                .ShouldAllBe(r => r.Message.Contains("resolved by looking", StringComparison.Ordinal) || r.Message.Contains("lost answer", StringComparison.Ordinal));
        }
        else
        {
            // Answered before the kill, or (Keystone) a token request, which is safe to send again: nothing unknown.
            result.Execution.LostAnswers.ShouldBe(0, handler.Outcome);
        }

        // Exactly the planned resources, once each.
        await ClusterProvisioningTests.VerifyClusterAsync(scenario, ProvisioningScope.NetworkOnly);
        var tag = "openshiftClusterID=" + scenario.InfraId;
        foreach (var role in new[] { "master", "worker" })
        {
            (await scenario.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = scenario.InfraId + "-" + role })).Count.ShouldBe(1, role);
        }

        (await scenario.Network.FloatingIps.ListAsync(new FloatingIpListOptions { Description = scenario.InfraId + "-bootstrap-fip" })).Count.ShouldBe(1);
        var ports = (await scenario.Network.Ports.ListAsync(new PortListOptions { NetworkId = scenario.UserNetwork.Id }))
            .Where(p => p.Name.StartsWith(scenario.InfraId, StringComparison.Ordinal)).ToList();
        ports.Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(
            [scenario.InfraId + "-bootstrap-0", scenario.InfraId + "-master-0-0", scenario.InfraId + "-master-1-0", scenario.InfraId + "-master-2-0"]);
        ports.ShouldAllBe(p => p.Tags.Contains(tag) && p.AllowedAddressPairs.Count == 4);

        var again = await ClusterProvisioner.PrepareAsync(scenario.Config, scenario.InfraId, scenario.Network, null, scenario.OpenState(), ProvisioningScope.NetworkOnly);
        again.Plan.IsComplete.ShouldBeTrue(string.Join("\n", again.Plan.Steps.Select(s => s.Summary)));
        var destroyed = await scenario.DestroyAsync(withCompute: false);
        destroyed.Leftovers.ShouldBeEmpty();
        (await ClusterProvisioningTests.UserStateAsync(scenario)).ShouldBe(before);
    }

    [Fact]
    public async Task Servers_are_created_once_when_Nova_is_killed_while_a_server_create_is_in_flight()
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "inflightnova", new ScenarioOptions { FloatingIps = false });
        var endpoint = await EndpointAsync(scenario, "nova-api");
        using var handler = new KillDuringFirstRequest(HttpMethod.Post, "/servers", "nova-api", endpoint);
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = handler });
        using var compute = new ShiftStack.OpenStack.Compute.ComputeClient(network.Identity);
        using var images = new ShiftStack.OpenStack.Image.ImageClient(network.Identity);
        var messages = new MessageLog();

        var clock = Stopwatch.StartNew();
        var result = await ClusterProvisioner.ProvisionAsync(scenario.Config, scenario.InfraId, network, new ComputeClientProvisioning(compute, images), scenario.OpenState(), new ProvisioningOptions
        {
            Scope = ProvisioningScope.Cluster,
            AssetDirectory = scenario.Directory,
            Progress = messages,
            PollInterval = TimeSpan.FromSeconds(1),
            ServerActiveTimeout = TimeSpan.FromMinutes(5),
        });
        var elapsed = clock.Elapsed;
        await handler.CompleteAsync();

        output.WriteLine(string.Join("\n", messages.Lines));
        output.WriteLine(handler.Restart!.Output);
        var summary = $"nova-api killed during a server POST: {handler.Outcome}; run completed in {elapsed.TotalSeconds:0.0} s with {result.Execution.LostAnswers} lost answer(s) resolved";
        output.WriteLine(summary);
        Console.WriteLine(summary);

        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        if (handler.AnswerLost)
        {
            result.Execution.LostAnswers.ShouldBeGreaterThanOrEqualTo(1);
            messages.Lines.ShouldContain(l => l.Contains("/servers was lost", StringComparison.Ordinal));
        }

        // One server per machine, no duplicate, each ACTIVE on its own port.
        await ClusterProvisioningTests.VerifyClusterAsync(scenario, ProvisioningScope.Cluster);
        var servers = await scenario.ComputeClient.Servers.ListAsync(new ShiftStack.OpenStack.Compute.ServerListOptions { Tags = ["openshiftClusterID=" + scenario.InfraId] });
        servers.Select(s => s.Name).Order(StringComparer.Ordinal).ShouldBe(
            [scenario.InfraId + "-bootstrap", scenario.InfraId + "-master-0", scenario.InfraId + "-master-1", scenario.InfraId + "-master-2"]);
        var destroyed = await scenario.DestroyAsync();
        destroyed.Leftovers.ShouldBeEmpty();
    }

    private async Task<Uri> EndpointAsync(ProvisioningScenario scenario, string service) => service switch
    {
        "keystone" => new Uri(cloud.Cloud().Auth.AuthUrl!),
        "nova-api" => await scenario.Network.Identity.GetEndpointAsync("compute"),
        _ => await scenario.Network.Identity.GetEndpointAsync("network"),
    };
}
