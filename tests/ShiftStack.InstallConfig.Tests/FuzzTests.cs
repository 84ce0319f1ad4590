using System.Text;
using CsCheck;
using ShiftStack.InstallConfig.Validation;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>
/// Mutation fuzzing of loading + up-conversion + defaults + static validation: the examples/ configs and the
/// reference's sample configs (TestData/samples, from shared/data) are mutated at the byte, line and YAML-node level
/// (CsCheck picks the seed, the corpus file and the mutation). For every input: nothing throws, and every finding
/// carries a field path or a file position. The number of inputs is printed. The short variant runs 1,500
/// inputs (seconds); with <c>SHIFTSTACK_LONG_TESTS=1</c> it runs for <c>SHIFTSTACK_FUZZ_SECONDS</c> (default 300) on one thread.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const long ShortIterations = 1500;

    [Fact]
    public void Mutated_install_configs_never_throw_and_every_finding_is_located()
    {
        // Given the corpus and a mutation chosen by CsCheck
        var corpus = FuzzCorpus.Load();
        corpus.Count.ShouldBeGreaterThanOrEqualTo(19, "3 examples + 16 reference samples");
        var stats = new FuzzStats();
        var gen = Gen.Select(Gen.Int[0, corpus.Count - 1], Gen.Enum<Mutation>(), Gen.ULong, Gen.Int[1, 6])
            .Select(t => FuzzInput.Create(corpus, t.Item1, t.Item2, t.Item3, t.Item4));

        // When each mutated text is loaded and validated
        var (iterations, seconds) = LongTests.Enabled ? (-1L, LongTests.FuzzSeconds) : (ShortIterations, -1);
        var started = System.Diagnostics.Stopwatch.StartNew();
        gen.Sample(input => stats.Record(input, FuzzTarget.Run(input)), iter: iterations, time: seconds, threads: LongTests.Enabled ? 1 : -1,
            print: input => $"{input.Mutation} of {input.Origin} (seed {input.Seed}):\n{input.Text}");

        // Then none threw or left a finding unlocated (Sample rethrows the first failure with its input)
        var summary = stats.Summary(started.Elapsed);
        output.WriteLine(summary);
        Console.WriteLine("install-config fuzzing: " + summary);
        stats.Total.ShouldBeGreaterThanOrEqualTo(LongTests.Enabled ? 1 : ShortIterations);
        stats.Loaded.ShouldBeGreaterThan(0, "some mutations must still load, or validation is never fuzzed");
        stats.Validated.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Every_corpus_file_loads_unmutated()
    {
        foreach (var entry in FuzzCorpus.Load())
        {
            var result = InstallConfigLoader.LoadText(entry.Text, entry.Name);
            result.Errors.ShouldBeEmpty(entry.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Regression_inputs_are_handled(string name, string yaml)
    {
        var outcome = FuzzTarget.Run(new FuzzInput(name, Mutation.Line, 0, yaml, null));

        outcome.Unlocated.ShouldBeEmpty();
    }

    [Fact]
    public void An_unclosed_flow_mapping_before_block_content_is_a_located_YAML_error()
    {
        // Found by the fuzzer: YamlDotNet's parser throws InvalidOperationException (not YamlException) here, which
        // the loader used to report without any position.
        var result = InstallConfigLoader.LoadText(UnclosedFlowMapping, "install-config.yaml");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("invalid YAML: the '{' opened here is not closed: the file ends at line 8 before its '}'; close it with '}' (items are separated by ',')");
        error.Position.ShouldNotBeNull().Line.ShouldBe(4);
        error.Position.Column.ShouldBe(3);
        result.Config.ShouldBeNull();
    }

    private const string UnclosedFlowMapping = "networking:\n  clusterNetwork:\n  - cidr: 10.128.0.0/14\n  {  hostPrefix: 23\n  machineNetwork:\n  - cidr: 10.0.128.0/17\n  neplicas: 3\ntwor\n";

    /// <summary>Inputs the fuzzer (or its author) found interesting; each stays here as a regression test.</summary>
    public static TheoryData<string, string> Regressions() => new()
    {
        { "empty", string.Empty },
        { "unclosed flow mapping before block content (fuzzer)", UnclosedFlowMapping },
        { "bom only", "\uFEFF" },
        { "nul", "\0" },
        { "tab indentation", "apiVersion: v1\nmetadata:\n\tname: x\n" },
        { "alias to undefined anchor", "apiVersion: *a\n" },
        { "duplicate key", "apiVersion: v1\napiVersion: v1\n" },
        { "deep nesting", string.Concat(Enumerable.Repeat("[", 5000)) },
        { "directive only", "%YAML 1.2\n---\n" },
        { "two documents", "a: 1\n---\nb: 2\n" },
        { "binary tag", "pullSecret: !!binary AAAA\n" },
        { "huge integer", "controlPlane:\n  replicas: 99999999999999999999999\n" },
        { "platform as list", "platform: [openstack]\n" },
        { "vip as mapping", "platform:\n  openstack:\n    apiVIPs:\n    - {a: b}\n" },
    };
}

/// <summary>The mutation families.</summary>
public enum Mutation
{
    /// <summary>Bytes flipped, inserted, deleted, duplicated or truncated; read from a file as a user's would be.</summary>
    Byte,

    /// <summary>Lines deleted, duplicated, swapped, re-indented, borrowed from another file, or values replaced.</summary>
    Line,

    /// <summary>The YAML tree edited: scalars replaced, entries removed or added, subtrees moved, wrapped, nested.</summary>
    Node,
}

/// <summary>The corpus entry: a name and its text.</summary>
public sealed record CorpusEntry(string Name, string Text);

/// <summary>One fuzzer input. <see cref="Bytes"/> is set for byte mutations (the text is then what a reader decodes).</summary>
public sealed record FuzzInput(string Origin, Mutation Mutation, ulong Seed, string Text, byte[]? Bytes)
{
    public static FuzzInput Create(IReadOnlyList<CorpusEntry> corpus, int index, Mutation mutation, ulong seed, int operations)
    {
        var origin = corpus[index];
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        switch (mutation)
        {
            case Mutation.Byte:
                var bytes = Mutators.Bytes(Encoding.UTF8.GetBytes(origin.Text), random, operations);
                return new FuzzInput(origin.Name, mutation, seed, Encoding.UTF8.GetString(bytes), bytes);
            case Mutation.Line:
                return new FuzzInput(origin.Name, mutation, seed, Mutators.Lines(origin.Text, corpus, random, operations), null);
            default:
                return new FuzzInput(origin.Name, mutation, seed, Mutators.Nodes(origin.Text, corpus, random, operations), null);
        }
    }
}

/// <summary>What one input produced.</summary>
public sealed record FuzzOutcome(bool Loaded, bool Validated, int Errors, IReadOnlyList<string> Unlocated);

/// <summary>Runs one input through the loader and the processor, as <c>InstallConfigFile.Load</c> does.</summary>
public static class FuzzTarget
{
    public static FuzzOutcome Run(FuzzInput input)
    {
        LoadResult load;
        if (input.Bytes is { } bytes)
        {
            // Byte mutations go through a real file: the reader's encoding detection and size checks are fuzzed too.
            var path = Path.Combine(Path.GetTempPath(), "shiftstack-fuzz-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllBytes(path, bytes);
            try
            {
                load = InstallConfigLoader.LoadFile(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
        else
        {
            load = InstallConfigLoader.LoadText(input.Text, "install-config.yaml");
        }

        var unlocated = new List<string>();
        foreach (var d in load.Diagnostics)
        {
            if ((d.Path is null || d.Path.IsEmpty) && d.Position is null)
            {
                unlocated.Add($"loader {d.Severity}: {d.Message}");
            }
        }

        var errors = load.Errors.Count();
        if (!load.Succeeded || load.Config is null)
        {
            return Check(new FuzzOutcome(false, false, errors, unlocated));
        }

        var processed = InstallConfigProcessor.Process(load.Config, TestConfigs.NoEnvironment);
        foreach (var e in processed.Errors)
        {
            if (e.Path.IsEmpty && (e.Position ?? load.Source.Find(e.Path)) is null)
            {
                unlocated.Add("validation error: " + e);
            }
        }

        foreach (var w in processed.Warnings)
        {
            if (w.Path.IsEmpty && (w.Position ?? load.Source.Find(w.Path)) is null)
            {
                unlocated.Add("validation warning: " + w);
            }
        }

        return Check(new FuzzOutcome(true, true, errors + processed.Errors.Count, unlocated));
    }

    private static FuzzOutcome Check(FuzzOutcome outcome)
    {
        if (outcome.Unlocated.Count > 0)
        {
            throw new InvalidOperationException("findings without a field path or a file position:\n" + string.Join("\n", outcome.Unlocated));
        }

        return outcome;
    }
}

/// <summary>Thread-safe counters of a fuzzing run.</summary>
public sealed class FuzzStats
{
    private long _total;
    private long _loaded;
    private long _validated;
    private long _withErrors;
    private readonly long[] _byMutation = new long[3];

    public long Total => Interlocked.Read(ref _total);

    public long Loaded => Interlocked.Read(ref _loaded);

    public long Validated => Interlocked.Read(ref _validated);

    public void Record(FuzzInput input, FuzzOutcome outcome)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _byMutation[(int)input.Mutation]);
        if (outcome.Loaded)
        {
            Interlocked.Increment(ref _loaded);
        }

        if (outcome.Validated)
        {
            Interlocked.Increment(ref _validated);
        }

        if (outcome.Errors > 0)
        {
            Interlocked.Increment(ref _withErrors);
        }
    }

    public string Summary(TimeSpan elapsed) =>
        $"{Total} inputs in {elapsed.TotalSeconds:0.0} s (byte {_byMutation[0]}, line {_byMutation[1]}, node {_byMutation[2]}); " +
        $"{Loaded} loaded, {Validated} validated, {Interlocked.Read(ref _withErrors)} with errors; 0 exceptions, 0 unlocated findings";
}

/// <summary>The examples/ configs and the reference samples (placeholders filled), as the fuzzer's seeds.</summary>
public static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> Entries = new(Read);

    public static IReadOnlyList<CorpusEntry> Load() => Entries.Value;

    private static List<CorpusEntry> Read()
    {
        var entries = new List<CorpusEntry>();
        var examples = Path.Combine(RepoRoot(), "examples");
        foreach (var file in Directory.GetFiles(examples, "install-config.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            entries.Add(new CorpusEntry("examples/" + Path.GetFileName(Path.GetDirectoryName(file)), File.ReadAllText(file)));
        }

        foreach (var file in Directory.GetFiles(TestConfigs.SampleDir, "*.yaml").Order(StringComparer.Ordinal))
        {
            entries.Add(new CorpusEntry("samples/" + Path.GetFileName(file), TestConfigs.FillPlaceholders(File.ReadAllText(file))));
        }

        return entries;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShiftStack.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ShiftStack.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The flag of the long reliability variants (README, "Reliability tests").</summary>
public static class LongTests
{
    public static bool Enabled => Environment.GetEnvironmentVariable("SHIFTSTACK_LONG_TESTS") == "1";

    public static int FuzzSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("SHIFTSTACK_FUZZ_SECONDS"), out var s) && s > 0 ? s : 300;
}

/// <summary>The mutations themselves (deterministic for a given <see cref="Random"/>).</summary>
internal static class Mutators
{
    private static readonly byte[] InterestingBytes = "\0\t\n\r :-[]{}&*!\"'#|>%@`,?\\\u007f"u8.ToArray().Concat(new byte[] { 0x80, 0xC3, 0xEF, 0xBB, 0xBF, 0xFE, 0xFF }).ToArray();

    private static readonly string[] InterestingScalars =
    [
        "", "~", "null", "0", "-1", "3", "65535", "2147483648", "-9223372036854775809", "99999999999999999999999", "1e309",
        "0x1F", "0o17", "true", "yes", "NaN", ".inf", "-.inf", "10.0.0.0/8", "10.0.0.1", "192.168.25.0/24", "0.0.0.0/0",
        "255.255.255.255/32", "300.1.1.1/33", "10.0.0.1/", "/24", "fd00::/64", "fd00::/129", "::", "::/0", "::1",
        "::ffff:10.0.0.1", "fe80::1%eth0", "2001:db8::1", "fd2e:6f44:5dd8:c956::/64", "ff::", "1.2.3", "1::2::3",
        new string('a', 300), new string('9', 40), "ø日本\u200b", "\0", "\t", " ", "- x", "{a: b}", "[1, 2]", "*x",
        "&x", "!!binary AAAA", "openstack", "OVNKubernetes", "OpenShiftSDN", "slaac", "dhcpv6-stateful", "master",
        "worker", "arbiter", "v1", "v2", "TechPreviewNoUpgrade", "CustomNoUpgrade", "Default", "External", "Internal",
        "-", "/", "UserManaged", "OpenShiftManagedDefault", "soft-anti-affinity", "anti-affinity", "m1.xlarge",
        "ssh-ed25519 AAAA", "{\"auths\":{}}", "{\"auths\":", "${PULL_SECRET}", "Mixed", "amd64", "arm64", "Enabled",
        "Disabled", "None", "vCurrent", "v4.11", "Manual", "Passthrough", "AllNodes",
    ];

    public static byte[] Bytes(byte[] input, Random random, int operations)
    {
        var bytes = new List<byte>(input);
        for (var i = 0; i < operations; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, InterestingBytes[random.Next(InterestingBytes.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 4 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 5 when bytes.Count > 0 && random.Next(4) == 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    public static string Lines(string text, IReadOnlyList<CorpusEntry> corpus, Random random, int operations)
    {
        var lines = text.Split('\n').ToList();
        for (var i = 0; i < operations; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(8))
            {
                case 0 when lines.Count > 1:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[at]);
                    break;
                case 2:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    lines[at] = new string(' ', random.Next(1, 5)) + lines[at];
                    break;
                case 4:
                    lines[at] = lines[at].TrimStart();
                    break;
                case 5:
                    var donor = corpus[random.Next(corpus.Count)].Text.Split('\n');
                    lines.Insert(at, donor[random.Next(donor.Length)]);
                    break;
                case 6:
                    var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                    var value = InterestingScalars[random.Next(InterestingScalars.Length)];
                    lines[at] = colon >= 0 ? lines[at][..(colon + 2)] + value : lines[at] + value;
                    break;
                default:
                    var dash = lines[at].IndexOf("- ", StringComparison.Ordinal);
                    lines[at] = dash >= 0 ? lines[at].Remove(dash, 2).Insert(dash, "  ") : "- " + lines[at];
                    break;
            }
        }

        return string.Join('\n', lines);
    }

    public static string Nodes(string text, IReadOnlyList<CorpusEntry> corpus, Random random, int operations)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = stream.Documents[0].RootNode;
        for (var i = 0; i < operations; i++)
        {
            var slots = Slots(root).ToList();
            var (parent, key, node) = slots[random.Next(slots.Count)];
            var replacement = random.Next(9) switch
            {
                0 or 1 => Scalar(random),
                2 => (YamlNode?)null, // delete
                3 => new YamlSequenceNode(node),
                4 => node is YamlSequenceNode { Children.Count: > 0 } s ? s.Children[0] : new YamlMappingNode(),
                5 => Donor(corpus, random),
                6 => Nest(node, random.Next(1, 40)),
                7 => new YamlMappingNode(new YamlScalarNode("unknownField" + random.Next(3)), Scalar(random)),
                _ => Clone(slots[random.Next(slots.Count)].Node), // a copy: the node may be an ancestor
            };
            if (parent is null)
            {
                root = replacement ?? new YamlMappingNode();
                continue;
            }

            Set(parent, key, replacement);
            if (random.Next(5) == 0 && parent is YamlMappingNode map)
            {
                map.Children[new YamlScalarNode("extra" + random.Next(1000))] = Scalar(random);
            }
        }

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlScalarNode Scalar(Random random)
    {
        var value = InterestingScalars[random.Next(InterestingScalars.Length)];
        var styles = new[] { YamlDotNet.Core.ScalarStyle.Any, YamlDotNet.Core.ScalarStyle.DoubleQuoted, YamlDotNet.Core.ScalarStyle.SingleQuoted, YamlDotNet.Core.ScalarStyle.Literal };
        return new YamlScalarNode(value) { Style = styles[random.Next(styles.Length)] };
    }

    private static YamlNode Donor(IReadOnlyList<CorpusEntry> corpus, Random random)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(corpus[random.Next(corpus.Count)].Text));
        var slots = Slots(stream.Documents[0].RootNode).ToList();
        return slots[random.Next(slots.Count)].Node;
    }

    private static YamlNode Clone(YamlNode node)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var copy = new YamlStream();
        copy.Load(new StringReader(writer.ToString()));
        return copy.Documents.Count == 0 ? new YamlScalarNode(string.Empty) : copy.Documents[0].RootNode; // "" saves as nothing
    }

    private static YamlNode Nest(YamlNode node, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new YamlSequenceNode(node) : new YamlMappingNode(new YamlScalarNode("n"), node);
        }

        return node;
    }

    /// <summary>Every node with the place it sits in (the root has no parent).</summary>
    private static IEnumerable<(YamlNode? Parent, object? Key, YamlNode Node)> Slots(YamlNode root)
    {
        var stack = new Stack<(YamlNode? Parent, object? Key, YamlNode Node)>();
        stack.Push((null, null, root));
        while (stack.Count > 0)
        {
            var slot = stack.Pop();
            yield return slot;
            switch (slot.Node)
            {
                case YamlMappingNode m:
                    foreach (var (k, v) in m.Children)
                    {
                        stack.Push((m, k, v));
                    }

                    break;
                case YamlSequenceNode s:
                    for (var i = 0; i < s.Children.Count; i++)
                    {
                        stack.Push((s, i, s.Children[i]));
                    }

                    break;
            }
        }
    }

    private static void Set(YamlNode parent, object? key, YamlNode? value)
    {
        switch (parent)
        {
            case YamlMappingNode m when key is YamlNode k:
                if (value is null)
                {
                    m.Children.Remove(k);
                }
                else
                {
                    m.Children[k] = value;
                }

                break;
            case YamlSequenceNode s when key is int i && i < s.Children.Count:
                if (value is null)
                {
                    s.Children.RemoveAt(i);
                }
                else
                {
                    s.Children[i] = value;
                }

                break;
        }
    }
}
