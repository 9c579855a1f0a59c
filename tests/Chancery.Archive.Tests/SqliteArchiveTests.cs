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

    protected override void Sql(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_archive.DatabasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
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
