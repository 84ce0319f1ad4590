using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.AssetGraph;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Lookups;
using ShiftStack.OpenStack.Networking;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiftStack.Installer.Tests.Manifests;

/// <summary>Paths, install-configs, fakes and a one-call generator for the manifest tests.</summary>
internal static partial class TestSupport
{
    public const string PullSecret = "{\"auths\":{\"registry.example.com\":{\"auth\":\"dGVzdDpwdWxsLXNlY3JldC1tYXJrZXI=\"}}}";
    public const string PullSecretMarker = "dGVzdDpwdWxsLXNlY3JldC1tYXJrZXI=";
    public const string ClusterId = "11111111-2222-4333-8444-555555555555";
    public const string InfraSuffix = "x7k2q";

    public static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string TestDataDir => Path.Combine(SourceDir(), "TestData");

    public static string GoldenDir => Path.Combine(SourceDir(), "Golden");

    public static string RepoRoot => Path.GetFullPath(Path.Combine(SourceDir(), "..", "..", ".."));

    /// <summary>The 12 manifest tests of HEAD.</summary>
    public static readonly string[] HeadManifestTests =
    [
        "additional-security-group", "base-case", "cinder-availability-zones", "convert", "dual-stack", "lb-default-stable",
        "lb-managed", "lb-unmanaged", "nova-availability-zones", "root-volume-types", "server-groups", "zero-workers",
    ];

    public static readonly string[] Examples = ["dual-stack", "dual-stack-ipv6-primary", "single-stack"];

    /// <summary>Golden case name → install-config text.</summary>
    public static string InstallConfigFor(string caseName) => caseName switch
    {
        _ when caseName.StartsWith("example-", StringComparison.Ordinal) =>
            File.ReadAllText(Path.Combine(RepoRoot, "examples", caseName["example-".Length..], "install-config.yaml")),
        _ when caseName.StartsWith("mt-", StringComparison.Ordinal) => ManifestTest(caseName["mt-".Length..]),
        _ => throw new ArgumentException(caseName),
    };

    /// <summary>A manifest-test install-config with its placeholders filled as the runner does.</summary>
    public static string ManifestTest(string name) =>
        File.ReadAllText(Path.Combine(TestDataDir, "manifest-tests", name + ".yaml"))
            .Replace("${COMPUTE_FLAVOR}", "m1.xlarge", StringComparison.Ordinal)
            .Replace("${BOOTSTRAP_FLAVOR}", "m1.large", StringComparison.Ordinal)
            .Replace("${OS_CLOUD}", "openstack", StringComparison.Ordinal)
            .Replace("${EXTERNAL_NETWORK}", "external", StringComparison.Ordinal)
            .Replace("${API_FIP}", "203.0.113.10", StringComparison.Ordinal)
            .Replace("${PULL_SECRET}", "'" + PullSecret + "'", StringComparison.Ordinal);

    public static IEnumerable<string> GoldenCases() =>
        Examples.Select(e => "example-" + e).Concat(HeadManifestTests.Select(t => "mt-" + t));

    public static TheoryData<string> GoldenCaseData()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenCases())
        {
            data.Add(c);
        }
        return data;
    }

    /// <summary>A fresh installation directory holding <paramref name="installConfig"/>.</summary>
    public static string NewDir(string installConfig)
    {
        var dir = Path.Combine(Path.GetTempPath(), "shiftstack-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "install-config.yaml"), installConfig);
        return dir;
    }

    /// <summary>Seeds the state with a fixed identity and the test CA, so generation is reproducible.</summary>
    public static void SeedState(string dir, string clusterName)
    {
        var ca = new RootCertificateAuthority(File.ReadAllText(Path.Combine(TestDataDir, "test-root-ca.crt")),
            "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n");
        new ClusterState(new ClusterIdentity(clusterName, ClusterState.InfraIdFor(clusterName, InfraSuffix), ClusterId), ca).Save(dir);
    }

    public static string ClusterNameOf(string installConfig) => ClusterName().Match(installConfig).Groups[1].Value.Trim();

    [GeneratedRegex(@"(?m)^metadata:\s*\n\s+name:\s*(\S+)")]
    private static partial Regex ClusterName();

    public static AssetInputs Inputs(string dir, FakeLookup? lookup) => new()
    {
        Directory = dir,
        Environment = _ => null,
        NetworkFacts = lookup is null ? null : lookup.CollectAsync,
        CloudSettings = new LocalCloudSettings("RegionOne", null),
        Identities = new FixedIdentities(),
    };

    /// <summary>Generates manifests and Ignition configs for a golden case; returns path → file.</summary>
    public static async Task<IReadOnlyDictionary<string, GeneratedFile>> GenerateCaseAsync(string caseName, FakeLookup? lookup = null)
    {
        var text = InstallConfigFor(caseName);
        var dir = NewDir(text);
        SeedState(dir, ClusterNameOf(text));
        return await GenerateAsync(dir, lookup ?? new FakeLookup());
    }

    public static async Task<IReadOnlyDictionary<string, GeneratedFile>> GenerateAsync(string dir, FakeLookup? lookup)
    {
        var store = new AssetStore(Inputs(dir, lookup));
        var files = new List<GeneratedFile>();
        files.AddRange(await AssetTarget.Manifests.GenerateAsync(store));
        files.AddRange(await AssetTarget.IgnitionConfigs.GenerateAsync(store));
        return files.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>Parses YAML into JSON nodes (plain scalars typed as YAML 1.1 core types).</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode sc => Scalar(sc),
        _ => throw new InvalidOperationException("unexpected YAML node"),
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? string.Empty;
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(v);
        }
        if (v is "" or "~" or "null")
        {
            return null;
        }
        if (v is "true" or "false")
        {
            return JsonValue.Create(v == "true");
        }
        if (long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        return JsonValue.Create(v);
    }

    public static JsonNode Yaml(this IReadOnlyDictionary<string, GeneratedFile> files, string path) =>
        YamlToJson(files[path].ContentText)!;

    public static IEnumerable<JsonNode> YamlMatching(this IReadOnlyDictionary<string, GeneratedFile> files, string pattern)
    {
        var regex = new Regex(pattern);
        return files.Keys.Where(k => regex.IsMatch(k)).Order(StringComparer.Ordinal).Select(k => files.Yaml(k));
    }
}

/// <summary>Identities that never change: tests that create a state get predictable values.</summary>
internal sealed class FixedIdentities : IIdentitySource
{
    public string InfraIdSuffix() => TestSupport.InfraSuffix;

    public string ClusterId() => TestSupport.ClusterId;

    public RSA NewRsaKey() => RSA.Create(2048);
}

/// <summary>
/// An in-process Neutron answering the network facts' look-ups (subnets by id or name, networks by id or name, the
/// network of the first subnet when none is given) as <c>NetworkFactsCollector</c> asks them. Records every look-up so
/// tests can assert what was asked.
/// </summary>
internal sealed class FakeLookup
{
    public static readonly Dictionary<string, (string Id, string NetworkId)> Subnets = new(StringComparer.Ordinal)
    {
        ["subnet-v4"] = ("1a4e0c4f-0d34-4a8c-9b7e-5d1f6c2b3a01", "9d2f6f0e-7d6b-4f3a-8a41-6c1b2e3d4f50"),
        ["subnet-v6"] = ("2b5f1d50-1e45-4b9d-8c8f-6e2a7d3c4b02", "9d2f6f0e-7d6b-4f3a-8a41-6c1b2e3d4f50"),
        ["cluster-subnet-v4"] = ("3c6a2e61-2f56-4cae-9d90-7f3b8e4d5c03", "8c1e5e9d-6c5a-4e29-9930-5b0a1d2c3e4f"),
        ["external-subnet"] = ("4d7b3f72-3a67-4dbf-8ea1-8a4c9f5e6d04", "7b0d4d8c-5b49-4d18-8829-4a9f0c1b2d3e"),
        ["external-subnet-v6"] = ("5e8c4a83-4b78-4ec0-9fb2-9b5d0a6f7e05", "7b0d4d8c-5b49-4d18-8829-4a9f0c1b2d3e"),
    };

    public static readonly Dictionary<string, string> Networks = new(StringComparer.Ordinal)
    {
        ["external"] = "6a9c3c7b-4a38-4c07-9718-3a8e9b0a1c2d",
        ["dualstack"] = "9d2f6f0e-7d6b-4f3a-8a41-6c1b2e3d4f50",
    };

    public List<string> Calls { get; } = [];

    public Task<NetworkFacts> CollectAsync(InstallConfiguration config, CancellationToken cancellationToken)
    {
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var port = os.ControlPlanePort;
        var subnets = (port?.FixedIPs ?? []).Select(f =>
        {
            Calls.Add($"subnet {f.Subnet.Id}/{f.Subnet.Name}");
            var found = Subnets.Where(kv => (string.IsNullOrEmpty(f.Subnet.Id) || kv.Value.Id == f.Subnet.Id) && (string.IsNullOrEmpty(f.Subnet.Name) || kv.Key == f.Subnet.Name))
                .Select(kv => new Subnet { Id = kv.Value.Id, Name = kv.Key, NetworkId = kv.Value.NetworkId })
                .ToArray();
            return Lookup.Of(f.Subnet.Id ?? f.Subnet.Name ?? string.Empty, found);
        }).ToList();
        Lookup<Network>? network = null;
        var derived = false;
        if (port is not null && (!string.IsNullOrEmpty(port.Network.Id) || !string.IsNullOrEmpty(port.Network.Name)))
        {
            Calls.Add($"network {port.Network.Id}/{port.Network.Name}");
            network = Lookup.Of(port.Network.Id ?? port.Network.Name ?? string.Empty, NetworksMatching(port.Network.Id, port.Network.Name));
        }
        else if (subnets.Select(l => l.Found).OfType<Subnet>().FirstOrDefault() is { } first)
        {
            Calls.Add($"subnet-network {first.Id}/{first.Name}");
            network = Lookup.Of(first.NetworkId, NetworksMatching(first.NetworkId, null));
            derived = true;
        }

        Lookup<Network>? external = null;
        if (!string.IsNullOrEmpty(os.ExternalNetwork))
        {
            Calls.Add($"network-id {os.ExternalNetwork}");
            external = Lookup.Of(os.ExternalNetwork, NetworksMatching(null, os.ExternalNetwork).Select(n => n with { RouterExternal = true }).ToArray());
        }

        return Task.FromResult(new NetworkFacts
        {
            ControlPlanePortSubnets = subnets,
            ControlPlanePortNetwork = network,
            ControlPlanePortNetworkDerived = derived,
            ExternalNetwork = external,
        });
    }

    private static Network[] NetworksMatching(string? id, string? name) =>
        Networks.Where(kv => (string.IsNullOrEmpty(id) || kv.Value == id) && (string.IsNullOrEmpty(name) || kv.Key == name))
            .Select(kv => new Network { Id = kv.Value, Name = kv.Key })
            .ToArray();
}
