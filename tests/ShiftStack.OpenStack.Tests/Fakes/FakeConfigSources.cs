using ShiftStack.OpenStack.Config;

namespace ShiftStack.OpenStack.Tests.Fakes;

public sealed class FakeEnvironment : IConfigEnvironment
{
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string CurrentDirectory { get; set; } = "/work/project";

    public string HomeDirectory { get; set; } = "/home/user";

    public IEnumerable<string> VariableNames => Variables.Keys;

    public string? GetVariable(string name) => Variables.TryGetValue(name, out var v) ? v : null;

    public FakeEnvironment With(string name, string value)
    {
        Variables[name] = value;
        return this;
    }
}

public sealed class FakeFileSystem : IConfigFileSystem
{
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public bool FileExists(string path) => Files.ContainsKey(path);

    public string ReadAllText(string path) => Files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException(path);

    public FakeFileSystem With(string path, string text)
    {
        Files[path] = text;
        return this;
    }
}
