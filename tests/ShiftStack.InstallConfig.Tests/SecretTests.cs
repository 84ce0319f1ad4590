using static ShiftStack.InstallConfig.Tests.TestConfigs;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>The pull secret never appears in ToString output or in any message.</summary>
public class SecretTests
{
    private const string Token = "c2VjcmV0LXB1bGwtdG9rZW4=";

    [Fact]
    public void Secret_prints_redacted()
    {
        new Secret("x").ToString().ShouldBe("<redacted>");
        new Secret("x").Reveal().ShouldBe("x");
        $"{new Secret("x")}".ShouldBe("<redacted>");
    }

    [Fact]
    public void Config_ToString_does_not_contain_the_pull_secret()
    {
        var config = DualStack();

        config.ToString().ShouldNotContain(Token);
        config.ToString().ShouldContain("PullSecret = <redacted>");
        Process(config).ToString().ShouldNotContain(Token);
    }

    [Fact]
    public void Loaded_config_and_diagnostics_do_not_contain_the_pull_secret()
    {
        var yaml = "apiVersion: v1\npullSecret: '" + PullSecretJson + "'\nfoo: bar\n";

        var load = InstallConfigLoader.LoadText(yaml, "ic.yaml");

        load.Config!.PullSecret!.Reveal().ShouldBe(PullSecretJson);
        load.ToString().ShouldNotContain(Token);
        load.Diagnostics.ShouldAllBe(d => !d.ToString().Contains(Token));
    }

    [Theory]
    [InlineData("{\"auths\":{\"quay.io\":{\"email\":\"" + Token + "\"}}}")]
    [InlineData("not json " + Token)]
    [InlineData("{\"auths\":\"" + Token + "\"}")]
    [InlineData("[\"" + Token + "\"]")]
    public void Validation_errors_do_not_contain_the_pull_secret(string secret)
    {
        var result = Process(SingleStack() with { PullSecret = new Secret(secret) });

        result.Errors.ShouldNotBeEmpty();
        result.Errors.ShouldAllBe(e => !e.ToString().Contains(Token));
        result.Errors.ToString().ShouldNotContain(Token);
        result.ToString().ShouldNotContain(Token);
    }

    [Fact]
    public void A_pull_secret_of_the_wrong_YAML_type_is_reported_without_its_content()
    {
        var load = InstallConfigLoader.LoadText("pullSecret:\n  auths:\n    quay.io:\n      auth: " + Token + "\n", "ic.yaml");

        load.Errors.ShouldHaveSingleItem().ToString().ShouldBe("ic.yaml:2:3: error: pullSecret: expected a string, got a mapping");
    }
}
