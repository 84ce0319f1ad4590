using System.Text;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Tests;

public class RedactionTests
{
    [Fact]
    public void Secret_values_are_masked_at_any_depth_and_other_values_kept()
    {
        const string json = """
            {"auth": {"identity": {"methods": ["password", "application_credential"],
              "password": {"user": {"name": "demo", "password": "hunter2"}},
              "application_credential": {"id": "ac", "secret": "s3cr3t", "nested": {"client_secret": {"a": "deep"}}}}},
             "count": 3, "ok": true, "none": null, "list": [1, "two"]}
            """;

        var redacted = Redaction.RedactJson(Encoding.UTF8.GetBytes(json));

        redacted.ShouldNotContain("hunter2");
        redacted.ShouldNotContain("s3cr3t");
        redacted.ShouldNotContain("deep");
        redacted.ShouldContain("\"name\":\"demo\"");
        redacted.ShouldContain("\"methods\":[\"password\",\"application_credential\"]");
        redacted.ShouldContain("\"count\":3,\"ok\":true,\"none\":null,\"list\":[1,\"two\"]");
        redacted.ShouldContain("\"user\":{\"name\":\"demo\",\"password\":\"***\"}");
        redacted.ShouldContain("\"secret\":\"***\"");
    }

    [Fact]
    public void Text_that_is_not_json_is_logged_truncated()
    {
        var text = new string('x', 5000);

        var logged = Redaction.ForLog(Encoding.UTF8.GetBytes(text));

        logged.Length.ShouldBeLessThan(4200);
        logged.ShouldEndWith("... (5000 chars)");
    }

    [Theory]
    [InlineData("X-Auth-Token", true)]
    [InlineData("x-subject-token", true)]
    [InlineData("Authorization", true)]
    [InlineData("X-Client-Request-Id", false)]
    public void Sensitive_headers(string header, bool sensitive) => Redaction.IsSensitiveHeader(header).ShouldBe(sensitive);

    [Fact]
    public void Scrub_removes_known_secrets_from_server_text()
    {
        Redaction.Scrub("bad password hunter2 for demo", "hunter2", null).ShouldBe("bad password *** for demo");
    }
}
