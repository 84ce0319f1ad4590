namespace ShiftStack.Networking.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
