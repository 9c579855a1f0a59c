using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;

namespace Chancery.Bench;

/// <summary>
/// Where one query's time goes: the query run N times as the public reader on an existing embedded archive, each
/// phase of the search (rows and reader, match, hit list, facet counts, score, page, read page, facet results) timed
/// in wall time and in the process's CPU time (which counts the work of every thread a phase uses, and the GC's).
/// </summary>
/// <remarks>
/// usage: search-profile ARCHIVE_DIR [QUERY...] [--file QUERY_FILE] [--facets] [--repeat N]. Prints the median of each phase over the runs
/// after a warm-up run, the whole search's median and the load average. For profiling, not for the figures: those
/// come from <c>search</c>, which runs the whole query set.
/// </remarks>
internal static class SearchProfileBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: search-profile ARCHIVE_DIR [QUERY...] [--file QUERY_FILE] [--facets] [--repeat N]");
            return 2;
        }
        var folder = args[0];
        var facets = args.Contains("--facets");
        var repeat = BenchArgs.Int(args, "--repeat", 20);
        var queries = new List<(string Query, bool Facets)>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--repeat" || args[i] == "--file")
            {
                i++;
                continue;
            }
            if (args[i] != "--facets")
            {
                queries.Add((args[i], facets));
            }
        }
        if (BenchArgs.Value(args, "--file") is { } file)
        {
            // lines as in bench/queries/corpus-queries.txt: QUERY, or QUERY<tab>facets
            queries.AddRange(File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => l.Split('\t')).Select(p => (p[0], p.Length > 1 && p[1] == "facets")));
        }

        using var archive = SqliteArchive.Open(folder);
        var index = LuceneSearchIndex.For(archive.Location);
        using var c = archive.Connect();
        var access = archive.FilterFor(c, ReaderIdentity.Public);
        foreach (var (query, withFacets) in queries)
        {
            try
            {
                Profile(c, index, access, new SearchRequest(query, Facets: withFacets), repeat);
            }
            catch (QueryException e)
            {
                Console.Error.WriteLine($"{query}: {e.Message}");
            }
        }
        return 0;
    }

    private static void Profile(Microsoft.Data.Sqlite.SqliteConnection c, LuceneSearchIndex index, Chancery.Archive.Access.AccessFilter access, SearchRequest request, int repeat)
    {
        var phases = new List<string>();
        var wall = new Dictionary<string, List<double>>();
        var cpu = new Dictionary<string, List<double>>();
        var totals = new List<double>();
        var totalsCpu = new List<double>();
        var total = 0;
        for (var run = 0; run <= repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            var startCpu = SearchBenchmark.ProcessCpuMs();
            var lastWall = 0.0;
            var lastCpu = startCpu;
            void Phase(string name)
            {
                var w = clock.Elapsed.TotalMilliseconds;
                var p = SearchBenchmark.ProcessCpuMs();
                if (run > 0)
                {
                    if (!wall.ContainsKey(name))
                    {
                        phases.Add(name);
                        wall[name] = [];
                        cpu[name] = [];
                    }
                    wall[name].Add(w - lastWall);
                    cpu[name].Add(p - lastCpu);
                }
                lastWall = w;
                lastCpu = p;
            }
            using (var t = c.BeginTransaction(deferred: true))
            {
                total = SqliteSearchIndex.Search(new SqliteSearchSource(c, t), index, request, access, out _, Phase).Total;
                t.Commit();
            }
            if (run > 0)
            {
                totals.Add(clock.Elapsed.TotalMilliseconds);
                totalsCpu.Add(SearchBenchmark.ProcessCpuMs() - startCpu);
            }
        }
        Console.WriteLine($"{request.Query}{(request.Facets ? " +facets" : "")}: {total} hits; {repeat} runs after one warm-up; median wall / process CPU per phase:");
        foreach (var name in phases)
        {
            Console.WriteLine($"  {name,-16} {SearchBenchmark.Median(wall[name]),8:F2} ms {SearchBenchmark.Median(cpu[name]),8:F2} ms CPU");
        }
        Console.WriteLine($"  {"whole search",-16} {SearchBenchmark.Median(totals),8:F2} ms {SearchBenchmark.Median(totalsCpu),8:F2} ms CPU (min {totals.Min():F2} ms); load average {BenchArgs.LoadAverage()}");
    }
}
