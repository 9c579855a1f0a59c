using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// Cost of access trimming in search: the committed query set (bench/queries/corpus-queries.txt, facets on) run as
/// the public reader (trimmed: withheld documents and cut text filtered out inside the query) and as a fully cleared
/// reader (top secret, every control), interleaved query by query, over an embedded archive in which reviews have
/// withheld a share of the documents and released another share with excisions.
/// Two measurements: the archive surface (<see cref="IArchive.Search"/>, which for the cleared reader also appends
/// an audit line per non-public hit, as the access issue requires) and the search index alone (the same query and
/// access filter on one open connection, no audit), which isolates what trimming itself costs.
/// <c>dotnet run -c Release --project bench/Chancery.Bench -- trim [--rounds 5] [--withheld 0.1] [--excised 0.1] [CORPUS_DIR...]</c>
/// </summary>
internal static class TrimBenchmark
{
    public const string DefaultCorpus = "/work/shared/corpus/frus";

    public static int Run(string[] args)
    {
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        var withheldShare = BenchArgs.Double(args, "--withheld", 0.10);
        var excisedShare = BenchArgs.Double(args, "--excised", 0.10);
        var folders = BenchArgs.Positional(args);
        var files = BenchArgs.CorpusFiles(folders.Count > 0 ? folders : [DefaultCorpus]);
        var queries = QuerySet.Load();
        Console.WriteLine($"trim: {files.Count} volumes, {files.Sum(f => new FileInfo(f).Length) / 1e6:F1} MB, {queries.Count} queries (facets on), {rounds} rounds");

        var temp = Directory.CreateTempSubdirectory("chancery-bench-trim-");
        try
        {
            using var archive = SqliteArchive.Open(temp.FullName);
            var clock = Stopwatch.StartNew();
            var documents = 0;
            foreach (var f in files)
            {
                using var reader = TeiVolumeReader.Open(f);
                documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
            }
            Console.WriteLine($"ingest: {documents} documents in {clock.Elapsed.TotalSeconds:F1} s");

            clock.Restart();
            var (withheld, excised) = Review(archive, withheldShare, excisedShare);
            Console.WriteLine($"reviews: {withheld} withheld, {excised} released with excisions ({(withheld + excised) * 100.0 / documents:F1}% of documents) in {clock.Elapsed.TotalSeconds:F1} s");

            var trimmed = ReaderIdentity.Public;
            var cleared = new ReaderIdentity("cleared", false, ClassificationLevel.TopSecret, new HashSet<string>(Markings.KnownControls, StringComparer.Ordinal));
            var requests = queries.Select(q => new SearchRequest(q.Text, Facets: true)).ToList();

            // what each reader finds: the trimmed reader must find less, or trimming did nothing
            var trimmedTotal = requests.Sum(r => archive.Search(r, trimmed, "bench").Total);
            var clearedTotal = requests.Sum(r => archive.Search(r, cleared, "bench").Total);
            Console.WriteLine($"hits over the query set: trimmed {trimmedTotal}, cleared {clearedTotal} ({clearedTotal - trimmedTotal} hidden from the public)");

            var surface = Interleaved(requests, rounds, (r, who) => archive.Search(r, who, "bench"), trimmed, cleared);
            Report("archive surface (cleared reader's hits on non-public documents are audited)", surface);

            using var c = archive.Connect();
            var trimmedFilter = archive.FilterFor(c, trimmed);
            var clearedFilter = archive.FilterFor(c, cleared);
            var index = Interleaved(requests, rounds, (r, who) => SqliteSearchIndex.Search(c, LuceneSearchIndex.For(archive.Location), r, who == trimmed ? trimmedFilter : clearedFilter, out _), trimmed, cleared);
            var ratio = Report("search index alone (no audit)", index);
            Console.WriteLine($"trim: {(ratio <= 1.3 ? "PASS" : "FAIL")} trimmed p99 / cleared p99 = {ratio:F2} (target ≤ 1.30)");
            return ratio <= 1.3 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            temp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Reviews a deterministic random share of the documents: withheld, or released with a paragraph cut (the
    /// second when there is one, as reviewers mostly cut inside a document, else the first).
    /// </summary>
    private static (int Withheld, int Excised) Review(SqliteArchive archive, double withheldShare, double excisedShare)
    {
        var reviewer = new UserAccount("bench-reviewer", ClassificationLevel.TopSecret, [.. Markings.KnownControls, "*"], DateTimeOffset.UtcNow);
        archive.AddUser(reviewer);
        var random = new Random(20261130);
        var (withheld, excised) = (0, 0);
        foreach (var volume in archive.ListVolumes(ReaderIdentity.System))
        {
            foreach (var entry in archive.GetVolume(volume.Id, ReaderIdentity.System)!.Contents.Where(e => e.DocumentId is not null))
            {
                var roll = random.NextDouble();
                if (roll < withheldShare)
                {
                    archive.Review(new ReviewDecision(entry.DocumentId!, ReviewAction.Withhold, [], "bench: withheld"), reviewer);
                    withheld++;
                }
                else if (roll < withheldShare + excisedShare)
                {
                    var paragraphs = archive.GetDocument(entry.DocumentId!, ReaderIdentity.System, "bench")!.Document.Body.OfType<Paragraph>().Count();
                    if (paragraphs > 0)
                    {
                        archive.Review(new ReviewDecision(entry.DocumentId!, ReviewAction.Release, [new ExciseSpan(paragraphs > 1 ? 2 : 1)], "bench: sources"), reviewer);
                        excised++;
                    }
                }
            }
        }
        return (withheld, excised);
    }

    /// <summary>Runs every query as both readers, alternating which goes first, after one unrecorded warm-up round.</summary>
    private static (List<double> Trimmed, List<double> Cleared) Interleaved(List<SearchRequest> requests, int rounds,
        Func<SearchRequest, ReaderIdentity, SearchResults> search, ReaderIdentity trimmed, ReaderIdentity cleared)
    {
        var (t, c) = (new List<double>(), new List<double>());
        for (var round = -1; round < rounds; round++)
        {
            foreach (var (r, i) in requests.Select((r, i) => (r, i)))
            {
                var trimmedFirst = (round + i) % 2 == 0;
                var first = Latency.Time(() => search(r, trimmedFirst ? trimmed : cleared));
                var second = Latency.Time(() => search(r, trimmedFirst ? cleared : trimmed));
                if (round >= 0)
                {
                    t.Add(trimmedFirst ? first : second);
                    c.Add(trimmedFirst ? second : first);
                }
            }
        }
        return (t, c);
    }

    private static double Report(string what, (List<double> Trimmed, List<double> Cleared) times)
    {
        Console.WriteLine(what + ":");
        Console.WriteLine("  trimmed (public)  " + Latency.Summary(times.Trimmed));
        Console.WriteLine("  cleared (TS, all) " + Latency.Summary(times.Cleared));
        var ratio = Latency.Percentile(times.Trimmed, 99) / Latency.Percentile(times.Cleared, 99);
        Console.WriteLine($"  ratio trimmed/cleared: p50 {Latency.Percentile(times.Trimmed, 50) / Latency.Percentile(times.Cleared, 50):F2}, " +
                          $"p95 {Latency.Percentile(times.Trimmed, 95) / Latency.Percentile(times.Cleared, 95):F2}, p99 {ratio:F2}");
        return ratio;
    }
}

/// <summary>The committed query set of the search benchmarks: one query a line, an optional tab + <c>facets</c>.</summary>
internal static class QuerySet
{
    public static IReadOnlyList<(string Text, bool Facets)> Load()
    {
        var path = Find("bench/queries/corpus-queries.txt");
        return File.ReadLines(path)
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0].Trim(), p.Length > 1 && p[1].Trim() == "facets"))
            .ToList();
    }

    /// <summary>A file of the repository, looked for upwards from the working folder and from the program.</summary>
    public static string Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException($"{relative} not found above {Directory.GetCurrentDirectory()}; run from the repository");
    }
}

/// <summary>Milliseconds per call and nearest-rank percentiles.</summary>
internal static class Latency
{
    public static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Summary(IReadOnlyList<double> ms) => string.Create(CultureInfo.InvariantCulture,
        $"n={ms.Count}  p50 {Percentile(ms, 50):F2} ms  p95 {Percentile(ms, 95):F2} ms  p99 {Percentile(ms, 99):F2} ms  max {ms.Max():F2} ms");
}

/// <summary>Command-line options shared by the trim and postgres benchmarks.</summary>
internal static class BenchArgs
{
    /// <summary>The one-minute load average, printed beside every figure (this machine is shared and noisy).</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static readonly string[] WithValue = ["--rounds", "--withheld", "--excised", "--url", "--concurrency", "--documents", "--index-dir", "--queries", "--embedded"];

    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        Value(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Arguments that are neither options nor their values: corpus folders.</summary>
    public static List<string> Positional(string[] args)
    {
        var list = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                i += WithValue.Contains(args[i]) ? 1 : 0;
                continue;
            }
            list.Add(args[i]);
        }
        return list;
    }

    /// <summary>The TEI files of the corpus folders; a missing folder ends the run with a one-line error.</summary>
    public static List<string> CorpusFiles(IEnumerable<string> folders)
    {
        foreach (var f in folders.Where(f => !Directory.Exists(f)))
        {
            Console.Error.WriteLine($"bench: no corpus folder {f}");
            Environment.Exit(2);
        }
        return folders.SelectMany(f => Directory.GetFiles(f, "*.xml")).Order(StringComparer.Ordinal).ToList();
    }
}
