using System.Net;
using ShiftStack.OpenStack.Networking;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

/// <summary>Errors, retries, cancellation, request ids, counting and redaction, seen at the HTTP level.</summary>
public class TransportTests
{
    private const string PortJson = """{"port": {"id": "p1", "name": "api", "network_id": "n1", "mac_address": "fa:16:3e:12:34:56", "status": "DOWN", "fixed_ips": []}}""";

    private static HttpResponseMessage Ok(string json) => FakeHandler.Json(HttpStatusCode.OK, json);

    private static HttpResponseMessage PortOk(RecordedRequest _) => Ok(PortJson);

    private static HttpResponseMessage Neutron(HttpStatusCode status, string type, string message) =>
        FakeHandler.Json(status, $$$"""{"NeutronError": {"type": "{{{type}}}", "message": "{{{message}}}", "detail": ""}}""", "req-" + type);

    [Fact]
    public async Task Neutron_error_body_becomes_an_OpenStackException_with_status_type_message_request_id_method_and_url()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => Neutron(HttpStatusCode.NotFound, "PortNotFound", "Port nope could not be found."));
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("nope"));

        ex.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ex.ErrorType.ShouldBe(ErrorTypes.PortNotFound);
        ex.ErrorMessage.ShouldBe("Port nope could not be found.");
        ex.RequestId.ShouldBe("req-PortNotFound");
        ex.Method.ShouldBe("GET");
        ex.RequestUri.ShouldBe(new Uri("http://neutron.test:9696/v2.0/ports/nope"));
        ex.ServiceType.ShouldBe("network");
        ex.ClientRequestId.ShouldStartWith("req-");
        ex.IsNotFound.ShouldBeTrue();
        ex.Message.ShouldBe("network GET http://neutron.test:9696/v2.0/ports/nope failed: 404 PortNotFound: Port nope could not be found. [request id req-PortNotFound]");
    }

    [Fact]
    public async Task Keystone_error_body_is_parsed_into_the_same_exception_type()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(r => r.Uri.AbsolutePath == "/v3/auth/tokens", _ => FakeHandler.Json(HttpStatusCode.Forbidden, """{"error": {"code": 403, "title": "Forbidden", "message": "You are not authorized to perform the requested action."}}""", "req-ks"));
        using var identity = cloud.Identity();

        var ex = await Should.ThrowAsync<OpenStackException>(() => identity.GetTokenAsync());

        ex.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ex.ErrorType.ShouldBe("Forbidden");
        ex.ErrorMessage.ShouldBe("You are not authorized to perform the requested action.");
        ex.RequestId.ShouldBe("req-ks");
        ex.ServiceType.ShouldBe("identity");
        ex.Method.ShouldBe("POST");
    }

    [Theory]
    [InlineData("""{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}""", "itemNotFound", "Instance x could not be found.")]
    [InlineData("404 Not Found\n\nThe resource could not be found.\n\n   ", null, "404 Not Found The resource could not be found.")]
    [InlineData("", null, "Not Found")]
    [InlineData("""{"NeutronError": {"type": "X", "message": "m", "detail": "d"}}""", "X", "m (d)")]
    public async Task Other_error_bodies_are_read_too(string body, string? type, string message)
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(r => r.Uri.AbsolutePath.StartsWith("/v2.0/ports/", StringComparison.Ordinal), _ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent(body), ReasonPhrase = "Not Found" });
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("x"));

        ex.ErrorType.ShouldBe(type);
        ex.ErrorMessage.ShouldBe(message);
    }

    [Fact]
    public async Task Dropped_connection_is_retried()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(
            HttpMethod.Get,
            "/v2.0/ports/",
            _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
            PortOk);
        using var client = cloud.Networking();

        var port = await client.Ports.GetAsync("p1");

        port.Name.ShouldBe("api");
        cloud.NeutronRequests.Count().ShouldBe(3);
        client.Requests.Count("GET", "/v2.0/ports/{id}").ShouldBe(0, "p1 is not a UUID");
        client.Requests.Count("GET", "/v2.0/ports/p1").ShouldBe(3);
    }

    [Fact]
    public async Task Every_attempt_of_a_request_keeps_its_client_request_id_and_requests_differ()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => Neutron(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"), PortOk);
        using var client = cloud.Networking();

        await client.Ports.GetAsync("p1");
        await client.Ports.GetAsync("p1");

        var ids = cloud.Handler.Requests.Select(r => r.Header("X-Client-Request-Id")).ToList();
        ids.ShouldAllBe(id => id != null && id.StartsWith("req-"));
        var neutronIds = cloud.NeutronRequests.Select(r => r.Header("X-Client-Request-Id")).ToList();
        neutronIds[0].ShouldBe(neutronIds[1]);
        neutronIds[2].ShouldNotBe(neutronIds[0]);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Gateway_and_unavailable_statuses_are_retried(HttpStatusCode status)
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => FakeHandler.Json(status, "{}"), PortOk);
        using var client = cloud.Networking();

        (await client.Ports.GetAsync("p1")).Id.ShouldBe("p1");
        cloud.NeutronRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_409_that_says_to_retry_is_retried_but_other_409s_are_not()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Put, "/v2.0/ports/", _ => Neutron(HttpStatusCode.Conflict, "Conflict", "Resource is busy, please try again."), PortOk);
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/security-group-rules", _ => Neutron(HttpStatusCode.Conflict, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is abc."));
        using var client = cloud.Networking();

        (await client.Ports.UpdateAsync("p1", new PortUpdateOptions { Name = "x" })).Id.ShouldBe("p1");
        cloud.Handler.To("/v2.0/ports/").Count().ShouldBe(2);

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.SecurityGroupRules.CreateAsync(new SecurityGroupRuleCreateOptions { SecurityGroupId = "sg", Direction = RuleDirection.Ingress }));
        ex.ErrorType.ShouldBe(ErrorTypes.SecurityGroupRuleExists);
        ex.IsConflict.ShouldBeTrue();
        cloud.Handler.To("/v2.0/security-group-rules").Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_409_with_a_retriable_type_is_retried()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Delete, "/v2.0/ports/", _ => Neutron(HttpStatusCode.Conflict, "RetryRequest", "db deadlock"), _ => FakeHandler.NoContent());
        using var client = cloud.Networking();

        await client.Ports.DeleteAsync("p1");

        cloud.Handler.To("/v2.0/ports/").Count().ShouldBe(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "HTTPBadRequest")]
    [InlineData(HttpStatusCode.Forbidden, "PolicyNotAuthorized")]
    [InlineData(HttpStatusCode.NotFound, "PortNotFound")]
    [InlineData(HttpStatusCode.InternalServerError, "HTTPInternalServerError")]
    public async Task Client_errors_are_never_retried(HttpStatusCode status, string type)
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => Neutron(status, type, "no"));
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"));

        ex.StatusCode.ShouldBe(status);
        ex.ErrorType.ShouldBe(type);
        cloud.NeutronRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_POST_is_not_retried_when_the_request_may_have_reached_the_server()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        using var client = cloud.Networking();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.CreateAsync(new PortCreateOptions { NetworkId = "n1" }));

        ex.ErrorType.ShouldBe(ErrorTypes.ConnectionFailed);
        ex.StatusCode.ShouldBeNull();
        cloud.Handler.To("/v2.0/ports").Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_POST_is_retried_when_the_connection_was_refused()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(
            HttpMethod.Post,
            "/v2.0/ports",
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
            _ => FakeHandler.Json(HttpStatusCode.Created, PortJson));
        using var client = cloud.Networking();

        (await client.Ports.CreateAsync(new PortCreateOptions { NetworkId = "n1" })).Id.ShouldBe("p1");
        cloud.Handler.To("/v2.0/ports").Count().ShouldBe(2);
    }

    [Fact]
    public async Task Exhausted_retries_give_a_connection_failure_naming_the_host_and_attempts()
    {
        using var cloud = new FakeCloud();
        // As .NET's socket handler throws it: the inner socket error repeats the outer message's words.
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => throw new HttpRequestException(
            HttpRequestError.ConnectionError, "Connection refused (neutron.test:9696)", new System.Net.Sockets.SocketException(111, "Connection refused")));
        using var client = cloud.Networking(options: cloud.Options(maxAttempts: 4));

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"));

        ex.ErrorType.ShouldBe(ErrorTypes.ConnectionFailed);
        ex.Message.ShouldEndWith("could not reach http://neutron.test:9696: Connection refused (neutron.test:9696) (4 attempts)");
        ex.InnerException.ShouldBeOfType<HttpRequestException>();
        cloud.NeutronRequests.Count().ShouldBe(4);
    }

    [Fact]
    public async Task A_still_failing_503_is_thrown_after_the_last_attempt()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => Neutron(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"));
        using var client = cloud.Networking(options: cloud.Options(maxAttempts: 3));

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"));

        ex.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        cloud.NeutronRequests.Count().ShouldBe(3);
    }

    private static OpenStackClientOptions WaitingForRestarts(FakeCloud cloud, TimeSpan unavailableTimeout) => new()
    {
        Handler = cloud.Handler,
        TimeProvider = cloud.Time,
        LoggerFactory = cloud.Logs,
        Retry = new RetryOptions
        {
            MaxAttempts = 3,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            UnavailableTimeout = unavailableTimeout,
            UnavailableRetryDelay = TimeSpan.FromMilliseconds(5),
        },
    };

    private static Func<RecordedRequest, HttpResponseMessage>[] Down(int attempts, Func<RecordedRequest, HttpResponseMessage> then) =>
        [.. Enumerable.Repeat<Func<RecordedRequest, HttpResponseMessage>>(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), attempts), then];

    [Fact]
    public async Task A_restarting_service_that_refuses_connections_is_waited_for_beyond_the_attempts()
    {
        // Given Neutron restarting: 12 refused connections (more than the 3 attempts), then answers
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", Down(12, PortOk));
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        // When a port is read
        var port = await client.Ports.GetAsync("p1");

        // Then the request went through once the service was back
        port.Id.ShouldBe("p1");
        cloud.NeutronRequests.Count().ShouldBe(13);
    }

    [Fact]
    public async Task A_POST_is_retried_while_the_service_refuses_connections_since_it_never_saw_it()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", Down(8, _ => FakeHandler.Json(HttpStatusCode.Created, PortJson)));
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        (await client.Ports.CreateAsync(new PortCreateOptions { NetworkId = "n1" })).Id.ShouldBe("p1");
        cloud.Handler.To("/v2.0/ports").Count().ShouldBe(9);
    }

    [Fact]
    public async Task Keystone_down_during_authentication_is_waited_for()
    {
        using var cloud = new FakeCloud();
        var refusals = 10;
        cloud.Handler.On(r => r.Uri.AbsolutePath == "/v3/auth/tokens", _ => Interlocked.Decrement(ref refusals) >= 0
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
            : cloud.TokenResponse());
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", PortOk);
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        (await client.Ports.GetAsync("p1")).Id.ShouldBe("p1");
        cloud.AuthRequests.Count().ShouldBe(11);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task A_service_answering_unavailable_for_a_while_is_waited_for(HttpStatusCode status)
    {
        // keystonemiddleware in Neutron answers 503 while Keystone is down
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", [.. Enumerable.Repeat<Func<RecordedRequest, HttpResponseMessage>>(_ => Neutron(status, "ServiceUnavailable", "The server is currently unavailable."), 9), PortOk]);
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        (await client.Ports.GetAsync("p1")).Id.ShouldBe("p1");
        cloud.NeutronRequests.Count().ShouldBe(10);
    }

    [Fact]
    public async Task A_service_that_stays_down_is_given_up_after_the_unavailable_timeout()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (neutron.test:9696)"));
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromMilliseconds(300)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        ex.ErrorType.ShouldBe(ErrorTypes.ConnectionFailed);
        ex.Message.ShouldContain("could not reach http://neutron.test:9696: Connection refused (neutron.test:9696) (");
        cloud.NeutronRequests.Count().ShouldBeGreaterThan(3, "beyond MaxAttempts while the timeout lasts");
    }

    [Fact]
    public async Task Failures_that_are_not_unavailability_still_stop_after_the_attempts()
    {
        // A dropped response (the request may have been carried out) is not a service that is down.
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        cloud.Handler.OnSequence(HttpMethod.Put, "/v2.0/ports/", _ => Neutron(HttpStatusCode.Conflict, "RetryRequest", "db deadlock"));
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        (await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"))).ErrorType.ShouldBe(ErrorTypes.ConnectionFailed);
        (await Should.ThrowAsync<OpenStackException>(() => client.Ports.UpdateAsync("p1", new PortUpdateOptions { Name = "x" }))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        cloud.Handler.Requests.Count(r => r.Method == HttpMethod.Get && r.Uri.AbsolutePath.StartsWith("/v2.0/ports/", StringComparison.Ordinal)).ShouldBe(3);
        cloud.Handler.Requests.Count(r => r.Method == HttpMethod.Put).ShouldBe(3);
    }

    [Fact]
    public async Task A_request_safe_to_repeat_that_meets_restart_after_restart_keeps_waiting_for_the_service()
    {
        // Dropped (killed mid-request), refused while it restarts, then dropped again by the next restart at the last
        // counted attempt: a service that is coming and going, retried within UnavailableTimeout (issue #21).
        using var cloud = new FakeCloud();
        var attempts = 0;
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => ++attempts switch
        {
            1 or 4 => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
            2 or 3 => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
            _ => Ok(PortJson),
        });
        using var client = cloud.Networking(options: WaitingForRestarts(cloud, TimeSpan.FromSeconds(30)));

        (await client.Ports.GetAsync("p1")).Id.ShouldBe("p1");
        attempts.ShouldBe(5);
    }

    [Fact]
    public async Task Cancellation_before_the_call_throws_OperationCanceledException()
    {
        using var cloud = new FakeCloud();
        using var client = cloud.Networking();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => client.Ports.ListAsync(cancellationToken: cts.Token));
        cloud.Handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancellation_during_a_request_is_not_retried_nor_wrapped()
    {
        using var cloud = new FakeCloud();
        using var cts = new CancellationTokenSource();
        cloud.Handler.OnAsync(
            r => r.Uri.AbsolutePath == "/v2.0/ports",
            async (_, ct) =>
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
                return Ok("{}");
            });
        using var client = cloud.Networking();

        await Should.ThrowAsync<OperationCanceledException>(() => client.Ports.ListAsync(cancellationToken: cts.Token));
        cloud.NeutronRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Cancellation_during_the_backoff_delay_stops_retrying()
    {
        using var cloud = new FakeCloud();
        using var cts = new CancellationTokenSource();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ =>
        {
            cts.Cancel();
            return Neutron(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy");
        });
        var options = cloud.Options(maxAttempts: 5) is var o
            ? new OpenStackClientOptions { Handler = o.Handler, TimeProvider = o.TimeProvider, Retry = new RetryOptions { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(30) } }
            : null;
        using var client = cloud.Networking(options: options);

        await Should.ThrowAsync<OperationCanceledException>(() => client.Ports.GetAsync("p1", cts.Token));
        cloud.NeutronRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried_then_reported()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnAsync(r => r.Uri.AbsolutePath.StartsWith("/v2.0/ports/", StringComparison.Ordinal), async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Ok("{}");
        });
        var options = new OpenStackClientOptions
        {
            Handler = cloud.Handler,
            TimeProvider = cloud.Time,
            RequestTimeout = TimeSpan.FromMilliseconds(50),
            Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        using var client = cloud.Networking(options: options);

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Ports.GetAsync("p1"));

        ex.ErrorType.ShouldBe(ErrorTypes.ConnectionFailed);
        ex.Message.ShouldContain("no response within 0.1 s");
        cloud.NeutronRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Logs_are_at_debug_level_and_never_contain_passwords_or_tokens()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports", _ => Ok("""{"ports": []}"""));
        cloud.Handler.OnSequence(HttpMethod.Post, "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.Created, PortJson));
        using var client = cloud.Networking();

        await client.Ports.ListAsync();
        await client.Ports.CreateAsync(new PortCreateOptions
        {
            NetworkId = "n1",
            AdditionalProperties = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["application_credential_secret"] = System.Text.Json.JsonDocument.Parse("\"very-secret-value\"").RootElement,
            },
        });

        var logs = cloud.Logs.All;
        logs.ShouldContain("REQ POST http://keystone.test:5000/v3/auth/tokens");
        logs.ShouldContain("REQ GET http://neutron.test:9696/v2.0/ports");
        logs.ShouldContain("X-Auth-Token: ***");
        logs.ShouldContain("X-Subject-Token: ***");
        logs.ShouldContain("\"password\":\"***\"");
        logs.ShouldNotContain(FakeCloud.Password);
        logs.ShouldNotContain("tok-1");
        logs.ShouldNotContain("very-secret-value");
        cloud.Logs.Lines.ShouldAllBe(l => l.StartsWith("Debug:"));
    }

    [Fact]
    public async Task Request_counter_counts_attempts_by_service_method_and_path_template()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports", _ => Ok("""{"ports": []}"""));
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports/", _ => Neutron(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"), PortOk);
        using var client = cloud.Networking();

        await client.Ports.GetAsync("0b7e8a5c-1111-4b2e-9c1e-2f1d3c4b5a69");
        await client.Ports.ListAsync();
        await client.Ports.ListAsync();

        client.Requests.Total.ShouldBe(5);
        client.Requests.ForService("network").ShouldBe(4);
        client.Requests.ForService("identity").ShouldBe(1);
        client.Requests.Count("GET", "/v2.0/ports/{id}").ShouldBe(2);
        client.Requests.Count("GET", "/v2.0/ports").ShouldBe(2);
        client.Requests.Snapshot()[new RequestKey("identity", "POST", "/v3/auth/tokens")].ShouldBe(1);
        client.Requests.Reset();
        client.Requests.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Requests_carry_accept_json_user_agent_and_the_auth_token()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.OnSequence(HttpMethod.Get, "/v2.0/ports", _ => Ok("""{"ports": []}"""));
        using var client = cloud.Networking();

        await client.Ports.ListAsync();

        var request = cloud.NeutronRequests.Single();
        request.Header("Accept").ShouldBe("application/json");
        request.Header("User-Agent").ShouldBe("shiftstack");
        request.Header("X-Auth-Token").ShouldBe("tok-1");
        cloud.AuthRequests.Single().Header("X-Auth-Token").ShouldBeNull();
    }

    [Theory]
    [InlineData("network", "GET", false)]
    [InlineData("network", "HEAD", false)]
    [InlineData("identity", "POST", false)]
    [InlineData("network", "POST", true)]
    [InlineData("network", "PUT", true)]
    [InlineData("compute", "DELETE", true)]
    public void A_request_changes_the_cloud_unless_it_reads_or_asks_Keystone_for_a_token(string service, string method, bool changes)
    {
        new RequestKey(service, method, "/x").ChangesCloud.ShouldBe(changes);
        RequestCounter.Changes(new Dictionary<RequestKey, long> { [new RequestKey(service, method, "/x")] = 3, [new RequestKey("network", "GET", "/y")] = 5 })
            .ShouldBe(changes ? 3 : 0);
    }
}
