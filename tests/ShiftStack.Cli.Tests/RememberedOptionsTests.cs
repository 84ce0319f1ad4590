using System.Text.Json;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// Options given once are kept (issue #14): <c>--offline</c> and <c>--cloud</c> given to <c>shiftstack create
/// manifests</c> hold for the next <c>create</c> run on the same directory, which says so, until given again.
/// </summary>
public sealed class RememberedOptionsTests : IDisposable
{
    private readonly TempDir _dir = TempDir.WithDualStackExample();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Ignition_configs_after_offline_manifests_stay_offline_and_say_why()
    {
        var manifests = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "--cloud", "remembered-cloud");
        manifests.ExitCode.ShouldBe(0, manifests.Error);

        var ignition = await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path);

        ignition.ExitCode.ShouldBe(0, ignition.Error);
        ignition.Error.ShouldContain("--offline, as the earlier 'shiftstack create' run on");
        ignition.Error.ShouldContain("--cloud remembered-cloud, as the earlier 'shiftstack create' run on");
        File.Exists(Path.Combine(_dir.Path, "bootstrap.ign")).ShouldBeTrue();
        using var kept = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, ".shiftstack", "options.json")));
        kept.RootElement.GetProperty("offline").GetBoolean().ShouldBeTrue();
        kept.RootElement.GetProperty("cloud").GetString().ShouldBe("remembered-cloud");
    }

    [Fact]
    public async Task Offline_false_given_again_asks_the_cloud_and_is_kept()
    {
        (await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "--cloud", "no-such-cloud-here")).ExitCode.ShouldBe(0);

        var online = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "false");

        // The cloud is asked: the remembered cloud is not in any clouds.yaml, which is the error (nothing else ran).
        online.ExitCode.ShouldNotBe(0, online.Error);
        online.Error.ShouldNotContain("--offline, as the earlier");
        online.Error.ShouldContain("no-such-cloud-here");
        using var kept = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, ".shiftstack", "options.json")));
        kept.RootElement.GetProperty("offline").GetBoolean().ShouldBeTrue(); // a failed run changes nothing
    }

    [Fact]
    public async Task A_cloud_named_without_offline_is_asked_even_after_an_offline_run()
    {
        (await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline")).ExitCode.ShouldBe(0);

        var named = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--cloud", "no-such-cloud-here");

        named.ExitCode.ShouldBe(3, named.Error);
        named.Error.ShouldNotContain("--offline, as the earlier");
        named.Error.ShouldContain("no-such-cloud-here");
    }
}
