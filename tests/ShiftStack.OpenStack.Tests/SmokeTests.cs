namespace ShiftStack.OpenStack.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
