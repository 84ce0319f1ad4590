using System.Globalization;
using ShiftStack.InstallConfig;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Installer.Assets;
using ShiftStack.OpenStack.Compute;

namespace ShiftStack.Installer.Preflight.Rules;

/// <summary>A machine pool merged as the reference's <c>Validate</c> merges it, with the path its findings go to.</summary>
/// <param name="Pool">The merged pool (<c>zones: [""]</c>, then <c>defaultMachinePlatform</c>, then the pool's own).</param>
/// <param name="ControlPlane">True for <c>controlPlane</c> (the larger flavor minimums).</param>
/// <param name="Path"><c>controlPlane.platform.openstack</c> or <c>compute[i].platform.openstack</c>.</param>
internal sealed record PoolToCheck(ResolvedPool Pool, bool ControlPlane, FieldPath Path);

/// <summary>
/// The reference's machine-pool checks against the cloud (<c>pkg/asset/installconfig/openstack/validation/
/// machinepool.go</c>, <c>ValidateMachinePool</c>, run by <c>validate.go</c> on the control plane and then on each
/// compute pool, each merged with <c>platform.openstack.defaultMachinePlatform</c>), in its order per pool:
/// <list type="number">
/// <item>with a <c>rootVolume</c>: each of its <c>types</c> exists; <c>size</c> at least 25 GB (a warning below
/// 100 GB); its <c>zones</c> exist as volume zones; one volume zone, or as many as compute zones;</item>
/// <item>the flavor (<c>type</c>): given, exists, and unless it is a bare-metal flavor meets the role's minimums
/// (control plane 16384 MB RAM, 4 vCPUs; compute 8192 MB, 2 vCPUs; 25 GB disk when there is no root volume, with a
/// warning below 100 GB);</item>
/// <item>the compute <c>zones</c> exist;</item>
/// <item><c>additionalNetworkIDs</c> and <c>additionalSecurityGroupIDs</c> are UUID v4s.</item>
/// </list>
/// What needs facts is judged only when they were collected: without a compute endpoint in the catalog the flavor's
/// existence, minimums and the compute zones are not checked (the reference then cannot create its compute client and
/// skips every pre-flight check); a root volume without a block-storage endpoint is an error of ShiftStack's.
/// </summary>
internal static class MachinePoolRules
{
    /// <summary><c>minimumStorage</c>: GB of disk (flavor or root volume) below which a pool is refused.</summary>
    public const int MinimumStorage = 25;

    /// <summary><c>recommendedStorage</c>: GB of disk below which the reference warns.</summary>
    public const int RecommendedStorage = 100;

    private const string ZoneDetail = "Zone either does not exist in this cloud, or is not available";

    private static readonly FlavorMinimums ControlPlaneMinimums = new(16384, 4, MinimumStorage);
    private static readonly FlavorMinimums ComputeMinimums = new(8192, 2, MinimumStorage);

    /// <summary>The control-plane pool, then each compute pool, merged with the defaults.</summary>
    public static IReadOnlyList<PoolToCheck> Pools(InstallConfiguration config)
    {
        var os = config.Platform.OpenStack ?? new OpenStackPlatform();
        var pools = new List<PoolToCheck>
        {
            new(ResolvedPool.From(config.ControlPlane ?? new MachinePool(), os, "master"), true, FieldPath.Root("controlPlane", "platform", "openstack")),
        };
        pools.AddRange(config.Compute.Select((pool, i) =>
            new PoolToCheck(ResolvedPool.From(pool, os, "worker"), false, FieldPath.Root("compute").Index(i).Child("platform").Child("openstack"))));
        return pools;
    }

    /// <summary>True when a pool names compute zones (not only the default <c>[""]</c>).</summary>
    public static bool NeedsComputeZones(IReadOnlyList<PoolToCheck> pools) => pools.Any(p => NamesZones(p.Pool.Platform.Zones));

    /// <summary>True when a pool's root volume names volume types.</summary>
    public static bool NeedsVolumeTypes(IReadOnlyList<PoolToCheck> pools) => pools.Any(p => p.Pool.Platform.RootVolume is { Types.Count: > 0 });

    /// <summary>True when a pool's root volume names volume zones.</summary>
    public static bool NeedsVolumeZones(IReadOnlyList<PoolToCheck> pools) => pools.Any(p => p.Pool.Platform.RootVolume is { } rv && NamesZones(rv.Zones));

    /// <summary>True when the flavor meets the largest minimums (control plane, without a root volume).</summary>
    public static bool MeetsEveryMinimum(Flavor flavor) => Shortfalls(flavor, ControlPlaneMinimums, storage: true).Count == 0;

    public static void Validate(PreflightContext c)
    {
        foreach (var pool in Pools(c.Config))
        {
            ValidatePool(c, pool);
        }
    }

    private static void ValidatePool(PreflightContext c, PoolToCheck p)
    {
        var pool = p.Pool.Platform;
        var storage = pool.RootVolume is null;
        if (pool.RootVolume is { } rv)
        {
            ValidateRootVolume(c, p, rv);
        }

        ValidateFlavor(c, p, storage);
        if (c.Cloud.Compute.Zones is { } computeZones)
        {
            ValidateZones(c, pool.Zones, computeZones, p.Path.Child("zones"));
        }

        ValidateUuids(c, pool.AdditionalNetworkIds, p.Path.Child("additionalNetworkIDs"));
        ValidateUuids(c, pool.AdditionalSecurityGroupIds, p.Path.Child("additionalSecurityGroupIDs"));
    }

    private static void ValidateRootVolume(PreflightContext c, PoolToCheck p, RootVolume rv)
    {
        var path = p.Path.Child("rootVolume");
        var volume = c.Cloud.Volume;
        if (volume is { HasEndpoint: false })
        {
            c.Error(FieldError.Invalid(path, c.Cloud.CloudName,
                $"the cloud has no block-storage (volumev3) endpoint in its catalog, so root volumes cannot be created "
                + ShiftStackCheck.Differs("cannot create its volume client and skips every pre-flight check")));
        }
        else if (volume?.UnavailableReason is { } reason)
        {
            c.Warn(path, ShiftStackCheck.Mark($"the volume types and zones were not checked: {reason}"));
        }

        if (volume?.Types is { } types)
        {
            var known = types.ToHashSet(StringComparer.Ordinal);
            foreach (var type in rv.Types.Where(t => !known.Contains(t)))
            {
                c.Error(FieldError.Invalid(path.Child("types"), type, "Volume type either does not exist in this cloud, or is not available"));
            }
        }

        if (rv.Size < MinimumStorage)
        {
            c.Error(FieldError.Invalid(path.Child("size"), rv.Size, string.Create(CultureInfo.InvariantCulture,
                $"Volume size must be greater than {MinimumStorage} GB to use root volumes, had {rv.Size} GB")));
        }
        else if (rv.Size < RecommendedStorage)
        {
            c.Warn(path.Child("size"), string.Create(CultureInfo.InvariantCulture,
                $"Volume size is recommended to be greater than {RecommendedStorage} GB to use root volumes, had {rv.Size} GB"));
        }

        if (volume?.Zones is { } volumeZones)
        {
            ValidateZones(c, rv.Zones, volumeZones, path.Child("zones"));
        }

        if (rv.Zones.Count != 1 && rv.Zones.Count != p.Pool.Platform.Zones.Count)
        {
            c.Error(FieldError.Invalid(path.Child("zones"), rv.Zones,
                "there must be either just one volume availability zone common to all nodes or the number of compute and volume availability zones must be equal"));
        }
    }

    private static void ValidateFlavor(PreflightContext c, PoolToCheck p, bool storage)
    {
        var path = p.Path.Child("type");
        var name = p.Pool.Platform.FlavorName;
        if (string.IsNullOrEmpty(name))
        {
            c.Error(FieldError.Required(path, "Flavor name must be provided"));
            return;
        }

        var compute = c.Cloud.Compute;
        if (!compute.HasEndpoint || compute.UnavailableReason is not null)
        {
            // Nothing to check against (the quota rules warn about unreadable Nova facts).
            return;
        }

        if (!compute.Flavors.TryGetValue(name, out var flavor))
        {
            c.Error(FieldError.NotFound(path, name));
            return;
        }

        if (compute.BaremetalFlavors.Contains(flavor.Name))
        {
            return;
        }

        var shortfalls = Shortfalls(flavor, p.ControlPlane ? ControlPlaneMinimums : ComputeMinimums, storage);
        if (shortfalls.Count > 0)
        {
            c.Error(FieldError.Invalid(path, flavor.Name, "Flavor did not meet the following minimum requirements: " + string.Join("; ", shortfalls)));
        }

        if (storage && flavor.Disk >= MinimumStorage && flavor.Disk < RecommendedStorage)
        {
            c.Warn(path, string.Create(CultureInfo.InvariantCulture,
                $"Flavor does not meet the following recommended requirements: It is recommended to have {RecommendedStorage} GB Disk, had {flavor.Disk} GB"));
        }
    }

    private static List<string> Shortfalls(Flavor flavor, FlavorMinimums minimums, bool storage)
    {
        var errors = new List<string>(3);
        if (flavor.Ram < minimums.Ram)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Must have minimum of {minimums.Ram} MB RAM, had {flavor.Ram} MB"));
        }

        if (flavor.Vcpus < minimums.Vcpus)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Must have minimum of {minimums.Vcpus} VCPUs, had {flavor.Vcpus}"));
        }

        if (storage && flavor.Disk < minimums.Disk)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Must have minimum of {minimums.Disk} GB Disk, had {flavor.Disk} GB"));
        }

        return errors;
    }

    /// <summary><c>validateZones</c>: the default <c>[""]</c> is not checked; every other entry must be available.</summary>
    private static void ValidateZones(PreflightContext c, IReadOnlyList<string> zones, IReadOnlyList<string> available, FieldPath path)
    {
        if (!NamesZones(zones))
        {
            return;
        }

        var known = available.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            if (!known.Contains(zones[i]))
            {
                c.Error(FieldError.Invalid(path.Child("zone").Index(i), zones[i], ZoneDetail));
            }
        }
    }

    private static void ValidateUuids(PreflightContext c, IReadOnlyList<string> ids, FieldPath path)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (!IsUuidV4(ids[i]))
            {
                c.Error(FieldError.Invalid(path.Index(i), ids[i], "valid UUID v4 must be specified"));
            }
        }
    }

    /// <summary>
    /// A UUID in one of the forms Go's <c>uuid.Parse</c> accepts (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>, the
    /// same in braces or after <c>urn:uuid:</c>, or 32 hex digits) whose version nibble is 4.
    /// </summary>
    internal static bool IsUuidV4(string text)
    {
        var s = text;
        if (s.Length == 45 && s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[9..];
        }
        else if (s.Length == 38 && s[0] == '{' && s[^1] == '}')
        {
            s = s[1..^1];
        }

        string hex;
        if (s.Length == 36)
        {
            if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
            {
                return false;
            }

            hex = s.Remove(23, 1).Remove(18, 1).Remove(13, 1).Remove(8, 1);
        }
        else if (s.Length == 32)
        {
            hex = s;
        }
        else
        {
            return false;
        }

        return hex.All(char.IsAsciiHexDigit) && hex[12] == '4';
    }

    private static bool NamesZones(IReadOnlyList<string> zones) => zones.Count > 0 && !(zones.Count == 1 && zones[0].Length == 0);

    private sealed record FlavorMinimums(int Ram, int Vcpus, int Disk);
}
