using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Npgsql;

namespace Chancery.Bench;

/// <summary>
/// Fills an empty PostgreSQL archive with a copy of an embedded archive, as <c>chancery copy</c> does (one
/// transaction, every table verified against the source's fingerprint before the commit, the search index written
/// by the copy into <c>--index-dir</c>), and reports the throughput of each phase. It reads the source as the CLI's
/// copy does, writing nothing into it (<see cref="SqliteArchive.ReadForCopy"/>), so a shared read-only archive such as
/// the 1,000,000-document one can be the source; it skips the comparison of links. The PostgreSQL archive then serves
/// <c>postgres-scale</c>.
/// </summary>
/// <remarks>usage: postgres-fill ARCHIVE_DIR --url postgres://… --index-dir DIR</remarks>
internal static class PostgresFillBenchmark
{
    public static int Run(string[] args)
    {
        var positional = BenchArgs.Positional(args);
        var url = BenchArgs.Value(args, "--url");
        var indexDir = BenchArgs.Value(args, "--index-dir");
        if (positional.Count != 1 || url is null || indexDir is null)
        {
            Console.Error.WriteLine("usage: postgres-fill ARCHIVE_DIR --url postgres://USER@HOST:PORT/DB --index-dir DIR");
            return 2;
        }
        if (!File.Exists(Path.Combine(positional[0], "archive.db")))
        {
            throw new InvalidOperationException($"no embedded archive at {positional[0]}");
        }
        using var target = PostgresArchive.Open(url, indexDir);
        if (target.RefuseCopyInto() is { } why)
        {
            throw new InvalidOperationException(why);
        }
        Console.WriteLine($"postgres-fill: {positional[0]} → {PostgresUrl.Redact(url)}, index {indexDir}");
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var snapshot = SqliteArchive.ReadForCopy(positional[0]);
        var expected = snapshot.Fingerprint();
        var documents = expected.Tables.First(t => t.Table == "documents").Rows;
        var fingerprintSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"source fingerprint: {documents:N0} documents, {fingerprintSeconds:F0} s; problems: {expected.Problems.Count}"));
        if (expected.Problems.Count > 0)
        {
            throw new InvalidOperationException("the source fails its check: " + expected.Problems[0]);
        }
        var volumes = 0;
        var copyClock = Stopwatch.StartNew();
        using var memory = new MemoryPeaks();
        var checks = target.CopyFrom(snapshot, expected, _ =>
        {
            // a line every 100 volumes shows the rate and the memory while the fill runs
            if (++volumes % 100 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {volumes} volumes, {copyClock.Elapsed.TotalMinutes:F1} min; {memory.Now()}"));
            }
        });
        var copySeconds = copyClock.Elapsed.TotalSeconds;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        foreach (var c in checks)
        {
            Console.WriteLine($"  {c.Table,-18}{c.SourceRows,12:N0}{c.TargetRows,12:N0}  {(c.Ok ? "ok" : "DIFFERS")}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"copy: {documents:N0} documents in {copySeconds:F0} s (rows, search index and verification; {documents / copySeconds:F0} documents/s), "
            + $"whole run {clock.Elapsed.TotalSeconds:F0} s, CPU {used.TotalSeconds:F0} s in this process; load average {BenchArgs.LoadAverage()}"));
        Console.WriteLine($"memory: {memory.Peaks()}");
        NpgsqlConnection.ClearAllPools();
        return 0;
    }
}

/// <summary>
/// The process's resident memory sampled every half second: its peak (VmHWM) and the peaks of its parts, anonymous
/// (the managed heap and native allocations) and file-backed (mapped files, such as a memory-mapped index), and of
/// the managed heap after the last collection, so that what holds the memory shows in the output.
/// </summary>
internal sealed class MemoryPeaks : IDisposable
{
    private readonly Timer _timer;
    private readonly System.Threading.Lock _gate = new();
    private long _anon;
    private long _file;
    private long _heap;

    public MemoryPeaks()
    {
        _timer = new Timer(_ => Sample(), null, 0, 500);
    }

    private static Dictionary<string, long> Status()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2 && parts[1].Trim().Split(' ') is [var n, "kB"] && long.TryParse(n, CultureInfo.InvariantCulture, out var kb))
            {
                values[parts[0]] = kb * 1024;
            }
        }
        return values;
    }

    private void Sample()
    {
        var status = Status();
        var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
        lock (_gate)
        {
            _anon = Math.Max(_anon, status.GetValueOrDefault("RssAnon"));
            _file = Math.Max(_file, status.GetValueOrDefault("RssFile"));
            _heap = Math.Max(_heap, heap);
        }
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>The resident memory now and its parts.</summary>
    public string Now()
    {
        var status = Status();
        return $"resident {Mb(status.GetValueOrDefault("VmRSS"))} (anonymous {Mb(status.GetValueOrDefault("RssAnon"))}, files {Mb(status.GetValueOrDefault("RssFile"))}), managed heap {Mb(GC.GetGCMemoryInfo().HeapSizeBytes)}";
    }

    /// <summary>The peaks so far.</summary>
    public string Peaks()
    {
        Sample();
        lock (_gate)
        {
            return $"peak resident {Mb(Status().GetValueOrDefault("VmHWM"))}; peaks of its parts: anonymous {Mb(_anon)}, files {Mb(_file)}; managed heap {Mb(_heap)}";
        }
    }

    public void Dispose() => _timer.Dispose();
}
