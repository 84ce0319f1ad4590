namespace ShiftStack.Cli;

/// <summary>
/// The process exit codes of <c>shiftstack</c>, one meaning each across all commands (README, "Exit codes and JSON
/// output"); scripts may rely on them. <see cref="Failures"/> maps what the libraries throw onto them.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>validate</c>: the install-config is valid).</summary>
    public const int Ok = 0;

    /// <summary>A local file could not be read or written, or ShiftStack failed (a bug).</summary>
    public const int Failure = 1;

    /// <summary>
    /// The input is wrong or the check found problems: bad arguments, an invalid install-config, no cluster in the
    /// directory, a failed conversion pre-check, an address disagreement, drift found by <c>audit cluster</c>.
    /// </summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// The cloud could not be used: not in clouds.yaml, unreachable, credentials refused, a request or a provisioning
    /// step failed, something left behind by destroy.
    /// </summary>
    public const int CloudError = 3;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
