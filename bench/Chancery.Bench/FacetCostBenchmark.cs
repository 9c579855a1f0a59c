using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Microsoft.Data.Sqlite;

namespace Chancery.Bench;

/// <summary>
/// What facet counting adds to a search: each query with facets of the committed set (or one query) run many times
/// with and without facets, the two in alternating order so that neither is always the warmer, and the difference
/// printed per query in wall and thread CPU time. A whole-process driver for profiling the facet path (attach
/// <c>dotnet-trace collect -p PID</c> to a run with a large <c>--repeat</c>).
/// </summary>
/// <remarks>
/// usage: search-facets ARCHIVE_DIR [--queries FILE] [--query Q] [--repeat N] [--dump FILE] [--split]. <c>--dump</c>
/// writes, instead of timing, the total and facets of every query of the set (all of them, each with facets) as the
/// public reader, one line each: two builds' dumps must be identical. <c>--split</c> times the facet counter alone
/// (<see cref="SqliteSearchIndex.FacetCounter"/>: counting, then naming the top values) over result sets of every
/// k-th readable row, with the caches warm and cold.
/// </remarks>
internal static class FacetCostBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: search-facets ARCHIVE_DIR [--queries FILE] [--query Q] [--repeat N]");
            return 2;
        }
        if (BenchArgs.Value(args, "--dump") is { } dump)
        {
            return Dump(args[0], BenchArgs.Value(args, "--queries") ?? SearchBenchmark.FindQueries(), dump);
        }
        if (args.Contains("--split"))
        {
            return Split(args[0], BenchArgs.Int(args, "--repeat", 51));
        }
        var repeat = BenchArgs.Int(args, "--repeat", 21);
        var queries = BenchArgs.Value(args, "--query") is { } one ? [one]
            : File.ReadAllLines(BenchArgs.Value(args, "--queries") ?? SearchBenchmark.FindQueries())
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => l.Split('\t'))
                .Where(p => p.Length > 1 && p[1] == "facets")
                .Select(p => p[0])
                .ToList();
        using var archive = SqliteArchive.Open(args[0]);
        Console.WriteLine($"archive {args[0]}; {queries.Count} queries, {repeat} pairs each; pid {Environment.ProcessId}; load average {BenchArgs.LoadAverage()}");
        foreach (var q in queries)
        {
            // warm: the rows' copy, the reader's caches and the JIT, both ways
            for (var i = 0; i < 3; i++)
            {
                Search(archive, q, true);
                Search(archive, q, false);
            }
        }
        Console.WriteLine("query | hits | with facets wall / CPU ms | without wall / CPU ms | facet counting wall / CPU ms (median of pair differences)");
        var sumWith = 0.0;
        var sumWithout = 0.0;
        foreach (var q in queries)
        {
            var with = new List<(double Ms, double Cpu)>();
            var without = new List<(double Ms, double Cpu)>();
            var hits = 0;
            for (var i = 0; i < repeat; i++)
            {
                // alternate which of the pair goes first
                if (i % 2 == 0)
                {
                    with.Add(Time(() => hits = Search(archive, q, true)));
                    without.Add(Time(() => Search(archive, q, false)));
                }
                else
                {
                    without.Add(Time(() => Search(archive, q, false)));
                    with.Add(Time(() => hits = Search(archive, q, true)));
                }
            }
            var diff = SearchBenchmark.Median(with.Zip(without, (a, b) => a.Ms - b.Ms));
            var diffCpu = SearchBenchmark.Median(with.Zip(without, (a, b) => a.Cpu - b.Cpu));
            sumWith += SearchBenchmark.Median(with.Select(x => x.Cpu));
            sumWithout += SearchBenchmark.Median(without.Select(x => x.Cpu));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{q} | {hits} | {SearchBenchmark.Median(with.Select(x => x.Ms)):F2} / {SearchBenchmark.Median(with.Select(x => x.Cpu)):F2} | {SearchBenchmark.Median(without.Select(x => x.Ms)):F2} / {SearchBenchmark.Median(without.Select(x => x.Cpu)):F2} | {diff:F2} / {diffCpu:F2}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sum of median CPU: with facets {sumWith:F1} ms, without {sumWithout:F1} ms, difference {sumWith - sumWithout:F1} ms; load average {BenchArgs.LoadAverage()}"));
        return 0;
    }

    /// <summary>
    /// The facet counter alone over every k-th row the public may read: counting (per hit) and naming the top values
    /// (per search), median thread CPU time of <paramref name="repeat"/> runs, once warm (the same run again) and once
    /// cold (64 MB walked between runs, as the rest of a search and the other processes do to the caches).
    /// </summary>
    private static int Split(string folder, int repeat)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "archive.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        c.Open();
        using var t = c.BeginTransaction(deferred: true);
        var rows = SearchRows.Load(c, 0, 0);
        var source = new SqliteSearchSource(c, t);
        var readable = rows.Readable(new Chancery.Archive.Access.AccessFilter(ReaderIdentity.Public, false, 0, 0));
        Console.WriteLine($"archive {folder}; {rows.Count} search rows, {Bits.Count(readable)} public; largest value code {rows.MaxCode()}; years {rows.Facets().FirstYear} to {rows.Facets().LastYear}; load average {BenchArgs.LoadAverage()}");
        Console.WriteLine("every k-th row | hits | warm: count + name, CPU ms (ns per hit) | cold: count + name, CPU ms (ns per hit)");
        var flush = new byte[64 << 20];
        foreach (var k in new[] { 1, 2, 3, 5, 10, 30, 100, 1000 })
        {
            var matching = Bits.New(rows.Count);
            for (var slot = 0; slot < rows.Count; slot += k)
            {
                Bits.Set(matching, slot);
            }
            matching = Bits.And(matching, readable);
            var hits = Bits.Count(matching);
            string Measure(bool cold)
            {
                var times = new List<double>();
                for (var i = 0; i < repeat; i++)
                {
                    if (cold)
                    {
                        for (var b = 0; b < flush.Length; b += 64)
                        {
                            flush[b]++;
                        }
                    }
                    var cpu = SearchBenchmark.ThreadCpuMs();
                    using (var counter = new SqliteSearchIndex.FacetCounter(source, rows))
                    {
                        counter.Count(matching);
                        counter.Results();
                    }
                    times.Add(SearchBenchmark.ThreadCpuMs() - cpu);
                }
                var ms = SearchBenchmark.Median(times);
                return string.Create(CultureInfo.InvariantCulture, $"{ms:F3} ({ms * 1e6 / Math.Max(hits, 1):F0})");
            }
            Console.WriteLine($"{k} | {hits} | {Measure(false)} | {Measure(true)}");
        }
        t.Commit();
        return 0;
    }

    private static int Dump(string folder, string queryFile, string output)
    {
        using var archive = SqliteArchive.Open(folder);
        using var w = new StreamWriter(output);
        foreach (var q in File.ReadAllLines(queryFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')[0]).Distinct())
        {
            var r = archive.Search(new SearchRequest(q, Facets: true), ReaderIdentity.Public, "bench");
            w.WriteLine($"{q}\t{r.Total}\t" + string.Join(" | ", r.Facets.Select(f => f.Key + ": " + string.Join(", ", f.Value.Select(v => $"{v.Value}={v.Count}")))));
        }
        Console.WriteLine($"facets of every query written to {output}");
        return 0;
    }

    private static int Search(IArchive archive, string query, bool facets) =>
        archive.Search(new SearchRequest(query, Facets: facets), ReaderIdentity.Public, "bench").Total;

    private static (double Ms, double Cpu) Time(Action f)
    {
        var cpu = SearchBenchmark.ThreadCpuMs();
        var sw = Stopwatch.StartNew();
        f();
        return (sw.Elapsed.TotalMilliseconds, SearchBenchmark.ThreadCpuMs() - cpu);
    }
}
