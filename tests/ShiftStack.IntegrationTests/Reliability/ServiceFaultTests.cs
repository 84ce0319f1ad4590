using System.Diagnostics;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// Service faults: Neutron, and separately Keystone, are restarted (<c>hack/openstack/restart</c>) in the middle of a
/// network-only <c>create cluster</c>, which must still complete — through the client's retries while the service
/// refuses connections and, for Keystone, a re-authentication during the outage. The run goes one step at a time
/// (<c>Concurrency = 1</c>) and the third step waits in its progress callback until the service is down, so the outage
/// meets the run between two requests: no POST is cut off mid-flight (a POST whose answer is lost is never repeated
/// blindly; that case is the crash-and-resume test's). The outage is asserted to have been seen: refused connections
/// counted in the client's pipeline.
/// These tests restart services of the shared local cloud: every other user of it sees the outage. They belong to the
/// <see cref="LocalCloudCollection"/>, whose tests run one at a time. FAIL when the cloud is missing.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceFaultTests(LocalCloud cloud, ITestOutputHelper output)
{
    private const int OutageAtStep = 3;

    [Fact]
    public Task Create_cluster_completes_through_a_Neutron_restart() =>
        RunThroughRestartAsync("neutron-server", "nfault", reauthenticate: false);

    [Fact]
    public Task Create_cluster_completes_through_a_Keystone_restart_with_a_new_token() =>
        RunThroughRestartAsync("keystone", "kfault", reauthenticate: true);

    private async Task RunThroughRestartAsync(string service, string name, bool reauthenticate)
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, name, new ScenarioOptions { FloatingIps = false });
        var before = await ClusterProvisioningTests.UserStateAsync(scenario);
        using var handler = new RefusalCountingHandler();
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = handler });
        var endpoint = service == "keystone"
            ? new Uri(cloud.Cloud().Auth.AuthUrl!)
            : await network.Identity.GetEndpointAsync("network");
        ServiceRestart? restart = null;

        // The third step waits until the service is down; the keystone case also drops the client's token, so the
        // step must authenticate while Keystone is away.
        var progress = new OnStepStart(OutageAtStep, () =>
        {
            restart = ServiceRestart.Begin(service);
            ServiceRestart.WaitUntilRefused(endpoint, TimeSpan.FromSeconds(30));
            if (reauthenticate)
            {
                network.Identity.InvalidateToken();
            }
        });

        var clock = Stopwatch.StartNew();
        var result = await ClusterProvisioner.ProvisionAsync(scenario.Config, scenario.InfraId, network, null, scenario.OpenState(), new ProvisioningOptions
        {
            Scope = ProvisioningScope.NetworkOnly,
            Concurrency = 1,
            Progress = progress,
        });
        var elapsed = clock.Elapsed;

        restart.ShouldNotBeNull($"the run must reach step {OutageAtStep}");
        await restart.CompleteAsync();
        output.WriteLine(restart.Output);
        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        handler.Refused.ShouldBeGreaterThan(0, $"the run must have met {service} down");
        var summary = $"{service} restart during create cluster --network-only: completed in {elapsed.TotalSeconds:0.0} s, {result.Requests} requests, {handler.Refused} refused connections retried";
        output.WriteLine(summary);
        Console.WriteLine(summary);

        // The cluster is complete and exactly once; destroy leaves nothing.
        await ClusterProvisioningTests.VerifyClusterAsync(scenario, ProvisioningScope.NetworkOnly);
        var destroyed = await scenario.DestroyAsync(withCompute: false);
        destroyed.Leftovers.ShouldBeEmpty();
        (await ClusterProvisioningTests.UserStateAsync(scenario)).ShouldBe(before);
    }

    /// <summary>Runs an action (synchronously, holding up that step) when the n-th step starts.</summary>
    private sealed class OnStepStart(int n, Action action) : IProgressSink
    {
        private int _started;

        public void Started(string id, string summary)
        {
            if (Interlocked.Increment(ref _started) == n)
            {
                action();
            }
        }

        public void Completed(string id, string summary)
        {
        }

        public void Failed(string id, string summary, string error)
        {
        }

        public void Message(string text)
        {
        }
    }

    /// <summary>The real transport, counting connections the service refused.</summary>
    private sealed class RefusalCountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                Interlocked.Increment(ref _refused);
                throw;
            }
        }
    }
}
