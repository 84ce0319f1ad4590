using ShiftStack.Installer.Preflight;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.Installer.Tests.Preflight;

/// <summary>
/// What `validate` prints when the cloud cannot be asked must neither be mangled by a short password nor spell it out
/// by the holes of a text-wide replacement (issue: with the password "t", "identity" once read "iden***i***y").
/// A refused port on loopback stands for an unreachable cloud.
/// </summary>
public sealed class CloudCheckSecretTests
{
    private static async Task<string> FailureWith(string password)
    {
        var cloud = new CloudConfig
        {
            Name = "refused",
            Auth = new CloudAuth { AuthUrl = "http://127.0.0.1:1/v3", Username = "openstack", Password = password, ProjectName = "openstack", UserDomainName = "Default", ProjectDomainName = "Default" },
        };
        var options = new OpenStackClientOptions { Retry = new RetryOptions { MaxAttempts = 1, UnavailableTimeout = TimeSpan.Zero } };

        var outcome = await CloudCheck.RunAsync(PreflightFixtures.DualStack(), "refused", _ => cloud, options);

        outcome.Checked.ShouldBeFalse();
        return outcome.Failure.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("t")]
    [InlineData("i")]
    [InlineData("password")]
    [InlineData("openstack")]
    [InlineData("0d9f3b1c7e5a2f4d6b8c0e1a3f5d7b9c")]
    public async Task The_failure_reads_the_same_whatever_the_password(string password)
    {
        var reference = await FailureWith("another-password-of-some-length-42");

        var failure = await FailureWith(password);

        failure.ShouldBe(reference);
        failure.ShouldContain("identity POST http://127.0.0.1:1/v3/auth/tokens");
        failure.ShouldNotContain(Redaction.Mask);
    }
}
