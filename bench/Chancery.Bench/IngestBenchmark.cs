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
    private sealed record Phase(string Name, double Wall, double Cpu, int Documents, double GcPause, int Gen0, int Gen1, int Gen2, long AllocatedBytes,
        double MainCpu, double IndexCpu, double FlusherCpu);

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
        Console.WriteLine("| phase | wall | CPU | storing thread CPU | index thread CPU | flusher CPU | documents/s | MB/s | wall / bare | CPU / bare |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in phases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Name} | {p.Wall:F2} s | {p.Cpu:F2} s | {p.MainCpu:F2} s | {p.IndexCpu:F2} s | {p.FlusherCpu:F2} s | {p.Documents / p.Wall:F0} | {bytes / 1e6 / p.Wall:F1} | {p.Wall / bareWall:F2}x | {p.Cpu / bareCpu:F2}x |"));
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
        // thread names as Linux keeps them (15 characters): IndexSession's thread, and IndexFlusher's
        using var threads = new ThreadCpuSampler("chancery search", "chancery index ");
        var main = ThreadCpuSampler.CurrentThreadSeconds();
        var cpu = CpuSeconds();
        var sw = Stopwatch.StartNew();
        var documents = run();
        var phase = new Phase(name, sw.Elapsed.TotalSeconds, CpuSeconds() - cpu, documents,
            (GC.GetTotalPauseDuration() - pause).TotalSeconds, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            GC.GetTotalAllocatedBytes() - allocated, ThreadCpuSampler.CurrentThreadSeconds() - main, threads.Seconds(0), threads.Seconds(1));
        // the calling thread stores (and reads, without read-ahead); the index thread is IndexSession's, the flusher
        // writes its full buffers out; the rest is the read-ahead threads, merges and the GC
        Console.WriteLine($"  {name}: {phase.Wall:F2} s wall, {phase.Cpu:F2} s CPU (storing thread {phase.MainCpu:F2} s, index thread {phase.IndexCpu:F2} s, flusher {phase.FlusherCpu:F2} s, others {phase.Cpu - phase.MainCpu - phase.IndexCpu - phase.FlusherCpu:F2} s); GC: {phase.GcPause:F2} s paused, {phase.Gen0}/{phase.Gen1}/{phase.Gen2} collections (gen 0/1/2), {phase.AllocatedBytes / 1e6:F0} MB allocated");
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
            var archive = SqliteArchive.Open(temp.FullName);
            var sw = Stopwatch.StartNew();
            try
            {
                archive.SearchIndexOnIngest = searchIndex;
                foreach (var f in files)
                {
                    using var reader = TeiVolumeReader.Open(f);
                    documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
                }
            }
            finally
            {
                var stored = sw.Elapsed.TotalSeconds;
                // the archive's dispose ends the ingest run: the index indexes what is queued, commits and waits for its merges
                archive.Dispose();
                Console.WriteLine($"    volumes stored after {stored:F2} s; the run finished (index caught up, committed, merged) {sw.Elapsed.TotalSeconds - stored:F2} s later");
            }
            if (searchIndex)
            {
                var index = new DirectoryInfo(Path.Combine(temp.FullName, "search"));
                var segments = index.GetFiles("*.si").Length;
                Console.WriteLine($"    search index: {segments} segments, {index.GetFiles().Sum(f => f.Length) / 1e6:F0} MB");
            }
            return documents;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The CPU time of the threads of this process whose name starts with one of some prefixes, per prefix, sampled
    /// from /proc every 20 ms while it lives (a thread that ends takes its time with it; the last 20 ms of a thread's
    /// life may be missed). A thread's name is read once (again after a second while it matches none, as a thread
    /// is named just after it starts), and only the matching threads' times are read at each sample, so the sampling
    /// itself costs little of the CPU it measures. Linux only; 0 elsewhere.
    /// </summary>
    private sealed class ThreadCpuSampler : IDisposable
    {
        private readonly string[] _prefixes;
        // per task: the prefix its name matched (-1: none, looked at when), and its last ticks
        private readonly Dictionary<string, (int Prefix, long Seen)> _names = [];
        private readonly Dictionary<string, (int Prefix, long Ticks)> _ticks = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread? _thread;

        public ThreadCpuSampler(params string[] prefixes)
        {
            _prefixes = prefixes;
            if (OperatingSystem.IsLinux())
            {
                _thread = new Thread(Sample) { IsBackground = true, Name = "bench sampler" };
                _thread.Start();
            }
        }

        /// <summary>Seconds of CPU of the threads matching the prefix at <paramref name="prefix"/> so far (stops the sampling).</summary>
        public double Seconds(int prefix)
        {
            Dispose();
            lock (_ticks)
            {
                // USER_HZ is 100 on Linux
                return _ticks.Values.Where(t => t.Prefix == prefix).Sum(t => t.Ticks) / 100.0;
            }
        }

        private void Sample()
        {
            while (!_stop.IsCancellationRequested)
            {
                Read();
                _stop.Token.WaitHandle.WaitOne(20);
            }
            Read();
        }

        private void Read()
        {
            var now = Environment.TickCount64;
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (!_names.TryGetValue(task, out var name) || (name.Prefix < 0 && now - name.Seen > 1000))
                    {
                        var comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                        name = (Array.FindIndex(_prefixes, p => comm.StartsWith(p, StringComparison.Ordinal)), now);
                        _names[task] = name;
                    }
                    if (name.Prefix < 0)
                    {
                        continue;
                    }
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var close = stat.LastIndexOf(')');
                    // after the name: state, ppid, ... utime is the 12th field and stime the 13th
                    var fields = stat[(close + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    lock (_ticks)
                    {
                        _ticks[task] = (name.Prefix, Math.Max(_ticks.GetValueOrDefault(task).Ticks, ticks));
                    }
                }
                catch (IOException)
                {
                    // the thread ended meanwhile
                }
            }
        }

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
                _thread?.Join();
            }
        }

        /// <summary>CPU time of the calling thread, from clock_gettime(CLOCK_THREAD_CPUTIME_ID); 0 where unavailable.</summary>
        public static double CurrentThreadSeconds()
        {
            if (!OperatingSystem.IsLinux())
            {
                return 0;
            }
            var time = new long[2];
            return ClockGetTime(3, time) != 0 ? 0 : time[0] + time[1] / 1e9;
        }

        // struct timespec on 64-bit Linux: seconds, nanoseconds
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, [System.Runtime.InteropServices.Out] long[] time);
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
