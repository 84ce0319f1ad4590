using System.Globalization;
using System.Text.Json;
using ShiftStack.Installer.Validation;

namespace ShiftStack.Cli.Rendering;

/// <summary>Prints validation findings as text lines or as the JSON document scripts read.</summary>
internal static class FindingsRenderer
{
    /// <summary>
    /// Text: one line per finding, <c>file:line:col: error: message</c>: a misspelt field first ("did you mean"; it is
    /// often the cause of the errors that follow), then the errors, then the other warnings, then a summary line.
    /// </summary>
    public static void WriteText(TextWriter output, string file, bool valid, IReadOnlyList<Finding> findings, string validSummary)
    {
        foreach (var f in findings.OrderByDescending(IsNearMiss).ThenByDescending(f => f.Severity))
        {
            var where = f.Position is null ? file : f.Position.ToString();
            var severity = f.Severity == FindingSeverity.Error ? "error" : "warning";
            output.WriteLine($"{where}: {severity}: {f.Message}");
        }
        var errors = findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = findings.Count - errors;
        if (valid)
        {
            output.WriteLine(warnings == 0 ? validSummary : $"{validSummary} ({Plural(warnings, "warning")})");
        }
        else
        {
            output.WriteLine($"{file}: invalid: {Plural(errors, "error")}, {Plural(warnings, "warning")}");
        }
    }

    private static bool IsNearMiss(Finding finding) =>
        finding.Message.Contains(ShiftStack.InstallConfig.Loading.NearMiss.Phrase, StringComparison.Ordinal);

    /// <summary>
    /// JSON: <c>{"valid": bool, "file": "...", "errors": [...], "warnings": [...]}</c>; each entry has
    /// <c>field</c>, <c>type</c>, <c>value</c>, <c>detail</c>, <c>message</c> and, when known, <c>file</c>,
    /// <c>line</c>, <c>column</c>.
    /// </summary>
    public static void WriteJson(CliConsole console, string file, bool valid, IReadOnlyList<Finding> findings,
        Action<Utf8JsonWriter>? extra = null) =>
        JsonOutput.Write(console, json =>
        {
            json.WriteBoolean("valid", valid);
            json.WriteString("file", file);
            extra?.Invoke(json);
            WriteLists(json, findings);
        });

    /// <summary>The members of the JSON document: <c>valid</c>, <c>file</c>, <c>errors</c>, <c>warnings</c>.</summary>
    public static void WriteMembers(Utf8JsonWriter json, string file, bool valid, IReadOnlyList<Finding> findings)
    {
        json.WriteBoolean("valid", valid);
        json.WriteString("file", file);
        WriteLists(json, findings);
    }

    private static void WriteLists(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        WriteList(json, "errors", findings.Where(f => f.Severity == FindingSeverity.Error));
        WriteList(json, "warnings", findings.Where(f => f.Severity == FindingSeverity.Warning));
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<Finding> findings)
    {
        json.WriteStartArray(name);
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("field", f.Field);
            json.WriteString("type", f.Type);
            json.WritePropertyName("value");
            WriteValue(json, f.Value);
            json.WriteString("detail", f.Detail);
            json.WriteString("message", f.Message);
            if (f.Position is { } p)
            {
                json.WriteString("file", p.FileName);
                json.WriteNumber("line", p.Line);
                json.WriteNumber("column", p.Column);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }
                json.WriteEndArray();
                break;
            case IFormattable f: json.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }

    private static string Plural(int n, string word) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? string.Empty : "s");
}
