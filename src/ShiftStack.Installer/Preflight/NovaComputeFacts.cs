using ShiftStack.Installer.Preflight.Rules;
using ShiftStack.OpenStack.Compute;

namespace ShiftStack.Installer.Preflight;

/// <summary>
/// Reads Nova's facts concurrently: the flavors the project can use (<c>GET /flavors/detail</c>, matched by name here
/// because Nova has no name filter), the project's quota with usage (<c>GET /os-quota-sets/{project}/detail</c>) and,
/// when a machine pool names one, the compute zones (<c>GET /os-availability-zone</c>). A flavor's <c>baremetal</c>
/// extra spec comes with the flavor list (microversion 2.61 and later); only when the policy hides it, and only for a
/// flavor below the minimums (the one case where it changes the verdict), is it asked for separately.
/// </summary>
public sealed class NovaComputeFacts : IComputeFactsSource
{
    /// <summary>The extra spec that marks a bare-metal flavor (value <c>"true"</c>).</summary>
    public const string BaremetalSpec = "baremetal";

    private readonly ComputeClient _compute;

    /// <summary>Creates the source.</summary>
    /// <param name="compute">The Nova client (sharing the Neutron client's identity client keeps one token).</param>
    public NovaComputeFacts(ComputeClient compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        _compute = compute;
    }

    /// <inheritdoc />
    public Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, CancellationToken cancellationToken = default) =>
        CollectAsync(flavorNames, false, cancellationToken);

    /// <inheritdoc />
    public async Task<ComputeFacts> CollectAsync(IReadOnlyCollection<string> flavorNames, bool zones, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flavorNames);
        var flavors = flavorNames.Count > 0 ? _compute.Flavors.ListAsync(null, cancellationToken) : Task.FromResult<IReadOnlyList<Flavor>>([]);
        var quota = _compute.Quotas.GetDetailsForCurrentProjectAsync(cancellationToken);
        var zoneList = zones ? _compute.AvailabilityZones.ListAsync(cancellationToken) : Task.FromResult<IReadOnlyList<AvailabilityZone>>([]);
        await Task.WhenAll(flavors, quota, zoneList).ConfigureAwait(false);
        var wanted = flavorNames.ToHashSet(StringComparer.Ordinal);
        var found = (await flavors.ConfigureAwait(false))
            .Where(f => wanted.Contains(f.Name))
            .GroupBy(f => f.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var baremetal = await Task.WhenAll(found.Values.Select(f => IsBaremetalAsync(f, cancellationToken))).ConfigureAwait(false);
        return new ComputeFacts
        {
            HasEndpoint = true,
            Quota = await quota.ConfigureAwait(false),
            Flavors = found,
            BaremetalFlavors = baremetal.OfType<string>().ToHashSet(StringComparer.Ordinal),
            Zones = zones ? (await zoneList.ConfigureAwait(false)).Where(z => z.Available).Select(z => z.Name).ToList() : null,
        };
    }

    /// <summary>The flavor's name when it is a bare-metal flavor, else null.</summary>
    private async Task<string?> IsBaremetalAsync(Flavor flavor, CancellationToken cancellationToken)
    {
        string? value;
        if (flavor.ExtraSpecs is { } specs)
        {
            specs.TryGetValue(BaremetalSpec, out value);
        }
        else if (!MachinePoolRules.MeetsEveryMinimum(flavor))
        {
            value = await _compute.Flavors.FindExtraSpecAsync(flavor.Id, BaremetalSpec, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return null;
        }

        return string.Equals(value, "true", StringComparison.Ordinal) ? flavor.Name : null;
    }
}
