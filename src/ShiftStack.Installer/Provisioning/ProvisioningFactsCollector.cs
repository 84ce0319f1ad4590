using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Lookups;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// The <see cref="ProvisioningFacts"/> of an install-config: its <see cref="NetworkFacts"/> (the control-plane subnets
/// and network, the VIP ports, the floating IPs, the external network) made into what provisioning needs, a missing
/// or ambiguous resource into its error, and for servers the flavors and image looked up.
/// </summary>
public static class ProvisioningFactsCollector
{
    /// <summary>Collects the facts.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="network">The install-config's network facts (<see cref="NetworkFactsCollector"/>), maybe still
    /// being collected: the flavor and image look-ups start before they are awaited.</param>
    /// <param name="compute">Nova/Glance; null for network-only provisioning.</param>
    /// <param name="workers">Also look up the workers' flavor (<c>--create-workers</c>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ProvisioningException">Something the config names does not exist (or is ambiguous).</exception>
    public static async Task<ProvisioningFacts> CollectAsync(
        InstallConfiguration config,
        Task<NetworkFacts> network,
        IComputeProvisioning? compute,
        bool workers = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        var os = config.Platform.OpenStack ?? throw new ProvisioningException("platform.openstack is not set");
        var cpp = os.ControlPlanePort ?? throw new ProvisioningException(
            "platform.openstack.controlPlanePort is not set: ShiftStack provisions clusters on a network you bring");
        var computeTask = compute is null ? Task.FromResult<ComputeProvisioningFacts?>(null) : ComputeFactsAsync(config, os, compute, workers, cancellationToken);
        var facts = await network.ConfigureAwait(false);

        var subnets = Subnets(cpp.FixedIPs, facts.ControlPlanePortSubnets);
        var networkIds = subnets.Select(s => s.NetworkId).Distinct(StringComparer.Ordinal).ToList();
        if (networkIds.Count != 1)
        {
            throw new ProvisioningException("platform.openstack.controlPlanePort.fixedIPs: subnets must be on the same network");
        }

        var clusterNetwork = facts.ControlPlanePortNetwork?.Matches.FirstOrDefault(n => string.Equals(n.Id, networkIds[0], StringComparison.Ordinal))
            ?? throw (string.IsNullOrEmpty(cpp.Network.Id) && !string.IsNullOrEmpty(cpp.Network.Name)
                ? new ProvisioningException($"platform.openstack.controlPlanePort.network: network {cpp.Network.Name} does not contain the subnets")
                : new ProvisioningException($"network {networkIds[0]} of the controlPlanePort subnets not found"));

        // VIP ports: dual-stack only (the user pre-creates them), found by the first VIP of each list on the cluster network.
        var vipPorts = new List<VipPortFact>();
        var candidates = facts.VipPorts.Where(p => string.Equals(p.NetworkId, clusterNetwork.Id, StringComparison.Ordinal)).ToList();
        foreach (var (role, vips) in new[] { (VipRole.Api, os.ApiVips), (VipRole.Ingress, os.IngressVips) })
        {
            if (cpp.FixedIPs.Count == 2 && VipPort(candidates, clusterNetwork.Id, vips) is { } port)
            {
                vipPorts.Add(new VipPortFact(role, port));
            }
        }

        return new ProvisioningFacts
        {
            ClusterNetwork = clusterNetwork,
            ClusterSubnets = subnets,
            VipPorts = vipPorts,
            ApiFloatingIp = FloatingIp(facts.ApiFloatingIp, os.ApiFloatingIP, "apiFloatingIP"),
            IngressFloatingIp = FloatingIp(facts.IngressFloatingIp, os.IngressFloatingIP, "ingressFloatingIP"),
            ExternalNetwork = ExternalNetwork(facts.ExternalNetwork, os.ExternalNetwork),
            Compute = await computeTask.ConfigureAwait(false),
        };
    }

    /// <summary>The subnet of each <c>fixedIPs</c> entry, in order; exactly one must match each.</summary>
    private static Subnet[] Subnets(IReadOnlyList<FixedIP> fixedIPs, IReadOnlyList<Lookup<Subnet>> lookups) =>
        fixedIPs.Select((f, i) =>
        {
            var what = !string.IsNullOrEmpty(f.Subnet.Id) ? $"id {f.Subnet.Id}" : $"name {f.Subnet.Name}";
            return (i < lookups.Count ? lookups[i] : Lookup.None<Subnet>(what)) switch
            {
                { Found: { } subnet } => subnet,
                { IsMissing: true } => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: no subnet found with {what}"),
                _ => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: more than one subnet found with {what}"),
            };
        }).ToArray();

    /// <summary>The external network: the one network of that name with <c>router:external</c>.</summary>
    private static Network? ExternalNetwork(Lookup<Network>? lookup, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var found = lookup?.Matches.Where(n => n.RouterExternal == true).ToList() ?? [];
        return found.Count switch
        {
            1 => found[0],
            0 => throw new ProvisioningException($"platform.openstack.externalNetwork: external network {name} not found"),
            _ => throw new ProvisioningException($"platform.openstack.externalNetwork: more than one external network named {name}"),
        };
    }

    private static FloatingIp? FloatingIp(Lookup<FloatingIp>? lookup, string? address, string field) =>
        string.IsNullOrEmpty(address)
            ? null
            : lookup?.Found ?? throw new ProvisioningException($"platform.openstack.{field}: could not find FIP: {address}");

    private static IPAddress? FirstVip(IReadOnlyList<string> vips) =>
        vips.Count > 0 && IpAddresses.TryParse(vips[0], out IPAddress? vip) ? vip : null;

    private static Port? VipPort(IReadOnlyList<Port> candidates, string networkId, IReadOnlyList<string> vips)
    {
        if (FirstVip(vips) is not { } vip)
        {
            return null;
        }

        var found = candidates.Where(p => p.FixedIps.Any(f => IpAddresses.TryParse(f.IpAddress, out IPAddress? a) && a.Equals(vip))).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new ProvisioningException($"found multiple ports matching network ID {networkId} and IP {IpAddresses.Canonical(vip)}, cannot proceed"),
        };
    }

    private static async Task<ComputeProvisioningFacts?> ComputeFactsAsync(InstallConfiguration config, OpenStackPlatform os, IComputeProvisioning compute, bool workers, CancellationToken cancellationToken)
    {
        var flavorNames = new List<string> { ClusterPlanner.ControlPlaneFlavor(config, os) };
        if (workers && ClusterPlanner.WorkerPool(config) is { } pool)
        {
            flavorNames.Add(ClusterPlanner.WorkerFlavor(config, os, pool));
        }

        if (string.IsNullOrEmpty(os.ClusterOSImage))
        {
            throw new ProvisioningException(
                "platform.openstack.clusterOSImage is not set: ShiftStack boots servers from an existing Glance image and does not upload one (set it to the image name, or provision with --network-only)");
        }

        var flavors = flavorNames.Distinct(StringComparer.Ordinal)
            .Select(async name => (Name: name, Id: await compute.FindFlavorIdAsync(name, cancellationToken).ConfigureAwait(false)))
            .ToList();
        var image = compute.FindImageIdAsync(os.ClusterOSImage, cancellationToken);
        var flavorIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, id) in await Task.WhenAll(flavors).ConfigureAwait(false))
        {
            flavorIds[name] = id ?? throw new ProvisioningException($"flavor {name} not found");
        }

        var imageId = await image.ConfigureAwait(false) ?? throw new ProvisioningException($"platform.openstack.clusterOSImage: image {os.ClusterOSImage} not found");
        return new ComputeProvisioningFacts(flavorIds, imageId);
    }
}
