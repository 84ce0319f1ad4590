using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

public class CloudConfigLoaderTests
{
    private const string TwoClouds = """
        clouds:
          alpha:
            auth:
              auth_url: https://alpha.example:5000/v3
              username: alice
              password: alpha-pass
              project_name: proj-a
              user_domain_name: Default
              project_domain_name: Default
            region_name: RegionOne
          beta:
            auth:
              auth_url: https://beta.example:5000
              username: bob
              project_id: 1234
            region_name: RegionTwo
            interface: internal
        """;

    private static string Single(string name, string url) => $"""
        clouds:
          {name}:
            auth:
              auth_url: {url}
              username: u
              password: p
              project_name: x
        """;

    private readonly FakeEnvironment _env = new();
    private readonly FakeFileSystem _fs = new();

    private CloudConfigLoader Loader => new(_env, _fs);

    [Fact]
    public void Reads_the_named_cloud_with_its_auth_region_and_interface()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);

        var alpha = Loader.Load("alpha");
        alpha.Name.ShouldBe("alpha");
        alpha.SourceFile.ShouldBe("/work/project/clouds.yaml");
        alpha.Auth.AuthUrl.ShouldBe("https://alpha.example:5000/v3");
        alpha.Auth.Username.ShouldBe("alice");
        alpha.Auth.Password.ShouldBe("alpha-pass");
        alpha.Auth.ProjectName.ShouldBe("proj-a");
        alpha.RegionName.ShouldBe("RegionOne");
        alpha.Interface.ShouldBe("public");
        alpha.AuthType.ShouldBe(AuthTypes.Password);
        alpha.Verify.ShouldBeTrue();

        var beta = Loader.Load("beta");
        beta.Interface.ShouldBe("internal");
        beta.Auth.ProjectId.ShouldBe("1234");
        beta.RegionName.ShouldBe("RegionTwo");
    }

    [Fact]
    public void Unknown_cloud_names_the_file_and_the_available_clouds()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);

        var ex = Should.Throw<CloudConfigException>(() => Loader.Load("foo"));
        ex.Message.ShouldBe("cloud 'foo' not found in /work/project/clouds.yaml; available: alpha, beta");
    }

    [Fact]
    public void Search_order_is_client_config_file_then_current_dir_then_user_dir_then_etc()
    {
        _fs.With("/etc/openstack/clouds.yaml", Single("c", "http://etc"));
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://etc");

        _fs.With("/etc/xdg/openstack/clouds.yaml", Single("c", "http://etc-xdg"));
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://etc-xdg");

        _fs.With("/home/user/.config/openstack/clouds.yaml", Single("c", "http://home"));
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://home");

        _fs.With("/xdg/openstack/clouds.yaml", Single("c", "http://xdg-home"));
        _env.With("XDG_CONFIG_HOME", "/xdg");
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://xdg-home");

        _fs.With("/work/project/clouds.yml", Single("c", "http://cwd-yml"));
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://cwd-yml");

        _fs.With("/work/project/clouds.yaml", Single("c", "http://cwd"));
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://cwd");

        _fs.With("/somewhere/mine.yaml", Single("c", "http://explicit"));
        _env.With("OS_CLIENT_CONFIG_FILE", "/somewhere/mine.yaml");
        Loader.Load("c").Auth.AuthUrl.ShouldBe("http://explicit");
    }

    [Fact]
    public void First_file_found_wins_even_if_it_lacks_the_cloud()
    {
        _fs.With("/work/project/clouds.yaml", Single("a", "http://cwd"));
        _fs.With("/etc/openstack/clouds.yaml", Single("b", "http://etc"));

        var ex = Should.Throw<CloudConfigException>(() => Loader.Load("b"));
        ex.Message.ShouldContain("/work/project/clouds.yaml");
        ex.Message.ShouldContain("available: a");
    }

    [Fact]
    public void Reads_clouds_json()
    {
        _fs.With("/work/project/clouds.json", """{"clouds": {"j": {"auth": {"auth_url": "http://json", "username": "u", "password": "p"}, "verify": false}}}""");

        var cloud = Loader.Load("j");
        cloud.Auth.AuthUrl.ShouldBe("http://json");
        cloud.Verify.ShouldBeFalse();
    }

    [Fact]
    public void Secure_yaml_is_merged_over_clouds_yaml()
    {
        _fs.With("/work/project/clouds.yaml", """
            clouds:
              c:
                auth:
                  auth_url: http://keystone/v3
                  username: u
                  project_name: p
                region_name: R1
            """);
        _fs.With("/home/user/.config/openstack/secure.yaml", """
            clouds:
              c:
                auth:
                  password: from-secure
                region_name: R2
            """);

        var cloud = Loader.Load("c");
        cloud.Auth.Password.ShouldBe("from-secure");
        cloud.Auth.Username.ShouldBe("u");
        cloud.Auth.AuthUrl.ShouldBe("http://keystone/v3");
        cloud.RegionName.ShouldBe("R2");
    }

    [Fact]
    public void OS_CLIENT_SECURE_FILE_is_searched_first()
    {
        _fs.With("/work/project/clouds.yaml", Single("c", "http://k"));
        _fs.With("/work/project/secure.yaml", "clouds: {c: {auth: {password: cwd}}}");
        _fs.With("/vault/secure.yaml", "clouds: {c: {auth: {password: vault}}}");
        _env.With("OS_CLIENT_SECURE_FILE", "/vault/secure.yaml");

        Loader.Load("c").Auth.Password.ShouldBe("vault");
    }

    [Fact]
    public void OS_CLOUD_selects_the_cloud()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);
        _env.With("OS_CLOUD", "beta");

        Loader.Load().Name.ShouldBe("beta");
        Loader.Load("alpha").Name.ShouldBe("alpha");
    }

    [Fact]
    public void The_only_cloud_is_used_when_none_is_named()
    {
        _fs.With("/work/project/clouds.yaml", Single("lonely", "http://k"));

        Loader.Load().Name.ShouldBe("lonely");
    }

    [Fact]
    public void Several_clouds_and_no_selection_is_an_error_listing_them()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);

        var ex = Should.Throw<CloudConfigException>(() => Loader.Load());
        ex.Message.ShouldBe("no cloud selected: set OS_CLOUD or name a cloud; clouds in /work/project/clouds.yaml: alpha, beta");
    }

    [Fact]
    public void Nothing_configured_names_the_places_looked_at()
    {
        var ex = Should.Throw<CloudConfigException>(() => Loader.Load("x"));
        ex.Message.ShouldStartWith("cloud 'x' not found: no clouds.yaml found (looked for /work/project/clouds.yaml, /work/project/clouds.yml");
        ex.Message.ShouldContain("/home/user/.config/openstack/clouds.yaml");
        ex.Message.ShouldContain("/etc/openstack/clouds.yaml");
    }

    [Fact]
    public void OS_variables_form_the_envvars_cloud()
    {
        _env.With("OS_AUTH_URL", "http://env-keystone:5000/v3")
            .With("OS_USERNAME", "envuser")
            .With("OS_PASSWORD", "envpass")
            .With("OS_PROJECT_NAME", "envproj")
            .With("OS_USER_DOMAIN_NAME", "Default")
            .With("OS_PROJECT_DOMAIN_ID", "default")
            .With("OS_REGION_NAME", "EnvRegion")
            .With("OS_INTERFACE", "internal");

        var cloud = Loader.Load();
        cloud.Name.ShouldBe("envvars");
        cloud.SourceFile.ShouldBeNull();
        cloud.Auth.AuthUrl.ShouldBe("http://env-keystone:5000/v3");
        cloud.Auth.Username.ShouldBe("envuser");
        cloud.Auth.Password.ShouldBe("envpass");
        cloud.Auth.ProjectName.ShouldBe("envproj");
        cloud.Auth.ProjectDomainId.ShouldBe("default");
        cloud.RegionName.ShouldBe("EnvRegion");
        cloud.Interface.ShouldBe("internal");
    }

    [Fact]
    public void OS_CLOUD_NAME_renames_the_environment_cloud_and_OS_CLOUD_wins_over_it()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);
        _env.With("OS_AUTH_URL", "http://env/v3").With("OS_USERNAME", "u").With("OS_PASSWORD", "p").With("OS_CLOUD_NAME", "mine");

        Loader.Load().Name.ShouldBe("mine");
        Loader.Load("mine").Auth.AuthUrl.ShouldBe("http://env/v3");

        _env.With("OS_CLOUD", "alpha");
        Loader.Load().Name.ShouldBe("alpha");
    }

    [Fact]
    public void Selector_variables_alone_do_not_make_an_environment_cloud()
    {
        _fs.With("/work/project/clouds.yaml", Single("only", "http://k"));
        _env.With("OS_REGION_NAME", "R").With("OS_CLIENT_CONFIG_FILE", "/nope");

        Loader.Load().Name.ShouldBe("only");
    }

    [Theory]
    [InlineData("verify: false", null, false)]
    [InlineData("verify: true", null, true)]
    [InlineData("insecure: true", null, false)]
    [InlineData("insecure: false", null, true)]
    [InlineData("verify: false\n    cacert: /ca.pem", "/ca.pem", false)]
    [InlineData("cacert: /ca.pem", "/ca.pem", true)]
    public void Tls_settings(string yaml, string? cacert, bool verify)
    {
        _fs.With("/work/project/clouds.yaml", $"""
            clouds:
              t:
                auth: {"{"}auth_url: "https://k/v3", username: u, password: p{"}"}
                {yaml}
            """);

        var cloud = Loader.Load("t");
        cloud.Verify.ShouldBe(verify);
        cloud.CaCertFile.ShouldBe(cacert);
    }

    [Fact]
    public void Application_credentials_by_id_and_by_name()
    {
        _fs.With("/work/project/clouds.yaml", """
            clouds:
              byid:
                auth_type: v3applicationcredential
                auth:
                  auth_url: http://k/v3
                  application_credential_id: ac-id
                  application_credential_secret: ac-secret
              byname:
                auth_type: v3applicationcredential
                auth:
                  auth_url: http://k/v3
                  username: u
                  user_domain_name: Default
                  application_credential_name: ac-name
                  application_credential_secret: ac-secret
            """);

        var byId = Loader.Load("byid");
        byId.AuthType.ShouldBe(AuthTypes.ApplicationCredential);
        byId.Auth.ApplicationCredentialId.ShouldBe("ac-id");
        byId.Auth.ApplicationCredentialSecret.ShouldBe("ac-secret");

        var byName = Loader.Load("byname");
        byName.Auth.ApplicationCredentialName.ShouldBe("ac-name");
        byName.Auth.Username.ShouldBe("u");
    }

    [Fact]
    public void Unsupported_auth_type_is_named()
    {
        _fs.With("/work/project/clouds.yaml", "clouds: {t: {auth_type: token, auth: {auth_url: 'http://k/v3'}}}");

        var ex = Should.Throw<CloudConfigException>(() => Loader.Load("t"));
        ex.Message.ShouldBe("cloud 't' in /work/project/clouds.yaml: auth_type 'token' is not supported; use 'password' or 'v3applicationcredential'");
    }

    [Fact]
    public void Regions_list_endpoint_overrides_legacy_interface_and_default_domain()
    {
        _fs.With("/work/project/clouds.yaml", """
            clouds:
              r:
                auth:
                  auth_url: http://k/v3
                  username: u
                  password: p
                  tenant_name: legacy-project
                  default_domain_name: MyDomain
                regions:
                  - name: First
                  - Second
                endpoint_type: internalURL
                network_endpoint_override: http://neutron.override:9696
            """);

        var cloud = Loader.Load("r");
        cloud.RegionName.ShouldBe("First");
        cloud.Interface.ShouldBe("internal");
        cloud.Auth.ProjectName.ShouldBe("legacy-project");
        cloud.Auth.UserDomainName.ShouldBe("MyDomain");
        cloud.Auth.ProjectDomainName.ShouldBe("MyDomain");
        cloud.EndpointOverrides["network"].ShouldBe("http://neutron.override:9696");
    }

    [Fact]
    public void Missing_auth_url_is_named()
    {
        _fs.With("/work/project/clouds.yaml", "clouds: {t: {auth: {username: u}}}");

        Should.Throw<CloudConfigException>(() => Loader.Load("t")).Message.ShouldBe("cloud 't' in /work/project/clouds.yaml has no auth.auth_url");
    }

    [Fact]
    public void Invalid_yaml_names_the_file()
    {
        _fs.With("/work/project/clouds.yaml", "clouds: [unclosed");

        Should.Throw<CloudConfigException>(() => Loader.Load("t")).Message.ShouldStartWith("/work/project/clouds.yaml is not valid YAML");
    }

    [Fact]
    public void ToString_never_shows_secrets()
    {
        _fs.With("/work/project/clouds.yaml", TwoClouds);
        var cloud = Loader.Load("alpha") with { Auth = Loader.Load("alpha").Auth with { ApplicationCredentialSecret = "ac-secret-xyz" } };

        cloud.ToString().ShouldNotContain("alpha-pass");
        cloud.Auth.ToString().ShouldNotContain("alpha-pass");
        cloud.ToString().ShouldNotContain("ac-secret-xyz");
        cloud.ToString().ShouldContain("alice");
    }

    [Fact]
    public void LoadFromFile_reads_an_explicit_file_and_its_secure_yaml()
    {
        _fs.With("/repo/.local/openstack/clouds.yaml", Single("local", "http://127.0.0.1:15000/v3"));
        _fs.With("/repo/.local/openstack/secure.yaml", "clouds: {local: {auth: {password: sec}}}");

        var cloud = CloudConfigLoader.LoadFromFile("/repo/.local/openstack/clouds.yaml", "local", _fs);
        cloud.Auth.Password.ShouldBe("sec");
        Should.Throw<CloudConfigException>(() => CloudConfigLoader.LoadFromFile("/repo/.local/openstack/clouds.yaml", "nope", _fs))
            .Message.ShouldBe("cloud 'nope' not found in /repo/.local/openstack/clouds.yaml; available: local");
    }
}
