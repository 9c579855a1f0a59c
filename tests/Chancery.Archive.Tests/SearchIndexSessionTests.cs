using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.Data.Sqlite;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// An ingest run writes the full-text index on its own thread with one writer for all its volumes
/// (<see cref="IndexSession"/>): what it commits is exactly what the database committed, also when a volume in the
/// middle of the run fails and the next volume is given the failed one's row ids.
/// </summary>
public sealed class SearchIndexSessionTests() : ArchiveFolderTests("chancery-session-test-")
{

    private static IEnumerable<Document> FailingAfter(params Document[] docs)
    {
        foreach (var d in docs)
        {
            yield return d;
        }
        throw new InvalidOperationException("the source broke off");
    }

    /// <summary>
    /// A run of three volumes whose second fails after 100 documents (more than are handed to the index thread at once),
    /// ended by disposing the archive: the third volume's one row is given the first of the failed volume's ids, and
    /// the others are never given again.
    /// </summary>
    private void RunWithFailedVolume()
    {
        using var archive = SqliteArchive.Open(Folder);
        Store(archive, "volA", Make("volA", 1, "Dairen", "Soviet forces will enter Dairen."));
        Assert.Throws<InvalidOperationException>(() => archive.IngestVolume(
            FailingAfter([.. Enumerable.Range(1, 100).Select(n => Make("volB", n, "Uranium", "The uranium shipment leaves Tsingtao."))]),
            () => VolumeOf("volB")));
        Store(archive, "volC", Make("volC", 1, "Harbour", "The harbour froze."));
    }

    private long[] DatabaseRows()
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(Folder, "archive.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM search_rows ORDER BY id";
        using var r = cmd.ExecuteReader();
        var rows = new List<long>();
        while (r.Read())
        {
            rows.Add(r.GetInt64(0));
        }
        return [.. rows];
    }

    private long[] IndexRows()
    {
        using var directory = FSDirectory.Open(LuceneSearchIndex.FolderOf(Folder));
        using var reader = DirectoryReader.Open(directory);
        var rows = new List<long>();
        foreach (var leaf in reader.Leaves)
        {
            var ids = leaf.AtomicReader.GetNumericDocValues("row");
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                {
                    rows.Add(ids.Get(doc));
                }
            }
        }
        return [.. rows.Order()];
    }

    [Fact]
    public void After_a_run_with_a_failed_volume_the_index_holds_exactly_the_rows_of_the_database()
    {
        RunWithFailedVolume();
        LuceneSearchIndex.Forget(Folder);
        Assert.Equal(DatabaseRows(), IndexRows());
    }

    [Fact]
    public void The_rows_of_a_failed_volume_are_never_found_though_their_ids_were_given_again()
    {
        RunWithFailedVolume();
        using var archive = SqliteArchive.Open(Folder);
        string Ids(string q) => string.Join(' ', archive.Search(new SearchRequest(q, SearchSort.DateAscending), ReaderIdentity.Public, "test").Hits.Select(h => h.Id));
        Assert.Equal(("", "volC#d1"), (Ids("uranium"), Ids("harbour")));
    }

    [Fact]
    public void A_search_right_after_an_ingest_in_the_same_process_is_complete()
    {
        using var archive = SqliteArchive.Open(Folder);
        Store(archive, "volA", Make("volA", 1, "Dairen", "Soviet forces will enter Dairen."), Make("volA", 2, "Port Arthur", "Port Arthur and Dairen."));
        var results = archive.Search(new SearchRequest("Dairen"), ReaderIdentity.Public, "test");
        Assert.Equal((2, true), (results.Total, results.Complete));
    }
}
