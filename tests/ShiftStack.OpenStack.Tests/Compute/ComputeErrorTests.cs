using System.Net;
using ShiftStack.OpenStack.Compute;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>Nova's error bodies become <see cref="OpenStackException"/> with the fault key as the type.</summary>
public class ComputeErrorTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound, ComputeErrorTypes.ItemNotFound, "Instance nope could not be found.")]
    [InlineData(HttpStatusCode.BadRequest, ComputeErrorTypes.BadRequest, "Invalid input for field/attribute flavorRef.")]
    [InlineData(HttpStatusCode.Forbidden, ComputeErrorTypes.Forbidden, "Quota exceeded for cores: Requested 8, but already used 20 of 20 cores")]
    [InlineData(HttpStatusCode.Conflict, ComputeErrorTypes.ConflictingRequest, "Port 1 is still in use.")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, ComputeErrorTypes.OverLimit, "Maximum number of ports exceeded")]
    [InlineData(HttpStatusCode.InternalServerError, ComputeErrorTypes.ComputeFault, "Unexpected API Error.")]
    public async Task Nova_fault_bodies_are_read_into_type_message_status_and_compute_request_id(HttpStatusCode status, string fault, string message)
    {
        using var nova = new NovaFake();
        nova.Handler.On(r => r.Uri.Host == "nova.test", _ => NovaFake.NovaError(status, fault, message));
        using var client = nova.Compute(maxAttempts: 1);

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.GetAsync("nope"));

        ex.StatusCode.ShouldBe(status);
        ex.ErrorType.ShouldBe(fault);
        ex.Is(fault).ShouldBeTrue();
        ex.ErrorMessage.ShouldBe(message);
        ex.RequestId.ShouldBe("req-compute-1");
        ex.ServiceType.ShouldBe("compute");
        ex.Method.ShouldBe("GET");
        ex.Message.ShouldBe($"compute GET {NovaFake.NovaUrl}/servers/nope failed: {(int)status} {fault}: {message} [request id req-compute-1]");
    }

    [Fact]
    public async Task A_conflictingRequest_is_not_retried()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Post, "/v2.1/servers", _ => NovaFake.NovaError(HttpStatusCode.Conflict, "conflictingRequest", "Port port-1 is still in use."));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.CreateAsync(new ServerCreateOptions { Name = "a", FlavorRef = "f", ImageRef = "i", Networks = [ServerNetwork.OnPort("port-1")] }));

        ex.IsConflict.ShouldBeTrue();
        nova.NovaRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_503_on_a_GET_is_retried()
    {
        using var nova = new NovaFake();
        nova.OnGetSequence(
            "/v2.1/servers/" + NovaFake.ServerId,
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("") },
            () => NovaFake.Server("ACTIVE"));
        using var client = nova.Compute();

        (await client.Servers.GetAsync(NovaFake.ServerId)).Status.ShouldBe(ServerStatus.Active);
        nova.NovaRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_catalog_without_compute_is_EndpointNotFound()
    {
        using var nova = new NovaFake();
        nova.Cloud.CatalogJson = """[{"type": "network", "name": "neutron", "id": "n1", "endpoints": [{"id": "e", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://neutron.test:9696"}]}]""";
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.ListAsync());

        ex.ErrorType.ShouldBe(ErrorTypes.EndpointNotFound);
    }

    [Fact]
    public async Task An_unexpected_body_is_InvalidResponse()
    {
        using var nova = new NovaFake();
        nova.On(HttpMethod.Get, "/v2.1/servers/x", _ => NovaFake.Json("""{"servers": []}"""));
        using var client = nova.Compute();

        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Servers.GetAsync("x"));

        ex.ErrorType.ShouldBe(ErrorTypes.InvalidResponse);
        ex.ErrorMessage.ShouldBe("unexpected response: the response has no 'server'");
    }
}
