using System.CommandLine;
using ShiftStack.Cli.Rendering;

namespace ShiftStack.Cli.Commands;

/// <summary>Options shared by several commands, so each is spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string> Dir() => new("--dir")
    {
        Description = "Installation directory holding install-config.yaml (and, later, the generated assets)",
        DefaultValueFactory = _ => ".",
        HelpName = "DIR",
    };

    public static Option<OutputFormat> Output() => new("--output", "-o")
    {
        Description = "Output format: text (for people) or json (for scripts)",
        DefaultValueFactory = _ => OutputFormat.Text,
        HelpName = "text|json",
        CustomParser = r =>
        {
            var token = r.Tokens.Count == 0 ? "text" : r.Tokens[0].Value;
            switch (token.ToUpperInvariant())
            {
                case "TEXT": return OutputFormat.Text;
                case "JSON": return OutputFormat.Json;
                default:
                    r.AddError($"--output must be text or json, not '{token}'");
                    return OutputFormat.Text;
            }
        },
    };

    public static Option<string?> Cloud() => new("--cloud")
    {
        Description = "The clouds.yaml entry to use; overrides platform.openstack.cloud",
        HelpName = "NAME",
    };
}
