namespace ShiftStack.IntegrationTests.Preflight;

/// <summary>
/// The seed's dual-stack network (IPv4 subnet, IPv6 SLAAC subnet with a router, <c>api</c> and <c>ingress</c> ports),
/// built once per test class for the tests that only read it, and deleted after the class. It has a
/// <see cref="LocalCloud"/> of its own (xunit class fixtures cannot receive the collection fixture), which fails the
/// same way when the local cloud is missing.
/// </summary>
public sealed class SharedDualStack : IAsyncLifetime, IDisposable
{
    private readonly LocalCloud _cloud = new();

    public PreflightScenario Scenario { get; private set; } = null!;

    public DualStackNetwork Net { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _cloud.InitializeAsync();
        Scenario = new PreflightScenario(_cloud);
        Net = await Scenario.DualStackAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Scenario.CleanUpAsync();
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => _cloud.Dispose();
}
