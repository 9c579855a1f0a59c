using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Export;

namespace Chancery.Archive.Tests;

/// <summary>What a concurrency run did and every inconsistency its readers saw (none when the archive is sound).</summary>
internal sealed record ConcurrencyReport(int Ingests, int FailedIngests, int Upserts, int Reads, IReadOnlyList<string> Problems);

/// <summary>
/// One writer and two readers on one archive for a bounded time, each with its own archive instance (its own
/// connections, as separate processes would have). The writer re-ingests volumes <c>c0</c>–<c>c2</c> in new versions
/// of different sizes, sometimes with an ingest that fails half-way (it must leave the previous version), and adds
/// telegrams one by one to volume <c>grow</c>. The readers check that every read is whole: a volume is seen with all
/// the documents of one version or not at all (list, contents, search with its count and facets), a document's
/// content is exactly the one written for its version (content hash), and <c>grow</c> never loses or repeats a
/// document. Shared by the tests (ConcurrencyTests, seconds) and the benchmark driver (postgres --concurrency 60).
/// </summary>
internal static class ConcurrencyWorkload
{
    private const int Volumes = 3;
    private const string Grow = "grow";

    /// <summary>Documents in version <paramref name="version"/> of volume c<paramref name="volume"/>: 5 to 44, changing with each version.</summary>
    public static int Count(int volume, int version) => 5 + (volume * 17 + version * 23) % 40;

    public static ConcurrencyReport Run(Func<IArchive> open, TimeSpan duration)
    {
        var problems = new List<string>();
        void Problem(string p)
        {
            lock (problems)
            {
                if (problems.Count < 50)
                {
                    problems.Add(p);
                }
            }
        }

        using var writer = open();
        var versions = new int[Volumes];
        for (var k = 0; k < Volumes; k++)
        {
            Ingest(writer, k, 0);
        }
        var grown = 0;
        var latestStarted = new int[Volumes]; // the highest version any ingest of the volume began: no reader may see a later one
        var done = 0;
        var reads = 0;
        var readers = Enumerable.Range(0, 2).Select(n => Task.Run(() =>
        {
            using var archive = open();
            var random = new Random(n + 1);
            var lastGrow = 0;
            while (Volatile.Read(ref done) == 0)
            {
                try
                {
                    var k = random.Next(Volumes);
                    // read after the archive call: a version committed while the call ran may show
                    int highest() => Volatile.Read(ref latestStarted[k]);
                    switch (random.Next(5))
                    {
                        case 0:
                            CheckList(archive, Problem);
                            break;
                        case 1:
                            CheckSearch(archive, k, highest, Problem);
                            break;
                        case 2:
                            CheckContents(archive, k, highest, Problem);
                            break;
                        case 3:
                            CheckDocument(archive, k, random.Next(1, 45), highest, Problem);
                            break;
                        default:
                            lastGrow = CheckGrow(archive, lastGrow, Problem);
                            break;
                    }
                    Interlocked.Increment(ref reads);
                }
                catch (Exception e) when (e is ArchiveException or System.Data.Common.DbException or InvalidOperationException)
                {
                    Problem($"reader {n}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToList();

        var ingests = 0;
        var failed = 0;
        var deadline = DateTime.UtcNow + duration;
        try
        {
            for (var i = 0; DateTime.UtcNow < deadline; i++)
            {
                var k = i % Volumes;
                if (i % 5 == 4)
                {
                    // an ingest that dies half-way: nothing of it may show, the previous version stays
                    Volatile.Write(ref latestStarted[k], versions[k] + 1);
                    try
                    {
                        writer.IngestVolume(FailingHalfWay(k, versions[k] + 1), () => VolumeOf(k, versions[k] + 1));
                        Problem($"c{k}: the failing ingest did not fail");
                    }
                    catch (IOException)
                    {
                        failed++;
                    }
                    Volatile.Write(ref latestStarted[k], versions[k]);
                }
                else
                {
                    var v = versions[k] + 1;
                    Volatile.Write(ref latestStarted[k], v);
                    Ingest(writer, k, v);
                    versions[k] = v;
                    ingests++;
                }
                if (i % 2 == 1)
                {
                    grown++;
                    writer.UpsertDocuments(GrowVolume(), [Telegram(grown)]);
                }
            }
        }
        finally
        {
            Volatile.Write(ref done, 1);
            Task.WaitAll([.. readers]);
        }

        // afterwards: every volume holds its last committed version whole; grow holds every telegram once
        using (var archive = open())
        {
            var counts = archive.ListVolumes(ReaderIdentity.Public).ToDictionary(v => v.Id, v => v.DocumentCount);
            for (var k = 0; k < Volumes; k++)
            {
                if (counts.GetValueOrDefault("c" + k) != Count(k, versions[k]))
                {
                    Problem($"c{k} ends with {counts.GetValueOrDefault("c" + k)} documents, its last version {versions[k]} has {Count(k, versions[k])}");
                }
                var last = versions[k];
                CheckSearch(archive, k, () => last, Problem, exactVersion: last);
            }
            if (grown > 0 && counts.GetValueOrDefault(Grow) != grown)
            {
                Problem($"grow ends with {counts.GetValueOrDefault(Grow)} documents, {grown} were added");
            }
            CheckGrow(archive, grown, Problem);
            var check = archive.Check();
            if (!check.Ok)
            {
                Problem("check: " + string.Join("; ", check.Problems));
            }
        }
        return new ConcurrencyReport(ingests, failed, grown, reads, problems);
    }

    // ---- what the readers check ---------------------------------------------------------------------------------

    private static void CheckList(IArchive archive, Action<string> problem)
    {
        foreach (var v in archive.ListVolumes(ReaderIdentity.Public).Where(v => v.Id.StartsWith('c')))
        {
            var k = int.Parse(v.Id[1..], CultureInfo.InvariantCulture);
            // a count no whole version has is a half-written volume (counts repeat every 40 versions)
            if (!Enumerable.Range(0, 40).Any(n => Count(k, n) == v.DocumentCount))
            {
                problem($"volumes: c{k} lists {v.DocumentCount} documents, which no version has");
            }
        }
    }

    private static void CheckSearch(IArchive archive, int k, Func<int> highest, Action<string> problem, int? exactVersion = null)
    {
        var results = archive.Search(new SearchRequest($"volume:c{k}", SearchSort.DateAscending, PageSize: 1000, Facets: true), ReaderIdentity.Public, "test");
        var version = SameVersion(results.Hits.Select(h => h.Title), $"search c{k}", problem);
        if (version is null)
        {
            return;
        }
        var expected = Count(k, version.Value);
        var ids = results.Hits.Select(h => h.Id).ToList();
        if (results.Total != expected || ids.Count != expected || ids.Distinct().Count() != expected)
        {
            problem($"search c{k}: version {version} has {expected} documents; total {results.Total}, {ids.Count} hits, {ids.Distinct().Count()} distinct");
        }
        var facet = results.Facets["volume"].SingleOrDefault();
        if (facet != new FacetValue($"c{k}", results.Total))
        {
            problem($"search c{k}: volume facet {facet}, total {results.Total}");
        }
        if (version > highest() || (exactVersion is { } exact && version != exact))
        {
            problem($"search c{k}: version {version} seen, the writer had begun only up to {highest()}");
        }
    }

    private static void CheckContents(IArchive archive, int k, Func<int> highest, Action<string> problem)
    {
        var volume = archive.GetVolume($"c{k}", ReaderIdentity.Public);
        if (volume is null)
        {
            problem($"contents c{k}: the volume is missing");
            return;
        }
        var entries = volume.Contents.Where(e => e.DocumentId is not null).ToList();
        var version = SameVersion(entries.Select(e => e.Title), $"contents c{k}", problem);
        if (version is { } v && (entries.Count != Count(k, v) || entries.Select(e => e.DocumentId).Distinct().Count() != entries.Count || v > highest()))
        {
            problem($"contents c{k}: version {v} has {Count(k, v)} documents; {entries.Count} listed");
        }
    }

    private static void CheckDocument(IArchive archive, int k, int n, Func<int> highest, Action<string> problem)
    {
        var view = archive.GetDocument($"c{k}#d{n}", ReaderIdentity.Public, "test");
        if (view is null)
        {
            return; // this version may have fewer documents
        }
        var version = VersionOf(view.Document.Title);
        if (version is null || version > highest() || n > Count(k, version.Value))
        {
            problem($"document c{k}#d{n}: title {view.Document.Title} belongs to no written version");
            return;
        }
        if (Hash(view.Document) != Hash(Document(k, version.Value, n)))
        {
            problem($"document c{k}#d{n}: content hash differs from what version {version} wrote");
        }
    }

    /// <summary>Grow's telegrams are numbered 1, 2, 3 … as they were added: any read must show 1 to N, no gap, no repeat.</summary>
    private static int CheckGrow(IArchive archive, int lastSeen, Action<string> problem)
    {
        var results = archive.Search(new SearchRequest($"volume:{Grow}", SearchSort.DateAscending, PageSize: 1000), ReaderIdentity.Public, "test");
        var numbers = results.Hits.Select(h => int.Parse(h.Number!, CultureInfo.InvariantCulture)).Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)) || results.Total != numbers.Count)
        {
            problem($"grow: total {results.Total}, numbers {string.Join(",", numbers)}: a telegram was lost or repeated");
        }
        if (results.Total < lastSeen && results.Total < 1000)
        {
            problem($"grow: {results.Total} telegrams after {lastSeen} were seen: a telegram was lost");
        }
        return Math.Max(lastSeen, results.Total);
    }

    private static int? SameVersion(IEnumerable<string> titles, string what, Action<string> problem)
    {
        var versions = titles.Select(VersionOf).Distinct().ToList();
        if (versions.Count == 1 && versions[0] is not null)
        {
            return versions[0];
        }
        problem($"{what}: {(versions.Count == 0 ? "no documents" : "versions " + string.Join(",", versions))} in one read");
        return null;
    }

    // ---- what the writer writes ---------------------------------------------------------------------------------

    private static int? VersionOf(string title) =>
        title.Split(' ') is [_, var v, _] && v.StartsWith('v') && int.TryParse(v[1..], CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Hash(Document d) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DocumentJson.Serialize(d with { Release = ReleaseState.Released }, indented: false))));

    public static Document Document(int k, int version, int n) => new()
    {
        Id = DocumentIds.Make($"c{k}", "d" + n),
        Volume = $"c{k}",
        Number = n.ToString(CultureInfo.InvariantCulture),
        Type = "Telegram",
        Title = $"c{k} v{version} n{n}",
        From = "The Ambassador in the Soviet Union (Harriman)",
        To = "the Secretary of State",
        Date = DocumentDate.FromIso($"1945-{1 + n % 12:00}-{1 + n % 28:00}", DateSource.Dateline),
        Body = [new Paragraph([new TextRun($"Volume c{k}, version {version}, document {n}.")]), new Paragraph([new TextRun($"Marker word{version % 13} and more text.")])],
        SourceSha256 = "concurrency",
    };

    private static IEnumerable<Document> Documents(int k, int version) => Enumerable.Range(1, Count(k, version)).Select(n => Document(k, version, n));

    private static IEnumerable<Document> FailingHalfWay(int k, int version)
    {
        foreach (var d in Documents(k, version).Take(Count(k, version) / 2))
        {
            yield return d;
        }
        throw new IOException("the source broke off half-way");
    }

    private static Volume VolumeOf(int k, int version) => new()
    {
        Id = $"c{k}",
        Title = $"Concurrency volume c{k}",
        SourceKind = "tei",
        SourceSha256 = "concurrency",
        Contents = Documents(k, version).Select(d => new TocEntry(1, "document", d.LocalId, d.Number, d.Title, d.Id, d.Date?.From)).ToList(),
    };

    private static void Ingest(IArchive archive, int k, int version) => archive.IngestVolume(Documents(k, version), () => VolumeOf(k, version));

    private static Volume GrowVolume() => new() { Id = Grow, Title = "Telegrams added one by one", SourceKind = "telegram", SourceSha256 = "concurrency" };

    private static Document Telegram(int n) => new()
    {
        Id = DocumentIds.Make(Grow, "d" + n),
        Volume = Grow,
        Number = n.ToString(CultureInfo.InvariantCulture),
        Type = "Telegram",
        Title = $"Telegram {n}",
        Date = DocumentDate.FromIso($"1946-{1 + n % 12:00}-{1 + n % 28:00}", DateSource.Dateline),
        Body = [new Paragraph([new TextRun($"Telegram number {n}.")])],
        SourceSha256 = "concurrency",
    };
}
