using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Microsoft.Data.Sqlite;

namespace Chancery.Bench;

/// <summary>
/// The cable office's durability claim, tested by force: a worker process sends released telegrams as fast as it
/// can while its in-process deliverer delivers and files them; it is killed with SIGKILL at random moments and
/// started again, K times. Every telegram the worker acknowledged (Send returned) must exist afterwards, be
/// delivered exactly once to every receiving post and be filed once; each post's serials must stay gap-free.
/// </summary>
/// <remarks>
/// usage: cables-kill [--kills K] [--telegrams N] [--posts P] [--senders S] [--seed S]. The kills are spread over the
/// sending: each worker is killed after a random number (between half and all) of N / (K + 1) acknowledgements.
/// </remarks>
internal static class CableKillBenchmark
{
    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var kills = Arg("--kills", 10);
        var telegrams = Arg("--telegrams", 3000);
        var posts = Arg("--posts", 10);
        var senders = Arg("--senders", 16);
        var rng = new Random(Arg("--seed", 1));
        var folder = Directory.CreateTempSubdirectory("chancery-cable-kill-").FullName;
        try
        {
            // the people's part first: released drafts, written down as a plan for the worker
            var plan = Path.Combine(folder, "plan.txt");
            var clock = Stopwatch.StartNew();
            using (var archive = SqliteArchive.Open(Path.Combine(folder, "archive")))
            {
                var staff = CableBenchmark.Staff(archive, posts);
                var lines = new string[telegrams];
                var next = -1;
                // drafted and released by concurrent officers, so that their commits are shared
                var officers = Enumerable.Range(0, senders).Select(s => new Thread(() =>
                {
                    var local = new Random(1000 + s);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < telegrams)
                    {
                        var (draft, officer) = CableBenchmark.Released(archive, staff, i, local, CableBenchmark.PrecedenceOf(i), ClassificationLevel.Secret, info: true);
                        lines[i] = $"{draft} {officer.Name}";
                    }
                })).ToList();
                officers.ForEach(t => t.Start());
                officers.ForEach(t => t.Join());
                File.WriteAllLines(plan, lines);
            }
            Console.WriteLine($"cable kill test: {telegrams} released drafts among {posts} posts ({clock.Elapsed.TotalSeconds:F0} s); {kills} SIGKILLs of the worker ({senders} senders and its deliverer); load average {Load()}");
            clock.Restart();

            var acknowledged = new Dictionary<long, string>();
            var killed = 0;
            var share = Math.Max(1, telegrams / (kills + 1));
            while (true)
            {
                // killed after a random number of acknowledgements up to its share of the run, so that K kills always
                // happen before the plan runs out; the last run is never killed
                int? killAt = killed < kills ? rng.Next(Math.Max(1, share / 2), share + 1) : null;
                var (exited, acked) = RunWorker(folder, plan, senders, killAt);
                foreach (var (draft, number) in acked)
                {
                    if (acknowledged.TryGetValue(draft, out var earlier) && earlier != number)
                    {
                        Console.WriteLine($"FAIL: draft {draft} acknowledged twice, as {earlier} and {number}");
                        return 1;
                    }
                    acknowledged[draft] = number;
                }
                if (exited)
                {
                    break;
                }
                killed++;
                Console.WriteLine($"  kill {killed} at {clock.Elapsed.TotalSeconds:F0} s: {acknowledged.Count} telegrams acknowledged so far; load average {Load()}");
            }
            Console.WriteLine($"  the last worker finished sending, delivering and filing at {clock.Elapsed.TotalSeconds:F0} s; load average {Load()}");
            return Verify(Path.Combine(folder, "archive"), acknowledged, telegrams, killed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Runs the worker until it finishes or has acknowledged <paramref name="killAt"/> telegrams (then SIGKILLs it,
    /// wherever it is: sending, delivering or filing); returns what it acknowledged.
    /// </summary>
    private static (bool Exited, List<(long Draft, string Number)> Acked) RunWorker(string folder, string plan, int senders, int? killAt)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!self.EndsWith("Chancery.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(CableKillBenchmark).Assembly.Location);
        }
        foreach (var a in new[] { "cables-worker", Path.Combine(folder, "archive"), plan, senders.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        using var worker = Process.Start(start)!;
        var acked = new List<(long, string)>();
        using var enough = new ManualResetEventSlim();
        var reading = Task.Run(() =>
        {
            while (worker.StandardOutput.ReadLine() is { } line)
            {
                // "SENT draft number": printed only after Send returned, i.e. acknowledged
                var parts = line.Split(' ', 3);
                if (parts is ["SENT", var draft, var number])
                {
                    lock (acked)
                    {
                        acked.Add((long.Parse(draft, CultureInfo.InvariantCulture), number));
                        if (acked.Count >= killAt)
                        {
                            enough.Set();
                        }
                    }
                }
            }
        });
        var exited = false;
        var limit = Stopwatch.StartNew();
        while (!exited && limit.Elapsed < TimeSpan.FromMinutes(30))
        {
            if (killAt is not null && enough.Wait(0))
            {
                break;
            }
            exited = worker.WaitForExit(TimeSpan.FromMilliseconds(20));
        }
        if (!exited)
        {
            worker.Kill(entireProcessTree: true);
            worker.WaitForExit();
        }
        reading.Wait();
        return (exited, acked);
    }

    /// <summary>
    /// S threads send every draft of the plan (lines "DRAFT CLERK") not yet sent, printing "SENT DRAFT NUMBER" once
    /// Send has returned (the acknowledgement the kill benchmarks count); returns what stopped a thread, if anything.
    /// </summary>
    internal static Exception? SendPlan(SqliteArchive archive, string[] plan, int senders)
    {
        ICableOffice office = archive;
        var next = -1;
        Exception? failed = null;
        var threads = Enumerable.Range(0, senders).Select(_ => new Thread(() =>
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < plan.Length)
                {
                    var parts = plan[i].Split(' ');
                    var draft = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    var clerk = archive.GetUser(parts[1])!.Identity;
                    if (office.GetDraft(draft, clerk) is { Status: DraftStatus.Sent })
                    {
                        continue;
                    }
                    var telegram = office.Send(draft, clerk);
                    // Console.Out is synchronised: one whole line per acknowledgement
                    Console.Out.WriteLine($"SENT {draft} {telegram.Number}");
                }
            }
            catch (Exception e)
            {
                failed = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return failed;
    }

    /// <summary>The worker: S senders send every draft of the plan not yet sent, then it drains delivery and filing.</summary>
    public static int Worker(string[] args)
    {
        using var archive = SqliteArchive.Open(args[0]);
        ICableOffice office = archive;
        using var deliverer = new CableDeliverer(office);
        var plan = File.ReadAllLines(args[1]);
        var senders = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var failed = SendPlan(archive, plan, senders);
        Console.Out.Flush();
        if (failed is not null)
        {
            Console.Error.WriteLine("sending failed: " + failed.Message);
            return 1;
        }
        while (!office.QueueStatus().Settled)
        {
            if (deliverer.Failure is { } failure)
            {
                Console.Error.WriteLine("deliverer failed: " + failure.Message);
                return 1;
            }
            deliverer.Wake();
            Thread.Sleep(50);
        }
        return 0;
    }

    private static int Verify(string folder, Dictionary<long, string> acknowledged, int telegrams, int kills)
    {
        var problems = new List<string>();
        using var archive = SqliteArchive.Open(folder);
        ICableOffice office = archive;
        var check = archive.Check();
        if (!check.Ok)
        {
            problems.AddRange(check.Problems.Take(5));
        }
        using var db = new SqliteConnection($"Data Source={archive.DatabasePath};Mode=ReadOnly");
        db.Open();
        long Scalar(string sql)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var messages = Scalar("SELECT count(*) FROM cable_messages");
        var numbers = new HashSet<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT number FROM cable_messages";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                numbers.Add(r.GetString(0));
            }
        }
        var lost = acknowledged.Values.Where(n => !numbers.Contains(n)).ToList();
        if (lost.Count > 0)
        {
            problems.Add($"{lost.Count} acknowledged telegrams lost, e.g. {lost[0]}");
        }
        if (messages != telegrams)
        {
            problems.Add($"{messages} telegrams stored for {telegrams} drafts");
        }
        // delivered exactly once per receiving post: the receipts (one row per message and post at most) are exactly
        // the posts the telegram was addressed to; the queue holds nothing
        var receipts = new Dictionary<string, HashSet<string>>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT message_id, post FROM cable_receipts";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                (receipts.TryGetValue(r.GetString(0), out var set) ? set : receipts[r.GetString(0)] = []).Add(r.GetString(1));
            }
        }
        var wrong = 0;
        var received = 0;
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT id, json FROM cable_messages";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var telegram = System.Text.Json.JsonSerializer.Deserialize<Telegram>(r.GetString(1), Chancery.Core.Export.DocumentJson.Compact)!;
                var expected = telegram.Recipients.Select(x => x.Post).ToHashSet();
                var got = receipts.GetValueOrDefault(r.GetString(0)) ?? [];
                received += got.Count;
                if (!expected.SetEquals(got))
                {
                    wrong++;
                }
            }
        }
        var queued = Scalar("SELECT count(*) FROM cable_deliveries");
        if (wrong > 0 || queued > 0)
        {
            problems.Add($"deliveries: {wrong} telegrams not received by exactly their posts, {queued} still queued");
        }
        var gaps = Scalar("SELECT count(*) FROM (SELECT post, max(serial) - min(serial) + 1 - count(*) AS gap FROM cable_messages GROUP BY post) WHERE gap <> 0");
        var duplicates = Scalar("SELECT count(*) FROM (SELECT post, serial FROM cable_messages GROUP BY post, serial HAVING count(*) > 1)");
        if (gaps > 0 || duplicates > 0)
        {
            problems.Add($"numbering: {gaps} posts with gaps, {duplicates} duplicate serials");
        }
        var filed = check.Documents;
        var status = office.QueueStatus();
        if (!status.Settled || filed < telegrams)
        {
            problems.Add($"after the last run: {status.TotalPending} deliveries pending, {status.Unfiled} unfiled, {status.StaleVolumes} stale volumes, {filed} documents for {telegrams} telegrams");
        }
        Console.WriteLine($"after {kills} kills: {messages} telegrams ({acknowledged.Count} acknowledged while being killed), {received} receipts (each telegram at exactly its posts), {queued} still queued, {filed} filed documents; serials gap-free: {gaps == 0 && duplicates == 0}");
        Console.WriteLine(problems.Count == 0 ? "zero lost, zero duplicated, zero undelivered" : "FAIL: " + string.Join("; ", problems));
        return problems.Count == 0 ? 0 : 1;
    }

    private static string Load() => BenchArgs.LoadAverage();
}
