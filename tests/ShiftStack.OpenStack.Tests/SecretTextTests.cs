using System.Text.RegularExpressions;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Tests.Fakes;

namespace ShiftStack.OpenStack.Tests;

/// <summary>
/// Redaction that neither mangles nor reveals: the same failed authentication (a refused port on loopback, as a user
/// with a wrong auth_url sees it) with a one-letter, two dictionary-word and a long password. The message and the log
/// must not depend on the password at all, but for the masked places: then they can neither be mangled by it nor
/// spell it out.
/// </summary>
public partial class SecretTextTests
{
    private const string LongPassword = "9c1f0e7a4b2d8e6f1a3c5b7d9e0f2a4c";

    [GeneratedRegex("req-[0-9a-f-]{36}")]
    private static partial Regex RequestId();

    [GeneratedRegex(@"\d+ ms")]
    private static partial Regex Milliseconds();

    private static async Task<(string Message, string Log)> FailToAuthenticate(string password, string authUrl = "http://127.0.0.1:1/v3")
    {
        using var log = new CapturingLoggerProvider();
        var cloud = new CloudConfig
        {
            Name = "refused",
            Auth = new CloudAuth { AuthUrl = authUrl, Username = "alice", Password = password, ProjectName = "p", UserDomainName = "Default", ProjectDomainName = "Default" },
        };
        var options = new OpenStackClientOptions
        {
            LoggerFactory = log,
            Retry = new RetryOptions { MaxAttempts = 1, UnavailableTimeout = TimeSpan.Zero },
        };
        using var identity = new IdentityClient(cloud, options);
        var ex = await Should.ThrowAsync<OpenStackException>(() => identity.GetTokenAsync());
        var normalized = Milliseconds().Replace(RequestId().Replace(log.All, "req-ID"), "N ms");
        return (ex.Message, normalized);
    }

    [Theory]
    [InlineData("t")]
    [InlineData("password")]
    [InlineData("openstack")]
    [InlineData(LongPassword)]
    public async Task A_failed_authentication_reads_the_same_whatever_the_password(string password)
    {
        var (reference, referenceLog) = await FailToAuthenticate("a-different-reference-password-0123456789");

        var (message, log) = await FailToAuthenticate(password);

        message.ShouldBe(reference);
        message.ShouldContain("http://127.0.0.1:1");
        message.ShouldNotContain(Redaction.Mask);
        log.ShouldBe(referenceLog);
        log.ShouldContain("\"password\":\"***\"");
        if (password.Length >= Redaction.MinScrubLength)
        {
            (message + log).ShouldNotContain(password);
        }
    }

    [Theory]
    [InlineData("t")]
    [InlineData(LongPassword)]
    public async Task A_password_in_the_auth_url_is_masked_in_the_message_and_the_log(string password)
    {
        var (message, log) = await FailToAuthenticate("x", $"http://alice:{password}@127.0.0.1:1/v3");

        message.ShouldContain("http://alice:***@127.0.0.1:1");
        log.ShouldContain("http://alice:***@127.0.0.1:1/v3/auth/tokens");
        (message + log).ShouldNotContain($"alice:{password}@");
    }
}
