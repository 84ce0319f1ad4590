using System.Globalization;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>
/// ShiftStack (docs/deviations.md §10): the project's free quota covers what the
/// installation creates, counted from <see cref="ResourcePlan"/> and the real security-group rule tables — not the
/// reference's fixed estimate of 56 rules. Nova's instances, cores and RAM are checked only when the cloud has a
/// compute endpoint.
/// </summary>
internal static class QuotaRules
{
    private static readonly string RulesMarker = ShiftStackCheck.Differs("asks for 56 security-group rules, too few for dual-stack");
    private static readonly string QuotaMarker = ShiftStackCheck.Differs("checks quotas against a fixed estimate");

    public static void Validate(PreflightContext c)
    {
        var plan = ResourcePlan.For(c.Config);
        CheckNetwork(c, plan);
        CheckCompute(c, plan);
    }

    private static void CheckNetwork(PreflightContext c, ResourcePlan plan)
    {
        if (c.Cloud.NetworkQuota is not { } facts)
        {
            return;
        }

        if (facts.Details is not { } quota)
        {
            c.Warn(PreflightContext.CloudPath, ShiftStackCheck.Mark($"the project's network quota was not checked: {facts.UnavailableReason}"));
            return;
        }

        var master = SecurityGroupRuleTable.CountFor(plan.Rules, SecurityGroupRole.Master);
        var worker = SecurityGroupRuleTable.CountFor(plan.Rules, SecurityGroupRole.Worker);
        var egress = plan.SecurityGroups * SecurityGroupRuleTable.DefaultEgressRulesPerGroup;
        var machinePorts = plan.Machines.Sum(m => m.Count * m.PortsPerMachine);
        var portParts = new List<string> { $"{machinePorts} for {plan.Instances} machines (bootstrap, control plane, compute; one per network each)" };
        if (plan.VipPorts > 0)
        {
            portParts.Add($"{plan.VipPorts} VIP ports");
        }

        if (plan.NetworkServicePorts > 0)
        {
            portParts.Add($"{plan.NetworkServicePorts} router and DHCP ports of the installer's network");
        }

        Check(c, "ports", plan.Ports, string.Join(" + ", portParts), quota.Port, QuotaMarker);
        Check(c, "security groups", plan.SecurityGroups, "master and worker", quota.SecurityGroup, QuotaMarker);
        Check(c, "security group rules", plan.SecurityGroupRules,
            $"{plan.Rules.Count} rules in the master and worker groups ({master} + {worker}) + {egress} default egress rules", quota.SecurityGroupRule, RulesMarker);
        Check(c, "floating IPs", plan.FloatingIps, "the bootstrap machine's", quota.Floatingip, QuotaMarker);
        Check(c, "networks", plan.Networks, "the installer's network", quota.Network, QuotaMarker);
        Check(c, "subnets", plan.Subnets, "the installer's subnet", quota.Subnet, QuotaMarker);
        Check(c, "routers", plan.Routers, "the installer's router", quota.Router, QuotaMarker);
    }

    private static void CheckCompute(PreflightContext c, ResourcePlan plan)
    {
        var compute = c.Cloud.Compute;
        if (!compute.HasEndpoint)
        {
            return;
        }

        if (compute.UnavailableReason is { } reason)
        {
            c.Warn(PreflightContext.CloudPath, ShiftStackCheck.Mark($"the project's compute quota (instances, cores, RAM) was not checked: {reason}"));
            return;
        }

        if (compute.Quota is not { } quota)
        {
            return;
        }

        Check(c, "instances", plan.Instances, "bootstrap, control plane and compute machines", quota.Instances, QuotaMarker);
        long cores = 0;
        long ram = 0;
        foreach (var group in plan.Machines.Where(m => m.Count > 0))
        {
            if (group.Flavor is null)
            {
                continue;
            }

            if (!compute.Flavors.TryGetValue(group.Flavor, out var flavor))
            {
                c.Warn(PreflightContext.CloudPath, ShiftStackCheck.Mark(
                    $"flavor {GoFormat.Quote(group.Flavor)} of the {group.Role.Description} machines was not found, so their cores and RAM are not counted"));
                continue;
            }

            cores += group.Count * flavor.Vcpus;
            ram += group.Count * flavor.Ram;
        }

        Check(c, "cores", cores, "vCPUs of the machines' flavors", quota.Cores, QuotaMarker);
        Check(c, "RAM (MiB)", ram, "RAM of the machines' flavors", quota.Ram, QuotaMarker);
    }

    private static void Check(PreflightContext c, string resource, long needed, string why, QuotaUsage usage, string marker)
    {
        if (needed > usage.Available)
        {
            var reserved = usage.Reserved > 0 ? string.Create(CultureInfo.InvariantCulture, $", {usage.Reserved} reserved") : string.Empty;
            Report(c, resource, needed, why, usage.Available, string.Create(CultureInfo.InvariantCulture, $"limit {usage.Limit}, {usage.Used} used{reserved}"), marker);
        }
    }

    private static void Check(PreflightContext c, string resource, long needed, string why, ComputeQuotaUsage usage, string marker)
    {
        if (needed > usage.Available)
        {
            var reserved = usage.Reserved > 0 ? string.Create(CultureInfo.InvariantCulture, $", {usage.Reserved} reserved") : string.Empty;
            Report(c, resource, needed, why, usage.Available, string.Create(CultureInfo.InvariantCulture, $"limit {usage.Limit}, {usage.InUse} used{reserved}"), marker);
        }
    }

    private static void Report(PreflightContext c, string resource, long needed, string why, long free, string usage, string marker) =>
        c.Error(FieldError.Invalid(PreflightContext.CloudPath, c.Cloud.CloudName, string.Create(CultureInfo.InvariantCulture,
            $"the project's quota of {resource} is too small for this cluster: {needed} needed ({why}), {free} free ({usage}) {marker}")));
}
