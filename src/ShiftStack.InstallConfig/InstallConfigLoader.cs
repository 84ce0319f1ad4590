using System.Globalization;
using System.Text;
using ShiftStack.InstallConfig.Loading;
using ShiftStack.InstallConfig.Validation;
using YamlDotNet.Core;
using static ShiftStack.InstallConfig.Loading.ConfigReader;

namespace ShiftStack.InstallConfig;

/// <summary>
/// Reads <c>install-config.yaml</c> into an <see cref="InstallConfiguration"/>. Never throws for user errors:
/// every problem becomes a <see cref="Diagnostic"/> with file, line, column and field path.
/// </summary>
/// <remarks>
/// Like the reference, unknown fields only produce warnings and the file is read leniently. Unlike the
/// reference, the loader also refuses files larger than <see cref="MaxFileBytes"/>, nesting deeper than
/// <see cref="YamlTreeBuilder.MaxDepth"/>, more than one document and alias expansion bombs.
/// </remarks>
public static class InstallConfigLoader
{
    /// <summary>Largest accepted file: 10 MiB.</summary>
    public const long MaxFileBytes = 10L * 1024 * 1024;

    /// <summary>Platform names known to the install-config schema (sorted).</summary>
    public static IReadOnlyList<string> KnownPlatformNames { get; } =
        ["aws", "azure", "baremetal", "external", "gcp", "ibmcloud", "none", "nutanix", "openstack", "ovirt", "powervs", "vsphere"];

    private static readonly string[] MachinePoolPlatformNames =
        ["aws", "azure", "baremetal", "gcp", "ibmcloud", "nutanix", "openstack", "ovirt", "powervs", "vsphere"];

    /// <summary>Reads and parses a file. The size is checked before reading.</summary>
    public static LoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var source = new SourceMap(path);
        try
        {
            if (Directory.Exists(path))
            {
                return Fail(source, $"{path} is a directory, not a file");
            }
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return Fail(source, $"file not found: {path}");
            }
            if (info.Length > MaxFileBytes)
            {
                return Fail(source, string.Create(CultureInfo.InvariantCulture,
                    $"file is too large ({info.Length} bytes); an install-config must not exceed {MaxFileBytes} bytes"));
            }
            string text;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true))
            {
                // Re-check while reading: the file may have grown since the size check. The buffers are sized by the
                // file, not by the limit (a limit-sized buffer cost 20 MB per load, bench/README.md).
                var builder = new StringBuilder((int)info.Length + 1);
                var chunk = new char[Math.Min(16 * 1024, (int)info.Length + 1)];
                int read;
                while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (builder.Length + read > MaxFileBytes)
                    {
                        return Fail(source, string.Create(CultureInfo.InvariantCulture,
                            $"file is too large; an install-config must not exceed {MaxFileBytes} bytes"));
                    }
                    builder.Append(chunk, 0, read);
                }
                text = builder.ToString();
            }
            return LoadText(text, path);
        }
        catch (DecoderFallbackException)
        {
            return NotUtf8(source, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException or ArgumentException)
        {
            return Fail(source, $"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>UTF-8 that refuses invalid bytes instead of turning them into U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file is not UTF-8 (a Latin-1 "é", for one): where its first invalid byte is.</summary>
    private static LoadResult NotUtf8(SourceMap source, string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        int line = 1, column = 1;
        while (!span.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(span, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"the file is not UTF-8: byte 0x{span[0]:X2} at line {line}, column {column} (a Latin-1 or Windows-1252 character?); save it as UTF-8");
                return new LoadResult(null, source, [new Diagnostic(DiagnosticSeverity.Error, message, null, new SourcePosition(path, line, column))]);
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            span = span[consumed..];
        }

        return Fail(source, "the file is not UTF-8; save it as UTF-8");
    }

    /// <summary>Line and column (1-based) of the first tab in a line's leading whitespace, if any.</summary>
    private static (int Line, int Column)? FirstIndentingTab(string yaml)
    {
        var line = 1;
        foreach (var text in yaml.Split('\n'))
        {
            for (var i = 0; i < text.Length && (text[i] == ' ' || text[i] == '\t'); i++)
            {
                if (text[i] == '\t')
                {
                    return (line, i + 1);
                }
            }

            line++;
        }

        return null;
    }

    /// <summary>Parses install-config YAML text; <paramref name="fileName"/> is used in positions.</summary>
    public static LoadResult LoadText(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var source = new SourceMap(fileName);
        if (yaml.Length > MaxFileBytes)
        {
            return Fail(source, string.Create(CultureInfo.InvariantCulture,
                $"input is too large ({yaml.Length} characters); an install-config must not exceed {MaxFileBytes} bytes"));
        }
        if (yaml.Length > 0 && yaml[0] == '\uFEFF')
        {
            yaml = yaml[1..]; // a byte-order mark is not content
        }
        var diagnostics = new List<Diagnostic>();
        YNode? root;
        try
        {
            root = YamlTreeBuilder.Build(yaml);
        }
        catch (YamlLoadException e)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, e.Message, null,
                new SourcePosition(fileName, (int)e.Position.Line, (int)e.Position.Column)));
            return new LoadResult(null, source, diagnostics);
        }
        catch (YamlException e) when (e.Message.Contains("tab character", StringComparison.Ordinal) && FirstIndentingTab(yaml) is var (line, column))
        {
            // The parser reports where it noticed, often lines earlier: say where the tab is.
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, "invalid YAML: a tab in the indentation; YAML indents with spaces only", null,
                new SourcePosition(fileName, line, column)));
            return new LoadResult(null, source, diagnostics);
        }
        catch (YamlException e)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, "invalid YAML: " + StripMark(e.Message), null,
                new SourcePosition(fileName, (int)e.Start.Line, (int)e.Start.Column)));
            return new LoadResult(null, source, diagnostics);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or InsufficientExecutionStackException)
        {
            // YamlTreeBuilder turns the parser's plain exceptions into positions; this is the last resort, never .NET text.
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, "invalid YAML: the YAML parser cannot read the file", null,
                new SourcePosition(fileName, 1, 1)));
            return new LoadResult(null, source, diagnostics);
        }

        if (root is null || (root is YScalar s && s.IsPlain && s.Value.Length == 0))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, "the install-config is empty", null,
                new SourcePosition(fileName, 1, 1)));
            return new LoadResult(null, source, diagnostics);
        }
        if (root is not YMapping)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error,
                $"the install-config must be a YAML mapping, got {root.KindName}", null,
                new SourcePosition(fileName, (int)root.Start.Line, (int)root.Start.Column)));
            return new LoadResult(null, source, diagnostics);
        }

        var reader = new ConfigReader(source, diagnostics);
        reader.Record(FieldPath.Empty, root);
        var config = ReadConfig(reader, reader.Mapping(root, FieldPath.Empty)!);
        var ordered = diagnostics
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Position?.Line ?? 0)
            .ThenBy(x => x.d.Position?.Column ?? 0)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();
        return new LoadResult(config, source, ordered);
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is reported separately.
        var idx = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && idx >= 0 ? message[(idx + 3)..] : message;
    }

    private static LoadResult Fail(SourceMap source, string message) =>
        new(null, source, [new Diagnostic(DiagnosticSeverity.Error, message, null, null)]);

    private static InstallConfiguration ReadConfig(ConfigReader r, MappingView m)
    {
        var config = new InstallConfiguration
        {
            ApiVersion = m.String("apiVersion"),
            Kind = m.String("kind"),
            Metadata = ReadMetadata(r, m.Mapping("metadata")),
            BaseDomain = m.String("baseDomain"),
            FeatureSet = m.String("featureSet"),
            FeatureGates = m.StringList("featureGates"),
            Networking = ReadNetworking(r, m.Mapping("networking")),
            ControlPlane = m.Has("controlPlane") ? ReadMachinePool(r, m.Mapping("controlPlane")) : null,
            Arbiter = m.Has("arbiter") ? ReadMachinePool(r, m.Mapping("arbiter")) : null,
            Compute = m.List("compute", (n, p) => ReadMachinePool(r, r.Mapping(n, p))),
            Platform = ReadPlatform(r, m.Mapping("platform")),
            PullSecret = m.String("pullSecret") is { } ps ? new Secret(ps) : null,
            SshKey = m.String("sshKey"),
            Proxy = ReadProxy(m.Mapping("proxy")),
            AdditionalTrustBundle = m.String("additionalTrustBundle"),
            AdditionalTrustBundlePolicy = m.String("additionalTrustBundlePolicy"),
            Publish = m.String("publish"),
            Fips = m.Boolean("fips") ?? false,
            Capabilities = ReadCapabilities(m.Mapping("capabilities")),
            CredentialsMode = m.String("credentialsMode"),
            CpuPartitioningMode = m.String("cpuPartitioningMode"),
            ImageContentSources = m.List("imageContentSources", (n, p) => ReadImageSource(r.Mapping(n, p))),
            ImageDigestSources = m.List("imageDigestSources", (n, p) => ReadImageSource(r.Mapping(n, p))),
            OperatorPublishingStrategy = ReadOperatorPublishingStrategy(m.Mapping("operatorPublishingStrategy")),
            BootstrapInPlace = ReadBootstrapInPlace(m),
        };
        m.Finish();
        return config;
    }

    private static ObjectMetadata ReadMetadata(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return new ObjectMetadata();
        }
        var meta = new ObjectMetadata { Name = m.String("name") };
        // Other ObjectMeta fields are accepted by the reference and have no effect on the install.
        m.Ignore("namespace", "labels", "annotations", "creationTimestamp", "generateName", "uid", "resourceVersion",
            "generation", "selfLink", "finalizers", "ownerReferences", "managedFields", "deletionTimestamp",
            "deletionGracePeriodSeconds");
        m.Finish();
        return meta;
    }

    private static NetworkingConfig? ReadNetworking(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var n = new NetworkingConfig
        {
            NetworkType = m.String("networkType"),
            MachineNetwork = m.List("machineNetwork", (node, p) => ReadMachineNetwork(r.Mapping(node, p))),
            ClusterNetwork = m.List("clusterNetwork", (node, p) => ReadClusterNetwork(r.Mapping(node, p))),
            ServiceNetwork = m.StringList("serviceNetwork"),
            ClusterNetworkMtu = m.Integer("clusterNetworkMTU", 0, uint.MaxValue),
            OvnKubernetesConfig = ReadOvn(m.Mapping("ovnKubernetesConfig")),
            DeprecatedMachineCidr = m.String("machineCIDR"),
            DeprecatedServiceCidr = m.String("serviceCIDR"),
            DeprecatedClusterNetworks = m.List("clusterNetworks", (node, p) => ReadClusterNetwork(r.Mapping(node, p))),
            DeprecatedType = m.String("type"),
        };
        m.Finish();
        return n;
    }

    private static MachineNetworkEntry? ReadMachineNetwork(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var e = new MachineNetworkEntry { Cidr = m.String("cidr") };
        m.Finish();
        return e;
    }

    private static ClusterNetworkEntry? ReadClusterNetwork(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var e = new ClusterNetworkEntry
        {
            Cidr = m.String("cidr"),
            HostPrefix = (int)(m.Integer("hostPrefix", int.MinValue, int.MaxValue) ?? 0),
            DeprecatedHostSubnetLength = (int)(m.Integer("hostSubnetLength", int.MinValue, int.MaxValue) ?? 0),
        };
        m.Finish();
        return e;
    }

    private static OvnKubernetesConfig? ReadOvn(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        OvnIPv4Config? v4 = null;
        if (m.Mapping("ipv4") is { } v4m)
        {
            v4 = new OvnIPv4Config { InternalJoinSubnet = v4m.String("internalJoinSubnet") };
            v4m.Finish();
        }
        m.Finish();
        return new OvnKubernetesConfig { IPv4 = v4 };
    }

    private static MachinePool? ReadMachinePool(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var pool = new MachinePool
        {
            Name = m.String("name"),
            Replicas = m.Integer("replicas", long.MinValue, long.MaxValue),
            Hyperthreading = m.String("hyperthreading"),
            Architecture = m.String("architecture"),
            Platform = ReadMachinePoolPlatform(r, m.Mapping("platform")),
        };
        m.Unsupported("diskSetup", "fencing");
        m.Finish();
        return pool;
    }

    private static MachinePoolPlatform ReadMachinePoolPlatform(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return new MachinePoolPlatform();
        }
        var others = new List<string>();
        foreach (var name in MachinePoolPlatformNames)
        {
            if (name != "openstack" && m.Has(name))
            {
                others.Add(name);
                m.Ignore(name);
            }
        }
        var p = new MachinePoolPlatform
        {
            OpenStack = ReadOpenStackMachinePool(r, m.Mapping("openstack")),
            Others = others,
        };
        m.Finish();
        return p;
    }

    private static OpenStackMachinePool? ReadOpenStackMachinePool(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var pool = new OpenStackMachinePool
        {
            FlavorName = m.String("type"),
            Zones = m.StringList("zones"),
            RootVolume = ReadRootVolume(m.Mapping("rootVolume")),
            AdditionalNetworkIds = m.StringList("additionalNetworkIDs"),
            AdditionalSecurityGroupIds = m.StringList("additionalSecurityGroupIDs"),
            ServerGroupPolicy = m.String("serverGroupPolicy"),
        };
        m.Finish();
        return pool;
    }

    private static RootVolume? ReadRootVolume(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var v = new RootVolume
        {
            Size = m.Integer("size", long.MinValue, long.MaxValue) ?? 0,
            DeprecatedType = m.String("type"),
            Types = m.StringList("types"),
            Zones = m.StringList("zones"),
        };
        m.Finish();
        return v;
    }

    private static Platform ReadPlatform(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return new Platform();
        }
        var others = new List<string>();
        foreach (var name in KnownPlatformNames)
        {
            if (name != "openstack" && m.Has(name))
            {
                others.Add(name);
                m.Ignore(name);
            }
        }
        var p = new Platform { OpenStack = ReadOpenStackPlatform(r, m.Mapping("openstack")), Others = others };
        m.Finish();
        return p;
    }

    private static OpenStackPlatform? ReadOpenStackPlatform(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var p = new OpenStackPlatform
        {
            Cloud = m.String("cloud"),
            ExternalNetwork = m.String("externalNetwork"),
            DeprecatedFlavorName = m.String("computeFlavor"),
            ApiFloatingIP = m.String("apiFloatingIP"),
            IngressFloatingIP = m.String("ingressFloatingIP"),
            DeprecatedLbFloatingIP = m.String("lbFloatingIP"),
            ApiVips = m.StringList("apiVIPs"),
            IngressVips = m.StringList("ingressVIPs"),
            DeprecatedApiVip = m.String("apiVIP"),
            DeprecatedIngressVip = m.String("ingressVIP"),
            ControlPlanePort = ReadPortTarget(r, m.Mapping("controlPlanePort")),
            DeprecatedMachinesSubnet = m.String("machinesSubnet"),
            LoadBalancer = ReadLoadBalancer(m.Mapping("loadBalancer")),
            ExternalDns = m.StringList("externalDNS"),
            ClusterOSImage = m.String("clusterOSImage"),
            ClusterOSImageProperties = r.StringMap(m.Get("clusterOSImageProperties"), m.PathOf("clusterOSImageProperties")),
            DefaultMachinePlatform = ReadOpenStackMachinePool(r, m.Mapping("defaultMachinePlatform")),
            DeprecatedRegion = m.String("region"),
            DeprecatedOctaviaSupport = m.String("octaviaSupport"),
            DeprecatedTrunkSupport = m.String("trunkSupport"),
        };
        m.Finish();
        return p;
    }

    private static PortTarget? ReadPortTarget(ConfigReader r, MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var network = new NetworkFilter();
        if (m.Mapping("network") is { } nm)
        {
            network = new NetworkFilter { Id = nm.String("id"), Name = nm.String("name") };
            nm.Finish();
        }
        var fixedIPs = m.List("fixedIPs", (node, path) =>
        {
            var fm = r.Mapping(node, path);
            if (fm is null)
            {
                // A null item decodes to an empty FixedIP in Go; keep it so validation sees it.
                return new FixedIP();
            }
            var subnet = new SubnetFilter();
            if (fm.Mapping("subnet") is { } sm)
            {
                subnet = new SubnetFilter { Id = sm.String("id"), Name = sm.String("name") };
                sm.Finish();
            }
            fm.Finish();
            return new FixedIP { Subnet = subnet };
        });
        m.Finish();
        return new PortTarget { Network = network, FixedIPs = fixedIPs };
    }

    private static LoadBalancerConfig? ReadLoadBalancer(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var lb = new LoadBalancerConfig { Type = m.String("type") };
        m.Finish();
        return lb;
    }

    // openshift-install reads bootstrapInPlace only for "create single-node-ignition-config" (and the agent installer);
    // its ValidateInstallConfig does not look at it, so an OpenStack install accepts it and ignores it.
    private static BootstrapInPlace? ReadBootstrapInPlace(MappingView parent)
    {
        if (parent.Mapping("bootstrapInPlace") is not { } m)
        {
            return null;
        }
        var b = new BootstrapInPlace { InstallationDisk = m.String("installationDisk") };
        m.Finish();
        parent.Warn("bootstrapInPlace",
            "bootstrapInPlace is used only for single-node bootstrap-in-place Ignition (openshift-install create " +
            "single-node-ignition-config); an OpenStack install ignores it: remove it");
        return b;
    }

    private static OperatorPublishingStrategy? ReadOperatorPublishingStrategy(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var o = new OperatorPublishingStrategy { ApiServer = m.String("apiserver"), Ingress = m.String("ingress") };
        m.Finish();
        return o;
    }

    private static ProxyConfig? ReadProxy(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var p = new ProxyConfig { HttpProxy = m.String("httpProxy"), HttpsProxy = m.String("httpsProxy"), NoProxy = m.String("noProxy") };
        m.Finish();
        return p;
    }

    private static CapabilitiesConfig? ReadCapabilities(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var c = new CapabilitiesConfig
        {
            BaselineCapabilitySet = m.String("baselineCapabilitySet"),
            AdditionalEnabledCapabilities = m.StringList("additionalEnabledCapabilities"),
        };
        m.Finish();
        return c;
    }

    private static ImageSource? ReadImageSource(MappingView? m)
    {
        if (m is null)
        {
            return null;
        }
        var s = new ImageSource { Source = m.String("source"), Mirrors = m.StringList("mirrors"), SourcePolicy = m.String("sourcePolicy") };
        m.Finish();
        return s;
    }
}
