using System.Diagnostics;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Chancery.Bench;

/// <summary>
/// The cable transport between archives (docs/decisions/003-cable-transport.md), in one process: archive A holds
/// P posts, archive B another P, each declares the other's posts remote on one PostgreSQL transport, and N
/// telegrams go from A's posts to B's. Timed from the first send at A until B has received, delivered and filed all
/// N (senders at A, a relay loop and a deliverer on each side, all running at once). The baseline, in the same run,
/// is the same N telegrams among the same 2P posts in one archive, delivered in-process. Ends with the exactly-once
/// check: B holds N receipts of N distinct telegrams, A's outbox and the transport are empty.
/// <c>bench -- cables-transport [--telegrams N] [--posts P] [--senders S] [--url postgres://…] [--transport postgres|rabbitmq|both]</c> (server: --url,
/// else CHANCERY_TEST_POSTGRES, else a throwaway cluster).
/// </summary>
public static class CableTransportBenchmark
{
    /// <summary>Runs the baseline and the transport; 0 when exactly once held.</summary>
    public static int Run(string[] args)
    {
        int telegrams = 20_000, posts = 25, senders = 8;
        string? url = null;
        var carrier = "postgres";
        var amqp = "amqp://guest:guest@127.0.0.1:5672/";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--telegrams" when i + 1 < args.Length: telegrams = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--posts" when i + 1 < args.Length: posts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--senders" when i + 1 < args.Length: senders = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--url" when i + 1 < args.Length: url = args[++i]; break;
                case "--transport" when i + 1 < args.Length && args[i + 1] is "postgres" or "rabbitmq" or "both": carrier = args[++i]; break;
                case "--amqp" when i + 1 < args.Length: amqp = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: bench -- cables-transport [--telegrams N] [--posts P] [--senders S] [--url postgres://…] [--transport postgres|rabbitmq|both] [--amqp amqp://…]");
                    return 2;
            }
        }
        url ??= Environment.GetEnvironmentVariable("CHANCERY_TEST_POSTGRES");
        using var cluster = string.IsNullOrWhiteSpace(url) ? PostgresBenchmark.ThrowawayCluster.Start() : null;
        var server = cluster?.Url ?? url!.Trim();
        Console.WriteLine($"machine load average at start: {BenchArgs.LoadAverage()}");
        Console.WriteLine($"cable transport benchmark: {telegrams} telegrams from {posts} posts in archive A to {posts} posts in archive B, {senders} senders; transport PostgreSQL at {PostgresUrl.Redact(server)}; {Environment.ProcessorCount} cores");

        var baseline = InProcess(telegrams, posts, senders);
        Console.WriteLine($"baseline (one archive, in-process delivery): {telegrams} telegrams sent, delivered and filed in {baseline:F1} s = {telegrams / baseline:F0} telegrams/s");
        var database = PostgresBenchmark.FreshDatabase(server, "chancery_transport");
        try
        {
            var ok = true;
            if (carrier is "postgres" or "both")
            {
                var (seconds, exact) = Transported(database.Url, telegrams, posts, senders);
                Console.WriteLine($"transport (two archives, PostgreSQL): {telegrams} telegrams sent at A, relayed, received, delivered and filed at B in {seconds:F1} s = {telegrams / seconds:F0} telegrams/s ({baseline / seconds:F2}x the in-process rate)");
                ok &= exact;
            }
            if (carrier is "rabbitmq" or "both")
            {
                var (seconds, exact) = TransportedRabbit(amqp, telegrams, posts, senders);
                Console.WriteLine($"transport (two archives, RabbitMQ durable queue, confirms, manual acks): {telegrams} telegrams sent at A, relayed, received, delivered and filed at B in {seconds:F1} s = {telegrams / seconds:F0} telegrams/s ({baseline / seconds:F2}x the in-process rate)");
                ok &= exact;
            }
            Console.WriteLine($"machine load average at end: {BenchArgs.LoadAverage()}");
            return ok ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            database.Drop();
        }
    }

    private static double InProcess(int telegrams, int posts, int senders)
    {
        var folder = Directory.CreateTempSubdirectory("chancery-bench-transport-");
        try
        {
            using var archive = SqliteArchive.Open(folder.FullName);
            var from = CableBenchmark.Staff(archive, posts);
            var to = CableBenchmark.Staff(archive, posts, posts);
            var drafts = Drafts(archive, from, to, telegrams);
            var clock = Stopwatch.StartNew();
            using (var deliverer = new CableDeliverer(archive))
            {
                Send(archive, drafts, senders);
                while (!archive.QueueStatus().Settled)
                {
                    Check(deliverer);
                    Thread.Sleep(5);
                }
            }
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static (double Seconds, bool Ok) Transported(string url, int telegrams, int posts, int senders) =>
        BetweenTwoArchives(url, telegrams, posts, (a, b, folderB, drafts) =>
        {
            using var transportA = new PostgresCableTransport(url);
            using var transportB = new PostgresCableTransport(url);
            transportA.Count(); // creates the table before the clock starts

            var seconds = Carry(a, b, drafts, senders, telegrams,
                push: () => transportA.Relay(a).Pushed,
                receive: () => transportB.Relay(b).Received);

            var (receipts, distinct) = Receipts(folderB);
            var outbox = a.OutboxCount();
            var left = transportA.Count();
            var ok = receipts == telegrams && distinct == telegrams && outbox == 0 && left == 0;
            Console.WriteLine($"exactly once: B holds {receipts} receipts of {distinct} distinct telegrams (expected {telegrams}); A's outbox {outbox}, transport {left} rows left: {(ok ? "PASS" : "FAIL")}");
            return (seconds, ok);
        });

    // the same archives, posts, drafts and checks as Transported, carried by RabbitMQ instead of PostgreSQL
    private const string RabbitKey = "postgres://rabbitmq@bench/carried-by-rabbitmq";

    private static (double Seconds, bool Ok) TransportedRabbit(string amqp, int telegrams, int posts, int senders) =>
        BetweenTwoArchives(RabbitKey, telegrams, posts, (a, b, folderB, drafts) =>
        {
            var carrier = RabbitCableCarrier.Open(amqp, RabbitKey).GetAwaiter().GetResult();
            try
            {
                var seconds = Carry(a, b, drafts, senders, telegrams,
                    push: () => carrier.Push(a).GetAwaiter().GetResult(),
                    // Loop pauses after a small batch; the wait for the first message already paced this side
                    receive: () => carrier.Receive(b, TimeSpan.FromMilliseconds(20)).GetAwaiter().GetResult(),
                    receiveBatch: 64);

                var (receipts, distinct) = Receipts(folderB);
                var outbox = a.OutboxCount();
                var ok = receipts == telegrams && distinct == telegrams && outbox == 0;
                Console.WriteLine($"exactly once (RabbitMQ): B holds {receipts} receipts of {distinct} distinct telegrams (expected {telegrams}); A's outbox {outbox}: {(ok ? "PASS" : "FAIL")}");
                return (seconds, ok);
            }
            finally
            {
                carrier.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });

    // two fresh archives whose posts know each other's as remote through `key`, with the drafts written at A;
    // both folders are removed afterwards whatever the carrier did
    private static (double Seconds, bool Ok) BetweenTwoArchives(string key, int telegrams, int posts,
        Func<SqliteArchive, SqliteArchive, string, (long Draft, ReaderIdentity Officer)[], (double Seconds, bool Ok)> carry)
    {
        var folderA = Directory.CreateTempSubdirectory("chancery-bench-transport-a-");
        var folderB = Directory.CreateTempSubdirectory("chancery-bench-transport-b-");
        try
        {
            using var a = SqliteArchive.Open(folderA.FullName);
            using var b = SqliteArchive.Open(folderB.FullName);
            var from = CableBenchmark.Staff(a, posts);
            var to = CableBenchmark.Staff(b, posts, posts);
            foreach (var p in to)
            {
                a.AddRemotePost(b.GetPost(p.Id)!, key, "bench");
            }
            foreach (var p in from)
            {
                b.AddRemotePost(a.GetPost(p.Id)!, key, "bench");
            }
            return carry(a, b, folderB.FullName, Drafts(a, from, to, telegrams));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folderA.Delete(recursive: true);
            folderB.Delete(recursive: true);
        }
    }

    // sends the drafts at A while one relay thread pushes A's outbox and another receives at B, until B has received
    // every telegram and both offices are settled; returns the seconds it took. receiveBatch: the smallest batch the
    // receiving loop reports, for a carrier whose receive already waits for traffic
    private static double Carry(SqliteArchive a, SqliteArchive b, (long Draft, ReaderIdentity Officer)[] drafts, int senders,
        int telegrams, Func<int> push, Func<int> receive, int receiveBatch = 0)
    {
        var clock = Stopwatch.StartNew();
        var sending = true;
        var received = 0;
        Exception? failure = null;
        var relayA = new Thread(() => Loop(() =>
        {
            var moved = push();
            return moved > 0 || Volatile.Read(ref sending) || a.OutboxCount() > 0 ? moved : -1;
        }, ref failure));
        var relayB = new Thread(() => Loop(() =>
        {
            var moved = receive();
            return Interlocked.Add(ref received, moved) < telegrams ? Math.Max(moved, receiveBatch) : -1;
        }, ref failure));
        using (var deliverA = new CableDeliverer(a))
        using (var deliverB = new CableDeliverer(b))
        {
            relayA.Start();
            relayB.Start();
            Send(a, drafts, senders);
            Volatile.Write(ref sending, false);
            relayA.Join();
            relayB.Join();
            if (failure is not null)
            {
                throw new ArchiveException("a relay stopped: " + failure.Message, failure);
            }
            while (!b.QueueStatus().Settled || !a.QueueStatus().Settled)
            {
                Check(deliverA);
                Check(deliverB);
                Thread.Sleep(5);
            }
        }
        return clock.Elapsed.TotalSeconds;
    }

    // a step returns how much it moved, or -1 when its side is done; it pauses 20 ms unless it moved a good batch,
    // so that two relays do not spin on the archives' write queues and the CPU the senders need
    private static void Loop(Func<int> step, ref Exception? failure)
    {
        try
        {
            for (var moved = step(); moved >= 0; moved = step())
            {
                if (moved < 64)
                {
                    Thread.Sleep(20);
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    private static (long Receipts, long Distinct) Receipts(string folder)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(folder, "archive.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(DISTINCT message_id) FROM cable_receipts";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    internal static (long Draft, ReaderIdentity Officer)[] Drafts(ICableOffice office, List<(string Id, ReaderIdentity Officer)> from,
        List<(string Id, ReaderIdentity Officer)> to, int telegrams)
    {
        var rng = new Random(7);
        var drafts = new (long, ReaderIdentity)[telegrams];
        for (var i = 0; i < telegrams; i++)
        {
            var sender = from[i % from.Count];
            var draft = office.CreateDraft(new DraftContent
            {
                FromPost = sender.Id,
                Action = [Addressee.Post(to[(i * 7 + 3) % to.Count].Id)],
                Classification = ClassificationLevel.Secret,
                Precedence = CableBenchmark.PrecedenceOf(i),
                Subject = "transport " + i.ToString(CultureInfo.InvariantCulture),
                SubjectCode = "761.93",
                Body = [string.Join(' ', Enumerable.Range(0, 60).Select(_ => rng.Next(1000).ToString(CultureInfo.InvariantCulture)))],
                Signature = "Officer",
            }, sender.Officer);
            office.Release(draft.Id, sender.Officer);
            drafts[i] = (draft.Id, sender.Officer);
        }
        return drafts;
    }

    private static void Send(ICableOffice office, (long Draft, ReaderIdentity Officer)[] drafts, int senders)
    {
        var next = -1;
        var threads = Enumerable.Range(0, senders).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < drafts.Length)
            {
                office.Send(drafts[i].Draft, drafts[i].Officer);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    private static void Check(CableDeliverer deliverer)
    {
        if (deliverer.Failure is { } failure)
        {
            throw new ArchiveException("the deliverer stopped: " + failure.Message, failure);
        }
    }
}
