using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// The files ShiftStack wrote under <c>--dir</c>, each with the SHA-256 of what it wrote, kept in
/// <c>.shiftstack/files.json</c>; and the one way every command writes generated files (<see cref="Write"/>), which
/// refuses to overwrite a file the user has changed since. A file on disk may be overwritten when it is what ShiftStack
/// last wrote there or what it would write now (a re-run, or a run interrupted after the rename); any other file that
/// is in the way (edited since, or never written by ShiftStack) stops the write before anything is written, unless
/// <c>force</c>.
/// </summary>
public static class WrittenFiles
{
    /// <summary>The record's path relative to <c>--dir</c>.</summary>
    public const string RelativePath = ClusterState.DirectoryName + "/files.json";

    /// <summary>The record of an installation directory.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, ClusterState.DirectoryName, "files.json");

    /// <summary>The files of <paramref name="files"/> that are in the way (see <see cref="WrittenFiles"/>), sorted by path.</summary>
    public static IReadOnlyList<EditedFile> FindInTheWay(string directory, IEnumerable<GeneratedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var recorded = Load(directory);
        var found = new List<EditedFile>();
        foreach (var file in files)
        {
            var path = FullPath(directory, file.Path);
            if (!File.Exists(path))
            {
                continue;
            }

            var onDisk = Hash(File.ReadAllBytes(path));
            var known = recorded.GetValueOrDefault(file.Path);
            if (onDisk != known && onDisk != Hash(file.Content))
            {
                found.Add(new EditedFile(file.Path, known is not null));
            }
        }

        return found.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Writes <paramref name="files"/> under <paramref name="directory"/> (atomically, each with its mode) and records
    /// their hashes. Throws <see cref="EditedFilesException"/>, before writing anything, when a file is in the way and
    /// <paramref name="force"/> is false.
    /// </summary>
    public static void Write(string directory, IReadOnlyList<GeneratedFile> files, bool force)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!force)
        {
            var inTheWay = FindInTheWay(directory, files);
            if (inTheWay.Count > 0)
            {
                throw new EditedFilesException(directory, inTheWay);
            }
        }

        var recorded = Load(directory);
        try
        {
            foreach (var file in files)
            {
                var path = FullPath(directory, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                FileWriting.WriteAllBytes(path, file.Content, file.IsSecret);
                recorded[file.Path] = Hash(file.Content);
            }
        }
        finally
        {
            Save(directory, recorded);
        }
    }

    private static string FullPath(string directory, string relative) =>
        Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static Dictionary<string, string> Load(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            var dto = JsonSerializer.Deserialize(File.ReadAllText(path), WrittenFilesJsonContext.Default.WrittenFilesDto);
            return dto?.Files is { } files ? new(files, StringComparer.Ordinal) : new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw new AssetException($"{path}: not ShiftStack's record of the files it wrote; remove it, and every file ShiftStack would write is treated as not written by it (--force overwrites them)");
        }
    }

    private static void Save(string directory, Dictionary<string, string> recorded)
    {
        var path = PathIn(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var dto = new WrittenFilesDto { Version = 1, Files = new SortedDictionary<string, string>(recorded, StringComparer.Ordinal) };
        FileWriting.WriteAllText(path, JsonSerializer.Serialize(dto, WrittenFilesJsonContext.Default.WrittenFilesDto) + "\n", secret: false);
    }
}

/// <summary>A file in the way of a write.</summary>
/// <param name="Path">Relative to <c>--dir</c>, '/' separators.</param>
/// <param name="WrittenByShiftStack">True: ShiftStack wrote it and it was changed since; false: ShiftStack never wrote it.</param>
public sealed record EditedFile(string Path, bool WrittenByShiftStack);

/// <summary>Files that a write would overwrite were changed by someone else; nothing was written.</summary>
public sealed class EditedFilesException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EditedFilesException(string directory, IReadOnlyList<EditedFile> files)
        : base(Describe(directory, files))
    {
        Directory = directory;
        Files = files;
    }

    /// <summary>Creates the exception.</summary>
    public EditedFilesException()
        : this(".", [])
    {
    }

    /// <summary>Creates the exception.</summary>
    public EditedFilesException(string message)
        : base(message)
    {
        Directory = ".";
        Files = [];
    }

    /// <summary>Creates the exception.</summary>
    public EditedFilesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = ".";
        Files = [];
    }

    /// <summary>The installation directory.</summary>
    public string Directory { get; }

    /// <summary>The files in the way, sorted by path.</summary>
    public IReadOnlyList<EditedFile> Files { get; }

    private static string Describe(string directory, IReadOnlyList<EditedFile> files)
    {
        var edited = files.Where(f => f.WrittenByShiftStack).Select(f => Path.Combine(directory, f.Path)).ToList();
        var foreign = files.Where(f => !f.WrittenByShiftStack).Select(f => Path.Combine(directory, f.Path)).ToList();
        var parts = new List<string>();
        if (edited.Count > 0)
        {
            parts.Add($"{Count(edited.Count)} changed since ShiftStack wrote {(edited.Count == 1 ? "it" : "them")}: {string.Join(", ", edited)}");
        }

        if (foreign.Count > 0)
        {
            parts.Add($"{Count(foreign.Count)} ShiftStack did not write: {string.Join(", ", foreign)}");
        }

        return "not overwriting " + string.Join("; ", parts) + "; nothing was written";

        static string Count(int n) => n == 1 ? "1 file" : $"{n} files";
    }
}

internal sealed class WrittenFilesDto
{
    [JsonPropertyName("version")]
    public int Version { get; set; }

    [JsonPropertyName("files")]
    public IDictionary<string, string>? Files { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(WrittenFilesDto))]
internal sealed partial class WrittenFilesJsonContext : JsonSerializerContext;
