using System.Net;
using ShiftStack.InstallConfig;
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

        // Subnets (one request each, concurrently), then the network.
        var subnetTasks = cpp.FixedIPs.Select(f => FindSubnetAsync(network, f.Subnet, cpp.Network.Id, cancellationToken)).ToList();
        var externalTask = string.IsNullOrEmpty(os.ExternalNetwork)
            ? Task.FromResult<Network?>(null)
            : FindExternalNetworkAsync(network, os.ExternalNetwork, cancellationToken);
        var apiFipTask = FindFloatingIpAsync(network, os.ApiFloatingIP, "apiFloatingIP", cancellationToken);
        var ingressFipTask = FindFloatingIpAsync(network, os.IngressFloatingIP, "ingressFloatingIP", cancellationToken);
        var computeTask = compute is null ? Task.FromResult<ComputeProvisioningFacts?>(null) : ComputeFactsAsync(config, os, compute, workers, cancellationToken);

        var subnets = await Task.WhenAll(subnetTasks).ConfigureAwait(false);
        var networkIds = subnets.Select(s => s.NetworkId).Distinct(StringComparer.Ordinal).ToList();
        if (networkIds.Count != 1)
        {
            throw new ProvisioningException("platform.openstack.controlPlanePort.fixedIPs: subnets must be on the same network");
        }

        var clusterNetwork = await network.Networks.FindAsync(networkIds[0], cancellationToken).ConfigureAwait(false)
            ?? throw new ProvisioningException($"network {networkIds[0]} of the controlPlanePort subnets not found");
        if (!string.IsNullOrEmpty(cpp.Network.Name) && string.IsNullOrEmpty(cpp.Network.Id)
            && !string.Equals(clusterNetwork.Name, cpp.Network.Name, StringComparison.Ordinal))
        {
            throw new ProvisioningException($"platform.openstack.controlPlanePort.network: network {cpp.Network.Name} does not contain the subnets");
        }

        // VIP ports: dual-stack only (the user pre-creates them), looked up by the first VIP of each list.
        var vipPorts = new List<VipPortFact>();
        if (cpp.FixedIPs.Count == 2)
        {
            var api = FindVipPortAsync(network, clusterNetwork.Id, os.ApiVips, cancellationToken);
            var ingress = FindVipPortAsync(network, clusterNetwork.Id, os.IngressVips, cancellationToken);
            if (await api.ConfigureAwait(false) is { } apiPort)
            {
                vipPorts.Add(new VipPortFact(VipRole.Api, apiPort));
            }

            if (await ingress.ConfigureAwait(false) is { } ingressPort)
            {
                vipPorts.Add(new VipPortFact(VipRole.Ingress, ingressPort));
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

    private static async Task<Subnet> FindSubnetAsync(NetworkingClient network, SubnetFilter filter, string? networkId, CancellationToken cancellationToken)
    {
        var options = new SubnetListOptions
        {
            Ids = string.IsNullOrEmpty(filter.Id) ? null : [filter.Id],
            Name = string.IsNullOrEmpty(filter.Name) ? null : filter.Name,
            NetworkId = string.IsNullOrEmpty(networkId) ? null : networkId,
        };
        var found = await network.Subnets.ListAsync(options, cancellationToken).ConfigureAwait(false);
        var what = !string.IsNullOrEmpty(filter.Id) ? $"id {filter.Id}" : $"name {filter.Name}";
        return found.Count switch
        {
            1 => found[0],
            0 => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: no subnet found with {what}"),
            _ => throw new ProvisioningException($"platform.openstack.controlPlanePort.fixedIPs: more than one subnet found with {what}"),
        };
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

    private static async Task<Port?> FindVipPortAsync(NetworkingClient network, string networkId, IReadOnlyList<string> vips, CancellationToken cancellationToken)
    {
        if (vips.Count == 0 || !IpAddresses.TryParse(vips[0], out IPAddress? vip))
        {
            return null;
        }

        var found = await network.Ports.ListAsync(new PortListOptions { NetworkId = networkId, FixedIps = [FixedIpFilter.ByIpAddress(vip)] }, cancellationToken).ConfigureAwait(false);
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
