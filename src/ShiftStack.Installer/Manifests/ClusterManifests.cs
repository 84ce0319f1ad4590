using System.Text;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Manifests;

/// <summary>
/// Cluster-wide manifests: Infrastructure and Network config, the embedded install-config, cloud.conf, the feature
/// gate and the pull secret (manifests.md §3, §6, §7; reference <c>pkg/asset/manifests/</c>).
/// </summary>
public static class ClusterManifests
{
    /// <summary><c>manifests/cluster-infrastructure-02-config.yml</c> (manifests.md §6).</summary>
    public static GeneratedFileSpec Infrastructure(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var os = inputs.OpenStack;
        var machineNetworks = inputs.Config.Networking!.MachineNetwork.Select(m => CidrText(m.Cidr)).ToList();
        var (controlPlaneTopology, infrastructureTopology) = Topologies(inputs.Config);
        var platformStatus = new MapNode()
            .Add("apiServerInternalIP", os.ApiVips[0])
            .Add("apiServerInternalIPs", Node.Strings(os.ApiVips))
            .Add("ingressIP", os.IngressVips[0])
            .Add("ingressIPs", Node.Strings(os.IngressVips))
            .Add("machineNetworks", Node.Strings(machineNetworks));
        if (os.LoadBalancer is { } lb)
        {
            platformStatus.Add("loadBalancer", new MapNode().AddString("type", lb.Type));
        }
        var infra = K8s.Object("config.openshift.io/v1", "Infrastructure", K8s.Meta("cluster"))
            .Add("spec", new MapNode()
                .Add("cloudConfig", new MapNode().Add("key", "config").Add("name", "cloud-provider-config"))
                .Add("platformSpec", new MapNode()
                    .Add("openstack", new MapNode()
                        .Add("apiServerInternalIPs", Node.Strings(os.ApiVips))
                        .Add("ingressIPs", Node.Strings(os.IngressVips))
                        .Add("machineNetworks", Node.Strings(machineNetworks)))
                    .Add("type", "OpenStack")))
            .Add("status", new MapNode()
                .Add("apiServerInternalURI", $"https://api-int.{inputs.ClusterDomain}:6443")
                .Add("apiServerURL", $"https://api.{inputs.ClusterDomain}:6443")
                .Add("controlPlaneTopology", controlPlaneTopology)
                .Add("cpuPartitioning", inputs.Config.CpuPartitioningMode == "AllNodes" ? "AllNodes" : "None")
                .Add("etcdDiscoveryDomain", string.Empty)
                .Add("infrastructureName", inputs.InfraId)
                .Add("infrastructureTopology", infrastructureTopology)
                .Add("platform", "OpenStack")
                .Add("platformStatus", new MapNode().Add("openstack", platformStatus).Add("type", "OpenStack")));
        return new("manifests/cluster-infrastructure-02-config.yml", infra);
    }

    private static (string ControlPlane, string Infrastructure) Topologies(InstallConfiguration config)
    {
        var controlPlane = (config.ControlPlane?.Replicas ?? 3) switch
        {
            1 => "SingleReplica",
            2 => "DualReplica",
            _ => "HighlyAvailable",
        };
        var workers = config.Compute.Sum(p => p.Replicas ?? 0);
        var infrastructure = workers switch
        {
            0 => controlPlane,
            1 => "SingleReplica",
            _ => "HighlyAvailable",
        };
        return (controlPlane, infrastructure);
    }

    /// <summary><c>manifests/cluster-network-02-config.yml</c>: the lists in install-config order.</summary>
    public static GeneratedFileSpec Network(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = inputs.Config.Networking!;
        var network = K8s.Object("config.openshift.io/v1", "Network", K8s.Meta("cluster"))
            .Add("spec", new MapNode()
                .Add("clusterNetwork", new ListNode(n.ClusterNetwork.Select(c => (Node)new MapNode()
                    .Add("cidr", CidrText(c.Cidr)).AddNonZero("hostPrefix", c.HostPrefix))))
                .Add("externalIP", new MapNode().Add("policy", new MapNode()))
                .Add("networkDiagnostics", new MapNode()
                    .Add("mode", string.Empty)
                    .Add("sourcePlacement", new MapNode())
                    .Add("targetPlacement", new MapNode()))
                .Add("networkType", n.NetworkType ?? string.Empty)
                .Add("serviceNetwork", Node.Strings(n.ServiceNetwork.Select(CidrText))))
            .Add("status", new MapNode());
        return new("manifests/cluster-network-02-config.yml", network);
    }

    /// <summary>
    /// <c>manifests/cluster-config.yaml</c>: ConfigMap <c>kube-system/cluster-config-v1</c> holding the processed
    /// install-config with <c>pullSecret</c> emptied, as the reference's <c>redactedInstallConfig</c> does.
    /// </summary>
    public static GeneratedFileSpec ClusterConfig(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var configMap = new MapNode()
            .Add("apiVersion", "v1")
            .Add("data", new MapNode().Add("install-config", YamlText.Write(InstallConfigDocument.Redacted(inputs.Config))))
            .Add("kind", "ConfigMap")
            .Add("metadata", new MapNode().Add("name", "cluster-config-v1").Add("namespace", "kube-system"));
        return new("manifests/cluster-config.yaml", configMap);
    }

    /// <summary>
    /// <c>manifests/cloud-provider-config.yaml</c>: ConfigMap <c>openshift-config/cloud-provider-config</c> with
    /// cloud.conf as the reference writes it, plus ShiftStack's <c>[Networking]</c> section for dual-stack machine
    /// networks (see <see cref="CloudConf"/>).
    /// </summary>
    public static GeneratedFileSpec CloudProviderConfig(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var data = new MapNode().Add("config", CloudConf(inputs));
        if (!string.IsNullOrEmpty(inputs.Facts.CaBundle))
        {
            data.Add("ca-bundle.pem", inputs.Facts.CaBundle);
        }
        var configMap = K8s.Object("v1", "ConfigMap", K8s.Meta("cloud-provider-config", "openshift-config")).Add("data", data);
        var comments = new List<string>();
        if (inputs.IsDualStackMachineNetwork)
        {
            comments.Add("the [Networking] section is not written by openshift-install (docs/deviations.md §7): address-sort-order lists the machine networks " +
                "in install-config order so the cloud provider reports the primary family's address first, and internal-network-name (when the " +
                "network name is known) keeps addresses of other networks out of the node's InternalIPs.");
        }
        if (!string.IsNullOrEmpty(inputs.OpenStack.ExternalNetwork) && inputs.Facts.ExternalNetworkId is null)
        {
            comments.Add($"floating-network-id is missing: the id of external network \"{inputs.OpenStack.ExternalNetwork}\" was not looked up (--offline).");
        }
        return new("manifests/cloud-provider-config.yaml", configMap, comments);
    }

    /// <summary>
    /// cloud.conf: <c>[Global]</c> secret-name/secret-namespace/region/ca-file and <c>[LoadBalancer]</c>
    /// floating-network-id like the reference; for machine networks of both families ShiftStack adds
    /// <c>[Networking] address-sort-order</c> (the machine CIDRs in install-config order) and
    /// <c>internal-network-name</c> (the control-plane network name, when given).
    /// </summary>
    public static string CloudConf(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var sb = new StringBuilder();
        sb.Append("[Global]\nsecret-name = openstack-credentials\nsecret-namespace = kube-system\n");
        if (!string.IsNullOrEmpty(inputs.Facts.Region))
        {
            sb.Append("region = ").Append(inputs.Facts.Region).Append('\n');
        }
        if (!string.IsNullOrEmpty(inputs.Facts.CaBundle))
        {
            sb.Append("ca-file = /etc/kubernetes/static-pod-resources/configmaps/cloud-config/ca-bundle.pem\n");
        }
        if (inputs.Facts.ExternalNetworkId is { } external)
        {
            sb.Append("\n[LoadBalancer]\nfloating-network-id = ").Append(external).Append('\n');
        }
        if (inputs.IsDualStackMachineNetwork)
        {
            var cidrs = inputs.Config.Networking!.MachineNetwork.Select(m => CidrText(m.Cidr));
            sb.Append("\n[Networking]\naddress-sort-order = ").Append(string.Join(",", cidrs)).Append('\n');
            if ((inputs.OpenStack.ControlPlanePort?.Network.Name is { Length: > 0 } given ? given : inputs.Facts.ControlPlaneNetworkName) is { Length: > 0 } name)
            {
                sb.Append("internal-network-name = ").Append(name).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>manifests/99_feature-gate.yaml</c>: the install-config's <c>featureSet</c> (and, for
    /// <c>CustomNoUpgrade</c>, its <c>featureGates</c>). <c>CloudDualStackNodeIPs</c> is never added: it is on in
    /// the Default feature set since 4.14 and GA upstream (manifests.md §7).
    /// </summary>
    public static GeneratedFileSpec FeatureGate(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var spec = new MapNode().AddString("featureSet", inputs.Config.FeatureSet);
        if (inputs.Config.FeatureSet == "CustomNoUpgrade")
        {
            var enabled = new List<string>();
            var disabled = new List<string>();
            foreach (var gate in inputs.Config.FeatureGates)
            {
                var parts = gate.Split('=', 2);
                var on = parts.Length < 2 || bool.Parse(parts[1].Trim());
                (on ? enabled : disabled).Add(parts[0].Trim());
            }
            spec.Add("customNoUpgrade", new MapNode().AddStrings("disabled", disabled).AddStrings("enabled", enabled));
        }
        var gateObject = K8s.Object("config.openshift.io/v1", "FeatureGate", K8s.Meta("cluster"))
            .Add("spec", spec)
            .Add("status", new MapNode().Add("featureGates", Node.Null));
        return new("manifests/99_feature-gate.yaml", gateObject);
    }

    /// <summary><c>manifests/openshift-config-secret-pull-secret.yaml</c> (a secret file, mode 0600).</summary>
    public static GeneratedFileSpec PullSecret(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var value = inputs.Config.PullSecret?.Reveal() ?? string.Empty;
        var secret = new MapNode()
            .Add("apiVersion", "v1")
            .Add("data", new MapNode().Add(".dockerconfigjson", Convert.ToBase64String(Encoding.UTF8.GetBytes(value))))
            .Add("kind", "Secret")
            .Add("metadata", new MapNode().Add("name", "pull-secret").Add("namespace", "openshift-config"))
            .Add("type", "kubernetes.io/dockerconfigjson");
        return new("manifests/openshift-config-secret-pull-secret.yaml", secret);
    }

    /// <summary>A CIDR as Go's <c>ipnet.IPNet.String()</c> prints it: the masked network.</summary>
    internal static string CidrText(string? cidr) =>
        Cidr.TryParse(cidr, out var c, out _) ? c.ToString() : cidr ?? string.Empty;
}
