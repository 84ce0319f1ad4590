using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShiftStack.Cli.Tests;

/// <summary>
/// The CLI as a process (<c>dotnet shiftstack.dll</c>, built with these tests), as a user runs it: for what an
/// in-process run cannot show (signals, the process environment such as the clouds.yaml it finds, real time).
/// Every <c>OS_*</c> variable of the test's environment is removed.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();
    private readonly Task _reading;

    private CliProcess(Process process)
    {
        _process = process;
        _reading = Task.WhenAll(Pump(process.StandardOutput, _out), Pump(process.StandardError, _error));
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Through env --default-signal: a process started in the background by a non-interactive shell (make test run
        // with '&', a CI runner) inherits SIGINT ignored, and .NET keeps an ignored SIGINT ignored, so Ctrl+C would
        // never reach the CLI. A user's terminal gives it the default disposition; so does this.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shiftstack.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new CliProcess(Process.Start(start)!);
    }

    public int Id => _process.Id;

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public string Out
    {
        get
        {
            lock (_lock)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>Waits until standard error contains <paramref name="text"/>; false after <paramref name="within"/>.</summary>
    public async Task<bool> WaitForErrorAsync(string text, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (Error.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Waits for the exit (killing the process after <paramref name="within"/>) and returns the exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"shiftstack did not exit within {within}; stderr so far:\n{Error}");
        }

        await _reading;
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_lock)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}

/// <summary>
/// Loopback endpoints that stand for a cloud that cannot be used: a port nothing listens on (connection refused), a
/// listener that accepts and never answers, and one that answers every request with 503.
/// </summary>
internal sealed class LoopbackCloud : IDisposable
{
    private readonly TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];

    private LoopbackCloud(int port, TcpListener? listener)
    {
        Port = port;
        _listener = listener;
    }

    public int Port { get; }

    public string AuthUrl => $"http://127.0.0.1:{Port}/v3";

    /// <summary>A port that refuses connections: bound for a moment to get a free number, then closed.</summary>
    public static LoopbackCloud Refused()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackCloud(port, null);
    }

    /// <summary>Accepts connections and never writes a byte.</summary>
    public static LoopbackCloud Silent() => Listening(null);

    /// <summary>Answers every request with <c>503 Service Unavailable</c>.</summary>
    public static LoopbackCloud Unavailable() => Listening("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());

    private static LoopbackCloud Listening(byte[]? answer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var cloud = new LoopbackCloud(((IPEndPoint)listener.LocalEndpoint).Port, listener);
        _ = cloud.ServeAsync(answer);
        return cloud;
    }

    /// <summary>A clouds.yaml in a new folder naming this endpoint as cloud <paramref name="name"/> with <paramref name="password"/>.</summary>
    public string WriteCloudsYaml(string folder, string name, string password)
    {
        var path = Path.Combine(folder, "clouds.yaml");
        File.WriteAllText(path, $"""
            clouds:
              {name}:
                auth:
                  auth_url: {AuthUrl}
                  username: admin
                  password: {password}
                  project_name: admin
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
                identity_api_version: 3
            """);
        return path;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_held)
        {
            foreach (var client in _held)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(byte[]? answer)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener!.AcceptTcpClientAsync(_stop.Token);
                if (answer is null)
                {
                    lock (_held)
                    {
                        _held.Add(client);
                    }

                    continue;
                }

                _ = AnswerAsync(client, answer);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task AnswerAsync(TcpClient client, byte[] answer)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await stream.WriteAsync(answer, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }
}
