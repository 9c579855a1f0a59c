using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Microsoft.Data.Sqlite;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>The contract suite on the embedded archive, plus what only SQLite has (the file, PRAGMA checks).</summary>
public sealed class SqliteArchiveTests : ArchiveContractTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-archive-test-");
    private readonly SqliteArchive _archive;

    public SqliteArchiveTests()
    {
        _archive = SqliteArchive.Open(_folder.FullName);
    }

    protected override IArchive Archive => _archive;

    public override void Dispose()
    {
        _archive.Dispose();
        _folder.Delete(recursive: true);
    }

    private void Sql(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_archive.DatabasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private void AuditLines(int n)
    {
        var u = User("u", ClassificationLevel.Secret);
        Archive.AddUser(u);
        Store(Archive, "volA", Withheld(Make("volA", 1, "T", "x"), ClassificationLevel.Secret));
        for (var i = 0; i < n; i++)
        {
            Archive.GetDocument("volA#d1", u.Identity, "show");
        }
    }

    [Fact]
    public void Audit_verify_detects_an_edited_line()
    {
        AuditLines(3);
        Sql("UPDATE audit SET user = 'someone-else' WHERE seq = 2");
        var v = Archive.VerifyAudit();
        Assert.Equal((false, "line 2 was changed after it was written"), (v.Ok, v.Problem));
    }

    [Fact]
    public void Audit_verify_detects_a_deleted_line()
    {
        AuditLines(3);
        Sql("DELETE FROM audit WHERE seq = 2");
        var v = Archive.VerifyAudit();
        Assert.Equal((false, "line 2 is missing (found 3 in its place): a line was deleted or reordered"), (v.Ok, v.Problem));
    }

    [Fact]
    public void Audit_verify_detects_reordered_lines()
    {
        AuditLines(3);
        // swap the contents of lines 2 and 3, keeping their sequence numbers
        Sql("""
            CREATE TEMP TABLE a AS SELECT * FROM audit WHERE seq IN (2, 3);
            UPDATE audit SET time = (SELECT time FROM a WHERE seq = 3), detail = (SELECT detail FROM a WHERE seq = 3), prev_hash = (SELECT prev_hash FROM a WHERE seq = 3), hash = (SELECT hash FROM a WHERE seq = 3) WHERE seq = 2;
            UPDATE audit SET time = (SELECT time FROM a WHERE seq = 2), detail = (SELECT detail FROM a WHERE seq = 2), prev_hash = (SELECT prev_hash FROM a WHERE seq = 2), hash = (SELECT hash FROM a WHERE seq = 2) WHERE seq = 3;
            """);
        var v = Archive.VerifyAudit();
        Assert.Equal((false, "line 2 does not follow line 1: a line was deleted, inserted or reordered"), (v.Ok, v.Problem));
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
    public void A_newer_schema_is_refused()
    {
        Sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        var e = Assert.Throws<ArchiveException>(() => SqliteArchive.Open(_folder.FullName));
        Assert.Contains("schema version 99, newer than this Chancery knows", e.Message);
    }

    [Fact]
    public void Backup_is_a_complete_archive()
    {
        Store(Archive, "volA", Make("volA", 1, "One"), Make("volA", 2, "Two"));
        var target = Path.Combine(_folder.FullName, "backup");
        _archive.Backup(target);
        using var copy = SqliteArchive.Open(target);
        Assert.Equal(2, copy.ListVolumes(ReaderIdentity.Public).Single().DocumentCount);
        Assert.True(copy.Check().Ok);
    }
}
