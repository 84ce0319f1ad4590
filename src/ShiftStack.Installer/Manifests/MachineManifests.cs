using System.Globalization;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Manifests;

/// <summary>
/// MAPI manifests: control-plane Machines, the ControlPlaneMachineSet and worker MachineSets with the
/// <c>OpenstackProviderSpec</c> (manifests.md §1; reference <c>pkg/asset/machines/openstack/machines.go</c>,
/// <c>machinesets.go</c>).
/// </summary>
public static class MachineManifests
{
    private const string MachineApiNamespace = "openshift-machine-api";
    private const string ClusterLabel = "machine.openshift.io/cluster-api-cluster";
    private const string RoleLabel = "machine.openshift.io/cluster-api-machine-role";
    private const string TypeLabel = "machine.openshift.io/cluster-api-machine-type";
    private const string MachineSetLabel = "machine.openshift.io/cluster-api-machineset";

    /// <summary>
    /// The control-plane Machines (one per control-plane machine of <paramref name="machines"/>, with its name and
    /// failure domain) and the ControlPlaneMachineSet.
    /// </summary>
    public static IReadOnlyList<GeneratedFileSpec> ControlPlane(ClusterInputs inputs, ClusterMachines machines)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(machines);
        var pool = inputs.Pools.ControlPlane;
        var role = MachineRole.Master;
        var domains = FailureDomain.FromPool(pool.Platform);
        var files = new List<GeneratedFileSpec>();
        var comments = ProviderSpecComments(inputs);
        foreach (var master in machines.ControlPlane.Machines)
        {
            var machine = K8s.Object("machine.openshift.io/v1beta1", "Machine",
                    K8s.Meta(master.Name, MachineApiNamespace, RoleLabels(inputs, role)))
                .Add("spec", MachineSpec(ProviderSpec(inputs, master.Pool.Platform, role, $"{role}-user-data", master.FailureDomain)))
                .Add("status", new MapNode());
            files.Add(new(string.Create(CultureInfo.InvariantCulture, $"openshift/99_openshift-cluster-api_master-machines-{master.Index}.yaml"), machine, comments));
        }

        var template = new MapNode()
            .Add("metadata", new MapNode().Add("labels", MapNode.FromStrings(RoleLabels(inputs, role))))
            .Add("spec", MachineSpec(ProviderSpec(inputs, pool.Platform, role, $"{role}-user-data", new FailureDomain(string.Empty, new RootVolumeDomain(string.Empty, string.Empty)))));
        if (FailureDomain.Prune(domains) is { } pruned)
        {
            template.Add("failureDomains", new MapNode()
                .Add("platform", "OpenStack")
                .Add("openstack", new ListNode(pruned.Select(CpmsFailureDomain))));
        }
        var cpms = K8s.Object("machine.openshift.io/v1", "ControlPlaneMachineSet",
                K8s.Meta("cluster", MachineApiNamespace, [K8s.Label(ClusterLabel, inputs.InfraId)]))
            .Add("spec", new MapNode()
                .Add("replicas", pool.Replicas)
                .Add("selector", new MapNode().Add("matchLabels", MapNode.FromStrings(RoleLabels(inputs, role))))
                .Add("state", "Active")
                .Add("strategy", new MapNode())
                .Add("template", new MapNode()
                    .Add("machineType", "machines_v1beta1_machine_openshift_io")
                    .Add("machines_v1beta1_machine_openshift_io", template)))
            .Add("status", new MapNode());
        var cpmsComments = new List<string>(comments);
        if (pool.Replicas is not (3 or 5))
        {
            cpmsComments.Add($"spec.replicas {pool.Replicas} is not one of the values the ControlPlaneMachineSet CRD accepts (3, 5), so the API " +
                "server will reject this object; openshift-install writes it all the same.");
        }
        files.Add(new("openshift/99_openshift-machine-api_master-control-plane-machine-set.yaml", cpms, cpmsComments));
        return files;
    }

    /// <summary>
    /// The worker MachineSets: one per failure domain of each compute pool, replicas spread evenly (the first
    /// <c>replicas % domains</c> sets get one more). A pool of 0 replicas gets its MachineSets too, each with 0
    /// replicas (openshift/installer <c>pkg/asset/machines/worker.go</c>, <c>openstack.MachineSets</c>), so that a
    /// compact cluster can scale workers later.
    /// </summary>
    public static IReadOnlyList<GeneratedFileSpec> Workers(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<GeneratedFileSpec>();
        var comments = ProviderSpecComments(inputs);
        var index = 0;
        foreach (var pool in inputs.Pools.Compute)
        {
            var role = MachineRole.Worker;
            var domains = FailureDomain.FromPool(pool.Platform);
            for (var d = 0; d < domains.Count; d++)
            {
                var replicas = pool.Replicas / domains.Count;
                if (d < pool.Replicas % domains.Count)
                {
                    replicas++;
                }
                if (replicas > int.MaxValue)
                {
                    throw new AssetException($"the number of requested worker replicas ({pool.Replicas}) is too high");
                }
                var name = $"{inputs.InfraId}-{pool.Name}-{d}";
                var machineSet = K8s.Object("machine.openshift.io/v1beta1", "MachineSet",
                        K8s.Meta(name, MachineApiNamespace, RoleLabels(inputs, role)))
                    .Add("spec", new MapNode()
                        .Add("replicas", replicas)
                        .Add("selector", new MapNode().Add("matchLabels", MapNode.FromStrings(
                            [K8s.Label(MachineSetLabel, name), K8s.Label(ClusterLabel, inputs.InfraId)])))
                        .Add("template", new MapNode()
                            .Add("metadata", new MapNode().Add("labels", MapNode.FromStrings(
                                [K8s.Label(MachineSetLabel, name), .. RoleLabels(inputs, role)])))
                            .Add("spec", MachineSpec(ProviderSpec(inputs, pool.Platform, role, $"{role}-user-data", domains[d])))))
                    .Add("status", new MapNode().Add("replicas", 0));
                files.Add(new($"openshift/99_openshift-cluster-api_worker-machineset-{index}.yaml", machineSet, comments));
                index++;
            }
        }
        return files;
    }

    /// <summary>
    /// The <c>OpenstackProviderSpec</c> (manifests.md §1, §8). Fields without <c>omitempty</c> are always written;
    /// non-pointer filter structs are written as <c>filter: {}</c> even when empty.
    /// </summary>
    public static MapNode ProviderSpec(ClusterInputs inputs, OpenStackMachinePool pool, MachineRole role, string userDataSecret, FailureDomain domain)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(domain);
        var infraId = inputs.InfraId;
        var os = inputs.OpenStack;

        MapNode controlPlaneNetwork;
        if (os.ControlPlanePort is { } port)
        {
            var subnets = port.FixedIPs.Select(f => (Node)new MapNode()
                .Add("filter", new MapNode().AddString("id", f.Subnet.Id).AddString("name", f.Subnet.Name)));
            controlPlaneNetwork = new MapNode()
                .Add("filter", new MapNode().AddString("id", inputs.Facts.ControlPlaneNetworkId).AddString("name", port.Network.Name))
                .Add("subnets", new ListNode(subnets));
        }
        else
        {
            controlPlaneNetwork = new MapNode()
                .Add("filter", new MapNode())
                .Add("subnets", new ListNode([new MapNode().Add("filter", new MapNode().Add("tags", inputs.ClusterTag))]));
        }
        var networks = new ListNode([controlPlaneNetwork]);
        foreach (var id in pool.AdditionalNetworkIds)
        {
            networks.Add(new MapNode().Add("filter", new MapNode()).Add("noAllowedAddressPairs", true).Add("uuid", id));
        }

        var securityGroups = new ListNode([new MapNode().Add("filter", new MapNode()).Add("name", $"{infraId}-{role}")]);
        foreach (var id in pool.AdditionalSecurityGroupIds)
        {
            securityGroups.Add(new MapNode().Add("filter", new MapNode()).Add("uuid", id));
        }

        // The groups ClusterMachines puts its machines in: workers made at installation and by the machine API share one.
        var serverGroupName = role == MachineRole.Worker ? ClusterNames.WorkerServerGroup(infraId, domain.AvailabilityZone) : ClusterNames.MasterServerGroup(infraId);

        var spec = new MapNode()
            .Add("apiVersion", "machine.openshift.io/v1alpha1")
            .Add("kind", "OpenstackProviderSpec")
            .Add("metadata", new MapNode().Add("creationTimestamp", Node.Null))
            .Add("cloudName", ClusterInputs.CloudName)
            .Add("cloudsSecret", new MapNode().Add("name", "openstack-cloud-credentials").Add("namespace", "openshift-machine-api"))
            .Add("flavor", pool.FlavorName ?? string.Empty)
            .Add("image", pool.RootVolume is null ? inputs.ImageName : string.Empty)
            .Add("networks", networks)
            .AddString("primarySubnet", os.ControlPlanePort is null ? null : inputs.Facts.PrimarySubnetId)
            .AddString("availabilityZone", domain.AvailabilityZone)
            .Add("securityGroups", securityGroups)
            .Add("serverGroupName", serverGroupName)
            .Add("serverMetadata", MapNode.FromStrings([K8s.Label("Name", $"{infraId}-{role}"), K8s.Label("openshiftClusterID", infraId)]))
            .Add("tags", Node.Strings([inputs.ClusterTag]))
            .Add("userDataSecret", new MapNode().Add("name", userDataSecret));
        if (inputs.IsSingleStackIpv6)
        {
            spec.Add("configDrive", true);
        }
        if (pool.RootVolume is { } rv)
        {
            spec.Add("rootVolume", new MapNode()
                .AddString("availabilityZone", domain.RootVolume?.AvailabilityZone)
                .AddNonZero("diskSize", rv.Size)
                .AddString("sourceUUID", inputs.ImageName)
                .AddString("volumeType", domain.RootVolume?.VolumeType));
        }
        return spec;
    }

    private static MapNode MachineSpec(MapNode providerSpec) => new MapNode()
        .Add("lifecycleHooks", new MapNode())
        .Add("metadata", new MapNode())
        .Add("providerSpec", new MapNode().Add("value", providerSpec));

    private static MapNode CpmsFailureDomain(FailureDomain domain)
    {
        var map = new MapNode().AddString("availabilityZone", domain.AvailabilityZone);
        if (domain.RootVolume is { } rv)
        {
            map.Add("rootVolume", new MapNode().AddString("availabilityZone", rv.AvailabilityZone).Add("volumeType", rv.VolumeType));
        }
        return map;
    }

    private static List<KeyValuePair<string, string>> RoleLabels(ClusterInputs inputs, MachineRole role) =>
        [K8s.Label(ClusterLabel, inputs.InfraId), K8s.Label(RoleLabel, role.Name), K8s.Label(TypeLabel, role.Name)];

    private static List<string> ProviderSpecComments(ClusterInputs inputs)
    {
        var comments = new List<string>();
        if (inputs.OpenStack.ControlPlanePort is { } port && port.FixedIPs.Count > 0)
        {
            var first = port.FixedIPs[0].Subnet;
            if (string.IsNullOrEmpty(first.Id))
            {
                comments.Add(inputs.Facts.PrimarySubnetId is { } id
                    ? $"primarySubnet is {id}, the id of subnet \"{first.Name}\"; openshift-install leaves it empty when only a subnet name is given (docs/deviations.md §3). MAPO ignores the field."
                    : $"primarySubnet is left out: only the name of subnet \"{first.Name}\" is known, like openshift-install (docs/deviations.md §3). MAPO ignores the field.");
            }
            if (inputs.Facts.NetworkDiscovered)
            {
                comments.Add($"networks[0].filter.id {inputs.Facts.ControlPlaneNetworkId} is the network of the first controlPlanePort subnet, looked up so that MAPO creates one port with both fixed IPs (OCPBUGS-19462).");
            }
        }
        return comments;
    }
}

/// <summary>A YAML manifest before rendering: path, document and header comments.</summary>
/// <param name="Path">The relative path.</param>
/// <param name="Document">The document.</param>
/// <param name="Comments">Lines written as <c># ShiftStack: …</c> on top.</param>
public sealed record GeneratedFileSpec(string Path, MapNode Document, IReadOnlyList<string>? Comments = null)
{
    /// <summary>Renders the file.</summary>
    public Assets.GeneratedFile Render(bool secret = false) => K8s.File(Path, Document, Comments, secret);
}
