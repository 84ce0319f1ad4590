namespace ShiftStack.Installer.Preflight;

/// <summary>
/// How a pre-flight message says that it comes from ShiftStack rather than from <c>openshift-install</c>: every such
/// message ends with a parenthesis that starts with <see cref="Prefix"/>, e.g.
/// <c>(ShiftStack check; openshift-install does not check this)</c>. Messages of the reference's own checks never
/// carry it, so <c>grep -v "(ShiftStack check;"</c> leaves exactly what <c>openshift-install</c> would print.
/// </summary>
public static class ShiftStackCheck
{
    /// <summary>The start of every marker.</summary>
    public const string Prefix = "(ShiftStack check; ";

    /// <summary>The marker of a check <c>openshift-install</c> does not make at all.</summary>
    public const string NotInReference = Prefix + "openshift-install does not check this)";

    /// <summary>
    /// The marker of a case the reference handles differently: <c>(ShiftStack check; openshift-install &lt;how&gt;)</c>.
    /// </summary>
    /// <param name="howTheReferenceDiffers">What <c>openshift-install</c> does instead, starting with a verb.</param>
    /// <returns>The marker.</returns>
    public static string Differs(string howTheReferenceDiffers) => Prefix + "openshift-install " + howTheReferenceDiffers + ")";

    /// <summary>Appends <see cref="NotInReference"/> to a detail text.</summary>
    /// <param name="detail">The detail text.</param>
    /// <returns>The marked text.</returns>
    public static string Mark(string detail) => detail + " " + NotInReference;

    /// <summary>True when a message carries a ShiftStack marker.</summary>
    /// <param name="message">A message or detail text.</param>
    /// <returns>True for ShiftStack's own checks.</returns>
    public static bool IsMarked(string message) =>
        message is not null && message.Contains(Prefix, StringComparison.Ordinal) && message.EndsWith(')');
}
