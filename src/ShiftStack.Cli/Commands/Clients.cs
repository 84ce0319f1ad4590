using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Config;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// The clients of one command, on one identity (one token, one request counter, one log), made with the command's
/// <see cref="Invocation.ClientOptions"/> (its log, its waits said).
/// </summary>
internal sealed class Clients : IDisposable
{
    private readonly ComputeClient? _compute;
    private readonly ImageClient? _images;

    private Clients(NetworkingClient network, ComputeClient? compute, ImageClient? images)
    {
        Network = network;
        _compute = compute;
        _images = images;
        Compute = compute is null || images is null ? null : new ComputeClientProvisioning(compute, images);
    }

    public NetworkingClient Network { get; }

    public IComputeProvisioning? Compute { get; }

    public static async Task<Clients> OpenAsync(
        string? cloudName, OpenStackClientOptions options, bool compute, CancellationToken cancellationToken, bool computeOptional = false)
    {
        var cloud = new CloudConfigLoader().Load(cloudName);

        var network = new NetworkingClient(cloud, options);
        if (!compute)
        {
            return new Clients(network, null, null);
        }

        var nova = new ComputeClient(network.Identity);
        var glance = new ImageClient(network.Identity);
        if (computeOptional)
        {
            try
            {
                await nova.GetEndpointAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OpenStackException e) when (e.ErrorType == ErrorTypes.EndpointNotFound)
            {
                nova.Dispose();
                glance.Dispose();
                return new Clients(network, null, null);
            }
        }

        return new Clients(network, nova, glance);
    }

    public void Dispose()
    {
        _compute?.Dispose();
        _images?.Dispose();
        Network.Dispose();
    }
}
