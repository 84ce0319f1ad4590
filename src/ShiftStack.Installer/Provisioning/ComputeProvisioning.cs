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
public sealed record ServerGroupInfo(string Id, string Name, string Policy);

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

    /// <summary>Server groups with this name.</summary>
    Task<IReadOnlyList<ServerGroupInfo>> ListServerGroupsAsync(string name, CancellationToken cancellationToken = default);

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
}
