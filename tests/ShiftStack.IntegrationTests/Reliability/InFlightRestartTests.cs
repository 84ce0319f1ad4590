using System.Diagnostics;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Image;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// Services of the real local cloud are killed (<c>hack/openstack/restart --kill</c>, as a crash) while a create is in
/// flight, at several moments of one run: the client's handler sends the chosen request, and as soon as it is on its
/// way the service is killed and started again (<see cref="KillDuringRequests"/>). Whatever the service did with the
/// request (carried it out, or not) and whatever reaches the client (the answer, a connection cut off, refusals), the
/// run must complete with exactly the planned resources, and each answer that was lost must be resolved by looking
/// and named in the run's messages and summary (issue #21). Unlike <see cref="LostAnswerTests"/>, nothing is
/// simulated: the outage is real, and so is the service's half-done work.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InFlightRestartTests(LocalCloud cloud, ITestOutputHelper output)
{
    /// <summary>Neutron killed four times in one network-only run: during the first security-group, bulk rule, port and floating-IP POSTs.</summary>
    [Theory]
    [InlineData("dhcpv6-stateful")] // ports in one bulk POST
    [InlineData("slaac")] // ports one by one (Neutron 21.0.0's bulk bug)
    public async Task The_network_side_completes_when_Neutron_is_killed_while_each_kind_of_create_is_in_flight(string ipv6Mode)
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "inflight" + ipv6Mode[..4], new ScenarioOptions { Ipv6Mode = ipv6Mode });
        var before = await ClusterProvisioningTests.UserStateAsync(scenario);
        using var kills = new KillDuringRequests("neutron-server", await scenario.Network.Identity.GetEndpointAsync("network"),
            (HttpMethod.Post, "/v2.0/security-groups"), (HttpMethod.Post, "/v2.0/security-group-rules"), (HttpMethod.Post, "/v2.0/ports"), (HttpMethod.Post, "/v2.0/floatingips"));
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = kills });
        var messages = new MessageLog();

        var clock = Stopwatch.StartNew();
        var result = await ClusterProvisioner.ProvisionAsync(scenario.Config, scenario.InfraId, network, null, scenario.OpenState(), new ProvisioningOptions
        {
            Scope = ProvisioningScope.NetworkOnly,
            Progress = messages,
        });
        var elapsed = clock.Elapsed;
        Report(messages, kills, $"neutron-server killed 4 times ({ipv6Mode})", elapsed, result);
        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        await kills.CompleteAsync();
        ShouldNameEachLostAnswer(result, messages, kills);

        await ExactlyOnce.NetworkSideThenDestroyAsync(scenario, before);
    }

    /// <summary>
    /// Keystone killed during the run's first authentication, and Nova killed during the first server POST, in one
    /// run with servers.
    /// </summary>
    [Fact]
    public async Task Servers_are_created_once_when_Keystone_and_Nova_are_killed_mid_request()
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "inflightnova", new ScenarioOptions { FloatingIps = false });
        using var nova = new KillDuringRequests("nova-api", await scenario.Network.Identity.GetEndpointAsync("compute"), (HttpMethod.Post, "/servers"));
        using var keystone = new KillDuringRequests("keystone", new Uri(cloud.Cloud().Auth.AuthUrl!), (HttpMethod.Post, "/v3/auth/tokens")) { InnerHandler = nova };
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = keystone });
        using var compute = new ComputeClient(network.Identity);
        using var images = new ImageClient(network.Identity);
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
        Report(messages, keystone, "keystone killed during the first authentication", elapsed, result);
        Report(messages, nova, "nova-api killed during a server POST", elapsed, result);
        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        await keystone.CompleteAsync();
        await nova.CompleteAsync();
        ShouldNameEachLostAnswer(result, messages, nova);

        // One server per machine, no duplicate, each ACTIVE on its own port.
        await ClusterProvisioningTests.VerifyClusterAsync(scenario, ProvisioningScope.Cluster);
        var servers = await scenario.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = ["openshiftClusterID=" + scenario.InfraId] });
        servers.Select(s => s.Name).Order(StringComparer.Ordinal).ShouldBe(
            [scenario.InfraId + "-bootstrap", scenario.InfraId + "-master-0", scenario.InfraId + "-master-1", scenario.InfraId + "-master-2"]);
        var destroyed = await scenario.DestroyAsync();
        destroyed.Leftovers.ShouldBeEmpty();
    }

    /// <summary>Each lost create answer was resolved by looking: counted, and named in a progress line and its step's result.</summary>
    internal static void ShouldNameEachLostAnswer(ProvisioningResult result, MessageLog messages, KillDuringRequests kills)
    {
        result.Execution.LostAnswers.ShouldBeGreaterThanOrEqualTo(kills.Lost.Count, kills.Outcomes);
        foreach (var lost in kills.Lost)
        {
            var path = lost[(lost.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            messages.Lines.ShouldContain(l => l.Contains("the answer to POST ", StringComparison.Ordinal) && l.Contains(path + " was lost", StringComparison.Ordinal), lost);
        }

        result.Execution.Results.Where(r => r.LostAnswers > 0)
            .ShouldAllBe(r => r.Message.Contains("resolved by looking", StringComparison.Ordinal) || r.Message.Contains("lost answer", StringComparison.Ordinal));
    }

    private void Report(MessageLog messages, KillDuringRequests kills, string what, TimeSpan elapsed, ProvisioningResult result)
    {
        output.WriteLine(string.Join("\n", messages.Lines));
        output.WriteLine(kills.Output);
        output.WriteLine($"{what}: {kills.Outcomes}; run completed in {elapsed.TotalSeconds:0.0} s with {result.Execution.LostAnswers} lost answer(s) resolved, {result.Requests} requests");
    }
}
