using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// One restart of a local-cloud service by <c>hack/openstack/restart</c> (TERM, or KILL as a crash), running while the
/// test goes on. Every user of the local cloud sees the outage: the tests that use it belong to the
/// <see cref="LocalCloudCollection"/>, whose tests run one at a time.
/// </summary>
internal sealed class ServiceRestart
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceRestart(string service, bool kill, double downSeconds)
    {
        var script = Path.Combine(RepoRoot(), "hack", "openstack", "restart");
        File.Exists(script).ShouldBeTrue(script);
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(service);
        start.ArgumentList.Add("--down");
        start.ArgumentList.Add(downSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (kill)
        {
            start.ArgumentList.Add("--kill");
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the script printed.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the restart and returns at once.</summary>
    public static ServiceRestart Begin(string service, bool kill = false, double downSeconds = 2) => new(service, kill, downSeconds);

    /// <summary>Waits until the service answers again; fails the test when the script failed.</summary>
    public async Task CompleteAsync()
    {
        await _process.WaitForExitAsync();
        _process.ExitCode.ShouldBe(0, Output);
    }

    /// <summary>Waits until a TCP connection to the endpoint is refused (the service is down).</summary>
    public static void WaitUntilRefused(Uri endpoint, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                using var socket = new TcpClient();
                socket.Connect(endpoint.Host, endpoint.Port);
            }
            catch (SocketException)
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"{endpoint} still accepts connections after {timeout.TotalSeconds} s");
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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>
/// The real transport; for each target (method and the end of the path), the first such request is sent (once an
/// earlier restart has ended), and once it is on its way the service is killed (<see cref="ServiceRestart"/>, as a
/// crash) and started again. The client then sees whatever really happens: the answer, or the connection cut off. Other
/// requests pass through (while the service is down: refused, and the client retries them).
/// </summary>
internal sealed class KillDuringRequests(string service, Uri endpoint, params (HttpMethod Method, string Path)[] targets) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<(HttpMethod Method, string Path)> _pending = [.. targets];
    private readonly List<ServiceRestart> _restarts = [];
    private readonly List<string> _outcomes = [];
    private readonly List<string> _lost = [];
    private Task _current = Task.CompletedTask;

    /// <summary>The requests whose answer was lost, as <c>METHOD path</c>.</summary>
    public IReadOnlyList<string> Lost
    {
        get
        {
            lock (_pending)
            {
                return [.. _lost];
            }
        }
    }

    /// <summary>What happened to each request sent into a kill.</summary>
    public string Outcomes
    {
        get
        {
            lock (_pending)
            {
                return string.Join("; ", _outcomes);
            }
        }
    }

    /// <summary>What the restarts printed.</summary>
    public string Output => string.Join("\n", _restarts.Select(r => r.Output));

    /// <summary>Waits for the last restart; fails when a target was never sent or a restart failed.</summary>
    public async Task CompleteAsync()
    {
        await _current;
        lock (_pending)
        {
            _pending.Select(t => $"{t.Method} {t.Path}").ShouldBeEmpty("requests the run never sent");
        }

        foreach (var restart in _restarts)
        {
            await restart.CompleteAsync();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        (HttpMethod Method, string Path)? found = null;
        Task previous;
        lock (_pending)
        {
            var path = request.RequestUri!.AbsolutePath.TrimEnd('/');
            var index = _pending.FindIndex(t => t.Method == request.Method && path.EndsWith(t.Path, StringComparison.Ordinal));
            if (index >= 0)
            {
                found = _pending[index];
                _pending.RemoveAt(index);
            }

            previous = _current;
        }

        if (found is not { } target)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // A target met while the previous restart is still under way waits until the service is back: each target gets
        // its own kill.
        await previous;
        var sending = base.SendAsync(request, cancellationToken);
        var restart = ServiceRestart.Begin(service, kill: true);
        lock (_pending)
        {
            _restarts.Add(restart);
            _current = restart.CompleteAsync();
        }

        await Task.Run(() => ServiceRestart.WaitUntilRefused(endpoint, TimeSpan.FromSeconds(30)), cancellationToken);
        try
        {
            var response = await sending;
            Record($"{target.Method} {target.Path}: answered {(int)response.StatusCode} before the kill", lost: null);
            return response;
        }
        catch (HttpRequestException ex)
        {
            Record($"{target.Method} {target.Path}: answer lost ({ex.HttpRequestError})", lost: $"{target.Method} {target.Path}");
            throw;
        }
    }

    private void Record(string outcome, string? lost)
    {
        lock (_pending)
        {
            _outcomes.Add(outcome);
            if (lost is not null)
            {
                _lost.Add(lost);
            }
        }
    }
}
