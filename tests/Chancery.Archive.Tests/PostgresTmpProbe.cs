using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
namespace Chancery.Archive.Tests;
[Collection("postgres")]
public sealed class PostgresTmpProbe(PostgresServer server)
{
    [Fact]
    public void Probe()
    {
        var p = new PostgresSearchParityTests(server);
        var m = typeof(PostgresSearchParityTests).GetMethod("Stores", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var (s, pg) = ((Chancery.Archive.Sqlite.SqliteArchive, Chancery.Archive.Postgres.PostgresArchive))m.Invoke(p, null)!;
        var lines = new List<string>();
        foreach (var q in new[] { "Soviet", "\"Secretary of State\"", "of the", "milit*", "title:memorandum", "Haile NOT Selassie", "from:Harriman", "date:none", "\"not declassified\"" })
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var a = s.Search(new SearchRequest(q, Facets: true), ReaderIdentity.System, "t");
            var t1 = sw.ElapsedMilliseconds; sw.Restart();
            var b = pg.Search(new SearchRequest(q, Facets: true), ReaderIdentity.System, "t");
            var t2 = sw.ElapsedMilliseconds;
            lines.Add($"{q}: sqlite {a.Total} {t1}ms pg {b.Total} {t2}ms top {a.Hits.FirstOrDefault()?.Id} {a.Hits.FirstOrDefault()?.Score} {b.Hits.FirstOrDefault()?.Score} | {b.Hits.FirstOrDefault()?.Snippet}");
        }
        Assert.Fail(string.Join("\n", lines));
    }
}
