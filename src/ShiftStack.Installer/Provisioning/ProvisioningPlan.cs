using System.Net;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// The API calls that take the cloud from what exists (<see cref="ObservedCluster"/>) to what the cluster needs
/// (<see cref="DesiredCluster"/>). Pure: <see cref="Build"/> sends nothing. An empty <see cref="Steps"/> means the
/// cluster is complete; a re-run after a crash plans only what is missing.
/// </summary>
public sealed record ProvisioningPlan
{
    /// <summary>What the cluster needs.</summary>
    public required DesiredCluster Desired { get; init; }

    /// <summary>The calls, in an order that respects <see cref="PlanStep.DependsOn"/>.</summary>
    public required IReadOnlyList<PlanStep> Steps { get; init; }

    /// <summary>IDs of resources that already exist, by reference (<see cref="Refs"/>).</summary>
    public required IReadOnlyDictionary<string, string> Existing { get; init; }

    /// <summary>True when nothing is left to do.</summary>
    public bool IsComplete => Steps.Count == 0;

    /// <summary>Requests the steps send when all goes well (bulk port create counted as one).</summary>
    public int ExpectedRequests => Steps.Sum(s => s.ExpectedRequests);

    /// <summary>Plans the calls.</summary>
    /// <param name="desired">What the cluster needs.</param>
    /// <param name="facts">The cloud facts (the user's VIP ports and floating IPs as they are now).</param>
    /// <param name="observed">What exists.</param>
    /// <returns>The plan.</returns>
    public static ProvisioningPlan Build(DesiredCluster desired, ProvisioningFacts facts, ObservedCluster observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(observed);
        var steps = new List<PlanStep>();
        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        var tag = desired.ClusterTag;

        // Security groups: create, tag (replace-all), then one bulk POST of the missing rules.
        var createdGroups = new Dictionary<SecurityGroupRole, string>();
        foreach (var group in desired.SecurityGroups)
        {
            var reference = Refs.SecurityGroup(group.Role);
            if (observed.SecurityGroups.TryGetValue(group.Role, out var sg))
            {
                existing[reference] = sg.Id;
                if (!sg.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    steps.Add(new TagSecurityGroupStep(group.Role, group.Name, group.Tags) { Id = "tag-" + reference });
                }

                var have = sg.SecurityGroupRules.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
                var missing = group.Rules.Where(r => !have.Contains(RuleKeys.Of(r))).ToList();
                if (missing.Count > 0)
                {
                    steps.Add(new CreateSecurityGroupRulesStep(group.Role, group.Name, missing) { Id = "rules-" + reference });
                }
            }
            else
            {
                var create = "create-" + reference;
                createdGroups[group.Role] = create;
                steps.Add(new CreateSecurityGroupStep(group) { Id = create });
                steps.Add(new TagSecurityGroupStep(group.Role, group.Name, group.Tags) { Id = "tag-" + reference, DependsOn = [create] });
                if (group.Rules.Count > 0)
                {
                    steps.Add(new CreateSecurityGroupRulesStep(group.Role, group.Name, group.Rules) { Id = "rules-" + reference, DependsOn = [create] });
                }
            }
        }

        IReadOnlyList<string> GroupDependency(SecurityGroupRole role) =>
            createdGroups.TryGetValue(role, out var step) ? [step] : [];

        // The user's VIP ports: tag, add the cluster group, associate the floating IP; only what is missing.
        foreach (var vip in desired.VipPorts)
        {
            var port = facts.VipPort(vip.Role);
            var key = "vip-" + TagVipPortStep.RoleKey(vip.Role);
            if (port is null || !port.Tags.Contains(vip.Tag, StringComparer.Ordinal))
            {
                steps.Add(new TagVipPortStep(vip) { Id = "tag-" + key });
            }

            if (vip.SecurityGroup is { } role)
            {
                var has = existing.TryGetValue(Refs.SecurityGroup(role), out var groupId)
                    && port is not null && port.SecurityGroups.Contains(groupId, StringComparer.Ordinal);
                if (!has)
                {
                    steps.Add(new AddVipPortSecurityGroupStep(vip, role, ClusterNames.SecurityGroup(desired.InfraId, role))
                    {
                        Id = "add-sg-" + key,
                        DependsOn = GroupDependency(role),
                    });
                }
            }

            if (vip.FloatingIpId is not null)
            {
                var fip = vip.Role == VipRole.Api ? facts.ApiFloatingIp : facts.IngressFloatingIp;
                if (fip is null || !string.Equals(fip.PortId, vip.PortId, StringComparison.Ordinal))
                {
                    steps.Add(new AssociateVipFloatingIpStep(vip) { Id = "fip-" + key });
                }
            }
        }

        // Node ports: create the missing ones in one bulk request; correct drifted pairs/groups of existing ones.
        var portsByName = observed.Ports.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var missingPorts = new List<DesiredPort>();
        foreach (var port in desired.Ports)
        {
            if (portsByName.TryGetValue(port.Name, out var have))
            {
                existing[Refs.Port(port.Name)] = have.Id;
                if (!have.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    // Created by a run that died before tagging it (found through the state's intent).
                    steps.Add(new TagNodePortStep(port.Name, have.Id, tag) { Id = "tag-" + Refs.Port(port.Name) });
                }

                var pairsDiffer = !SameAddresses(have.AllowedAddressPairs.Select(p => p.IpAddress), port.AllowedAddresses);
                var groupsDiffer = existing.TryGetValue(Refs.SecurityGroup(port.SecurityGroup), out var groupId)
                    && !have.SecurityGroups.ToHashSet(StringComparer.Ordinal).SetEquals([groupId, .. port.AdditionalSecurityGroupIds]);
                groupsDiffer |= createdGroups.ContainsKey(port.SecurityGroup);
                if (pairsDiffer || groupsDiffer)
                {
                    steps.Add(new UpdatePortStep(port, have.Id, pairsDiffer, groupsDiffer)
                    {
                        Id = "update-" + Refs.Port(port.Name),
                        DependsOn = GroupDependency(port.SecurityGroup),
                    });
                }
            }
            else
            {
                missingPorts.Add(port);
            }
        }

        string? portsStep = null;
        if (missingPorts.Count > 0)
        {
            portsStep = "create-ports";
            steps.Add(new CreatePortsStep(missingPorts)
            {
                Id = portsStep,
                DependsOn = missingPorts.Select(p => p.SecurityGroup).Distinct().SelectMany(GroupDependency).ToList(),
            });
        }

        // Server groups and servers.
        var serverGroupSteps = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var serverGroup in desired.ServerGroups)
        {
            var found = observed.ServerGroups.FirstOrDefault(g => string.Equals(g.Name, serverGroup.Name, StringComparison.Ordinal));
            if (found is not null)
            {
                existing[Refs.ServerGroup(serverGroup.Name)] = found.Id;
            }
            else
            {
                var step = "create-" + Refs.ServerGroup(serverGroup.Name);
                serverGroupSteps[serverGroup.Name] = step;
                steps.Add(new CreateServerGroupStep(serverGroup) { Id = step });
            }
        }

        // openshift-install's bootstrap Ignition in Glance, before the bootstrap server whose shim points at it.
        string? ignitionStep = null;
        if (desired.BootstrapIgnitionImage is { } ignitionImage)
        {
            if (observed.CurrentBootstrapIgnitionImageId is { } imageId)
            {
                existing[Refs.BootstrapIgnitionImage] = imageId;
            }
            else
            {
                ignitionStep = "upload-" + Refs.BootstrapIgnitionImage;
                var stale = observed.Images.Where(i => string.Equals(i.Name, ignitionImage.Name, StringComparison.Ordinal)).ToList();
                steps.Add(new UploadBootstrapIgnitionStep(ignitionImage, stale) { Id = ignitionStep });
            }
        }

        var serverSteps = new Dictionary<string, string>(StringComparer.Ordinal);
        var waitFor = new List<string>();
        foreach (var server in desired.Servers)
        {
            var found = observed.Servers.FirstOrDefault(s => string.Equals(s.Name, server.Name, StringComparison.Ordinal));
            if (found is not null)
            {
                existing[Refs.Server(server.Name)] = found.Id;
                if (!string.Equals(found.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
                {
                    waitFor.Add(server.Name);
                }

                continue;
            }

            var deps = new List<string>();
            if (portsStep is not null && server.PortNames.Any(n => missingPorts.Any(p => p.Name == n)))
            {
                deps.Add(portsStep);
            }

            if (server.ServerGroup is not null && serverGroupSteps.TryGetValue(server.ServerGroup, out var serverGroupStep))
            {
                deps.Add(serverGroupStep);
            }

            var throughGlance = desired.BootstrapIgnitionImage is not null && server.UserDataFile == desired.BootstrapIgnitionImage.File;
            if (throughGlance && ignitionStep is not null)
            {
                deps.Add(ignitionStep);
            }

            var id = "create-" + Refs.Server(server.Name);
            serverSteps[server.Name] = id;
            steps.Add(new CreateServerStep(server) { Id = id, DependsOn = deps, ThroughGlance = throughGlance });
            waitFor.Add(server.Name);
        }

        if (waitFor.Count > 0)
        {
            steps.Add(new WaitForServersStep(waitFor)
            {
                Id = "wait-servers",
                DependsOn = waitFor.Where(serverSteps.ContainsKey).Select(n => serverSteps[n]).ToList(),
            });
        }

        // The bootstrap floating IP (after the bootstrap server, as the reference's post-provision step).
        if (desired.BootstrapFloatingIp is { } bootstrapFip)
        {
            var found = observed.FloatingIps.FirstOrDefault(f => string.Equals(f.Description, bootstrapFip.Description, StringComparison.Ordinal));
            if (found is not null)
            {
                existing[Refs.BootstrapFloatingIp] = found.Id;
                if (!found.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    steps.Add(new TagFloatingIpStep(tag) { Id = "tag-" + Refs.BootstrapFloatingIp });
                }
            }
            else
            {
                var deps = new List<string>();
                if (portsStep is not null && missingPorts.Any(p => p.Name == bootstrapFip.PortName))
                {
                    deps.Add(portsStep);
                }

                var bootstrapServer = desired.Servers.FirstOrDefault(s => s.Role == MachineRole.Bootstrap);
                if (bootstrapServer is not null && serverSteps.TryGetValue(bootstrapServer.Name, out var serverStep))
                {
                    deps.Add(serverStep);
                }

                const string create = "create-" + Refs.BootstrapFloatingIp;
                steps.Add(new CreateBootstrapFloatingIpStep(bootstrapFip) { Id = create, DependsOn = deps });
                steps.Add(new TagFloatingIpStep(tag) { Id = "tag-" + Refs.BootstrapFloatingIp, DependsOn = [create] });
            }
        }

        return new ProvisioningPlan { Desired = desired, Steps = steps, Existing = existing };
    }

    private static bool SameAddresses(IEnumerable<string> have, IEnumerable<string> want) =>
        have.Select(CanonicalAddress).ToHashSet(StringComparer.Ordinal).SetEquals(want.Select(CanonicalAddress));

    /// <summary>An address (or a host prefix, <c>/32</c>, <c>/128</c>) in canonical text; anything else as it is.</summary>
    internal static string CanonicalAddress(string text)
    {
        var bare = text.EndsWith("/32", StringComparison.Ordinal) || text.EndsWith("/128", StringComparison.Ordinal) ? text[..text.LastIndexOf('/')] : text;
        return IpAddresses.TryParse(bare, out IPAddress? address) ? IpAddresses.Canonical(address) : text;
    }
}
