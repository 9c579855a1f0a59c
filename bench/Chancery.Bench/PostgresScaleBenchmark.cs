using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Chancery.Archive;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Npgsql;

namespace Chancery.Bench;

/// <summary>
/// The server archive against the embedded one on two existing archives of the same documents (the 1,000,000-document
/// runs of the server-mode issue): first the proof that they hold the same documents (every volume's document count
/// and content hash, and the JSON of a few documents hashed again on both sides), then the committed query set as the
/// public reader, each backend in a search process of its own (so each process's peak memory is its own), interleaved
/// query by query and alternating which goes first; the answers (total and first-page order) must be identical. Then,
/// unless <c>--no-ingest</c>, the ingest throughput of both: the corpus volumes ingested into a fresh folder and a
/// fresh database of the same server. Neither archive is written: the PostgreSQL search process uses
/// <c>--index-dir</c> (filled by <c>postgres-fill</c>; an index that lacks rows is caught up at the first search,
/// which is timed apart).
/// </summary>
/// <remarks>usage: postgres-scale --embedded DIR --url postgres://… --index-dir DIR [--rounds N] [--queries FILE] [--no-ingest] [CORPUS_DIR...]</remarks>
internal static class PostgresScaleBenchmark
{
    /// <summary>The search issue's p99 target at 1,000,000 documents.</summary>
    private const double TargetP99Ms = 150;

    /// <summary>The search issue's memory target for a search process at 1,000,000 documents.</summary>
    private const double TargetPeakMb = 1000;

    public static int Run(string[] args)
    {
        var embedded = BenchArgs.Value(args, "--embedded");
        var url = BenchArgs.Value(args, "--url");
        var indexDir = BenchArgs.Value(args, "--index-dir");
        if (embedded is null || url is null || indexDir is null)
        {
            Console.Error.WriteLine("usage: postgres-scale --embedded DIR --url postgres://USER@HOST:PORT/DB --index-dir DIR [--rounds N] [--queries FILE] [--no-ingest] [CORPUS_DIR...]");
            return 2;
        }
        if (!File.Exists(Path.Combine(embedded, "archive.db")))
        {
            throw new InvalidOperationException($"no embedded archive at {embedded}");
        }
        var rounds = BenchArgs.Int(args, "--rounds", 2);
        var queryFile = Path.GetFullPath(BenchArgs.Value(args, "--queries") ?? QuerySet.Find("bench/queries/corpus-queries.txt"));
        var queries = Queries(queryFile);
        Console.WriteLine($"postgres-scale: embedded {embedded}, PostgreSQL {PostgresUrl.Redact(url)} (index {indexDir}); load average {BenchArgs.LoadAverage()}");
        Console.WriteLine($"server settings: {ServerSettings(url)}");

        var same = SameDocuments(embedded, url);
        var failures = same ? 0 : 1;
        failures += Search(embedded, url, indexDir, queryFile, queries, rounds);
        if (!args.Contains("--no-ingest"))
        {
            var folders = BenchArgs.Positional(args);
            IngestBoth(url, BenchArgs.CorpusFiles(folders.Count > 0 ? folders : [TrimBenchmark.DefaultCorpus]));
        }
        Console.WriteLine($"load average at the end {BenchArgs.LoadAverage()}");
        return failures == 0 ? 0 : 1;
    }

    private static List<(string Text, bool Facets)> Queries(string file) =>
        File.ReadLines(file)
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0].Trim(), p.Length > 1 && p[1].Trim() == "facets"))
            .ToList();

    private static string ServerSettings(string url)
    {
        using var c = new NpgsqlConnection(PostgresUrl.ToConnectionString(url));
        c.Open();
        var names = new[] { "server_version", "synchronous_commit", "fsync", "full_page_writes", "shared_buffers", "max_wal_size", "work_mem" };
        using var cmd = new NpgsqlCommand("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(@n) ORDER BY name", c);
        cmd.Parameters.AddWithValue("n", names);
        using var r = cmd.ExecuteReader();
        var parts = new List<string>();
        while (r.Read())
        {
            parts.Add($"{r.GetString(0)}={r.GetString(1)}{(r.IsDBNull(2) ? "" : " " + r.GetString(2))}");
        }
        return string.Join(", ", parts);
    }

    /// <summary>
    /// Every volume on both sides with the same document count and content hash (the hash over its documents' ids and
    /// SHA-256s, recorded at ingest), and the stored JSON of the first document of a few volumes hashed again here.
    /// </summary>
    private static bool SameDocuments(string embedded, string url)
    {
        var clock = Stopwatch.StartNew();
        // read as a copy reads its source: nothing is written into the shared read-only 1M archive
        using var a = SqliteArchive.ReadForCopy(embedded);
        using var b = PostgresArchive.ReadForCopy(url);
        var va = a.Volumes().ToDictionary(v => v.Id, StringComparer.Ordinal);
        var vb = b.Volumes().ToDictionary(v => v.Id, StringComparer.Ordinal);
        var differ = va.Keys.Union(vb.Keys).Where(id =>
            !va.TryGetValue(id, out var x) || !vb.TryGetValue(id, out var y) || x.DocumentCount != y.DocumentCount || x.ContentHash != y.ContentHash).ToList();
        var sample = va.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % Math.Max(1, va.Count / 5) == 0).Take(5).ToList();
        var hashes = sample.Select(id =>
        {
            string Hash(ArchiveSnapshot s) => s.Documents(id).First() is var d ? d.Id + " " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(d.Json)))[..16] : "";
            return (Embedded: Hash(a), Postgres: Hash(b));
        }).ToList();
        var ok = differ.Count == 0 && hashes.All(h => h.Embedded == h.Postgres);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"documents: embedded {va.Values.Sum(v => (long)v.DocumentCount):N0} in {va.Count:N0} volumes, PostgreSQL {vb.Values.Sum(v => (long)v.DocumentCount):N0} in {vb.Count:N0}; "
            + $"{(differ.Count == 0 ? "every volume's count and content hash equal" : $"{differ.Count} volumes differ, first {differ[0]}")} ({clock.Elapsed.TotalSeconds:F0} s)"));
        foreach (var (e, p) in hashes)
        {
            Console.WriteLine($"  JSON SHA-256 {e}{(e == p ? " on both" : $" / PostgreSQL {p}: DIFFERENT")}");
        }
        return ok;
    }

    private static int Search(string embedded, string url, string indexDir, string queryFile, List<(string Text, bool Facets)> queries, int rounds)
    {
        using var sqlite = Worker.Start("sqlite", embedded, null, queryFile);
        using var postgres = Worker.Start("postgres", url, indexDir, queryFile);
        Console.WriteLine($"first search (opening, row copy, index catch-up if any): SQLite {sqlite.ReadySeconds:F1} s, PostgreSQL {postgres.ReadySeconds:F1} s");
        Console.WriteLine($"{queries.Count} queries ({queries.Count(q => q.Facets)} with facets), {rounds} rounds after a warm-up round, each backend in its own process; load average {BenchArgs.LoadAverage()}");
        var samples = queries.Select(_ => (Sqlite: new List<Sample>(), Pg: new List<Sample>())).ToList();
        var differ = new List<string>();
        for (var round = -1; round < rounds; round++)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                var sqliteFirst = (round + i) % 2 == 0;
                var first = (sqliteFirst ? sqlite : postgres).Run(i);
                var second = (sqliteFirst ? postgres : sqlite).Run(i);
                var (s, p) = sqliteFirst ? (first, second) : (second, first);
                if (round < 0)
                {
                    // the same answers first: a fast wrong answer is no result
                    if (s.Answer != p.Answer)
                    {
                        differ.Add(queries[i].Text + (queries[i].Facets ? " (facets)" : ""));
                    }
                    continue;
                }
                samples[i].Sqlite.Add(s);
                samples[i].Pg.Add(p);
            }
        }
        Console.WriteLine(differ.Count == 0
            ? $"answers: identical totals and first-page hit order for all {queries.Count} queries"
            : $"answers: {differ.Count} queries differ: {string.Join(" | ", differ.Take(10))}");
        Console.WriteLine("slowest on PostgreSQL (median ms, PostgreSQL / SQLite; thread CPU of the search process):");
        foreach (var (q, t) in queries.Zip(samples).OrderByDescending(x => Median(x.Second.Pg)).Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Median(t.Pg),8:F1} / {Median(t.Sqlite),6:F1}  (CPU {Latency.Percentile(t.Pg.Select(x => x.CpuMs).ToList(), 50),6:F1} / {Latency.Percentile(t.Sqlite.Select(x => x.CpuMs).ToList(), 50),6:F1})  {q.Text}{(q.Facets ? " (facets)" : "")}"));
        }
        List<double> Pick(Func<(List<Sample> Sqlite, List<Sample> Pg), List<Sample>> side, bool facetsOnly, bool cpu) =>
            [.. queries.Zip(samples).Where(x => !facetsOnly || x.First.Facets).SelectMany(x => side(x.Second)).Select(x => cpu ? x.CpuMs : x.Ms)];
        var result = new Dictionary<string, double>();
        foreach (var (name, side) in new (string, Func<(List<Sample> Sqlite, List<Sample> Pg), List<Sample>>)[] { ("SQLite", x => x.Sqlite), ("PostgreSQL", x => x.Pg) })
        {
            var all = Pick(side, false, false);
            var facets = Pick(side, true, false);
            var cpu = Pick(side, false, true);
            result[name + " all"] = Latency.Percentile(all, 99);
            result[name + " facets"] = Latency.Percentile(facets, 99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"search {name,-10}  all p50 / p95 / p99 {P(all, 50)} / {P(all, 95)} / {P(all, 99)} ms;  with facets {P(facets, 50)} / {P(facets, 95)} / {P(facets, 99)} ms;  CPU p50 / p99 {P(cpu, 50)} / {P(cpu, 99)} ms"));
        }
        var (sqlitePeak, sqliteSaid) = sqlite.Finish();
        var (pgPeak, pgSaid) = postgres.Finish();
        Console.WriteLine($"search process SQLite:     {sqliteSaid}");
        Console.WriteLine($"search process PostgreSQL: {pgSaid}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio PostgreSQL/SQLite p99: all {result["PostgreSQL all"] / result["SQLite all"]:F2}, with facets {result["PostgreSQL facets"] / result["SQLite facets"]:F2}"));
        var pass = differ.Count == 0 && result["PostgreSQL all"] <= TargetP99Ms && result["PostgreSQL facets"] <= TargetP99Ms && pgPeak <= TargetPeakMb;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres-scale: {(pass ? "PASS" : "FAIL")} PostgreSQL p99 all {result["PostgreSQL all"]:F2} ms, with facets {result["PostgreSQL facets"]:F2} ms (target ≤ {TargetP99Ms:F0}); "
            + $"peak {pgPeak:F0} MB (target < {TargetPeakMb:F0}); answers {(differ.Count == 0 ? "identical" : "DIFFER")}; load average {BenchArgs.LoadAverage()}"));
        return pass ? 0 : 1;
    }

    private static string P(List<double> values, double p) => Latency.Percentile(values, p).ToString("F2", CultureInfo.InvariantCulture);

    private static double Median(List<Sample> samples) => Latency.Percentile(samples.Select(x => x.Ms).ToList(), 50);

    private static void IngestBoth(string url, List<string> files)
    {
        var temp = Directory.CreateTempSubdirectory("chancery-bench-scale-");
        var database = PostgresBenchmark.FreshDatabase(url, "chancery_scale_ingest");
        try
        {
            var bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"ingest: {files.Count} volumes, {bytes / 1e6:F1} MB, into a fresh folder and a fresh database of the same server; load average {BenchArgs.LoadAverage()}");
            using (var sqlite = SqliteArchive.Open(Path.Combine(temp.FullName, "embedded")))
            {
                var (docs, seconds) = PostgresBenchmark.Ingest(sqlite, files);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest SQLite:     {docs} documents in {seconds:F1} s: {docs / seconds:F0} documents/s"));
            }
            using (var postgres = PostgresArchive.Open(database.Url, Path.Combine(temp.FullName, "postgres-search")))
            {
                var (docs, seconds) = PostgresBenchmark.Ingest(postgres, files);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest PostgreSQL: {docs} documents in {seconds:F1} s: {docs / seconds:F0} documents/s"));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            database.Drop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            temp.Delete(recursive: true);
        }
    }

    private readonly record struct Sample(double Ms, double CpuMs, string Answer);

    /// <summary>
    /// <c>postgres-scale-worker sqlite|postgres LOCATION [--index-dir DIR] --queries FILE</c>: one backend's search
    /// process. Opens the archive, runs a first search and says <c>ready SECONDS</c>; then reads a query's number a
    /// line and answers <c>wall-ms cpu-ms total id…</c> (the first page's ids); at the end of its input, its peak memory.
    /// </summary>
    public static int RunWorker(string[] args)
    {
        var kind = args[0];
        var location = args[1];
        var queries = Queries(BenchArgs.Value(args, "--queries")!);
        var clock = Stopwatch.StartNew();
        using IArchive archive = kind == "postgres" ? PostgresArchive.Open(location, BenchArgs.Value(args, "--index-dir")) : SqliteArchive.Open(location);
        archive.Search(new SearchRequest("the"), ReaderIdentity.Public, "bench");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {clock.Elapsed.TotalSeconds:R}"));
        Console.Out.Flush();
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var (text, facets) = queries[int.Parse(line, CultureInfo.InvariantCulture)];
            var cpu = SearchBenchmark.ThreadCpuMs();
            var sw = Stopwatch.StartNew();
            var r = archive.Search(new SearchRequest(text, Facets: facets), ReaderIdentity.Public, "bench");
            var ms = sw.Elapsed.TotalMilliseconds;
            var cpuMs = SearchBenchmark.ThreadCpuMs() - cpu;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms:R} {cpuMs:R} {r.Total} {string.Join(' ', r.Hits.Select(h => h.Id))}"));
            Console.Out.Flush();
        }
        var status = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal)
            : [];
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{peak:F0} peak working set {peak:F0} MB (VmHWM {status.GetValueOrDefault("VmHWM", "?")}), resident at the end: anonymous {status.GetValueOrDefault("RssAnon", "?")}, file-backed {status.GetValueOrDefault("RssFile", "?")}; managed heap {GC.GetTotalMemory(false) / 1e6:F0} MB"));
        return 0;
    }

    /// <summary>The bench's side of a backend's search process.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;

        private Worker(Process process, double readySeconds)
        {
            _process = process;
            ReadySeconds = readySeconds;
        }

        /// <summary>Seconds from the process's start to the end of its first search.</summary>
        public double ReadySeconds { get; }

        public static Worker Start(string kind, string location, string? indexDir, string queryFile)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (!self.EndsWith("Chancery.Bench", StringComparison.Ordinal))
            {
                // run through the dotnet host: the assembly goes first
                start.ArgumentList.Add(typeof(PostgresScaleBenchmark).Assembly.Location);
            }
            foreach (var a in new[] { "postgres-scale-worker", kind, location, "--queries", queryFile })
            {
                start.ArgumentList.Add(a);
            }
            if (indexDir is not null)
            {
                start.ArgumentList.Add("--index-dir");
                start.ArgumentList.Add(indexDir);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the {kind} search process");
            var ready = process.StandardOutput.ReadLine();
            if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
            {
                process.WaitForExit(10_000);
                throw new InvalidOperationException($"the {kind} search process did not start (it said: {ready ?? "nothing"})");
            }
            return new Worker(process, double.Parse(ready[6..], CultureInfo.InvariantCulture));
        }

        public Sample Run(int query)
        {
            _process.StandardInput.WriteLine(query.ToString(CultureInfo.InvariantCulture));
            _process.StandardInput.Flush();
            var answer = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("a search process ended");
            var parts = answer.Split(' ', 3);
            return new Sample(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
        }

        /// <summary>Ends the process; its peak working set in MB and what it says of its memory.</summary>
        public (double PeakMb, string Said) Finish()
        {
            _process.StandardInput.Close();
            var said = _process.StandardOutput.ReadToEnd().Trim();
            _process.WaitForExit();
            var space = said.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 && double.TryParse(said[..space], CultureInfo.InvariantCulture, out var peak) ? (peak, said[(space + 1)..]) : (double.NaN, said);
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
}
