using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ShiftStack.InstallConfig.Loading;

/// <summary>A node of the small, immutable-after-build YAML tree the loader maps by hand.</summary>
internal abstract class YNode
{
    protected YNode(Mark start) => Start = start;

    public Mark Start { get; }

    /// <summary>Number of nodes this node expands to (aliases count their target's weight). 0 while incomplete.</summary>
    public long Weight { get; set; }

    public abstract string KindName { get; }
}

internal sealed class YScalar : YNode
{
    public YScalar(Mark start, string value, ScalarStyle style, string? tag) : base(start)
    {
        Value = value;
        Style = style;
        Tag = tag;
        Weight = 1;
    }

    public string Value { get; }

    public ScalarStyle Style { get; }

    public string? Tag { get; }

    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public override string KindName => "a scalar";
}

internal sealed class YMapping : YNode
{
    public YMapping(Mark start) : base(start)
    {
    }

    public List<KeyValuePair<YNode, YNode>> Entries { get; } = [];

    public override string KindName => "a mapping";
}

internal sealed class YSequence : YNode
{
    public YSequence(Mark start) : base(start)
    {
    }

    public List<YNode> Items { get; } = [];

    public override string KindName => "a list";
}

/// <summary>A loader error with its position (raised inside the tree builder, caught by the loader).</summary>
internal sealed class YamlLoadException : Exception
{
    public YamlLoadException(string message, Mark position) : base(message) => Position = position;

    public YamlLoadException()
    {
    }

    public YamlLoadException(string message) : base(message)
    {
    }

    public YamlLoadException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public Mark Position { get; }
}

/// <summary>
/// Builds a <see cref="YNode"/> tree from YamlDotNet's event parser without recursion, refusing
/// nesting deeper than <see cref="MaxDepth"/>, more than one document, and alias expansion beyond
/// <see cref="MaxExpandedNodes"/> (billion-laughs bombs). The representation model of YamlDotNet is not used,
/// because it is recursive and would overflow the stack on very deep input.
/// </summary>
internal static class YamlTreeBuilder
{
    public const int MaxDepth = 64;
    public const long MaxExpandedNodes = 1_000_000;

    private sealed class Frame
    {
        public Frame(YNode node, bool flow)
        {
            Node = node;
            Flow = flow;
        }

        public YNode Node { get; }

        /// <summary>A flow collection (<c>[…]</c> or <c>{…}</c>): it must be closed by its bracket.</summary>
        public bool Flow { get; }

        public YNode? PendingKey { get; set; }

        public long Weight { get; set; } = 1;
    }

    /// <summary>Returns the root node, or null for an empty document. Throws <see cref="YamlLoadException"/>
    /// or <see cref="YamlException"/> for bad input.</summary>
    public static YNode? Build(string text)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<Frame>();
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        YNode? root = null;
        var documents = 0;

        void Attach(YNode node, string? anchor)
        {
            if (!string.IsNullOrEmpty(anchor))
            {
                anchors[anchor] = node;
            }
            if (stack.Count == 0)
            {
                root = node;
                return;
            }
            var frame = stack.Peek();
            frame.Weight += node.Weight;
            if (frame.Weight > MaxExpandedNodes)
            {
                throw new YamlLoadException(
                    $"the document expands to more than {MaxExpandedNodes} nodes (too many aliases?)", node.Start);
            }
            switch (frame.Node)
            {
                case YMapping mapping:
                    if (frame.PendingKey is null)
                    {
                        frame.PendingKey = node;
                    }
                    else
                    {
                        mapping.Entries.Add(new KeyValuePair<YNode, YNode>(frame.PendingKey, node));
                        frame.PendingKey = null;
                    }
                    break;
                case YSequence sequence:
                    sequence.Items.Add(node);
                    break;
            }
        }

        void Push(YNode node, Mark start, bool flow)
        {
            if (stack.Count + 1 > MaxDepth)
            {
                throw new YamlLoadException($"nesting deeper than {MaxDepth} levels is not allowed", start);
            }
            stack.Push(new Frame(node, flow));
        }

        // YamlDotNet's parser throws plain exceptions (not YamlException) on a few malformed inputs, e.g. an unclosed
        // flow mapping followed by block content (InvalidOperationException, found by fuzzing), and says "did not find
        // expected ',' or ']'" where the real mistake is a '[' opened lines before. Both are said in the user's terms:
        // the bracket or quote that is not closed, where it opened, and where the input ended or went on without it.
        var last = Mark.Empty;
        bool Next()
        {
            try
            {
                return parser.MoveNext();
            }
            catch (YamlException e) when (e.Message.Contains("quoted scalar", StringComparison.Ordinal)
                && (e.Message.Contains("end of stream", StringComparison.Ordinal) || e.Message.Contains("wrong indentation", StringComparison.Ordinal)))
            {
                var quote = e.Start.Index >= 0 && e.Start.Index < text.Length ? text[(int)e.Start.Index] : '"';
                var where = e.Message.Contains("end of stream", StringComparison.Ordinal)
                    ? EndOfFile(text)
                    : $"it runs on to line {e.End.Line}, which is indented less than the string's own line,";
                throw new YamlLoadException($"invalid YAML: the quoted string that starts here with {quote} is not closed: {where} before its closing {quote}", e.Start);
            }
            catch (YamlException e) when (stack.FirstOrDefault(f => f.Flow) is { } open
                && (e.Message.Contains("did not find expected", StringComparison.Ordinal) || e.Message.Contains("end of stream", StringComparison.Ordinal)))
            {
                throw Unclosed(open.Node is YSequence ? '[' : '{', open.Node.Start, e.Start);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or InsufficientExecutionStackException)
            {
                // Where it gave up is not said: when nothing after the last event closes the bracket, the file ended.
                // The parser may fail before it reports the bracket: then the first one after the last event is it.
                var from = (int)Math.Min(last.Index, text.Length);
                var (opener, at) = stack.FirstOrDefault(f => f.Flow) is { } open
                    ? (open.Node is YSequence ? '[' : '{', open.Node.Start)
                    : text.IndexOfAny(['[', '{'], from) is var i and >= 0 ? (text[i], MarkAt(text, i)) : ('\0', last);
                var closer = opener == '[' ? ']' : '}';
                throw opener == '\0'
                    ? new YamlLoadException("invalid YAML after this point: the YAML parser cannot read on from here", last)
                    : Unclosed(opener, at, text.IndexOf(closer, from) < 0 ? null : last);
            }
        }

        YamlLoadException Unclosed(char opener, Mark opened, Mark? stopped)
        {
            var closer = opener == '[' ? ']' : '}';
            var where = stopped is not { } at || at.Index >= text.TrimEnd().Length
                ? $"{EndOfFile(text)} before its '{closer}'"
                : $"at {at.Line}:{at.Column} the YAML goes on without a ',' or '{closer}'";
            return new YamlLoadException($"invalid YAML: the '{opener}' opened here is not closed: {where}; close it with '{closer}' (items are separated by ',')", opened);
        }

        var anchorsOfOpen = new Dictionary<YNode, string?>();
        while (Next())
        {
            var ev = parser.Current!;
            last = ev.End;
            switch (ev)
            {
                case DocumentStart:
                    documents++;
                    if (documents > 1)
                    {
                        throw new YamlLoadException("the file holds more than one YAML document; an install-config is a single document", ev.Start);
                    }
                    break;
                case Scalar scalar:
                    {
                        var node = new YScalar(scalar.Start, scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value);
                        Attach(node, scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value);
                        break;
                    }
                case AnchorAlias alias:
                    {
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw new YamlLoadException($"unknown anchor '{alias.Value.Value}' referenced", alias.Start);
                        }
                        if (target.Weight == 0)
                        {
                            throw new YamlLoadException($"anchor '{alias.Value.Value}' refers to a node that contains itself", alias.Start);
                        }
                        Attach(target, null);
                        break;
                    }
                case MappingStart ms:
                    {
                        var node = new YMapping(ms.Start);
                        anchorsOfOpen[node] = ms.Anchor.IsEmpty ? null : ms.Anchor.Value;
                        if (!ms.Anchor.IsEmpty)
                        {
                            anchors[ms.Anchor.Value] = node; // incomplete until MappingEnd (Weight == 0)
                        }
                        Push(node, ms.Start, ms.Style == MappingStyle.Flow);
                        break;
                    }
                case SequenceStart ss:
                    {
                        var node = new YSequence(ss.Start);
                        anchorsOfOpen[node] = ss.Anchor.IsEmpty ? null : ss.Anchor.Value;
                        if (!ss.Anchor.IsEmpty)
                        {
                            anchors[ss.Anchor.Value] = node;
                        }
                        Push(node, ss.Start, ss.Style == SequenceStyle.Flow);
                        break;
                    }
                case MappingEnd or SequenceEnd:
                    {
                        var frame = stack.Pop();
                        frame.Node.Weight = frame.Weight;
                        anchorsOfOpen.Remove(frame.Node, out var anchor);
                        Attach(frame.Node, anchor);
                        break;
                    }
            }
        }
        return root;
    }

    private static Mark MarkAt(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return new Mark(index, text.AsSpan(0, index).Count('\n') + 1, index - lineStart + 1);
    }

    /// <summary>"the file ends at line N" (the last line that has content).</summary>
    private static string EndOfFile(string text)
    {
        var content = text.TrimEnd();
        return $"the file ends at line {content.Count(c => c == '\n') + 1}";
    }
}
