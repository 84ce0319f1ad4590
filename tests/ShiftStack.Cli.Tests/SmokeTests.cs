namespace ShiftStack.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
