using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Provisioning;

/// <summary>Which VIP list a VIP port serves.</summary>
public enum VipRole
{
    /// <summary><c>apiVIPs</c>.</summary>
    Api,

    /// <summary><c>ingressVIPs</c>.</summary>
    Ingress,
}

/// <summary>A user's pre-created VIP port, found by its fixed IP (the first VIP of the list).</summary>
/// <param name="Role">API or Ingress.</param>
/// <param name="Port">The port as Neutron returned it (its security groups, tags and revision are the "before" state).</param>
public sealed record VipPortFact(VipRole Role, Port Port);

/// <summary>The Nova side of the facts: what servers are built from.</summary>
/// <param name="FlavorIds">The IDs of the flavors the servers use, by name (the control plane's, and the workers' with <c>--create-workers</c>).</param>
/// <param name="ImageId">The image's ID.</param>
public sealed record ComputeProvisioningFacts(IReadOnlyDictionary<string, string> FlavorIds, string ImageId)
{
    /// <summary>The ID of a flavor the servers use.</summary>
    /// <exception cref="InvalidOperationException">The flavor was not looked up (a bug: the planner and the collector disagree).</exception>
    public string FlavorId(string name) =>
        FlavorIds.TryGetValue(name, out var id) ? id : throw new InvalidOperationException($"flavor {name} was not looked up");
}

/// <summary>
/// What the plan needs to know about the cloud, fetched once (<see cref="ProvisioningFactsCollector"/>); tests build
/// it by hand. Everything here belongs to the user: ShiftStack reads it and changes only the VIP ports' tags, security
/// groups and floating-IP associations.
/// </summary>
public sealed record ProvisioningFacts
{
    /// <summary>The cluster network (<c>controlPlanePort.network</c>, or the network of its subnets).</summary>
    public required Network ClusterNetwork { get; init; }

    /// <summary>The <c>controlPlanePort.fixedIPs</c> subnets, in install-config order.</summary>
    public required IReadOnlyList<Subnet> ClusterSubnets { get; init; }

    /// <summary>The user's VIP ports (dual-stack, load balancer not user-managed); one per VIP list that has a port.</summary>
    public IReadOnlyList<VipPortFact> VipPorts { get; init; } = [];

    /// <summary>The floating IP of <c>apiFloatingIP</c>, when set.</summary>
    public FloatingIp? ApiFloatingIp { get; init; }

    /// <summary>The floating IP of <c>ingressFloatingIP</c>, when set.</summary>
    public FloatingIp? IngressFloatingIp { get; init; }

    /// <summary><c>platform.openstack.externalNetwork</c>, when set.</summary>
    public Network? ExternalNetwork { get; init; }

    /// <summary>Flavor and image IDs; null in network-only mode.</summary>
    public ComputeProvisioningFacts? Compute { get; init; }

    /// <summary>The VIP port of a role, if any.</summary>
    public Port? VipPort(VipRole role) => VipPorts.FirstOrDefault(v => v.Role == role)?.Port;
}
