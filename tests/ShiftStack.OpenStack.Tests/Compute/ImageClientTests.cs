using System.Net;
using ShiftStack.OpenStack.Image;

namespace ShiftStack.OpenStack.Tests.Compute;

/// <summary>Glance v2: unwrapped answers, <c>next</c> paging, text error bodies.</summary>
public class ImageClientTests
{
    private const string ImageJson = """
        {"id": "i1", "name": "fake-img", "status": "active", "visibility": "public", "size": 1048576, "virtual_size": null,
         "disk_format": "raw", "container_format": "bare", "checksum": "abc", "os_hash_algo": "sha512", "os_hash_value": "def",
         "min_disk": 0, "min_ram": 0, "owner": "p0", "protected": false, "tags": [], "hw_disk_bus": "scsi",
         "created_at": "2025-01-01T12:00:00Z", "updated_at": "2025-01-01T12:00:01Z", "file": "/v2/images/i1/file", "self": "/v2/images/i1", "schema": "/v2/schemas/image"}
        """;

    [Fact]
    public async Task List_by_name_adds_v2_to_the_unversioned_endpoint_and_follows_next()
    {
        using var nova = new NovaFake();
        nova.Handler.On(
            r => r.Uri.Host == "glance.test" && r.Uri.AbsolutePath == "/v2/images" && !r.Uri.Query.Contains("marker", StringComparison.Ordinal),
            _ => NovaFake.Json($$"""{"images": [{{ImageJson}}], "first": "/v2/images?name=fake-img", "next": "/v2/images?name=fake-img&marker=i1", "schema": "/v2/schemas/images"}"""));
        nova.Handler.On(
            r => r.Uri.Host == "glance.test" && r.Uri.Query == "?name=fake-img&marker=i1",
            _ => NovaFake.Json("""{"images": [{"id": "i2", "name": "fake-img", "status": "queued", "tags": ["x"]}], "first": "/v2/images?name=fake-img", "schema": "/v2/schemas/images"}"""));
        using var client = nova.Image();

        var images = await client.Images.ListByNameAsync("fake-img");

        images.Select(i => i.Id).ShouldBe(["i1", "i2"]);
        images[0].Status.ShouldBe(ImageStatus.Active);
        images[0].Size.ShouldBe(1048576);
        images[0].DiskFormat.ShouldBe("raw");
        images[0].AdditionalProperties!["hw_disk_bus"].GetString().ShouldBe("scsi");
        images[1].Status.ShouldBe(ImageStatus.Queued);
        var first = nova.Handler.Requests.First(r => r.Uri.Host == "glance.test");
        first.Uri.AbsoluteUri.ShouldBe("http://glance.test:9292/v2/images?name=fake-img");
        first.Header("OpenStack-API-Version").ShouldBeNull();
        client.Requests.Count("GET", "/v2/images").ShouldBe(2);
    }

    [Fact]
    public async Task List_filters()
    {
        using var nova = new NovaFake();
        nova.Handler.On(r => r.Uri.Host == "glance.test", _ => NovaFake.Json("""{"images": []}"""));
        using var client = nova.Image();

        await client.Images.ListAsync(new ImageListOptions { Name = "rhcos", Status = ImageStatus.Active, Visibility = "all", Owner = "p1", Tags = ["a", "b"], Limit = 5 });

        nova.Handler.Requests.Last().Uri.Query.ShouldBe("?name=rhcos&status=active&visibility=all&owner=p1&tag=a&tag=b&limit=5");
    }

    [Fact]
    public async Task Get_reads_the_unwrapped_image_and_find_is_null_on_404()
    {
        using var nova = new NovaFake();
        nova.Handler.On(r => r.Uri.AbsoluteUri == "http://glance.test:9292/v2/images/i1", _ => NovaFake.Json(ImageJson));
        nova.Handler.On(r => r.Uri.AbsoluteUri == "http://glance.test:9292/v2/images/nope", _ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("404 Not Found\n\nNo image found with ID nope\n\n   ") });
        using var client = nova.Image();

        var image = await client.Images.GetAsync("i1");
        var missing = await client.Images.FindAsync("nope");
        var ex = await Should.ThrowAsync<OpenStackException>(() => client.Images.GetAsync("nope"));

        image.Name.ShouldBe("fake-img");
        image.OsHashAlgo.ShouldBe("sha512");
        image.CreatedAt.ShouldBe(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        missing.ShouldBeNull();
        ex.IsNotFound.ShouldBeTrue();
        ex.ServiceType.ShouldBe("image");
        ex.ErrorMessage.ShouldBe("404 Not Found No image found with ID nope");
    }
}
