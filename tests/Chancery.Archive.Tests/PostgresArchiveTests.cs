using Chancery.Archive.Postgres;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Npgsql;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The contract suite on the server archive, plus what only PostgreSQL has: migrations, several writers and readers
/// at once, tampering through a second connection.
/// </summary>
[Collection("postgres")]
public sealed class PostgresArchiveTests : ArchiveContractTests
{
    private readonly string _url;
    private readonly PostgresArchive _archive;

    public PostgresArchiveTests(PostgresServer server)
    {
        _url = server.CreateDatabase("archive");
        _archive = PostgresArchive.Open(_url);
    }

    protected override IArchive Archive => _archive;

    public override void Dispose() => _archive.Dispose();

    protected override void Sql(string sql)
    {
        using var c = new NpgsqlConnection(PostgresServer.ToConnectionString(_url) + ";Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var c = new NpgsqlConnection(PostgresServer.ToConnectionString(_url) + ";Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    private List<string> Titles(string volume)
    {
        using var c = new NpgsqlConnection(PostgresServer.ToConnectionString(_url) + ";Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand("SELECT title FROM documents WHERE volume = @v", c);
        cmd.Parameters.AddWithValue("v", volume);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    private static Document[] Version(string volume, string marker, int count) =>
        Enumerable.Range(1, count).Select(n => Make(volume, n, $"{marker} {n}", $"Paragraph of {marker}.")).ToArray();

    // ---- schema -------------------------------------------------------------------------------------------------

    [Fact]
    public void A_newer_schema_is_refused()
    {
        Sql("INSERT INTO schema_migrations(version, description) VALUES (99, 'from the future')");
        var e = Assert.Throws<ArchiveException>(() => PostgresArchive.Open(_url));
        Assert.EndsWith($"has schema version 99, newer than this Chancery knows ({PostgresArchive.SchemaVersion}); use a newer Chancery", e.Message);
    }

    [Fact]
    public void Migrate_refuses_a_newer_schema_too()
    {
        Sql("INSERT INTO schema_migrations(version, description) VALUES (99, 'from the future')");
        var e = Assert.Throws<ArchiveException>(() => PostgresArchive.Migrate(_url));
        Assert.Contains("schema version 99, newer than this Chancery knows", e.Message);
    }

    [Fact]
    public void Open_creates_the_schema_in_an_empty_database_and_records_migrations_1_to_3()
    {
        Assert.Equal(3L, Scalar("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(3, Scalar("SELECT max(version) FROM schema_migrations"));
    }

    /// <summary>Takes the database back to schema version 2: the word index tables and columns as migration 1 made them.</summary>
    private void UndoVersion3() => Sql("""
        DROP TRIGGER search_rows_changed ON search_rows;
        DROP TRIGGER documents_access_changed ON documents;
        DROP FUNCTION search_changed();
        DROP TABLE search_changes, archive_identity;
        ALTER TABLE search_rows ADD COLUMN tokens integer NOT NULL DEFAULT 0, ADD COLUMN lexemes text[] NOT NULL DEFAULT '{}';
        CREATE TABLE search_postings(lexeme text COLLATE "C" NOT NULL, volume text COLLATE "C" NOT NULL, rows bigint[] NOT NULL,
            counts integer[] NOT NULL, positions integer[] NOT NULL, PRIMARY KEY(lexeme, volume));
        CREATE TABLE search_stats(volume text COLLATE "C" PRIMARY KEY, rows bigint NOT NULL, tokens bigint NOT NULL);
        DELETE FROM schema_migrations WHERE version = 3;
        """);

    [Fact]
    public void Migrate_brings_a_version_1_database_to_version_3_keeping_its_documents()
    {
        Store(_archive, "volA", Make("volA", 1, "One"));
        UndoVersion3();
        Sql("""
            DROP TABLE links, officials, people, person_forms, person_documents, person_decisions, links_state;
            DELETE FROM schema_migrations WHERE version = 2;
            """);
        Assert.Equal([2, 3], PostgresArchive.Migrate(_url));
        using var archive = PostgresArchive.Open(_url);
        var links = archive.LinksOf("volA#d1", ReaderIdentity.Public)!;
        Assert.Equal(("volA#d1", 0, 0), (links.Id, links.Cites.Count, links.CitedBy.Count));
    }

    [Fact]
    public void Migrate_brings_a_version_2_database_to_version_3_whose_documents_are_then_found()
    {
        Store(_archive, "volA", Make("volA", 1, "Tugs", "Two tugs at Regensburg."), Make("volA", 2, "Barges", "Barges only."));
        UndoVersion3();
        Assert.Equal([3], PostgresArchive.Migrate(_url));
        var folder = Directory.CreateTempSubdirectory("chancery-migrated-");
        SearchResults results;
        using (var archive = PostgresArchive.Open(_url, folder.FullName))
        {
            results = archive.Search(new SearchRequest("tugs"), ReaderIdentity.Public, "test");
        }
        folder.Delete(recursive: true);
        Assert.Equal((1, true, "volA#d1"), (results.Total, results.Complete, results.Hits.Single().Id));
    }

    [Fact]
    public void Migrate_applies_nothing_to_an_up_to_date_database()
    {
        Assert.Empty(PostgresArchive.Migrate(_url));
        Assert.Empty(PostgresArchive.Migrate(_url));
        Assert.Equal(3L, Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void Migrate_creates_the_schema_in_an_empty_database()
    {
        Sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        Assert.Equal([1, 2, 3], PostgresArchive.Migrate(_url));
        using var archive = PostgresArchive.Open(_url);
        Store(archive, "volA", Make("volA", 1, "One"));
        Assert.Equal(1, archive.ListVolumes(ReaderIdentity.Public).Single().DocumentCount);
    }

    [Fact]
    public void Concurrent_opens_of_an_empty_database_migrate_it_once()
    {
        Sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        var archives = new PostgresArchive[6];
        Parallel.For(0, archives.Length, i => archives[i] = PostgresArchive.Open(_url));
        foreach (var a in archives)
        {
            a.Dispose();
        }
        Assert.Equal(3L, Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void A_missing_database_is_named_in_one_line()
    {
        var url = _url[.._url.LastIndexOf('/')] + "/no_such_database_here";
        var e = Assert.Throws<ArchiveException>(() => PostgresArchive.Open(url));
        Assert.Equal($"cannot open the archive at {url}: the database does not exist (create it with `createdb`)", e.Message);
    }

    // ---- concurrency --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Two_ingests_of_the_same_volume_at_once_both_succeed_and_leave_one_whole_version()
    {
        var first = Version("volA", "first", 200);
        var second = Version("volA", "second", 150);
        using var other = PostgresArchive.Open(_url);
        var tasks = new[]
        {
            Task.Run(() => Store(_archive, "volA", first)),
            Task.Run(() => Store(other, "volA", second)),
        };
        await Task.WhenAll(tasks);

        var titles = Titles("volA");
        var marker = titles[0].Split(' ')[0];
        Assert.All(titles, t => Assert.StartsWith(marker + " ", t));
        Assert.Equal(marker == "first" ? 200 : 150, titles.Count);
        Assert.Equal(titles.Count, _archive.ListVolumes(ReaderIdentity.Public).Single().DocumentCount);
        var report = _archive.Check();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
    }

    [Fact]
    public async Task A_reader_during_an_ingest_sees_the_old_volume_or_the_new_never_a_mix()
    {
        Store(_archive, "volA", Version("volA", "old", 500));
        var done = 0;
        var reads = 0;
        var mixed = new List<string>();
        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                var titles = Titles("volA");
                var markers = titles.Select(t => t.Split(' ')[0]).Distinct().ToList();
                if (titles.Count != 500 || markers.Count != 1)
                {
                    lock (mixed)
                    {
                        mixed.Add($"{titles.Count} documents, markers {string.Join(",", markers)}");
                    }
                }
                Interlocked.Increment(ref reads);
            }
        });
        // the ingest lasts a while: each document waits a little as a slow reader would
        IEnumerable<Document> Slowly()
        {
            foreach (var d in Version("volA", "new", 500))
            {
                if (d.Number is "100" or "250" or "400")
                {
                    Thread.Sleep(100);
                }
                yield return d;
            }
        }
        _archive.IngestVolume(Slowly(), () => VolumeOf("volA"));
        var readsDuringIngest = Volatile.Read(ref reads);
        Volatile.Write(ref done, 1);
        await reader;

        Assert.Empty(mixed);
        Assert.True(readsDuringIngest > 3, $"only {readsDuringIngest} reads ran during the ingest");
        Assert.All(Titles("volA"), t => Assert.StartsWith("new ", t));
    }

    [Fact]
    public void Audit_lines_appended_from_many_connections_form_one_chain()
    {
        var u = User("u", ClassificationLevel.Secret);
        _archive.AddUser(u);
        Store(_archive, "volA", Withheld(Make("volA", 1, "T", "x"), ClassificationLevel.Secret));
        var archives = Enumerable.Range(0, 4).Select(_ => PostgresArchive.Open(_url)).ToList();
        try
        {
            Parallel.For(0, 80, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                i => archives[i % archives.Count].GetDocument("volA#d1", u.Identity, "show"));
        }
        finally
        {
            archives.ForEach(a => a.Dispose());
        }
        var v = _archive.VerifyAudit();
        Assert.Equal((true, 81L, (string?)null), (v.Ok, v.Entries, v.Problem));
    }

    // ---- tampering ----------------------------------------------------------------------------------------------

    [Fact]
    public void Check_reports_an_edited_audit_line()
    {
        AuditLines(2);
        Sql("UPDATE audit SET detail = 'nothing to see' WHERE seq = 3");
        var report = Archive.Check();
        Assert.False(report.Ok);
        Assert.Equal(["audit: line 3 was changed after it was written"], report.Problems);
    }

    [Fact]
    public void Check_finds_a_document_changed_behind_the_archive()
    {
        Store(Archive, "volA", Make("volA", 1, "One"));
        Sql("UPDATE documents SET json = replace(json, 'One', 'Two')");
        var report = Archive.Check();
        Assert.False(report.Ok);
        Assert.Contains("document volA#d1: content hash differs", report.Problems);
    }

    [Fact]
    public void Check_passes_after_reviews_and_telegram_upserts()
    {
        var reviewer = User("rev", ClassificationLevel.TopSecret);
        Store(Archive, "volA", Withheld(Make("volA", 1, "T", "First.", "Second secret.", "Third."), ClassificationLevel.Secret));
        Archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [new ExciseSpan(2)], "sources"), reviewer);
        var telegrams = VolumeOf("volT") with { SourceKind = "telegram" };
        Archive.UpsertDocuments(telegrams, [Make("volT", 1, "T1", "One."), Make("volT", 2, "T2", "Two.")]);
        Archive.UpsertDocuments(telegrams, [Make("volT", 1, "T1 again", "One more.")]);
        var report = Archive.Check();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Equal((2, 3), (report.Volumes, report.Documents));
    }

    [Fact]
    public void Audit_hashes_are_those_the_embedded_archive_computes()
    {
        AuditLines(1);
        var line = Archive.ListAudit("u", null, 10).Single();
        Assert.Equal(AuditChain.Hash(line.PreviousHash, line.Sequence, line.Time, line.User, line.Action, line.DocumentId, line.Surface, line.Detail), line.Hash);
    }

    // ---- change marker (the web page cache) ---------------------------------------------------------------------

    [Fact]
    public void The_change_marker_moves_when_another_archive_object_commits_a_volume()
    {
        var before = _archive.ChangeMarker();
        using (var other = PostgresArchive.Open(_url))
        {
            Store(other, "volA", Make("volA", 1, "Tugs", "Two tugs at Regensburg."));
        }
        var after = _archive.ChangeMarker();
        Assert.NotNull(before);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void The_change_marker_taken_while_a_write_is_uncommitted_moves_when_it_commits()
    {
        using var c = new NpgsqlConnection(PostgresServer.ToConnectionString(_url) + ";Pooling=false");
        c.Open();
        using var t = c.BeginTransaction();
        using (var cmd = new NpgsqlCommand("INSERT INTO users(name, clearance, controls, created) VALUES('late', 0, '', '2026-01-01T00:00:00Z')", c, t))
        {
            cmd.ExecuteNonQuery();
        }
        // a page read now would not see the user: it must not stay valid once the user is there
        var during = _archive.ChangeMarker();
        t.Commit();
        var after = _archive.ChangeMarker();
        Assert.NotNull(during);
        Assert.NotEqual(during, after);
    }
}
