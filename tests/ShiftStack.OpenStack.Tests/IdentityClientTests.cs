using System.Net;
using System.Text.Json;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

public class IdentityClientTests
{
    private static HttpResponseMessage EmptyNetworks(RecordedRequest _) => FakeHandler.Json(HttpStatusCode.OK, """{"networks": []}""");

    [Fact]
    public async Task Password_auth_sends_user_domain_and_project_scope_and_reads_the_subject_token()
    {
        using var cloud = new FakeCloud();
        using var identity = cloud.Identity();

        var token = await identity.GetTokenAsync();

        token.ProjectId.ShouldBe("p1");
        token.UserName.ShouldBe("demo");
        token.Roles.ShouldBe(["member"]);
        token.ExpiresAt.ShouldBe(cloud.Time.GetUtcNow() + TimeSpan.FromHours(1));
        var body = JsonDocument.Parse(cloud.AuthRequests.Single().Body!).RootElement.GetProperty("auth");
        body.GetProperty("identity").GetProperty("methods")[0].GetString().ShouldBe("password");
        var user = body.GetProperty("identity").GetProperty("password").GetProperty("user");
        user.GetProperty("name").GetString().ShouldBe("demo");
        user.GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
        user.GetProperty("password").GetString().ShouldBe(FakeCloud.Password);
        var project = body.GetProperty("scope").GetProperty("project");
        project.GetProperty("name").GetString().ShouldBe("demo-project");
        project.GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
    }

    [Fact]
    public async Task Ids_replace_names_in_the_auth_body()
    {
        using var cloud = new FakeCloud();
        var config = FakeCloud.Cloud() with { Auth = new CloudAuth { AuthUrl = FakeCloud.KeystoneUrl, UserId = "uid", Password = "pw", ProjectId = "pid" } };
        using var identity = cloud.Identity(config);

        await identity.GetTokenAsync();

        var auth = JsonDocument.Parse(cloud.AuthRequests.Single().Body!).RootElement.GetProperty("auth");
        auth.GetProperty("identity").GetProperty("password").GetProperty("user").GetProperty("id").GetString().ShouldBe("uid");
        auth.GetProperty("scope").GetProperty("project").GetProperty("id").GetString().ShouldBe("pid");
        auth.GetProperty("scope").GetProperty("project").TryGetProperty("domain", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Application_credential_auth_sends_id_and_secret_and_no_scope()
    {
        using var cloud = new FakeCloud();
        var config = FakeCloud.Cloud() with
        {
            AuthType = AuthTypes.ApplicationCredential,
            Auth = new CloudAuth { AuthUrl = FakeCloud.KeystoneUrl, ApplicationCredentialId = "ac1", ApplicationCredentialSecret = "ac-secret" },
        };
        using var identity = cloud.Identity(config);

        await identity.GetTokenAsync();

        var auth = JsonDocument.Parse(cloud.AuthRequests.Single().Body!).RootElement.GetProperty("auth");
        auth.GetProperty("identity").GetProperty("methods")[0].GetString().ShouldBe("application_credential");
        var credential = auth.GetProperty("identity").GetProperty("application_credential");
        credential.GetProperty("id").GetString().ShouldBe("ac1");
        credential.GetProperty("secret").GetString().ShouldBe("ac-secret");
        auth.TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Application_credential_by_name_sends_the_user()
    {
        using var cloud = new FakeCloud();
        var config = FakeCloud.Cloud() with
        {
            AuthType = AuthTypes.ApplicationCredential,
            Auth = new CloudAuth { AuthUrl = FakeCloud.KeystoneUrl, Username = "u", UserDomainName = "D", ApplicationCredentialName = "acn", ApplicationCredentialSecret = "s" },
        };
        using var identity = cloud.Identity(config);

        await identity.GetTokenAsync();

        var credential = JsonDocument.Parse(cloud.AuthRequests.Single().Body!).RootElement.GetProperty("auth").GetProperty("identity").GetProperty("application_credential");
        credential.GetProperty("name").GetString().ShouldBe("acn");
        credential.GetProperty("user").GetProperty("name").GetString().ShouldBe("u");
        credential.GetProperty("user").GetProperty("domain").GetProperty("name").GetString().ShouldBe("D");
    }

    [Theory]
    [InlineData("http://k.test:5000", "http://k.test:5000/v3/")]
    [InlineData("http://k.test:5000/", "http://k.test:5000/v3/")]
    [InlineData("http://k.test:5000/v3", "http://k.test:5000/v3/")]
    [InlineData("https://k.test/identity/v3/", "https://k.test/identity/v3/")]
    public void Auth_url_gets_v3_when_it_has_no_version(string authUrl, string expected)
    {
        using var identity = new Identity.IdentityClient(FakeCloud.Cloud() with { Auth = new CloudAuth { AuthUrl = authUrl } }, new OpenStackClientOptions { Handler = new FakeHandler() });

        identity.AuthUrl.AbsoluteUri.ShouldBe(expected);
    }

    [Theory]
    [InlineData("RegionOne", "public", "http://neutron.test:9696/")]
    [InlineData("RegionTwo", "public", "http://neutron-two.test:9696/")]
    [InlineData("RegionOne", "internal", "http://neutron-internal.test:9696/")]
    [InlineData("RegionOne", "internalURL", "http://neutron-internal.test:9696/")]
    [InlineData(null, "internal", "http://neutron-internal.test:9696/")]
    public async Task Endpoint_is_chosen_by_service_type_interface_and_region(string? region, string iface, string expected)
    {
        using var cloud = new FakeCloud();
        using var identity = cloud.Identity(FakeCloud.Cloud(region, iface));

        (await identity.GetEndpointAsync("network")).AbsoluteUri.ShouldBe(expected);
    }

    [Fact]
    public async Task No_matching_endpoint_names_service_type_interface_region_and_the_catalog()
    {
        using var cloud = new FakeCloud();
        using var identity = cloud.Identity(FakeCloud.Cloud("RegionThree", "admin"));

        var ex = await Should.ThrowAsync<OpenStackException>(() => identity.GetEndpointAsync("network"));

        ex.ErrorType.ShouldBe(ErrorTypes.EndpointNotFound);
        ex.Message.ShouldContain("no endpoint for service type 'network' with interface 'admin' in region 'RegionThree' in the catalog of cloud 'fake'");
        ex.Message.ShouldContain("network (internal RegionOne, public RegionTwo, public RegionOne)");
        var compute = await Should.ThrowAsync<OpenStackException>(() => identity.GetEndpointAsync("compute"));
        compute.Message.ShouldContain("service type 'compute'");
    }

    [Fact]
    public async Task Endpoint_overrides_from_options_and_cloud_win_over_the_catalog()
    {
        using var cloud = new FakeCloud();
        var options = cloud.Options() is var o ? new OpenStackClientOptions
        {
            Handler = o.Handler,
            TimeProvider = o.TimeProvider,
            EndpointOverrides = new Dictionary<string, Uri> { ["network"] = new("http://from-options:1") },
        } : null;
        using var withOptions = cloud.Identity(options: options);
        using var withCloud = cloud.Identity(FakeCloud.Cloud() with { EndpointOverrides = new Dictionary<string, string> { ["network"] = "http://from-cloud:2" } });

        (await withOptions.GetEndpointAsync("network")).ShouldBe(new Uri("http://from-options:1"));
        (await withCloud.GetEndpointAsync("network")).ShouldBe(new Uri("http://from-cloud:2"));
        cloud.TokensIssued.ShouldBe(0);
    }

    [Fact]
    public async Task Token_is_cached_across_requests()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/networks", EmptyNetworks);
        using var client = cloud.Networking();

        await client.Networks.ListAsync();
        await client.Networks.ListAsync();
        await client.Networks.ListAsync();

        cloud.TokensIssued.ShouldBe(1);
        cloud.NeutronRequests.ShouldAllBe(r => r.Header("X-Auth-Token") == "tok-1");
    }

    [Fact]
    public async Task Token_is_renewed_before_it_expires()
    {
        using var cloud = new FakeCloud(tokenLifetime: TimeSpan.FromMinutes(10));
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/networks", EmptyNetworks);
        using var client = cloud.Networking();

        await client.Networks.ListAsync();
        cloud.Time.Advance(TimeSpan.FromMinutes(7));
        await client.Networks.ListAsync();
        cloud.TokensIssued.ShouldBe(1);

        cloud.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(30)); // 1.5 min left < 2 min margin
        await client.Networks.ListAsync();

        cloud.TokensIssued.ShouldBe(2);
        cloud.NeutronRequests.Select(r => r.Header("X-Auth-Token")).ShouldBe(["tok-1", "tok-1", "tok-2"]);
    }

    [Fact]
    public async Task A_401_from_the_service_re_authenticates_once_and_succeeds()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.0/networks",
            r => r.Header("X-Auth-Token") == "tok-1"
                ? FakeHandler.Json(HttpStatusCode.Unauthorized, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""")
                : EmptyNetworks(r));
        using var client = cloud.Networking();

        var networks = await client.Networks.ListAsync();

        networks.ShouldBeEmpty();
        cloud.TokensIssued.ShouldBe(2);
        cloud.NeutronRequests.Select(r => r.Header("X-Auth-Token")).ShouldBe(["tok-1", "tok-2"]);
    }

    [Fact]
    public async Task A_second_401_is_thrown_as_an_authentication_failure()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(
            r => r.Uri.AbsolutePath == "/v2.0/networks",
            _ => FakeHandler.Json(HttpStatusCode.Unauthorized, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""", "req-n"));
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Networks.ListAsync());

        ex.IsAuthenticationFailure.ShouldBeTrue();
        ex.ErrorType.ShouldBe("Unauthorized");
        ex.RequestId.ShouldBe("req-n");
        cloud.TokensIssued.ShouldBe(2);
        cloud.NeutronRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Wrong_password_is_a_clear_authentication_error_without_the_password()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(
            r => r.Uri.AbsolutePath == "/v3/auth/tokens",
            _ => FakeHandler.Json(HttpStatusCode.Unauthorized, """{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}""", "req-k"));
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Networks.ListAsync());

        ex.IsAuthenticationFailure.ShouldBeTrue();
        ex.Message.ShouldContain("authentication failed for user 'demo' (domain 'Default'), project 'demo-project' at http://keystone.test:5000/v3/");
        ex.Message.ShouldContain("Check the credentials of cloud 'fake' in /fake/clouds.yaml");
        ex.Message.ShouldContain("[request id req-k]");
        ex.ToString().ShouldNotContain(FakeCloud.Password);
        cloud.Logs.All.ShouldNotContain(FakeCloud.Password);
        cloud.AuthRequests.Count().ShouldBe(1, "401 is never retried");
    }

    [Fact]
    public async Task Missing_password_is_a_configuration_error()
    {
        using var cloud = new FakeCloud();
        using var identity = cloud.Identity(FakeCloud.Cloud() with { Auth = FakeCloud.Cloud().Auth with { Password = null } });

        var ex = await Should.ThrowAsync<CloudConfigException>(() => identity.GetTokenAsync());
        ex.Message.ShouldBe("cloud 'fake' has no auth.password (put it in clouds.yaml, secure.yaml or OS_PASSWORD)");
    }

    [Fact]
    public async Task Token_response_without_subject_token_is_an_invalid_response()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(r => r.Uri.AbsolutePath == "/v3/auth/tokens", _ => FakeHandler.Json(HttpStatusCode.Created, """{"token": {"expires_at": "2030-01-01T00:00:00Z"}}"""));
        using var identity = cloud.Identity();

        (await Should.ThrowAsync<OpenStackException>(() => identity.GetTokenAsync())).ErrorType.ShouldBe(ErrorTypes.InvalidResponse);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_authentication()
    {
        using var cloud = new FakeCloud();
        using var identity = cloud.Identity();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => identity.GetTokenAsync()));

        cloud.TokensIssued.ShouldBe(1);
        tokens.Distinct().Count().ShouldBe(1);
    }
}
