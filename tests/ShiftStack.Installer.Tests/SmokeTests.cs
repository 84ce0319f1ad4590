namespace ShiftStack.Installer.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
