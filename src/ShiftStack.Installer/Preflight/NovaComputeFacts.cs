using ShiftStack.OpenStack.Compute;

namespace ShiftStack.Installer.Preflight;

/// <summary>
/// Reads Nova's facts for the quota check with two concurrent requests: the flavors the project can use
/// (<c>GET /flavors/detail</c>, matched by name here because Nova has no name filter) and the project's quota with
/// usage (<c>GET /os-quota-sets/{project}/detail</c>).
/// </summary>
public sealed class NovaComputeFacts : IComputeFactsSource
{
    private readonly ComputeClient _compute;

    /// <summary>Creates the source.</summary>
    /// <param name="compute">The Nova client (sharing the Neutron client's identity client keeps one token).</param>
    public NovaComputeFacts(ComputeClient compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        _compute = compute;
    }

    /// <inheritdoc />
    public async Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flavorNames);
        var flavors = flavorNames.Count > 0 ? _compute.Flavors.ListAsync(null, cancellationToken) : Task.FromResult<IReadOnlyList<Flavor>>([]);
        var quota = _compute.Quotas.GetDetailsForCurrentProjectAsync(cancellationToken);
        await Task.WhenAll(flavors, quota).ConfigureAwait(false);
        var wanted = flavorNames.ToHashSet(StringComparer.Ordinal);
        return new ComputeFacts
        {
            HasEndpoint = true,
            Quota = await quota.ConfigureAwait(false),
            Flavors = (await flavors.ConfigureAwait(false))
                .Where(f => wanted.Contains(f.Name))
                .GroupBy(f => f.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
        };
    }
}
