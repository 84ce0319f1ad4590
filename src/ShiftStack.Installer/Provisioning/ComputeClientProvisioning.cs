using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Image;

namespace ShiftStack.Installer.Provisioning;

/// <summary><see cref="IComputeProvisioning"/> over the Nova (<see cref="ComputeClient"/>) and Glance (<see cref="ImageClient"/>) clients.</summary>
/// <param name="compute">Nova.</param>
/// <param name="images">Glance.</param>
public sealed class ComputeClientProvisioning(ComputeClient compute, ImageClient images) : IComputeProvisioning
{
    /// <inheritdoc />
    public async Task<string?> FindFlavorIdAsync(string name, CancellationToken cancellationToken = default) =>
        (await compute.Flavors.FindByNameAsync(name, cancellationToken).ConfigureAwait(false))?.Id;

    /// <inheritdoc />
    public async Task<string?> FindImageIdAsync(string name, CancellationToken cancellationToken = default)
    {
        var found = await images.Images.ListByNameAsync(name, cancellationToken).ConfigureAwait(false);
        return found.Count switch
        {
            0 => null,
            1 => found[0].Id,
            _ => throw new ProvisioningException($"more than one image named {name}: use a unique platform.openstack.clusterOSImage"),
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServerGroupInfo>> ListServerGroupsAsync(Func<string, bool> name, CancellationToken cancellationToken = default) =>
        (await compute.ServerGroups.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(g => name(g.Name ?? string.Empty))
            .Select(ToInfo)
            .ToList();

    /// <inheritdoc />
    public async Task<ServerGroupInfo> CreateServerGroupAsync(string name, string policy, CancellationToken cancellationToken = default) =>
        ToInfo(await compute.ServerGroups.CreateAsync(new ServerGroupCreateOptions { Name = name, Policy = new ServerGroupPolicy(policy) }, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public Task<bool> DeleteServerGroupAsync(string id, CancellationToken cancellationToken = default) =>
        compute.ServerGroups.DeleteIfExistsAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServerInfo>> ListServersAsync(string tag, CancellationToken cancellationToken = default) =>
        (await compute.Servers.ListAsync(new ServerListOptions { Tags = [tag] }, cancellationToken).ConfigureAwait(false)).Select(ToInfo).ToList();

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServerInfo>> ListServersByNameAsync(string name, CancellationToken cancellationToken = default) =>
        (await compute.Servers.ListAsync(new ServerListOptions { Name = ServerListOptions.ExactName(name) }, cancellationToken).ConfigureAwait(false))
            .Where(s => string.Equals(s.Name, name, StringComparison.Ordinal))
            .Select(ToInfo)
            .ToList();

    /// <inheritdoc />
    public async Task<ServerInfo?> FindServerAsync(string id, CancellationToken cancellationToken = default) =>
        await compute.Servers.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } server ? ToInfo(server) : null;

    /// <inheritdoc />
    public async Task<ServerInfo> CreateServerAsync(ServerCreateSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var server = await compute.Servers.CreateAsync(new ServerCreateOptions
        {
            Name = spec.Name,
            FlavorRef = spec.FlavorId,
            ImageRef = spec.ImageId,
            Networks = spec.PortIds.Select(ServerNetwork.OnPort).ToList(),
            AvailabilityZone = spec.AvailabilityZone,
            Metadata = spec.Metadata,
            Tags = spec.Tags,
            UserData = spec.UserData,
            ServerGroupId = spec.ServerGroupId,
        }, cancellationToken).ConfigureAwait(false);
        // Nova answers a create with little more than the ID.
        return new ServerInfo(server.Id, spec.Name, server.Status.Value is { Length: > 0 } status ? status : "BUILD", spec.Tags, spec.Metadata, []);
    }

    /// <inheritdoc />
    public Task<bool> DeleteServerAsync(string id, CancellationToken cancellationToken = default) =>
        compute.Servers.DeleteIfExistsAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImageInfo>> ListImagesAsync(string tag, CancellationToken cancellationToken = default) =>
        (await images.Images.ListByTagAsync(tag, cancellationToken).ConfigureAwait(false)).Select(ToInfo).ToList();

    /// <inheritdoc />
    public async Task<ImageInfo> CreateImageAsync(string name, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        ToInfo(await images.Images.CreateAsync(new ImageCreateOptions { Name = name, ContainerFormat = "bare", DiskFormat = "raw", Tags = tags }, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public Task UploadImageAsync(string id, byte[] data, CancellationToken cancellationToken = default) =>
        images.Images.UploadAsync(id, data, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteImageAsync(string id, CancellationToken cancellationToken = default) =>
        images.Images.DeleteIfExistsAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<ImageDataReference> GetRestrictedImageDataReferenceAsync(string id, string credentialName, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        await images.Images.GetRestrictedDataReferenceAsync(await images.Images.GetAsync(id, cancellationToken).ConfigureAwait(false), credentialName, lifetime, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Id, string Name)>> ListApplicationCredentialsAsync(string name, CancellationToken cancellationToken = default) =>
        (await new ApplicationCredentials(images.Identity).ListAsync(name, cancellationToken).ConfigureAwait(false)).Select(c => (c.Id, c.Name)).ToList();

    /// <inheritdoc />
    public Task<bool> DeleteApplicationCredentialAsync(string id, CancellationToken cancellationToken = default) =>
        new ApplicationCredentials(images.Identity).DeleteAsync(id, cancellationToken);

    private static ImageInfo ToInfo(GlanceImage image) =>
        new(image.Id, image.Name ?? string.Empty, image.Status.Value, image.Tags, image.Size, image.OsHashAlgo, image.OsHashValue);

    private static ServerGroupInfo ToInfo(ServerGroup group) =>
        new(group.Id, group.Name, group.Policy?.Value ?? (group.Policies.Count > 0 ? group.Policies[0].Value : string.Empty), group.Members);

    private static ServerInfo ToInfo(Server server) => new(
        server.Id,
        server.Name ?? string.Empty,
        server.Status.Value,
        server.Tags ?? [],
        server.Metadata ?? new Dictionary<string, string>(),
        server.Addresses is null ? [] : server.AllAddresses().Select(a => a.Address.Address).ToList(),
        server.Fault?.Message);
}
