using System.Text;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// A file an asset writes under <c>--dir</c>. <paramref name="Path"/> uses '/' separators and is relative.
/// Secret files (pull secret, private keys) are written with mode 0600, the others with 0640 like the reference.
/// </summary>
/// <param name="Path">Relative path, e.g. <c>openshift/99_openshift-cluster-api_master-machines-0.yaml</c>.</param>
/// <param name="Content">The bytes to write.</param>
/// <param name="IsSecret">True when the file holds a secret.</param>
public sealed record GeneratedFile(string Path, byte[] Content, bool IsSecret = false)
{
    /// <summary>A UTF-8 text file.</summary>
    public static GeneratedFile Text(string path, string text, bool isSecret = false) =>
        new(path, Encoding.UTF8.GetBytes(text), isSecret);

    /// <summary>The content as UTF-8 text.</summary>
    public string ContentText => Encoding.UTF8.GetString(Content);

    /// <summary>The Unix mode the writer uses.</summary>
    public UnixFileMode Mode => IsSecret
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
}

/// <summary>An asset value that writes files.</summary>
public interface IFileAsset
{
    /// <summary>The files, each path once.</summary>
    IReadOnlyList<GeneratedFile> Files { get; }
}

/// <summary>A plain list of files.</summary>
/// <param name="Files">The files.</param>
public sealed record FileSet(IReadOnlyList<GeneratedFile> Files) : IFileAsset;
