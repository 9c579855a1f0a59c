using Chancery.Archive.Postgres;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Npgsql;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// What only the server archive has to show about links: a rebuild running in another process (it holds the
/// rebuild lock) does not stall readers, who are answered from the previous links until it commits.
/// </summary>
[Collection("postgres")]
public sealed class PostgresLinksRebuildTests : IDisposable
{
    // PostgresSchema.Locks.Archive and .Links: the lock a rebuild holds
    private const string RebuildLock = "1128792066, 5";

    private readonly string _url;
    private readonly PostgresArchive _archive;

    public PostgresLinksRebuildTests(PostgresServer server)
    {
        _url = server.CreateDatabase("links_rebuild");
        _archive = PostgresArchive.Open(_url);
    }

    public void Dispose() => _archive.Dispose();

    private NpgsqlConnection OtherProcess()
    {
        var c = new NpgsqlConnection(PostgresServer.ToConnectionString(_url) + ";Pooling=false");
        c.Open();
        return c;
    }

    private static void Run(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private LinkStatus StatusOfTheCitation()
    {
        // bounded: a reader stalled behind the lock would otherwise hang the test run
        var read = Task.Run(() => Assert.Single(_archive.LinksOf("volA#d1", ReaderIdentity.Public)!.Cites).Status);
        Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "the reader waited for the rebuild");
        return read.Result;
    }

    private void StoreCitingAndBuild()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volB#d3", "vol. B, Document 3", "footnote 1")] };
        Store(_archive, "volA", citing);
        _archive.RebuildLinks();
    }

    [Fact]
    public void While_another_process_rebuilds_a_reader_is_answered_from_the_previous_links()
    {
        StoreCitingAndBuild();
        Store(_archive, "volB", Make("volB", 3, "Now here"));
        using var other = OtherProcess();
        Run(other, $"SELECT pg_advisory_lock({RebuildLock})");
        Assert.Equal(LinkStatus.Unresolved, StatusOfTheCitation());
    }

    [Fact]
    public void When_the_other_rebuild_is_done_the_next_read_sees_the_new_links()
    {
        StoreCitingAndBuild();
        Store(_archive, "volB", Make("volB", 3, "Now here"));
        using (var other = OtherProcess())
        {
            Run(other, $"SELECT pg_advisory_lock({RebuildLock})");
            StatusOfTheCitation();
            Run(other, $"SELECT pg_advisory_unlock({RebuildLock})");
        }
        Assert.Equal(LinkStatus.Resolved, StatusOfTheCitation());
    }
}
