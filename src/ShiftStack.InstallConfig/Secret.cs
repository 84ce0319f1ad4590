namespace ShiftStack.InstallConfig;

/// <summary>
/// A secret string (the pull secret). <see cref="ToString"/> never shows the value, so records holding a
/// <see cref="Secret"/> can be printed and logged safely. Read the value with <see cref="Reveal"/>.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>What <see cref="ToString"/> prints for a non-empty secret.</summary>
    public const string Redacted = "<redacted>";

    private readonly string _value;

    /// <summary>Wraps a secret value.</summary>
    public Secret(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>True when the secret is the empty string.</summary>
    public bool IsEmpty => _value.Length == 0;

    /// <summary>The secret value. Never log it.</summary>
    public string Reveal() => _value;

    /// <summary>Prints <c>&lt;redacted&gt;</c> (or the empty string for an empty secret).</summary>
    public override string ToString() => _value.Length == 0 ? string.Empty : Redacted;

    /// <inheritdoc />
    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Secret s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
