using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests.Compute;

/// <summary>
/// What one compute test creates, deleted at the end even after a failure: servers first (each delete waited for, so
/// Nova releases its ports), then server groups, ports, subnets and networks. 404s are ignored; other failures are
/// collected and reported together.
/// </summary>
public sealed class ComputeResources(ComputeClient compute, NetworkingClient networking, LocalCloud cloud)
{
    private readonly List<string> _servers = [];
    private readonly List<string> _groups = [];
    private readonly List<string> _ports = [];
    private readonly List<string> _subnets = [];
    private readonly List<string> _networks = [];

    public string Name(string name) => cloud.Name(name);

    public async Task<Server> ServerAsync(ServerCreateOptions options)
    {
        var server = await compute.Servers.CreateAsync(options);
        _servers.Add(server.Id);
        return server;
    }

    public async Task<ServerGroup> ServerGroupAsync(string name, ServerGroupPolicy policy)
    {
        var group = await compute.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = Name(name), Policy = policy });
        _groups.Add(group.Id);
        return group;
    }

    /// <summary>A network with an IPv4 subnet and an IPv6 SLAAC subnet.</summary>
    public async Task<(Network Network, Subnet V4, Subnet V6)> DualStackNetworkAsync(string name, string ipv4Cidr, string ipv6Cidr)
    {
        var network = await networking.Networks.CreateAsync(new NetworkCreateOptions { Name = Name(name) });
        _networks.Add(network.Id);
        var v4 = await networking.Subnets.CreateAsync(new SubnetCreateOptions { NetworkId = network.Id, IpVersion = 4, Cidr = ipv4Cidr, Name = Name(name + "-v4") });
        _subnets.Add(v4.Id);
        var v6 = await networking.Subnets.CreateAsync(new SubnetCreateOptions
        {
            NetworkId = network.Id, IpVersion = 6, Cidr = ipv6Cidr, Name = Name(name + "-v6"), Ipv6RaMode = Ipv6Mode.Slaac, Ipv6AddressMode = Ipv6Mode.Slaac,
        });
        _subnets.Add(v6.Id);
        return (network, v4, v6);
    }

    public async Task<Port> PortAsync(string networkId, string name)
    {
        var port = await networking.Ports.CreateAsync(new PortCreateOptions { NetworkId = networkId, Name = Name(name) });
        _ports.Add(port.Id);
        return port;
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
            catch (Exception ex) when (ex is OpenStackException or TimeoutException)
            {
                errors.Add($"{what}: {ex.Message}");
            }
        }

        var wait = new ServerWaitOptions { PollInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMinutes(3) };
        foreach (var id in _servers)
        {
            await Try(() => compute.Servers.DeleteIfExistsAsync(id), "server " + id);
        }

        foreach (var id in _servers)
        {
            await Try(() => compute.Servers.WaitForDeletionAsync(id, wait), "server " + id);
        }

        foreach (var id in Enumerable.Reverse(_groups))
        {
            await Try(() => compute.ServerGroups.DeleteIfExistsAsync(id), "server group " + id);
        }

        foreach (var id in Enumerable.Reverse(_ports))
        {
            await Try(() => networking.Ports.DeleteIfExistsAsync(id), "port " + id);
        }

        foreach (var id in Enumerable.Reverse(_subnets))
        {
            await Try(() => networking.Subnets.DeleteIfExistsAsync(id), "subnet " + id);
        }

        foreach (var id in Enumerable.Reverse(_networks))
        {
            await Try(() => networking.Networks.DeleteIfExistsAsync(id), "network " + id);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("clean-up failed: " + string.Join("; ", errors));
        }
    }
}
