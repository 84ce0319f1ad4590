using System.Net;
using System.Text.Json.Nodes;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>The shared <see cref="FakeCloud"/> with Nova and Glance endpoints in its catalog, plus Nova-shaped responses.</summary>
public sealed class NovaFake : IDisposable
{
    public const string NovaUrl = "http://nova.test:8774/v2.1";
    public const string GlanceUrl = "http://glance.test:9292";
    public const string ServerId = "0b7b3c2e-5a8f-4b8e-9d53-2f6f1a3c9e11";

    public NovaFake(string novaUrl = NovaUrl)
    {
        Cloud.CatalogJson = $$"""
            [
              {"type": "identity", "name": "keystone", "id": "k1", "endpoints": [
                {"id": "e1", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{FakeCloud.KeystoneUrl}}"}]},
              {"type": "network", "name": "neutron", "id": "n1", "endpoints": [
                {"id": "e4", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{FakeCloud.NeutronUrl}}"}]},
              {"type": "compute", "name": "nova", "id": "c1", "endpoints": [
                {"id": "e5", "interface": "internal", "region_id": "RegionOne", "region": "RegionOne", "url": "http://nova-internal.test:8774/v2.1"},
                {"id": "e6", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{novaUrl}}"}]},
              {"type": "image", "name": "glance", "id": "g1", "endpoints": [
                {"id": "e7", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{GlanceUrl}}"}]}
            ]
            """;
    }

    public FakeCloud Cloud { get; } = new();

    public FakeHandler Handler => Cloud.Handler;

    public IEnumerable<RecordedRequest> NovaRequests => Handler.Requests.Where(r => r.Uri.Host == "nova.test");

    public ComputeClient Compute(string? microversion = null, int maxAttempts = 3) =>
        new(FakeCloud.Cloud(), Cloud.Options(maxAttempts), microversion);

    public ImageClient Image() => new(FakeCloud.Cloud(), Cloud.Options());

    /// <summary>Answers METHOD on exactly this path (no query) under the Nova host.</summary>
    public NovaFake On(HttpMethod method, string path, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        Handler.On(r => r.Method == method && r.Uri.AbsolutePath == path, respond);
        return this;
    }

    /// <summary>Answers GETs of one path with the given responses in turn (the last repeats).</summary>
    public NovaFake OnGetSequence(string path, params Func<HttpResponseMessage>[] responses)
    {
        var index = 0;
        Handler.On(
            r => r.Method == HttpMethod.Get && r.Uri.AbsolutePath == path,
            _ => responses[Math.Min(Interlocked.Increment(ref index) - 1, responses.Length - 1)]());
        return this;
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeHandler.Json(status, json, "req-nova");

    public static HttpResponseMessage NovaError(HttpStatusCode status, string fault, string message)
    {
        var response = FakeHandler.Json(status, "{\"" + fault + "\": {\"code\": " + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"message\": \"" + message + "\"}}");
        response.Headers.TryAddWithoutValidation("x-compute-request-id", "req-compute-1");
        return response;
    }

    public static HttpResponseMessage Server(string status, string? extra = null, string id = ServerId) => Json(ServerJson(status, extra, id));

    public static string ServerJson(string status, string? extra = null, string id = ServerId) => $$$"""
        {"server": {
          "id": "{{{id}}}", "name": "ss-master-0", "status": "{{{status}}}", "tenant_id": "p1", "user_id": "u1",
          "metadata": {"Name": "ss-master-0", "openshiftClusterID": "ss-abc12"},
          "tags": ["openshiftClusterID=ss-abc12"],
          "addresses": {
            "ss-net": [
              {"version": 4, "addr": "10.0.0.11", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:11:22:33"},
              {"version": 6, "addr": "fd2e:6f44:5dd8:c956:f816:3eff:fe11:2233", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:11:22:33"}]},
          "flavor": {"vcpus": 4, "ram": 16384, "disk": 100, "ephemeral": 0, "swap": 0, "original_name": "m1.xlarge", "extra_specs": {}},
          "image": {"id": "img-1", "links": []},
          "OS-EXT-AZ:availability_zone": "nova", "OS-EXT-STS:vm_state": "{{{status.ToLowerInvariant()}}}", "OS-EXT-STS:task_state": null,
          "OS-EXT-STS:power_state": 1, "hostId": "abc", "config_drive": "True", "key_name": null,
          "security_groups": [{"name": "ss-abc12-master"}], "server_groups": ["g1"],
          "created": "2025-01-01T12:00:00Z", "updated": "2025-01-01T12:00:10Z",
          "locked": false{{{(extra is null ? "" : ", " + extra)}}}}}
        """;

    public static bool SameJson(string? actual, string expected) =>
        JsonNode.DeepEquals(JsonNode.Parse(actual ?? "null"), JsonNode.Parse(expected));

    public void Dispose() => Cloud.Dispose();
}
