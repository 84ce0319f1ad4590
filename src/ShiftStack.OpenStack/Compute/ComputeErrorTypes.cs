namespace ShiftStack.OpenStack.Compute;

/// <summary>
/// Values of <see cref="OpenStackException.ErrorType"/> for Nova: the fault key of its error body
/// (<c>{"itemNotFound": {"code": 404, "message": "..."}}</c>), and <see cref="ServerError"/> set by the client.
/// </summary>
public static class ComputeErrorTypes
{
    /// <summary>404: the server, flavor, group, ... does not exist.</summary>
    public const string ItemNotFound = "itemNotFound";

    /// <summary>400: invalid request (schema validation, unknown filter at microversion ≥ 2.75, bad image/flavor).</summary>
    public const string BadRequest = "badRequest";

    /// <summary>403: refused by policy, or quota exceeded (<c>Quota exceeded for cores: Requested 8, but already used 20 of 20 cores</c>).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>409: e.g. the port is in use, the server is locked or busy (<c>task_state</c>).</summary>
    public const string ConflictingRequest = "conflictingRequest";

    /// <summary>413/429: rate or size limit.</summary>
    public const string OverLimit = "overLimit";

    /// <summary>500: Nova failed.</summary>
    public const string ComputeFault = "computeFault";

    /// <summary>Set by the client: a waited-for server went to ERROR; the message carries its fault.</summary>
    public const string ServerError = "ServerError";
}
