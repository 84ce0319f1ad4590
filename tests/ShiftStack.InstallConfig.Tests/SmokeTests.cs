namespace ShiftStack.InstallConfig.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
