using System.CommandLine;
using ShiftStack.Cli.Rendering;

namespace ShiftStack.Cli.Commands;

/// <summary>Options shared by several commands, so each is spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string> Dir() => new("--dir")
    {
        Description = "Installation directory: install-config.yaml and the assets generated from it, or openshift-install's files after 'create ignition-configs'",
        DefaultValueFactory = _ => ".",
        HelpName = "DIR",
    };

    /// <summary><c>-o text|json</c>; with <paramref name="graphs"/> also <c>mermaid|dot</c> (<c>create cluster --plan</c>).</summary>
    public static Option<OutputFormat> Output(bool graphs = false)
    {
        var names = graphs ? "text, json, mermaid or dot" : "text or json";
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = graphs
                ? "Output format: text (for people), json (for scripts), mermaid or dot (the plan as a graph, with --plan)"
                : "Output format: text (for people) or json (for scripts)",
            DefaultValueFactory = _ => OutputFormat.Text,
            HelpName = graphs ? "text|json|mermaid|dot" : "text|json",
            CustomParser = r =>
            {
                var token = r.Tokens.Count == 0 ? "text" : r.Tokens[0].Value;
                switch (token.ToUpperInvariant())
                {
                    case "TEXT": return OutputFormat.Text;
                    case "JSON": return OutputFormat.Json;
                    case "MERMAID" when graphs: return OutputFormat.Mermaid;
                    case "DOT" when graphs: return OutputFormat.Dot;
                    default:
                        r.AddError($"--output must be {names}, not '{token}'");
                        return OutputFormat.Text;
                }
            },
        };
        option.CompletionSources.Clear(); // not the enum's names
        option.CompletionSources.Add("text", "json");
        if (graphs)
        {
            option.CompletionSources.Add("mermaid", "dot");
        }

        return option;
    }

    /// <summary><c>--force</c> of the commands that write generated files (<c>WrittenFiles</c>).</summary>
    public static Option<bool> Force() => new("--force")
    {
        Description = "Overwrite generated files that were changed since ShiftStack wrote them, or that ShiftStack did not write",
    };

    public static Option<string?> Cloud() => new("--cloud")
    {
        Description = "The clouds.yaml entry to use; overrides platform.openstack.cloud",
        HelpName = "NAME",
    };

    /// <summary><c>--log-level</c>, on every command (recursive, given to the root).</summary>
    public static Option<LogLevel> LogLevelOption()
    {
        var option = new Option<LogLevel>("--log-level")
        {
            Description = "What to say on standard error: debug (also every request: method, URL, status, time), info (notes, waits, warnings; the default), warn, error",
            HelpName = "debug|info|warn|error",
            Recursive = true,
            CustomParser = r =>
            {
                var token = r.Tokens.Count == 0 ? "info" : r.Tokens[0].Value;
                switch (token.ToUpperInvariant())
                {
                    case "DEBUG": return LogLevel.Debug;
                    case "INFO": return LogLevel.Info;
                    case "WARN" or "WARNING": return LogLevel.Warn;
                    case "ERROR": return LogLevel.Error;
                    default:
                        r.AddError($"--log-level must be debug, info, warn or error, not '{token}'");
                        return LogLevel.Info;
                }
            },
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add("debug", "info", "warn", "error");
        return option;
    }

    /// <summary><c>--timeout</c>, on every command (recursive): the overall deadline (<see cref="Deadline"/>).</summary>
    public static Option<TimeSpan?> Timeout() => new("--timeout")
    {
        Description = $"Give up after this long, e.g. 90s, 10m, 1h30m; 0 waits forever (default {Duration.Format(Deadline.LongDefault)} for create cluster, destroy, convert and audit cluster, {Duration.Format(Deadline.ShortDefault)} for the others)",
        HelpName = "DURATION",
        Recursive = true,
        CustomParser = r =>
        {
            var token = r.Tokens.Count == 0 ? string.Empty : r.Tokens[0].Value;
            if (Duration.TryParse(token, out var duration))
            {
                return duration;
            }

            r.AddError($"--timeout must be a duration such as 90s, 10m or 1h30m (0 for none), not '{token}'");
            return null;
        },
    };
}
