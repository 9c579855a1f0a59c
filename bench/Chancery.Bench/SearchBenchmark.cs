using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Chancery.Bench;

/// <summary>
/// Search latency over the committed query set (bench/queries/corpus-queries.txt) on an existing embedded archive,
/// as the public reader (access trimming on), against a bare Lucene query of the same free text (top 20 by BM25 and
/// the total, no access, no facets, no snippets) over the same index in the same run, interleaved query by query so
/// that machine noise hits both alike. The bare queries run in a process of their own (<c>search-bare</c>), so that
/// this process's memory is the archive's search alone (the bare reader maps the whole index).
/// </summary>
/// <remarks>
/// usage: search ARCHIVE_DIR [--rounds N] [--queries FILE]. Prints p50/p95/p99 for all queries, for the queries
/// with facets, and for the baseline; the facet-to-baseline ratio per query (the issue's "never slower than 3×");
/// queries/s on two threads; index size on disk and the process's peak memory.
/// </remarks>
internal static partial class SearchBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: search ARCHIVE_DIR [--rounds N] [--queries FILE]");
            return 2;
        }
        var folder = args[0];
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        var queryFile = BenchArgs.Value(args, "--queries") ?? FindQueries();
        var queries = File.ReadAllLines(queryFile)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (Query: p[0], Facets: p.Length > 1 && p[1] == "facets"))
            .ToList();

        using var archive = SqliteArchive.Open(folder);
        // the first search builds the full-text index when the archive has none yet (an archive from before it)
        var catchUp = Stopwatch.StartNew();
        Search(archive, "the", false);
        Console.WriteLine($"first search (index catch-up if any): {catchUp.Elapsed.TotalSeconds:F1} s");
        using var bare = BareProcess.Start(Path.Combine(folder, "search"));
        var documents = archive.ListVolumes(ReaderIdentity.System).Sum(v => v.DocumentCount);
        Console.WriteLine($"archive: {folder}, {documents} documents; {queries.Count} queries ({queries.Count(q => q.Facets)} with facets), {rounds} rounds");

        // warm up: every query once, both ways
        foreach (var (q, f) in queries)
        {
            Search(archive, q, f);
            bare.Run(q);
        }

        var all = new List<double>();
        var withFacets = new List<double>();
        var baseline = new List<double>();
        var allCpu = new List<double>();
        var withFacetsCpu = new List<double>();
        // a search on a large index works on both cores: the process's CPU counts the helper's share too
        var allProcess = new List<double>();
        var withFacetsProcess = new List<double>();
        var baselineCpu = new List<double>();
        var facetRatios = new List<(string Query, double Ratio)>();
        var countingRatios = new List<(string Query, double Ratio)>();
        var countingCpuRatios = new List<(string Query, double Ratio)>();
        var firstPairRatios = new List<(string Query, double Ratio)>();
        var firstPairCpuRatios = new List<(string Query, double Ratio)>();
        var totals = new Dictionary<string, int>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (q, f) in queries)
            {
                var process = ProcessCpuMs();
                var (ms, total, cpu) = Time(() => Search(archive, q, f));
                process = ProcessCpuMs() - process;
                totals[q + (f ? "\tfacets" : "")] = total;
                all.Add(ms);
                allCpu.Add(cpu);
                allProcess.Add(process);
                if (f)
                {
                    withFacets.Add(ms);
                    withFacetsCpu.Add(cpu);
                    withFacetsProcess.Add(process);
                }
                var fts = BareQuery(q);
                if (fts is not null)
                {
                    var (bms, bcpu) = bare.Time(q);
                    baseline.Add(bms);
                    baselineCpu.Add(bcpu);
                    if (f)
                    {
                        facetRatios.Add((q, ms / Math.Max(bms, 0.05)));
                        // the pairing of earlier runs, kept for comparison: the timed search with facets (the query's first
                        // in this round, so the colder) against the same search without them right after it
                        var (nms, _, ncpu) = Time(() => Search(archive, q, false));
                        firstPairRatios.Add((q, Math.Max(ms - nms, 0) / Math.Max(bms, 0.05)));
                        firstPairCpuRatios.Add((q, Math.Max(cpu - ncpu, 0) / Math.Max(bcpu, 0.05)));
                        // what counting the facets adds: the same search with and without them under the same conditions,
                        // both warm and interleaved with, without, without, with (so neither is the earlier or the later
                        // on average), twice per round, as the differences of a few milliseconds are noisy; not in the
                        // figures above
                        for (var pair = 0; pair < 2; pair++)
                        {
                            var w1 = Time(() => Search(archive, q, true));
                            var n1 = Time(() => Search(archive, q, false));
                            var n2 = Time(() => Search(archive, q, false));
                            var w2 = Time(() => Search(archive, q, true));
                            countingRatios.Add((q, Math.Max((w1.Ms + w2.Ms - n1.Ms - n2.Ms) / 2, 0) / Math.Max(bms, 0.05)));
                            // the same in thread CPU time, which the machine's load does not inflate
                            countingCpuRatios.Add((q, Math.Max((w1.CpuMs + w2.CpuMs - n1.CpuMs - n2.CpuMs) / 2, 0) / Math.Max(bcpu, 0.05)));
                        }
                    }
                }
            }
        }

        Console.WriteLine($"chancery search, all queries:  {Percentiles(all)}");
        Console.WriteLine($"chancery search, with facets:  {Percentiles(withFacets)}");
        Console.WriteLine($"bare Lucene top 20 by BM25:   {Percentiles(baseline)} ({baseline.Count / rounds} queries have a bare form)");
        // thread CPU time per query: what the machine's load does not change (the wall times above wait for the CPU)
        Console.WriteLine($"CPU per query: all {Percentiles(allCpu)}; with facets {Percentiles(withFacetsCpu)}; bare {Percentiles(baselineCpu)}");
        Console.WriteLine($"process CPU per query (the searching thread, its helper on the other core and the GC): all {Percentiles(allProcess)}; with facets {Percentiles(withFacetsProcess)}");
        var ratios = facetRatios.GroupBy(x => x.Query).Select(g => (Query: g.Key, Ratio: Median(g.Select(x => x.Ratio).ToList()))).OrderByDescending(x => x.Ratio).ToList();
        if (ratios.Count > 0)
        {
            Console.WriteLine($"facets vs bare (whole search with facets / bare query, median per query over rounds): max {ratios[0].Ratio:F2}x ({ratios[0].Query}), median {Median(ratios.Select(x => x.Ratio).ToList()):F2}x");
        }
        var counting = countingRatios.GroupBy(x => x.Query).Select(g => (Query: g.Key, Ratio: Median(g.Select(x => x.Ratio).ToList()))).OrderByDescending(x => x.Ratio).ToList();
        if (counting.Count > 0)
        {
            Console.WriteLine($"facet counting vs bare ((search with facets - same search without, in pairs under the same conditions) / bare query, median per query): max {counting[0].Ratio:F2}x ({counting[0].Query}), median {Median(counting.Select(x => x.Ratio).ToList()):F2}x");
            var countingCpu = countingCpuRatios.GroupBy(x => x.Query).Select(g => (Query: g.Key, Ratio: Median(g.Select(x => x.Ratio).ToList()))).OrderByDescending(x => x.Ratio).ToList();
            Console.WriteLine($"facet counting vs bare in thread CPU time (median per query): max {countingCpu[0].Ratio:F2}x ({countingCpu[0].Query}), median {Median(countingCpu.Select(x => x.Ratio).ToList()):F2}x; "
                + string.Join(", ", countingCpu.Take(4).Select(x => $"{x.Query} {x.Ratio:F2}x")));
            var firstPair = ByQuery(firstPairRatios);
            var firstPairCpu = ByQuery(firstPairCpuRatios);
            Console.WriteLine($"  the same by the pairing of earlier runs (timed search with facets, the colder, minus the search without right after it): max {firstPair[0].Ratio:F2}x ({firstPair[0].Query}), median {Median(firstPair.Select(x => x.Ratio).ToList()):F2}x; "
                + $"CPU max {firstPairCpu[0].Ratio:F2}x ({firstPairCpu[0].Query}), median {Median(firstPairCpu.Select(x => x.Ratio).ToList()):F2}x");
        }
        var slowest = queries.Select((q, i) => (q.Query, q.Facets, Ms: Median(Enumerable.Range(0, rounds).Select(r => all[r * queries.Count + i]).ToList())))
            .OrderByDescending(x => x.Ms).Take(5);
        Console.WriteLine("slowest (median ms): " + string.Join("; ", slowest.Select(s => $"{s.Query}{(s.Facets ? " +facets" : "")} {s.Ms:F1}")));
        var slowestCpu = queries.Select((q, i) => (q.Query, q.Facets, Ms: Median(Enumerable.Range(0, rounds).Select(r => allCpu[r * queries.Count + i]).ToList())))
            .OrderByDescending(x => x.Ms).Take(8);
        Console.WriteLine("most CPU (median ms): " + string.Join("; ", slowestCpu.Select(s => $"{s.Query}{(s.Facets ? " +facets" : "")} {s.Ms:F1}")));

        // throughput: two threads through the whole set, twice
        var clock = Stopwatch.StartNew();
        var done = 0;
        Parallel.For(0, 2, t =>
        {
            for (var i = 0; i < queries.Count * 2; i++)
            {
                var (q, f) = queries[(i + t * 37) % queries.Count];
                Search(archive, q, f);
                Interlocked.Increment(ref done);
            }
        });
        Console.WriteLine($"throughput on 2 threads: {done / clock.Elapsed.TotalSeconds:F0} queries/s");

        var size = System.IO.Directory.GetFiles(folder, "archive.db*").Sum(f => new FileInfo(f).Length);
        var index = System.IO.Directory.GetFiles(Path.Combine(folder, "search")).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"archive on disk: database {size / 1e6:F0} MB, full-text index {index / 1e6:F0} MB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; load average {BenchArgs.LoadAverage()}");
        // the peak counts file pages too; the archive's searches read the index without mapping it
        Console.WriteLine($"resident now: {Resident()}; managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:F0} MB");
        Console.WriteLine($"bare baseline's own process: {bare.Finish()}");
        return 0;
    }

    /// <summary>
    /// <c>search-bare INDEX_DIR</c>: the bare baseline's process. Reads one query a line from standard input, runs it
    /// and answers <c>wall-ms cpu-ms total</c>; at the end of the input, its peak working set.
    /// </summary>
    public static int RunBare(string[] args)
    {
        using var directory = FSDirectory.Open(args[0]);
        using var reader = DirectoryReader.Open(directory);
        var bare = new Bare(reader);
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var (ms, total, cpu) = Time(() => bare.Run(line));
            Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ms:R} {cpu:R} {total}"));
            Console.Out.Flush();
        }
        Console.Out.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB, resident at the end: {Resident()}");
        return 0;
    }

    /// <summary>The bench's side of the bare baseline's process: a query out, its times back.</summary>
    private sealed class BareProcess : IDisposable
    {
        private readonly Process _process;

        private BareProcess(Process process) => _process = process;

        public static BareProcess Start(string index)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (!self.EndsWith("Chancery.Bench", StringComparison.Ordinal))
            {
                // run through the dotnet host: the assembly goes first
                start.ArgumentList.Add(typeof(SearchBenchmark).Assembly.Location);
            }
            start.ArgumentList.Add("search-bare");
            start.ArgumentList.Add(index);
            return new BareProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the bare baseline's process"));
        }

        /// <summary>Runs <paramref name="query"/> there; its wall and thread CPU time as measured there.</summary>
        public (double Ms, double CpuMs) Time(string query)
        {
            _process.StandardInput.WriteLine(query);
            _process.StandardInput.Flush();
            var answer = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the bare baseline's process ended");
            var parts = answer.Split(' ');
            return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Run(string query) => Time(query);

        /// <summary>Ends the process; what it says of its memory.</summary>
        public string Finish()
        {
            _process.StandardInput.Close();
            var said = _process.StandardOutput.ReadToEnd().Trim();
            _process.WaitForExit();
            return said;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.Dispose();
        }
    }

    /// <summary>The process's resident memory split into anonymous (heap, stacks) and file-backed pages, from /proc.</summary>
    private static string Resident()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return "not known on this system";
        }
        var fields = File.ReadLines(status).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
        return $"anonymous {fields.GetValueOrDefault("RssAnon", "?")}, file-backed {fields.GetValueOrDefault("RssFile", "?")}";
    }

    private static int Search(IArchive archive, string query, bool facets) =>
        archive.Search(new SearchRequest(query, Facets: facets), ReaderIdentity.Public, "bench").Total;

    /// <summary>
    /// The baseline: the free text of a query (<see cref="BareQuery"/>, whose syntax the classic Lucene parser reads
    /// too) over the archive's Lucene index, weighted as Chancery weighs the fields, top 20 by BM25 and the total.
    /// Bench code on our own query file: the user's queries never reach the Lucene parser.
    /// </summary>
    private sealed class Bare(IndexReader reader)
    {
        private readonly IndexSearcher _searcher = new(reader) { Similarity = new BM25Similarity() };
        private readonly MultiFieldQueryParser _parser = new(LuceneVersion.LUCENE_48, LuceneSearchIndex.Fields, LuceneSearchIndex.NewAnalyzer(),
            new Dictionary<string, float> { ["title"] = 4f, ["sender"] = 3f, ["recipient"] = 3f, ["body"] = 1f, ["footnotes"] = 0.4f })
        {
            DefaultOperator = Operator.AND,
        };

        public int Run(string query)
        {
            var text = BareQuery(query);
            if (text is null)
            {
                return 0;
            }
            Query q;
            try
            {
                q = _parser.Parse(text);
            }
            catch (ParseException)
            {
                return 0;
            }
            return _searcher.Search(q, 20).TotalHits;
        }
    }

    /// <summary>The free-text part of a query in FTS5 syntax (fields dropped, <c>-x</c> as <c>NOT x</c>), or null when none.</summary>
    internal static string? BareQuery(string query)
    {
        var parts = new List<string>();
        foreach (Match m in Token().Matches(query))
        {
            var t = m.Value;
            if (t.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            if (t.StartsWith('-'))
            {
                parts.Add("NOT");
                t = t[1..];
            }
            parts.Add(t);
        }
        if (parts.Count == 0 || parts[0] is "NOT" or "OR")
        {
            return null;
        }
        // FTS5 wants an explicit AND next to a parenthesis
        var s = new StringBuilder(parts[0]);
        for (var i = 1; i < parts.Count; i++)
        {
            var operand = parts[i - 1] is not ("(" or "OR" or "NOT" or "AND") && parts[i] is not (")" or "OR" or "NOT" or "AND");
            s.Append(operand ? " AND " : " ").Append(parts[i]);
        }
        return s.ToString();
    }

    [GeneratedRegex("""-?[\p{L}\p{N}.\-]+:("[^"]*"|\S+)|-?"[^"]*"|[()]|-?[^\s()"]+""")]
    private static partial Regex Token();

    private static (double Ms, int Total, double CpuMs) Time(Func<int> f)
    {
        var cpu = ThreadCpuMs();
        var sw = Stopwatch.StartNew();
        var n = f();
        return (sw.Elapsed.TotalMilliseconds, n, ThreadCpuMs() - cpu);
    }

    /// <summary>CPU time of the calling thread, from clock_gettime(CLOCK_THREAD_CPUTIME_ID); 0 where unavailable.</summary>
    internal static double ThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        var time = new long[2];
        return ClockGetTime(3, time) != 0 ? 0 : time[0] * 1000.0 + time[1] / 1e6;
    }

    /// <summary>CPU time of the whole process, from clock_gettime(CLOCK_PROCESS_CPUTIME_ID); 0 where unavailable.</summary>
    internal static double ProcessCpuMs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        var time = new long[2];
        return ClockGetTime(2, time) != 0 ? 0 : time[0] * 1000.0 + time[1] / 1e6;
    }

    // struct timespec on 64-bit Linux: seconds, nanoseconds
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, [System.Runtime.InteropServices.Out] long[] time);

    internal static string Percentiles(List<double> ms)
    {
        if (ms.Count == 0)
        {
            return "no samples";
        }
        var s = ms.Order().ToList();
        double P(double p) => s[Math.Min(s.Count - 1, (int)Math.Ceiling(p * s.Count) - 1)];
        return $"p50 {P(0.50):F2} ms, p95 {P(0.95):F2} ms, p99 {P(0.99):F2} ms ({s.Count} samples)";
    }

    /// <summary>Per query, the median of its ratios over rounds; the largest first.</summary>
    private static List<(string Query, double Ratio)> ByQuery(List<(string Query, double Ratio)> ratios) =>
        [.. ratios.GroupBy(x => x.Query).Select(g => (Query: g.Key, Ratio: Median(g.Select(x => x.Ratio).ToList()))).OrderByDescending(x => x.Ratio)];

    internal static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? 0 : s[s.Count / 2];
    }

    internal static string FindQueries()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var f = Path.Combine(d.FullName, "bench", "queries", "corpus-queries.txt");
            if (File.Exists(f))
            {
                return f;
            }
        }
        throw new FileNotFoundException("bench/queries/corpus-queries.txt not found above " + AppContext.BaseDirectory);
    }
}
