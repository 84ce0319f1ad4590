using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Addresses;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack addresses</c>: for the cluster's ports (VIP ports found by the install-config's VIPs; node ports found
/// by the <c>openshiftClusterID=&lt;infraID&gt;</c> tag once provisioned) prints what Neutron recorded, the IPv6 address
/// the guest will configure (EUI-64 on auto-address subnets, "assigned by DHCPv6" on stateful ones), whether they
/// agree, and for nodes the addresses the cloud controller manager would publish under the generated cloud.conf.
/// Exit 0 when everything agrees, 2 when something disagrees (or the install-config is invalid), 3 on cloud errors.
/// </summary>
internal static class AddressesCommand
{
    public static Command Create(CliConsole console)
    {
        var dir = CommonOptions.Dir();
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var command = new Command("addresses",
            "Show each cluster port's addresses as Neutron recorded them and as the guest and the cloud provider will see them, and check that they agree")
        {
            dir, cloud, output,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(console, parse.GetValue(dir)!, parse.GetValue(cloud), parse.GetValue(output) == OutputFormat.Json, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string dir, string? cloudOverride, bool json, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            FindingsRenderer.WriteText(console.Error, file.Path, false, file.Findings, string.Empty);
            return ExitCodes.InvalidInput;
        }

        var config = file.Config!;
        string? infraId;
        CloudProviderNetworking networking;
        string networkingSource;
        try
        {
            infraId = installation.ReadInfraId() ?? ProvisioningStateStore.TryLoad(dir)?.InfraId;
            var configMap = Path.Combine(dir, CloudProviderNetworking.ConfigMapPath);
            if (File.Exists(configMap))
            {
                networking = CloudProviderNetworking.FromConfigMap(await File.ReadAllTextAsync(configMap, cancellationToken).ConfigureAwait(false));
                networkingSource = CloudProviderNetworking.ConfigMapPath;
            }
            else
            {
                networking = CloudProviderNetworking.Generated(config);
                networkingSource = "ShiftStack's manifests generator run in memory; no " + CloudProviderNetworking.ConfigMapPath + " yet";
            }
        }
        catch (Exception e) when (e is InstallationDirectoryException or FormatException or IOException or ProvisioningException)
        {
            await console.Error.WriteLineAsync("shiftstack: " + e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var os = config.Platform.OpenStack;
        var cloudName = string.IsNullOrEmpty(cloudOverride) ? os?.Cloud : cloudOverride;
        CloudConfig cloudConfig;
        try
        {
            cloudConfig = new CloudConfigLoader().Load(cloudName);
        }
        catch (CloudConfigException e)
        {
            await console.Error.WriteLineAsync($"shiftstack: clouds.yaml: {e.Message}").ConfigureAwait(false);
            return ExitCodes.CloudError;
        }

        AddressFacts facts;
        try
        {
            using var network = new NetworkingClient(cloudConfig);
            var vips = (os?.ApiVips ?? []).Concat(os?.IngressVips ?? []);
            facts = await AddressCollector.CollectAsync(network, vips, infraId, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e)
        {
            await console.Error.WriteLineAsync("shiftstack: OpenStack request failed: " + e.Message).ConfigureAwait(false);
            return ExitCodes.CloudError;
        }

        var report = AddressReportBuilder.Build(config, facts, networking, networkingSource, infraId);
        if (json)
        {
            await console.Out.WriteAsync(RenderJson(report, cloudConfig.Name)).ConfigureAwait(false);
        }
        else
        {
            await console.Out.WriteAsync(RenderText(report, cloudConfig.Name, config.Metadata.Name)).ConfigureAwait(false);
        }

        return report.Agrees ? ExitCodes.Ok : ExitCodes.InvalidInput;
    }

    internal static string RenderText(AddressReport report, string? cloudName, string? clusterName)
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

    internal static string RenderJson(AddressReport report, string? cloudName)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteBoolean("agree", report.Agrees);
            WriteNullable(w, "cloud", cloudName);
            WriteNullable(w, "infraID", report.InfraId);
            WriteStrings(w, "machineNetworks", report.MachineNetworks);
            w.WriteStartObject("cloudProviderNetworking");
            w.WriteString("source", report.NetworkingSource);
            w.WriteBoolean("ipv6SupportDisabled", report.Networking.Ipv6SupportDisabled);
            WriteNullable(w, "addressSortOrder", report.Networking.AddressSortOrder);
            WriteStrings(w, "internalNetworkNames", report.Networking.InternalNetworkNames);
            WriteStrings(w, "publicNetworkNames", report.Networking.PublicNetworkNames);
            w.WriteEndObject();
            w.WriteStartArray("ports");
            foreach (var port in report.Ports)
            {
                w.WriteStartObject();
                w.WriteString("id", port.Id);
                w.WriteString("name", port.Name);
                WriteStrings(w, "roles", port.Roles.Select(RoleJson));
                w.WriteString("mac", port.MacAddress);
                w.WriteString("status", port.Status);
                w.WriteString("network", port.Network);
                WriteStrings(w, "ipv4", port.Ipv4);
                w.WriteStartArray("ipv6");
                foreach (var v6 in port.Ipv6)
                {
                    w.WriteStartObject();
                    WriteNullable(w, "recorded", v6.Recorded);
                    w.WriteString("predicted", v6.Predicted);
                    w.WriteString("agreement", AgreementJson(v6.Agreement));
                    w.WriteString("subnet", v6.SubnetId);
                    WriteNullable(w, "cidr", v6.SubnetCidr);
                    WriteNullable(w, "mode", v6.Mode);
                    WriteNullable(w, "reason", v6.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteBoolean("agree", port.Agrees);
                WriteStrings(w, "problems", port.Problems);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("nodes");
            foreach (var node in report.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", node.Name);
                WriteStrings(w, "ports", node.Ports);
                WriteNullable(w, "server", node.ServerId);
                WriteAddresses(w, "cloudProviderAddresses", node.CloudAddresses);
                WriteNullable(w, "providedNodeIP", node.ProvidedNodeIp);
                if (node.Published is { } published)
                {
                    WriteAddresses(w, "publishedAddresses", published.Addresses);
                    WriteNullable(w, "nodeControllerError", published.Error);
                }

                w.WriteBoolean("agree", node.Agrees);
                WriteStrings(w, "notes", node.Notes);
                WriteStrings(w, "problems", node.Problems);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteStrings(w, "notes", report.Notes);
            WriteStrings(w, "problems", report.AllProblems);
            w.WriteNumber("neutronRequests", report.NeutronRequests);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
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

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

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

/// <summary>
/// Runs <c>shiftstack addresses …</c> in-process through the full command line (parsing, exit codes) with the given
/// writers: for hosts and tests that drive the CLI without starting a process.
/// </summary>
public static class AddressesCli
{
    /// <summary>Runs <c>shiftstack addresses &lt;args&gt;</c>.</summary>
    /// <param name="args">The arguments after <c>addresses</c>.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Cancellation (exit 130).</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(IEnumerable<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new CliConsole(output, error, () => Stream.Null);
        return ShiftStackCli.RunAsync(["addresses", .. args], console, cancellationToken);
    }
}
