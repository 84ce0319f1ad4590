using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// Renders a conversion for people (text) and scripts (JSON): checks, the IPv6 side, every OpenStack change, the
/// cluster-side patches, files and notes. <c>Utf8JsonWriter</c> only (AOT-friendly).
/// </summary>
internal static class ConversionRenderer
{
    /// <summary>Writes the text report.</summary>
    /// <param name="output">Where.</param>
    /// <param name="prepared">The plan (for <c>--plan</c>) or the plan that was applied.</param>
    /// <param name="result">The apply result, or null for <c>--plan</c>.</param>
    /// <param name="filesWritten">Files written by <c>--plan</c> (ignored with a result).</param>
    public static void WriteText(TextWriter output, PreparedConversion prepared, ConversionResult? result, IReadOnlyList<string>? filesWritten = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(prepared);
        var plan = prepared.Plan;
        var target = plan.Target == ConversionTarget.DualStack ? "dual-stack" : "single-stack IPv4";
        output.WriteLine($"Conversion of cluster {plan.InfraId} to {target} ({(result is null ? "plan: nothing is changed" : "apply")})");
        output.WriteLine();
        output.WriteLine("Pre-checks:");
        foreach (var check in plan.Checks)
        {
            output.WriteLine($"  {Severity(check.Severity),-7} {check.Subject}: {check.Message}");
        }

        if (plan.Ipv6 is { } side)
        {
            output.WriteLine();
            output.WriteLine("IPv6:");
            output.WriteLine($"  subnet           {side.SubnetId} ({side.SubnetCidr}, {side.Mode})");
            output.WriteLine($"  cluster network  {side.ClusterNetwork} (hostPrefix {side.HostPrefix.ToString(CultureInfo.InvariantCulture)})");
            output.WriteLine($"  service network  {side.ServiceNetwork}");
            var final = result?.After.Plan.Ipv6 ?? side;
            output.WriteLine($"  API VIP          {final.ApiVip ?? "(allocated by Neutron at --apply)"}");
            output.WriteLine($"  Ingress VIP      {final.IngressVip ?? "(allocated by Neutron at --apply)"}");
        }

        if (!plan.CanApply)
        {
            output.WriteLine();
            output.WriteLine("Nothing can be changed until the errors above are fixed.");
            return;
        }

        output.WriteLine();
        if (result is not null)
        {
            output.WriteLine(result.Applied.Count == 0 ? "OpenStack: already in the target state, nothing changed." : "OpenStack changes made:");
            foreach (var line in result.Applied)
            {
                output.WriteLine("  " + line);
            }
        }
        else
        {
            output.WriteLine(plan.IsOpenStackDone ? "OpenStack: already in the target state, nothing to change." : "OpenStack changes (in this order):");
            foreach (var line in Describe(plan))
            {
                output.WriteLine("  " + line);
            }
        }

        var cluster = result?.After.ClusterSide ?? prepared.ClusterSide;
        if (cluster is not null)
        {
            output.WriteLine();
            output.WriteLine("Cluster side (ShiftStack does not talk to the cluster: run the script):");
            output.WriteLine("  oc patch network.config.openshift.io cluster --type=json -p '" + cluster.NetworkPatch.ToJson() + "'");
            output.WriteLine("  oc patch infrastructure.config.openshift.io cluster --type=json -p '" + cluster.InfrastructurePatch.ToJson() + "'");
            var files = result?.FilesWritten ?? filesWritten ?? [];
            if (cluster.Pending is { } pending)
            {
                output.WriteLine("  files not written yet: " + pending);
            }

            foreach (var file in files)
            {
                output.WriteLine("  wrote " + file);
            }

            output.WriteLine();
            output.WriteLine("What the cluster side does and cannot do:");
            foreach (var note in cluster.Notes)
            {
                output.WriteLine("  - " + note);
            }
        }

        if (result is not null)
        {
            output.WriteLine();
            var total = result.Requests.Values.Sum();
            var writes = RequestCounter.Changes(result.Requests);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} requests ({writes} changes)."));
        }
    }

    /// <summary>One line per planned OpenStack change.</summary>
    public static IReadOnlyList<string> Describe(ConversionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lines = new List<string>();
        var tag = ConversionPlanner.ConversionTag(plan.InfraId);
        foreach (var port in plan.Ports.Where(p => p.HasWork))
        {
            var what = new List<string>();
            switch (port.Address)
            {
                case AddressAction.Request:
                    what.Add($"fixed_ips += {{subnet_id: {plan.Ipv6!.SubnetId}}} (IPv6 address {port.ExpectedIpv6 ?? "picked by Neutron"})");
                    break;
                case AddressAction.Remove:
                    what.Add($"fixed_ips -= {port.CurrentIpv6}");
                    break;
            }

            if (port.PairsToAdd.Count > 0)
            {
                what.Add("allowed_address_pairs += " + string.Join(", ", port.PairsToAdd.Select(r => plan.Ipv6?.Vip(r) ?? $"<IPv6 {ConversionPlanner.RoleText(r)} VIP>")));
            }

            if (port.PairsToRemove.Count > 0)
            {
                what.Add("allowed_address_pairs -= " + string.Join(", ", port.PairsToRemove));
            }

            if (port.AddTag)
            {
                what.Add("tag " + tag);
            }

            if (port.RemoveTag)
            {
                what.Add("untag " + tag);
            }

            lines.Add($"port {port.PortName} ({ConversionPlanner.KindText(port.Kind)}, {port.PortId}): {string.Join("; ", what)}");
        }

        foreach (var group in plan.SecurityGroups.Where(g => g.HasWork))
        {
            var what = new List<string>();
            if (group.RulesToAdd.Count > 0)
            {
                what.Add(string.Create(CultureInfo.InvariantCulture, $"create {group.RulesToAdd.Count} IPv6 rules (one bulk request, description \"{ConversionPlanner.RuleDescription}\")"));
            }

            if (group.RulesToDelete.Count > 0)
            {
                what.Add(string.Create(CultureInfo.InvariantCulture, $"delete {group.RulesToDelete.Count} rules created by the conversion"));
            }

            if (group.AddTag)
            {
                what.Add("tag " + tag);
            }

            if (group.RemoveTag)
            {
                what.Add("untag " + tag);
            }

            lines.Add($"security group {group.GroupName} ({group.GroupId}): {string.Join("; ", what)}");
            lines.AddRange(group.RulesToAdd.Select(r => "    + " + r));
            lines.AddRange(group.RulesToDelete.Select(r => $"    - {r.Id}: {r.Ethertype} {r.Protocol?.Value ?? "any"} {Ports(r.PortRangeMin, r.PortRangeMax)}from {r.RemoteIpPrefix ?? "any"}"));
        }

        return lines;
    }

    /// <summary>Writes the members of the JSON report.</summary>
    public static void WriteJson(Utf8JsonWriter writer, PreparedConversion prepared, ConversionResult? result, IReadOnlyList<string>? filesWritten = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(prepared);
        var plan = prepared.Plan;
        writer.WriteString("target", plan.Target == ConversionTarget.DualStack ? "dual-stack" : "single-stack");
        writer.WriteString("mode", result is null ? "plan" : "apply");
        writer.WriteString("infraID", plan.InfraId);
        writer.WriteBoolean("canApply", plan.CanApply);
        writer.WriteBoolean("openStackDone", result?.After.Plan.IsOpenStackDone ?? plan.IsOpenStackDone);
        writer.WriteStartArray("checks");
        foreach (var check in plan.Checks)
        {
            writer.WriteStartObject();
            writer.WriteString("severity", Severity(check.Severity));
            writer.WriteString("subject", check.Subject);
            writer.WriteString("message", check.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if ((result?.After.Plan.Ipv6 ?? plan.Ipv6) is { } side)
        {
            writer.WriteStartObject("ipv6");
            writer.WriteString("subnetID", side.SubnetId);
            writer.WriteString("subnetCIDR", side.SubnetCidr);
            writer.WriteString("addressMode", side.Mode);
            writer.WriteBoolean("autoAddress", side.IsAutoAddress);
            writer.WriteString("clusterNetwork", side.ClusterNetwork);
            writer.WriteNumber("hostPrefix", side.HostPrefix);
            writer.WriteString("serviceNetwork", side.ServiceNetwork);
            writer.WriteString("apiVIP", side.ApiVip);
            writer.WriteString("ingressVIP", side.IngressVip);
            writer.WriteEndObject();
        }

        writer.WriteStartArray("ports");
        foreach (var port in plan.Ports)
        {
            writer.WriteStartObject();
            writer.WriteString("id", port.PortId);
            writer.WriteString("name", port.PortName);
            writer.WriteString("kind", ConversionPlanner.KindText(port.Kind));
            writer.WriteString("address", port.Address switch { AddressAction.Request => "request", AddressAction.Remove => "remove", _ => "none" });
            writer.WriteString("currentIPv6", port.CurrentIpv6);
            writer.WriteString("expectedIPv6", port.ExpectedIpv6);
            if (port.Address != AddressAction.None)
            {
                writer.WriteStartArray("fixedIPs");
                foreach (var ip in port.FixedIpsAfter)
                {
                    writer.WriteStartObject();
                    if (ip.SubnetId is not null)
                    {
                        writer.WriteString("subnet_id", ip.SubnetId);
                    }

                    if (ip.IpAddress is not null)
                    {
                        writer.WriteString("ip_address", ip.IpAddress);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteStrings("pairsToAdd", port.PairsToAdd.Select(r => plan.Ipv6?.Vip(r) ?? (r == VipRole.Api ? "api" : "ingress")));
            writer.WriteStrings("pairsToRemove", port.PairsToRemove);
            writer.WriteBoolean("addTag", port.AddTag);
            writer.WriteBoolean("removeTag", port.RemoveTag);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("securityGroups");
        foreach (var group in plan.SecurityGroups)
        {
            writer.WriteStartObject();
            writer.WriteString("id", group.GroupId);
            writer.WriteString("name", group.GroupName);
            writer.WriteString("role", ClusterNames.RoleName(group.Role));
            writer.WriteStartArray("rulesToAdd");
            foreach (var rule in group.RulesToAdd)
            {
                writer.WriteStartObject();
                writer.WriteString("service", rule.Service);
                writer.WriteString("ethertype", rule.EtherType.Value);
                writer.WriteString("protocol", rule.Protocol);
                if (rule.PortRangeMin is { } min)
                {
                    writer.WriteNumber("portRangeMin", min);
                }

                if (rule.PortRangeMax is { } max)
                {
                    writer.WriteNumber("portRangeMax", max);
                }

                writer.WriteString("remoteIPPrefix", rule.RemoteIpPrefix);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStrings("rulesToDelete", group.RulesToDelete.Select(r => r.Id));
            writer.WriteBoolean("addTag", group.AddTag);
            writer.WriteBoolean("removeTag", group.RemoveTag);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if ((result?.After.ClusterSide ?? prepared.ClusterSide) is { } cluster)
        {
            writer.WriteStartObject("clusterSide");
            writer.WritePropertyName("networkPatch");
            JsonNode.Parse(cluster.NetworkPatch.ToJson())!.WriteTo(writer);
            writer.WritePropertyName("infrastructurePatch");
            JsonNode.Parse(cluster.InfrastructurePatch.ToJson())!.WriteTo(writer);
            writer.WriteString("pending", cluster.Pending);
            writer.WriteStrings("files", result?.FilesWritten ?? filesWritten ?? []);
            writer.WriteStrings("notes", cluster.Notes);
            writer.WriteEndObject();
        }

        if (result is not null)
        {
            writer.WriteStrings("applied", result.Applied);
            writer.WriteStartObject("requests");
            foreach (var (key, count) in result.Requests.OrderBy(kv => kv.Key.ServiceType, StringComparer.Ordinal).ThenBy(kv => kv.Key.Method, StringComparer.Ordinal)
                .ThenBy(kv => kv.Key.PathTemplate, StringComparer.Ordinal))
            {
                writer.WriteNumber($"{key.ServiceType} {key.Method} {key.PathTemplate}", count);
            }

            writer.WriteEndObject();
        }
    }

    private static string Ports(int? min, int? max) => min is null ? string.Empty
        : min == max ? string.Create(CultureInfo.InvariantCulture, $"{min} ") : string.Create(CultureInfo.InvariantCulture, $"{min}-{max} ");

    private static string Severity(CheckSeverity severity) => severity switch
    {
        CheckSeverity.Error => "error",
        CheckSeverity.Warning => "warning",
        _ => "info",
    };
}
