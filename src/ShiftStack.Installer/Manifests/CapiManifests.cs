using System.Text;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Planning;
using ShiftStack.OpenStack.Config;

namespace ShiftStack.Installer.Manifests;

/// <summary>
/// The bootstrap and control-plane servers of <see cref="ClusterMachines"/> (manifests.md §2.2; reference
/// <c>pkg/asset/machines/openstack/openstackmachines.go</c>) and the CAPO v1beta1 manifests that describe them and
/// the cluster (manifests.md §2.1; reference <c>pkg/asset/manifests/openstack/cluster.go</c>).
/// </summary>
public static class CapiManifests
{
    /// <summary>The namespace of the CAPI objects (reference <c>capiutils.Namespace</c>).</summary>
    public const string Namespace = "openshift-cluster-api-guests";

    private const string CapoApiVersion = "infrastructure.cluster.x-k8s.io/v1beta1";
    private const string CapiApiVersion = "cluster.x-k8s.io/v1beta1";

    /// <summary>
    /// A machine the installer creates itself (<see cref="ClusterMachines.InstallerMachines"/>: bootstrap or control
    /// plane) as its <c>OpenStackMachine</c> describes it: the machine's name, ports, zone, flavor and server group, with
    /// the network and subnets the install-config names (the network's ID when it was looked up).
    /// </summary>
    public static NodeServer Server(ClusterInputs inputs, ClusterMachine machine)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(machine);
        var os = inputs.OpenStack;
        var pool = machine.Pool.Platform;
        var domain = machine.FailureDomain;
        var pairs = inputs.HasManagedLoadBalancer ? os.ApiVips.Concat(os.IngressVips).ToList() : [];
        NodePort first;
        if (os.ControlPlanePort is { } port)
        {
            NetworkRef? network = inputs.Facts.ControlPlaneNetworkId is { } id
                ? new NetworkRef(id, Blank(port.Network.Name))
                : Blank(port.Network.Name) is { } networkName ? new NetworkRef(null, networkName) : null;
            var fixedIps = port.FixedIPs
                .Select(f => Blank(f.Subnet.Id) is { } subnetId ? new SubnetRef(subnetId, null) : new SubnetRef(null, f.Subnet.Name))
                .ToList();
            first = new NodePort(machine.PortNames[0], network, fixedIps, pairs);
        }
        else
        {
            first = new NodePort(machine.PortNames[0], null, [new SubnetRef(null, null, inputs.ClusterTag)], pairs);
        }
        var ports = new List<NodePort> { first };
        ports.AddRange(pool.AdditionalNetworkIds.Select((id, i) => new NodePort(machine.PortNames[i + 1], new NetworkRef(id, null), [], [])));

        var groups = new List<SecurityGroupRef> { new($"{inputs.InfraId}-{MachineRole.Master}", null) };
        groups.AddRange(pool.AdditionalSecurityGroupIds.Select(id => new SecurityGroupRef(null, id)));

        NodeRootVolume? rootVolume = pool.RootVolume is { } rv
            ? new NodeRootVolume(rv.Size, domain.RootVolume?.VolumeType ?? string.Empty, domain.RootVolume?.AvailabilityZone ?? string.Empty)
            : null;
        return new NodeServer(
            machine.Name,
            machine.Role,
            machine.Flavor ?? string.Empty,
            inputs.ImageName,
            domain.AvailabilityZone,
            machine.ServerGroup,
            ports,
            groups,
            [inputs.ClusterTag],
            [K8s.Label("Name", $"{inputs.InfraId}-{machine.Role}"), K8s.Label("openshiftClusterID", inputs.InfraId)],
            inputs.IsSingleStackIpv6,
            rootVolume);
    }

    /// <summary>The <c>OpenStackCluster</c> (<c>cluster-api/02_infra-cluster.yaml</c>).</summary>
    public static GeneratedFileSpec OpenStackCluster(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var os = inputs.OpenStack;
        var spec = new MapNode()
            .Add("apiServerFixedIP", os.ApiVips[0])
            .Add("disableAPIServerFloatingIP", true)
            .Add("identityRef", Identity(inputs))
            .Add("tags", Node.Strings([inputs.ClusterTag]));
        if (!string.IsNullOrEmpty(os.ExternalNetwork))
        {
            spec.Add("externalNetwork", new MapNode().Add("filter", new MapNode().Add("name", os.ExternalNetwork)));
        }
        else
        {
            spec.Add("disableExternalNetwork", true);
        }
        if (os.ControlPlanePort is { } port)
        {
            if (Blank(port.Network.Id) is { } id)
            {
                spec.Add("network", new MapNode().Add("id", id));
            }
            else if (Blank(port.Network.Name) is { } name)
            {
                spec.Add("network", new MapNode().Add("filter", new MapNode().Add("name", name)));
            }
            spec.Add("subnets", new ListNode(port.FixedIPs.Select(f => (Node)(Blank(f.Subnet.Id) is { } sid
                ? new MapNode().Add("id", sid)
                : new MapNode().Add("filter", new MapNode().Add("name", f.Subnet.Name ?? string.Empty))))));
        }
        else
        {
            var managed = new MapNode().Add("cidr", inputs.Config.Networking!.MachineNetwork[0].Cidr ?? string.Empty);
            managed.AddStrings("dnsNameservers", os.ExternalDns);
            spec.Add("managedSubnets", new ListNode([managed]));
        }
        var cluster = K8s.Object(CapoApiVersion, "OpenStackCluster",
                K8s.Meta(inputs.InfraId, Namespace, [K8s.Label("cluster.x-k8s.io/cluster-name", inputs.InfraId)]))
            .Add("spec", spec)
            .Add("status", new MapNode().Add("ready", false));
        var comments = new List<string>();
        if (os.ApiVips.Count > 1)
        {
            comments.Add($"apiServerFixedIP holds apiVIPs[0] only ({os.ApiVips[0]}): the CAPO field takes one address. " +
                $"The other API VIP ({string.Join(", ", os.ApiVips.Skip(1))}) is in the Infrastructure CR (apiServerInternalIPs) " +
                "and in every control-plane port's allowed address pairs (docs/deviations.md §4).");
        }
        return new("cluster-api/02_infra-cluster.yaml", cluster, comments);
    }

    /// <summary>
    /// <c>cluster-api/000_capi-namespace.yaml</c>: the Namespace of the CAPI objects (reference
    /// <c>pkg/asset/manifests/clusterapi/cluster.go</c>, <c>Cluster.Generate</c>).
    /// </summary>
    public static GeneratedFileSpec NamespaceFile() =>
        new("cluster-api/000_capi-namespace.yaml", K8s.Object("v1", "Namespace", K8s.Meta(Namespace))
            .Add("spec", new MapNode())
            .Add("status", new MapNode()));

    /// <summary>
    /// <c>cluster-api/01_capi-cluster-0.yaml</c>: the CAPI <c>Cluster</c> pointing at the <c>OpenStackCluster</c>
    /// (reference <c>pkg/asset/manifests/clusterapi/cluster.go</c>, one per infrastructure reference; OpenStack has one).
    /// </summary>
    public static GeneratedFileSpec Cluster(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var cluster = K8s.Object(CapiApiVersion, "Cluster", K8s.Meta(inputs.InfraId, Namespace))
            .Add("spec", new MapNode()
                .Add("clusterNetwork", new MapNode().Add("apiServerPort", 6443))
                // APIEndpoint is a struct: encoding/json writes it although the field says omitempty.
                .Add("controlPlaneEndpoint", new MapNode().Add("host", string.Empty).Add("port", 0))
                .Add("infrastructureRef", new MapNode()
                    .Add("apiVersion", CapoApiVersion)
                    .Add("kind", "OpenStackCluster")
                    .Add("name", inputs.InfraId)
                    .Add("namespace", Namespace)))
            .Add("status", new MapNode().Add("controlPlaneReady", false).Add("infrastructureReady", false));
        return new("cluster-api/01_capi-cluster-0.yaml", cluster);
    }

    /// <summary>
    /// The CAPI <c>Machine</c> of a machine the installer creates (<c>cluster-api/machines/10_machine_&lt;name&gt;.yaml</c>; reference
    /// <c>pkg/asset/machines/openstack/openstackmachines.go</c>, <c>GenerateMachines</c>): its Ignition secret
    /// <c>&lt;infraID&gt;-&lt;role&gt;</c>, its <c>OpenStackMachine</c> and its failure domain (the Nova zone, also when
    /// empty: the field is a pointer).
    /// </summary>
    public static GeneratedFileSpec Machine(ClusterInputs inputs, ClusterMachine machine)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(machine);
        var document = K8s.Object(CapiApiVersion, "Machine",
                K8s.Meta(machine.Name, Namespace, [K8s.Label("cluster.x-k8s.io/control-plane", string.Empty)]))
            .Add("spec", new MapNode()
                .Add("bootstrap", new MapNode().Add("dataSecretName", $"{inputs.InfraId}-{machine.Role}"))
                .Add("clusterName", inputs.InfraId)
                .Add("failureDomain", machine.FailureDomain.AvailabilityZone)
                .Add("infrastructureRef", new MapNode()
                    .Add("apiVersion", CapoApiVersion)
                    .Add("kind", "OpenStackMachine")
                    .Add("name", machine.Name)))
            .Add("status", new MapNode().Add("bootstrapReady", false).Add("infrastructureReady", false));
        return new($"cluster-api/machines/10_machine_{machine.Name}.yaml", document);
    }

    /// <summary>
    /// <c>cluster-api/02_openstack-cloud-config.yaml</c>: the <c>&lt;infraID&gt;-cloud-config</c> Secret every
    /// <c>identityRef</c> names (reference <c>pkg/asset/manifests/openstack/cluster.go</c>, <c>generateCloudConfig</c>):
    /// <c>clouds.yaml</c> with the entry as cloud <c>openstack</c>, its <c>cacert</c> pointing at CAPO's
    /// <c>/etc/certs/cacert</c>, and the CA bundle as <c>cacert</c>. It holds the credentials.
    /// </summary>
    public static GeneratedFileSpec CloudConfigSecret(ClusterInputs inputs, CloudConfig entry, string? caBundle)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(entry);
        var data = new MapNode().Add("clouds.yaml", Convert.ToBase64String(Encoding.UTF8.GetBytes(YamlText.Write(
            new MapNode().Add("clouds", new MapNode().Add(ClusterInputs.CloudName, CloudsYamlEntry(entry)))))));
        if (!string.IsNullOrEmpty(caBundle))
        {
            data.Add("cacert", Convert.ToBase64String(Encoding.UTF8.GetBytes(caBundle)));
        }

        var secret = new MapNode().Add("apiVersion", "v1").Add("data", data).Add("kind", "Secret")
            .Add("metadata", K8s.Meta(inputs.InfraId + "-cloud-config", Namespace));
        return new("cluster-api/02_openstack-cloud-config.yaml", secret);
    }

    /// <summary>The entry as gophercloud's <c>clientconfig.Cloud</c> marshals it: set fields only, snake_case keys.</summary>
    private static MapNode CloudsYamlEntry(CloudConfig entry)
    {
        var a = entry.Auth;
        var auth = new MapNode()
            .AddString("auth_url", a.AuthUrl)
            .AddString("username", a.Username)
            .AddString("user_id", a.UserId)
            .AddString("password", a.Password)
            .AddString("application_credential_id", a.ApplicationCredentialId)
            .AddString("application_credential_name", a.ApplicationCredentialName)
            .AddString("application_credential_secret", a.ApplicationCredentialSecret)
            .AddString("system_scope", a.SystemScope)
            .AddString("project_name", a.ProjectName)
            .AddString("project_id", a.ProjectId)
            .AddString("user_domain_name", a.UserDomainName)
            .AddString("user_domain_id", a.UserDomainId)
            .AddString("project_domain_name", a.ProjectDomainName)
            .AddString("project_domain_id", a.ProjectDomainId)
            .AddString("domain_name", a.DomainName)
            .AddString("domain_id", a.DomainId);
        var cloud = new MapNode()
            .Add("auth", auth)
            .AddString("auth_type", entry.AuthType)
            .AddString("region_name", entry.RegionName)
            .AddString("interface", entry.Interface)
            .AddString("identity_api_version", entry.IdentityApiVersion)
            .AddString("cacert", string.IsNullOrEmpty(entry.CaCertFile) ? null : "/etc/certs/cacert")
            .AddString("cert", entry.ClientCertFile)
            .AddString("key", entry.ClientKeyFile);
        if (!entry.Verify)
        {
            cloud.Add("verify", false);
        }

        return cloud;
    }

    /// <summary>The <c>OpenStackMachine</c> of a machine the installer creates (<c>cluster-api/machines/10_inframachine_&lt;name&gt;.yaml</c>).</summary>
    public static GeneratedFileSpec OpenStackMachine(ClusterInputs inputs, ClusterMachine machine)
    {
        var server = Server(inputs, machine);
        var labels = new List<KeyValuePair<string, string>> { K8s.Label("cluster.x-k8s.io/control-plane", string.Empty) };
        if (server.Role == MachineRole.Bootstrap)
        {
            labels.Add(K8s.Label("install.openshift.io/bootstrap", string.Empty));
        }
        var spec = new MapNode()
            .Add("flavor", server.Flavor)
            .Add("identityRef", Identity(inputs))
            .Add("image", new MapNode().Add("filter", new MapNode().Add("name", server.Image)))
            .Add("ports", new ListNode(server.Ports.Select(Port)))
            .Add("securityGroups", new ListNode(server.SecurityGroups.Select(g => (Node)(g.Id is { } id
                ? new MapNode().Add("id", id)
                : new MapNode().Add("filter", new MapNode().Add("name", g.Name!))))))
            .Add("serverMetadata", new ListNode(server.Metadata.Select(m => (Node)new MapNode().Add("key", m.Key).Add("value", m.Value))))
            .Add("tags", Node.Strings(server.Tags));
        if (server.ServerGroup is { } group)
        {
            spec.Add("serverGroup", new MapNode().Add("filter", new MapNode().Add("name", group)));
        }
        // configDrive is a *bool in CAPO's OpenStackMachineSpec: the installer always sets it (true only for
        // single-stack IPv6), so false is written too.
        spec.Add("configDrive", server.ConfigDrive);
        if (server.RootVolume is { } rv)
        {
            var volume = new MapNode().Add("sizeGiB", rv.SizeGiB).AddString("type", rv.VolumeType);
            if (rv.AvailabilityZone.Length > 0)
            {
                volume.Add("availabilityZone", new MapNode().Add("from", "Name").Add("name", rv.AvailabilityZone));
            }
            spec.Add("rootVolume", volume);
        }
        var document = K8s.Object(CapoApiVersion, "OpenStackMachine", K8s.Meta(server.Name, Namespace, labels))
            .Add("spec", spec)
            .Add("status", new MapNode().Add("ready", false));
        var comments = new List<string>();
        if (inputs.Facts.NetworkDiscovered)
        {
            comments.Add($"ports[0].network.id {inputs.Facts.ControlPlaneNetworkId} is the network of the first controlPlanePort subnet; " +
                "openshift-install leaves the network out here and lets CAPO infer the same network.");
        }
        return new($"cluster-api/machines/10_inframachine_{server.Name}.yaml", document, comments);
    }

    private static Node Port(NodePort port)
    {
        var map = new MapNode();
        if (port.Network is { } network)
        {
            map.Add("network", network.Id is { } id
                ? new MapNode().Add("id", id)
                : new MapNode().Add("filter", new MapNode().Add("name", network.Name!)));
        }
        map.AddList("fixedIPs", port.FixedIps.Select(s => (Node)new MapNode().Add("subnet", s switch
        {
            { Id: { } id } => new MapNode().Add("id", id),
            { TagsAny: { } tag } => new MapNode().Add("filter", new MapNode().Add("tagsAny", Node.Strings([tag]))),
            _ => new MapNode().Add("filter", new MapNode().Add("name", s.Name ?? string.Empty)),
        })));
        map.AddList("allowedAddressPairs", port.AllowedAddressPairs.Select(ip => (Node)new MapNode().Add("ipAddress", ip)));
        return map;
    }

    private static MapNode Identity(ClusterInputs inputs) =>
        new MapNode().Add("cloudName", ClusterInputs.CloudName).Add("name", inputs.InfraId + "-cloud-config");

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
