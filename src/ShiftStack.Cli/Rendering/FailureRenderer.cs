using System.Text.Json;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// Prints a <see cref="Failure"/>: as text, a <c>shiftstack: message (hint)</c> line on standard error (an invalid
/// install-config: its findings, one line each); with <c>-o json</c>, one document on standard output whose
/// <c>error</c> object has the same fields (<c>exitCode</c>, <c>kind</c>, <c>message</c>, <c>hint</c>), plus the
/// findings for an invalid install-config.
/// </summary>
internal static class FailureRenderer
{
    public static void Write(CliConsole console, Failure failure, OutputFormat output)
    {
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(console, json =>
            {
                WriteError(json, failure);
                if (failure.File is { } file)
                {
                    FindingsRenderer.WriteMembers(json, file.Path, valid: false, file.Findings);
                }
            });
            return;
        }

        if (failure.File is { } invalid)
        {
            FindingsRenderer.WriteText(console.Error, invalid.Path, false, invalid.Findings, string.Empty);
            return;
        }

        console.Error.WriteLine("shiftstack: " + failure.Text);
    }

    /// <summary>The <c>error</c> member.</summary>
    public static void WriteError(Utf8JsonWriter json, Failure failure)
    {
        json.WriteStartObject("error");
        json.WriteNumber("exitCode", failure.ExitCode);
        json.WriteString("kind", failure.Kind);
        json.WriteString("message", failure.Message);
        if (failure.Hint is not null)
        {
            json.WriteString("hint", failure.Hint);
        }

        if (failure.EditedFiles is { } files)
        {
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteBoolean("writtenByShiftStack", file.WrittenByShiftStack);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }
}
