namespace ShiftStack.Installer.Provisioning;

/// <summary>A Nova server as provisioning sees it.</summary>
/// <param name="Id">ID.</param>
/// <param name="Name">Name.</param>
/// <param name="Status">Status (<c>BUILD</c>, <c>ACTIVE</c>, <c>ERROR</c>, ...).</param>
/// <param name="Tags">Tags.</param>
/// <param name="Metadata">Metadata.</param>
/// <param name="Addresses">Every fixed address of the server, all networks, as Nova reports them.</param>
/// <param name="Fault">The fault message of a server in ERROR, if Nova gives one.</param>
public sealed record ServerInfo(
    string Id,
    string Name,
    string Status,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Addresses,
    string? Fault = null);

/// <summary>A Nova server group.</summary>
/// <param name="Id">ID.</param>
/// <param name="Name">Name.</param>
/// <param name="Policy">Policy.</param>
/// <param name="Members">IDs of the servers in it.</param>
public sealed record ServerGroupInfo(string Id, string Name, string Policy, IReadOnlyList<string>? Members = null)
{
    /// <summary>IDs of the servers in it.</summary>
    public IReadOnlyList<string> Members { get; init; } = Members ?? [];
}

/// <summary>The body of a server create.</summary>
/// <param name="Name">Name.</param>
/// <param name="FlavorId">Flavor ID.</param>
/// <param name="ImageId">Image ID.</param>
/// <param name="PortIds">Ports, in order (the first is the primary NIC).</param>
/// <param name="ServerGroupId">Scheduler hint <c>group</c>, or null.</param>
/// <param name="AvailabilityZone">AZ, or null.</param>
/// <param name="Metadata">Metadata.</param>
/// <param name="Tags">Tags (in the create body: Nova ≥ 2.52).</param>
/// <param name="UserData">User data (raw bytes; base64-encoded on the wire).</param>
public sealed record ServerCreateSpec(
    string Name,
    string FlavorId,
    string ImageId,
    IReadOnlyList<string> PortIds,
    string? ServerGroupId,
    string? AvailabilityZone,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Tags,
    byte[] UserData);

/// <summary>A Glance image as provisioning sees it (the bootstrap Ignition upload).</summary>
/// <param name="Id">ID.</param>
/// <param name="Name">Name.</param>
/// <param name="Status"><c>queued</c>, <c>saving</c>, <c>active</c>, <c>killed</c>, ...</param>
/// <param name="Tags">Tags.</param>
/// <param name="Size">Data size, once uploaded.</param>
/// <param name="HashAlgorithm">Glance's multihash algorithm (<c>sha512</c>), once uploaded.</param>
/// <param name="HashValue">Glance's multihash of the data, once uploaded.</param>
public sealed record ImageInfo(string Id, string Name, string Status, IReadOnlyList<string> Tags, long? Size, string? HashAlgorithm, string? HashValue);

/// <summary>
/// The Nova and Glance calls provisioning and destroy need. <c>ComputeClientProvisioning</c> implements it with
/// <c>ShiftStack.OpenStack.Compute.ComputeClient</c>; tests may fake it.
/// </summary>
public interface IComputeProvisioning
{
    /// <summary>The flavor's ID by name; null when there is none.</summary>
    Task<string?> FindFlavorIdAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The image's ID by name; null when there is none.</summary>
    Task<string?> FindImageIdAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Server groups whose name passes <paramref name="name"/> (one request: Nova filters by nothing but project).</summary>
    Task<IReadOnlyList<ServerGroupInfo>> ListServerGroupsAsync(Func<string, bool> name, CancellationToken cancellationToken = default);

    /// <summary>Creates a server group.</summary>
    Task<ServerGroupInfo> CreateServerGroupAsync(string name, string policy, CancellationToken cancellationToken = default);

    /// <summary>Deletes a server group; false if it did not exist.</summary>
    Task<bool> DeleteServerGroupAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Servers with this tag.</summary>
    Task<IReadOnlyList<ServerInfo>> ListServersAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>Servers with this exact name (Nova's <c>name</c> filter is a regex; the result is filtered exactly).</summary>
    Task<IReadOnlyList<ServerInfo>> ListServersByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>One server; null if it does not exist.</summary>
    Task<ServerInfo?> FindServerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Creates a server (returns as soon as Nova accepted it).</summary>
    Task<ServerInfo> CreateServerAsync(ServerCreateSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Deletes a server; false if it did not exist.</summary>
    Task<bool> DeleteServerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Glance images with this tag.</summary>
    Task<IReadOnlyList<ImageInfo>> ListImagesAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>Creates an image record (<c>bare</c>/<c>raw</c>, no data yet).</summary>
    Task<ImageInfo> CreateImageAsync(string name, IReadOnlyList<string> tags, CancellationToken cancellationToken = default);

    /// <summary>Uploads an image's data.</summary>
    Task UploadImageAsync(string id, byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Deletes an image; false if it did not exist.</summary>
    Task<bool> DeleteImageAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The URL and a token that reads that image's data and nothing else, from a Keystone application credential
    /// named <paramref name="credentialName"/> that expires after <paramref name="lifetime"/> (the client's own token
    /// where the cloud does not allow it; the answer says why).
    /// </summary>
    Task<OpenStack.Image.ImageDataReference> GetRestrictedImageDataReferenceAsync(string id, string credentialName, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>The current user's application credentials of that name (id, name).</summary>
    Task<IReadOnlyList<(string Id, string Name)>> ListApplicationCredentialsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes an application credential of the current user; false if it did not exist.</summary>
    Task<bool> DeleteApplicationCredentialAsync(string id, CancellationToken cancellationToken = default);
}
