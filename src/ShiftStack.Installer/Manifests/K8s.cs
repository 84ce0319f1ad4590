using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;

namespace ShiftStack.Installer.Manifests;

/// <summary>Kubernetes object helpers.</summary>
internal static class K8s
{
    /// <summary>ObjectMeta as Go emits it: <c>creationTimestamp: null</c> always, the rest <c>omitempty</c>.</summary>
    public static MapNode Meta(string name, string? ns = null, IEnumerable<KeyValuePair<string, string>>? labels = null)
    {
        var meta = new MapNode().Add("creationTimestamp", Node.Null).Add("name", name).AddString("namespace", ns);
        var labelList = labels?.ToList();
        if (labelList is { Count: > 0 })
        {
            meta.Add("labels", MapNode.FromStrings(labelList));
        }
        return meta;
    }

    public static MapNode Object(string apiVersion, string kind, MapNode metadata) =>
        new MapNode().Add("apiVersion", apiVersion).Add("kind", kind).Add("metadata", metadata);

    public static KeyValuePair<string, string> Label(string key, string value) => new(key, value);

    /// <summary>A YAML manifest file, with optional <c># ShiftStack:</c> comment lines on top.</summary>
    public static GeneratedFile File(string path, Node document, IEnumerable<string>? comments = null, bool secret = false)
    {
        var header = string.Concat((comments ?? []).Select(c => "# ShiftStack: " + c + "\n"));
        return GeneratedFile.Text(path, header + YamlText.Write(document), secret);
    }
}
