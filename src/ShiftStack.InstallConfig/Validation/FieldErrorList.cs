using System.Collections;

namespace ShiftStack.InstallConfig.Validation;

/// <summary>An ordered list of <see cref="FieldError"/>s (k8s <c>field.ErrorList</c>).</summary>
public sealed class FieldErrorList : IReadOnlyList<FieldError>
{
    private readonly List<FieldError> _errors = [];

    /// <summary>An empty list.</summary>
    public FieldErrorList()
    {
    }

    /// <summary>A list holding the given errors.</summary>
    public FieldErrorList(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <inheritdoc />
    public FieldError this[int index] => _errors[index];

    /// <inheritdoc />
    public int Count => _errors.Count;

    /// <summary>True when there is no error.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Appends one error.</summary>
    public void Add(FieldError error) => _errors.Add(error);

    /// <summary>Appends several errors.</summary>
    public void AddRange(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <inheritdoc />
    public IEnumerator<FieldError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The errors as k8s <c>ErrorList.ToAggregate().Error()</c> prints them: identical messages collapsed,
    /// one error printed alone, several as <c>[e1, e2]</c>. Empty string for an empty list.
    /// </summary>
    public override string ToString()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<string>();
        foreach (var e in _errors)
        {
            var text = e.ToString();
            if (seen.Add(text))
            {
                messages.Add(text);
            }
        }
        return messages.Count switch
        {
            0 => string.Empty,
            1 => messages[0],
            _ => "[" + string.Join(", ", messages) + "]",
        };
    }
}
