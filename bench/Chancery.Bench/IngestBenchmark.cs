using System.Diagnostics;
using System.Xml;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// Ingest of a TEI corpus into a fresh embedded archive against a bare <see cref="XmlReader"/> pass over the same
/// bytes, in one run (the baseline first, then ingest, then the baseline again to see drift).
/// </summary>
internal static class IngestBenchmark
{
    public static int Run(string[] args)
    {
        var folders = args.Length > 0 ? args : [DefaultCorpus()];
        var files = folders.SelectMany(f => Directory.GetFiles(f, "*.xml")).Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"corpus: {files.Count} files, {bytes / 1e6:F1} MB");

        var baseline1 = Time(() => BareRead(files));
        var temp = Directory.CreateTempSubdirectory("chancery-bench-");
        var documents = 0;
        var cpuBefore = CpuSeconds();
        var ingest = Time(() =>
        {
            using var archive = SqliteArchive.Open(temp.FullName);
            foreach (var f in files)
            {
                using var reader = TeiVolumeReader.Open(f);
                documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
            }
        });
        var ingestCpu = CpuSeconds() - cpuBefore;
        var baseline2Cpu = CpuSeconds();
        var baseline2 = Time(() => BareRead(files));
        baseline2Cpu = CpuSeconds() - baseline2Cpu;
        var baseline = Math.Min(baseline1, baseline2);
        Console.WriteLine($"bare XmlReader pass: {baseline1:F2} s / {baseline2:F2} s ({bytes / 1e6 / baseline:F1} MB/s)");
        Console.WriteLine($"ingest into SQLite:  {ingest:F2} s, {documents} documents, {documents / ingest:F0} documents/s, {bytes / 1e6 / ingest:F1} MB/s");
        Console.WriteLine($"ratio ingest / bare pass: {ingest / baseline:F2}x (wall)");
        // CPU seconds are steadier than wall time on a busy machine; ingest uses two threads (read ahead + write)
        Console.WriteLine($"CPU: bare pass {baseline2Cpu:F2} s, ingest {ingestCpu:F2} s, ratio {ingestCpu / baseline2Cpu:F2}x; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        temp.Delete(recursive: true);
        return 0;
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static string DefaultCorpus() => "/tmp/frus-large/frus-large";

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    private static void BareRead(List<string> files)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        foreach (var f in files)
        {
            using var r = XmlReader.Create(f, settings);
            while (r.Read())
            {
            }
        }
    }
}
