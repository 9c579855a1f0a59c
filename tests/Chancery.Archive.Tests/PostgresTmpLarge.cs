using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;
namespace Chancery.Archive.Tests;
public sealed class PostgresTmpLarge
{
    [Fact]
    public void Large()
    {
        var report = new System.Text.StringBuilder();
        void Log(string s) { report.AppendLine(s); File.WriteAllText("/tmp/large-report.txt", report.ToString()); }
        using var sqlite = SqliteArchive.Open("/tmp/probe-large-sqlite");
        using var pg = PostgresArchive.Open("postgres://postgres@127.0.0.1:55432/large");
        var files = Directory.GetFiles("/tmp/frus-large/frus-large", "*.xml").Order(StringComparer.Ordinal).ToList();
        long ts = 0, tp = 0;
        if (sqlite.ListVolumes(ReaderIdentity.System).Count < files.Count || pg.ListVolumes(ReaderIdentity.System).Count < files.Count)
        {
            var haveS = sqlite.ListVolumes(ReaderIdentity.System).Select(v => v.Id).ToHashSet();
            var haveP = pg.ListVolumes(ReaderIdentity.System).Select(v => v.Id).ToHashSet();
            foreach (var file in files)
            {
                var id = Path.GetFileNameWithoutExtension(file);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                if (!haveS.Contains(id)) { using var r = TeiVolumeReader.Open(file); sqlite.IngestVolume(r.ReadDocuments(), () => r.Volume); }
                var a = sw.ElapsedMilliseconds; sw.Restart();
                if (!haveP.Contains(id)) { using var r = TeiVolumeReader.Open(file); pg.IngestVolume(r.ReadDocuments(), () => r.Volume); }
                var b = sw.ElapsedMilliseconds;
                ts += a; tp += b;
                Log($"ingest {id}: sqlite {a}ms pg {b}ms");
            }
        }
        Log($"ingest total sqlite {ts}ms pg {tp}ms");
        var queries = File.ReadLines("/work/main/bench/queries/corpus-queries.txt").Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')[0]).Distinct().ToList();
        queries.AddRange(["of the", "\"the secretary\"", "the", "Soviet OR volume:frus1894Nicaragua", "-Soviet"]);
        int same = 0, diff = 0;
        long qs = 0, qp = 0;
        foreach (var q in queries)
        {
            foreach (var reader in new[] { ReaderIdentity.Public, ReaderIdentity.System })
            {
                var req = new SearchRequest(q, Facets: true);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var a = sqlite.Search(req, reader, "t");
                var ta = sw.ElapsedMilliseconds; sw.Restart();
                var b = pg.Search(req, reader, "t");
                var tb = sw.ElapsedMilliseconds;
                qs += ta; qp += tb;
                var problems = new List<string>();
                if (a.Total != b.Total) problems.Add($"total {b.Total} vs {a.Total}");
                if (a.Undated != b.Undated) problems.Add($"undated {b.Undated} vs {a.Undated}");
                var ia = a.Hits.Select(h => h.Id).ToList(); var ib = b.Hits.Select(h => h.Id).ToList();
                if (!ia.Take(10).SequenceEqual(ib.Take(10))) problems.Add($"top10 differ");
                else for (var i = 0; i < ia.Count; i++) if (a.Hits[i] != b.Hits[i]) problems.Add($"hit {i}: pg {b.Hits[i]} / sqlite {a.Hits[i]}");
                foreach (var (f, v) in a.Facets) if (!b.Facets[f].SequenceEqual(v)) problems.Add($"facet {f}");
                if (problems.Count == 0) same++; else diff++;
                Log($"{(problems.Count == 0 ? "SAME" : "DIFF")} {reader.Name} {q}: total {a.Total} sqlite {ta}ms pg {tb}ms {string.Join("; ", problems)}");
            }
        }
        Log($"queries same {same} diff {diff}; time sqlite {qs}ms pg {qp}ms");
    }
}
