using System.Net;
using System.Text.Json.Nodes;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Conversion;
using ShiftStack.Installer.Manifests;
using ShiftStack.Installer.Tests.Manifests;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using static ShiftStack.Installer.Tests.Conversion.ConversionScenario;

namespace ShiftStack.Installer.Tests.Conversion;

/// <summary>
/// The cluster side: every patch is applied to the Network / Infrastructure object the single-stack cluster was
/// installed with (ShiftStack's own generators) and the result validated against the real CRD schemas, plus the CEL
/// rules the schema conversion drops.
/// </summary>
public class ClusterSideTests
{
    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateful")]
    public void Dual_stack_patches_give_valid_Network_and_Infrastructure_objects(string mode)
    {
        var (facts, plan, side) = Converted(mode);

        var network = side.NetworkPatch.Apply(Base(facts.Config, "Network"));
        var infra = side.InfrastructurePatch.Apply(Base(facts.Config, "Infrastructure"));

        SchemaValidation.ValidateObject(network).ShouldBeEmpty();
        SchemaValidation.ValidateObject(infra).ShouldBeEmpty();
        var spec = network["spec"]!;
        spec["clusterNetwork"]!.ToJsonString().ShouldBe("""[{"cidr":"10.128.0.0/14","hostPrefix":23},{"cidr":"fd01::/48","hostPrefix":64}]""");
        spec["serviceNetwork"]!.ToJsonString().ShouldBe("""["172.30.0.0/16","fd02::/112"]""");
        var os = infra["spec"]!["platformSpec"]!["openstack"]!;
        Strings(os["apiServerInternalIPs"]).ShouldBe([ApiVip, plan.Ipv6!.ApiVip!]);
        Strings(os["ingressIPs"]).ShouldBe([IngressVip, plan.Ipv6.IngressVip!]);
        Strings(os["machineNetworks"]).ShouldBe([V4Cidr, V6Cidr]);
        CelRules(os).ShouldBeEmpty();
    }

    [Fact]
    public void Reverse_patches_restore_the_single_stack_lists_and_keep_the_VIP_lists()
    {
        // Given the cluster after the dual-stack patches.
        var (facts, _, side) = Converted("dhcpv6-stateful");
        var baseNetwork = Base(facts.Config, "Network");
        var baseInfra = Base(facts.Config, "Infrastructure");
        var dualNetwork = side.NetworkPatch.Apply(baseNetwork);
        var dualInfra = side.InfrastructurePatch.Apply(baseInfra);

        // When the reversal's patches are applied.
        var (converted, record) = Simulate(facts, ConversionPlanner.Plan(facts, DualStack()));
        var reverse = ConversionPlanner.Plan(converted with { Record = record }, SingleStack());
        var back = ClusterSideArtifacts.Build(reverse, converted with { Record = record });
        var network = back.NetworkPatch.Apply(dualNetwork);
        var infra = back.InfrastructurePatch.Apply(dualInfra);

        // Then the lists are those of the installation; the VIP lists are still there (required once set).
        SchemaValidation.ValidateObject(network).ShouldBeEmpty();
        SchemaValidation.ValidateObject(infra).ShouldBeEmpty();
        JsonNode.DeepEquals(network["spec"], baseNetwork["spec"]).ShouldBeTrue(network["spec"]!.ToJsonString());
        JsonNode.DeepEquals(infra["spec"]!["platformSpec"], baseInfra["spec"]!["platformSpec"]).ShouldBeTrue(infra["spec"]!.ToJsonString());
        var os = infra["spec"]!["platformSpec"]!["openstack"]!;
        Strings(os["apiServerInternalIPs"]).ShouldBe([ApiVip]);
        CelRules(os, old: dualInfra["spec"]!["platformSpec"]!["openstack"]).ShouldBeEmpty();
        back.Pending.ShouldBeNull();
        back.Files.Select(f => f.Path).ShouldBe(["conversion/network-patch.json", "conversion/infrastructure-patch.json", "conversion/apply-cluster-side.sh"]);
        back.Files[2].ContentText.ShouldContain("oc delete machineconfig 99-dual-stack-master 99-dual-stack-worker --ignore-not-found");
    }

    [Fact]
    public void Reverse_network_patch_refuses_a_cluster_whose_lists_differ()
    {
        var (facts, _, _) = Converted("slaac");
        var (converted, record) = Simulate(facts, ConversionPlanner.Plan(facts, DualStack()));
        var reverse = ConversionPlanner.Plan(converted with { Record = record }, SingleStack());
        var back = ClusterSideArtifacts.Build(reverse, converted with { Record = record });

        // The single-stack object has no IPv6 entry at the index the patch tests.
        Should.Throw<InvalidOperationException>(() => back.NetworkPatch.Apply(Base(facts.Config, "Network")));
    }

    [Fact]
    public void Dual_stack_MachineConfigs_set_the_kernel_argument_and_validate()
    {
        var (_, _, side) = Converted("slaac");

        var configs = side.Files.Where(f => f.Path.Contains("99-dual-stack", StringComparison.Ordinal)).ToList();

        configs.Select(f => f.Path).ShouldBe([
            "conversion/99_openshift-machineconfig_99-dual-stack-master.yaml",
            "conversion/99_openshift-machineconfig_99-dual-stack-worker.yaml",
        ]);
        foreach (var file in configs)
        {
            var obj = TestSupport.YamlToJson(file.ContentText)!;
            SchemaValidation.ValidateObject(obj).ShouldBeEmpty(file.Path);
            SchemaValidation.ValidateIgnition(obj["spec"]!["config"]!).ShouldBeEmpty(file.Path);
            Strings(obj["spec"]!["kernelArguments"]).ShouldBe([MachineConfigManifests.DualStackKernelArgument]);
        }
    }

    [Fact]
    public void Machine_manifests_carry_both_subnets_and_validate()
    {
        var (_, _, side) = Converted("slaac");

        var machines = side.Files.Where(f => f.Path.StartsWith("conversion/machines/", StringComparison.Ordinal)).ToList();

        machines.Count.ShouldBe(3 + 1 + 1, "3 masters, the CPMS, one worker MachineSet");
        foreach (var file in machines)
        {
            var obj = TestSupport.YamlToJson(file.ContentText)!;
            SchemaValidation.ValidateObject(obj).ShouldBeEmpty(file.Path);
            file.ContentText.ShouldContain("id: " + SubnetV6);
            file.ContentText.ShouldContain("id: " + SubnetV4);
        }
    }

    [Fact]
    public void Script_applies_in_order_and_gates_the_Network_patch_behind_the_CNO_refusal()
    {
        var (_, _, side) = Converted("slaac");

        var script = side.Files.Single(f => f.Path == "conversion/apply-cluster-side.sh").ContentText;

        script.ShouldStartWith("#!/usr/bin/env bash\n");
        script.ShouldContain(ClusterSideArtifacts.CnoRefusal);
        script.ShouldContain("rolling reboot");
        script.ShouldContain("SHIFTSTACK_PATCH_NETWORK");
        script.ShouldContain("oc patch infrastructure.config.openshift.io cluster --type=json --patch-file infrastructure-patch.json");
        script.ShouldContain("oc patch network.config.openshift.io cluster --type=json --patch-file network-patch.json");
        script.IndexOf("99-dual-stack-master.yaml", StringComparison.Ordinal).ShouldBeLessThan(script.IndexOf("infrastructure-patch.json", StringComparison.Ordinal));
        script.IndexOf("infrastructure-patch.json", StringComparison.Ordinal).ShouldBeLessThan(script.IndexOf("network-patch.json", StringComparison.Ordinal));
        side.Notes.ShouldContain(n => n.Contains("REFUSES", StringComparison.Ordinal));
    }

    [Fact]
    public void Stateful_plan_shows_the_patches_with_placeholders_and_writes_nothing_yet()
    {
        var scenario = new ConversionScenario { Mode = Ipv6Mode.Dhcpv6Stateful };
        var facts = scenario.Facts();
        var plan = ConversionPlanner.Plan(facts, DualStack());

        var side = ClusterSideArtifacts.Build(plan, facts);

        side.Pending.ShouldNotBeNull();
        side.Files.ShouldBeEmpty();
        side.InfrastructurePatch.ToJson().ShouldContain("allocated at --apply");
    }

    [Fact]
    public void Json_patch_supports_append_test_and_remove()
    {
        var doc = JsonNode.Parse("""{"a":[1,2],"b":{"c":"x"}}""")!;
        var patch = new JsonPatch([
            new("test", "/b/c", "x"),
            new("add", "/a/-", 3),
            new("remove", "/a/0"),
            new("add", "/b/d", new JsonObject { ["e"] = true }),
            new("replace", "/b/c", "y"),
        ]);

        patch.Apply(doc).ToJsonString().ShouldBe("""{"a":[2,3],"b":{"c":"y","d":{"e":true}}}""");
        doc.ToJsonString().ShouldBe("""{"a":[1,2],"b":{"c":"x"}}""", "the input is not modified");
        patch.ToJson().ShouldBe("""[{"op":"test","path":"/b/c","value":"x"},{"op":"add","path":"/a/-","value":3},{"op":"remove","path":"/a/0"},{"op":"add","path":"/b/d","value":{"e":true}},{"op":"replace","path":"/b/c","value":"y"}]""");
        Should.Throw<InvalidOperationException>(() => new JsonPatch([new("test", "/b/c", "z")]).Apply(doc));
        Should.Throw<InvalidOperationException>(() => new JsonPatch([new("replace", "/x/y", 1)]).Apply(doc));
    }

    private static (ConversionFacts Facts, ConversionPlan Plan, ClusterSideArtifacts Side) Converted(string mode)
    {
        var scenario = new ConversionScenario { Mode = new Ipv6Mode(mode) };
        var facts = scenario.Facts();
        var plan = ConversionPlanner.Plan(facts, DualStack());
        var (after, record) = Simulate(facts, plan);
        var final = ConversionPlanner.Plan(after with { Record = record }, DualStack());
        final.CanApply.ShouldBeTrue(string.Join("\n", final.Checks));
        return (facts, final, ClusterSideArtifacts.Build(final, after with { Record = record }));
    }

    /// <summary>The object ShiftStack generated when the single-stack cluster was installed.</summary>
    private static JsonNode Base(InstallConfiguration config, string kind)
    {
        var os = config.Platform.OpenStack!;
        var inputs = new ClusterInputs(
            config,
            new ClusterIdentity("single", InfraId, "00000000-0000-0000-0000-000000000000"),
            new ResolvedPools(ResolvedPool.From(config.ControlPlane!, os, "master"), config.Compute.Select(p => ResolvedPool.From(p, os, "worker")).ToList()),
            new CloudFacts(NetworkId, false, SubnetV4, null, null, null, []));
        var spec = kind == "Network" ? ClusterManifests.Network(inputs) : ClusterManifests.Infrastructure(inputs);
        return TestSupport.YamlToJson(spec.Render().ContentText)!;
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => (string)n!).ToList();

    /// <summary>The CEL rules of spec.platformSpec.openstack that the schema conversion drops (manifests.md §6).</summary>
    private static List<string> CelRules(JsonNode os, JsonNode? old = null)
    {
        var errors = new List<string>();
        foreach (var list in new[] { "apiServerInternalIPs", "ingressIPs" })
        {
            if (old?[list] is not null && os[list] is null)
            {
                errors.Add($"{list} list is required once set");
            }

            var ips = os[list]?.AsArray().Select(n => (string)n!).ToList() ?? [];
            if (ips.Any(ip => !IPAddress.TryParse(ip, out _)))
            {
                errors.Add($"{list}: value must be a valid IP address");
            }
            else if (ips.Count == 2 && IpAddresses.FamilyOf(IPAddress.Parse(ips[0])) == IpAddresses.FamilyOf(IPAddress.Parse(ips[1])))
            {
                errors.Add($"{list} must contain at most one IPv4 address and at most one IPv6 address");
            }
        }

        var networks = os["machineNetworks"]?.AsArray().Select(n => (string)n!).ToList() ?? [];
        if (networks.Distinct().Count() != networks.Count || networks.Any(n => !Cidr.TryParse(n, out _, out _)))
        {
            errors.Add("machineNetworks: unique valid CIDRs");
        }

        return errors;
    }
}
