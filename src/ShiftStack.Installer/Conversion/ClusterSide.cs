using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Manifests;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>
/// The cluster side of a conversion: JSON patches for <c>network.config.openshift.io/cluster</c> and
/// <c>infrastructure.config.openshift.io/cluster</c>, the <c>99-dual-stack-&lt;role&gt;</c> MachineConfigs, the
/// Machine manifests of the dual-stack config, and a script with the <c>oc</c> commands, all under
/// <c>&lt;dir&gt;/conversion/</c>. ShiftStack never talks to the cluster API: the user runs the script.
/// </summary>
/// <param name="NetworkPatch">The Network patch.</param>
/// <param name="InfrastructurePatch">The Infrastructure patch.</param>
/// <param name="Files">Files to write, paths relative to <c>--dir</c>.</param>
/// <param name="Notes">What the cluster side does and cannot do (reboots, the CNO refusal).</param>
/// <param name="Pending">Why the files cannot be written yet (VIPs allocated by Neutron at apply time), or null.</param>
public sealed record ClusterSideArtifacts(
    JsonPatch NetworkPatch,
    JsonPatch InfrastructurePatch,
    IReadOnlyList<GeneratedFile> Files,
    IReadOnlyList<string> Notes,
    string? Pending)
{
    /// <summary>The folder under <c>--dir</c>.</summary>
    public const string Folder = "conversion";

    /// <summary>The script file name.</summary>
    public const string ScriptName = "apply-cluster-side.sh";

    /// <summary>The CNO refusal, verbatim (conversion.md §1).</summary>
    public const string CnoRefusal = "OpenStack does not allow conversion to dual-stack cluster";

    /// <summary>Builds the cluster side of a plan.</summary>
    /// <param name="plan">The plan (its <see cref="ConversionPlan.Ipv6"/> must be set).</param>
    /// <param name="facts">The facts the plan came from.</param>
    /// <returns>The artifacts.</returns>
    public static ClusterSideArtifacts Build(ConversionPlan plan, ConversionFacts facts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(facts);
        var side = plan.Ipv6 ?? throw new ArgumentException("the plan has no IPv6 side", nameof(plan));
        var config = facts.Config;
        var n = config.Networking!;
        var os = config.Platform.OpenStack!;
        var v4Cluster = n.ClusterNetwork.Where(c => FamilyOf(c.Cidr) == IpFamily.IPv4).ToList();
        var v4Service = n.ServiceNetwork.Where(s => FamilyOf(s) == IpFamily.IPv4).Select(CidrText).ToList();
        var v4Machine = n.MachineNetwork.Where(m => FamilyOf(m.Cidr) == IpFamily.IPv4).Select(m => CidrText(m.Cidr)).ToList();
        var v4Api = os.ApiVips.Where(v => FamilyOfAddress(v) == IpFamily.IPv4).Select(ConversionPlanner.Canonical).ToList();
        var v4Ingress = os.IngressVips.Where(v => FamilyOfAddress(v) == IpFamily.IPv4).Select(ConversionPlanner.Canonical).ToList();
        var pending = side.ApiVip is null || side.IngressVip is null
            ? "the IPv6 VIPs are the addresses Neutron allocates to the VIP ports during --apply (DHCPv6-stateful subnet): the cluster-side files are written then"
            : null;
        var apiV6 = side.ApiVip ?? "<IPv6 API VIP: allocated at --apply>";
        var ingressV6 = side.IngressVip ?? "<IPv6 Ingress VIP: allocated at --apply>";

        JsonPatch network;
        JsonPatch infrastructure;
        var files = new List<GeneratedFile>();
        var notes = new List<string>();
        if (plan.Target == ConversionTarget.DualStack)
        {
            network = new JsonPatch([
                new("test", "/spec/serviceNetwork/0", v4Service.FirstOrDefault()),
                new("add", "/spec/clusterNetwork/-", ClusterEntry(side.ClusterNetwork, side.HostPrefix)),
                new("add", "/spec/serviceNetwork/-", side.ServiceNetwork),
            ]);
            infrastructure = new JsonPatch([
                new("test", "/spec/platformSpec/type", "OpenStack"),
                new("add", "/spec/platformSpec/openstack", new JsonObject
                {
                    ["apiServerInternalIPs"] = Strings([.. v4Api, apiV6]),
                    ["ingressIPs"] = Strings([.. v4Ingress, ingressV6]),
                    ["machineNetworks"] = Strings([.. v4Machine, side.SubnetCidr]),
                }),
            ]);
            notes.AddRange(DualStackNotes);
            if (pending is null && plan.TargetConfig is { } target)
            {
                var inputs = Inputs(target, facts);
                foreach (var mc in MachineConfigManifests.DualStack(inputs))
                {
                    files.Add(Rename(mc.Render(), Folder + "/" + FileName(mc.Path)));
                }

                var machines = ClusterMachines.From(target, facts.InfraId, inputs.Pools);
                foreach (var spec in MachineManifests.ControlPlane(inputs, machines).Concat(MachineManifests.Workers(inputs)))
                {
                    files.Add(Rename(spec.Render(), Folder + "/machines/" + FileName(spec.Path)));
                }
            }
        }
        else
        {
            var clusterIndex = v4Cluster.Count.ToString(CultureInfo.InvariantCulture);
            var serviceIndex = v4Service.Count.ToString(CultureInfo.InvariantCulture);
            network = new JsonPatch([
                new("test", "/spec/serviceNetwork/0", v4Service.FirstOrDefault()),
                new("test", "/spec/serviceNetwork/" + serviceIndex, side.ServiceNetwork),
                new("remove", "/spec/serviceNetwork/" + serviceIndex),
                new("test", "/spec/clusterNetwork/" + clusterIndex + "/cidr", side.ClusterNetwork),
                new("remove", "/spec/clusterNetwork/" + clusterIndex),
            ]);

            // "apiServerInternalIPs list is required once set": the lists stay, with their IPv4 entry only.
            infrastructure = new JsonPatch([
                new("test", "/spec/platformSpec/type", "OpenStack"),
                new("add", "/spec/platformSpec/openstack", new JsonObject
                {
                    ["apiServerInternalIPs"] = Strings(v4Api),
                    ["ingressIPs"] = Strings(v4Ingress),
                    ["machineNetworks"] = Strings(v4Machine),
                }),
            ]);
            notes.AddRange(SingleStackNotes);
            pending = null;
        }

        files.Add(GeneratedFile.Text(Folder + "/network-patch.json", network.ToJson() + "\n"));
        files.Add(GeneratedFile.Text(Folder + "/infrastructure-patch.json", infrastructure.ToJson() + "\n"));
        files.Add(GeneratedFile.Text(Folder + "/" + ScriptName, Script(plan, facts, side)));
        return new ClusterSideArtifacts(network, infrastructure, pending is null ? files : [], notes, pending);
    }

    /// <summary>What the dual-stack cluster side does, and what it cannot do.</summary>
    public static IReadOnlyList<string> DualStackNotes { get; } =
    [
        "MachineConfigs 99-dual-stack-master/-worker add the kernel argument ip=dhcp,dhcp6: the Machine Config Operator drains and reboots every node, one at a time per pool (a rolling reboot of the whole cluster).",
        "Each change to clusterNetwork, serviceNetwork or the VIPs reboots nodes again (conversion.md §4).",
        $"The cluster network operator REFUSES this Network change on OpenStack (\"{CnoRefusal}\", isNetworkChangeSafe since CNO f1db84bff, Feb 2023, still present as isConversionToDualStackSupported): the API server stores the patched Network config, but CNO reports Degraded and never rolls out IPv6 pod or service networking. The script therefore stops before the Network patch unless SHIFTSTACK_PATCH_NETWORK=1.",
        "OpenShift does not support IPv4 → dual-stack conversion on OpenStack (installer docs deploy_dual_stack_cluster.md, openshift-docs install-osp-dualstack). What this conversion gives you: every node and VIP port has its IPv6 address, the VIP pairs and the IPv6 security-group rules are in place, and the nodes configure IPv6 after the MachineConfig reboot. What it cannot give you: IPv6 pods and services, IPv6 VIPs managed by keepalived (the MCO derives IPFamilies from the service networks, which stay IPv4 while CNO refuses the change).",
        "The Infrastructure patch sets spec.platformSpec.openstack; whether an operator copies the new VIPs into status.platformStatus.openstack on OpenStack is unconfirmed.",
        "The Machine manifests under conversion/machines/ are those of the dual-stack install-config (both subnets on the cluster network). Patching the live MachineSets only affects new workers. Patching the ControlPlaneMachineSet makes it replace every master (RollingUpdate strategy) unless its strategy is OnDelete; the existing masters' ports already have their IPv6 addresses. The script patches them only with SHIFTSTACK_PATCH_MACHINES=1.",
    ];

    /// <summary>What the single-stack cluster side does.</summary>
    public static IReadOnlyList<string> SingleStackNotes { get; } =
    [
        "Order: run conversion/apply-cluster-side.sh (written by --plan) BEFORE convert --to single-stack --apply; removing the OpenStack side first takes away IPv6 VIP pairs, rules and addresses the cluster may still use.",
        "Dual-stack → single-stack IPv4 is not blocked by CNO (it checks only that the primary service network is unchanged and existing cluster networks are not reordered) but is not documented for OpenStack; whether it is supported is unconfirmed (conversion.md §3).",
        "Deleting the 99-dual-stack-master/-worker MachineConfigs and changing the Network config and VIPs each trigger a rolling reboot of every node.",
        "The Infrastructure VIP lists keep their IPv4 entry: the CRD refuses to remove a list once set (\"apiServerInternalIPs list is required once set\"), its second entry can be removed.",
    ];

    private static string Script(ConversionPlan plan, ConversionFacts facts, Ipv6Side side)
    {
        var sb = new StringBuilder();
        sb.Append("#!/usr/bin/env bash\n");
        sb.Append("# Generated by: shiftstack convert --to ").Append(plan.Target == ConversionTarget.DualStack ? "dual-stack" : "single-stack")
            .Append(" (cluster ").Append(facts.InfraId).Append(")\n");
        sb.Append("# Run it with a kubeconfig of the cluster (oc whoami must work). Read this first:\n");
        foreach (var note in plan.Target == ConversionTarget.DualStack ? DualStackNotes : SingleStackNotes)
        {
            sb.Append("#  - ").Append(note).Append('\n');
        }

        sb.Append("set -euo pipefail\ncd \"$(dirname \"${BASH_SOURCE[0]}\")\"\n\n");
        if (plan.Target == ConversionTarget.DualStack)
        {
            sb.Append("echo '1/4 MachineConfigs 99-dual-stack-master/-worker (kernel argument ip=dhcp,dhcp6): rolling reboot of every node'\n");
            sb.Append("oc apply -f 99_openshift-machineconfig_99-dual-stack-master.yaml -f 99_openshift-machineconfig_99-dual-stack-worker.yaml\n");
            sb.Append("oc wait machineconfigpool --all --for=condition=Updated=True --timeout=120m\n\n");
            sb.Append("echo '2/4 Infrastructure: IPv6 API/Ingress VIPs and machine network'\n");
            sb.Append("oc patch infrastructure.config.openshift.io cluster --type=json --patch-file infrastructure-patch.json\n\n");
            sb.Append("echo '3/4 Network: IPv6 cluster network ").Append(side.ClusterNetwork).Append(" and service network ").Append(side.ServiceNetwork).Append("'\n");
            sb.Append("if [ \"${SHIFTSTACK_PATCH_NETWORK:-0}\" != 1 ]; then\n");
            sb.Append("  echo \"   skipped: the cluster network operator refuses it on OpenStack ('").Append(CnoRefusal).Append("'); set SHIFTSTACK_PATCH_NETWORK=1 to send it anyway\"\n");
            sb.Append("elif oc get network.config.openshift.io cluster -o jsonpath='{.spec.serviceNetwork}' | grep -qF '").Append(side.ServiceNetwork).Append("'; then\n");
            sb.Append("  echo '   already patched'\n");
            sb.Append("else\n");
            sb.Append("  oc patch network.config.openshift.io cluster --type=json --patch-file network-patch.json\n");
            sb.Append("  oc wait clusteroperator network --for=condition=Progressing=False --timeout=60m\n");
            sb.Append("fi\n\n");
            sb.Append("echo '4/4 MachineSets and ControlPlaneMachineSet: IPv6 subnet for new machines'\n");
            sb.Append("if [ \"${SHIFTSTACK_PATCH_MACHINES:-0}\" != 1 ]; then\n");
            sb.Append("  echo '   skipped: set SHIFTSTACK_PATCH_MACHINES=1 (the ControlPlaneMachineSet then replaces every master unless its strategy is OnDelete)'\n");
            sb.Append("else\n");
            var subnetPatch = "[{\"op\":\"add\",\"path\":\"/spec/template/spec/providerSpec/value/networks/0/subnets/-\",\"value\":{\"filter\":{\"id\":\"" + side.SubnetId + "\"}}}]";
            var cpmsPatch = "[{\"op\":\"add\",\"path\":\"/spec/template/machines_v1beta1_machine_openshift_io/spec/providerSpec/value/networks/0/subnets/-\",\"value\":{\"filter\":{\"id\":\"" + side.SubnetId + "\"}}}]";
            sb.Append("  for ms in $(oc get machinesets.machine.openshift.io -n openshift-machine-api -l machine.openshift.io/cluster-api-cluster=").Append(facts.InfraId).Append(" -o name); do\n");
            sb.Append("    oc get \"$ms\" -n openshift-machine-api -o jsonpath='{.spec.template.spec.providerSpec.value.networks[0].subnets}' | grep -qF '").Append(side.SubnetId)
                .Append("' || oc patch \"$ms\" -n openshift-machine-api --type=json -p '").Append(subnetPatch).Append("'\n");
            sb.Append("  done\n");
            sb.Append("  oc get controlplanemachineset.machine.openshift.io cluster -n openshift-machine-api -o jsonpath='{.spec.template.machines_v1beta1_machine_openshift_io.spec.providerSpec.value.networks[0].subnets}' | grep -qF '")
                .Append(side.SubnetId).Append("' || oc patch controlplanemachineset.machine.openshift.io cluster -n openshift-machine-api --type=json -p '").Append(cpmsPatch).Append("'\n");
            sb.Append("fi\n");
        }
        else
        {
            sb.Append("echo '1/3 Network: remove the IPv6 cluster and service networks'\n");
            sb.Append("if oc get network.config.openshift.io cluster -o jsonpath='{.spec.serviceNetwork}' | grep -qF '").Append(side.ServiceNetwork).Append("'; then\n");
            sb.Append("  oc patch network.config.openshift.io cluster --type=json --patch-file network-patch.json\n");
            sb.Append("else\n  echo '   not dual-stack: nothing to remove'\nfi\n\n");
            sb.Append("echo '2/3 Infrastructure: IPv4 VIPs and machine network only'\n");
            sb.Append("oc patch infrastructure.config.openshift.io cluster --type=json --patch-file infrastructure-patch.json\n\n");
            sb.Append("echo '3/3 MachineConfigs 99-dual-stack-master/-worker: deleted (rolling reboot of every node)'\n");
            sb.Append("oc delete machineconfig 99-dual-stack-master 99-dual-stack-worker --ignore-not-found\n");
            sb.Append("oc wait machineconfigpool --all --for=condition=Updated=True --timeout=120m\n");
        }

        return sb.ToString();
    }

    /// <summary>The generator inputs for a config (identity and facts as far as the generators use them).</summary>
    private static ClusterInputs Inputs(InstallConfiguration config, ConversionFacts facts)
    {
        var os = config.Platform.OpenStack!;
        var identity = new ClusterIdentity(config.Metadata.Name ?? facts.InfraId, facts.InfraId, string.Empty);
        var pools = ResolvedPools.From(config);
        var primary = os.ControlPlanePort is { FixedIPs.Count: > 0 } cpp ? cpp.FixedIPs[0].Subnet.Id : null;
        var cloudFacts = new CloudFacts(facts.ClusterNetwork.Id, false, string.IsNullOrEmpty(primary) ? null : primary, null, null, null, [],
            string.IsNullOrEmpty(facts.ClusterNetwork.Name) ? null : facts.ClusterNetwork.Name);
        return new ClusterInputs(config, identity, pools, cloudFacts);
    }

    private static GeneratedFile Rename(GeneratedFile file, string path) => file with { Path = path };

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static JsonObject ClusterEntry(string cidr, int hostPrefix)
    {
        var o = new JsonObject { ["cidr"] = cidr };
        if (hostPrefix != 0)
        {
            o["hostPrefix"] = hostPrefix;
        }

        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static IpFamily? FamilyOf(string? cidr) => Cidr.TryParse(cidr, out var c, out _) ? c.Family : null;

    private static IpFamily? FamilyOfAddress(string text) =>
        IpAddresses.TryParse(text, out System.Net.IPAddress? a) ? IpAddresses.FamilyOf(a) : null;

    private static string CidrText(string? cidr) => Cidr.TryParse(cidr, out var c, out _) ? c.ToString() : cidr ?? string.Empty;
}
