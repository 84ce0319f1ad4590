using System.Security.Cryptography;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.IntegrationTests;

/// <summary>The xunit collection of every test that talks to the local Keystone + Neutron started by <c>hack/openstack-up</c>.</summary>
[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloud>
{
    public const string Name = "LocalCloud";
}

/// <summary>
/// Shared fixture for integration tests against the local cloud: locates <c>&lt;repo&gt;/.local/openstack/clouds.yaml</c>
/// (the repo is the folder holding <c>ShiftStack.slnx</c>, found by walking up from the test assembly), checks that
/// Keystone answers, and hands out clients for the clouds <c>local</c> (non-admin user <c>shiftstack</c>) and
/// <c>local-admin</c>. When the cloud is missing, every test of the collection FAILS (never skips) with a message
/// saying to run <c>hack/openstack-up</c>.
/// Resource names start with <see cref="Prefix"/> (<c>ss-it-&lt;random&gt;-</c>), unique per test run.
/// </summary>
public sealed class LocalCloud : IAsyncLifetime, IDisposable
{
    public const string UserCloud = "local";
    public const string AdminCloud = "local-admin";

    private readonly List<IDisposable> _owned = [];

    public LocalCloud()
    {
        RepoRoot = FindRepoRoot(AppContext.BaseDirectory);
        CloudsYamlPath = Path.Combine(RepoRoot, ".local", "openstack", "clouds.yaml");
        RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    /// <summary>The repository root (holds ShiftStack.slnx).</summary>
    public string RepoRoot { get; }

    /// <summary><c>&lt;repo&gt;/.local/openstack/clouds.yaml</c>.</summary>
    public string CloudsYamlPath { get; }

    /// <summary>Random id of this test run.</summary>
    public string RunId { get; }

    /// <summary><c>ss-it-&lt;run id&gt;-</c>: every resource a test creates is named with it.</summary>
    public string Prefix => $"ss-it-{RunId}-";

    /// <summary>A unique resource name for this run: <c>ss-it-&lt;run id&gt;-&lt;name&gt;</c>.</summary>
    public string Name(string name) => Prefix + name;

    /// <summary>Client for the non-admin cloud <c>local</c> (shared; do not dispose).</summary>
    public NetworkingClient Networking { get; private set; } = null!;

    /// <summary>Client for the admin cloud <c>local-admin</c> (shared; do not dispose).</summary>
    public NetworkingClient AdminNetworking { get; private set; } = null!;

    /// <summary>The cloud configuration of <paramref name="cloudName"/> from the local clouds.yaml.</summary>
    public CloudConfig Cloud(string cloudName = UserCloud)
    {
        EnsureCloudsYaml();
        return CloudConfigLoader.LoadFromFile(CloudsYamlPath, cloudName);
    }

    /// <summary>A new client (the caller disposes it), e.g. with its own options or request counter.</summary>
    public NetworkingClient CreateNetworkingClient(string cloudName = UserCloud, OpenStackClientOptions? options = null) =>
        new(Cloud(cloudName), options);

    public async Task InitializeAsync()
    {
        EnsureCloudsYaml();
        Networking = Track(CreateNetworkingClient(UserCloud));
        AdminNetworking = Track(CreateNetworkingClient(AdminCloud));
        try
        {
            await Networking.Identity.GetTokenAsync();
            await AdminNetworking.Identity.GetTokenAsync();
        }
        catch (OpenStackException ex)
        {
            throw new InvalidOperationException(
                $"The local OpenStack in {CloudsYamlPath} does not answer ({ex.Message}). Run hack/openstack-up (idempotent) to (re)start it.", ex);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Networking is not null)
            {
                await SweepAsync(Networking);
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>
    /// Deletes whatever this run left behind (names or descriptions starting with <see cref="Prefix"/>), in
    /// dependency order. Tests clean up after themselves; this catches what a failed clean-up (e.g. Neutron
    /// restarting mid-run) could not remove. Errors are ignored.
    /// </summary>
    public async Task SweepAsync(NetworkingClient client)
    {
        bool Ours(string? text) => text?.StartsWith(Prefix, StringComparison.Ordinal) == true;

        async Task Quietly(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (OpenStackException)
            {
            }
        }

        await Quietly(async () =>
        {
            foreach (var fip in await client.FloatingIps.ListAsync())
            {
                if (Ours(fip.Description))
                {
                    await Quietly(() => client.FloatingIps.DeleteIfExistsAsync(fip.Id));
                }
            }

            foreach (var trunk in await client.Trunks.ListAsync())
            {
                if (Ours(trunk.Name))
                {
                    await Quietly(() => client.Trunks.DeleteIfExistsAsync(trunk.Id));
                }
            }

            var networks = (await client.Networks.ListAsync()).Where(n => Ours(n.Name)).ToList();
            var subnets = (await client.Subnets.ListAsync()).Where(s => networks.Any(n => n.Id == s.NetworkId)).ToList();
            foreach (var router in (await client.Routers.ListAsync()).Where(r => Ours(r.Name)))
            {
                foreach (var port in await client.Ports.ListAsync(new PortListOptions { DeviceId = router.Id }))
                {
                    foreach (var ip in port.FixedIps)
                    {
                        await Quietly(() => client.Routers.RemoveInterfaceAsync(router.Id, new RouterInterfaceOptions { SubnetId = ip.SubnetId }));
                    }
                }

                await Quietly(() => client.Routers.DeleteIfExistsAsync(router.Id));
            }

            foreach (var network in networks)
            {
                foreach (var port in await client.Ports.ListAsync(new PortListOptions { NetworkId = network.Id }))
                {
                    if (!port.DeviceOwner.StartsWith("network:", StringComparison.Ordinal))
                    {
                        await Quietly(() => client.Ports.DeleteIfExistsAsync(port.Id));
                    }
                }
            }

            foreach (var subnet in subnets)
            {
                await Quietly(() => client.Subnets.DeleteIfExistsAsync(subnet.Id));
            }

            foreach (var network in networks)
            {
                await Quietly(() => client.Networks.DeleteIfExistsAsync(network.Id));
            }

            foreach (var group in (await client.SecurityGroups.ListAsync()).Where(g => Ours(g.Name)))
            {
                await Quietly(() => client.SecurityGroups.DeleteIfExistsAsync(group.Id));
            }
        });
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void EnsureCloudsYaml()
    {
        if (!File.Exists(CloudsYamlPath))
        {
            throw new InvalidOperationException(
                $"No local OpenStack: {CloudsYamlPath} does not exist. Run hack/openstack-up (it installs and starts Keystone + Neutron on 127.0.0.1 and writes that file).");
        }
    }

    private static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ShiftStack.slnx not found above {start}; cannot locate .local/openstack/clouds.yaml");
    }
}
