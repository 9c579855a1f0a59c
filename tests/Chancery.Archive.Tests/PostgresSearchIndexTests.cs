using Chancery.Archive.Postgres;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The server archive's local search index (docs/decisions/004-postgres-search.md): PostgreSQL is the truth, and a
/// process's Lucene index catches up with what other processes committed, whatever order their row ids came in,
/// drops what they removed, and is never taken for another archive's. Each archive object below has its own index
/// folder, as processes on different machines would.
/// </summary>
[Collection("postgres")]
public sealed class PostgresSearchIndexTests : IDisposable
{
    private readonly PostgresServer _server;
    private readonly string _url;
    private readonly DirectoryInfo _folders = Directory.CreateTempSubdirectory("chancery-pg-index-");
    private readonly List<IDisposable> _open = [];

    public PostgresSearchIndexTests(PostgresServer server)
    {
        _server = server;
        _url = server.CreateDatabase("index");
    }

    public void Dispose()
    {
        foreach (var archive in _open)
        {
            archive.Dispose();
        }
        try
        {
            _folders.Delete(recursive: true);
        }
        catch (IOException)
        {
            // an index reader still open in this process: the temp folder is the system's to clean
        }
    }

    /// <summary>The archive at <paramref name="url"/> searching with the index in folder <paramref name="name"/>.</summary>
    private PostgresArchive Process(string name, string? url = null)
    {
        var archive = PostgresArchive.Open(url ?? _url, Path.Combine(_folders.FullName, name));
        _open.Add(archive);
        return archive;
    }

    /// <summary>The total, whether the index had every row, and the hits in order (space between them).</summary>
    private static (int Total, bool Complete, string Ids) Find(IArchive archive, string query)
    {
        var results = archive.Search(new SearchRequest(query), ReaderIdentity.Public, "test");
        return (results.Total, results.Complete, string.Join(' ', results.Hits.Select(h => h.Id)));
    }

    [Fact]
    public void A_search_finds_what_another_process_committed_after_its_index_was_built()
    {
        var writer = Process("writer");
        var reader = Process("reader");
        Store(writer, "volA", Make("volA", 1, "Tugs", "Two tugs at Regensburg."));
        Assert.Equal(1, Find(reader, "tugs").Total);
        Store(writer, "volB", Make("volB", 1, "Barges", "Barges and tugs on the Danube."));
        Assert.Equal((2, true, "volA#d1 volB#d1"), Find(reader, "tugs"));
    }

    [Fact]
    public void Rows_committed_after_rows_with_larger_ids_are_found()
    {
        var writer = Process("writer");
        var reader = Process("reader");
        // the first volume takes its row ids (a batch of 256 documents is sent at once) and commits last
        using (var early = writer.BeginVolume("volA"))
        {
            var docs = Enumerable.Range(1, 256).Select(n => Make("volA", n, "Early " + n, "Convoy " + n + " sailed.")).ToList();
            foreach (var d in docs)
            {
                early.Add(d);
            }
            Store(writer, "volB", Make("volB", 1, "Late", "A convoy from Halifax."));
            Assert.Equal(1, Find(reader, "convoy").Total);
            early.Commit(VolumeOf("volA", [.. docs]));
        }
        var found = Find(reader, "convoy");
        Assert.Equal((257, true), (found.Total, found.Complete));
    }

    [Fact]
    public void A_volume_ingested_again_is_found_by_its_new_text_only()
    {
        var writer = Process("writer");
        var reader = Process("reader");
        Store(writer, "volA", Make("volA", 1, "Animals", "A zebra at the embassy."));
        Assert.Equal(1, Find(reader, "zebra").Total);
        Store(writer, "volA", Make("volA", 1, "Animals", "A yak at the embassy."));
        Assert.Equal((0, 1), (Find(reader, "zebra").Total, Find(reader, "yak").Total));
    }

    [Fact]
    public void A_review_that_withholds_a_document_hides_it_from_another_process_at_once()
    {
        var writer = Process("writer");
        var reader = Process("reader");
        Store(writer, "volA", Make("volA", 1, "Cable", "The ambassador met the minister."), Make("volA", 2, "Note", "The minister replied."));
        Assert.Equal(2, Find(reader, "minister").Total);
        writer.Review(new ReviewDecision("volA#d2", ReviewAction.Withhold, [], "sources"), User("rev", ClassificationLevel.TopSecret));
        Assert.Equal("volA#d1", Find(reader, "minister").Ids);
    }

    [Fact]
    public void An_index_folder_holding_another_archive_is_emptied_before_it_is_searched()
    {
        // both databases give their first row id 1: a leftover index would find the other archive's words in row 1
        var first = Process("shared", _server.CreateDatabase("index_first"));
        Store(first, "volA", Make("volA", 1, "Animals", "A zebra at the embassy."));
        Assert.Equal(1, Find(first, "zebra").Total);
        first.Dispose();
        var second = Process("shared");
        Store(second, "volA", Make("volA", 1, "Animals", "A yak at the embassy."));
        Assert.Equal((0, 1), (Find(second, "zebra").Total, Find(second, "yak").Total));
    }

    [Fact]
    public void A_process_without_an_index_builds_it_from_the_database_on_its_first_search()
    {
        var writer = Process("writer");
        Store(writer, "volA", Make("volA", 1, "Tugs", "Two tugs at Regensburg."), Make("volA", 2, "More", "Tugs and barges."));
        var fresh = PostgresArchive.Open(_url, Path.Combine(_folders.FullName, "fresh"));
        _open.Add(fresh);
        Assert.Equal((2, true, "volA#d1 volA#d2"), Find(fresh, "tugs"));
    }

    [Fact]
    public void The_default_index_folder_differs_between_databases()
    {
        using var a = PostgresArchive.Open(_url);
        using var b = PostgresArchive.Open(_server.CreateDatabase("index_other"));
        Assert.NotEqual(PostgresArchive.DefaultIndexFolder(a.Identity()), PostgresArchive.DefaultIndexFolder(b.Identity()));
    }
}
