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
        // (issue #20: a secret shorter than Redaction.MinScrubLength is no longer scrubbed from free text)
        Redaction.Scrub("bad password hunter2hunter2 for demo", "hunter2hunter2", null).ShouldBe("bad password *** for demo");
    }
}

public class RedactionScrubAndUrlTests
{
    private const string Refused = "identity POST http://127.0.0.1:1/v3/auth/tokens failed: ConnectionFailed: could not reach http://127.0.0.1:1: Connection refused (1 attempt)";

    [Theory]
    [InlineData("t")]
    [InlineData("password")]
    [InlineData("openstack")]
    [InlineData("http")]
    [InlineData("11-chars-pw")]
    public void A_short_or_dictionary_word_secret_is_not_scrubbed_from_text_so_messages_stay_readable_and_reveal_nothing(string secret)
    {
        Redaction.Scrub(Refused, secret).ShouldBe(Refused);
        Redaction.Scrub("bad password for openstack user", secret).ShouldBe("bad password for openstack user");
    }

    [Theory]
    [InlineData("4f6c1e0b9d2a7c3e8f5b1a6d0c9e2f7a")]
    [InlineData("correct horse battery staple")]
    [InlineData("gAAAAABnX2t0a2VuLXdpdGgtZW5vdWdoLWxlbmd0aA")]
    public void A_long_secret_is_scrubbed_wherever_it_stands(string secret)
    {
        var text = $"server said: {secret}; again:{secret}, glued x{secret}x";

        var scrubbed = Redaction.Scrub(text, secret);

        scrubbed.ShouldNotContain(secret);
        scrubbed.ShouldBe("server said: ***; again:***, glued x***x");
    }

    [Fact]
    public void The_scrub_threshold_is_twelve_characters()
    {
        Redaction.MinScrubLength.ShouldBe(12);
        Redaction.Scrub("a 123456789012 b", "123456789012").ShouldBe("a *** b");
        Redaction.Scrub("a 12345678901 b", "12345678901").ShouldBe("a 12345678901 b");
    }

    [Theory]
    [InlineData("http://alice:t@keystone.example:5000/v3", "http://alice:***@keystone.example:5000/v3")]
    [InlineData("http://alice:password@127.0.0.1:1/v3/auth/tokens", "http://alice:***@127.0.0.1:1/v3/auth/tokens")]
    [InlineData("http://alice@127.0.0.1:1/v3", "http://alice@127.0.0.1:1/v3")]
    [InlineData("http://127.0.0.1:15000/v3?password=x", "http://127.0.0.1:15000/v3?password=x")]
    public void A_url_s_user_information_password_is_masked(string url, string expected)
    {
        Redaction.Url(new Uri(url)).ShouldBe(expected);
    }

    [Fact]
    public void A_url_left_part_is_masked_too()
    {
        Redaction.Url(new Uri("http://alice:s3@127.0.0.1:1/v3/auth/tokens"), UriPartial.Authority).ShouldBe("http://alice:***@127.0.0.1:1");
        Redaction.Url(new Uri("http://alice:s3@127.0.0.1:1/v3/auth/tokens?x=1"), UriPartial.Path).ShouldBe("http://alice:***@127.0.0.1:1/v3/auth/tokens");
    }

    [Fact]
    public void An_error_for_a_url_with_credentials_shows_no_password()
    {
        var ex = new OpenStackException(
            System.Net.HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "down", "POST",
            new Uri("http://alice:t0p@127.0.0.1:1/v3/auth/tokens"), null, null, "identity");

        ex.Message.ShouldContain("http://alice:***@127.0.0.1:1/v3/auth/tokens");
        ex.Message.ShouldNotContain("t0p");
    }
}
