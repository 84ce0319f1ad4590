namespace ShiftStack.OpenStack.Config;

/// <summary>
/// One cloud from <c>clouds.yaml</c> (merged with <c>secure.yaml</c>) or from the <c>OS_*</c> environment variables.
/// <see cref="ToString"/> never prints secrets.
/// </summary>
public sealed record CloudConfig
{
    /// <summary>The cloud's name (<c>envvars</c> for the environment cloud).</summary>
    public required string Name { get; init; }

    /// <summary>The file the cloud was read from; null for the environment cloud or a cloud built in code.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Credentials and scope.</summary>
    public CloudAuth Auth { get; init; } = new();

    /// <summary><c>auth_type</c>: <see cref="AuthTypes.Password"/> (default) or <see cref="AuthTypes.ApplicationCredential"/>.</summary>
    public string AuthType { get; init; } = AuthTypes.Password;

    /// <summary><c>region_name</c> (or the first of <c>regions</c>); null matches any region.</summary>
    public string? RegionName { get; init; }

    /// <summary><c>interface</c>: <c>public</c> (default), <c>internal</c> or <c>admin</c>.</summary>
    public string Interface { get; init; } = "public";

    /// <summary><c>identity_api_version</c>; only 3 is supported.</summary>
    public string IdentityApiVersion { get; init; } = "3";

    /// <summary><c>cacert</c>: a PEM bundle of trusted CAs.</summary>
    public string? CaCertFile { get; init; }

    /// <summary><c>verify</c> (false also from <c>insecure: true</c>): false disables TLS verification and wins over <see cref="CaCertFile"/>.</summary>
    public bool Verify { get; init; } = true;

    /// <summary><c>cert</c>: client certificate (PEM).</summary>
    public string? ClientCertFile { get; init; }

    /// <summary><c>key</c>: client certificate key (PEM).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Endpoint overrides by service type, from <c>&lt;service&gt;_endpoint_override</c> keys.</summary>
    public IReadOnlyDictionary<string, string> EndpointOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>A description without secrets.</summary>
    public override string ToString() =>
        $"cloud '{Name}'{(SourceFile is null ? "" : $" from {SourceFile}")} ({AuthType}; {Auth}; region {RegionName ?? "(any)"}; interface {Interface})";
}

/// <summary>The <c>auth</c> block of a cloud. <see cref="ToString"/> never prints secrets.</summary>
public sealed record CloudAuth
{
    /// <summary><c>auth_url</c>, e.g. <c>https://keystone:5000/v3</c> (<c>/v3</c> is added when no version is given).</summary>
    public string? AuthUrl { get; init; }

    /// <summary><c>username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>user_id</c>.</summary>
    public string? UserId { get; init; }

    /// <summary><c>password</c>.</summary>
    public string? Password { get; init; }

    /// <summary><c>project_name</c> (<c>tenant_name</c>).</summary>
    public string? ProjectName { get; init; }

    /// <summary><c>project_id</c> (<c>tenant_id</c>).</summary>
    public string? ProjectId { get; init; }

    /// <summary><c>user_domain_name</c> (falls back to <c>default_domain_name</c>).</summary>
    public string? UserDomainName { get; init; }

    /// <summary><c>user_domain_id</c> (falls back to <c>default_domain_id</c>).</summary>
    public string? UserDomainId { get; init; }

    /// <summary><c>project_domain_name</c> (falls back to <c>default_domain_name</c>).</summary>
    public string? ProjectDomainName { get; init; }

    /// <summary><c>project_domain_id</c> (falls back to <c>default_domain_id</c>).</summary>
    public string? ProjectDomainId { get; init; }

    /// <summary><c>domain_name</c>: domain scope when no project is given.</summary>
    public string? DomainName { get; init; }

    /// <summary><c>domain_id</c>: domain scope when no project is given.</summary>
    public string? DomainId { get; init; }

    /// <summary><c>system_scope</c> (e.g. <c>all</c>).</summary>
    public string? SystemScope { get; init; }

    /// <summary><c>application_credential_id</c>.</summary>
    public string? ApplicationCredentialId { get; init; }

    /// <summary><c>application_credential_name</c> (needs the user: <see cref="Username"/>+domain or <see cref="UserId"/>).</summary>
    public string? ApplicationCredentialName { get; init; }

    /// <summary><c>application_credential_secret</c>.</summary>
    public string? ApplicationCredentialSecret { get; init; }

    /// <summary>A description without secrets.</summary>
    public override string ToString()
    {
        var user = UserId ?? Username ?? ApplicationCredentialId ?? ApplicationCredentialName ?? "(no user)";
        var project = ProjectId ?? ProjectName ?? DomainId ?? DomainName ?? SystemScope ?? "(unscoped)";
        return $"auth_url {AuthUrl ?? "(none)"}, user {user}, scope {project}";
    }
}

/// <summary>Supported <c>auth_type</c> values.</summary>
public static class AuthTypes
{
    /// <summary>Keystone v3 password (also spelled <c>v3password</c>).</summary>
    public const string Password = "password";

    /// <summary>Keystone v3 application credential.</summary>
    public const string ApplicationCredential = "v3applicationcredential";
}

/// <summary>A problem in the cloud configuration: nothing found, unknown cloud, unsupported option. The message says what was looked for where.</summary>
public sealed class CloudConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CloudConfigException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CloudConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CloudConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
