using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// Builds a large embedded archive for the 1,000,000-document runs of the search issue: the corpus volumes are
/// ingested again and again under new volume ids (<c>frus1945Berlinv01</c> → <c>frus1945Berlinv01-c2</c>, its
/// documents and table of contents renamed alike) until the archive holds the requested number of documents.
/// The texts repeat, so term statistics are those of the real corpus scaled up; the search benchmark then runs on it.
/// </summary>
/// <remarks>usage: grow ARCHIVE_DIR --documents N CORPUS_DIR... (resumes: copies already present are skipped)</remarks>
internal static class GrowBenchmark
{
    public static int Run(string[] args)
    {
        var positional = BenchArgs.Positional(args);
        if (positional.Count < 2)
        {
            Console.Error.WriteLine("usage: grow ARCHIVE_DIR --documents N CORPUS_DIR...");
            return 2;
        }
        var target = BenchArgs.Int(args, "--documents", 1_000_000);
        var files = BenchArgs.CorpusFiles(positional.Skip(1));
        using var archive = SqliteArchive.Open(positional[0]);
        var present = archive.ListVolumes(Chancery.Core.Access.ReaderIdentity.System).ToDictionary(v => v.Id, v => v.DocumentCount, StringComparer.Ordinal);
        var documents = present.Values.Sum();
        Console.WriteLine($"grow {positional[0]}: {documents} documents present, target {target}, corpus {files.Count} volumes");
        var sw = Stopwatch.StartNew();
        var added = 0;
        for (var copy = 1; documents < target; copy++)
        {
            foreach (var file in files)
            {
                if (documents >= target)
                {
                    break;
                }
                using var reader = TeiVolumeReader.Open(file);
                var source = reader.Volume.Id;
                var id = copy == 1 ? source : string.Create(CultureInfo.InvariantCulture, $"{source}-c{copy}");
                if (present.ContainsKey(id))
                {
                    continue;
                }
                var n = archive.IngestVolume(reader.ReadDocuments().Select(d => Rename(d, id)), () => Rename(reader.Volume, id));
                documents += n;
                added += n;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  copy {copy}: {documents} documents, {added / sw.Elapsed.TotalSeconds:F0} documents/s, {sw.Elapsed.TotalMinutes:F1} min"));
        }
        Console.WriteLine($"archive: {documents} documents; size {Directory.GetFiles(positional[0], "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1048576.0:F0} MB");
        return 0;
    }

    private static Document Rename(Document d, string volume)
    {
        if (d.Volume == volume)
        {
            return d;
        }
        DocumentIds.TrySplit(d.Id, out _, out var local);
        return d with { Id = DocumentIds.Make(volume, local), Volume = volume };
    }

    private static Volume Rename(Volume v, string volume) => v.Id == volume ? v : v with
    {
        Id = volume,
        Title = $"{v.Title} (copy {volume[(volume.LastIndexOf('-') + 2)..]})",
        Contents = [.. v.Contents.Select(t => t.DocumentId is null ? t : t with { DocumentId = DocumentIds.Make(volume, t.LocalId) })],
    };
}
