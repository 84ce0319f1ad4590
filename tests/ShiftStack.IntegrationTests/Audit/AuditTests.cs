using System.Text.Json;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Audit;

/// <summary>
/// <c>shiftstack audit cluster</c> against the local cloud, through the built CLI: a cluster is created, then drifted
/// the way day 2 drifts it (a planned rule deleted, a stray rule added, a master port's IPv6 API VIP pair removed, a
/// worker the Machine API made later with an IPv4-only port and no pairs, a VIP port's tag removed, a leaked tagged
/// port); the audit names each (text and JSON), <c>--fix</c> repairs exactly those, a second audit is clean, and
/// <c>destroy cluster</c> leaves nothing.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditTests(LocalCloud cloud)
{
    [Fact]
    public async Task Audit_names_day_2_drift_and_fix_repairs_exactly_it()
    {
        // DHCPv6-stateful: a port asked for on the IPv4 subnet alone really has no IPv6 address (on SLAAC Neutron adds one).
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "au", new ScenarioOptions { Ipv6Mode = "dhcpv6-stateful" });
        var tag = "";
        try
        {
            var created = await Cli("create", "cluster", "--dir", s.Directory, "--allow-preview-ignition");
            created.ExitCode.ShouldBe(0, created.ToString());
            using (var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(s.Directory, "metadata.json"))))
            {
                tag = "openshiftClusterID=" + metadata.RootElement.GetProperty("infraID").GetString();
            }

            var infraId = tag["openshiftClusterID=".Length..];
            var clean = await Cli("audit", "cluster", "--dir", s.Directory);
            clean.ExitCode.ShouldBe(0, clean.ToString());
            clean.Out.ShouldContain("no drift");

            // Drift, as day 2 makes it.
            var groups = await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] });
            var master = groups.Single(g => g.Name == infraId + "-master");
            var worker = groups.Single(g => g.Name == infraId + "-worker");
            var deleted = master.SecurityGroupRules.First(r => r.Direction == RuleDirection.Ingress && r.Ethertype == EtherType.IPv6 && r.PortRangeMin == 6443);
            await s.Network.SecurityGroupRules.DeleteAsync(deleted.Id);
            var stray = await s.Network.SecurityGroupRules.CreateAsync(new SecurityGroupRuleCreateOptions
            {
                SecurityGroupId = worker.Id, Direction = RuleDirection.Ingress, Ethertype = EtherType.IPv4,
                Protocol = new RuleProtocol("tcp"), PortRangeMin = 9999, PortRangeMax = 9999, RemoteIpPrefix = "0.0.0.0/0",
            });

            var apiV6 = s.Config.Platform.OpenStack!.ApiVips[1];
            var master0 = (await s.Network.Ports.ListAsync(new PortListOptions { Name = infraId + "-master-0-0" })).Single();
            await s.Network.Ports.UpdateAsync(master0.Id, new PortUpdateOptions
            {
                AllowedAddressPairs = master0.AllowedAddressPairs.Where(p => Canonical(p.IpAddress) != Canonical(apiV6)).ToList(),
            });

            // A worker the Machine API made later: its port on the IPv4 subnet only, no pairs, default group; its server.
            var late = await s.Network.Ports.CreateAsync(new PortCreateOptions
            {
                NetworkId = s.UserNetwork.Id, Name = infraId + "-worker-late-0", FixedIps = [new FixedIpRequest { SubnetId = s.V4.Id }],
            });
            await s.Network.Tags.AddAsync(TaggableResources.Ports, late.Id, tag);
            var flavor = (await s.Compute.FindFlavorIdAsync(ProvisioningScenario.Flavor))!;
            var image = (await s.Compute.FindImageIdAsync(ProvisioningScenario.Image))!;
            await s.Compute.CreateServerAsync(new ServerCreateSpec(infraId + "-worker-late", flavor, image, [late.Id], null, null,
                new Dictionary<string, string> { ["Name"] = infraId + "-worker", ["openshiftClusterID"] = infraId }, [tag], "{}"u8.ToArray()));

            await s.Network.Tags.RemoveAsync(TaggableResources.Ports, s.ApiPort.Id, infraId + "-dual-stack-vips-port");
            var leaked = await s.Network.Ports.CreateAsync(new PortCreateOptions { NetworkId = s.UserNetwork.Id, Name = infraId + "-worker-failed-0" });
            await s.Network.Tags.AddAsync(TaggableResources.Ports, leaked.Id, tag);

            // The audit names each one, read-only.
            var text = await Cli("audit", "cluster", "--dir", s.Directory);
            text.ExitCode.ShouldBe(2, text.ToString());
            text.Out.ShouldContain("rule-missing");
            text.Out.ShouldContain("rule-unexpected");
            text.Out.ShouldContain("port-vip-pairs-differ");
            text.Out.ShouldContain(Canonical(apiV6));
            text.Out.ShouldContain("port-missing-address");
            text.Out.ShouldContain("port-missing-vip-pair");
            text.Out.ShouldContain("port-missing-security-group");
            text.Out.ShouldContain("vip-port-untagged");
            text.Out.ShouldContain("leaked-port");
            text.Out.ShouldContain("run with --fix");

            var json = await Cli("audit", "cluster", "--dir", s.Directory, "-o", "json");
            json.ExitCode.ShouldBe(2, json.ToString());
            using (var doc = JsonDocument.Parse(json.Out))
            {
                doc.RootElement.GetProperty("clean").GetBoolean().ShouldBeFalse();
                var ids = doc.RootElement.GetProperty("findings").EnumerateArray()
                    .Where(f => f.GetProperty("drift").GetBoolean()).Select(f => f.GetProperty("id").GetString()!).ToList();
                ids.ShouldContain($"rule-unexpected/{infraId}-worker/{stray.Id}");
                ids.ShouldContain($"leaked-port/port {leaked.Name} ({leaked.Id})");
                ids.ShouldContain($"port-missing-address/port {late.Name} ({late.Id})/{s.V6.Id}");
                ids.Count(i => i.StartsWith("rule-missing/", StringComparison.Ordinal)).ShouldBe(1);
                doc.RootElement.GetProperty("requests").GetInt64().ShouldBeLessThan(20, "a handful of list requests, not one per port");
            }

            // Nothing changed yet.
            (await s.Network.Ports.FindAsync(leaked.Id)).ShouldNotBeNull();

            // --fix repairs exactly those, and audits again.
            var fixedRun = await Cli("audit", "cluster", "--dir", s.Directory, "--fix");
            fixedRun.ExitCode.ShouldBe(0, fixedRun.ToString());
            var planShown = fixedRun.Out.IndexOf("--fix: making these", StringComparison.Ordinal);
            planShown.ShouldBeGreaterThan(0, "the plan is shown before the changes are made");
            planShown.ShouldBeLessThan(fixedRun.Out.IndexOf("--fix ran", StringComparison.Ordinal));
            fixedRun.Out[..planShown].ShouldContain("leaked-port");
            fixedRun.Out.ShouldContain("no drift");
            (await s.Network.Ports.FindAsync(leaked.Id)).ShouldBeNull();
            (await s.Network.SecurityGroupRules.FindAsync(stray.Id)).ShouldBeNull();
            var repaired = await s.Network.Ports.GetAsync(late.Id);
            repaired.FixedIpsOf(ShiftStack.Networking.IpFamily.IPv4).Single().IpAddress.ShouldBe(late.FixedIps.Single().IpAddress, "its IPv4 address is kept");
            repaired.FixedIpsOf(ShiftStack.Networking.IpFamily.IPv6).Count().ShouldBe(1);
            repaired.AllowedAddressPairs.Count.ShouldBe(4);
            repaired.SecurityGroups.ShouldContain(worker.Id);
            repaired.SecurityGroups.Count.ShouldBe(2, "its own (default) group stays");
            (await s.Network.Tags.ListAsync(TaggableResources.Ports, s.ApiPort.Id)).ShouldContain(infraId + "-dual-stack-vips-port");
            (await s.Network.Ports.GetAsync(master0.Id)).AllowedAddressPairs.Count.ShouldBe(4);

            var again = await Cli("audit", "cluster", "--dir", s.Directory, "-o", "json");
            again.ExitCode.ShouldBe(0, again.ToString());
            using (var doc = JsonDocument.Parse(again.Out))
            {
                doc.RootElement.GetProperty("clean").GetBoolean().ShouldBeTrue(again.Out);
                doc.RootElement.GetProperty("repair").GetArrayLength().ShouldBe(0);
            }
        }
        finally
        {
            var destroyed = await Cli("destroy", "cluster", "--dir", s.Directory);
            destroyed.ExitCode.ShouldBe(0, destroyed.ToString());
        }

        (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).ShouldBeEmpty();
    }

    private static string Canonical(string address) => ShiftStack.Networking.IpAddresses.Canonical(System.Net.IPAddress.Parse(address));

    private Task<CliRun> Cli(params string[] args) => CliProcess.RunAsync(cloud, null, args);
}
