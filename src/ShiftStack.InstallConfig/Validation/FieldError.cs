using System.Globalization;

namespace ShiftStack.InstallConfig.Validation;

/// <summary>The kind of a <see cref="FieldError"/>, as k8s <c>field.ErrorType</c>.</summary>
public enum FieldErrorType
{
    /// <summary><c>Not found</c>.</summary>
    NotFound,
    /// <summary><c>Required value</c>.</summary>
    Required,
    /// <summary><c>Duplicate value</c>.</summary>
    Duplicate,
    /// <summary><c>Invalid value</c>.</summary>
    Invalid,
    /// <summary><c>Unsupported value</c>.</summary>
    NotSupported,
    /// <summary><c>Forbidden</c>.</summary>
    Forbidden,
    /// <summary><c>Too many</c>.</summary>
    TooMany,
    /// <summary><c>Internal error</c>.</summary>
    Internal,
}

/// <summary>A position in a source file (1-based line and column).</summary>
public sealed record SourcePosition(string FileName, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FileName}:{Line}:{Column}");
}

/// <summary>
/// One validation problem, as k8s <c>field.Error</c>. <see cref="ToString"/> renders exactly the reference's text,
/// e.g. <c>platform.openstack.apiVIPs: Invalid value: "10.0.0.5": IP expected to be in one of the machine networks: 10.1.0.0/16</c>.
/// </summary>
public sealed record FieldError(FieldPath Path, FieldErrorType Type, object? BadValue, string Detail)
{
    /// <summary>Where the field (or its closest existing parent) is in the source file, when known.</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>True when the value is not printed (Required, Forbidden, Internal and TooMany without a count).</summary>
    public bool OmitsValue => Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.Internal;

    /// <summary>Invalid value.</summary>
    public static FieldError Invalid(FieldPath path, object? value, string detail) => new(path, FieldErrorType.Invalid, value, detail);

    /// <summary>Required value.</summary>
    public static FieldError Required(FieldPath path, string detail) => new(path, FieldErrorType.Required, null, detail);

    /// <summary>Not found.</summary>
    public static FieldError NotFound(FieldPath path, object? value) => new(path, FieldErrorType.NotFound, value, string.Empty);

    /// <summary>Forbidden.</summary>
    public static FieldError Forbidden(FieldPath path, string detail) => new(path, FieldErrorType.Forbidden, null, detail);

    /// <summary>Internal error.</summary>
    public static FieldError Internal(FieldPath path, string detail) => new(path, FieldErrorType.Internal, null, detail);

    /// <summary>Duplicate value.</summary>
    public static FieldError Duplicate(FieldPath path, object? value) => new(path, FieldErrorType.Duplicate, value, string.Empty);

    /// <summary>Too many: <c>Too many: 3: must have at most 2 items</c>.</summary>
    public static FieldError TooMany(FieldPath path, int actual, int max) =>
        new(path, FieldErrorType.TooMany, actual, max >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"must have at most {max} items")
            : "has too many items");

    /// <summary>Unsupported value: <c>Unsupported value: "x": supported values: "a", "b"</c>.</summary>
    public static FieldError NotSupported(FieldPath path, object? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : string.Empty;
        return new(path, FieldErrorType.NotSupported, value, detail);
    }

    /// <summary>The printed kind, e.g. <c>Invalid value</c>.</summary>
    public static string TypeText(FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.Internal => "Internal error",
        _ => type.ToString(),
    };

    /// <summary>The message without the path (k8s <c>ErrorBody</c>).</summary>
    public string Body
    {
        get
        {
            var s = OmitsValue ? TypeText(Type) : TypeText(Type) + ": " + Echo(BadValue);
            if (Detail.Length > 0)
            {
                s += ": " + Detail;
            }
            return s;
        }
    }

    /// <summary>The reference's rendering: <c>&lt;path&gt;: &lt;body&gt;</c>.</summary>
    public override string ToString() => Path + ": " + Body;

    /// <summary>
    /// Values echoed longer than this are cut (a 9 MB value would be a 9 MB line); every value the reference's own
    /// limits name (253-character domains, 63-character labels) is shorter and echoed whole, as the reference does.
    /// </summary>
    public const int MaxEchoedValue = 512;

    /// <summary>A value as echoed in a message: a long string's start quoted, with its length.</summary>
    public static string Echo(object? value) =>
        value is string text && text.Length > MaxEchoedValue
            ? string.Create(CultureInfo.InvariantCulture, $"{GoFormat.Value(text[..(MaxEchoedValue - 112)])}… ({text.Length} characters in all)")
            : Shorten(GoFormat.Value(value));

    /// <summary>The value as echoed: whole up to <see cref="MaxEchoedValue"/> characters, else its start and its length.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxEchoedValue
            ? value
            : string.Create(CultureInfo.InvariantCulture, $"{value[..(MaxEchoedValue - 112)]}… ({value.Length} characters in all)");
    }
}

/// <summary>A warning that does not stop the installation (the reference logs these).</summary>
public sealed record FieldWarning(FieldPath Path, string Message)
{
    /// <summary>Where the field is in the source file, when known.</summary>
    public SourcePosition? Position { get; init; }

    /// <inheritdoc />
    public override string ToString() => Path.IsEmpty ? Message : Path + ": " + Message;
}
