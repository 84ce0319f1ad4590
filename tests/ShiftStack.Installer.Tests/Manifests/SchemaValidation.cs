using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ShiftStack.Installer.Tests.Manifests;

/// <summary>
/// Validates generated objects against the real CRD schemas (openAPIV3Schema converted to JSON Schema 2020-12) and
/// Ignition configs against the Ignition 3.2 schema (draft-04 converted to draft-07).
/// </summary>
/// <remarks>
/// Conversion rules: <c>nullable: true</c> adds <c>"null"</c> to the type; <c>x-kubernetes-int-or-string</c> becomes
/// <c>anyOf: [integer, string]</c>; objects with <c>properties</c> get <c>additionalProperties: false</c> unless
/// <c>x-kubernetes-preserve-unknown-fields</c> (the API server would silently prune unknown fields; the test makes
/// them errors so a misspelt field is caught); other <c>x-kubernetes-*</c> keywords (list types, CEL validations)
/// are dropped. Null-valued fields are removed from the instance first, as the API server prunes them.
/// </remarks>
internal static class SchemaValidation
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new();

    private static readonly Dictionary<(string ApiVersion, string Kind), string> Crds = new()
    {
        [("machine.openshift.io/v1beta1", "Machine")] = "0000_10_machine-api_01_machines-Default.crd.yaml",
        [("machine.openshift.io/v1beta1", "MachineSet")] = "0000_10_machine-api_01_machinesets-Default.crd.yaml",
        [("machine.openshift.io/v1", "ControlPlaneMachineSet")] = "0000_10_control-plane-machine-set_01_controlplanemachinesets-Default.crd.yaml",
        [("config.openshift.io/v1", "Infrastructure")] = "0000_10_config-operator_01_infrastructures-Default.crd.yaml",
        [("config.openshift.io/v1", "Network")] = "0000_10_config-operator_01_networks-Default.crd.yaml",
        [("config.openshift.io/v1", "FeatureGate")] = "0000_10_config-operator_01_featuregates.crd.yaml",
        [("machineconfiguration.openshift.io/v1", "MachineConfig")] = "0000_80_machine-config_01_machineconfigs.crd.yaml",
        [("infrastructure.cluster.x-k8s.io/v1beta1", "OpenStackCluster")] = "infrastructure.cluster.x-k8s.io_openstackclusters.yaml",
        [("infrastructure.cluster.x-k8s.io/v1beta1", "OpenStackMachine")] = "infrastructure.cluster.x-k8s.io_openstackmachines.yaml",
    };

    /// <summary>True when a CRD schema exists for the object's apiVersion/kind.</summary>
    public static bool HasCrd(JsonNode obj) => Crds.ContainsKey(Key(obj));

    /// <summary>Errors of the object against its CRD schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateObject(JsonNode obj)
    {
        var key = Key(obj);
        var schema = Cache.GetOrAdd($"{key.ApiVersion}/{key.Kind}", _ => LoadCrdSchema(Crds[key], key.ApiVersion.Split('/')[1]));
        return Evaluate(schema, StripNulls(obj.DeepClone()));
    }

    /// <summary>Errors of an Ignition config against the 3.2 schema.</summary>
    public static IReadOnlyList<string> ValidateIgnition(JsonNode config)
    {
        var schema = Cache.GetOrAdd("ignition-3.2", _ =>
        {
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(TestSupport.TestDataDir, "schemas", "ignition-v3_2.json")))!.AsObject();
            root["$schema"] = "http://json-schema.org/draft-07/schema#";
            return JsonSchema.FromText(root.ToJsonString());
        });
        return Evaluate(schema, config);
    }

    private static (string ApiVersion, string Kind) Key(JsonNode obj) =>
        ((string?)obj["apiVersion"] ?? string.Empty, (string?)obj["kind"] ?? string.Empty);

    private static List<string> Evaluate(JsonSchema schema, JsonNode? instance)
    {
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }
        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid").ToList();
    }

    private static JsonSchema LoadCrdSchema(string file, string version)
    {
        var crd = TestSupport.YamlToJson(File.ReadAllText(Path.Combine(TestSupport.TestDataDir, "crds", file)))!;
        var v = crd["spec"]!["versions"]!.AsArray().Single(x => (string?)x!["name"] == version)!;
        var converted = ConvertSchema(v["schema"]!["openAPIV3Schema"]!.DeepClone())!.AsObject();
        converted["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return JsonSchema.FromText(converted.ToJsonString());
    }

    private static JsonNode? ConvertSchema(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return node;
        }
        var result = new JsonObject();
        var preserve = obj["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var intOrString = obj["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var nullable = obj["nullable"]?.GetValue<bool>() == true;
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "nullable":
                    break;
                case var k when k.StartsWith("x-kubernetes-", StringComparison.Ordinal):
                    break;
                case "properties":
                    var props = new JsonObject();
                    foreach (var (name, sub) in value!.AsObject())
                    {
                        props[name] = ConvertSchema(sub!.DeepClone());
                    }
                    result["properties"] = props;
                    break;
                case "items" or "additionalProperties" or "not":
                    result[key] = value is JsonObject ? ConvertSchema(value.DeepClone()) : value?.DeepClone();
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    result[key] = new JsonArray(value!.AsArray().Select(s => ConvertSchema(s!.DeepClone())).ToArray());
                    break;
                case "type" when intOrString:
                    break;
                case "type" when nullable:
                    result["type"] = new JsonArray(value!.DeepClone(), "null");
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }
        if (intOrString)
        {
            result["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        }
        if (result["properties"] is not null && result["additionalProperties"] is null && !preserve)
        {
            result["additionalProperties"] = false;
        }
        return result;
    }

    private static JsonNode? StripNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
                {
                    o.Remove(key);
                }
                foreach (var (_, v) in o)
                {
                    StripNulls(v);
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    StripNulls(v);
                }
                break;
        }
        return node;
    }
}
