using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShiftStack.Bench;

/// <summary>One access-log line of neutron-server (<c>neutron.wsgi</c>): when, who, what, and Neutron's own service time.</summary>
internal sealed record NeutronRequest(DateTime Time, string? UserId, string Method, string Path, int Status, double Seconds)
{
    /// <summary>The path with UUIDs and query strings folded, e.g. <c>PUT /v2.0/ports/{id}/tags</c>.</summary>
    public string Kind => Method + " " + NeutronLog.Template(Path);
}

/// <summary>
/// Reads the lines neutron-server appended to its log since the harness started. Lines are attributed to a run by the
/// benchmark's own Keystone user (every authenticated line carries the user id) and the run's time window;
/// unauthenticated lines (version discovery <c>GET /</c>) carry no user and are counted by time window only.
/// </summary>
internal sealed partial class NeutronLog
{
    private readonly string _path;
    private long _offset;
    private readonly List<NeutronRequest> _lines = [];

    public NeutronLog(string path)
    {
        _path = path;
        _offset = File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \d+ INFO neutron\.wsgi \[\S+ req-\S+ (\S+) [^\]]*\] \S+ ""(\w+) (\S+) HTTP/[\d.]+"" status: (\d+)\s+len: \d+ time: ([\d.]+)")]
    private static partial Regex Line();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}")]
    private static partial Regex Uuid();

    public static string Template(string path) => Uuid().Replace(path.Split('?')[0], "{id}");

    /// <summary>Reads what was appended since the last call.</summary>
    public void Refresh()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length < _offset)
        {
            _offset = 0; // rotated
        }

        stream.Seek(_offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return;
        }

        _offset += Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        foreach (var line in text[..complete].Split('\n'))
        {
            var m = Line().Match(line);
            if (m.Success)
            {
                _lines.Add(new NeutronRequest(
                    DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                    m.Groups[2].Value == "-" ? null : m.Groups[2].Value,
                    m.Groups[3].Value,
                    m.Groups[4].Value,
                    int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture),
                    double.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>The lines of a run: the user's within [start, end], and unauthenticated ones in the same window.</summary>
    public Window Between(string userId, DateTime start, DateTime end)
    {
        Refresh();
        var inWindow = _lines.Where(l => l.Time >= start && l.Time <= end).ToList();
        return new Window(
            inWindow.Where(l => l.UserId == userId).ToList(),
            inWindow.Where(l => l.UserId is null).ToList());
    }

    /// <summary>A run's Neutron requests.</summary>
    /// <param name="Mine">Authenticated as the benchmark user: exactly this run's.</param>
    /// <param name="Unauthenticated">Version discovery and the like, same window (other users' could be among them).</param>
    public sealed record Window(IReadOnlyList<NeutronRequest> Mine, IReadOnlyList<NeutronRequest> Unauthenticated)
    {
        public int Requests => Mine.Count + Unauthenticated.Count;

        /// <summary>Neutron's own service time summed over the run's requests: the floor no client can go below serially.</summary>
        public double ServiceSeconds => Mine.Concat(Unauthenticated).Sum(l => l.Seconds);

        /// <summary>
        /// How long Neutron was busy with at least one of the run's requests (the union of the intervals
        /// [logged − time, logged]): the floor for a client that overlaps its requests, where the plain sum counts the
        /// overlapped time once per request in flight.
        /// </summary>
        public double BusySeconds
        {
            get
            {
                var busy = 0.0;
                DateTime? from = null, to = null;
                foreach (var (start, end) in Mine.Concat(Unauthenticated).Select(l => (l.Time.AddSeconds(-l.Seconds), l.Time)).OrderBy(i => i.Item1))
                {
                    if (to is null || start > to)
                    {
                        busy += to is null ? 0 : (to.Value - from!.Value).TotalSeconds;
                        (from, to) = (start, end);
                    }
                    else if (end > to)
                    {
                        to = end;
                    }
                }

                return busy + (to is null ? 0 : (to.Value - from!.Value).TotalSeconds);
            }
        }

        public JsonObject ToJson() => new()
        {
            ["requests"] = Requests,
            ["authenticated"] = Mine.Count,
            ["unauthenticated"] = Unauthenticated.Count,
            ["serviceSeconds"] = Stats.Round(ServiceSeconds),
            ["busySeconds"] = Stats.Round(BusySeconds),
            ["errors"] = Mine.Count(l => l.Status >= 400),
            ["byKind"] = Kinds(Mine.Concat(Unauthenticated)),
        };

        private static JsonObject Kinds(IEnumerable<NeutronRequest> lines)
        {
            var result = new JsonObject();
            foreach (var g in lines.GroupBy(l => $"{l.Kind} {l.Status}").OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                result[g.Key] = new JsonObject { ["count"] = g.Count(), ["serviceSeconds"] = Stats.Round(g.Sum(l => l.Seconds)) };
            }

            return result;
        }
    }
}
