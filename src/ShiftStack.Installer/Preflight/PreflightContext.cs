using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Preflight;

/// <summary>What every rule reads: the config, the cloud facts, derived values, and where findings go.</summary>
internal sealed class PreflightContext
{
    public PreflightContext(InstallConfiguration config, CloudInfo cloud, FieldErrorList errors, List<FieldWarning> warnings)
    {
        Config = config;
        Cloud = cloud;
        Errors = errors;
        Warnings = warnings;
        OpenStack = config.Platform.OpenStack!;
        Port = OpenStack.ControlPlanePort;
        FoundSubnets = cloud.ControlPlanePortSubnets
            .Select((lookup, index) => (Index: index, Subnet: lookup.Found))
            .Where(x => x.Subnet is not null)
            .Select(x => (x.Index, x.Subnet!))
            .ToList();
        MachineNetworks = (config.Networking?.MachineNetwork ?? []).Select(e => e.Cidr ?? string.Empty).ToList();
        ClusterNetwork = cloud.ControlPlanePortNetwork?.Found;
    }

    public static FieldPath Base { get; } = FieldPath.Root("platform").Child("openstack");

    public static FieldPath PortPath { get; } = Base.Child("controlPlanePort");

    public static FieldPath FixedIPsPath { get; } = PortPath.Child("fixedIPs");

    public static FieldPath NetworkPath { get; } = PortPath.Child("network");

    public static FieldPath CloudPath { get; } = Base.Child("cloud");

    public InstallConfiguration Config { get; }

    public OpenStackPlatform OpenStack { get; }

    public PortTarget? Port { get; }

    public CloudInfo Cloud { get; }

    public FieldErrorList Errors { get; }

    public List<FieldWarning> Warnings { get; }

    /// <summary>The subnets found, with the index of their <c>fixedIPs</c> entry.</summary>
    public IReadOnlyList<(int Index, Subnet Subnet)> FoundSubnets { get; }

    /// <summary><c>networking.machineNetwork[*].cidr</c> as written.</summary>
    public IReadOnlyList<string> MachineNetworks { get; }

    /// <summary>The control-plane network, when found (given or derived).</summary>
    public Network? ClusterNetwork { get; }

    public bool UserManagedLoadBalancer => OpenStack.LoadBalancer?.Type == LoadBalancerConfig.UserManaged;

    public string ClusterName => string.IsNullOrEmpty(Config.Metadata.Name) ? "cluster" : Config.Metadata.Name;

    public void Error(FieldError error) => Errors.Add(error);

    public void Warn(FieldPath path, string message) => Warnings.Add(new FieldWarning(path, message));

    /// <summary>The path of a ShiftStack finding about one <c>fixedIPs</c> entry's subnet.</summary>
    public static FieldPath SubnetPath(int index) => FixedIPsPath.Index(index).Child("subnet");

    /// <summary><c>"name" (id)</c>, or <c>(id)</c> for an unnamed resource.</summary>
    public static string Describe(string name, string id) =>
        string.IsNullOrEmpty(name) ? "(" + id + ")" : GoFormat.Quote(name) + " (" + id + ")";

    public static string Describe(Subnet subnet) => Describe(subnet.Name, subnet.Id);

    public static string Describe(Network network) => Describe(network.Name, network.Id);

    public static string Describe(OpenStack.Networking.Port port) => Describe(port.Name, port.Id);

    public static IPAddress? Parse(string? text) => IpAddresses.TryParse(text, out var a) ? a : null;

    /// <summary>The VIPs of a list that parse, with their text as written.</summary>
    public static IReadOnlyList<(string Text, IPAddress Address)> ParseAll(IEnumerable<string> texts) =>
        texts.Select(t => (Text: t, Address: Parse(t))).Where(x => x.Address is not null).Select(x => (x.Text, x.Address!)).ToList();

    public static bool Holds(OpenStack.Networking.Port port, IPAddress address) =>
        port.FixedIps.Any(ip => Parse(ip.IpAddress) is { } a && IpAddresses.SemanticEquals(a, address));
}
