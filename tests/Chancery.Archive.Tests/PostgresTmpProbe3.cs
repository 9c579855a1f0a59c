using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;
namespace Chancery.Archive.Tests;
public sealed class PostgresTmpProbe3
{
    [Fact]
    public void Ingest()
    {
        var lines = new List<string>();
        var file = "/work/shared/corpus/frus/frus1936v03.xml";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        List<Chancery.Core.Documents.Document> docs;
        using (var reader = TeiVolumeReader.Open(file)) { docs = reader.ReadDocuments().ToList(); }
        lines.Add($"read {docs.Count} docs {sw.ElapsedMilliseconds}ms"); sw.Restart();
        foreach (var d in docs) { var t = SearchText.Build(d); t.Vector(); for (var i = 0; i < 5; i++) t.Spaced((TextColumn)i); }
        lines.Add($"searchtext {sw.ElapsedMilliseconds}ms"); sw.Restart();
        foreach (var d in docs) { Chancery.Core.Export.DocumentJson.Serialize(d, false); }
        lines.Add($"json {sw.ElapsedMilliseconds}ms"); sw.Restart();
        var folder = Directory.CreateTempSubdirectory("probe").FullName;
        using (var s = SqliteArchive.Open(folder)) { using var reader = TeiVolumeReader.Open(file); sw.Restart(); s.IngestVolume(reader.ReadDocuments(), () => reader.Volume); }
        lines.Add($"sqlite ingest {sw.ElapsedMilliseconds}ms"); sw.Restart();
        using (var pg = PostgresArchive.Open("postgres://postgres@127.0.0.1:55432/probe")) { using var reader = TeiVolumeReader.Open(file); sw.Restart(); pg.IngestVolume(reader.ReadDocuments(), () => reader.Volume); }
        lines.Add($"pg ingest {sw.ElapsedMilliseconds}ms"); sw.Restart();
        Assert.Fail(string.Join("\n", lines));
    }
}
