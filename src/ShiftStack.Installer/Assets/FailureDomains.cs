using ShiftStack.InstallConfig;

namespace ShiftStack.Installer.Assets;

/// <summary>The root-volume part of a failure domain.</summary>
/// <param name="AvailabilityZone">The Cinder availability zone ("" = none).</param>
/// <param name="VolumeType">The Cinder volume type ("" = default).</param>
public sealed record RootVolumeDomain(string AvailabilityZone, string VolumeType);

/// <summary>An OpenStack failure domain (openshift/api <c>machine/v1</c> <c>OpenStackFailureDomain</c>).</summary>
/// <param name="AvailabilityZone">The Nova availability zone ("" = none).</param>
/// <param name="RootVolume">Null when the pool has no root volume.</param>
public sealed record FailureDomain(string AvailabilityZone, RootVolumeDomain? RootVolume)
{
    /// <summary>True when the domain carries no value at all (reference <c>failureDomainIsEmpty</c>).</summary>
    public bool IsEmpty => AvailabilityZone.Length == 0
        && (RootVolume is null || (RootVolume.AvailabilityZone.Length == 0 && RootVolume.VolumeType.Length == 0));

    /// <summary>
    /// As many failure domains as the pool's variable-length fields (compute zones, root-volume zones and types)
    /// encode; values of the same index are grouped; a field with zero or one value applies to all. At least one.
    /// Reference <c>failureDomainsFromSpec</c>.
    /// </summary>
    public static IReadOnlyList<FailureDomain> FromPool(OpenStackMachinePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        int count;
        if (pool.RootVolume is { } rv)
        {
            count = 0;
            string? field = null;
            foreach (var (name, cardinality) in new[]
            {
                ("compute availability zones", pool.Zones.Count),
                ("storage availability zones", rv.Zones.Count),
                ("root volume types", rv.Types.Count),
            })
            {
                if (cardinality > 1)
                {
                    if (count > 1 && cardinality != count)
                    {
                        throw new AssetException($"{field} and {name} should have equal length");
                    }
                    count = cardinality;
                    field = name;
                }
            }
        }
        else
        {
            count = pool.Zones.Count;
        }
        count = Math.Max(count, 1);

        var domains = new List<FailureDomain>(count);
        for (var i = 0; i < count; i++)
        {
            var az = Pick(pool.Zones, i);
            RootVolumeDomain? volume = null;
            if (pool.RootVolume is { } v)
            {
                if (v.Types.Count == 0)
                {
                    throw new AssetException("root volume types should have been validated to have at least one element");
                }
                volume = new RootVolumeDomain(Pick(v.Zones, i), Pick(v.Types, i));
            }
            domains.Add(new FailureDomain(az, volume));
        }
        return domains;
    }

    /// <summary>Null when the only domain is empty (one empty failure domain is not valid in a CPMS).</summary>
    public static IReadOnlyList<FailureDomain>? Prune(IReadOnlyList<FailureDomain> domains) =>
        domains.Count == 1 && domains[0].IsEmpty ? null : domains;

    private static string Pick(IReadOnlyList<string> values, int i) => values.Count switch
    {
        0 => string.Empty,
        1 => values[0],
        _ => values[i],
    };
}
