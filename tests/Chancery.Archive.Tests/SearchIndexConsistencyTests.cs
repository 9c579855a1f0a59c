using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Data.Sqlite;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The embedded archive's full-text index (Lucene, beside the database) against the database, which stays the truth:
/// an index that is missing, from before a review, or held by another writer never changes who finds what; a
/// missing or old-format index is rebuilt from the stored documents.
/// </summary>
public sealed class SearchIndexConsistencyTests() : ArchiveFolderTests("chancery-index-test-")
{
    private static readonly UserAccount Reviewer = User("reviewer", ClassificationLevel.TopSecret, "*");

    private string IndexFolder => Path.Combine(Folder, "search");

    private static string[] Ids(SqliteArchive archive, string query, ReaderIdentity? reader = null) =>
        archive.Search(new SearchRequest(query, SearchSort.DateAscending), reader ?? ReaderIdentity.Public, "test").Hits.Select(h => h.Id).ToArray();

    private void StoreTwo()
    {
        using var archive = SqliteArchive.Open(Folder);
        Store(archive, "volA",
            Make("volA", 1, "Dairen", "Soviet forces will enter Dairen.", "The uranium shipment leaves Tsingtao.", "Other matters."),
            Make("volA", 2, "Port Arthur", "Port Arthur and Dairen were discussed."));
    }

    /// <summary>Drops the archive's open index reader and deletes the index folder, as a restore of the database alone leaves it.</summary>
    private void DeleteIndex()
    {
        LuceneSearchIndex.Forget(Folder);
        System.IO.Directory.Delete(IndexFolder, recursive: true);
    }

    [Fact]
    public void A_database_without_its_index_is_searchable_again()
    {
        StoreTwo();
        DeleteIndex();
        using var archive = SqliteArchive.Open(Folder);
        Assert.Equal(["volA#d1", "volA#d2"], Ids(archive, "Dairen"));
    }

    [Fact]
    public void An_archive_from_before_the_index_loses_its_fts5_table_and_is_searchable()
    {
        StoreTwo();
        DeleteIndex();
        using (var c = new SqliteConnection($"Data Source={Path.Combine(Folder, "archive.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE VIRTUAL TABLE search_text USING fts5(title, sender, recipient, body, footnotes)";
            cmd.ExecuteNonQuery();
        }
        using var archive = SqliteArchive.Open(Folder);
        using (var c = archive.Connect())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'search_text'";
            Assert.Equal(0L, cmd.ExecuteScalar());
        }
        Assert.Equal(["volA#d1"], Ids(archive, "uranium"));
    }

    [Fact]
    public void Excised_text_is_never_found_through_an_index_from_before_the_review()
    {
        StoreTwo();
        // the index as it was before the review, kept aside
        var before = Path.Combine(Folder, "search-before");
        LuceneSearchIndex.Forget(Folder);
        CopyFolder(IndexFolder, before);
        using (var archive = SqliteArchive.Open(Folder))
        {
            Assert.NotNull(archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [new ExciseSpan(2)], "sources"), Reviewer));
        }
        // the old index comes back, and another writer holds it: the search cannot catch it up
        DeleteIndex();
        CopyFolder(before, IndexFolder);
        using var held = HoldIndex();
        using var reopened = SqliteArchive.Open(Folder);
        var results = reopened.Search(new SearchRequest("uranium", Facets: true), ReaderIdentity.Public, "test");
        Assert.Equal((0, 0), (results.Total, results.Facets[SearchFacets.Volume].Count));
    }

    [Fact]
    public void A_withheld_document_is_never_found_through_an_index_from_before_the_review()
    {
        StoreTwo();
        var before = Path.Combine(Folder, "search-before");
        LuceneSearchIndex.Forget(Folder);
        CopyFolder(IndexFolder, before);
        using (var archive = SqliteArchive.Open(Folder))
        {
            Assert.NotNull(archive.Review(new ReviewDecision("volA#d2", ReviewAction.Withhold, [], "second thoughts"), Reviewer));
        }
        DeleteIndex();
        CopyFolder(before, IndexFolder);
        using var held = HoldIndex();
        using var reopened = SqliteArchive.Open(Folder);
        Assert.Equal(["volA#d1"], Ids(reopened, "Dairen"));
    }

    [Fact]
    public void The_cut_text_is_found_by_cleared_readers_once_the_index_catches_up()
    {
        StoreTwo();
        using var archive = SqliteArchive.Open(Folder);
        Assert.NotNull(archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [new ExciseSpan(2)], "sources"), Reviewer));
        Assert.Equal(("", "volA#d1"), (string.Join(' ', Ids(archive, "uranium")), string.Join(' ', Ids(archive, "uranium", Reviewer.Identity))));
    }

    [Fact]
    public void A_reingested_volume_is_searched_as_its_new_text()
    {
        StoreTwo();
        using var archive = SqliteArchive.Open(Folder);
        Store(archive, "volA", Make("volA", 1, "Dairen", "Nothing about the port."));
        Assert.Equal(("", "volA#d1"), (string.Join(' ', Ids(archive, "forces")), string.Join(' ', Ids(archive, "port"))));
    }

    [Fact]
    public void An_index_with_missing_files_is_rebuilt_from_the_database()
    {
        StoreTwo();
        LuceneSearchIndex.Forget(Folder);
        // what two writers in two processes once left behind: a commit naming segment files that are gone
        foreach (var file in System.IO.Directory.GetFiles(IndexFolder, "*.si"))
        {
            File.Delete(file);
        }
        using var archive = SqliteArchive.Open(Folder);
        Assert.Equal(["volA#d1", "volA#d2"], Ids(archive, "Dairen"));
    }

    [Fact]
    public void A_search_while_another_process_writes_the_index_says_it_is_incomplete_and_the_next_one_is_whole()
    {
        StoreTwo();
        DeleteIndex();
        using var archive = SqliteArchive.Open(Folder);
        SearchResults during;
        using (HoldGuard())
        {
            during = archive.Search(new SearchRequest("Dairen"), ReaderIdentity.Public, "test");
        }
        var after = archive.Search(new SearchRequest("Dairen"), ReaderIdentity.Public, "test");
        Assert.Equal((0, false, 2, true), (during.Total, during.Complete, after.Total, after.Complete));
    }

    /// <summary>Holds the index's write guard as a writer in another process does (an exclusive open: flock on Linux).</summary>
    private FileStream HoldGuard()
    {
        System.IO.Directory.CreateDirectory(IndexFolder);
        return new FileStream(Path.Combine(IndexFolder, "write.guard"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>Takes the index's write lock as another process would, until disposed.</summary>
    private IndexWriter HoldIndex() =>
        new(FSDirectory.Open(IndexFolder), new IndexWriterConfig(LuceneVersion.LUCENE_48, LuceneSearchIndex.NewAnalyzer()));

    private static void CopyFolder(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != "write.lock")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }
}
