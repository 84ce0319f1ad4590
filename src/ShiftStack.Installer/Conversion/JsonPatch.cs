using System.Globalization;
using System.Text.Json.Nodes;

namespace ShiftStack.Installer.Conversion;

/// <summary>One RFC 6902 operation (<c>add</c>, <c>replace</c>, <c>remove</c>, <c>test</c>).</summary>
/// <param name="Op">The operation.</param>
/// <param name="Path">The JSON pointer.</param>
/// <param name="Value">The value (not for <c>remove</c>).</param>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value = null);

/// <summary>
/// A JSON patch as <c>oc patch --type=json</c> takes it, with a small RFC 6902 applier (add, replace, remove, test) so
/// that the result can be shown and validated against the CRD schema before anyone runs it. <c>JsonNode</c> only: no
/// reflection, AOT-friendly.
/// </summary>
public sealed class JsonPatch
{
    /// <summary>Creates a patch.</summary>
    public JsonPatch(IEnumerable<JsonPatchOperation> operations) => Operations = operations.ToList();

    /// <summary>The operations, in order.</summary>
    public IReadOnlyList<JsonPatchOperation> Operations { get; }

    /// <summary>The patch as compact JSON (one array).</summary>
    public string ToJson()
    {
        var array = new JsonArray();
        foreach (var op in Operations)
        {
            var o = new JsonObject { ["op"] = op.Op, ["path"] = op.Path };
            if (op.Op != "remove")
            {
                o["value"] = op.Value?.DeepClone();
            }

            array.Add((JsonNode)o);
        }

        return array.ToJsonString();
    }

    /// <summary>Applies the patch to a copy of <paramref name="document"/>.</summary>
    /// <exception cref="InvalidOperationException">A path does not exist or a <c>test</c> fails (the API server would refuse the patch).</exception>
    public JsonNode Apply(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.DeepClone();
        foreach (var op in Operations)
        {
            root = ApplyOne(root, op);
        }

        return root;
    }

    private static JsonNode ApplyOne(JsonNode root, JsonPatchOperation op)
    {
        var tokens = Parse(op.Path);
        if (tokens.Count == 0)
        {
            return op.Op switch
            {
                "add" or "replace" => op.Value?.DeepClone() ?? throw Fail(op, "null document"),
                "test" => JsonNode.DeepEquals(root, op.Value) ? root : throw Fail(op, "test failed"),
                _ => throw Fail(op, "cannot remove the document"),
            };
        }

        var parent = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            parent = Child(parent, tokens[i]) ?? throw Fail(op, "path not found");
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                switch (op.Op)
                {
                    case "add":
                        obj[last] = op.Value?.DeepClone();
                        break;
                    case "replace":
                        if (!obj.ContainsKey(last))
                        {
                            throw Fail(op, "path not found");
                        }

                        obj[last] = op.Value?.DeepClone();
                        break;
                    case "remove":
                        if (!obj.Remove(last))
                        {
                            throw Fail(op, "path not found");
                        }

                        break;
                    case "test":
                        if (!obj.TryGetPropertyValue(last, out var current) || !JsonNode.DeepEquals(current, op.Value))
                        {
                            throw Fail(op, "test failed");
                        }

                        break;
                    default:
                        throw Fail(op, "unsupported operation");
                }

                break;
            case JsonArray array:
                var append = last == "-";
                var index = append ? array.Count : int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
                if (index < 0 || index > array.Count || (!append && op.Op != "add" && index == array.Count))
                {
                    throw Fail(op, "index out of range");
                }

                switch (op.Op)
                {
                    case "add":
                        array.Insert(index, op.Value?.DeepClone());
                        break;
                    case "replace":
                        array[index] = op.Value?.DeepClone();
                        break;
                    case "remove":
                        array.RemoveAt(index);
                        break;
                    case "test":
                        if (!JsonNode.DeepEquals(array[index], op.Value))
                        {
                            throw Fail(op, "test failed");
                        }

                        break;
                    default:
                        throw Fail(op, "unsupported operation");
                }

                break;
            default:
                throw Fail(op, "path not found");
        }

        return root;
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a => int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count ? a[i] : null,
        _ => null,
    };

    private static List<string> Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new InvalidOperationException($"JSON pointer must start with '/': {pointer}");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static InvalidOperationException Fail(JsonPatchOperation op, string why) => new($"JSON patch {op.Op} {op.Path}: {why}");
}
