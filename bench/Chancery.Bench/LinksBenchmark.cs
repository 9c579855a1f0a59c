using System.Diagnostics;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Ingest.Pocom;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// Building links against ingesting, in one run: a TEI corpus goes into a fresh embedded archive (the baseline),
/// POCOM's officials are imported (not timed against either), then the link graph and person index are rebuilt
/// twice. The target is a rebuild in less than half the ingest time.
/// </summary>
internal static class LinksBenchmark
{
    public static int Run(string[] args)
    {
        var folders = args.Length > 0 ? args : ["/work/shared/corpus/frus"];
        var files = folders.SelectMany(f => Directory.GetFiles(f, "*.xml")).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"no *.xml files in {string.Join(", ", folders)}");
            return 2;
        }
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"corpus: {files.Count} files, {bytes / 1e6:F1} MB");

        var temp = Directory.CreateTempSubdirectory("chancery-bench-links-");
        try
        {
            using var archive = SqliteArchive.Open(temp.FullName);
            var documents = 0;
            var cpu = CpuSeconds();
            var ingest = Time(() =>
            {
                foreach (var f in files)
                {
                    using var reader = TeiVolumeReader.Open(f);
                    documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
                }
            });
            var ingestCpu = CpuSeconds() - cpu;
            Console.WriteLine($"ingest:        {ingest:F2} s wall, {ingestCpu:F2} s CPU, {documents} documents");

            var pocom = PocomFolder();
            if (pocom is not null)
            {
                var officials = PocomReader.ReadFolder(pocom);
                archive.ImportOfficials(officials);
                Console.WriteLine($"officials:     {officials.Count} from {pocom} (not timed)");
            }

            LinkReport? report = null;
            cpu = CpuSeconds();
            var links = Time(() => report = archive.RebuildLinks());
            var linksCpu = CpuSeconds() - cpu;
            // the second rebuild runs on a warm page cache: the spread between the two is the noise of this machine
            var again = Time(() => archive.RebuildLinks());
            Console.WriteLine($"rebuild links: {links:F2} s wall, {linksCpu:F2} s CPU (again: {again:F2} s); {report!.Links} links, {report.People} people ({report.PeopleWithPosts} with POCOM posts)");
            Console.WriteLine($"ratio links / ingest: {links / ingest:F2}x wall, {linksCpu / ingestCpu:F2}x CPU (target < 0.50); load average {BenchArgs.LoadAverage()}");

            var inside = report.Volumes.Where(v => v.TargetLinksInArchive > 0).ToList();
            Console.WriteLine($"ref/@target links inside the ingested volumes: {inside.Sum(v => v.TargetLinksResolved)} of {inside.Sum(v => v.TargetLinksInArchive)} resolve "
                + $"({report.Volumes.Sum(v => v.TargetLinksMissingInSource)} more name ids their volume does not have); "
                + $"volumes below 100%: {(inside.Count(v => v.TargetShare < 1) is var below && below == 0 ? "none" : string.Join(", ", inside.Where(v => v.TargetShare < 1).Select(v => $"{v.Volume} {v.TargetShare:P1}")))}");
            Console.WriteLine($"telegram citations: {report.Volumes.Sum(v => v.TelegramCitations)}, resolved {report.Volumes.Sum(v => v.TelegramResolved)}, "
                + $"not printed {report.Volumes.Sum(v => v.TelegramNotPrinted)}, ambiguous {report.Volumes.Sum(v => v.TelegramAmbiguous)}, unresolved {report.Volumes.Sum(v => v.TelegramUnresolved)}");
            return 0;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    // shared/corpus/pocom next to the repository, when it is there
    private static string? PocomFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var pocom = Path.Combine(dir.FullName, "shared", "corpus", "pocom");
            if (Directory.Exists(pocom))
            {
                return pocom;
            }
        }
        return null;
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }
}
