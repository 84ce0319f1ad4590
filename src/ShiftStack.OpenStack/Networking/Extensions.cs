using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Networking;

/// <summary>A Neutron API extension.</summary>
public sealed record Extension
{
    /// <summary>Alias, e.g. <c>standard-attr-tag</c>.</summary>
    public string Alias { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Last update.</summary>
    public string? Updated { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>API extensions (<c>/v2.0/extensions</c>), for feature detection.</summary>
public sealed class ExtensionOperations
{
    private readonly ServiceConnection _connection;

    internal ExtensionOperations(ServiceConnection connection) => _connection = connection;

    /// <summary>Lists the extensions.</summary>
    public async Task<IReadOnlyList<Extension>> ListAsync(CancellationToken cancellationToken = default) =>
        await _connection.GetAsync("extensions", "extensions", NeutronJsonContext.Default.ListExtension, cancellationToken).ConfigureAwait(false);

    /// <summary>Gets one extension, or null if the server does not have it (404).</summary>
    public async Task<Extension?> FindAsync(string alias, CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(HttpMethod.Get, "extensions/" + Uri.EscapeDataString(alias), null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : ServiceConnection.Read(response, "extension", NeutronJsonContext.Default.Extension);
    }

    /// <summary>True if the server has the extension.</summary>
    public async Task<bool> IsSupportedAsync(string alias, CancellationToken cancellationToken = default) =>
        await FindAsync(alias, cancellationToken).ConfigureAwait(false) is not null;
}
