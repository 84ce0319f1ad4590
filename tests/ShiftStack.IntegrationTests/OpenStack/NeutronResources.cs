using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.OpenStack;

/// <summary>
/// Creates Neutron resources for one test and deletes them all at the end, even after a failure, in dependency
/// order (floating IPs, trunks, router interfaces, ports — including ones Neutron created on tracked networks —,
/// routers, subnets, networks, security groups). 404s during clean-up are ignored.
/// </summary>
public sealed class NeutronResources(NetworkingClient client, LocalCloud cloud)
{
    private readonly List<string> _floatingIps = [];
    private readonly List<string> _trunks = [];
    private readonly List<(string Router, string Subnet)> _routerInterfaces = [];
    private readonly List<string> _ports = [];
    private readonly List<string> _routers = [];
    private readonly List<string> _subnets = [];
    private readonly List<string> _networks = [];
    private readonly List<string> _securityGroups = [];

    public NetworkingClient Client => client;

    public string Name(string name) => cloud.Name(name);

    public async Task<Network> NetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        var network = await client.Networks.CreateAsync(new NetworkCreateOptions { Name = Name(name) }, cancellationToken);
        _networks.Add(network.Id);
        return network;
    }

    public async Task<Subnet> SubnetAsync(SubnetCreateOptions options, CancellationToken cancellationToken = default)
    {
        var subnet = await client.Subnets.CreateAsync(options with { Name = options.Name is null ? null : Name(options.Name) }, cancellationToken);
        _subnets.Add(subnet.Id);
        return subnet;
    }

    public Task<Subnet> Ipv4SubnetAsync(string networkId, string cidr = "10.0.0.0/16", string name = "v4") =>
        SubnetAsync(new SubnetCreateOptions { NetworkId = networkId, IpVersion = 4, Cidr = cidr, Name = name });

    public Task<Subnet> Ipv6SubnetAsync(string networkId, string cidr, Ipv6Mode mode, string name = "v6") =>
        SubnetAsync(new SubnetCreateOptions { NetworkId = networkId, IpVersion = 6, Cidr = cidr, Name = name, Ipv6RaMode = mode, Ipv6AddressMode = mode });

    public async Task<Port> PortAsync(PortCreateOptions options, CancellationToken cancellationToken = default)
    {
        var port = await client.Ports.CreateAsync(options with { Name = options.Name is null ? null : Name(options.Name) }, cancellationToken);
        _ports.Add(port.Id);
        return port;
    }

    public void TrackPort(string id) => _ports.Add(id);

    public async Task<SecurityGroup> SecurityGroupAsync(string name)
    {
        var group = await client.SecurityGroups.CreateAsync(new SecurityGroupCreateOptions { Name = Name(name), Description = "ShiftStack integration test" });
        _securityGroups.Add(group.Id);
        return group;
    }

    public async Task<Router> RouterAsync(RouterCreateOptions options)
    {
        var router = await client.Routers.CreateAsync(options with { Name = options.Name is null ? null : Name(options.Name) });
        _routers.Add(router.Id);
        return router;
    }

    public async Task<RouterInterface> RouterInterfaceAsync(string routerId, string subnetId)
    {
        var result = await client.Routers.AddInterfaceAsync(routerId, new RouterInterfaceOptions { SubnetId = subnetId });
        _routerInterfaces.Add((routerId, subnetId));
        return result;
    }

    public async Task<FloatingIp> FloatingIpAsync(FloatingIpCreateOptions options)
    {
        var fip = await client.FloatingIps.CreateAsync(options);
        _floatingIps.Add(fip.Id);
        return fip;
    }

    public async Task<Trunk> TrunkAsync(TrunkCreateOptions options)
    {
        var trunk = await client.Trunks.CreateAsync(options with { Name = options.Name is null ? null : Name(options.Name) });
        _trunks.Add(trunk.Id);
        return trunk;
    }

    public async Task CleanUpAsync()
    {
        var errors = new List<string>();

        async Task Try(Func<Task> action, string what)
        {
            try
            {
                await action();
            }
            catch (OpenStackException ex) when (ex.IsNotFound)
            {
                // already gone
            }
            catch (OpenStackException ex)
            {
                errors.Add($"{what}: {ex.Message}");
            }
        }

        foreach (var id in Enumerable.Reverse(_floatingIps))
        {
            await Try(() => client.FloatingIps.DeleteIfExistsAsync(id), "floating IP " + id);
        }

        foreach (var id in Enumerable.Reverse(_trunks))
        {
            await Try(() => client.Trunks.DeleteIfExistsAsync(id), "trunk " + id);
        }

        foreach (var (router, subnet) in Enumerable.Reverse(_routerInterfaces))
        {
            await Try(() => client.Routers.RemoveInterfaceAsync(router, new RouterInterfaceOptions { SubnetId = subnet }), $"router {router} interface {subnet}");
        }

        foreach (var id in Enumerable.Reverse(_ports))
        {
            await Try(() => client.Ports.DeleteIfExistsAsync(id), "port " + id);
        }

        foreach (var network in _networks)
        {
            await Try(
                async () =>
                {
                    foreach (var port in await client.Ports.ListAsync(new PortListOptions { NetworkId = network }))
                    {
                        if (!port.DeviceOwner.StartsWith("network:", StringComparison.Ordinal))
                        {
                            await client.Ports.DeleteIfExistsAsync(port.Id);
                        }
                    }
                },
                "ports of network " + network);
        }

        foreach (var id in Enumerable.Reverse(_routers))
        {
            await Try(() => client.Routers.DeleteIfExistsAsync(id), "router " + id);
        }

        foreach (var id in Enumerable.Reverse(_subnets))
        {
            await Try(() => client.Subnets.DeleteIfExistsAsync(id), "subnet " + id);
        }

        foreach (var id in Enumerable.Reverse(_networks))
        {
            await Try(() => client.Networks.DeleteIfExistsAsync(id), "network " + id);
        }

        foreach (var id in Enumerable.Reverse(_securityGroups))
        {
            await Try(() => client.SecurityGroups.DeleteIfExistsAsync(id), "security group " + id);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("clean-up failed: " + string.Join("; ", errors));
        }
    }
}
