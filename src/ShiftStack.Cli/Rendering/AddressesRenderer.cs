using System.Globalization;
using System.Text;
using System.Text.Json;
using ShiftStack.Installer.Addresses;

namespace ShiftStack.Cli.Rendering;

/// <summary>The report of <c>shiftstack addresses</c>, as text and as JSON.</summary>
internal static class AddressesRenderer
{
    public static string Text(AddressReport report, string? cloudName, string? clusterName)
    {
        var sb = new StringBuilder();
        void Line(string text = "") => sb.Append(text).Append('\n');

        Line($"cluster {clusterName}" + (report.InfraId is null ? " (no infraID yet: VIP ports only)" : $", infraID {report.InfraId}") +
            (cloudName is null ? string.Empty : $", cloud '{cloudName}'"));
        Line("machine networks: " + (report.MachineNetworks.Count == 0 ? "(none)" : string.Join(", ", report.MachineNetworks)));
        Line($"cloud.conf [Networking]: {report.Networking.Describe()} (from {report.NetworkingSource})");
        foreach (var port in report.Ports)
        {
            Line();
            Line($"port {port.Name} [{string.Join(", ", port.Roles.Select(RoleText))}] {port.Id}");
            Line($"  MAC {port.MacAddress}  status {port.Status}  network {port.Network}");
            Line("  IPv4       " + (port.Ipv4.Count == 0 ? "(none)" : string.Join(", ", port.Ipv4)));
            if (port.Ipv6.Count == 0)
            {
                Line("  IPv6       (none)");
            }

            foreach (var v6 in port.Ipv6)
            {
                Line("  IPv6       " + (v6.Recorded ?? "(none recorded)") + "  (Neutron)");
                Line("  predicted  " + v6.Predicted + $"  ({PredictionBasis(v6)})  " + AgreementText(v6.Agreement));
            }

            Line("  " + (port.Agrees ? "agrees" : "DISAGREES: " + string.Join("; ", port.Problems)));
        }

        foreach (var node in report.Nodes)
        {
            Line();
            Line($"node {node.Name} (ports {string.Join(", ", node.Ports)}; " + (node.ServerId is null ? "no server yet)" : $"server {node.ServerId})"));
            Line("  cloud provider:  " + Addresses(node.CloudAddresses));
            if (node.ProvidedNodeIp is not null)
            {
                Line($"  node IPs {node.ProvidedNodeIp}:  " + (node.Published is { Error: { } error } ? "error: " + error : Addresses(node.Published?.Addresses ?? [])));
            }

            foreach (var note in node.Notes)
            {
                Line("  note: " + note);
            }

            Line("  " + (node.Agrees ? "agrees" : "DISAGREES: " + string.Join("; ", node.Problems)));
        }

        if (report.Notes.Count > 0)
        {
            Line();
            foreach (var note in report.Notes)
            {
                Line("note: " + note);
            }
        }

        var problems = report.AllProblems.ToList();
        if (problems.Count > 0)
        {
            Line();
            Line("disagreements:");
            foreach (var problem in problems)
            {
                Line("  " + problem);
            }
        }

        Line();
        var counts = $"{Count(report.Ports.Count, "port")}, {Count(report.Nodes.Count, "node")}, {Count((int)report.NeutronRequests, "Neutron request")}";
        Line(report.Agrees ? $"{counts}: everything agrees" : $"{counts}: {Count(problems.Count, "disagreement")}");
        return sb.ToString();
    }

    public static string Json(AddressReport report, string? cloudName)
    {
        return JsonOutput.ToText(w =>
        {
            w.WriteBoolean("agree", report.Agrees);
            w.WriteNullable("cloud", cloudName);
            w.WriteNullable("infraID", report.InfraId);
            w.WriteStrings("machineNetworks", report.MachineNetworks);
            w.WriteStartObject("cloudProviderNetworking");
            w.WriteString("source", report.NetworkingSource);
            w.WriteBoolean("ipv6SupportDisabled", report.Networking.Ipv6SupportDisabled);
            w.WriteNullable("addressSortOrder", report.Networking.AddressSortOrder);
            w.WriteStrings("internalNetworkNames", report.Networking.InternalNetworkNames);
            w.WriteStrings("publicNetworkNames", report.Networking.PublicNetworkNames);
            w.WriteEndObject();
            w.WriteStartArray("ports");
            foreach (var port in report.Ports)
            {
                w.WriteStartObject();
                w.WriteString("id", port.Id);
                w.WriteString("name", port.Name);
                w.WriteStrings("roles", port.Roles.Select(RoleJson));
                w.WriteString("mac", port.MacAddress);
                w.WriteString("status", port.Status);
                w.WriteString("network", port.Network);
                w.WriteStrings("ipv4", port.Ipv4);
                w.WriteStartArray("ipv6");
                foreach (var v6 in port.Ipv6)
                {
                    w.WriteStartObject();
                    w.WriteNullable("recorded", v6.Recorded);
                    w.WriteString("predicted", v6.Predicted);
                    w.WriteString("agreement", AgreementJson(v6.Agreement));
                    w.WriteString("subnet", v6.SubnetId);
                    w.WriteNullable("cidr", v6.SubnetCidr);
                    w.WriteNullable("mode", v6.Mode);
                    w.WriteNullable("reason", v6.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteBoolean("agree", port.Agrees);
                w.WriteStrings("problems", port.Problems);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("nodes");
            foreach (var node in report.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", node.Name);
                w.WriteStrings("ports", node.Ports);
                w.WriteNullable("server", node.ServerId);
                WriteAddresses(w, "cloudProviderAddresses", node.CloudAddresses);
                w.WriteNullable("providedNodeIP", node.ProvidedNodeIp);
                if (node.Published is { } published)
                {
                    WriteAddresses(w, "publishedAddresses", published.Addresses);
                    w.WriteNullable("nodeControllerError", published.Error);
                }

                w.WriteBoolean("agree", node.Agrees);
                w.WriteStrings("notes", node.Notes);
                w.WriteStrings("problems", node.Problems);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStrings("notes", report.Notes);
            w.WriteStrings("problems", report.AllProblems);
            w.WriteNumber("neutronRequests", report.NeutronRequests);
        });
    }

    private static string RoleText(PortRole role) => role switch
    {
        PortRole.ApiVip => "API VIP",
        PortRole.IngressVip => "Ingress VIP",
        _ => "node",
    };

    private static string RoleJson(PortRole role) => role switch
    {
        PortRole.ApiVip => "apiVIP",
        PortRole.IngressVip => "ingressVIP",
        _ => "node",
    };

    private static string AgreementText(AddressAgreement agreement) => agreement switch
    {
        AddressAgreement.Agrees => "agrees",
        AddressAgreement.AssignedByDhcpv6 => "(nothing to predict)",
        _ => "DISAGREES",
    };

    private static string AgreementJson(AddressAgreement agreement) => agreement switch
    {
        AddressAgreement.Agrees => "agrees",
        AddressAgreement.AssignedByDhcpv6 => "assignedByDHCPv6",
        _ => "disagrees",
    };

    private static string PredictionBasis(Ipv6Check check) => check.Agreement switch
    {
        AddressAgreement.AssignedByDhcpv6 => $"{check.Mode ?? "no mode"} subnet {check.SubnetCidr}",
        _ when check.SubnetCidr is null => "subnet " + check.SubnetId + " not found",
        _ => $"EUI-64 of the MAC, {check.Mode} subnet {check.SubnetCidr}",
    };

    private static string Addresses(IReadOnlyList<NodeAddress> addresses) =>
        addresses.Count == 0 ? "(none)" : string.Join(", ", addresses.Select(a => a.ToString()));

    private static string Count(int n, string word) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? string.Empty : "s");

    private static void WriteAddresses(Utf8JsonWriter w, string name, IReadOnlyList<NodeAddress> addresses)
    {
        w.WriteStartArray(name);
        foreach (var a in addresses)
        {
            w.WriteStartObject();
            w.WriteString("type", a.Type.ToString());
            w.WriteString("address", a.Address);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
