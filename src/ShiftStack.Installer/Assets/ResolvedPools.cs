using ShiftStack.InstallConfig;
using ShiftStack.Installer.Planning;

namespace ShiftStack.Installer.Assets;

/// <summary>
/// A machine pool with its OpenStack settings merged as the reference does: the default machine pool
/// (<c>zones: [""]</c>), then <c>platform.openstack.defaultMachinePlatform</c>, then the pool's own
/// <c>platform.openstack</c>, each non-empty field overriding.
/// </summary>
/// <param name="Name">The pool name (<c>master</c>, <c>worker</c>).</param>
/// <param name="Replicas">The replica count.</param>
/// <param name="Platform">The merged OpenStack settings.</param>
public sealed record ResolvedPool(string Name, long Replicas, OpenStackMachinePool Platform)
{
    /// <summary>Merges the pool as the reference's <c>MachinePool.Set</c> calls do.</summary>
    public static ResolvedPool From(MachinePool pool, OpenStackPlatform platform, string defaultName)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(platform);
        var merged = new OpenStackMachinePool { Zones = [string.Empty] };
        merged = Set(merged, platform.DefaultMachinePlatform);
        merged = Set(merged, pool.Platform.OpenStack);
        return new ResolvedPool(string.IsNullOrEmpty(pool.Name) ? defaultName : pool.Name, pool.Replicas ?? 3, merged);
    }

    private static OpenStackMachinePool Set(OpenStackMachinePool o, OpenStackMachinePool? required)
    {
        if (required is null)
        {
            return o;
        }
        var rootVolume = o.RootVolume;
        if (required.RootVolume is { } rv)
        {
            rootVolume ??= new RootVolume();
            rootVolume = rootVolume with
            {
                Size = rv.Size != 0 ? rv.Size : rootVolume.Size,
                Types = rv.Types.Count > 0 ? rv.Types : rootVolume.Types,
                Zones = rv.Zones.Count > 0 ? rv.Zones : rootVolume.Zones,
            };
        }
        return o with
        {
            FlavorName = string.IsNullOrEmpty(required.FlavorName) ? o.FlavorName : required.FlavorName,
            RootVolume = rootVolume,
            ServerGroupPolicy = string.IsNullOrEmpty(required.ServerGroupPolicy) ? o.ServerGroupPolicy : required.ServerGroupPolicy,
            AdditionalNetworkIds = required.AdditionalNetworkIds.Count > 0 ? required.AdditionalNetworkIds : o.AdditionalNetworkIds,
            AdditionalSecurityGroupIds = required.AdditionalSecurityGroupIds.Count > 0 ? required.AdditionalSecurityGroupIds : o.AdditionalSecurityGroupIds,
            Zones = required.Zones.Count > 0 ? required.Zones : o.Zones,
        };
    }
}

/// <summary>The control-plane pool and the compute pools, merged.</summary>
/// <param name="ControlPlane">The <c>controlPlane</c> pool.</param>
/// <param name="Compute">The <c>compute</c> pools.</param>
public sealed record ResolvedPools(ResolvedPool ControlPlane, IReadOnlyList<ResolvedPool> Compute)
{
    /// <summary>The worker pool (<c>compute</c> named <c>worker</c>, the only name OpenStack compute pools take); null when there is none.</summary>
    public ResolvedPool? Worker => Compute.FirstOrDefault(p => p.Name == MachineRole.Worker.Name);

    /// <summary>The pools of an install-config, merged with <c>platform.openstack.defaultMachinePlatform</c>.</summary>
    public static ResolvedPools From(InstallConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var os = config.Platform.OpenStack ?? throw new ArgumentException("platform.openstack is not set", nameof(config));
        return new ResolvedPools(
            ResolvedPool.From(config.ControlPlane ?? new MachinePool { Name = MachineRole.Master.Name }, os, MachineRole.Master.Name),
            config.Compute.Select(p => ResolvedPool.From(p, os, MachineRole.Worker.Name)).ToList());
    }
}
