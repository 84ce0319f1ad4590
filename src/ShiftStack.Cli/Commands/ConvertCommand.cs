using System.CommandLine;
using System.Text.Json;
using ShiftStack.Cli.Rendering;
using ShiftStack.Installer.Conversion;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack convert --dir DIR --to dual-stack|single-stack [--ipv6-subnet X] [--plan|--apply]</c>: converts the
/// OpenStack side of an installed cluster and writes the cluster-side patches and script under
/// <c>DIR/conversion/</c>. Exit 0 done (or planned), 2 invalid input or failed pre-check, 3 cloud error.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliConsole console, Invocation invocation)
    {
        var dir = CommonOptions.Dir();
        var to = new Option<string>("--to")
        {
            Description = "dual-stack (add IPv6 to a single-stack IPv4 cluster) or single-stack (remove what a conversion added)",
            Required = true,
            HelpName = "dual-stack|single-stack",
        };
        to.AcceptOnlyFromAmong("dual-stack", "single-stack");
        var subnet = new Option<string?>("--ipv6-subnet")
        {
            Description = "ID or name of the IPv6 subnet you added to the cluster network (dual-stack)",
            HelpName = "ID|NAME",
        };
        var clusterNetwork = new Option<string?>("--cluster-network")
        {
            Description = $"IPv6 cluster (pod) network (default {ConversionRequest.DefaultClusterNetwork}, or the next free fdXX::/48)",
            HelpName = "CIDR",
        };
        var hostPrefix = new Option<int>("--host-prefix")
        {
            Description = "Host prefix of the IPv6 cluster network",
            DefaultValueFactory = _ => ConversionRequest.DefaultHostPrefix,
        };
        var serviceNetwork = new Option<string?>("--service-network")
        {
            Description = $"IPv6 service network (default {ConversionRequest.DefaultServiceNetwork}, or the next free fdXX::/112)",
            HelpName = "CIDR",
        };
        var plan = new Option<bool>("--plan") { Description = "Print every change without making it (the default); writes the cluster-side files when they are complete" };
        var apply = new Option<bool>("--apply") { Description = "Make the OpenStack changes (idempotent: re-run after an interruption) and write the cluster-side files" };
        var cloud = CommonOptions.Cloud();
        var output = CommonOptions.Output();
        var force = CommonOptions.Force();
        var command = new Command("convert", "Convert an installed cluster between single-stack IPv4 and dual-stack: OpenStack ports, VIP pairs, security groups; cluster-side patches as files")
        {
            dir, to, subnet, clusterNetwork, hostPrefix, serviceNetwork, plan, apply, cloud, output, force,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(plan) && r.GetValue(apply))
            {
                r.AddError("--plan and --apply cannot be used together");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new ConversionRequest
            {
                Target = parse.GetValue(to) == "single-stack" ? ConversionTarget.SingleStack : ConversionTarget.DualStack,
                Ipv6Subnet = parse.GetValue(subnet),
                ClusterNetwork = parse.GetValue(clusterNetwork),
                HostPrefix = parse.GetValue(hostPrefix),
                ServiceNetwork = parse.GetValue(serviceNetwork),
            };
            return RunAsync(console, invocation, parse.GetValue(dir)!, request, parse.GetValue(apply), parse.GetValue(cloud), parse.GetValue(output) == OutputFormat.Json, parse.GetValue(force), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Invocation invocation, string dir, ConversionRequest request, bool apply, string? cloudOverride, bool json, bool force,
        CancellationToken cancellationToken)
    {
        var inputs = ClusterConversion.LoadInputs(dir);
        var cloudConfig = new CloudConfigLoader().Load(string.IsNullOrEmpty(cloudOverride) ? inputs.Config.Platform.OpenStack?.Cloud : cloudOverride);
        using var network = new NetworkingClient(cloudConfig, invocation.ClientOptions());
        invocation.Resumable = apply;
        var prepared = await ProgressDisplay.CloudStepAsync(console, "convert " + dir,
            $"looking up the cluster's ports, security groups and subnets with cloud {cloudConfig.Name}",
            () => ClusterConversion.PrepareAsync(inputs, request, network, cancellationToken)).ConfigureAwait(false);
        ConversionResult? result = null;
        IReadOnlyList<string> written = [];
        if (apply && prepared.Plan.CanApply)
        {
            // Each change a step, shown as the cloud step is: on standard error, standard output holds only the result.
            result = await ProgressDisplay.RunOnErrorAsync(console, "convert " + dir,
                progress => ClusterConversion.ApplyAsync(inputs, request, network, progress, prepared, force, cancellationToken)).ConfigureAwait(false);
            prepared = result.Before;
        }
        else if (prepared.ClusterSide is { } side && prepared.Plan.CanApply)
        {
            written = ClusterConversion.WriteFiles(dir, side, force);
        }

        if (json)
        {
            JsonOutput.Write(console, writer => ConversionRenderer.WriteJson(writer, prepared, result, written));
        }
        else
        {
            ConversionRenderer.WriteText(console.Out, prepared, result, written);
        }

        return prepared.Plan.CanApply ? ExitCodes.Ok : ExitCodes.InvalidInput;
    }
}
