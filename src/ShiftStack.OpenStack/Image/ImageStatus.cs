using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Image;

/// <summary>An image's <c>status</c>.</summary>
[JsonConverter(typeof(StringValueConverter<ImageStatus>))]
public readonly struct ImageStatus : IEquatable<ImageStatus>, IStringValue<ImageStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public ImageStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Created, no data yet.</summary>
    public static ImageStatus Queued { get; } = new("queued");

    /// <summary>Data being uploaded.</summary>
    public static ImageStatus Saving { get; } = new("saving");

    /// <summary>Data being staged (interoperable import).</summary>
    public static ImageStatus Uploading { get; } = new("uploading");

    /// <summary>Being imported.</summary>
    public static ImageStatus Importing { get; } = new("importing");

    /// <summary>Usable.</summary>
    public static ImageStatus Active { get; } = new("active");

    /// <summary>The upload failed.</summary>
    public static ImageStatus Killed { get; } = new("killed");

    /// <summary>Deleted.</summary>
    public static ImageStatus Deleted { get; } = new("deleted");

    /// <summary>Deleted, data not yet scrubbed.</summary>
    public static ImageStatus PendingDelete { get; } = new("pending_delete");

    /// <summary>Data not downloadable (admin).</summary>
    public static ImageStatus Deactivated { get; } = new("deactivated");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator ImageStatus(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(ImageStatus left, ImageStatus right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ImageStatus left, ImageStatus right) => !left.Equals(right);

    /// <inheritdoc />
    static ImageStatus IStringValue<ImageStatus>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static ImageStatus FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(ImageStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ImageStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
