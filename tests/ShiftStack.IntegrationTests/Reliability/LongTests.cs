namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// <c>SHIFTSTACK_LONG_TESTS=1</c> turns the reliability tests into their long variants (README, "Reliability tests").
/// </summary>
internal static class LongTests
{
    public static bool Enabled => Environment.GetEnvironmentVariable("SHIFTSTACK_LONG_TESTS") == "1";
}
