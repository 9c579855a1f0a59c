using System.Diagnostics;
using System.Globalization;
using System.Xml;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// Ingest of a TEI corpus against a bare <see cref="XmlReader"/> pass over the same bytes, in one run, phase by
/// phase: the TEI reader alone, reading and storing documents without the search index, then the whole ingest with
/// it. The bare pass runs first and last (to see drift); every phase is compared with the faster of the two.
/// </summary>
/// <remarks>
/// <c>ingest [CORPUS_DIR...] [--no-search | --search-only]</c>: <c>--no-search</c> leaves out the last phase,
/// <c>--search-only</c> runs only the bare passes and the last phase (for profiling the index). Wall time is what a
/// user waits; CPU time (all threads: ingest reads ahead on a second core) is steadier on a busy machine.
/// </remarks>
internal static class IngestBenchmark
{
    private sealed record Phase(string Name, double Wall, double Cpu, int Documents, double GcPause, int Gen0, int Gen1, int Gen2, long AllocatedBytes);

    public static int Run(string[] args)
    {
        var withSearch = !args.Contains("--no-search");
        // --search-only: the bare pass and the whole ingest, nothing between (for profiling the index)
        var searchOnly = args.Contains("--search-only");
        var folders = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (folders.Length == 0)
        {
            folders = [DefaultCorpus()];
        }
        var files = folders.SelectMany(f => Directory.GetFiles(f, "*.xml")).Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var loadBefore = LoadAverage();
        Console.WriteLine($"corpus: {files.Count} files, {bytes / 1e6:F1} MB; load average {loadBefore}");

        var bare1 = Measure("bare XmlReader pass", () => BareRead(files));
        var phases = new List<Phase>();
        if (!searchOnly)
        {
            phases.Add(Measure("TEI reader alone", () => ReadOnly(files)));
            phases.Add(Measure("read + store, no search index", () => Ingest(files, searchIndex: false)));
        }
        if (withSearch || searchOnly)
        {
            phases.Add(Measure("read + store + search index", () => Ingest(files, searchIndex: true)));
        }
        var bare2 = Measure("bare XmlReader pass", () => BareRead(files));

        var bareWall = Math.Min(bare1.Wall, bare2.Wall);
        var bareCpu = Math.Min(bare1.Cpu, bare2.Cpu);
        Console.WriteLine($"bare XmlReader pass: {bare1.Wall:F2} s / {bare2.Wall:F2} s wall, {bare1.Cpu:F2} s / {bare2.Cpu:F2} s CPU ({bytes / 1e6 / bareWall:F1} MB/s)");
        Console.WriteLine();
        Console.WriteLine("| phase | wall | CPU | documents/s | MB/s | wall / bare | CPU / bare |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var p in phases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Name} | {p.Wall:F2} s | {p.Cpu:F2} s | {p.Documents / p.Wall:F0} | {bytes / 1e6 / p.Wall:F1} | {p.Wall / bareWall:F2}x | {p.Cpu / bareCpu:F2}x |"));
        }
        Console.WriteLine();
        Console.WriteLine($"documents: {phases[^1].Documents}; load average {loadBefore} before, {LoadAverage()} after");
        return 0;
    }

    private static Phase Measure(string name, Func<int> run)
    {
        // each phase starts from a collected heap, so one phase's garbage is not charged to the next
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (pause, gen0, gen1, gen2, allocated) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
        var cpu = CpuSeconds();
        var sw = Stopwatch.StartNew();
        var documents = run();
        var phase = new Phase(name, sw.Elapsed.TotalSeconds, CpuSeconds() - cpu, documents,
            (GC.GetTotalPauseDuration() - pause).TotalSeconds, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            GC.GetTotalAllocatedBytes() - allocated);
        Console.WriteLine($"  {name}: {phase.Wall:F2} s wall, {phase.Cpu:F2} s CPU; GC: {phase.GcPause:F2} s paused, {phase.Gen0}/{phase.Gen1}/{phase.Gen2} collections (gen 0/1/2), {phase.AllocatedBytes / 1e6:F0} MB allocated");
        return phase;
    }

    private static Phase Measure(string name, Action run) => Measure(name, () =>
    {
        run();
        return 0;
    });

    private static int ReadOnly(List<string> files)
    {
        var documents = 0;
        foreach (var f in files)
        {
            using var reader = TeiVolumeReader.Open(f);
            foreach (var _ in reader.ReadDocuments())
            {
                documents++;
            }
            GC.KeepAlive(reader.Volume);
        }
        return documents;
    }

    private static int Ingest(List<string> files, bool searchIndex)
    {
        var temp = Directory.CreateTempSubdirectory("chancery-bench-");
        try
        {
            var documents = 0;
            using (var archive = SqliteArchive.Open(temp.FullName))
            {
                archive.SearchIndexOnIngest = searchIndex;
                foreach (var f in files)
                {
                    using var reader = TeiVolumeReader.Open(f);
                    documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
                }
            }
            return documents;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static string LoadAverage() => BenchArgs.LoadAverage();

    private static string DefaultCorpus() => "/tmp/frus-large/frus-large";

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
