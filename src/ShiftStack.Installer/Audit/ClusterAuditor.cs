using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Audit;

/// <summary>One difference between the live cloud and the dual-stack invariants of the cluster.</summary>
/// <param name="Code">Stable kind, e.g. <c>rule-missing</c>, <c>port-missing-address</c>, <c>leaked-port</c>.</param>
/// <param name="Resource">What it is about, e.g. <c>port dualstack-x7k2p-worker-0-0 (id)</c>.</param>
/// <param name="What">What is wrong.</param>
/// <param name="Why">Why it matters for the cluster.</param>
/// <param name="Fix">What <c>--fix</c> does about it; null when it cannot (then the text says what to do).</param>
/// <param name="IsDrift">False for observations that are not drift (a DOWN port): listed, never fixed.</param>
public sealed record AuditFinding(string Code, string Resource, string What, string Why, string? Fix, bool IsDrift = true)
{
    /// <summary>A stable identifier: <c>&lt;code&gt;/&lt;resource&gt;</c>.</summary>
    public string Id => Code + "/" + Resource;
}

/// <summary>The outcome of an audit: the findings and the plan that repairs the fixable ones.</summary>
/// <param name="InfraId">The cluster.</param>
/// <param name="Findings">Every finding, in a fixed order (groups, VIP ports, node ports, servers, leaks).</param>
/// <param name="Repair">The prepared plan that <c>--fix</c> runs through <see cref="ClusterProvisioner.ExecuteAsync"/>.</param>
/// <param name="Requests">Requests the audit sent (facts and observation).</param>
public sealed record AuditReport(string InfraId, IReadOnlyList<AuditFinding> Findings, PreparedPlan Repair, long Requests)
{
    /// <summary>True when nothing is drift (observations such as DOWN ports may remain).</summary>
    public bool Clean => !Findings.Any(f => f.IsDrift);

    /// <summary>Drift that <c>--fix</c> cannot repair (the user's resources, missing servers).</summary>
    public IEnumerable<AuditFinding> Unfixable => Findings.Where(f => f.IsDrift && f.Fix is null);
}

/// <summary>
/// <c>shiftstack audit cluster</c>: checks the dual-stack invariants of a cluster against the live cloud, for every
/// resource that carries the cluster's tag (also the ports and servers the Machine API made after installation), and
/// builds the repair as a plan for the one executor of <c>create cluster</c>. The desired-state part of the audit is
/// exactly what <c>create cluster</c> would still do (<see cref="ProvisioningPlan"/>); the rest is what lies beyond
/// the plan: rules nobody planned, Machine API ports without their IPv6 address or VIP pairs, leaks.
/// </summary>
public static class ClusterAuditor
{
    /// <summary>Audits the cluster.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="infraId">The cluster's infraID.</param>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova (null: the Neutron side only).</param>
    /// <param name="state">The provisioning state (the bootstrap's removal, crash intents).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The findings and the repair plan.</returns>
    public static async Task<AuditReport> AuditAsync(
        InstallConfiguration config,
        string infraId,
        NetworkingClient network,
        IComputeProvisioning? compute,
        ProvisioningStateStore state,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(state);
        var requestsBefore = network.Requests.Total;

        // The repair converges the Neutron side only: servers are never re-created by an audit.
        var prepared = await ClusterProvisioner.PrepareAsync(config, infraId, network, null, state, ProvisioningScope.NetworkOnly, cancellationToken).ConfigureAwait(false);
        var facts = prepared.Facts;
        var observed = prepared.Observed;
        var servers = compute is null ? [] : await compute.ListServersAsync(ClusterNames.ClusterTag(infraId), cancellationToken).ConfigureAwait(false);
        var serverGroups = compute is null ? [] : await compute.ListServerGroupsAsync(name => ClusterNames.IsServerGroup(infraId, name), cancellationToken).ConfigureAwait(false);

        var findings = new List<AuditFinding>();
        var repairs = new List<PlanStep>();
        var plan = prepared.Plan;
        var desired = plan.Desired;
        var os = config.Platform.OpenStack!;
        var userManagedLb = os.LoadBalancer?.Type == LoadBalancerConfig.UserManaged;
        var vips = userManagedLb ? [] : os.ApiVips.Concat(os.IngressVips).Select(Canonical).Distinct(StringComparer.Ordinal).ToList();

        SecurityGroupFindings(desired, observed, plan, findings, repairs);
        VipPortFindings(config, facts, plan, findings);
        PortFindings(infraId, desired, facts, observed, plan, servers, vips, findings, repairs);
        if (compute is not null)
        {
            ServerFindings(config, infraId, state, servers, serverGroups, findings);
        }

        LeakFindings(desired, observed, findings, repairs);
        var repair = prepared with { Plan = plan with { Steps = [.. plan.Steps, .. repairs] } };
        return new AuditReport(infraId, findings, repair, network.Requests.Total - requestsBefore);
    }

    private static void SecurityGroupFindings(DesiredCluster desired, ObservedCluster observed, ProvisioningPlan plan, List<AuditFinding> findings, List<PlanStep> repairs)
    {
        foreach (var group in desired.SecurityGroups)
        {
            if (!observed.SecurityGroups.TryGetValue(group.Role, out var sg))
            {
                findings.Add(new AuditFinding("security-group-missing", "security group " + group.Name,
                    $"security group {group.Name} does not exist (or lost its cluster tag)",
                    "the cluster's ports need it: without it their traffic is dropped",
                    $"create it with its {group.Rules.Count} rules"));
                continue;
            }

            var resource = $"security group {group.Name} ({sg.Id})";
            if (plan.Steps.OfType<TagSecurityGroupStep>().Any(s => s.Role == group.Role))
            {
                findings.Add(new AuditFinding("security-group-untagged", resource, "it lacks the cluster tag", "destroy and audit find the cluster's resources by that tag", "tag it"));
            }

            var planned = group.Rules.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
            var have = sg.SecurityGroupRules.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
            foreach (var rule in group.Rules.Where(r => !have.Contains(RuleKeys.Of(r))))
            {
                findings.Add(new AuditFinding("rule-missing", $"{group.Name}/{RuleKeys.Of(rule)}",
                    $"{group.Name} lacks the rule {Describe(rule)}",
                    $"the cluster needs it ({rule.Service})",
                    "create it"));
            }

            var unexpected = sg.SecurityGroupRules.Where(r => !planned.Contains(RuleKeys.Of(r)) && !IsDefaultEgress(r)).ToList();
            foreach (var rule in unexpected)
            {
                findings.Add(new AuditFinding("rule-unexpected", $"{group.Name}/{rule.Id}",
                    $"{group.Name} holds a rule that is not in the plan: {Describe(rule)}",
                    "the cluster's groups hold exactly the planned rules; put your own rules in a group of your own (additionalSecurityGroupIDs)",
                    "delete it"));
            }

            if (unexpected.Count > 0)
            {
                repairs.Add(new DeleteSecurityGroupRulesStep(group.Name, unexpected.Select(r => (r.Id, Describe(r))).ToList())
                {
                    Id = "delete-rules-" + Refs.SecurityGroup(group.Role),
                });
            }
        }
    }

    private static void VipPortFindings(InstallConfiguration config, ProvisioningFacts facts, ProvisioningPlan plan, List<AuditFinding> findings)
    {
        var os = config.Platform.OpenStack!;
        foreach (var vip in plan.Desired.VipPorts)
        {
            var port = facts.VipPort(vip.Role);
            var list = vip.Role == VipRole.Api ? os.ApiVips : os.IngressVips;
            var field = vip.Role == VipRole.Api ? "apiVIPs" : "ingressVIPs";
            var resource = $"VIP port {vip.PortName} ({vip.PortId})";
            var key = "vip-" + TagVipPortStep.RoleKey(vip.Role);
            if (plan.Steps.Any(s => s.Id == "tag-" + key))
            {
                findings.Add(new AuditFinding("vip-port-untagged", resource, $"it lacks the tag {vip.Tag}",
                    "destroy cluster finds the VIP ports it must give back by that tag", "tag it"));
            }

            if (plan.Steps.Any(s => s.Id == "add-sg-" + key))
            {
                findings.Add(new AuditFinding("vip-port-security-group-missing", resource, $"it is not in the security group {ClusterNames.SecurityGroup(plan.Desired.InfraId, vip.SecurityGroup!.Value)}",
                    "traffic to the VIP is filtered by the port's groups: without the cluster's group it is dropped", "add the group (the port's own groups stay)"));
            }

            if (plan.Steps.Any(s => s.Id == "fip-" + key))
            {
                findings.Add(new AuditFinding("vip-floating-ip-not-associated", resource, $"the floating IP {vip.FloatingIpAddress} is not associated with it",
                    $"the {(vip.Role == VipRole.Api ? "API" : "Ingress")} is not reachable through platform.openstack.{(vip.Role == VipRole.Api ? "apiFloatingIP" : "ingressFloatingIP")}", "associate it"));
            }

            var held = port?.FixedIps.Select(f => Canonical(f.IpAddress)).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var address in list.Select(Canonical).Where(a => !held.Contains(a)))
            {
                findings.Add(new AuditFinding("vip-port-address-missing", resource, $"it no longer holds the VIP {address} (platform.openstack.{field})",
                    "Neutron may give that address to another port; the VIP then stops working",
                    null));
            }
        }
    }

    private static void PortFindings(
        string infraId, DesiredCluster desired, ProvisioningFacts facts, ObservedCluster observed, ProvisioningPlan plan,
        IReadOnlyList<ServerInfo> servers, IReadOnlyList<string> vips, List<AuditFinding> findings, List<PlanStep> repairs)
    {
        var vipPortIds = facts.VipPorts.Select(v => v.Port.Id).ToHashSet(StringComparer.Ordinal);
        var serverIds = servers.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var desiredByName = desired.Ports.ToDictionary(p => p.Name, StringComparer.Ordinal);

        // Desired ports that do not exist: create cluster would make them.
        if (plan.Steps.OfType<CreatePortsStep>().FirstOrDefault() is { } create)
        {
            foreach (var port in create.Ports)
            {
                findings.Add(new AuditFinding("port-missing", "port " + port.Name, $"node port {port.Name} does not exist",
                    $"machine {port.Machine} needs it", "create it as create cluster does"));
            }
        }

        foreach (var port in observed.Ports.Where(p => !vipPortIds.Contains(p.Id)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var resource = $"port {port.Name} ({port.Id})";
            var attached = serverIds.TryGetValue(port.DeviceId, out var server) ? server : null;
            desiredByName.TryGetValue(port.Name, out var planned);
            if (planned is null && string.IsNullOrEmpty(port.DeviceId))
            {
                continue; // a leak, reported by LeakFindings
            }

            if (!string.Equals(port.NetworkId, facts.ClusterNetwork.Id, StringComparison.Ordinal))
            {
                continue; // additional networks carry no dual-stack invariant
            }

            var role = RoleOf(infraId, port, attached);
            var addSubnets = facts.ClusterSubnets.Where(s => !port.FixedIps.Any(f => f.SubnetId == s.Id)).ToList();
            foreach (var subnet in addSubnets)
            {
                findings.Add(new AuditFinding("port-missing-address", $"{resource}/{subnet.Id}",
                    $"it has no IPv{subnet.IpVersion} address on subnet {subnet.Name} ({subnet.Cidr})",
                    $"the node has no IPv{subnet.IpVersion} address that Neutron lets through; dual-stack needs one of each family",
                    $"add a fixed IP on {subnet.Name} (Neutron assigns it)"));
            }

            var pairs = port.AllowedAddressPairs.Select(p => Canonical(p.IpAddress)).ToHashSet(StringComparer.Ordinal);
            var missingPairs = vips.Where(v => !pairs.Contains(v)).ToList();
            if (missingPairs.Count > 0 && planned is null)
            {
                findings.Add(new AuditFinding("port-missing-vip-pair", resource, $"its allowed address pairs lack {string.Join(", ", missingPairs)}",
                    "port security drops the VIP's traffic on this node when the VIP moves here", "add the pairs"));
            }

            var groupId = observed.SecurityGroups.TryGetValue(role.SecurityGroup, out var sg) ? sg.Id : null;
            var missingGroup = groupId is not null && !port.SecurityGroups.Contains(groupId, StringComparer.Ordinal);
            if (missingGroup && planned is null)
            {
                findings.Add(new AuditFinding("port-missing-security-group", resource, $"it is not in {ClusterNames.SecurityGroup(infraId, role.SecurityGroup)}",
                    "the node's cluster traffic (API, etcd, overlay, both families) is dropped", "add the group (the port's own groups stay)"));
            }

            var securityOff = port.PortSecurityEnabled == false;
            if (securityOff)
            {
                findings.Add(new AuditFinding("port-security-disabled", resource, "port security is off",
                    "the node is not filtered by the cluster's groups and its pairs mean nothing", "turn port security on"));
            }

            if (planned is not null && plan.Steps.OfType<UpdatePortStep>().FirstOrDefault(s => s.PortId == port.Id) is { } update)
            {
                var what = new List<string>();
                if (update.Pairs)
                {
                    var extra = pairs.Where(p => !planned.AllowedAddresses.Select(Canonical).Contains(p)).ToList();
                    what.Add("allowed address pairs" + (missingPairs.Count > 0 ? " lack " + string.Join(", ", missingPairs) : string.Empty)
                        + (extra.Count > 0 ? (missingPairs.Count > 0 ? " and" : string.Empty) + " hold " + string.Join(", ", extra) : string.Empty));
                }

                if (update.Groups)
                {
                    what.Add("security groups are not the planned ones");
                }

                findings.Add(new AuditFinding(update.Pairs ? "port-vip-pairs-differ" : "port-security-groups-differ", resource, string.Join("; ", what),
                    "port security drops traffic for VIPs the port does not list, and the planned groups carry the cluster's rules", "set them as planned"));
            }

            if (addSubnets.Count > 0 || securityOff || (planned is null && (missingPairs.Count > 0 || missingGroup)))
            {
                repairs.Add(new RepairNodePortStep(port.Name, port.Id, role.SecurityGroup)
                {
                    Id = "repair-" + Refs.Port(port.Name) + "-" + port.Id,
                    KeepFixedIps = port.FixedIps,
                    AddSubnetIds = addSubnets.Select(s => s.Id).ToList(),
                    Pairs = planned is null && missingPairs.Count > 0 ? [.. port.AllowedAddressPairs.Select(p => p.IpAddress), .. missingPairs] : null,
                    Groups = (planned is null && missingGroup) || securityOff ? port.SecurityGroups : null,
                    EnablePortSecurity = securityOff,
                    DependsOn = plan.Steps.OfType<UpdatePortStep>().Where(s => s.PortId == port.Id).Select(s => s.Id).ToList(),
                });
            }

            if (attached is { Status: "ACTIVE" } && port.Status != PortStatus.Active)
            {
                findings.Add(new AuditFinding("port-down", resource, $"it is {port.Status.Value} while server {attached.Name} is ACTIVE",
                    "the node's traffic on this port does not flow: check the compute host's network agent", null, IsDrift: false));
            }
        }
    }

    private static void ServerFindings(InstallConfiguration config, string infraId, ProvisioningStateStore state, IReadOnlyList<ServerInfo> servers,
        IReadOnlyList<ServerGroupInfo> serverGroups, List<AuditFinding> findings)
    {
        var replicas = (int)ClusterPlanner.ControlPlanePool(config).Replicas;
        var names = servers.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var masters = servers.Where(s => s.Metadata.TryGetValue("Name", out var n) && n == infraId + "-master").OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var masterGroup = serverGroups.FirstOrDefault(g => g.Name == ClusterNames.MasterServerGroup(infraId));
        if (masters.Count < replicas)
        {
            var absent = Enumerable.Range(0, replicas).Select(i => ClusterNames.MasterMachine(infraId, i)).Where(n => !names.Contains(n)).ToList();
            findings.Add(new AuditFinding("server-missing", "control plane",
                $"{masters.Count} of {replicas} control-plane servers exist (not found: {string.Join(", ", absent)})",
                "the control plane runs with fewer members than planned",
                null));
        }

        if (!state.BootstrapRemoved && servers.Count > 0 && !names.Contains(ClusterNames.BootstrapMachine(infraId)))
        {
            findings.Add(new AuditFinding("server-missing", "server " + ClusterNames.BootstrapMachine(infraId), "the bootstrap server does not exist, but 'destroy bootstrap' was not run",
                "if the installation is past bootstrap, run 'shiftstack destroy bootstrap' to remove its port and floating IP too", null, IsDrift: false));
        }

        foreach (var server in masters)
        {
            if (masterGroup is null || !masterGroup.Members.Contains(server.Id, StringComparer.Ordinal))
            {
                findings.Add(new AuditFinding("server-not-in-server-group", $"server {server.Name} ({server.Id})", $"it is not in the server group {ClusterNames.MasterServerGroup(infraId)}",
                    "the control plane's anti-affinity does not hold for it: one host failure may take two masters", null));
            }
        }
    }

    private static void LeakFindings(DesiredCluster desired, ObservedCluster observed, List<AuditFinding> findings, List<PlanStep> repairs)
    {
        // Ports with the cluster's tag that no machine explains: no planned port of that name, no device.
        var desiredNames = desired.Ports.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var port in observed.Ports.Where(p => !desiredNames.Contains(p.Name) && string.IsNullOrEmpty(p.DeviceId)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var resource = $"port {port.Name} ({port.Id})";
            findings.Add(new AuditFinding("leaked-port", resource, "it carries the cluster's tag, but no planned machine and no server uses it",
                "it holds addresses of the cluster's subnets and blocks their deletion; Machine API ports left by failed workers look like this", "delete it"));
            repairs.Add(new DeleteLeakStep(DeleteLeakStep.Port, port.Name, port.Id) { Id = "delete-" + Refs.Port(port.Name) + "-" + port.Id });
        }

        var bootstrapFip = desired.BootstrapFloatingIp?.Description;
        foreach (var fip in observed.FloatingIps.Where(f => !string.Equals(f.Description, bootstrapFip, StringComparison.Ordinal)).OrderBy(f => f.FloatingIpAddress, StringComparer.Ordinal))
        {
            findings.Add(new AuditFinding("leaked-floating-ip", $"floating IP {fip.FloatingIpAddress} ({fip.Id})", "it carries the cluster's tag, but nothing planned uses it",
                "it holds a public address (and a quota slot)", "delete it"));
            repairs.Add(new DeleteLeakStep(DeleteLeakStep.FloatingIp, fip.FloatingIpAddress, fip.Id) { Id = "delete-fip-" + fip.Id });
        }
    }

    private static MachineRole RoleOf(string infraId, Port port, ServerInfo? server)
    {
        var name = server?.Metadata.TryGetValue("Name", out var n) == true ? n : port.Name;
        return name.StartsWith(infraId + "-master", StringComparison.Ordinal) || name.StartsWith(infraId + "-bootstrap", StringComparison.Ordinal)
            ? MachineRole.Master
            : MachineRole.Worker;
    }

    private static bool IsDefaultEgress(SecurityGroupRule rule) =>
        rule.Direction == RuleDirection.Egress && rule.Protocol is null && rule.PortRangeMin is null && rule.PortRangeMax is null
        && string.IsNullOrEmpty(rule.RemoteIpPrefix) && string.IsNullOrEmpty(rule.RemoteGroupId) && string.IsNullOrEmpty(rule.RemoteAddressGroupId);

    private static string Describe(PlannedSecurityGroupRule rule) =>
        $"ingress {rule.EtherType.Value} {rule.Protocol}{Ports(rule.PortRangeMin, rule.PortRangeMax)} from {rule.RemoteIpPrefix}";

    private static string Describe(SecurityGroupRule rule) =>
        $"{rule.Direction.Value} {rule.Ethertype.Value} {rule.Protocol?.Value ?? "any"}{Ports(rule.PortRangeMin, rule.PortRangeMax)} from {rule.RemoteIpPrefix ?? rule.RemoteGroupId ?? "any"}";

    private static string Ports(int? min, int? max) =>
        min is null ? string.Empty : min == max ? " " + min.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : $" {min}-{max}";

    private static string Canonical(string text) => ProvisioningPlan.CanonicalAddress(text);
}
