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
        public Frame(YNode node) => Node = node;

        public YNode Node { get; }

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

        void Push(YNode node, Mark start)
        {
            if (stack.Count + 1 > MaxDepth)
            {
                throw new YamlLoadException($"nesting deeper than {MaxDepth} levels is not allowed", start);
            }
            stack.Push(new Frame(node));
        }

        // YamlDotNet's parser throws plain exceptions (not YamlException) on a few malformed inputs, e.g. an unclosed
        // flow mapping followed by block content (InvalidOperationException, found by fuzzing): they are reported at
        // the end of the last event that parsed, so the user still gets a line to look at.
        var last = Mark.Empty;
        bool Next()
        {
            try
            {
                return parser.MoveNext();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or InsufficientExecutionStackException)
            {
                throw new YamlLoadException($"invalid YAML after this point (the YAML parser failed: {e.Message})", last);
            }
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
                        Push(node, ms.Start);
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
                        Push(node, ss.Start);
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
}
