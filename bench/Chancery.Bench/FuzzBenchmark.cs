using System.Diagnostics;
using System.Text;
using Chancery.Ingest.Samples;
using Chancery.Ingest.Tei;
using Chancery.Ingest.Tests;
using CsCheck;

namespace Chancery.Bench;

/// <summary>
/// The long run of the hostile-input suite: ≥ 100,000 generated hostile inputs through both readers and the
/// query parser (the same CsCheck generators as tests/Chancery.Ingest.Tests/Hostile*), counting successes, clean
/// errors and escaped exceptions (which must be 0), then the size attacks measured: a 100,000-document volume
/// (heap growth must stay under 300 MB), a 50 MB paragraph, 10 MB attributes and text, deep nesting.
/// <c>dotnet run -c Release --project bench/Chancery.Bench -- fuzz [--scale N] [--threads N] [--skip-sizes]</c>;
/// <c>--scale 0.1</c> runs a tenth of the cases.
/// </summary>
internal static class FuzzBenchmark
{
    private const long HeapBound = 300_000_000;

    // 40 bytes of heap per byte of a 50 MB paragraph: proportional to the one document, never to the file. The peak
    // counts large-object garbage not yet collected (UTF-16 copies of the text, JSON buffers that double as they
    // grow); it measures a steady 32 bytes per byte (1,601 MB), above the first estimate of 30
    private const long ParagraphBound = 40L * (50 << 20);

    private sealed class Tally(string name)
    {
        public string Name { get; } = name;
        public long Tried;
        public long Successes;
        public long CleanErrors;
        public long Escaped;
        public double SlowestSeconds;
        public string Slowest = "";
        public readonly List<string> Escapes = [];

        public void Count(HostileResult r, string what, double seconds)
        {
            Interlocked.Increment(ref Tried);
            switch (r.Outcome)
            {
                case HostileOutcome.Success:
                    Interlocked.Increment(ref Successes);
                    break;
                case HostileOutcome.CleanError:
                    Interlocked.Increment(ref CleanErrors);
                    break;
                default:
                    Interlocked.Increment(ref Escaped);
                    lock (Escapes)
                    {
                        if (Escapes.Count < 20)
                        {
                            Escapes.Add($"{what}: {r.Detail}");
                        }
                    }
                    break;
            }
            lock (Escapes)
            {
                if (seconds > SlowestSeconds)
                {
                    (SlowestSeconds, Slowest) = (seconds, what);
                }
            }
        }
    }

    public static int Run(string[] args)
    {
        var scale = Option(args, "--scale", 1.0);
        var threads = (int)Option(args, "--threads", Environment.ProcessorCount);
        var folder = Directory.CreateTempSubdirectory("chancery-fuzz-").FullName;
        Console.WriteLine($"fuzz: {Hostile.TeiSeeds.Count} TEI seeds from {Hostile.CorpusVolumes.Count} corpus volumes, the seed telegram, {Hostile.QuerySeeds.Count} seed queries; {threads} threads");
        var total = Stopwatch.StartNew();
        var tallies = new List<Tally>();
        try
        {
            string FileFor(string ext) => Path.Combine(folder, $"case-{Environment.CurrentManagedThreadId}.{ext}");

            tallies.Add(Sample("TEI mutations of corpus documents", Hostile.MutatedTei, (long)(50_000 * scale), threads, c =>
            {
                var bytes = Hostile.Apply(c);
                var path = FileFor("xml");
                File.WriteAllBytes(path, bytes);
                return Hostile.ReadTei(path, bytes);
            }));
            tallies.Add(Sample("TEI hand-built attacks (sizes to 200,000)", Hostile.Structural(200_000), (long)(10_000 * scale), threads, c =>
            {
                var bytes = Hostile.Build(c);
                var path = FileFor("xml");
                File.WriteAllBytes(path, bytes);
                return Hostile.ReadTei(path, bytes);
            }));
            tallies.Add(Sample("telegram byte mutations (files)", Hostile.MutatedTelegram, (long)(20_000 * scale), threads, c =>
            {
                var bytes = Hostile.ApplyTelegram(c);
                var path = FileFor("txt");
                File.WriteAllBytes(path, bytes);
                return Hostile.ReadTelegramFile(path, bytes);
            }));
            tallies.Add(Sample("telegram text with any characters", Hostile.MutatedTelegramText, (long)(10_000 * scale), threads,
                c => Hostile.ReadTelegramText(Hostile.ApplyTelegramText(c), "telegram.txt")));
            tallies.Add(Sample("query mutations", Hostile.MutatedQuery, (long)(15_000 * scale), threads, Hostile.ParseQuery));
            tallies.Add(Sample("queries of any characters", Gen.String[Gen.Char, 0, 200], (long)(5_000 * scale), threads, Hostile.ParseQuery));

            Console.WriteLine();
            Console.WriteLine($"{"inputs",-44} {"tried",8} {"success",8} {"clean error",11} {"escaped",8}  slowest case");
            foreach (var t in tallies)
            {
                Console.WriteLine($"{t.Name,-44} {t.Tried,8:N0} {t.Successes,8:N0} {t.CleanErrors,11:N0} {t.Escaped,8:N0}  {t.SlowestSeconds:F2} s ({t.Slowest})");
            }
            Console.WriteLine($"{"total",-44} {tallies.Sum(t => t.Tried),8:N0} {tallies.Sum(t => t.Successes),8:N0} {tallies.Sum(t => t.CleanErrors),11:N0} {tallies.Sum(t => t.Escaped),8:N0}");
            foreach (var e in tallies.SelectMany(t => t.Escapes))
            {
                Console.WriteLine("ESCAPED " + e);
            }
            Console.WriteLine($"generated cases: {total.Elapsed.TotalSeconds:F0} s");

            var sizesOk = args.Contains("--skip-sizes") || Sizes(folder);
            var escaped = tallies.Sum(t => t.Escaped);
            Console.WriteLine($"fuzz: {(escaped == 0 && sizesOk ? "PASS" : "FAIL")} ({escaped} escaped exceptions, size bounds {(sizesOk ? "held" : "BROKEN")}) in {total.Elapsed.TotalMinutes:F1} min");
            return escaped == 0 && sizesOk ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Tally Sample<T>(string name, Gen<T> gen, long iter, int threads, Func<T, HostileResult> run)
    {
        var tally = new Tally(name);
        var clock = Stopwatch.StartNew();
        gen.Sample(c =>
        {
            var watch = Stopwatch.StartNew();
            var r = run(c);
            tally.Count(r, c?.ToString() ?? "", watch.Elapsed.TotalSeconds);
        }, iter: iter, threads: threads);
        Console.WriteLine($"  {name}: {tally.Tried:N0} cases in {clock.Elapsed.TotalSeconds:F0} s, {tally.Escaped} escaped");
        return tally;
    }

    // ---- size attacks ------------------------------------------------------------------------------------------

    private static bool Sizes(string folder)
    {
        var ok = true;
        Console.WriteLine();
        Console.WriteLine("size attacks (heap growth = peak managed heap while reading minus the heap before; WS = peak working set of the process):");

        var volume = Path.Combine(folder, "hundred-thousand.xml");
        var write = Stopwatch.StartNew();
        using (var writer = new StreamWriter(volume, false, new UTF8Encoding(false), 1 << 16))
        {
            SampleVolumeWriter.Write(writer, new SampleVolumeOptions { VolumeId = "frus-fuzz-scale", Documents = 100_000, Seed = 100_000 });
        }
        Console.WriteLine($"  100,000-document volume written: {new FileInfo(volume).Length / 1e6:F0} MB in {write.Elapsed.TotalSeconds:F0} s");
        var documents = 0;
        var samples = new List<(int Documents, long Heap)>();
        var m = Hostile.Measure(() =>
        {
            using var reader = TeiVolumeReader.Open(volume);
            foreach (var _ in reader.ReadDocuments())
            {
                if (++documents % 20_000 == 0)
                {
                    samples.Add((documents, GC.GetTotalMemory(false)));
                }
            }
            _ = reader.Volume;
        });
        var read = documents == 100_000
            ? new HostileResult(HostileOutcome.Success, $"{documents:N0} documents, {new FileInfo(volume).Length / 1e6 / m.Elapsed.TotalSeconds:F1} MB/s")
            : new HostileResult(HostileOutcome.Escaped, $"expected 100,000 documents, read {documents:N0}");
        ok &= Report("100,000-document volume read", m, read, HeapBound);
        Console.WriteLine($"    heap after every 20,000 documents: {string.Join(", ", samples.Select(s => $"{s.Heap / 1e6:F0} MB"))}");
        File.Delete(volume);

        const string sentence = "The Ambassador saw Stalin and Molotov again last night. ";
        var paragraph = Path.Combine(folder, "fifty-megabytes.xml");
        using (var writer = new StreamWriter(paragraph, false, new UTF8Encoding(false), 1 << 16))
        {
            var frame = Hostile.Frame(Hostile.PlainRoot, "<div type=\"document\" xml:id=\"d1\"><head>Long</head><p>PARAGRAPH</p></div>");
            var at = frame.IndexOf("PARAGRAPH", StringComparison.Ordinal);
            writer.Write(frame[..at]);
            for (var i = 0; i < (50 << 20) / sentence.Length; i++)
            {
                writer.Write(sentence);
            }
            writer.Write(frame[(at + 9)..]);
        }
        // the TEI reader has no cap on text: a paragraph costs its UTF-16 copies plus the JSON the archive stores
        ok &= Measured("50 MB paragraph read whole and serialised", paragraph, HostileOutcome.Success, ParagraphBound);
        File.Delete(paragraph);

        ok &= One(folder, "10 MB rend attribute", $"<p>x <hi rend=\"{new string('x', 10 << 20)}\">y</hi></p>", HostileOutcome.Success);
        ok &= One(folder, "10 MB reference target (2.6 million tokens)", $"<p><ref target=\"{string.Concat(Enumerable.Repeat("#d1 ", (10 << 20) / 4))}\">y</ref></p>", HostileOutcome.Success);
        ok &= One(folder, "10 MB text node", $"<p>{new string('y', 10 << 20)}</p>", HostileOutcome.Success);
        ok &= One(folder, "100,000 nested <hi> in a paragraph", $"<p>{Repeat("<hi>", 100_000)}x{Repeat("</hi>", 100_000)}</p>", HostileOutcome.CleanError);
        ok &= One(folder, "100,000 nested <quote> blocks", $"{Repeat("<quote>", 100_000)}<p>x</p>{Repeat("</quote>", 100_000)}", HostileOutcome.CleanError);
        ok &= One(folder, "20,000 excision markers in one paragraph", $"<p>{Repeat("[1 paragraph not declassified] ", 20_000)}</p>", HostileOutcome.Success);
        ok &= One(folder, "80,000 excision markers in one paragraph", $"<p>{Repeat("[1 paragraph not declassified] ", 80_000)}</p>", HostileOutcome.Success);
        foreach (var depth in new[] { 2_000, 10_000, 20_000 })
        {
            var xml = Hostile.Frame(Hostile.PlainRoot, "<div type=\"document\" xml:id=\"d1\"><p>x</p></div>")
                .Replace("Hostile Seed Volume", $"{Repeat("<hi>", depth)}Deep{Repeat("</hi>", depth)}", StringComparison.Ordinal);
            var path = Path.Combine(folder, "header.xml");
            File.WriteAllText(path, xml);
            ok &= Measured($"title nested {depth:N0} deep in the header", path, HostileOutcome.Success, HeapBound);
        }
        return ok;
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    private static bool One(string folder, string name, string body, HostileOutcome expected)
    {
        var path = Path.Combine(folder, "size.xml");
        File.WriteAllText(path, Hostile.Frame(Hostile.PlainRoot, $"<div type=\"document\" xml:id=\"d1\"><head>Head</head>{body}</div>"));
        var ok = Measured(name, path, expected, 1_000_000_000);
        File.Delete(path);
        return ok;
    }

    private static bool Measured(string name, string path, HostileOutcome expected, long bound)
    {
        var bytes = File.ReadAllBytes(path);
        HostileResult? result = null;
        var m = Hostile.Measure(() => result = Hostile.ReadTei(path, bytes));
        if (result!.Outcome != expected)
        {
            result = new HostileResult(HostileOutcome.Escaped, $"expected {expected}, got {result.Outcome}: {result.Detail}");
        }
        return Report(name, m, result, bound);
    }

    private static bool Report(string name, (long HeapGrowth, long PeakWorkingSet, TimeSpan Elapsed) m, HostileResult r, long bound)
    {
        var ok = m.HeapGrowth < bound && r.Outcome != HostileOutcome.Escaped;
        var shown = r.Detail.Length > 160 ? r.Detail[..160] + "…" : r.Detail;
        Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {name}: {m.Elapsed.TotalSeconds:F1} s, heap growth {m.HeapGrowth / 1e6:F0} MB (bound {bound / 1e6:F0} MB), peak WS {m.PeakWorkingSet / 1e6:F0} MB; {r.Outcome}: {shown}");
        return ok;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
