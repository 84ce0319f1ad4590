using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace ShiftStack.Bench;

/// <summary>The machine a result was measured on, and the load on it while measuring.</summary>
internal static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["nproc"] = Environment.ProcessorCount,
        ["cpuModel"] = ProcField("/proc/cpuinfo", "model name"),
        ["memTotal"] = ProcField("/proc/meminfo", "MemTotal"),
        ["os"] = OsRelease(),
        ["kernel"] = Read("/proc/sys/kernel/osrelease"),
        ["dotnetRuntime"] = RuntimeInformation.FrameworkDescription,
        ["dotnetSdk"] = Run("dotnet", "--version"),
        ["neutronServer"] = Run("dpkg-query", "-W -f=${Version} neutron-server"),
        ["python3Openstacksdk"] = Run("dpkg-query", "-W -f=${Version} python3-openstacksdk"),
        ["python3Openstackclient"] = Run("dpkg-query", "-W -f=${Version} python3-openstackclient"),
        ["loadAverageAtStart"] = Read("/proc/loadavg"),
    };

    /// <summary>The 1-minute load average now.</summary>
    public static double Load1()
    {
        var text = Read("/proc/loadavg");
        return text is null ? double.NaN : double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? ProcField(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;

    private static string? OsRelease()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var debian = Read("/etc/debian_version");
        return debian is null ? pretty : $"{pretty} ({debian})";
    }

    private static string? Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>Samples the 1-minute load average every few seconds while a benchmark runs.</summary>
internal sealed class LoadSampler : IAsyncDisposable
{
    private readonly List<double> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoadSampler()
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                lock (_samples)
                {
                    _samples.Add(Machine.Load1());
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>min / mean / max of the 1-minute load average so far.</summary>
    public JsonObject Summary()
    {
        lock (_samples)
        {
            return _samples.Count == 0
                ? new JsonObject()
                : new JsonObject
                {
                    ["load1Min"] = Math.Round(_samples.Min(), 2),
                    ["load1Mean"] = Math.Round(_samples.Average(), 2),
                    ["load1Max"] = Math.Round(_samples.Max(), 2),
                    ["samples"] = _samples.Count,
                };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>Small statistics helpers.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Round(double value, int digits = 3) => Math.Round(value, digits);

    public static JsonArray Array(IEnumerable<double> values, int digits = 3) => new(values.Select(v => (JsonNode)Math.Round(v, digits)).ToArray());
}
