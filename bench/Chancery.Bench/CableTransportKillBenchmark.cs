using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Core.Cables;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Chancery.Bench;

/// <summary>
/// The transport's durability claim (issue 9 item 10, docs/decisions/003-cable-transport.md), tested by force: a
/// sender process sends released telegrams at archive A while its relay carries the outbox to PostgreSQL; a receiver
/// process takes them into archive B, delivers and files them. While the sender sends, K crashes are spread over the
/// run, in turn: the sender (SIGKILL, started again), the PostgreSQL server (<c>pg_ctl stop -m immediate</c>, started
/// again) and the receiver (SIGKILL, started again). Afterwards every telegram A committed (every acknowledged one
/// among them) must have exactly one receipt at B, nothing may be left in A's outbox, the transport or B's queue, and
/// nothing may be parked.
/// </summary>
/// <remarks>
/// usage: cables-transport-kill [--kills K] [--telegrams N] [--posts P] [--senders S] [--seed S]. Always on a
/// throwaway cluster of its own (it must crash the server). Kill i falls after a random number (between half and
/// all) of N / (K + 1) further acknowledgements.
/// </remarks>
internal static class CableTransportKillBenchmark
{
    private static readonly string[] Targets = ["sender", "PostgreSQL", "receiver"];

    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var kills = Arg("--kills", 10);
        var telegrams = Arg("--telegrams", 5000);
        var posts = Arg("--posts", 25);
        var senders = Arg("--senders", 8);
        var rng = new Random(Arg("--seed", 1));
        var folder = Directory.CreateTempSubdirectory("chancery-transport-kill-").FullName;
        using var cluster = PostgresBenchmark.ThrowawayCluster.Start();
        var database = PostgresBenchmark.FreshDatabase(cluster.Url, "chancery_transport_kill");
        try
        {
            var (a, b, plan) = (Path.Combine(folder, "a"), Path.Combine(folder, "b"), Path.Combine(folder, "plan.txt"));
            var clock = Stopwatch.StartNew();
            using (var archiveA = SqliteArchive.Open(a))
            using (var archiveB = SqliteArchive.Open(b))
            {
                var from = CableBenchmark.Staff(archiveA, posts);
                var to = CableBenchmark.Staff(archiveB, posts, posts);
                foreach (var p in to)
                {
                    archiveA.AddRemotePost(archiveB.GetPost(p.Id)!, database.Url, "bench");
                }
                foreach (var p in from)
                {
                    archiveB.AddRemotePost(archiveA.GetPost(p.Id)!, database.Url, "bench");
                }
                File.WriteAllLines(plan, CableTransportBenchmark.Drafts(archiveA, from, to, telegrams).Select(d => $"{d.Draft} {d.Officer.Name}"));
            }
            using (var transport = new PostgresCableTransport(database.Url))
            {
                transport.Count(); // the table exists before the first crash
            }
            Console.WriteLine($"cable transport kill test: {telegrams} released drafts at A for {posts} posts at B ({clock.Elapsed.TotalSeconds:F0} s); {kills} crashes in turn of the {string.Join(", ", Targets)}; load average {BenchArgs.LoadAverage()}");
            clock.Restart();

            var expected = Path.Combine(folder, "expected.txt");
            using var sender = new Worker("cables-transport-sender", a, plan, senders.ToString(CultureInfo.InvariantCulture), database.Url);
            using var receiver = new Worker("cables-transport-receiver", b, database.Url, expected);
            var share = Math.Max(1, telegrams / (kills + 1));
            var next = rng.Next(Math.Max(1, share / 2), share + 1);
            var killed = 0;
            while (!sender.Finished)
            {
                if (sender.Failed is not null || receiver.Failed is not null)
                {
                    Console.WriteLine($"FAIL: a worker stopped: {sender.Failed ?? receiver.Failed}");
                    return 1;
                }
                if (killed < kills && sender.Acknowledged.Count >= next)
                {
                    var target = Targets[killed % Targets.Length];
                    switch (target)
                    {
                        case "sender": sender.KillAndRestart(); break;
                        case "receiver": receiver.KillAndRestart(); break;
                        default:
                            cluster.Crash();
                            cluster.Restart();
                            break;
                    }
                    killed++;
                    Console.WriteLine($"  crash {killed} ({target}) at {clock.Elapsed.TotalSeconds:F0} s: {sender.Acknowledged.Count} telegrams acknowledged so far; load average {BenchArgs.LoadAverage()}");
                    next = sender.Acknowledged.Count + rng.Next(Math.Max(1, share / 2), share + 1);
                }
                Thread.Sleep(20);
            }
            // the sender is done: every telegram A holds must reach B
            var committed = Count(a, "SELECT count(*) FROM cable_messages");
            File.WriteAllText(expected, committed.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"  the sender finished at {clock.Elapsed.TotalSeconds:F0} s ({committed} telegrams at A); load average {BenchArgs.LoadAverage()}");
            if (!receiver.WaitFinished(TimeSpan.FromMinutes(30)))
            {
                Console.WriteLine($"FAIL: the receiver did not finish: {receiver.Failed}");
                return 1;
            }
            Console.WriteLine($"  the receiver finished receiving, delivering and filing at {clock.Elapsed.TotalSeconds:F0} s; load average {BenchArgs.LoadAverage()}");
            using var left = new PostgresCableTransport(database.Url);
            return Verify(a, b, sender.Acknowledged, telegrams, killed, left.Count());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            database.Drop();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Verify(string a, string b, IReadOnlyDictionary<long, string> acknowledged, int telegrams, int kills, long inTransport)
    {
        var problems = new List<string>();
        var sent = Strings(a, "SELECT id || ' ' || number FROM cable_messages").Select(x => x.Split(' ', 2)).ToDictionary(x => x[0], x => x[1]);
        var numbers = sent.Values.ToHashSet();
        var lost = acknowledged.Values.Where(n => !numbers.Contains(n)).ToList();
        if (lost.Count > 0)
        {
            problems.Add($"{lost.Count} acknowledged telegrams missing at A, e.g. {lost[0]}");
        }
        if (sent.Count != telegrams)
        {
            problems.Add($"{sent.Count} telegrams at A for {telegrams} drafts");
        }
        var receipts = Strings(b, "SELECT message_id FROM cable_receipts");
        var distinct = receipts.ToHashSet();
        var undelivered = sent.Keys.Count(id => !distinct.Contains(id));
        var strangers = distinct.Count(id => !sent.ContainsKey(id));
        var readers = Count(b, "SELECT count(*) FROM (SELECT message_id, user FROM cable_readers WHERE box = 'received' GROUP BY message_id, user HAVING count(*) > 1)");
        var outbox = Count(a, "SELECT count(*) FROM cable_outbox");
        var queued = Count(b, "SELECT count(*) FROM cable_deliveries");
        var parked = Count(b, "SELECT count(*) FROM cable_parked");
        var unfiled = Count(b, "SELECT count(*) FROM cable_messages WHERE filed = 0");
        if (undelivered > 0 || strangers > 0)
        {
            problems.Add($"{undelivered} telegrams of A without a receipt at B, {strangers} receipts at B for telegrams A does not hold");
        }
        if (receipts.Count != distinct.Count || readers > 0)
        {
            problems.Add($"duplicates: {receipts.Count - distinct.Count} receipts, {readers} inbox entries");
        }
        if (outbox > 0 || inTransport > 0 || queued > 0 || parked > 0 || unfiled > 0)
        {
            problems.Add($"left over: {outbox} in A's outbox, {inTransport} in the transport, {queued} queued at B, {parked} parked at B, {unfiled} unfiled at B");
        }
        Console.WriteLine($"after {kills} crashes: {sent.Count} telegrams at A ({acknowledged.Count} acknowledged while being crashed), {receipts.Count} receipts at B of {distinct.Count} distinct telegrams; outbox {outbox}, transport {inTransport}, queued {queued}, parked {parked}, unfiled {unfiled}");
        Console.WriteLine(problems.Count == 0 ? "zero lost, zero duplicated, zero undelivered" : "FAIL: " + string.Join("; ", problems));
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The sender process: sends every draft of the plan not yet sent on S threads, relaying A's outbox meanwhile, until the outbox is empty and A settled.</summary>
    public static int Sender(string[] args)
    {
        using var archive = SqliteArchive.Open(args[0]);
        ICableOffice office = archive;
        var plan = File.ReadAllLines(args[1]);
        var senders = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var transport = new PostgresCableTransport(args[3]);
        using var deliverer = new CableDeliverer(office);
        var sending = true;
        var relay = new Thread(() =>
        {
            while (Volatile.Read(ref sending) || !office.QueueStatus().Settled)
            {
                if (!RelayOnce(transport, archive).Moved)
                {
                    Thread.Sleep(20);
                }
            }
        });
        relay.Start();
        var failed = CableKillBenchmark.SendPlan(archive, plan, senders);
        Volatile.Write(ref sending, false);
        relay.Join();
        Console.Out.Flush();
        if (failed is not null)
        {
            Console.Error.WriteLine("sending failed: " + failed.Message);
            return 1;
        }
        return deliverer.Failure is { } f ? Fail("deliverer failed: " + f.Message) : 0;
    }

    /// <summary>The receiver process: relays for B and delivers until B holds the number of receipts in the expected file and has settled.</summary>
    public static int Receiver(string[] args)
    {
        using var archive = SqliteArchive.Open(args[0]);
        ICableOffice office = archive;
        using var transport = new PostgresCableTransport(args[1]);
        using var deliverer = new CableDeliverer(office);
        while (true)
        {
            if (deliverer.Failure is { } f)
            {
                return Fail("deliverer failed: " + f.Message);
            }
            var pass = RelayOnce(transport, archive);
            if (pass.Parked.Count > 0)
            {
                return Fail($"parked: {pass.Parked[0].Reason}");
            }
            if (pass.Moved)
            {
                deliverer.Wake();
                continue;
            }
            if (File.Exists(args[2]) && long.Parse(File.ReadAllText(args[2]), CultureInfo.InvariantCulture) is var expected
                && Count(args[0], "SELECT count(*) FROM cable_receipts") >= expected && office.QueueStatus().Settled)
            {
                return 0;
            }
            try
            {
                transport.WaitForTraffic(TimeSpan.FromMilliseconds(200));
            }
            catch (ArchiveException)
            {
                Thread.Sleep(100); // the server is down: the next pass tries again
            }
        }
    }

    // the transport server crashing is expected here: what was not committed stays where it was, so try again
    private static RelayPass RelayOnce(PostgresCableTransport transport, SqliteArchive archive)
    {
        try
        {
            return transport.Relay(archive);
        }
        catch (Exception e) when (e is ArchiveException or InvalidOperationException or IOException)
        {
            Thread.Sleep(100);
            return new RelayPass(0, 0, []);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    private static long Count(string archive, string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(archive, "archive.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<string> Strings(string archive, string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(archive, "archive.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    /// <summary>A worker process of this benchmark, started again after each kill; collects the sender's acknowledgements.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly string[] _args;
        private readonly Dictionary<long, string> _acknowledged = [];
        private Process _process;
        private Task _reading;
        private string? _failed;

        public Worker(params string[] args)
        {
            _args = args;
            (_process, _reading) = Start();
        }

        public IReadOnlyDictionary<long, string> Acknowledged
        {
            get
            {
                lock (_acknowledged)
                {
                    return new Dictionary<long, string>(_acknowledged);
                }
            }
        }

        /// <summary>Why the worker stopped on its own with an error, if it did.</summary>
        public string? Failed => Volatile.Read(ref _failed);

        /// <summary>True when the worker exited on its own with success.</summary>
        public bool Finished
        {
            get
            {
                if (!_process.HasExited)
                {
                    return false;
                }
                _reading.Wait();
                if (_process.ExitCode != 0)
                {
                    Volatile.Write(ref _failed, $"{_args[0]} exited with {_process.ExitCode}: {_process.StandardError.ReadToEnd().Trim()}");
                    return false;
                }
                return true;
            }
        }

        public bool WaitFinished(TimeSpan timeout) => _process.WaitForExit(timeout) && Finished;

        public void KillAndRestart()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _reading.Wait();
            _process.Dispose();
            (_process, _reading) = Start();
        }

        private (Process, Task) Start()
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (!self.EndsWith("Chancery.Bench", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(typeof(CableTransportKillBenchmark).Assembly.Location);
            }
            foreach (var a in _args)
            {
                start.ArgumentList.Add(a);
            }
            var process = Process.Start(start)!;
            var reading = Task.Run(() =>
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    if (line.Split(' ', 3) is ["SENT", var draft, var number])
                    {
                        lock (_acknowledged)
                        {
                            var id = long.Parse(draft, CultureInfo.InvariantCulture);
                            if (_acknowledged.TryGetValue(id, out var earlier) && earlier != number)
                            {
                                Volatile.Write(ref _failed, $"draft {draft} acknowledged twice, as {earlier} and {number}");
                            }
                            _acknowledged[id] = number;
                        }
                    }
                }
            });
            return (process, reading);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
