using System.Collections.Concurrent;
using System.Diagnostics;
using ShiftStack.Installer.Provisioning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ShiftStack.Cli.Rendering;

/// <summary>
/// Shows the progress of <c>create cluster</c>, <c>destroy</c>, <c>convert --apply</c> and <c>audit --fix</c>: a live
/// Spectre.Console table (running steps with their elapsed time, finished ones collapsed into a count) when a person
/// watches a terminal, plain timestamped lines otherwise.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>True when standard output (or, <paramref name="onError"/>, standard error) is an interactive terminal that can redraw.</summary>
    public static bool IsInteractive(CliConsole console, bool onError = false) =>
        ReferenceEquals(console, CliConsole.Standard)
        && !(onError ? Console.IsErrorRedirected : Console.IsOutputRedirected)
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// Runs <paramref name="work"/> while showing its progress: live on a terminal, else as lines on
    /// <paramref name="plain"/>. The live table is drawn on standard output, or on standard error when
    /// <paramref name="onError"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(CliConsole console, TextWriter plain, string title, Func<IProgressSink, Task<T>> work, bool onError = false)
    {
        if (!IsInteractive(console, onError))
        {
            return await work(new PlainProgress(plain)).ConfigureAwait(false);
        }

        var live = new LiveProgress(title);
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(onError ? Console.Error : Console.Out) });
        T result = default!;
        await ansi.Live(live.Render()).AutoClear(false).StartAsync(async context =>
        {
            var task = work(live);
            while (!task.IsCompleted)
            {
                context.UpdateTarget(live.Render());
                await Task.WhenAny(task, Task.Delay(150)).ConfigureAwait(false);
            }

            context.UpdateTarget(live.Render());
            result = await task.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The cloud part of <c>validate</c>, <c>addresses</c> and <c>convert</c> (<paramref name="summary"/>: what it asks
    /// the cloud), shown as <c>create cluster</c> shows its steps but always on standard error, so that standard output
    /// holds only the result (one JSON document with <c>-o json</c>); nothing below <c>--log-level info</c>.
    /// </summary>
    /// <param name="console">The console.</param>
    /// <param name="title">The live table's title.</param>
    /// <param name="summary">What the step asks the cloud.</param>
    /// <param name="work">The step.</param>
    /// <param name="failure">Why a result is a failure (null: it is not), for steps that return their failure; a step
    /// that throws is shown as failed too, and the exception goes on to the command's error handling.</param>
    public static Task<T> CloudStepAsync<T>(CliConsole console, string title, string summary, Func<Task<T>> work, Func<T, string?>? failure = null) =>
        RunOnErrorAsync(console, title, async progress =>
        {
            progress.Started("cloud", summary);
            T result;
            try
            {
                result = await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                progress.Failed("cloud", summary, "cancelled");
                throw;
            }
            catch (Exception)
            {
                progress.Failed("cloud", summary, "failed (below)");
                throw;
            }

            if (failure?.Invoke(result) is { } why)
            {
                progress.Failed("cloud", summary, why);
            }
            else
            {
                progress.Completed("cloud", summary);
            }

            return result;
        });

    /// <summary>
    /// Runs <paramref name="work"/> with its progress on standard error, so that standard output holds only the result
    /// (one JSON document with <c>-o json</c>); nothing below <c>--log-level info</c>. The cloud step of
    /// <c>validate</c>, <c>addresses</c> and <c>convert</c>, and the changes of <c>convert --apply</c>.
    /// </summary>
    public static Task<T> RunOnErrorAsync<T>(CliConsole console, string title, Func<IProgressSink, Task<T>> work) =>
        console.Level > LogLevel.Info ? work(NullProgressSink.Instance) : RunAsync(console, console.Error, title, work, onError: true);
}

/// <summary>One line per event: <c>[  1.2s] done  created security group …</c>.</summary>
internal sealed class PlainProgress(TextWriter writer) : IProgressSink
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();

    public void Started(string id, string summary) => Write("start", summary);

    public void Completed(string id, string summary) => Write("done ", summary);

    public void Failed(string id, string summary, string error) => Write("FAIL ", $"{summary}: {error}");

    public void Message(string text) => Write("note ", text);

    private void Write(string what, string text)
    {
        lock (_lock)
        {
            writer.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {what} {text}");
            writer.Flush();
        }
    }
}

/// <summary>The state behind the live table.</summary>
internal sealed class LiveProgress(string title) : IProgressSink
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, (string Summary, TimeSpan Started)> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _recent = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private int _done;

    public void Started(string id, string summary) => _running[id] = (summary, _clock.Elapsed);

    public void Completed(string id, string summary)
    {
        _running.TryRemove(id, out _);
        Interlocked.Increment(ref _done);
        Recent("[green]✓[/] " + Markup.Escape(summary));
    }

    public void Failed(string id, string summary, string error)
    {
        _running.TryRemove(id, out _);
        _failures.Enqueue($"[red]✗[/] {Markup.Escape(summary)}: {Markup.Escape(error)}");
    }

    public void Message(string text) => Recent("[grey]•[/] " + Markup.Escape(text));

    public IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .Title($"[bold]{Markup.Escape(title)}[/]  [grey]{_clock.Elapsed.TotalSeconds:0.0}s, {Volatile.Read(ref _done)} done[/]")
            .AddColumn("Step").AddColumn(new TableColumn("Time").RightAligned());
        foreach (var line in _recent)
        {
            table.AddRow(new Markup(line), new Text(string.Empty));
        }

        foreach (var (_, (summary, started)) in _running.OrderBy(kv => kv.Value.Started))
        {
            table.AddRow(new Markup("[yellow]…[/] " + Markup.Escape(summary)), new Text($"{(_clock.Elapsed - started).TotalSeconds:0.0}s"));
        }

        foreach (var line in _failures)
        {
            table.AddRow(new Markup(line), new Text(string.Empty));
        }

        return table;
    }

    private void Recent(string line)
    {
        _recent.Enqueue(line);
        while (_recent.Count > 8)
        {
            _recent.TryDequeue(out _);
        }
    }
}
