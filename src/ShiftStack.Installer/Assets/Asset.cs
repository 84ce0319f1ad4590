namespace ShiftStack.Installer.Assets;

/// <summary>
/// One node of the asset graph (the idea of openshift/installer <c>pkg/asset</c>): a named value with declared
/// dependencies, generated once per <see cref="AssetStore"/> from its parents. Assets are stateless singletons
/// (see <c>AssetGraph.InstallAssets</c>); the values they produce are immutable records.
/// </summary>
public abstract class Asset
{
    /// <summary>A human-friendly name, used in errors and the generation log.</summary>
    public abstract string Name { get; }

    /// <summary>The assets whose values <see cref="Asset{T}.Generate"/> may read.</summary>
    public abstract IReadOnlyList<Asset> Dependencies { get; }

    internal abstract Task<object> GenerateUntypedAsync(AssetContext context, CancellationToken cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>An asset producing a value of type <typeparamref name="T"/>.</summary>
public abstract class Asset<T> : Asset
    where T : class
{
    /// <summary>Generates the value from the parents (read them with <see cref="AssetContext.Get{TValue}"/>).</summary>
    protected internal virtual T Generate(AssetContext context) =>
        throw new NotSupportedException($"{Name} is generated asynchronously");

    /// <summary>Asynchronous generation; by default calls <see cref="Generate"/>.</summary>
    protected internal virtual Task<T> GenerateAsync(AssetContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Generate(context));

    internal sealed override async Task<object> GenerateUntypedAsync(AssetContext context, CancellationToken cancellationToken) =>
        await GenerateAsync(context, cancellationToken).ConfigureAwait(false);
}

/// <summary>What an asset sees while it is generated: the store's inputs and its declared parents.</summary>
public sealed class AssetContext
{
    private readonly AssetStore _store;
    private readonly Asset _asset;

    internal AssetContext(AssetStore store, Asset asset)
    {
        _store = store;
        _asset = asset;
    }

    /// <summary>The inputs of the run (directory, environment, cloud look-ups, randomness).</summary>
    public AssetInputs Inputs => _store.Inputs;

    /// <summary>The value of a parent; it must be one of the asset's declared <see cref="Asset.Dependencies"/>.</summary>
    public TValue Get<TValue>(Asset<TValue> parent)
        where TValue : class
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (!_asset.Dependencies.Contains(parent))
        {
            throw new InvalidOperationException($"asset {_asset.Name} reads {parent.Name}, which it does not declare as a dependency");
        }
        return (TValue)_store.Generated(parent);
    }
}

/// <summary>A dependency cycle in the asset graph (a programming error).</summary>
public sealed class AssetCycleException : InvalidOperationException
{
    /// <summary>Creates the exception for a cycle.</summary>
    public AssetCycleException(IReadOnlyList<string> cycle)
        : base("asset dependency cycle: " + string.Join(" -> ", cycle)) => Cycle = cycle;

    /// <summary>Creates the exception.</summary>
    public AssetCycleException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    public AssetCycleException(string message)
        : base(message) => Cycle = [];

    /// <summary>Creates the exception.</summary>
    public AssetCycleException(string message, Exception innerException)
        : base(message, innerException) => Cycle = [];

    /// <summary>The asset names along the cycle, the first repeated at the end.</summary>
    public IReadOnlyList<string> Cycle { get; }
}

/// <summary>
/// Generation failed because of the input or the cloud (not a bug): the message says what to do. The CLI prints it
/// and exits 2 (input) or 3 (cloud).
/// </summary>
public sealed class AssetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AssetException(string message, bool isCloudError = false, Exception? innerException = null)
        : base(message, innerException) => IsCloudError = isCloudError;

    /// <summary>Creates the exception.</summary>
    public AssetException()
        : this("asset generation failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AssetException(string message)
        : this(message, false)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AssetException(string message, Exception innerException)
        : this(message, false, innerException)
    {
    }

    /// <summary>True when a cloud request failed (rather than the input being wrong).</summary>
    public bool IsCloudError { get; }
}

/// <summary>
/// Generates assets depth-first, each once (memoised per store), and detects dependency cycles. Not thread-safe: a
/// store belongs to one command run.
/// </summary>
public sealed class AssetStore
{
    private readonly Dictionary<Asset, object> _values = [];
    private readonly List<Asset> _inProgress = [];
    private readonly List<string> _log = [];

    /// <summary>Creates a store over the given inputs.</summary>
    public AssetStore(AssetInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Inputs = inputs;
    }

    /// <summary>The inputs every asset can read.</summary>
    public AssetInputs Inputs { get; }

    /// <summary>The names of the assets generated so far, in generation order (each appears once).</summary>
    public IReadOnlyList<string> GenerationLog => _log;

    /// <summary>The value of an asset, generating it and its ancestors first when needed.</summary>
    public async Task<T> GetAsync<T>(Asset<T> asset, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asset);
        return (T)await GetUntypedAsync(asset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The value of any asset (for verbs that handle targets generically).</summary>
    public async Task<object> GetUntypedAsync(Asset asset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(asset);
        if (_values.TryGetValue(asset, out var value))
        {
            return value;
        }
        var at = _inProgress.IndexOf(asset);
        if (at >= 0)
        {
            var cycle = _inProgress.Skip(at).Select(a => a.Name).Append(asset.Name).ToList();
            throw new AssetCycleException(cycle);
        }
        _inProgress.Add(asset);
        try
        {
            foreach (var dependency in asset.Dependencies)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await GetUntypedAsync(dependency, cancellationToken).ConfigureAwait(false);
            }
            value = await asset.GenerateUntypedAsync(new AssetContext(this, asset), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inProgress.RemoveAt(_inProgress.Count - 1);
        }
        _values[asset] = value;
        _log.Add(asset.Name);
        return value;
    }

    internal object Generated(Asset asset) =>
        _values.TryGetValue(asset, out var value)
            ? value
            : throw new InvalidOperationException($"asset {asset.Name} has not been generated");
}
