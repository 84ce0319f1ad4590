namespace ShiftStack.OpenStack.Config;

/// <summary>The process environment as the configuration loader sees it (injectable for tests).</summary>
public interface IConfigEnvironment
{
    /// <summary>An environment variable, or null.</summary>
    string? GetVariable(string name);

    /// <summary>All environment variable names.</summary>
    IEnumerable<string> VariableNames { get; }

    /// <summary>The current directory.</summary>
    string CurrentDirectory { get; }

    /// <summary>The user's home directory.</summary>
    string HomeDirectory { get; }
}

/// <summary>The file system as the configuration loader sees it (injectable for tests).</summary>
public interface IConfigFileSystem
{
    /// <summary>True if the file exists.</summary>
    bool FileExists(string path);

    /// <summary>The file's text.</summary>
    string ReadAllText(string path);
}

/// <summary>The real process environment.</summary>
public sealed class SystemConfigEnvironment : IConfigEnvironment
{
    /// <summary>The instance.</summary>
    public static SystemConfigEnvironment Instance { get; } = new();

    /// <inheritdoc />
    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    /// <inheritdoc />
    public IEnumerable<string> VariableNames =>
        Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString() ?? string.Empty);

    /// <inheritdoc />
    public string CurrentDirectory => Environment.CurrentDirectory;

    /// <inheritdoc />
    public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}

/// <summary>The real file system.</summary>
public sealed class SystemConfigFileSystem : IConfigFileSystem
{
    /// <summary>The instance.</summary>
    public static SystemConfigFileSystem Instance { get; } = new();

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public string ReadAllText(string path) => File.ReadAllText(path);
}
