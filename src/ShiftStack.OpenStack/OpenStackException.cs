using System.Net;
using System.Text;

namespace ShiftStack.OpenStack;

/// <summary>
/// The one exception type for a failed OpenStack call: an error response from Keystone, Neutron or Nova, a connection
/// failure after all retries, or a catalog without the wanted endpoint. It carries what is needed to act on the error
/// (<see cref="StatusCode"/>, <see cref="ErrorType"/>) and to report it (<see cref="RequestId"/>, method and URL).
/// Its message never contains tokens, passwords or secrets.
/// </summary>
public sealed class OpenStackException : Exception
{
    /// <summary>Creates an exception with only a message (prefer the detailed constructor).</summary>
    public OpenStackException()
        : this("OpenStack call failed")
    {
    }

    /// <summary>Creates an exception with only a message (prefer the detailed constructor).</summary>
    public OpenStackException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with only a message and a cause (prefer the detailed constructor).</summary>
    public OpenStackException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorMessage = message;
    }

    /// <summary>Creates an exception describing a failed call.</summary>
    public OpenStackException(
        HttpStatusCode? statusCode,
        string? errorType,
        string errorMessage,
        string? method,
        Uri? requestUri,
        string? requestId = null,
        string? clientRequestId = null,
        string? serviceType = null,
        Exception? innerException = null,
        bool isBulkAutoAddressBug = false)
        : base(Format(statusCode, errorType, errorMessage, method, requestUri, requestId, serviceType, isBulkAutoAddressBug), innerException)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        Method = method;
        RequestUri = requestUri;
        RequestId = requestId;
        ClientRequestId = clientRequestId;
        ServiceType = serviceType;
        IsBulkAutoAddressBug = isBulkAutoAddressBug;
    }

    /// <summary>The HTTP status, or null when no response was received (connection failure, missing endpoint).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// The service's error type: Neutron's <c>NeutronError.type</c> (e.g. <c>AllocationOnAutoAddressSubnet</c>,
    /// <c>PortNotFound</c>), Keystone's <c>error.title</c> (e.g. <c>Unauthorized</c>), Nova's fault key
    /// (e.g. <c>itemNotFound</c>), or one of the client's own types (<see cref="ErrorTypes"/>).
    /// </summary>
    public string? ErrorType { get; }

    /// <summary>The service's error message (or the client's description), without the decorations of <see cref="Exception.Message"/>.</summary>
    public string ErrorMessage { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string? Method { get; }

    /// <summary>The URL of the failed request.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The server's <c>x-openstack-request-id</c> (or <c>x-compute-request-id</c>), for the operator's logs.</summary>
    public string? RequestId { get; }

    /// <summary>The <c>X-Client-Request-Id</c> this client sent with the request.</summary>
    public string? ClientRequestId { get; }

    /// <summary>The catalog service type called (<c>identity</c>, <c>network</c>, <c>compute</c>, <c>image</c>).</summary>
    public string? ServiceType { get; }

    /// <summary>
    /// True when a bulk port create without MAC addresses failed with HTTP 500, which on Neutron 21.0.0 is bug 1995732
    /// (bulk create on a network with an auto-address IPv6 subnet). Callers should fall back to creating the ports one
    /// by one (or pass MAC addresses).
    /// </summary>
    public bool IsBulkAutoAddressBug { get; }

    /// <summary>True for HTTP 401 (wrong credentials, or a token the service refused twice).</summary>
    public bool IsAuthenticationFailure => StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>True for HTTP 404.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>True for HTTP 409.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>True when the error has the given service error type (ordinal comparison).</summary>
    public bool Is(string errorType) => string.Equals(ErrorType, errorType, StringComparison.Ordinal);

    private static string Format(
        HttpStatusCode? statusCode,
        string? errorType,
        string errorMessage,
        string? method,
        Uri? requestUri,
        string? requestId,
        string? serviceType,
        bool isBulkAutoAddressBug)
    {
        var sb = new StringBuilder();
        if (serviceType is not null)
        {
            sb.Append(serviceType).Append(' ');
        }

        if (method is not null)
        {
            sb.Append(method).Append(' ');
        }

        if (requestUri is not null)
        {
            sb.Append(Core.Redaction.Url(requestUri, UriPartial.Path)).Append(' ');
        }

        sb.Append("failed: ");
        if (statusCode is { } code)
        {
            sb.Append((int)code).Append(' ');
        }

        if (!string.IsNullOrEmpty(errorType))
        {
            sb.Append(errorType).Append(": ");
        }

        sb.Append(errorMessage);
        if (isBulkAutoAddressBug)
        {
            sb.Append(" (a bulk port create without MAC addresses on a network with an auto-address IPv6 subnet fails like this on Neutron 21.0.0, bug 1995732; create the ports one by one or give their MAC addresses)");
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            sb.Append(" [request id ").Append(requestId).Append(']');
        }

        return sb.ToString();
    }
}

/// <summary>Error types set by the client itself (not by a service) on <see cref="OpenStackException.ErrorType"/>.</summary>
public static class ErrorTypes
{
    /// <summary>No response: connection refused/reset, DNS failure, TLS failure or timeout, after all retries.</summary>
    public const string ConnectionFailed = "ConnectionFailed";

    /// <summary>The service catalog has no endpoint for the wanted service type, interface and region.</summary>
    public const string EndpointNotFound = "EndpointNotFound";

    /// <summary>A response could not be read (unexpected JSON shape, missing token header).</summary>
    public const string InvalidResponse = "InvalidResponse";

    /// <summary>Neutron: an explicit IPv6 address on a SLAAC / DHCPv6-stateless subnet (400).</summary>
    public const string AllocationOnAutoAddressSubnet = "AllocationOnAutoAddressSubnet";

    /// <summary>Neutron: the requested address is taken (409).</summary>
    public const string IpAddressAlreadyAllocated = "IpAddressAlreadyAllocated";

    /// <summary>Neutron: duplicate security-group rule (409).</summary>
    public const string SecurityGroupRuleExists = "SecurityGroupRuleExists";

    /// <summary>Neutron: port not found (404).</summary>
    public const string PortNotFound = "PortNotFound";
}
