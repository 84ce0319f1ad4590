using System.Text.Json;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// One meaning per exit code across all commands (README, "Exit codes"), and with <c>-o json</c> one JSON document on
/// standard output also when a command fails: an <c>error</c> object with the fields of the text line. No cloud is
/// needed: the cloud named is one that no clouds.yaml has, and the installation directory is made offline.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private const string NoSuchCloud = "shiftstack-test-no-such-cloud";

    private readonly TempDir _dir = TempDir.WithDualStackExample();

    public void Dispose() => _dir.Dispose();

    /// <summary>Every command that reads clouds.yaml, with the arguments it needs besides --dir and --cloud.</summary>
    public static TheoryData<string[]> CloudCommands => new()
    {
        new[] { "validate" },
        new[] { "create", "manifests" },
        new[] { "create", "ignition-configs" },
        new[] { "create", "cluster" },
        new[] { "destroy", "cluster" },
        new[] { "convert", "--to", "dual-stack" },
        new[] { "addresses" },
    };

    [Theory]
    [MemberData(nameof(CloudCommands))]
    public async Task A_cloud_missing_from_clouds_yaml_is_exit_3_for_every_command(string[] command)
    {
        await MakeIdentityAsync();

        var text = await CliRunner.RunAsync([.. command, "--dir", _dir.Path, "--cloud", NoSuchCloud]);

        text.ExitCode.ShouldBe(3, text.Out + text.Error);
        text.Error.ShouldContain("clouds.yaml");
        text.Error.ShouldContain(NoSuchCloud);
        text.Error.ShouldNotContain("   at ");
    }

    [Theory]
    [MemberData(nameof(CloudCommands))]
    public async Task With_json_output_a_failure_is_one_json_document_with_the_text_lines_fields(string[] command)
    {
        await MakeIdentityAsync();
        var text = await CliRunner.RunAsync([.. command, "--dir", _dir.Path, "--cloud", NoSuchCloud]);

        var json = await CliRunner.RunAsync([.. command, "--dir", _dir.Path, "--cloud", NoSuchCloud, "-o", "json"]);

        json.ExitCode.ShouldBe(3, json.Out + json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var error = doc.RootElement.GetProperty("error");
        error.GetProperty("exitCode").GetInt32().ShouldBe(3);
        var message = error.GetProperty("message").GetString()!;
        message.ShouldContain(NoSuchCloud);
        text.Error.ShouldContain(message);
        if (error.TryGetProperty("hint", out var hint))
        {
            text.Error.ShouldContain(hint.GetString()!);
        }
    }

    [Fact]
    public async Task An_invalid_install_config_is_exit_2_and_in_json_carries_the_findings()
    {
        var config = Path.Combine(_dir.Path, "install-config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("- 192.168.25.199", "- 192.168.99.199", StringComparison.Ordinal));

        var text = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");
        var json = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "-o", "json");

        text.ExitCode.ShouldBe(2);
        text.Error.ShouldContain("IP expected to be in one of the machine networks");
        json.ExitCode.ShouldBe(2);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("error").GetProperty("kind").GetString().ShouldBe("install-config");
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
        doc.RootElement.GetProperty("errors").EnumerateArray()
            .ShouldContain(e => e.GetProperty("field").GetString() == "platform.openstack.apiVIPs");
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_is_exit_1()
    {
        // A file where the manifests' directory must go.
        File.WriteAllText(Path.Combine(_dir.Path, "openshift"), "in the way");

        var text = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline");
        var json = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "--offline", "-o", "json");

        text.ExitCode.ShouldBe(1, text.Out + text.Error);
        text.Error.ShouldContain("shiftstack: cannot read or write a file: ");
        text.Error.ShouldNotContain("   at ");
        json.ExitCode.ShouldBe(1);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("error").GetProperty("kind").GetString().ShouldBe("file");
    }

    [Fact]
    public async Task A_directory_without_a_cluster_is_exit_2_for_destroy()
    {
        var empty = Path.Combine(_dir.Path, "empty");
        Directory.CreateDirectory(empty);

        var json = await CliRunner.RunAsync("destroy", "cluster", "--dir", empty, "-o", "json");

        json.ExitCode.ShouldBe(2);
        using var doc = JsonDocument.Parse(json.Out);
        var error = doc.RootElement.GetProperty("error");
        error.GetProperty("kind").GetString().ShouldBe("input");
        error.GetProperty("message").GetString()!.ShouldContain("names an infraID");
    }

    [Fact]
    public async Task A_usage_error_with_json_output_is_exit_2_and_a_json_error()
    {
        var json = await CliRunner.RunAsync("create", "manifests", "--dir", _dir.Path, "-o", "json", "--bogus");

        json.ExitCode.ShouldBe(2);
        json.Error.ShouldContain("--bogus");
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("--bogus");
    }

    [Theory]
    [InlineData("manifests", "cluster-api/02_infra-cluster.yaml")]
    [InlineData("ignition-configs", "metadata.json")]
    public async Task Create_with_json_output_lists_what_it_wrote(string verb, string expected)
    {
        var json = await CliRunner.RunAsync("create", verb, "--dir", _dir.Path, "--offline", "-o", "json");

        json.ExitCode.ShouldBe(0, json.Out + json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("infraID").GetString()!.ShouldStartWith("dualstack-");
        var files = doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        files.ShouldContain(Path.Combine(_dir.Path, expected));
        files.ShouldAllBe(f => File.Exists(f));
    }

    /// <summary>The cluster identity (and metadata.json) that create cluster, destroy and convert need, made offline.</summary>
    private async Task MakeIdentityAsync()
    {
        var made = await CliRunner.RunAsync("create", "ignition-configs", "--dir", _dir.Path, "--offline");
        made.ExitCode.ShouldBe(0, made.Out + made.Error);
    }
}
