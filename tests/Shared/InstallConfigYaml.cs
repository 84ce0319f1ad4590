using System.Globalization;
using System.Text;

namespace ShiftStack.Tests.Shared;

/// <summary>
/// The one writer of install-config.yaml text for the tests and the benchmarks: a dual-stack OpenStack cluster by
/// default (three masters, three workers, both families in every network list, the control-plane port on a named
/// network with one IPv4 and one IPv6 subnet); each fixture sets only what its scenario changes. The text is laid out
/// the way a person writes it (block lists, two-space indentation), so tests may still edit it as text.
/// </summary>
internal sealed record InstallConfigYaml
{
    /// <summary>A pull secret with no real credential.</summary>
    public const string DummyPullSecret = """{"auths":{"registry.example.com":{"auth":"ZXhhbXBsZTpleGFtcGxl"}}}""";

    /// <summary>The public key of the examples (no private key exists anywhere in the repository).</summary>
    public const string ExampleSshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIm6dsYLyOuTpzX4az6VjCTsfBb0rZze7VwE9kGNnOoB admin@example.com";

    /// <summary><c>metadata.name</c>.</summary>
    public string ClusterName { get; init; } = "dualstack";

    /// <summary><c>controlPlane.replicas</c>.</summary>
    public int Masters { get; init; } = 3;

    /// <summary><c>controlPlane.platform.openstack.type</c>.</summary>
    public string MasterFlavor { get; init; } = "m1.xlarge";

    /// <summary>Lines appended under <c>controlPlane.platform.openstack</c> (each starting with a newline and six spaces).</summary>
    public string MasterPlatformExtra { get; init; } = string.Empty;

    /// <summary><c>compute[0].replicas</c>.</summary>
    public int Workers { get; init; } = 3;

    /// <summary><c>compute[0].platform.openstack.type</c>, or none.</summary>
    public string? WorkerFlavor { get; init; }

    /// <summary><c>networking.networkType</c>, or none (the default).</summary>
    public string? NetworkType { get; init; }

    /// <summary><c>networking.machineNetwork</c> CIDRs, in order.</summary>
    public IReadOnlyList<string> MachineNetworks { get; init; } = ["192.168.25.0/24", "fd2e:6f44:5dd8:c956::/64"];

    /// <summary>Whether the cluster and service networks have an IPv6 entry too.</summary>
    public bool DualStackNetworks { get; init; } = true;

    /// <summary>With <see cref="DualStackNetworks"/>: the IPv6 cluster and service networks first.</summary>
    public bool Ipv6Primary { get; init; }

    /// <summary><c>platform.openstack.cloud</c>.</summary>
    public string Cloud { get; init; } = "openstack";

    /// <summary><c>platform.openstack.clusterOSImage</c>, or none.</summary>
    public string? ClusterOSImage { get; init; }

    /// <summary><c>platform.openstack.apiVIPs</c>, in order.</summary>
    public IReadOnlyList<string> ApiVips { get; init; } = ["192.168.25.199", "FD2E:6F44:5DD8:C956:F816:3EFF:FE78:CF36"];

    /// <summary><c>platform.openstack.ingressVIPs</c>, in order.</summary>
    public IReadOnlyList<string> IngressVips { get; init; } = ["192.168.25.79", "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad"];

    /// <summary>The <c>controlPlanePort.network</c> filter: <c>name: X</c> or <c>id: X</c>.</summary>
    public string ControlPlaneNetwork { get; init; } = "name: dualstack";

    /// <summary>The <c>controlPlanePort.fixedIPs</c> subnet filters, in order: <c>name: X</c> or <c>id: X</c>.</summary>
    public IReadOnlyList<string> ControlPlaneSubnets { get; init; } = ["name: subnet-v4", "name: subnet-v6"];

    /// <summary>Top-level lines written after <c>platform</c> (a whole YAML block, or empty).</summary>
    public string Extra { get; init; } = string.Empty;

    /// <summary><c>pullSecret</c>.</summary>
    public string PullSecret { get; init; } = DummyPullSecret;

    /// <summary><c>sshKey</c>.</summary>
    public string SshKey { get; init; } = ExampleSshKey;

    /// <summary>A filter by name, for <see cref="ControlPlaneNetwork"/> and <see cref="ControlPlaneSubnets"/>.</summary>
    public static string Named(string name) => "name: " + name;

    /// <summary>A filter by ID, for <see cref="ControlPlaneNetwork"/> and <see cref="ControlPlaneSubnets"/>.</summary>
    public static string WithId(string id) => "id: " + id;

    /// <summary>The YAML text (no final newline).</summary>
    public override string ToString()
    {
        var y = new StringBuilder();
        void Line(string text) => y.Append(text).Append('\n');
        string[] Ordered(string v4, string v6) => Ipv6Primary ? [v6, v4] : [v4, v6];

        Line("apiVersion: v1");
        Line("baseDomain: example.com");
        Line("metadata:");
        Line("  name: " + ClusterName);
        Line("controlPlane:");
        Line("  name: master");
        Line("  replicas: " + Masters.ToString(CultureInfo.InvariantCulture));
        Line("  platform:");
        Line("    openstack:");
        Line("      type: " + MasterFlavor + MasterPlatformExtra);
        Line("compute:");
        Line("- name: worker");
        Line("  replicas: " + Workers.ToString(CultureInfo.InvariantCulture));
        if (WorkerFlavor is not null)
        {
            Line("  platform:");
            Line("    openstack:");
            Line("      type: " + WorkerFlavor);
        }

        Line("networking:");
        if (NetworkType is not null)
        {
            Line("  networkType: " + NetworkType);
        }

        Line("  machineNetwork:");
        foreach (var cidr in MachineNetworks)
        {
            Line("  - cidr: " + cidr);
        }

        Line("  clusterNetwork:");
        foreach (var entry in DualStackNetworks ? Ordered("10.128.0.0/14 23", "fd01::/48 64") : ["10.128.0.0/14 23"])
        {
            var (cidr, prefix) = (entry.Split(' ')[0], entry.Split(' ')[1]);
            Line("  - cidr: " + cidr);
            Line("    hostPrefix: " + prefix);
        }

        Line("  serviceNetwork:");
        foreach (var cidr in DualStackNetworks ? Ordered("172.30.0.0/16", "fd02::/112") : ["172.30.0.0/16"])
        {
            Line("  - " + cidr);
        }

        Line("platform:");
        Line("  openstack:");
        Line("    cloud: " + Cloud);
        if (ClusterOSImage is not null)
        {
            Line("    clusterOSImage: " + ClusterOSImage);
        }

        Line("    apiVIPs:");
        foreach (var vip in ApiVips)
        {
            Line("    - " + vip);
        }

        Line("    ingressVIPs:");
        foreach (var vip in IngressVips)
        {
            Line("    - " + vip);
        }

        Line("    controlPlanePort:");
        Line("      network:");
        Line("        " + ControlPlaneNetwork);
        Line("      fixedIPs:");
        foreach (var subnet in ControlPlaneSubnets)
        {
            Line("      - subnet:");
            Line("          " + subnet);
        }

        if (Extra.Length > 0)
        {
            Line(Extra.TrimEnd('\n'));
        }

        Line("pullSecret: '" + PullSecret + "'");
        y.Append("sshKey: ").Append(SshKey);
        return y.ToString();
    }
}
