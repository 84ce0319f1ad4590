using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Compute;

/// <summary>One address of a server (<c>addresses.&lt;network name&gt;[]</c>).</summary>
public sealed record ServerAddress
{
    /// <summary>The address (as Nova reports it; IPv6 in the text Neutron stores).</summary>
    [JsonPropertyName("addr")]
    public string Address { get; init; } = string.Empty;

    /// <summary>4 or 6.</summary>
    public int Version { get; init; }

    /// <summary><c>OS-EXT-IPS:type</c>: <c>fixed</c> or <c>floating</c>.</summary>
    [JsonPropertyName("OS-EXT-IPS:type")]
    public string? Type { get; init; }

    /// <summary><c>OS-EXT-IPS-MAC:mac_addr</c>.</summary>
    [JsonPropertyName("OS-EXT-IPS-MAC:mac_addr")]
    public string? MacAddress { get; init; }

    /// <summary>The family, from <see cref="Version"/> (or the text when the version is missing).</summary>
    [JsonIgnore]
    public IpFamily? Family => Version switch
    {
        4 => IpFamily.IPv4,
        6 => IpFamily.IPv6,
        _ => IpAddresses.TryParse(Address, out var a) ? IpAddresses.FamilyOf(a) : null,
    };
}

/// <summary>The flavor embedded in a server (microversion ≥ 2.47: a copy of the flavor's values, not a reference).</summary>
public sealed record ServerFlavor
{
    /// <summary>The flavor's name when the server was created.</summary>
    public string? OriginalName { get; init; }

    /// <summary>vCPUs.</summary>
    public int Vcpus { get; init; }

    /// <summary>RAM in MiB.</summary>
    public int Ram { get; init; }

    /// <summary>Root disk in GiB.</summary>
    public int Disk { get; init; }

    /// <summary>Ephemeral disk in GiB.</summary>
    public int Ephemeral { get; init; }

    /// <summary>Swap in MiB.</summary>
    [JsonConverter(typeof(EmptyStringAsZeroConverter))]
    public int Swap { get; init; }

    /// <summary>Extra specs (only when the policy lets the caller see them).</summary>
    public IReadOnlyDictionary<string, string>? ExtraSpecs { get; init; }
}

/// <summary>The image a server was booted from.</summary>
public sealed record ServerImage
{
    /// <summary>Image ID.</summary>
    public string Id { get; init; } = string.Empty;
}

/// <summary>Why a server is in ERROR (<c>fault</c>).</summary>
public sealed record ServerFault
{
    /// <summary>An HTTP-like code (500 for build failures).</summary>
    public int Code { get; init; }

    /// <summary>The message, e.g. <c>No valid host was found. There are not enough hosts available.</c></summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Details (a traceback; admins only).</summary>
    public string? Details { get; init; }

    /// <summary>When the fault happened.</summary>
    public DateTimeOffset? Created { get; init; }
}

/// <summary>A security group as a server lists it (by name).</summary>
public sealed record ServerSecurityGroup
{
    /// <summary>Name.</summary>
    public string Name { get; init; } = string.Empty;
}

/// <summary>A Nova server (as returned at the client's microversion).</summary>
public sealed record Server
{
    /// <summary>ID.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Status (empty in the answer to a create).</summary>
    public ServerStatus Status { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Project ID.</summary>
    public string? TenantId { get; init; }

    /// <summary>User ID.</summary>
    public string? UserId { get; init; }

    /// <summary>Metadata (key/value strings; ShiftStack sets <c>Name</c> and <c>openshiftClusterID</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Addresses by network name (fixed ones appear once the ports are bound).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ServerAddress>> Addresses { get; init; } = new Dictionary<string, IReadOnlyList<ServerAddress>>();

    /// <summary>The flavor's values.</summary>
    public ServerFlavor? Flavor { get; init; }

    /// <summary>The image, or null when booted from a volume (Nova sends <c>""</c>).</summary>
    [JsonConverter(typeof(ServerImageConverter))]
    public ServerImage? Image { get; init; }

    /// <summary>Why the server is in ERROR.</summary>
    public ServerFault? Fault { get; init; }

    /// <summary>Key pair name.</summary>
    public string? KeyName { get; init; }

    /// <summary><c>config_drive</c> as Nova reports it (<c>"True"</c> or <c>""</c>).</summary>
    public string? ConfigDrive { get; init; }

    /// <summary>Security groups (by name; from the ports).</summary>
    public IReadOnlyList<ServerSecurityGroup> SecurityGroups { get; init; } = [];

    /// <summary>Server group IDs (microversion ≥ 2.71).</summary>
    public IReadOnlyList<string> ServerGroups { get; init; } = [];

    /// <summary>Availability zone (<c>OS-EXT-AZ:availability_zone</c>).</summary>
    [JsonPropertyName("OS-EXT-AZ:availability_zone")]
    public string? AvailabilityZone { get; init; }

    /// <summary><c>OS-EXT-STS:vm_state</c> (e.g. <c>building</c>, <c>active</c>, <c>error</c>).</summary>
    [JsonPropertyName("OS-EXT-STS:vm_state")]
    public string? VmState { get; init; }

    /// <summary><c>OS-EXT-STS:task_state</c> (e.g. <c>scheduling</c>, <c>spawning</c>, <c>deleting</c>; null when idle).</summary>
    [JsonPropertyName("OS-EXT-STS:task_state")]
    public string? TaskState { get; init; }

    /// <summary><c>OS-EXT-STS:power_state</c> (1 = running).</summary>
    [JsonPropertyName("OS-EXT-STS:power_state")]
    public int? PowerState { get; init; }

    /// <summary><c>OS-EXT-SRV-ATTR:host</c> (admins only).</summary>
    [JsonPropertyName("OS-EXT-SRV-ATTR:host")]
    public string? Host { get; init; }

    /// <summary><c>OS-EXT-SRV-ATTR:hostname</c>.</summary>
    [JsonPropertyName("OS-EXT-SRV-ATTR:hostname")]
    public string? Hostname { get; init; }

    /// <summary><c>hostId</c>: an opaque per-project hash of the host (equal for servers on the same host).</summary>
    [JsonPropertyName("hostId")]
    public string? HostId { get; init; }

    /// <summary><c>created</c>.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary><c>updated</c>.</summary>
    public DateTimeOffset? Updated { get; init; }

    /// <summary>Attributes without a property.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Every address of every network, with its network name.</summary>
    public IEnumerable<(string Network, ServerAddress Address)> AllAddresses() =>
        Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Select(a => (kv.Key, a)));

    /// <summary>The addresses of one family (all networks).</summary>
    public IEnumerable<ServerAddress> AddressesOf(IpFamily family) =>
        AllAddresses().Select(x => x.Address).Where(a => a.Family == family);
}

/// <summary>A network of a server create: an existing port (what ShiftStack uses) or a network.</summary>
public sealed record ServerNetwork
{
    /// <summary>Port ID (<c>port</c>). The port keeps its fixed IPs, security groups and address pairs.</summary>
    public string? Port { get; init; }

    /// <summary>Network ID (<c>uuid</c>): Nova creates a port.</summary>
    public string? Uuid { get; init; }

    /// <summary>A fixed IP on <see cref="Uuid"/> (<c>fixed_ip</c>).</summary>
    public string? FixedIp { get; init; }

    /// <summary>Device tag (<c>tag</c>).</summary>
    public string? Tag { get; init; }

    /// <summary>An existing port.</summary>
    public static ServerNetwork OnPort(string portId)
    {
        ArgumentException.ThrowIfNullOrEmpty(portId);
        return new() { Port = portId };
    }

    /// <summary>A new port on a network.</summary>
    public static ServerNetwork OnNetwork(string networkId, string? fixedIp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(networkId);
        return new() { Uuid = networkId, FixedIp = fixedIp };
    }
}

/// <summary>
/// A server create (<c>POST /servers</c>). Validated before sending: tags (at most 50, each 1–60 characters without
/// <c>/</c> or <c>,</c>), metadata (keys 1–255, values up to 255 characters) and the size of <see cref="UserData"/>.
/// </summary>
public sealed record ServerCreateOptions
{
    /// <summary>The largest <c>user_data</c> Nova accepts: 65535 bytes of base64 (the API schema's <c>maxLength</c>).</summary>
    public const int MaxUserDataBase64Length = 65535;

    /// <summary>The largest raw <c>user_data</c> that fits: 49149 bytes (base64 makes 4 bytes of 3).</summary>
    public const int MaxUserDataLength = MaxUserDataBase64Length / 4 * 3;

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Flavor ID (<c>flavorRef</c>).</summary>
    public required string FlavorRef { get; init; }

    /// <summary>Image ID (<c>imageRef</c>); null when booting from a volume given in <see cref="AdditionalProperties"/>.</summary>
    public string? ImageRef { get; init; }

    /// <summary>Networks, in NIC order. An empty list sends <c>"networks": "none"</c> (a server without NICs).</summary>
    public required IReadOnlyList<ServerNetwork> Networks { get; init; }

    /// <summary>Availability zone.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>Metadata (ShiftStack: <c>Name</c> and <c>openshiftClusterID</c>).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Tags (set in the create body: microversion ≥ 2.52).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>
    /// User data, raw (e.g. an Ignition config as UTF-8); the client base64-encodes it. At most
    /// <see cref="MaxUserDataLength"/> bytes: larger configs must be served elsewhere and referenced by a small
    /// pointer config. Never logged.
    /// </summary>
    public byte[]? UserData { get; init; }

    /// <summary>The server group to schedule in (scheduler hint <c>group</c>).</summary>
    public string? ServerGroupId { get; init; }

    /// <summary><c>config_drive</c>.</summary>
    public bool? ConfigDrive { get; init; }

    /// <summary>Key pair name.</summary>
    public string? KeyName { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Hostname reported by the metadata service (microversion ≥ 2.90; Nova derives it from the name otherwise).</summary>
    public string? Hostname { get; init; }

    /// <summary>More attributes of the <c>server</c> object, sent as is (e.g. <c>block_device_mapping_v2</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement>? AdditionalProperties { get; init; }

    /// <summary>Sets <see cref="UserData"/> from text (UTF-8), e.g. an Ignition config.</summary>
    public ServerCreateOptions WithUserData(string text) => this with { UserData = Encoding.UTF8.GetBytes(text) };
}

/// <summary>Server list filters (<c>GET /servers/detail</c>). Never lists other projects' servers (<c>all_tenants</c> is not sent).</summary>
public sealed record ServerListOptions
{
    /// <summary>
    /// <c>name</c>: a regular expression Nova matches anywhere in the name (<c>web</c> also finds <c>my-web-1</c>).
    /// Use <see cref="ExactName"/> for one name.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Servers having all these tags (<c>tags=</c>).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Servers having any of these tags (<c>tags-any=</c>).</summary>
    public IReadOnlyList<string>? TagsAny { get; init; }

    /// <summary>Servers not having all these tags (<c>not-tags=</c>).</summary>
    public IReadOnlyList<string>? NotTags { get; init; }

    /// <summary>Servers having none of these tags (<c>not-tags-any=</c>).</summary>
    public IReadOnlyList<string>? NotTagsAny { get; init; }

    /// <summary><c>status</c>.</summary>
    public ServerStatus? Status { get; init; }

    /// <summary><c>flavor</c> (ID).</summary>
    public string? FlavorId { get; init; }

    /// <summary><c>image</c> (ID).</summary>
    public string? ImageId { get; init; }

    /// <summary><c>availability_zone</c>.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>Page size (<c>limit</c>); the list still returns every page.</summary>
    public int? Limit { get; init; }

    /// <summary>More filters, sent as is (Nova ≥ 2.75 answers 400 to unknown ones).</summary>
    public IReadOnlyDictionary<string, string>? ExtraFilters { get; init; }

    /// <summary>A <see cref="Name"/> pattern matching exactly this name (regex metacharacters escaped, anchored).</summary>
    public static string ExactName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder("^", name.Length + 8);
        foreach (var c in name)
        {
            if (@"\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('$').ToString();
    }

    internal string ToQuery()
    {
        var query = new QueryBuilder()
            .Add("name", Name)
            .AddJoined("tags", Tags)
            .AddJoined("tags-any", TagsAny)
            .AddJoined("not-tags", NotTags)
            .AddJoined("not-tags-any", NotTagsAny)
            .Add("status", Status?.Value)
            .Add("flavor", FlavorId)
            .Add("image", ImageId)
            .Add("availability_zone", AvailabilityZone);
        if (ExtraFilters is not null)
        {
            foreach (var (key, value) in ExtraFilters)
            {
                if (string.Equals(key, "all_tenants", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "all_projects", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"the server list never spans projects: '{key}' is not allowed", nameof(ExtraFilters));
                }

                query.Add(key, value);
            }
        }

        return query.Add("limit", Limit).ToString();
    }
}

/// <summary>How to wait for a server.</summary>
public sealed record ServerWaitOptions
{
    /// <summary>Defaults: poll every 2 s, give up after 10 min.</summary>
    public static ServerWaitOptions Default { get; } = new();

    /// <summary>Time between two polls (one <c>GET /servers/{id}</c> each). Default 2 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Give up (<see cref="TimeoutException"/>) after this. Default 10 min; <see cref="Timeout.InfiniteTimeSpan"/> waits until cancelled.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Called with every polled state (e.g. to show progress).</summary>
    public Action<Server>? OnPoll { get; init; }
}

/// <summary>A fixed IP of a server interface.</summary>
public sealed record ServerInterfaceFixedIp
{
    /// <summary>Subnet ID.</summary>
    public string SubnetId { get; init; } = string.Empty;

    /// <summary>Address.</summary>
    public string IpAddress { get; init; } = string.Empty;
}

/// <summary>A server's interface (<c>os-interface</c>): one Neutron port.</summary>
public sealed record ServerInterface
{
    /// <summary>Port ID.</summary>
    public string PortId { get; init; } = string.Empty;

    /// <summary>Network ID.</summary>
    public string NetId { get; init; } = string.Empty;

    /// <summary>MAC address.</summary>
    public string? MacAddr { get; init; }

    /// <summary>The port's status (<c>ACTIVE</c>, <c>DOWN</c>, ...).</summary>
    public string? PortState { get; init; }

    /// <summary>Fixed IPs.</summary>
    public IReadOnlyList<ServerInterfaceFixedIp> FixedIps { get; init; } = [];

    /// <summary>Device tag (microversion ≥ 2.70).</summary>
    public string? Tag { get; init; }
}

/// <summary>Servers (<c>/servers</c>) and their interfaces.</summary>
public sealed class ServerOperations
{
    private const int MaxTags = 50;
    private const int MaxTagLength = 60;
    private const int MaxMetadataLength = 255;

    private readonly NovaConnection _nova;

    internal ServerOperations(NovaConnection nova) => _nova = nova;

    /// <summary>
    /// Creates a server. Nova answers before the server is built: the result has only <see cref="Server.Id"/> (and no
    /// status); use <see cref="WaitForStatusAsync"/>. The admin password Nova may return is dropped.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, e.g. user data over <see cref="ServerCreateOptions.MaxUserDataLength"/> bytes.</exception>
    /// <exception cref="OpenStackException">E.g. 400 <c>badRequest</c>, 403 <c>forbidden</c> (quota exceeded), 409 <c>conflictingRequest</c> (port in use).</exception>
    public async Task<Server> CreateAsync(ServerCreateOptions options, CancellationToken cancellationToken = default)
    {
        var body = BuildCreateBody(options, _nova.Microversion);
        var server = await _nova.PostAsync("servers", body, "server", ComputeJsonContext.Default.Server, cancellationToken).ConfigureAwait(false);
        server.AdditionalProperties?.Remove("adminPass");
        return server;
    }

    /// <summary>Gets a server.</summary>
    /// <exception cref="OpenStackException">404 <c>itemNotFound</c> when it does not exist.</exception>
    public Task<Server> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.GetAsync(ItemPath(id), "server", ComputeJsonContext.Default.Server, cancellationToken);

    /// <summary>Gets a server, or null if it does not exist.</summary>
    public Task<Server?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.FindAsync(ItemPath(id), "server", ComputeJsonContext.Default.Server, cancellationToken);

    /// <summary>Lists the project's servers with details, following pages.</summary>
    public Task<IReadOnlyList<Server>> ListAsync(ServerListOptions? options = null, CancellationToken cancellationToken = default) =>
        _nova.ListAllAsync("servers/detail", options?.ToQuery() ?? string.Empty, "servers", ComputeJsonContext.Default.ListServer, cancellationToken);

    /// <summary>Deletes a server (asynchronous in Nova: see <see cref="WaitForDeletionAsync"/>).</summary>
    /// <exception cref="OpenStackException">404 <c>itemNotFound</c>, 409 <c>conflictingRequest</c> (e.g. locked).</exception>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.DeleteAsync(ItemPath(id), cancellationToken);

    /// <summary>Deletes a server; false if it did not exist.</summary>
    public Task<bool> DeleteIfExistsAsync(string id, CancellationToken cancellationToken = default) =>
        _nova.DeleteIfExistsAsync(ItemPath(id), cancellationToken);

    /// <summary>The server's interfaces (ports, MACs, fixed IPs).</summary>
    public async Task<IReadOnlyList<ServerInterface>> ListInterfacesAsync(string serverId, CancellationToken cancellationToken = default) =>
        await _nova.GetAsync(ItemPath(serverId) + "/os-interface", "interfaceAttachments", ComputeJsonContext.Default.ListServerInterface, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Polls the server until it has <paramref name="status"/> and returns it. Fails fast when it goes to ERROR (and
    /// ERROR is not what is waited for) with an <see cref="OpenStackException"/> of type
    /// <see cref="ComputeErrorTypes.ServerError"/> carrying the server's fault message.
    /// </summary>
    /// <exception cref="OpenStackException">ERROR (<see cref="ComputeErrorTypes.ServerError"/>), the server disappeared (404 <c>itemNotFound</c>), or a failed poll.</exception>
    /// <exception cref="TimeoutException">Not reached within <see cref="ServerWaitOptions.Timeout"/>; the message gives the last status.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Server> WaitForStatusAsync(string id, ServerStatus status, ServerWaitOptions? wait = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        wait = Validate(wait);
        using var timeout = new CancellationTokenSource(wait.Timeout, _nova.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Server? last = null;
        try
        {
            while (true)
            {
                last = await GetAsync(id, linked.Token).ConfigureAwait(false);
                wait.OnPoll?.Invoke(last);
                if (last.Status == status)
                {
                    return last;
                }

                if (last.Status == ServerStatus.Error)
                {
                    throw await ErrorStateAsync(last, status, linked.Token).ConfigureAwait(false);
                }

                await Task.Delay(wait.PollInterval, _nova.TimeProvider, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"server {Describe(id, last)} did not become {status} within {Format(wait.Timeout)}: {LastState(last)}", ex);
        }
    }

    /// <summary>
    /// Polls until the server is gone: a 404. Nova briefly shows a deleted server with status DELETED (vm_state
    /// <c>deleted</c>) before the 404 — observed on Zed —, so DELETED is polled past, not taken as gone (a list right
    /// after would still return the server). A soft-deleted server (SOFT_DELETED) is not gone either.
    /// </summary>
    /// <exception cref="TimeoutException">Still there after <see cref="ServerWaitOptions.Timeout"/>; the message gives its status and fault.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task WaitForDeletionAsync(string id, ServerWaitOptions? wait = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        wait = Validate(wait);
        using var timeout = new CancellationTokenSource(wait.Timeout, _nova.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Server? last = null;
        try
        {
            while (true)
            {
                var current = await FindAsync(id, linked.Token).ConfigureAwait(false);
                if (current is null)
                {
                    return;
                }

                last = current;
                wait.OnPoll?.Invoke(current);
                await Task.Delay(wait.PollInterval, _nova.TimeProvider, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"server {Describe(id, last)} was not deleted within {Format(wait.Timeout)}: {LastState(last)}", ex);
        }
    }

    internal static byte[] BuildCreateBody(ServerCreateOptions options, Microversion microversion)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.FlavorRef, nameof(options));
        if (options.Networks is null)
        {
            throw new ArgumentException("Networks is required (an empty list means no NIC)", nameof(options));
        }

        foreach (var network in options.Networks)
        {
            if (network is null || (network.Port is null) == (network.Uuid is null))
            {
                throw new ArgumentException("each network needs either a port or a network uuid (not both)", nameof(options));
            }
        }

        ValidateTags(options.Tags);
        ValidateMetadata(options.Metadata);
        if (options.Hostname is not null && microversion < new Microversion(2, 90))
        {
            throw new ArgumentException($"Hostname needs compute microversion 2.90 or later; the client uses {microversion}", nameof(options));
        }

        string? userData = null;
        if (options.UserData is { } raw)
        {
            var encodedLength = ((raw.Length + 2) / 3) * 4;
            if (encodedLength > ServerCreateOptions.MaxUserDataBase64Length)
            {
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"user data of server '{options.Name}' is too large: {raw.Length} bytes are {encodedLength} bytes of base64, and Nova accepts at most {ServerCreateOptions.MaxUserDataBase64Length} ({ServerCreateOptions.MaxUserDataLength} bytes before encoding). Serve the full configuration elsewhere (e.g. an Ignition config fetched from a URL) and pass a small pointer config as user data."),
                    nameof(options));
            }

            userData = Convert.ToBase64String(raw);
        }

        var request = new ServerCreateRequest
        {
            Server = new ServerCreateBody
            {
                Name = options.Name,
                FlavorRef = options.FlavorRef,
                ImageRef = options.ImageRef,
                Networks = options.Networks,
                AvailabilityZone = options.AvailabilityZone,
                Metadata = options.Metadata,
                Tags = options.Tags,
                UserData = userData,
                ConfigDrive = options.ConfigDrive,
                KeyName = options.KeyName,
                Description = options.Description,
                Hostname = options.Hostname,
                AdditionalProperties = options.AdditionalProperties?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            },
            SchedulerHints = options.ServerGroupId is { } group ? new SchedulerHints { Group = group } : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(request, ComputeJsonContext.Default.ServerCreateRequest);
    }

    private static void ValidateTags(IReadOnlyList<string>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            throw new ArgumentException($"a server has at most {MaxTags} tags, not {tags.Count}", nameof(tags));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength || tag.Contains('/', StringComparison.Ordinal) || tag.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"invalid server tag '{tag}': Nova takes 1 to {MaxTagLength} characters without '/' or ','", nameof(tags));
            }
        }
    }

    private static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxMetadataLength || value is null || value.Length > MaxMetadataLength)
            {
                throw new ArgumentException($"invalid server metadata '{key}': keys take 1 to {MaxMetadataLength} characters, values up to {MaxMetadataLength}", nameof(metadata));
            }
        }
    }

    private static ServerWaitOptions Validate(ServerWaitOptions? wait)
    {
        wait ??= ServerWaitOptions.Default;
        if (wait.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait.PollInterval, "the poll interval must be positive");
        }

        if (wait.Timeout <= TimeSpan.Zero && wait.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait.Timeout, "the timeout must be positive (or infinite)");
        }

        return wait;
    }

    private async Task<OpenStackException> ErrorStateAsync(Server server, ServerStatus wanted, CancellationToken cancellationToken)
    {
        var uri = new Uri(await _nova.GetBaseUriAsync(cancellationToken).ConfigureAwait(false), ItemPath(server.Id));
        var fault = server.Fault is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"{f.Message} (fault code {f.Code})")
            : "Nova gave no fault message";
        return new OpenStackException(
            statusCode: null,
            ComputeErrorTypes.ServerError,
            $"server {Describe(server.Id, server)} went to ERROR instead of {wanted}: {fault}",
            "GET",
            uri,
            serviceType: _nova.ServiceType);
    }

    private static string Describe(string id, Server? server) =>
        server is null || server.Name.Length == 0 ? id : $"{id} ('{server.Name}')";

    private static string LastState(Server? server)
    {
        if (server is null)
        {
            return "no answer yet";
        }

        var state = $"it is {(server.Status.Value.Length == 0 ? "(no status)" : server.Status.Value)}";
        if (server.TaskState is { } task)
        {
            state += $", task state {task}";
        }

        if (server.Fault is { } fault)
        {
            state += $", fault: {fault.Message}";
        }

        return state;
    }

    private static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{(int)span.TotalMilliseconds} ms"
        : span.TotalMinutes < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");

    private static string ItemPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "servers/" + Uri.EscapeDataString(id);
    }
}

internal sealed record ServerCreateRequest
{
    public required ServerCreateBody Server { get; init; }

    [JsonPropertyName("os:scheduler_hints")]
    public SchedulerHints? SchedulerHints { get; init; }
}

internal sealed record SchedulerHints
{
    public string? Group { get; init; }
}

internal sealed record ServerCreateBody
{
    public required string Name { get; init; }

    [JsonPropertyName("flavorRef")]
    public required string FlavorRef { get; init; }

    [JsonPropertyName("imageRef")]
    public string? ImageRef { get; init; }

    [JsonConverter(typeof(ServerNetworksConverter))]
    public required IReadOnlyList<ServerNetwork> Networks { get; init; }

    public string? AvailabilityZone { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? UserData { get; init; }

    public bool? ConfigDrive { get; init; }

    public string? KeyName { get; init; }

    public string? Description { get; init; }

    public string? Hostname { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
