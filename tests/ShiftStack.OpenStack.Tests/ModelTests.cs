using System.Net;
using System.Text.Json;
using ShiftStack.OpenStack.Networking;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

public class ModelTests
{
    [Fact]
    public async Task Absent_fields_keep_their_defaults_and_unknown_fields_are_kept_aside()
    {
        using var cloud = new FakeCloud();
        cloud.Handler.On(r => r.Uri.AbsolutePath == "/v2.0/ports", _ => FakeHandler.Json(HttpStatusCode.OK, """{"ports": [{"id": "p1", "name": "x", "binding:profile": {"a": 1}, "future_field": true}]}"""));
        using var client = cloud.Networking();

        var port = (await client.Ports.ListAsync()).Single();

        port.Id.ShouldBe("p1");
        port.MacAddress.ShouldBe(string.Empty);
        port.FixedIps.ShouldNotBeNull().ShouldBeEmpty();
        port.Tags.ShouldNotBeNull().ShouldBeEmpty();
        port.SecurityGroups.ShouldNotBeNull().ShouldBeEmpty();
        port.AdditionalProperties.ShouldNotBeNull().Keys.ShouldBe(["binding:profile", "future_field"], ignoreOrder: true);
    }
}
