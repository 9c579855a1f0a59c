using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Archive.Tests;

/// <summary>
/// The two stores answer every query alike: the six corpus volumes are ingested into an embedded and a server archive
/// once, and each query of the benchmark set (plus some edge cases) must give the same total, the same hits in the
/// same order with the same snippets and scores, the same facets and the same undated count, for the public and for
/// a cleared reader.
/// </summary>
[Collection("postgres")]
public sealed class PostgresSearchParityTests(PostgresServer server)
{
    private static readonly object Gate = new();
    private static (SqliteArchive Sqlite, PostgresArchive Postgres)? _stores;

    /// <summary>Both archives with the six corpus volumes, built once per test run.</summary>
    private (SqliteArchive Sqlite, PostgresArchive Postgres) Stores()
    {
        lock (Gate)
        {
            if (_stores is { } built)
            {
                return built;
            }
            var folder = Directory.CreateTempSubdirectory("chancery-parity-").FullName;
            var sqlite = SqliteArchive.Open(folder);
            var postgres = PostgresArchive.Open(server.CreateDatabase("parity"));
            foreach (var file in Directory.GetFiles(CorpusFolder, "*.xml").Order(StringComparer.Ordinal))
            {
                foreach (IArchive archive in new IArchive[] { sqlite, postgres })
                {
                    using var reader = TeiVolumeReader.Open(file);
                    archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
                }
            }
            // reviews give some documents two search rows (released text and original) and withhold others
            var reviewer = new UserAccount("reviewer", ClassificationLevel.TopSecret, ["*"], DateTimeOffset.UnixEpoch);
            var cut = postgres.GetVolume("frus1948v05p1", ReaderIdentity.System)!.Contents
                .Where(e => e.DocumentId is not null).Select(e => e.DocumentId!)
                .Select(id => postgres.GetDocument(id, ReaderIdentity.System, "test")!.Document)
                .Where(d => d.Body.OfType<Paragraph>().Count() >= 3).Take(4).ToList();
            ReviewDecision[] decisions =
            [
                new(cut[0].Id, ReviewAction.Release, [new ExciseSpan(2)], "sources"),
                new(cut[1].Id, ReviewAction.Release, [new ExciseSpan(1, 0, 20), new ExciseSpan(3)], "names"),
                new(cut[2].Id, ReviewAction.Withhold, [], "second thoughts"),
                new(cut[3].Id, ReviewAction.Release, [new ExciseSpan(2)], "sources"),
            ];
            foreach (var archive in new IArchive[] { sqlite, postgres })
            {
                foreach (var decision in decisions)
                {
                    _ = archive.Review(decision, reviewer) ?? throw new InvalidOperationException($"review of {decision.DocumentId} refused");
                }
            }
            _stores = (sqlite, postgres);
            return _stores.Value;
        }
    }

    private static string CorpusFolder
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "shared", "corpus", "frus");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException("cannot find shared/corpus/frus above " + AppContext.BaseDirectory);
        }
    }

    private static string RepoFile(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Chancery.slnx")))
            {
                return Path.Combine(d.FullName, relative);
            }
        }
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    /// <summary>The benchmark query set (bench/queries/corpus-queries.txt) and cases it leaves out.</summary>
    public static IEnumerable<object[]> Queries()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(RepoFile("bench/queries/corpus-queries.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var query = line.Split('\t')[0];
            if (seen.Add(query))
            {
                yield return [query];
            }
        }
        foreach (var extra in (string[])[
            "title:\"Foreign Relations\"", "\"Soviet Un\"*", "\"the secretary\"", "of the", "Soviet OR volume:frus1894Nicaragua",
            "-Soviet", "NOT from:Harriman embassy", "(Moscow date:1945) OR Managua", "title:memo* Soviet", "Attaché",
            "\"not declassified\" OR \"top secret\"", "date:none OR Stalin", "person:\"Stalin, Joseph V.\"",
            "declassified", "paragraph lines", "volume:frus1948v05p1 Iran", "volume:frus1948v05p1",
            "Dhahran", "file:890F", "file:\"890F.7962\"",
        ])
        {
            if (seen.Add(extra))
            {
                yield return [extra];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Both_stores_answer_a_query_alike(string query)
    {
        var (sqlite, postgres) = Stores();
        var problems = new List<string>();
        foreach (var reader in new[] { ReaderIdentity.Public, ReaderIdentity.System })
        {
            foreach (var sort in Enum.GetValues<SearchSort>())
            {
                var request = new SearchRequest(query, sort, Page: 1, PageSize: 10, Facets: sort == SearchSort.Relevance);
                Compare($"{reader.Name} {sort}", sqlite.Search(request, reader, "test"), postgres.Search(request, reader, "test"), problems);
            }
            var later = new SearchRequest(query, SearchSort.Relevance, Page: 3, PageSize: 7);
            Compare($"{reader.Name} page 3", sqlite.Search(later, reader, "test"), postgres.Search(later, reader, "test"), problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Compare(string what, SearchResults expected, SearchResults actual, List<string> problems)
    {
        if (expected.Total != actual.Total)
        {
            problems.Add($"{what}: total {actual.Total}, SQLite {expected.Total}");
        }
        if (expected.Undated != actual.Undated)
        {
            problems.Add($"{what}: undated {actual.Undated}, SQLite {expected.Undated}");
        }
        var ids = actual.Hits.Select(h => h.Id).ToList();
        var expectedIds = expected.Hits.Select(h => h.Id).ToList();
        if (!ids.SequenceEqual(expectedIds))
        {
            problems.Add($"{what}: hits {string.Join(",", ids)}; SQLite {string.Join(",", expectedIds)}");
        }
        else
        {
            for (var i = 0; i < ids.Count; i++)
            {
                if (expected.Hits[i] != actual.Hits[i])
                {
                    problems.Add($"{what}: hit {i + 1} differs:\n  pg     {actual.Hits[i]}\n  sqlite {expected.Hits[i]}");
                }
            }
        }
        foreach (var (facet, values) in expected.Facets)
        {
            if (!actual.Facets.TryGetValue(facet, out var got) || !got.SequenceEqual(values))
            {
                problems.Add($"{what}: facet {facet}: {string.Join(", ", got ?? [])}; SQLite {string.Join(", ", values)}");
            }
        }
        if (actual.Facets.Count != expected.Facets.Count)
        {
            problems.Add($"{what}: {actual.Facets.Count} facets, SQLite {expected.Facets.Count}");
        }
    }
}
