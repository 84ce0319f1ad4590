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
/// The real transport; the first request with this method whose path ends with <c>path</c> is sent, and once it is on
/// its way the service is killed (<see cref="ServiceRestart"/>, as a crash) and started again. The client then sees
/// whatever really happens: the answer, or the connection cut off.
/// </summary>
internal sealed class KillDuringFirstRequest(HttpMethod method, string path, string service, Uri endpoint) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _armed = 1;

    public ServiceRestart? Restart { get; private set; }

    public bool AnswerLost { get; private set; }

    public string Outcome { get; private set; } = "the request was never sent";

    public async Task CompleteAsync()
    {
        Restart.ShouldNotBeNull($"the run never sent {method} {path}");
        await Restart.CompleteAsync();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != method || !request.RequestUri!.AbsolutePath.TrimEnd('/').EndsWith(path, StringComparison.Ordinal)
            || Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var sending = base.SendAsync(request, cancellationToken);
        Restart = ServiceRestart.Begin(service, kill: true);
        await Task.Run(() => ServiceRestart.WaitUntilRefused(endpoint, TimeSpan.FromSeconds(30)), cancellationToken);
        try
        {
            var response = await sending;
            Outcome = $"answered {(int)response.StatusCode} before the kill";
            return response;
        }
        catch (HttpRequestException ex)
        {
            AnswerLost = true;
            Outcome = $"answer lost ({ex.HttpRequestError})";
            throw;
        }
    }
}
