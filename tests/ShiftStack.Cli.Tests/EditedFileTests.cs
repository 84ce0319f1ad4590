using System.Security.Cryptography;
using System.Text.Json;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// A generated file the user has changed is never overwritten silently (issue #19, "Files"): ShiftStack records the
/// SHA-256 of every file it writes in <c>.shiftstack/files.json</c>; a re-run that finds a file changed since, or a file
/// ShiftStack never wrote where it would write one, stops before writing anything (exit 2, kind <c>edited</c>) and
/// names each file; <c>--force</c> overwrites.
/// </summary>
public sealed class EditedFileTests : IDisposable
{
    private const string Infrastructure = "manifests/cluster-infrastructure-02-config.yml";
    private readonly TempDir _dir = TempDir.WithDualStackExample();

    public void Dispose() => _dir.Dispose();

    private string At(string relative) => Path.Combine(_dir.Path, relative);

    [Fact]
    public async Task The_hash_of_every_written_file_is_recorded()
    {
        var run = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "-o", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        using var written = JsonDocument.Parse(run.Out);
        using var record = JsonDocument.Parse(File.ReadAllText(At(".shiftstack/files.json")));
        var hashes = record.RootElement.GetProperty("files");
        var paths = written.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        paths.Count.ShouldBeGreaterThan(10);
        hashes.EnumerateObject().Count().ShouldBe(paths.Count);
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(_dir.Path, path).Replace(Path.DirectorySeparatorChar, '/');
            hashes.GetProperty(relative).GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), relative);
        }
    }

    [Fact]
    public async Task A_re_run_over_unchanged_files_writes_them_again()
    {
        (await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);
        File.Delete(At(".shiftstack/files.json")); // as before hashes were recorded: same content is not an edit

        var again = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");

        again.ExitCode.ShouldBe(0, again.Error);
        File.Exists(At(".shiftstack/files.json")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task An_edited_manifest_stops_the_re_run_before_anything_is_written(string output)
    {
        (await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);
        File.AppendAllText(At(Infrastructure), "# mine\n");
        var other = Directory.GetFiles(At("openshift")).First();
        File.Delete(other); // a missing file would be written again: it stays missing when the run stops first

        var run = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "-o", output);

        run.ExitCode.ShouldBe(2);
        File.Exists(other).ShouldBeFalse();
        File.ReadAllText(At(Infrastructure)).ShouldEndWith("# mine\n");
        if (output == "json")
        {
            using var json = JsonDocument.Parse(run.Out);
            var error = json.RootElement.GetProperty("error");
            error.GetProperty("exitCode").GetInt32().ShouldBe(2);
            error.GetProperty("kind").GetString().ShouldBe("edited");
            error.GetProperty("hint").GetString()!.ShouldContain("--force");
            var file = error.GetProperty("files").EnumerateArray().ShouldHaveSingleItem();
            file.GetProperty("path").GetString().ShouldBe(Infrastructure);
            file.GetProperty("writtenByShiftStack").GetBoolean().ShouldBeTrue();
        }
        else
        {
            run.Out.ShouldBeEmpty();
            run.Error.ShouldEndWith(
                $"\nshiftstack: not overwriting 1 file changed since ShiftStack wrote it: {At(Infrastructure)}; nothing was written (to overwrite, run the command again with --force)\n");
        }
    }

    [Fact]
    public async Task Force_overwrites_an_edited_file()
    {
        (await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);
        var generated = File.ReadAllText(At(Infrastructure));
        File.WriteAllText(At(Infrastructure), "mine\n");

        var forced = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "--force");
        var again = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");

        forced.ExitCode.ShouldBe(0, forced.Error);
        File.ReadAllText(At(Infrastructure)).ShouldBe(generated);
        again.ExitCode.ShouldBe(0, again.Error);
    }

    [Fact]
    public async Task A_file_ShiftStack_never_wrote_is_not_overwritten_without_force()
    {
        File.WriteAllText(At("metadata.json"), "{\"mine\": true}\n");

        var run = await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain($"not overwriting 1 file ShiftStack did not write: {At("metadata.json")}; nothing was written");
        File.Exists(At("bootstrap.ign")).ShouldBeFalse();
        File.ReadAllText(At("metadata.json")).ShouldBe("{\"mine\": true}\n");

        var forced = await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline", "--force");

        forced.ExitCode.ShouldBe(0, forced.Error);
        File.ReadAllText(At("metadata.json")).ShouldContain("\"infraID\"");
    }

    [Fact]
    public async Task Every_file_in_the_way_is_named_once()
    {
        (await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);
        File.AppendAllText(At("master.ign"), " ");
        File.AppendAllText(At("worker.ign"), " ");

        var run = await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain($"2 files changed since ShiftStack wrote them: {At("master.ign")}, {At("worker.ign")};");
    }
}
