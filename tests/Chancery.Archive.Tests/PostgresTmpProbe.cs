using Chancery.Archive.Postgres;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;
namespace Chancery.Archive.Tests;
public sealed class PostgresTmpProbe
{
    [Fact]
    public void Probe()
    {
        using var pg = PostgresArchive.Open("postgres://postgres@127.0.0.1:55432/probe");
        if (pg.ListVolumes(ReaderIdentity.System).Count == 0)
        {
            foreach (var file in Directory.GetFiles("/work/shared/corpus/frus", "*.xml").Order(StringComparer.Ordinal))
            {
                using var reader = TeiVolumeReader.Open(file);
                var sw0 = System.Diagnostics.Stopwatch.StartNew();
                pg.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
                Console.Error.WriteLine($"ingest {file} {sw0.ElapsedMilliseconds}ms");
            }
        }
        var lines = new List<string>();
        foreach (var q in (Environment.GetEnvironmentVariable("PROBE_QUERIES") ?? "Soviet|of the").Split('|'))
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var b = pg.Search(new SearchRequest(q, Facets: true), ReaderIdentity.System, "t");
            lines.Add($"{q}: pg {b.Total} {sw.ElapsedMilliseconds}ms");
        }
        Assert.Fail(string.Join("\n", lines));
    }
}
public sealed class PostgresTmpProbe2
{
    [Fact]
    public void Snip()
    {
        using var reader = Chancery.Ingest.Tei.TeiVolumeReader.Open("/work/shared/corpus/frus/frus1936v03.xml");
        var docs = reader.ReadDocuments().Take(200).ToList();
        var plan = Chancery.Archive.Postgres.PostgresSearchCompiler.Compile(Chancery.Archive.Search.QueryParser.Parse("of the"));
        var lines = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            long tb = 0, tt = 0, ti = 0, tsn = 0;
            foreach (var d in docs)
            {
                var s0 = System.Diagnostics.Stopwatch.GetTimestamp();
                var text = Chancery.Archive.Postgres.SearchText.Build(d);
                var s1 = System.Diagnostics.Stopwatch.GetTimestamp();
                var tokens = text.Texts.Select(Chancery.Archive.Postgres.SearchText.Tokenize).ToList();
                var s2 = System.Diagnostics.Stopwatch.GetTimestamp();
                var inst = Chancery.Archive.Postgres.Fts5Snippet.Instances(plan.Highlight!, tokens);
                var s3 = System.Diagnostics.Stopwatch.GetTimestamp();
                Chancery.Archive.Postgres.Fts5Snippet.Snippet(text.Texts[3], tokens[3], 3, inst, plan.Highlight!, "«", "»", "…", 30);
                var s4 = System.Diagnostics.Stopwatch.GetTimestamp();
                tb += s1 - s0; tt += s2 - s1; ti += s3 - s2; tsn += s4 - s3;
            }
            var f = System.Diagnostics.Stopwatch.Frequency / 1000.0;
            lines.Add($"round {round}: build {tb / f:F0} tokenize {tt / f:F0} instances {ti / f:F0} snippet {tsn / f:F0} ms for {docs.Count}");
        }
        Assert.Fail(string.Join("\n", lines));
    }
}
