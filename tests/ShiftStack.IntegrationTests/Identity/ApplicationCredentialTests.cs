using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Identity;

/// <summary>
/// A token restricted by an application credential's access rules, against the real Keystone, Glance and Neutron:
/// it reads the one image's data and nothing else, and stops working when the credential is deleted. This is the
/// token the bootstrap's Ignition shim carries (least privilege where the reference hands over the user's own token).
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ApplicationCredentialTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_token_restricted_to_one_image_s_data_reads_it_and_nothing_else_until_its_credential_is_deleted()
    {
        using var client = cloud.CreateNetworkingClient();
        var credentials = new ApplicationCredentials(client.Identity);
        var glance = (await client.Identity.GetEndpointAsync("image")).AbsoluteUri.TrimEnd('/');
        var neutron = (await client.Identity.GetEndpointAsync("network")).AbsoluteUri.TrimEnd('/');
        using var http = new HttpClient();
        var made = new List<ApplicationCredential>();
        string? otherImage = null;
        IssuedToken? full = null;
        try
        {
            // A credential with all of the user's rights, to set the scene: a second image with data of its own.
            var unrestricted = await credentials.CreateAsync(cloud.Name("ac-setup"), "test set-up", DateTimeOffset.UtcNow.AddHours(1), []);
            made.Add(unrestricted);
            full = await credentials.IssueTokenAsync(unrestricted);
            var images = await Send(http, HttpMethod.Get, $"{glance}/v2/images?name=fake-img", full);
            images.StatusCode.ShouldBe(HttpStatusCode.OK);
            var fakeImg = JsonDocument.Parse(await images.Content.ReadAsStringAsync()).RootElement.GetProperty("images")[0].GetProperty("id").GetString()!;
            var create = await Send(http, HttpMethod.Post, $"{glance}/v2/images", full,
                JsonContent.Create(new Dictionary<string, string> { ["name"] = cloud.Name("ac-other"), ["disk_format"] = "raw", ["container_format"] = "bare" }));
            create.StatusCode.ShouldBe(HttpStatusCode.Created);
            otherImage = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var upload = await Send(http, HttpMethod.Put, $"{glance}/v2/images/{otherImage}/file", full, new ByteArrayContent("other image's data"u8.ToArray()) { Headers = { ContentType = new("application/octet-stream") } });
            upload.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var expected = await (await Send(http, HttpMethod.Get, $"{glance}/v2/images/{fakeImg}/file", full)).Content.ReadAsByteArrayAsync();

            var expiresAt = DateTimeOffset.UtcNow.AddHours(2);
            var restricted = await credentials.CreateAsync(cloud.Name("ac-one-image"), "one image's data", expiresAt,
                [new AccessRule("image", "GET", $"/v2/images/{fakeImg}/file")]);
            made.Add(restricted);
            restricted.AccessRules.ShouldBe([new AccessRule("image", "GET", $"/v2/images/{fakeImg}/file")]);
            restricted.ExpiresAt.ShouldNotBeNull().ShouldBe(expiresAt, TimeSpan.FromSeconds(1));
            restricted.ToString().ShouldNotContain("Secret");
            var token = await credentials.IssueTokenAsync(restricted);
            token.ExpiresAt.ShouldBeLessThanOrEqualTo(expiresAt.AddSeconds(1));
            token.ToString().ShouldNotContain(token.Value);

            var data = await Send(http, HttpMethod.Get, $"{glance}/v2/images/{fakeImg}/file", token);
            data.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await data.Content.ReadAsByteArrayAsync()).ShouldBe(expected);
            foreach (var (method, url) in new[]
            {
                (HttpMethod.Get, $"{glance}/v2/images"),
                (HttpMethod.Get, $"{glance}/v2/images/{fakeImg}"),
                (HttpMethod.Get, $"{glance}/v2/images/{otherImage}/file"),
                (HttpMethod.Delete, $"{glance}/v2/images/{fakeImg}"),
                (HttpMethod.Get, $"{neutron}/v2.0/networks"),
            })
            {
                var refused = await Send(http, method, url, token);
                ((int)refused.StatusCode).ShouldBeOneOf([401, 403], $"{method} {url}");
            }

            var keystone = client.Identity.AuthUrl.AbsoluteUri.TrimEnd('/');
            (await Validate(http, keystone, full, token)).ShouldBe(HttpStatusCode.OK);
            (await credentials.ListAsync(restricted.Name)).Select(c => c.Id).ShouldBe([restricted.Id]);
            (await credentials.DeleteAsync(restricted.Id)).ShouldBeTrue();
            (await credentials.DeleteAsync(restricted.Id)).ShouldBeFalse();
            (await credentials.ListAsync(restricted.Name)).ShouldBeEmpty();
            // Keystone revokes the tokens of a deleted credential at once (a service may still accept one for as long
            // as its keystone_authtoken cache keeps the validation, 5 minutes by default).
            (await Validate(http, keystone, full, token)).ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            if (otherImage is not null && full is not null)
            {
                await Send(http, HttpMethod.Delete, $"{glance}/v2/images/{otherImage}", full);
            }

            foreach (var c in made)
            {
                await credentials.DeleteAsync(c.Id);
            }
        }
    }

    private static async Task<HttpStatusCode> Validate(HttpClient http, string keystone, IssuedToken caller, IssuedToken subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{keystone}/auth/tokens");
        request.Headers.Add("X-Auth-Token", caller.Value);
        request.Headers.Add("X-Subject-Token", subject.Value);
        // what keystonemiddleware sends for a service that checks access rules (without it Keystone says 404)
        request.Headers.Add("OpenStack-Identity-Access-Rules", "1.0");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string url, IssuedToken token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("X-Auth-Token", token.Value);
        return http.SendAsync(request);
    }
}
