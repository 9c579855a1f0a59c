using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Bench;

/// <summary>
/// The cable office under load, on the embedded archive. Phase 1: N telegrams among P posts, each drafted,
/// released and sent by concurrent senders while the background deliverer delivers and files them; reports
/// sustained telegrams/s end to end. Phase 2: a ROUTINE backlog of B telegrams is queued, then traffic of every
/// precedence is sent while the deliverer works through it; reports delivery latency p50/p99 by precedence.
/// <c>bench -- cables [--telegrams N] [--posts P] [--senders S] [--backlog B] [--probes K] [--quick] [--stages] [--folder DIR]</c>
/// </summary>
public static class CableBenchmark
{
    private const double TargetPerSecond = 1_000_000 / (30 * 60.0);
    private const double FlashP99TargetMs = 100;

    private static readonly string[] Words =
        ("soong stalin molotov railroads port dairen arthur manchuria chungking generalissimo concessions management directors " +
         "chairman manager assistant commercial lease traffic military zone naval base joint control conference compromise " +
         "independence outer mongolia kremlin government understanding questions agreement treaty friendship sovereignty " +
         "reparations berlin potsdam ambassador minister counselor department instructions views position proposal").Split(' ');

    private static readonly string[] SubjectCodes = ["761.93", "740.0011", "893.00", "711.61", "861.00", "740.00119"];

    /// <summary>Runs both phases and prints the figures; 0 when both targets are met, 1 otherwise.</summary>
    public static int Run(string[] args)
    {
        var o = Options.Parse(args);
        if (o is null)
        {
            Console.Error.WriteLine("usage: bench -- cables [--telegrams N] [--posts P] [--senders S] [--backlog B] [--probes K] [--quick] [--stages] [--folder DIR]");
            return 2;
        }
        Console.WriteLine($"machine load average at start: {LoadAverage()}");
        Console.WriteLine($"cable office benchmark: {o.Telegrams} telegrams among {o.Posts} posts, {o.Senders} senders; backlog {o.Backlog} ROUTINE, {o.Probes} probes per precedence; {Environment.ProcessorCount} cores");
        if (o.Stages)
        {
            StageCosts(o);
            return 0;
        }
        var rate = Throughput(o);
        var flashP99 = Latency(o);
        var ok = rate >= TargetPerSecond && flashP99 < FlashP99TargetMs;
        Console.WriteLine($"targets: ≥ {TargetPerSecond:F0} telegrams/s {(rate >= TargetPerSecond ? "met" : "MISSED")}; FLASH p99 < {FlashP99TargetMs} ms {(flashP99 < FlashP99TargetMs ? "met" : "MISSED")}");
        return ok ? 0 : 1;
    }

    private sealed record Options(int Telegrams, int Posts, int Senders, int Backlog, int Probes, string? Folder, bool Stages = false)
    {
        public static Options? Parse(string[] args)
        {
            var o = new Options(100_000, 50, 16, 10_000, 200, null);
            for (var i = 0; i < args.Length; i++)
            {
                int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException(args[i]);
                try
                {
                    o = args[i] switch
                    {
                        "--telegrams" => o with { Telegrams = Next() },
                        "--posts" => o with { Posts = Math.Max(2, Next()) },
                        "--senders" => o with { Senders = Next() },
                        "--backlog" => o with { Backlog = Next() },
                        "--probes" => o with { Probes = Next() },
                        "--quick" => o with { Telegrams = 2_000, Backlog = 1_000, Probes = 50 },
                        "--stages" => o with { Stages = true },
                        "--folder" when i + 1 < args.Length => o with { Folder = args[++i] },
                        _ => throw new FormatException(args[i]),
                    };
                }
                catch (FormatException)
                {
                    return null;
                }
            }
            return o;
        }
    }

    // ---- phase 1 ---------------------------------------------------------------------------------------------

    private static double Throughput(Options o)
    {
        using var scratch = new Scratch(o.Folder, "throughput");
        var archive = SqliteArchive.Open(scratch.Path);
        ICableOffice office = archive;
        var posts = Staff(archive, o.Posts);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;

        // step A: the people's part, drafted and released by concurrent officers
        var clock = Stopwatch.StartNew();
        var drafts = new (long Draft, ReaderIdentity Officer)[o.Telegrams];
        var next = -1;
        Parallel(o.Senders, s =>
        {
            var rng = new Random(s);
            int i;
            while ((i = Interlocked.Increment(ref next)) < o.Telegrams)
            {
                drafts[i] = Released(office, posts, i, rng, PrecedenceOf(i), ClassificationLevel.Secret, info: true);
            }
        });
        var draftSeconds = clock.Elapsed.TotalSeconds;
        var draftCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"phase 1: {o.Telegrams} drafts written and released in {draftSeconds:F1} s = {o.Telegrams / draftSeconds:F0}/s ({o.Senders} officers, group commit); CPU {draftCpu * 1000 / o.Telegrams:F2} ms each");

        // step B: the office's part, transmitted by concurrent clerks while the deliverer delivers and files
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        long sent = 0;
        double doneSeconds;
        using (var deliverer = new CableDeliverer(office))
        {
            next = -1;
            var senders = Enumerable.Range(0, o.Senders).Select(_ => new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < o.Telegrams)
                {
                    office.Send(drafts[i].Draft, drafts[i].Officer);
                    Interlocked.Increment(ref sent);
                }
            })).ToList();
            senders.ForEach(t => t.Start());
            var progress = Stopwatch.StartNew();
            while (senders.Any(t => t.IsAlive) || !office.QueueStatus().Settled)
            {
                Thread.Sleep(100);
                if (deliverer.Failure is { } failure)
                {
                    throw new ArchiveException("the deliverer stopped: " + failure.Message, failure);
                }
                if (progress.Elapsed.TotalSeconds >= 10)
                {
                    var q = office.QueueStatus();
                    Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {Interlocked.Read(ref sent)} sent, {deliverer.Delivered} delivered, {q.TotalPending} pending, {q.Unfiled} not yet filed");
                    progress.Restart();
                }
            }
            senders.ForEach(t => t.Join());
            doneSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"         {sent} telegrams numbered and sent, {deliverer.Delivered} deliveries made, every telegram filed: {doneSeconds:F1} s");
        }
        var rate = sent / doneSeconds;
        var sendCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu1).TotalSeconds;
        Console.WriteLine($"         sustained transmission (send + deliver to every addressee + file): {rate:F0} telegrams/s; CPU {sendCpu * 1000 / sent:F2} ms each");
        var lifecycle = sent / (draftSeconds + doneSeconds);
        Console.WriteLine($"         whole life (draft, release, send, deliver, file): {lifecycle:F0} telegrams/s; 1,000,000 would take {1_000_000 / lifecycle / 60:F1} min; machine load average {LoadAverage()}");
        var check = archive.Check();
        Console.WriteLine($"         archive check: {(check.Ok ? "ok" : "PROBLEMS " + string.Join("; ", check.Problems.Take(3)))}, {check.Documents} documents; database {new FileInfo(archive.DatabasePath).Length / 1e6:F0} MB");
        archive.Dispose();
        return rate;
    }

    /// <summary>
    /// Where a telegram's CPU goes: the same traffic sent with no deliverer running, then delivered, then filed,
    /// each step timed on its own (process CPU, so the senders' waiting costs nothing).
    /// </summary>
    private static void StageCosts(Options o)
    {
        using var scratch = new Scratch(o.Folder, "stages");
        var archive = SqliteArchive.Open(scratch.Path);
        ICableOffice office = archive;
        var posts = Staff(archive, o.Posts);
        var drafts = new (long Draft, ReaderIdentity Officer)[o.Telegrams];
        var next = -1;
        double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        void Step(string name, Action action)
        {
            var cpu = Cpu();
            var clock = Stopwatch.StartNew();
            action();
            Console.WriteLine($"  stage {name,-8} {clock.Elapsed.TotalSeconds,6:F1} s wall, {(Cpu() - cpu) / o.Telegrams,6:F3} ms CPU per telegram");
        }
        Console.WriteLine($"stage costs ({o.Telegrams} telegrams, {o.Senders} senders):");
        Step("draft", () => Parallel(o.Senders, s =>
        {
            var rng = new Random(s);
            int i;
            while ((i = Interlocked.Increment(ref next)) < o.Telegrams)
            {
                drafts[i] = Released(office, posts, i, rng, PrecedenceOf(i), ClassificationLevel.Secret, info: true);
            }
        }));
        next = -1;
        Step("send", () => Parallel(o.Senders, _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < o.Telegrams)
            {
                office.Send(drafts[i].Draft, drafts[i].Officer);
            }
        }));
        Step("deliver", () =>
        {
            while (office.DeliverPending(128) > 0)
            {
            }
        });
        Step("file", () =>
        {
            while (office.FilePending(2000) > 0)
            {
            }
        });
        archive.Dispose();
    }

    internal static Precedence PrecedenceOf(int i) => (i % 100) switch
    {
        0 => Precedence.Flash,
        1 or 2 => Precedence.Immediate,
        < 15 => Precedence.Priority,
        _ => Precedence.Routine,
    };

    internal static (long Draft, ReaderIdentity Officer) Released(ICableOffice office, IReadOnlyList<(string Id, ReaderIdentity Officer)> posts, int i, Random rng,
        Precedence precedence, ClassificationLevel level, bool info)
    {
        var from = posts[i % posts.Count];
        var to = posts[(i * 7 + 1) % posts.Count];
        if (to.Id == from.Id)
        {
            to = posts[(i + 1) % posts.Count];
        }
        var cc = posts[(i * 13 + 5) % posts.Count];
        var draft = office.CreateDraft(new DraftContent
        {
            FromPost = from.Id,
            Action = [Addressee.Post(to.Id)],
            Info = info && cc.Id != from.Id && cc.Id != to.Id ? [Addressee.Post(cc.Id)] : [],
            Classification = level,
            Precedence = precedence,
            Subject = Text(rng, 5),
            SubjectCode = SubjectCodes[i % SubjectCodes.Length],
            Body = [Text(rng, 60), Text(rng, 45), Text(rng, 30)],
            Signature = "Officer",
        }, from.Officer);
        office.Release(draft.Id, from.Officer);
        return (draft.Id, from.Officer);
    }

    private static string Text(Random rng, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[rng.Next(Words.Length)]));

    /// <summary>P posts, each with an officer (drafter, approver, clerk), a principal and a staff member.</summary>
    internal static List<(string Id, ReaderIdentity Officer)> Staff(SqliteArchive archive, int count, int first = 0)
    {
        var posts = new List<(string, ReaderIdentity)>();
        for (var i = first; i < first + count; i++)
        {
            var code = string.Concat((char)('A' + i / 26 % 26), (char)('A' + i % 26));
            var id = "post-" + code.ToLowerInvariant();
            var officer = new UserAccount("officer-" + code.ToLowerInvariant(), ClassificationLevel.Secret, [], DateTimeOffset.UtcNow);
            archive.AddUser(officer);
            archive.AddUser(new UserAccount("principal-" + code.ToLowerInvariant(), ClassificationLevel.TopSecret, [], DateTimeOffset.UtcNow));
            archive.AddUser(new UserAccount("staff-" + code.ToLowerInvariant(), ClassificationLevel.Secret, [], DateTimeOffset.UtcNow));
            archive.AddPost(new Post(id, "Post " + code, "City " + code, "CITY " + code, TimeSpan.Zero), "bench");
            foreach (var role in new[] { CableRole.Drafter, CableRole.Approver, CableRole.CommunicationsClerk })
            {
                archive.AddMember(new PostMember(id, officer.Name, role), "bench");
            }
            archive.AddMember(new PostMember(id, "principal-" + code.ToLowerInvariant(), CableRole.Principal, Title: "the Chief of Mission " + code), "bench");
            archive.AddMember(new PostMember(id, "staff-" + code.ToLowerInvariant(), CableRole.Drafter), "bench");
            posts.Add((id, officer.Identity));
        }
        return posts;
    }

    // ---- phase 2 ---------------------------------------------------------------------------------------------

    private static double Latency(Options o)
    {
        using var scratch = new Scratch(o.Folder, "latency");
        var archive = SqliteArchive.Open(scratch.Path);
        ICableOffice office = archive;
        var posts = Staff(archive, 10);

        // the backlog: sent with no deliverer running
        var clock = Stopwatch.StartNew();
        var next = -1;
        Parallel(o.Senders, s =>
        {
            var rng = new Random(1000 + s);
            int i;
            while ((i = Interlocked.Increment(ref next)) < o.Backlog)
            {
                var (draft, officer) = Released(office, posts, i, rng, Precedence.Routine, ClassificationLevel.Unclassified, info: false);
                office.Send(draft, officer);
            }
        });
        Console.WriteLine($"phase 2: {o.Backlog} ROUTINE telegrams queued in {clock.Elapsed.TotalSeconds:F1} s (no deliverer running)");

        // probes of every precedence, drafted and released beforehand so that sending one is a single commit
        var rngProbe = new Random(7);
        var drafts = new List<(long Draft, ReaderIdentity Officer)>();
        for (var k = 0; k < o.Probes; k++)
        {
            foreach (var p in Precedences.All)
            {
                drafts.Add(Released(office, posts, o.Backlog + drafts.Count, rngProbe, p, ClassificationLevel.Unclassified, info: false));
            }
        }
        var probes = new System.Collections.Concurrent.ConcurrentBag<Telegram>();
        double drainSeconds;
        using (var deliverer = new CableDeliverer(office))
        {
            clock.Restart();
            // four senders spread the probes over the time the deliverer needs for the backlog
            var nextProbe = -1;
            var pace = TimeSpan.FromMilliseconds(Math.Max(1, 4000.0 * o.Backlog / 10_000 / Math.Max(1, drafts.Count / 4)));
            Parallel(4, _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref nextProbe)) < drafts.Count)
                {
                    probes.Add(office.Send(drafts[i].Draft, drafts[i].Officer));
                    Thread.Sleep(pace);
                }
            });
            var left = office.QueueStatus().PendingDeliveries[Precedence.Routine];
            Console.WriteLine($"         {drafts.Count} probes sent in {clock.Elapsed.TotalSeconds:F1} s; {left} ROUTINE deliveries still queued then");
            deliverer.WaitIdle(TimeSpan.FromHours(1));
            drainSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"         backlog and probes delivered and filed {drainSeconds:F1} s after the deliverer started");
        }
        double flashP99 = double.MaxValue;
        Console.WriteLine("         delivery latency (send acknowledged → received at the post), ms:");
        Console.WriteLine("           precedence         n     p50      p99      max");
        foreach (var group in probes.GroupBy(t => t.Precedence).OrderBy(g => g.Key))
        {
            var ms = group.Select(t =>
            {
                var view = office.Read(t.Number, ReaderIdentity.System, "bench")!;
                return (view.Receipts.Single().Received - t.Sent).TotalMilliseconds;
            }).Order().ToList();
            var p50 = Percentile(ms, 0.50);
            var p99 = Percentile(ms, 0.99);
            if (group.Key == Precedence.Flash)
            {
                flashP99 = p99;
            }
            Console.WriteLine($"           {Precedences.Printed(group.Key),-16} {ms.Count,4} {p50,8:F1} {p99,8:F1} {ms[^1],8:F1}");
        }
        archive.Dispose();
        return flashP99;
    }

    private static string LoadAverage() => BenchArgs.LoadAverage();

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static void Parallel(int threads, Action<int> body)
    {
        var list = Enumerable.Range(0, threads).Select(n => new Thread(() => body(n))).ToList();
        list.ForEach(t => t.Start());
        list.ForEach(t => t.Join());
    }

    /// <summary>A fresh archive folder, removed afterwards unless the caller named the folder.</summary>
    private sealed class Scratch : IDisposable
    {
        private readonly bool _owned;

        public Scratch(string? parent, string name)
        {
            if (parent is null)
            {
                Path = Directory.CreateTempSubdirectory("chancery-bench-cables-").FullName;
                _owned = true;
            }
            else
            {
                Path = System.IO.Path.Combine(parent, name + "-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
                Directory.CreateDirectory(Path);
            }
        }

        public string Path { get; }

        public void Dispose()
        {
            if (_owned)
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}
