using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;

namespace Chancery.Archive.Tests;

/// <summary>
/// Two readers and one writer on one archive for a bounded time (<see cref="ConcurrencyWorkload"/>): no torn reads,
/// no lost or duplicated documents. About 5 s each; 60 s when <c>CHANCERY_LONG_TESTS=1</c> (the run; the
/// benchmark driver runs it too: <c>postgres --concurrency 60</c>).
/// </summary>
public abstract class ConcurrencyTests
{
    private static TimeSpan Duration =>
        Environment.GetEnvironmentVariable("CHANCERY_LONG_TESTS") == "1" ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(5);

    /// <summary>A new instance on the same archive each call, as another process would open it.</summary>
    protected abstract IArchive Open();

    [Fact]
    public void Two_readers_and_a_writer_see_only_whole_volumes_and_every_document_once()
    {
        var report = ConcurrencyWorkload.Run(Open, Duration);
        Assert.Empty(report.Problems);
        // the run must have exercised what it checks
        Assert.True(report.Ingests >= 3 && report.FailedIngests >= 1 && report.Upserts >= 2 && report.Reads >= 20,
            $"{report.Ingests} ingests, {report.FailedIngests} failed ingests, {report.Upserts} upserts, {report.Reads} reads");
    }
}

public sealed class SqliteConcurrencyTests : ConcurrencyTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-concurrency-test-");

    protected override IArchive Open() => SqliteArchive.Open(_folder.FullName);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

[Collection("postgres")]
public sealed class PostgresConcurrencyTests(PostgresServer server) : ConcurrencyTests
{
    private readonly string _url = server.CreateDatabase("concurrency");

    protected override IArchive Open() => PostgresArchive.Open(_url);
}
