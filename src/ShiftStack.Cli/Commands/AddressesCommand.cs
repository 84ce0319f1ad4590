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
    public static Command Create(CliConsole console, Invocation invocation)
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
            RunAsync(console, invocation, parse.GetValue(dir)!, parse.GetValue(cloud), parse.GetValue(output) == OutputFormat.Json, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Invocation invocation, string dir, string? cloudOverride, bool json, CancellationToken cancellationToken)
    {
        var installation = InstallationDirectory.Open(dir);
        var file = installation.LoadConfig();
        if (!file.IsValid)
        {
            throw CommandFailedException.InvalidConfig(file);
        }

        var config = file.Config!;
        var infraId = installation.ReadInfraId() ?? ProvisioningStateStore.TryLoad(dir)?.InfraId;
        CloudProviderNetworking networking;
        string networkingSource;
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

        var os = config.Platform.OpenStack;
        var cloudName = string.IsNullOrEmpty(cloudOverride) ? os?.Cloud : cloudOverride;
        var cloudConfig = new CloudConfigLoader().Load(cloudName);
        AddressFacts facts;
        using (var network = new NetworkingClient(cloudConfig, invocation.ClientOptions()))
        {
            var vips = (os?.ApiVips ?? []).Concat(os?.IngressVips ?? []);
            facts = await ProgressDisplay.CloudStepAsync(console, "addresses " + dir,
                $"looking up the VIP ports{(infraId is null ? string.Empty : " and the node ports of " + infraId)} and their subnets with cloud {cloudConfig.Name}",
                () => AddressCollector.CollectAsync(network, vips, infraId, cancellationToken)).ConfigureAwait(false);
        }

        var report = AddressReportBuilder.Build(config, facts, networking, networkingSource, infraId);
        if (json)
        {
            await console.Out.WriteAsync(AddressesRenderer.Json(report, cloudConfig.Name)).ConfigureAwait(false);
        }
        else
        {
            await console.Out.WriteAsync(AddressesRenderer.Text(report, cloudConfig.Name, config.Metadata.Name)).ConfigureAwait(false);
        }

        return report.Agrees ? ExitCodes.Ok : ExitCodes.InvalidInput;
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
        var console = new CliConsole(output, error);
        return ShiftStackCli.RunAsync(["addresses", .. args], console, cancellationToken);
    }
}
