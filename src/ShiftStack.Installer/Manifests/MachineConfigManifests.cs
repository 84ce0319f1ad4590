using System.Text;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Ignition;
using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Manifests;

/// <summary>
/// Installer MachineConfigs (manifests.md §5; reference <c>pkg/asset/machines/machineconfig/</c>) and the
/// user-data secrets MAPO boots machines with.
/// </summary>
public static class MachineConfigManifests
{
    /// <summary>The kernel argument of the dual-stack MachineConfigs.</summary>
    public const string DualStackKernelArgument = "ip=dhcp,dhcp6";

    /// <summary>
    /// <c>99-dual-stack-&lt;role&gt;</c> for master and worker when there are 2 service networks (HEAD condition):
    /// an empty Ignition 3.2.0 config and <c>kernelArguments: [ip=dhcp,dhcp6]</c>.
    /// </summary>
    public static IReadOnlyList<GeneratedFileSpec> DualStack(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!inputs.HasTwoServiceNetworks)
        {
            return [];
        }
        return MachineRole.NodePools.Select(role => new GeneratedFileSpec(
            $"openshift/99_openshift-machineconfig_99-dual-stack-{role}.yaml",
            MachineConfig($"99-dual-stack-{role}", role, IgnitionConfigs.Empty(), Node.Strings([DualStackKernelArgument])))).ToList();
    }

    /// <summary><c>99-&lt;role&gt;-ssh</c>: the SSH key for user core, when the install-config has one.</summary>
    public static IReadOnlyList<GeneratedFileSpec> SshKeys(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (string.IsNullOrEmpty(inputs.Config.SshKey))
        {
            return [];
        }
        return MachineRole.NodePools.Select(role =>
        {
            var config = IgnitionConfigs.Empty().Add("passwd", new MapNode().Add("users", new ListNode([
                new MapNode().Add("name", "core").Add("sshAuthorizedKeys", Node.Strings([inputs.Config.SshKey!]))])));
            return new GeneratedFileSpec($"openshift/99_openshift-machineconfig_99-{role}-ssh.yaml",
                MachineConfig($"99-{role}-ssh", role, config, Node.Null));
        }).ToList();
    }

    private static MapNode MachineConfig(string name, MachineRole role, MapNode ignition, Node kernelArguments) =>
        K8s.Object("machineconfiguration.openshift.io/v1", "MachineConfig",
                K8s.Meta(name, labels: [K8s.Label("machineconfiguration.openshift.io/role", role.Name)]))
            .Add("spec", new MapNode()
                .Add("baseOSExtensionsContainerImage", string.Empty)
                .Add("config", ignition)
                .Add("extensions", Node.Null)
                .Add("fips", false)
                .Add("kernelArguments", kernelArguments)
                .Add("kernelType", string.Empty)
                .Add("osImageURL", string.Empty));

    /// <summary>
    /// <c>openshift/99_openshift-cluster-api_&lt;role&gt;-user-data-secret.yaml</c>: the pointer Ignition config
    /// MAPO passes to new machines.
    /// </summary>
    public static GeneratedFileSpec UserDataSecret(MachineRole role, string pointerIgnitionJson)
    {
        var secret = new MapNode()
            .Add("apiVersion", "v1")
            .Add("data", new MapNode()
                .Add("disableTemplating", Convert.ToBase64String(Encoding.UTF8.GetBytes("true")))
                .Add("userData", Convert.ToBase64String(Encoding.UTF8.GetBytes(pointerIgnitionJson))))
            .Add("kind", "Secret")
            .Add("metadata", new MapNode().Add("name", $"{role}-user-data").Add("namespace", "openshift-machine-api"))
            .Add("type", "Opaque");
        return new($"openshift/99_openshift-cluster-api_{role}-user-data-secret.yaml", secret);
    }
}
