namespace ShiftStack.IntegrationTests;

public class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
