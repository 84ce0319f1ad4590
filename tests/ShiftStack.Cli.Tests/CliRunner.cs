using System.Text;

namespace ShiftStack.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as a user would run it from a shell.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var raw = new MemoryStream();
        var console = new CliConsole(output, error, () => new NonClosingStream(raw));
        var code = await ShiftStackCli.RunAsync(args, console);
        var text = output.ToString() + Encoding.UTF8.GetString(raw.ToArray());
        return new Result(code, text, error.ToString());
    }

    /// <summary>The repository root (the folder holding ShiftStack.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("ShiftStack.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}

/// <summary>A temporary installation directory, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shiftstack-cli-" + Guid.NewGuid().ToString("N"));

    public string Write(string text, string name = "install-config.yaml")
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
