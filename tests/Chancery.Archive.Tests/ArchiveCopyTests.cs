using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Documents;
using Chancery.Core.People;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// Moving a whole archive between the embedded and the server store (<c>chancery copy</c>): embedded → PostgreSQL →
/// embedded keeps every kept table row for row (documents by the SHA-256 of their stored JSON, the audit trail by its
/// chain head), answers a fixed query the same, refuses a destination that holds anything, and leaves no destination
/// when the verification fails.
/// </summary>
[Collection("postgres")]
public sealed class ArchiveCopyTests : IDisposable
{
    private static readonly Official Smith = new("smith-john", "Smith", "John", [], "1900", "1970",
        [new OfficialPost("gb-1945-smit-01", "Minister", "Minister", "the United Kingdom", "united-kingdom", "1945-01-01", "1945-02-01", "1946-01-01", null)]);

    private static readonly UserAccount Reviewer = User("rev", ClassificationLevel.TopSecret, "NODIS") with { PasswordHash = "AQAAAAIAAYagAAAAEHashAsStored" };

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-copy-");
    private readonly PostgresServer _server;

    public ArchiveCopyTests(PostgresServer server)
    {
        _server = server;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        SetReadOnly(_folder.FullName, readOnly: false);
        _folder.Delete(recursive: true);
    }

    private string Folder(string name) => Path.Combine(_folder.FullName, name);

    // two volumes (the second citing two documents of the first, one of which it lacks), one document withheld and one released with an excision by a review, two users (one with a
    // password hash) and a token, officials and an editor's merge, and the seven audit lines all of that wrote (two users
    // added, a token issued, two reviews, the merge, the reviewer's read of the withheld original)
    private SqliteArchive Source()
    {
        var archive = SqliteArchive.Open(Folder("source"));
        Document[] a =
        [
            Make("volA", 1, "Danube shipping", "The Danube barges are held at Linz.", "Smith spoke of the barges.") with { Persons = [new PersonRef("p_SJ1", "Smith")] },
            Withheld(Make("volA", 2, "Danube tugs", "Two tugs at Regensburg.", "The second paragraph is cut."), ClassificationLevel.Secret, "NODIS"),
            Withheld(Make("volA", 3, "Danube control", "A commission for the Danube."), ClassificationLevel.TopSecret),
        ];
        // one reference that resolves and one to a document volume A does not have, for the links a copy compares
        Document[] b =
        [
            Make("volB", 1, "Rhine shipping", "Smith replied about the Danube and the Rhine.") with
            {
                Persons = [new PersonRef("p_SJ2", "Smith")],
                References = [new Reference(ReferenceKind.Document, "volA#d1", "Document 1", "body"), new Reference(ReferenceKind.Document, "volA#d9", "Document 9", "footnote 1")],
            },
        ];
        archive.IngestVolume(a, () => VolumeOf("volA", a) with { Persons = [new("p_SJ1", "Smith, J.", "British Minister of Food")] });
        archive.IngestVolume(b, () => VolumeOf("volB", b) with { Persons = [new("p_SJ2", "Smith, John", "Governor of Texas")] });
        archive.AddUser(Reviewer);
        archive.AddUser(User("ann", ClassificationLevel.Confidential));
        archive.IssueToken("ann");
        archive.Review(new ReviewDecision("volA#d2", ReviewAction.Release, [new ExciseSpan(2)], "declassified but the second paragraph"), Reviewer);
        archive.Review(new ReviewDecision("volA#d3", ReviewAction.Withhold, [], "still sensitive"), Reviewer);
        archive.ImportOfficials([Smith]);
        archive.MergePersons("volA#p_SJ1", "volB#p_SJ2", "ada", "the Minister of Food is the same man");
        archive.GetDocument("volA#d3", Reviewer.Identity, "test");
        return archive;
    }

    private static IReadOnlyList<CopyCheck> CopyToPostgres(IArchiveCopy from, PostgresArchive to)
    {
        using var snapshot = from.OpenSnapshot();
        return to.CopyFrom(snapshot, snapshot.Fingerprint());
    }

    private static IReadOnlyList<CopyCheck> CopyToFolder(IArchiveCopy from, string folder)
    {
        using var snapshot = from.OpenSnapshot();
        return SqliteArchive.CopyInto(folder, snapshot, snapshot.Fingerprint());
    }

    private static ArchiveFingerprint FingerprintOf(IArchiveCopy archive)
    {
        using var snapshot = archive.OpenSnapshot();
        return snapshot.Fingerprint();
    }

    [Fact]
    public void Embedded_to_postgres_to_embedded_gives_the_same_rows_and_digests_in_every_table()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_round_trip"));
        CopyToPostgres(source, server);
        CopyToFolder(server, Folder("back"));
        using var back = SqliteArchive.Open(Folder("back"));

        var expected = FingerprintOf(source);
        Assert.Equal(
            [("volumes", 2L), ("documents", 4L), ("search rows", 5L), ("controls", 1L), ("users", 2L), ("tokens", 1L), ("reviews", 2L),
             ("audit", 7L), ("officials", 1L), ("person decisions", 1L)],
            expected.Tables.Select(t => (t.Table, t.Rows)));
        Assert.Equal(expected.Tables, FingerprintOf(server).Tables);
        Assert.Equal(expected.Tables, FingerprintOf(back).Tables);
        Assert.Empty(FingerprintOf(back).Problems);
    }

    [Fact]
    public void The_copied_audit_trail_keeps_its_chain_and_head()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_audit"));
        CopyToPostgres(source, server);
        Assert.Equal((true, 7L), (server.VerifyAudit().Ok, server.VerifyAudit().Entries));
        Assert.Equal(source.ListAudit(null, null, 100).Select(e => e.Hash), server.ListAudit(null, null, 100).Select(e => e.Hash));
    }

    [Fact]
    public void The_copied_users_keep_their_password_hashes_and_tokens()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_users"));
        var token = source.IssueToken("rev");
        CopyToPostgres(source, server);
        Assert.Equal("AQAAAAIAAYagAAAAEHashAsStored", server.GetUser("rev")!.PasswordHash);
        Assert.Equal("rev", server.FindUserByToken(token)!.Name);
    }

    [Fact]
    public void A_fixed_query_finds_the_same_hits_and_facets_in_the_source_and_both_copies()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_search"));
        CopyToPostgres(source, server);
        CopyToFolder(server, Folder("back"));
        using var back = SqliteArchive.Open(Folder("back"));
        var request = new SearchRequest("danube", Facets: true);

        string Answer(IArchive archive, ReaderIdentity reader)
        {
            var r = archive.Search(request, reader, "test");
            return $"{r.Total}: " + string.Join(" | ", r.Hits.Select(h => $"{h.Id} {h.Snippet}"))
                + " / " + string.Join(" | ", r.Facets.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + string.Join(",", f.Value.Select(v => $"{v.Value}:{v.Count}"))));
        }

        foreach (var reader in new[] { ReaderIdentity.Public, Reviewer.Identity })
        {
            var expected = Answer(source, reader);
            Assert.Equal(expected, Answer(server, reader));
            Assert.Equal(expected, Answer(back, reader));
        }
        Assert.Equal(["volA#d1", "volA#d2", "volB#d1"], source.Search(request, ReaderIdentity.Public, "test").Hits.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_copy_into_a_postgres_archive_that_holds_a_user_is_refused_and_changes_nothing()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_not_empty"));
        server.AddUser(User("someone", ClassificationLevel.Secret));
        var e = Assert.Throws<ArchiveException>(() => CopyToPostgres(source, server));
        Assert.Contains("is not empty (1 users, 1 audit)", e.Message, StringComparison.Ordinal);
        Assert.Equal(["someone"], server.ListUsers().Select(u => u.Name));
        Assert.Empty(server.ListVolumes(ReaderIdentity.Public));
    }

    [Fact]
    public void A_copy_into_a_folder_that_holds_a_file_is_refused()
    {
        using var source = Source();
        Directory.CreateDirectory(Folder("busy"));
        File.WriteAllText(Path.Combine(Folder("busy"), "notes.txt"), "mine");
        var e = Assert.Throws<ArchiveException>(() => CopyToFolder(source, Folder("busy")));
        Assert.Contains("is not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Folder("busy")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_copy_that_does_not_match_its_source_leaves_the_postgres_archive_empty()
    {
        using var source = Source();
        using var other = SqliteArchive.Open(Folder("other"));
        Store(other, "volC", Make("volC", 1, "Elsewhere", "Nothing alike."));
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_mismatch"));
        using var snapshot = source.OpenSnapshot();
        var e = Assert.Throws<CopyMismatchException>(() => server.CopyFrom(snapshot, FingerprintOf(other)));
        Assert.Contains("volumes: 1 rows in the source, 2 in the copy", e.Problems);
        Assert.Null(server.RefuseCopyInto());
    }

    [Fact]
    public void A_copy_that_does_not_match_its_source_leaves_no_folder()
    {
        using var source = Source();
        using var other = SqliteArchive.Open(Folder("other"));
        Store(other, "volC", Make("volC", 1, "Elsewhere", "Nothing alike."));
        using var snapshot = source.OpenSnapshot();
        Assert.Throws<CopyMismatchException>(() => SqliteArchive.CopyInto(Folder("copy"), snapshot, FingerprintOf(other)));
        Assert.False(Directory.Exists(Folder("copy")));
        Assert.Equal(["other", "source"], Directory.EnumerateFileSystemEntries(_folder.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Documents in the committed Lucene index in <paramref name="folder"/>, as another process opening it would see them.</summary>
    private static int IndexedRows(string folder)
    {
        using var directory = Lucene.Net.Store.FSDirectory.Open(folder);
        if (!Lucene.Net.Index.DirectoryReader.IndexExists(directory))
        {
            return 0;
        }
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        return reader.NumDocs;
    }

    [Fact]
    public void A_copy_into_postgres_commits_every_search_row_to_the_search_index_before_it_returns()
    {
        using var source = Source();
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_indexed"), Folder("index"));
        CopyToPostgres(source, server);
        // five search rows (volA#d2 has a public and an original row): none is left to a first search's catch-up
        Assert.Equal(5, IndexedRows(Folder("index")));
    }

    [Fact]
    public void A_copy_that_does_not_match_its_source_leaves_nothing_in_the_search_index()
    {
        using var source = Source();
        using var other = SqliteArchive.Open(Folder("other"));
        Store(other, "volC", Make("volC", 1, "Elsewhere", "Nothing alike."));
        using (var server = PostgresArchive.Open(_server.CreateDatabase("copy_indexed_mismatch"), Folder("index")))
        using (var snapshot = source.OpenSnapshot())
        {
            Assert.Throws<CopyMismatchException>(() => server.CopyFrom(snapshot, FingerprintOf(other)));
        }
        Assert.Equal(0, IndexedRows(Folder("index")));
    }

    [Fact]
    public void Hits_of_equal_score_come_in_the_source_order_from_the_copy()
    {
        // the same text in two volumes, the later id stored first: ties fall to the document key
        using var source = SqliteArchive.Open(Folder("ties"));
        Store(source, "volB", Make("volB", 1, "Convoy", "A convoy sailed from Halifax."));
        Store(source, "volA", Make("volA", 1, "Convoy", "A convoy sailed from Halifax."));
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_ties"), Folder("index"));
        CopyToPostgres(source, server);

        static string Ids(IArchive archive) => string.Join(' ', archive.Search(new SearchRequest("convoy"), ReaderIdentity.Public, "test").Hits.Select(h => h.Id));
        Assert.Equal(("volB#d1 volA#d1", "volB#d1 volA#d1"), (Ids(source), Ids(server)));
    }

    [Fact]
    public void A_source_with_cable_traffic_names_the_tables_that_hold_it()
    {
        using var source = Source();
        source.AddPost(new Post("moscow", "Embassy Moscow", "Moscow", "MOSCOW", TimeSpan.FromHours(3)), "admin");
        using var snapshot = source.OpenSnapshot();
        Assert.Equal([("cable_posts", 1L)], snapshot.CableTraffic());
    }

    // every file below the folder with its SHA-256 and write time; -shm files (a shared-memory index every reader of a
    // WAL database writes its read marks into, removed at the last close) are left out when asked
    private static string Picture(string folder, bool withShm = true) =>
        string.Join("\n", Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => withShm || !f.EndsWith("-shm", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))} {File.GetLastWriteTimeUtc(f).Ticks}"));

    private const UnixFileMode Writable = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    // chmod -R a-w (or back to u+w); as root it does not stop writes, so the tests also compare the bytes
    private static void SetReadOnly(string folder, bool readOnly)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            var mode = File.GetUnixFileMode(path);
            File.SetUnixFileMode(path, readOnly ? mode & ~Writable : mode | UnixFileMode.UserWrite);
        }
    }

    // the source written, closed and made read-only
    private string ReadOnlySource()
    {
        Source().Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        SetReadOnly(Folder("source"), readOnly: true);
        return Folder("source");
    }

    [Fact]
    public void A_read_only_source_folder_is_copied_to_postgres_and_left_byte_for_byte_as_it_was()
    {
        var folder = ReadOnlySource();
        var before = Picture(folder);
        using var server = PostgresArchive.Open(_server.CreateDatabase("copy_read_only"));
        IReadOnlyList<CopyCheck> checks;
        using (var snapshot = SqliteArchive.ReadForCopy(folder))
        {
            checks = server.CopyFrom(snapshot, snapshot.Fingerprint());
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        SetReadOnly(folder, readOnly: false);
        Assert.Equal((10, 4L), (checks.Count(c => c.Ok), checks.Single(c => c.Table == "documents").TargetRows));
        Assert.Equal(before, Picture(folder));
    }

    [Fact]
    public void A_source_open_in_another_process_is_read_through_its_log_without_writing_its_files()
    {
        // the source stays open: its pooled connections keep the -wal, which the copy then reads under the usual locks
        using var source = Source();
        Assert.True(File.Exists(Path.Combine(Folder("source"), "archive.db-wal")));
        var before = Picture(Folder("source"), withShm: false);
        using (var snapshot = SqliteArchive.ReadForCopy(Folder("source")))
        {
            SqliteArchive.CopyInto(Folder("copy"), snapshot, snapshot.Fingerprint());
        }
        Assert.Equal(before, Picture(Folder("source"), withShm: false));
    }

    [Fact]
    public void A_source_written_to_while_it_is_copied_is_refused_and_leaves_no_folder()
    {
        var folder = ReadOnlySource();
        SetReadOnly(folder, readOnly: false);
        using var snapshot = SqliteArchive.ReadForCopy(folder);
        var expected = snapshot.Fingerprint();
        using (var writer = SqliteArchive.Open(folder))
        {
            Store(writer, "volC", Make("volC", 1, "Elsewhere", "A late volume."));
        }
        var e = Assert.Throws<ArchiveException>(() => SqliteArchive.CopyInto(Folder("copy"), snapshot, expected));
        Assert.StartsWith($"the archive at {folder} changed while it was copied", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Folder("copy")));
    }

    [Fact]
    public void The_links_built_in_memory_from_a_read_only_source_are_those_its_rebuild_writes()
    {
        var folder = ReadOnlySource();
        LinkReport built;
        using (var snapshot = SqliteArchive.ReadForCopy(folder))
        {
            built = snapshot.BuildLinks();
        }
        SetReadOnly(folder, readOnly: false);
        using var source = SqliteArchive.Open(folder);
        var rebuilt = source.RebuildLinks();
        Assert.Equal(((2, 1, 1, "[resolved, 1],[unresolved, 1]"), (2, 1, 1, "[resolved, 1],[unresolved, 1]")),
            ((built.Links, built.People, built.PeopleWithPosts, string.Join(",", built.ByStatus)), (rebuilt.Links, rebuilt.People, rebuilt.PeopleWithPosts, string.Join(",", rebuilt.ByStatus))));
    }

    [Fact]
    public void The_links_built_in_memory_from_a_postgres_source_are_those_its_rebuild_writes()
    {
        using var source = Source();
        var url = _server.CreateDatabase("copy_links");
        using var server = PostgresArchive.Open(url);
        CopyToPostgres(source, server);
        LinkReport built;
        using (var snapshot = PostgresArchive.ReadForCopy(url))
        {
            built = snapshot.BuildLinks();
        }
        var rebuilt = server.RebuildLinks();
        Assert.Equal(((2, 1, 1, "[resolved, 1],[unresolved, 1]"), (2, 1, 1, "[resolved, 1],[unresolved, 1]")),
            ((built.Links, built.People, built.PeopleWithPosts, string.Join(",", built.ByStatus)), (rebuilt.Links, rebuilt.People, rebuilt.PeopleWithPosts, string.Join(",", rebuilt.ByStatus))));
    }
}
