using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// Texts at the edges of what the server archive's index stores (words thousands of times over, phrases that
/// overlap themselves, combining accents, a word longer than PostgreSQL takes into a tsvector, literal «» in the
/// text) answer exactly as the embedded archive answers them.
/// </summary>
[Collection("postgres")]
public sealed class PostgresSearchEdgeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-edge-");
    private readonly SqliteArchive _sqlite;
    private readonly PostgresArchive _postgres;

    public PostgresSearchEdgeTests(PostgresServer server)
    {
        _sqlite = SqliteArchive.Open(_folder.FullName);
        _postgres = PostgresArchive.Open(server.CreateDatabase("edge"));
        Document[] docs =
        [
            // 5000 and 2500 occurrences: counts above what one tsvector position can carry
            Make("volE", 1, "Soviet notes", string.Join(' ', Enumerable.Repeat("Soviet note.", 2500)), string.Join(' ', Enumerable.Repeat("soviet", 2500))) with
            {
                Footnotes = [new Footnote("1", [new TextRun(string.Join(' ', Enumerable.Repeat("Soviet", 2500)))])],
            },
            Make("volE", 2, "Tom and Jerry", "tom jerry tom jerry tom jerry tom", "the Soviet tom"),
            Make("volE", 3, "Attache\u0301 « quoted » title", "The attaché said «non» to the Soviet proposal.", "Cafe\u0301 society."),
            Make("volE", 4, "A long word", new string('x', 3000) + " Soviet " + new string('y', 700)),
            Make("volE", 5, "Short", "Soviet."),
            Make("volE", 6, "Jerry alone", "jerry tom tom jerry"),
        ];
        Store(_sqlite, "volE", docs);
        Store(_postgres, "volE", docs);
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _postgres.Dispose();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [InlineData("Soviet")]
    [InlineData("soviet note")]
    [InlineData("\"soviet note\"")]
    [InlineData("\"tom jerry tom\"")]
    [InlineData("\"tom jerry\" OR \"jerry tom\"")]
    [InlineData("\"tom je\"*")]
    [InlineData("attache")]
    [InlineData("café")]
    [InlineData("non")]
    [InlineData("title:attache")]
    [InlineData("title:quot*")]
    [InlineData("tom -jerry")]
    [InlineData("Soviet NOT title:short")]
    public void Both_stores_answer_alike(string query)
    {
        foreach (var reader in new[] { ReaderIdentity.Public, ReaderIdentity.System })
        {
            var request = new SearchRequest(query, Facets: true);
            var expected = _sqlite.Search(request, reader, "test");
            var actual = _postgres.Search(request, reader, "test");
            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.Hits, actual.Hits);
            foreach (var (facet, values) in expected.Facets)
            {
                Assert.Equal(values, actual.Facets[facet]);
            }
        }
    }

    [Fact]
    public void Telegrams_added_and_replaced_one_by_one_are_found_as_in_the_embedded_archive()
    {
        var volume = VolumeOf("volT") with { SourceKind = "telegram" };
        foreach (var archive in new IArchive[] { _sqlite, _postgres })
        {
            archive.UpsertDocuments(volume, [Make("volT", 1, "Telegram 1", "Soviet tanks at the border."), Make("volT", 2, "Telegram 2", "Quiet day.")]);
            archive.UpsertDocuments(volume, [Make("volT", 1, "Telegram 1 corrected", "Soviet trucks at the border.")]);
            archive.UpsertDocuments(volume, [Make("volT", 3, "Telegram 3", "Tanks withdrawn; Soviet note follows.")]);
        }
        foreach (var query in new[] { "tanks", "trucks", "Soviet", "\"at the border\"", "volume:volT" })
        {
            var request = new SearchRequest(query, Facets: true);
            var expected = _sqlite.Search(request, ReaderIdentity.Public, "test");
            var actual = _postgres.Search(request, ReaderIdentity.Public, "test");
            Assert.Equal((query, expected.Total), (query, actual.Total));
            Assert.Equal(expected.Hits, actual.Hits);
        }
        // the corrected telegram no longer says "tanks": its old words left the index with it
        Assert.Equal(["volT#d3"], _postgres.Search(new SearchRequest("tanks"), ReaderIdentity.Public, "test").Hits.Select(h => h.Id));
        var report = _postgres.Check();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
    }

    [Fact]
    public void Phrases_of_common_words_matched_on_their_pairs_answer_as_in_the_embedded_archive()
    {
        var volume = VolumeOf("volP");
        Document[] docs =
        [
            Make("volP", 1, "The Secretary of State", "The Secretary of State of the United States said of the State of the Union.", "Secretary of the State."),
            Make("volP", 2, "State Secretary", "The State Secretary of Defense spoke of State; the secretary of state said so twice: secretary of state."),
            Make("volP", 3, "Of the of the", "of the of the of the United Nations Security Council"),
        ];
        foreach (var archive in new IArchive[] { _sqlite, _postgres })
        {
            archive.UpsertDocuments(volume, docs);
        }
        foreach (var query in new[] { "\"secretary of state\"", "\"of the\"", "\"of the of the\"", "\"of the united\"", "\"the secretary of sta\"*", "\"of the\"*", "secretar*", "stat*",
            "title:\"secretary of state\"", "\"united nations security council\"", "\"state of the union\" OR \"of defense\"" })
        {
            var request = new SearchRequest(query);
            var expected = _sqlite.Search(request, ReaderIdentity.Public, "test");
            var actual = _postgres.Search(request, ReaderIdentity.Public, "test");
            Assert.Equal((query, expected.Total), (query, actual.Total));
            Assert.Equal(expected.Hits, actual.Hits);
        }
    }

    [Fact]
    public void Word_counts_beyond_one_position_score_as_in_the_embedded_archive()
    {
        var hit = _postgres.Search(new SearchRequest("soviet"), ReaderIdentity.Public, "test").Hits[0];
        Assert.Equal(("volE#d1", _sqlite.Search(new SearchRequest("soviet"), ReaderIdentity.Public, "test").Hits[0].Score), (hit.Id, hit.Score));
    }
}
