using System.Net;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// Unknown outcomes (issue #21): the real Neutron carries out a create, and its answer never reaches ShiftStack (the
/// connection ends before the response, as when neutron-server is restarted mid-request). The first answer of each
/// kind of create a network-only <c>create cluster</c> sends is dropped this way: the security-group POST, the bulk
/// rule POST, the port POST (bulk on DHCPv6-stateful; one by one on SLAAC after Neutron 21.0.0's bulk bug) and the
/// floating-IP POST. The run must resolve each by looking, complete, and hold every resource exactly once.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LostAnswerTests(LocalCloud cloud, ITestOutputHelper output)
{
    [Theory]
    [InlineData("dhcpv6-stateful")]
    [InlineData("slaac")]
    public async Task A_create_whose_answer_is_lost_is_resolved_by_looking_never_sent_twice(string ipv6Mode)
    {
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "lost" + ipv6Mode[..4], new ScenarioOptions { Ipv6Mode = ipv6Mode });
        var before = await ClusterProvisioningTests.UserStateAsync(scenario);
        using var dropper = new DropFirstAnswer("/v2.0/security-groups", "/v2.0/security-group-rules", "/v2.0/ports", "/v2.0/floatingips");
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = dropper });
        var messages = new MessageLog();

        var result = await ClusterProvisioner.ProvisionAsync(scenario.Config, scenario.InfraId, network, null, scenario.OpenState(), new ProvisioningOptions
        {
            Scope = ProvisioningScope.NetworkOnly,
            Progress = messages,
        });

        output.WriteLine(string.Join("\n", messages.Lines));
        result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
        dropper.Dropped.Order(StringComparer.Ordinal).ShouldBe(["/v2.0/floatingips", "/v2.0/ports", "/v2.0/security-group-rules", "/v2.0/security-groups"]);
        result.Execution.LostAnswers.ShouldBe(4);
        messages.Lines.Count(l => l.Contains(": the answer to POST", StringComparison.Ordinal)).ShouldBe(4);
        result.Execution.Results.Where(r => r.LostAnswers > 0).ShouldAllBe(r => r.Message.Contains("resolved by looking", StringComparison.Ordinal));

        await ExactlyOnce.NetworkSideThenDestroyAsync(scenario, before);
    }

    /// <summary>Lets the first successful POST to each path reach Neutron, then loses its answer (the response ends early).</summary>
    private sealed class DropFirstAnswer(params string[] paths) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly HashSet<string> _pending = new(paths, StringComparer.Ordinal);

        public List<string> Dropped { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath.TrimEnd('/');
            if (request.Method == HttpMethod.Post && response.IsSuccessStatusCode)
            {
                lock (_pending)
                {
                    if (_pending.Remove(path))
                    {
                        Dropped.Add(path);
                        response.Dispose();
                        throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
                    }
                }
            }

            return response;
        }
    }
}
