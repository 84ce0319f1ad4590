using System.Text;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Planning;
using ShiftStack.Networking;

namespace ShiftStack.Installer.Ignition;

/// <summary>
/// Ignition spec 3.2.0 configs as the reference writes them (Go structs generated from the schema, fields in
/// alphabetical order, empty structs left out like the installer's <c>ignition.Marshal</c>).
/// </summary>
public static class IgnitionConfigs
{
    /// <summary>The Ignition spec version the reference emits at HEAD.</summary>
    public const string Version = "3.2.0";

    /// <summary>
    /// A <c>data:</c> URL like <c>dataurl.EncodeBytes</c>: <c>data:text/plain;charset=utf-8;base64,…</c> for UTF-8
    /// text, <c>data:application/octet-stream;base64,…</c> otherwise.
    /// </summary>
    public static string DataUrl(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var type = IsText(content) ? "text/plain;charset=utf-8" : "application/octet-stream";
        return $"data:{type};base64,{Convert.ToBase64String(content)}";
    }

    private static bool IsText(byte[] content)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(content);
            return !text.Any(c => c < ' ' && c is not ('\n' or '\r' or '\t' or '\f' or '\u001b'));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The pointer config a master or worker boots with: merge the role's config from the machine-config server on
    /// <c>api-int.&lt;cluster domain&gt;:22623</c>, trusting the installer's root CA.
    /// </summary>
    public static MapNode Pointer(string clusterDomain, string rootCaPem, MachineRole role)
    {
        ArgumentNullException.ThrowIfNull(rootCaPem);
        return new MapNode().Add("ignition", new MapNode()
            .Add("config", new MapNode().Add("merge", new ListNode([
                new MapNode().Add("source", $"https://api-int.{clusterDomain}:22623/config/{role}")])))
            .Add("security", new MapNode().Add("tls", new MapNode().Add("certificateAuthorities", new ListNode([
                new MapNode().Add("source", DataUrl(Encoding.UTF8.GetBytes(rootCaPem)))]))))
            .Add("version", Version));
    }

    /// <summary>An Ignition file entry (reference <c>ignition.FileFromBytes</c>: overwrite, owned by root).</summary>
    public static MapNode File(string path, int mode, byte[] content) => new MapNode()
        .Add("overwrite", true)
        .Add("path", path)
        .Add("user", new MapNode().Add("name", "root"))
        .Add("contents", new MapNode().Add("source", DataUrl(content)))
        .Add("mode", mode);

    /// <summary>A config with only the version (the dual-stack MachineConfigs' <c>spec.config</c>).</summary>
    public static MapNode Empty() => new MapNode().Add("ignition", new MapNode().Add("version", Version));

    /// <summary>The content of <c>/etc/NetworkManager/conf.d/02-ipv6.conf</c>: EUI-64 IPv6 addresses.</summary>
    public const string Ipv6Conf = "[connection]\nipv6.addr-gen-mode=0\n";

    /// <summary>The content of <c>/etc/NetworkManager/conf.d/99-openstack.conf</c>.</summary>
    public const string OpenStackNmConf = "[main]\nrc-manager=unmanaged\n";

    /// <summary>
    /// The bootstrap Ignition: the subset of the reference's bootstrap files that matters for an OpenStack
    /// (dual-stack) bootstrap node, the pull secret for the container runtime, and the SSH key for user core.
    /// </summary>
    public static MapNode Bootstrap(ClusterInputs inputs, string? bootstrapNodeIp)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var config = inputs.Config;
        var files = new ListNode();
        files.Add(File("/etc/NetworkManager/conf.d/02-ipv6.conf", Convert.ToInt32("600", 8), Encoding.UTF8.GetBytes(Ipv6Conf)));
        files.Add(File("/etc/NetworkManager/conf.d/99-openstack.conf", Convert.ToInt32("600", 8), Encoding.UTF8.GetBytes(OpenStackNmConf)));
        files.Add(File("/root/.docker/config.json", Convert.ToInt32("600", 8), Encoding.UTF8.GetBytes(config.PullSecret?.Reveal() ?? string.Empty)));
        files.Add(File("/usr/local/bin/kubelet.sh", Convert.ToInt32("555", 8), Encoding.UTF8.GetBytes(KubeletScript(inputs, bootstrapNodeIp))));

        var ignition = new MapNode().Add("ignition", new MapNode().Add("version", Version));
        if (!string.IsNullOrEmpty(config.SshKey))
        {
            ignition.Add("passwd", new MapNode().Add("users", new ListNode([
                new MapNode().Add("name", "core").Add("sshAuthorizedKeys", Node.Strings([config.SshKey]))])));
        }
        ignition.Add("storage", new MapNode().Add("files", files));
        return ignition;
    }

    /// <summary>
    /// True when the bootstrap kubelet gets <c>--node-ip=::</c>: the first service network is IPv6 (reference
    /// <c>UseIPv6ForNodeIP</c>) and no bootstrap node IP is set.
    /// </summary>
    public static bool UsesIpv6NodeIp(ClusterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var services = inputs.Config.Networking!.ServiceNetwork;
        var first = services.Count > 0 ? services[0] : null;
        return Cidr.TryParse(first, out var c, out _) && c.Family == IpFamily.IPv6;
    }

    private static string KubeletScript(ClusterInputs inputs, string? bootstrapNodeIp)
    {
        // data/data/bootstrap/files/usr/local/bin/kubelet.sh.template as the installer renders it: the service-record
        // helper is sourced first and the runtime request timeout comes from its environment (the space before
        // /usr/bin/kubelet is the template's).
        var sb = new StringBuilder("#!/usr/bin/env bash\n\n# shellcheck source=bootstrap-service-record.sh\n. /usr/local/bin/bootstrap-service-record.sh\n\n /usr/bin/kubelet \\\n");
        sb.Append("    --anonymous-auth=false \\\n");
        sb.Append("    --container-runtime-endpoint=/var/run/crio/crio.sock \\\n");
        sb.Append("    --runtime-request-timeout=\"${KUBELET_RUNTIME_REQUEST_TIMEOUT}\" \\\n");
        if (!string.IsNullOrEmpty(bootstrapNodeIp))
        {
            sb.Append("    --node-ip=\"").Append(bootstrapNodeIp).Append("\" \\\n");
            sb.Append("    --address=\"").Append(bootstrapNodeIp).Append("\" \\\n");
        }
        else if (UsesIpv6NodeIp(inputs))
        {
            sb.Append("    --node-ip=:: \\\n");
        }
        sb.Append("    --pod-manifest-path=/etc/kubernetes/manifests \\\n");
        sb.Append("    --minimum-container-ttl-duration=6m0s \\\n");
        sb.Append("    --cluster-domain=cluster.local \\\n");
        sb.Append("    --cgroup-driver=systemd \\\n");
        sb.Append("    --serialize-image-pulls=false \\\n");
        sb.Append("    --v=2 \\\n");
        sb.Append("    --volume-plugin-dir=/etc/kubernetes/kubelet-plugins/volume/exec\n");
        return sb.ToString();
    }
}
