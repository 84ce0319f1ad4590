namespace ShiftStack.Cli;

/// <summary>The process exit codes of <c>shiftstack</c>; scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>validate</c>: the install-config is valid).</summary>
    public const int Ok = 0;

    /// <summary>Something failed that is neither the user's input nor the cloud (a bug, a full disk).</summary>
    public const int Failure = 1;

    /// <summary>The input is wrong: bad arguments, a missing or invalid install-config.</summary>
    public const int InvalidInput = 2;

    /// <summary>The cloud could not be reached, refused the credentials, or failed a request.</summary>
    public const int CloudError = 3;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
