namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// Receives what provisioning and destroy are doing, for a live display or a log. Called from several threads at
/// once; implementations must be thread-safe and quick.
/// </summary>
public interface IProgressSink
{
    /// <summary>A step started.</summary>
    /// <param name="id">Step ID (unique within a run).</param>
    /// <param name="summary">What it does.</param>
    void Started(string id, string summary);

    /// <summary>A step finished.</summary>
    /// <param name="id">Step ID.</param>
    /// <param name="summary">What it did (e.g. with the created ID).</param>
    void Completed(string id, string summary);

    /// <summary>A step failed.</summary>
    /// <param name="id">Step ID.</param>
    /// <param name="summary">What it tried.</param>
    /// <param name="error">Why it failed.</param>
    void Failed(string id, string summary, string error);

    /// <summary>A note (a fallback taken, a wait, ...).</summary>
    /// <param name="text">The note.</param>
    void Message(string text);
}

/// <summary>Discards everything.</summary>
public sealed class NullProgressSink : IProgressSink
{
    /// <summary>The instance.</summary>
    public static NullProgressSink Instance { get; } = new();

    /// <inheritdoc />
    public void Started(string id, string summary)
    {
    }

    /// <inheritdoc />
    public void Completed(string id, string summary)
    {
    }

    /// <inheritdoc />
    public void Failed(string id, string summary, string error)
    {
    }

    /// <inheritdoc />
    public void Message(string text)
    {
    }
}
