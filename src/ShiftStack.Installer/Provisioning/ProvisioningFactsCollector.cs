using System.Net;
using ShiftStack.InstallConfig;
using ShiftStack.Installer.Preflight;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// Fetches the <see cref="ProvisioningFacts"/> of an install-config: the control-plane subnets and network, the VIP
/// ports (by <c>network_id</c> and <c>fixed_ips=ip_address=&lt;VIPs[0]&gt;</c> in RFC 5952 text), the floating IPs,
/// the external network and, for servers, the flavor and image. Independent look-ups run concurrently.
/// </summary>
public static class ProvisioningFactsCollector
{
    /// <summary>Collects the facts.</summary>
    /// <param name="config">The defaulted, valid install-config.</param>
    /// <param name="network">Neutron.</param>
    /// <param name="compute">Nova/Glance; null for network-only provisioning.</param>
    /// <param name="workers">Also look up the workers' flavor (<c>--create-workers</c>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ProvisioningException">Something the config names does not exist (or is ambiguous).</exception>
    public static async Task<ProvisioningFacts> CollectAsync(
        InstallConfiguration config,
        NetworkingClient network,
        IComputeProvisioning? compute,
        bool workers = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        var os = config.Platform.OpenStack ?? throw new ProvisioningException("platform.openstack is not set");
        var cpp = os.ControlPlanePort ?? throw new ProvisioningException(
            "platform.openstack.controlPlanePort is not set: ShiftStack provisions clusters on a network you bring");

        // Every look-up that does not need another's answer starts at once: the subnets (one request for all), the
        // network when the config names it, the VIP ports (one request for both addresses; kept to the cluster
        // network below), the floating IPs, the external network, and for servers the flavors and image.
        var networkId = string.IsNullOrEmpty(cpp.Network.Id) ? null : cpp.Network.Id;
        var subnetsTask = FindSubnetsAsync(network, cpp.FixedIPs, networkId, cancellationToken);
        var namedNetworkTask = networkId is not null
            ? NetworkByIdAsync(network, networkId, cancellationToken)
            : string.IsNullOrEmpty(cpp.Network.Name)
                ? null
                : network.Networks.ListAsync(new NetworkListOptions { Name = cpp.Network.Name }, cancellationToken);
        var vipPortsTask = cpp.FixedIPs.Count == 2
            ? ListVipPortsAsync(network, networkId, [os.ApiVips, os.IngressVips], cancellationToken)
            : Task.FromResult<IReadOnlyList<Port>>([]);
        var externalTask = string.IsNullOrEmpty(os.ExternalNetwork)
            ? Task.FromResult<Network?>(null)
            : FindExternalNetworkAsync(network, os.ExternalNetwork, cancellationToken);
        var apiFipTask = FindFloatingIpAsync(network, os.ApiFloatingIP, "apiFloatingIP", cancellationToken);
        var ingressFipTask = FindFloatingIpAsync(network, os.IngressFloatingIP, "ingressFloatingIP", cancellationToken);
        var computeTask = compute is null ? Task.FromResult<ComputeProvisioningFacts?>(null) : ComputeFactsAsync(config, os, compute, workers, cancellationToken);

        var subnets = await subnetsTask.ConfigureAwait(false);
        var networkIds = subnets.Select(s => s.NetworkId).Distinct(StringComparer.Ordinal).ToList();
        if (networkIds.Count != 1)
        {
            throw new ProvisioningException("platform.openstack.controlPlanePort.fixedIPs: subnets must be on the same network");
        }

        Network clusterNetwork;
        if (namedNetworkTask is null)
        {
            clusterNetwork = await network.Networks.FindAsync(networkIds[0], cancellationToken).ConfigureAwait(false)
                ?? throw new ProvisioningException($"network {networkIds[0]} of the controlPlanePort subnets not found");
        }
        else
        {
            clusterNetwork = (await namedNetworkTask.ConfigureAwait(false)).FirstOrDefault(n => string.Equals(n.Id, networkIds[0], StringComparison.Ordinal))
                ?? throw (networkId is not null
                    ? new ProvisioningException($"network {networkIds[0]} of the controlPlanePort subnets not found")
                    : new ProvisioningException($"platform.openstack.controlPlanePort.network: network {cpp.Network.Name} does not contain the subnets"));
        }

        // VIP ports: dual-stack only (the user pre-creates them), found by the first VIP of each list.
        var vipPorts = new List<VipPortFact>();
        var candidates = (await vipPortsTask.ConfigureAwait(false)).Where(p => string.Equals(p.NetworkId, clusterNetwork.Id, StringComparison.Ordinal)).ToList();
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
            ApiFloatingIp = await apiFipTask.ConfigureAwait(false),
            IngressFloatingIp = await ingressFipTask.ConfigureAwait(false),
            ExternalNetwork = await externalTask.ConfigureAwait(false),
            Compute = await computeTask.ConfigureAwait(false),
        };
    }

    /// <summary>The subnet of each <c>fixedIPs</c> entry, in order (pre-flight's look-up); exactly one must match each.</summary>
    private static async Task<Subnet[]> FindSubnetsAsync(NetworkingClient network, IReadOnlyList<FixedIP> fixedIPs, string? networkId, CancellationToken cancellationToken)
    {
        var lookups = await CloudInfoCollector.LookUpSubnetsAsync(network, fixedIPs, networkId, cancellationToken).ConfigureAwait(false);
        return fixedIPs.Select((f, i) =>
        {
            var what = !string.IsNullOrEmpty(f.Subnet.Id) ? $"id {f.Subnet.Id}" : $"name {f.Subnet.Name}";
            return lookups[i] switch
            {
                { Found: { } subnet } => subnet,
                { IsMissing: true } => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: no subnet found with {what}"),
                _ => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: more than one subnet found with {what}"),
            };
        }).ToArray();
    }

    private static async Task<Network?> FindExternalNetworkAsync(NetworkingClient network, string name, CancellationToken cancellationToken)
    {
        var found = await network.Networks.ListAsync(new NetworkListOptions { Name = name, RouterExternal = true }, cancellationToken).ConfigureAwait(false);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new ProvisioningException($"platform.openstack.externalNetwork: external network {name} not found"),
            _ => throw new ProvisioningException($"platform.openstack.externalNetwork: more than one external network named {name}"),
        };
    }

    private static async Task<FloatingIp?> FindFloatingIpAsync(NetworkingClient network, string? address, string field, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var text = IpAddresses.TryParse(address, out IPAddress? parsed) ? IpAddresses.Canonical(parsed) : address;
        var found = await network.FloatingIps.ListAsync(new FloatingIpListOptions { FloatingIpAddress = text }, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : throw new ProvisioningException($"platform.openstack.{field}: could not find FIP: {address}");
    }

    private static async Task<IReadOnlyList<Network>> NetworkByIdAsync(NetworkingClient network, string id, CancellationToken cancellationToken) =>
        await network.Networks.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } found ? [found] : [];

    /// <summary>The ports holding the first address of each VIP list, in one request (repeated <c>fixed_ips</c> are ORed).</summary>
    private static async Task<IReadOnlyList<Port>> ListVipPortsAsync(NetworkingClient network, string? networkId, IEnumerable<IReadOnlyList<string>> vipLists, CancellationToken cancellationToken)
    {
        var filters = FixedIpFilter.ByAnyIpAddress(vipLists.Where(v => v.Count > 0).Select(v => v[0]));
        return filters.Count == 0
            ? []
            : await network.Ports.ListAsync(new PortListOptions { NetworkId = networkId, FixedIps = filters }, cancellationToken).ConfigureAwait(false);
    }

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
