using System.CommandLine;
using System.CommandLine.Completions;
using System.Text;

namespace ShiftStack.Cli.Commands;

/// <summary>
/// <c>shiftstack completion bash|zsh|fish</c>: a completion script for the shell, generated from the command tree
/// itself (commands, options, their values; directories for <c>--dir</c>), so it never disagrees with the binary.
/// The script needs nothing at completion time: it does not run shiftstack.
/// </summary>
internal static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh", "fish"];

    public static Command Create(CliConsole console, Func<RootCommand> root)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash, zsh or fish", HelpName = "bash|zsh|fish" };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print a completion script for bash, zsh or fish (e.g. 'source <(shiftstack completion bash)'; make install installs all three)")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            console.Out.Write(Script(parse.GetValue(shell)!, root()));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The script for <paramref name="shell"/>.</summary>
    public static string Script(string shell, RootCommand root)
    {
        var nodes = Walk(root).ToList();
        return shell switch
        {
            "bash" => Bash(nodes),
            "zsh" => Zsh(nodes),
            "fish" => Fish(nodes),
            _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
        };
    }

    /// <summary>A command, by its path of names under the root ("" for the root, "create cluster").</summary>
    internal sealed record Node(string Path, IReadOnlyList<(string Name, string Description)> Subcommands, IReadOnlyList<OptionInfo> Options);

    /// <summary>An option: its names, whether it takes a value, and which (none known: any text; directory: a path).</summary>
    internal sealed record OptionInfo(IReadOnlyList<string> Names, string Description, bool TakesValue, IReadOnlyList<string> Values, bool Directory);

    internal static IEnumerable<Node> Walk(RootCommand root)
    {
        var recursive = root.Options.Where(o => o.Recursive).ToList();
        var stack = new Stack<(Command Command, string Path)>();
        stack.Push((root, string.Empty));
        while (stack.Count > 0)
        {
            var (command, path) = stack.Pop();
            var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
            var options = command.Options.Concat(command == root ? [] : recursive).Where(o => !o.Hidden).Distinct().Select(Describe).ToList();
            yield return new Node(path, subcommands.Select(c => (c.Name, c.Description ?? string.Empty)).ToList(), options);
            foreach (var sub in Enumerable.Reverse(subcommands))
            {
                stack.Push((sub, path.Length == 0 ? sub.Name : path + " " + sub.Name));
            }
        }
    }

    private static OptionInfo Describe(Option option)
    {
        // Only the names people type: --long and -x (not /h, -?).
        var names = new[] { option.Name }.Concat(option.Aliases).Distinct(StringComparer.Ordinal)
            .Where(n => n.StartsWith("--", StringComparison.Ordinal) || (n.Length == 2 && n[0] == '-' && char.IsLetter(n[1])))
            .ToList();
        var takesValue = option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;
        var values = takesValue
            ? option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList()
            : [];
        return new OptionInfo(names, option.Description ?? string.Empty, takesValue, values, option.Name == "--dir");
    }

    private static string Words(IEnumerable<string> words) => string.Join(' ', words);

    private static string OptionWords(Node node) => Words(node.Options.SelectMany(o => o.Names));

    private static string SingleQuoted(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The shell-neutral part: a function giving the subcommands and the options of a command path.</summary>
    private static void Tables(StringBuilder s, IReadOnlyList<Node> nodes, string indent)
    {
        s.Append("_shiftstack_subcommands() {\n").Append(indent).Append("case \"$1\" in\n");
        foreach (var node in nodes.Where(n => n.Subcommands.Count > 0))
        {
            s.Append(indent).Append("  ").Append(SingleQuoted(node.Path)).Append(") echo ").Append(SingleQuoted(Words(node.Subcommands.Select(c => c.Name)))).Append(" ;;\n");
        }

        s.Append(indent).Append("esac\n}\n");
        s.Append("_shiftstack_options() {\n").Append(indent).Append("case \"$1\" in\n");
        foreach (var node in nodes)
        {
            s.Append(indent).Append("  ").Append(SingleQuoted(node.Path)).Append(") echo ").Append(SingleQuoted(OptionWords(node))).Append(" ;;\n");
        }

        s.Append(indent).Append("esac\n}\n");
    }

    /// <summary>The <c>case "$cmdpath|$prev"</c> arms completing an option's value: its values, directories, or nothing.</summary>
    private static void ValueArms(StringBuilder s, IReadOnlyList<Node> nodes, Func<OptionInfo, string> complete)
    {
        foreach (var node in nodes)
        {
            foreach (var option in node.Options.Where(o => o.TakesValue))
            {
                var patterns = string.Join('|', option.Names.Select(n => SingleQuoted(node.Path + "|" + n)));
                s.Append("    ").Append(patterns).Append(") ").Append(complete(option)).Append("; return ;;\n");
            }
        }
    }

    private static string Bash(IReadOnlyList<Node> nodes)
    {
        var s = new StringBuilder();
        s.Append("# bash completion for shiftstack (generated by 'shiftstack completion bash' ").Append(BuildInfo.Version).Append(")\n");
        s.Append("# Load it with: source <(shiftstack completion bash)\n");
        Tables(s, nodes, "  ");
        s.Append("""
            _shiftstack() {
              local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmdpath="" i w
              for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                if [[ " $(_shiftstack_subcommands "$cmdpath") " == *" $w "* ]]; then cmdpath=${cmdpath:+$cmdpath }$w; fi
              done
              case "$cmdpath|$prev" in

            """);
        ValueArms(s, nodes, o => o.Directory ? "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))"
            : o.Values.Count > 0 ? $"COMPREPLY=($(compgen -W {SingleQuoted(Words(o.Values))} -- \"$cur\"))"
            : "COMPREPLY=()");
        s.Append("""
              esac
              if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$(_shiftstack_options "$cmdpath")" -- "$cur"))
              else
                COMPREPLY=($(compgen -W "$(_shiftstack_subcommands "$cmdpath")" -- "$cur"))
              fi
            }
            complete -F _shiftstack shiftstack

            """);
        return s.ToString();
    }

    private static string Zsh(IReadOnlyList<Node> nodes)
    {
        var s = new StringBuilder();
        s.Append("#compdef shiftstack\n");
        s.Append("# zsh completion for shiftstack (generated by 'shiftstack completion zsh' ").Append(BuildInfo.Version).Append(")\n");
        s.Append("# Install it as _shiftstack in a directory of $fpath, or load it with: source <(shiftstack completion zsh)\n");
        Tables(s, nodes, "  ");
        s.Append("""
            _shiftstack() {
              local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmdpath="" i w
              for ((i = 2; i < CURRENT; i++)); do
                w=${words[i]}
                if [[ " $(_shiftstack_subcommands "$cmdpath") " == *" $w "* ]]; then cmdpath=${cmdpath:+$cmdpath }$w; fi
              done
              case "$cmdpath|$prev" in

            """);
        ValueArms(s, nodes, o => o.Directory ? "_files -/" : o.Values.Count > 0 ? "compadd -- " + Words(o.Values.Select(SingleQuoted)) : "_message value");
        s.Append("""
              esac
              if [[ $cur == -* ]]; then
                compadd -- ${=$(_shiftstack_options "$cmdpath")}
              else
                compadd -- ${=$(_shiftstack_subcommands "$cmdpath")}
              fi
            }
            if [[ "${funcstack[1]}" == _shiftstack ]]; then
              _shiftstack "$@"
            else
              compdef _shiftstack shiftstack
            fi

            """);
        return s.ToString();
    }

    private static string Fish(IReadOnlyList<Node> nodes)
    {
        var s = new StringBuilder();
        s.Append("# fish completion for shiftstack (generated by 'shiftstack completion fish' ").Append(BuildInfo.Version).Append(")\n");
        s.Append("# Install it as shiftstack.fish in ~/.config/fish/completions, or load it with: shiftstack completion fish | source\n");
        s.Append("function __shiftstack_subcommands\n    switch \"$argv[1]\"\n");
        foreach (var node in nodes.Where(n => n.Subcommands.Count > 0))
        {
            s.Append("        case ").Append(SingleQuoted(node.Path)).Append("\n            echo ").Append(Words(node.Subcommands.Select(c => c.Name))).Append('\n');
        }

        s.Append("    end\nend\n");
        s.Append("""
            function __shiftstack_path
                set -l cmdpath ''
                for w in (commandline -opc)[2..-1]
                    if contains -- $w (string split ' ' (__shiftstack_subcommands "$cmdpath"))
                        set cmdpath (string trim "$cmdpath $w")
                    end
                end
                echo $cmdpath
            end
            function __shiftstack_at
                test (__shiftstack_path | string collect) = "$argv[1]"
            end
            complete -c shiftstack -f

            """);
        foreach (var node in nodes)
        {
            var at = "-n " + SingleQuoted("__shiftstack_at " + SingleQuoted(node.Path));
            foreach (var (name, description) in node.Subcommands)
            {
                s.Append("complete -c shiftstack ").Append(at).Append(" -a ").Append(name).Append(" -d ").Append(SingleQuoted(FirstSentence(description))).Append('\n');
            }

            foreach (var option in node.Options)
            {
                s.Append("complete -c shiftstack ").Append(at);
                foreach (var name in option.Names)
                {
                    s.Append(name.StartsWith("--", StringComparison.Ordinal) ? " -l " + name[2..] : " -s " + name[1..]);
                }

                if (option.TakesValue)
                {
                    s.Append(option.Directory ? " -r -a '(__fish_complete_directories)'" : option.Values.Count > 0 ? " -x -a " + SingleQuoted(Words(option.Values)) : " -x");
                }

                s.Append(" -d ").Append(SingleQuoted(FirstSentence(option.Description))).Append('\n');
            }
        }

        return s.ToString();
    }

    private static string FirstSentence(string text)
    {
        var cut = text.IndexOfAny([';', '(']);
        var first = (cut > 0 ? text[..cut] : text).Trim();
        return first.Length <= 80 ? first : first[..77] + "...";
    }
}
