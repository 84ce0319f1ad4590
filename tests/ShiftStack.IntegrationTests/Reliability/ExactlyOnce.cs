using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>What a run that met faults must still have made: exactly the planned resources, each once.</summary>
internal static class ExactlyOnce
{
    /// <summary>
    /// The network side of a scenario's cluster holds exactly the plan (both groups with their rules, the four node ports
    /// tagged and with their pairs, one bootstrap floating IP, each once); a second run has nothing to do; destroy
    /// leaves nothing, and the user's resources are as <paramref name="before"/>.
    /// </summary>
    public static async Task NetworkSideThenDestroyAsync(ProvisioningScenario scenario, string before)
    {
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
}
