using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Web.Tests;

namespace Chancery.Bench;

/// <summary>
/// The long soak: a real <c>chancery serve</c> process on 127.0.0.1 over an archive of the corpus, mixed document,
/// search and API traffic at 32 connections (<see cref="SoakLoad"/>, the driver of tests/Chancery.Web.Tests/SoakTests)
/// while <c>chancery ingest</c> processes re-ingest the corpus volumes one after another. Passes with zero 5xx, zero
/// requests without an answer, and retained server memory (the lowest resident size of the last minute, sampled every
/// 5 s, against the lowest of the first minute after warm-up: the troughs between collections) growing at most 10 %.
/// <c>dotnet run -c Release --project bench/Chancery.Bench -- soak [--seconds 300] [--warmup 30] [--connections 32] [--corpus DIR]</c>
/// </summary>
internal static class SoakBenchmark
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 300);
        var warmup = Option(args, "--warmup", 30);
        var connections = Option(args, "--connections", 32);
        var corpusIndex = Array.IndexOf(args, "--corpus");
        var corpus = corpusIndex >= 0 && corpusIndex + 1 < args.Length ? args[corpusIndex + 1] : Path.Combine(Chancery.Ingest.Tests.Hostile.Shared, "corpus", "frus");
        var files = Directory.GetFiles(corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
        var cli = Path.Combine(AppContext.BaseDirectory, "chancery.dll");
        var temp = Directory.CreateTempSubdirectory("chancery-soak-").FullName;
        var archive = Path.Combine(temp, "archive");
        Console.WriteLine($"soak: {connections} connections, {warmup} s warm-up + {seconds} s, corpus {corpus} ({files.Count} volumes), load average {LoadAverage()}");
        try
        {
            var clock = Stopwatch.StartNew();
            if (RunChancery(cli, archive, ["ingest", .. files]).ExitCode is var setup and not 0)
            {
                Console.WriteLine($"soak: setup ingest failed (exit code {setup})");
                return 1;
            }
            var (documents, volumes) = Targets(archive);
            Console.WriteLine($"archive: {volumes.Count} volumes, {documents.Count} documents, ingested in {clock.Elapsed.TotalSeconds:F0} s");

            var port = FreePort();
            using var server = Start(cli, archive, ["serve", "--urls", $"http://127.0.0.1:{port}"]);
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            await WaitUntilUp(baseAddress, server);

            using var stop = new CancellationTokenSource();
            var ingests = Task.Run(() => IngestLoop(cli, archive, files, stop.Token));

            var warm = await SoakLoad.Run(baseAddress, documents, volumes, connections, TimeSpan.FromSeconds(warmup), seed: 1);
            var afterWarmup = Memory(server);
            Console.WriteLine($"warm-up: {warm}");
            Console.WriteLine($"server memory after warm-up: {afterWarmup / 1048576.0:F1} MB resident ({Breakdown(server)})");

            var samples = new List<long>();
            using var sampler = new PeriodicTimer(TimeSpan.FromSeconds(5));
            var sampling = Task.Run(async () =>
            {
                while (await sampler.WaitForNextTickAsync())
                {
                    samples.Add(Memory(server));
                    Console.WriteLine($"  {samples.Count * 5,4} s: server {samples[^1] / 1048576.0:F0} MB resident ({Breakdown(server)}), archive {ArchiveMegabytes(archive)}, load {LoadAverage()}");
                }
            });
            var report = await SoakLoad.Run(baseAddress, documents, volumes, connections, TimeSpan.FromSeconds(seconds), seed: 2);
            var atEnd = Memory(server);
            sampler.Dispose();
            await sampling;
            await stop.CancelAsync();
            var (ingestRuns, ingestFailures) = await ingests;
            // the managed heap rises and falls with every collection, so single readings are compared only for the record;
            // what is judged is the retained memory: the lowest reading of the last minute against that of the first
            var window = Math.Max(1, Math.Min(12, samples.Count / 3));
            var (retainedFirst, retainedLast) = samples.Count == 0 ? (afterWarmup, atEnd) : (samples.Take(window).Min(), samples.TakeLast(window).Min());
            var growth = (retainedLast - retainedFirst) / (double)retainedFirst;
            var rawGrowth = (atEnd - afterWarmup) / (double)afterWarmup;
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();

            Console.WriteLine($"soak: {report}");
            Console.WriteLine($"ingest alongside: {ingestRuns} volume re-ingests completed, {ingestFailures} failed");
            Console.WriteLine($"server memory: {afterWarmup / 1048576.0:F1} MB right after warm-up, {atEnd / 1048576.0:F1} MB at the end ({rawGrowth:+0.0%;-0.0%}), " +
                $"peak {(samples.Count == 0 ? atEnd : samples.Max()) / 1048576.0:F1} MB; retained (lowest of {window} readings 5 s apart) {retainedFirst / 1048576.0:F1} MB in the first minute, " +
                $"{retainedLast / 1048576.0:F1} MB in the last ({growth:+0.0%;-0.0%}); load average {LoadAverage()}");
            var ok = report.ServerErrors == 0 && report.Failures == 0 && growth <= 0.10 && ingestFailures == 0 && ingestRuns > 0;
            Console.WriteLine($"soak: {(ok ? "PASS" : "FAIL")} ({report.ServerErrors} 5xx, {report.Failures} without an answer, memory {growth:+0.0%;-0.0%}, {ingestFailures} failed ingests)");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    // every document and volume a public reader sees
    private static (List<string> Documents, List<string> Volumes) Targets(string archive)
    {
        using var a = SqliteArchive.Open(archive);
        var volumes = a.ListVolumes(ReaderIdentity.Public).Where(v => v.DocumentCount > 0).Select(v => v.Id).ToList();
        var documents = volumes.SelectMany(v => a.GetVolume(v, ReaderIdentity.Public)!.Contents)
            .Where(e => e.DocumentId is not null).Select(e => e.DocumentId!).ToList();
        return (documents, volumes);
    }

    private static (int Runs, int Failures) IngestLoop(string cli, string archive, List<string> files, CancellationToken stop)
    {
        var (runs, failures) = (0, 0);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var (code, err) = RunChancery(cli, archive, ["ingest", files[i % files.Count]]);
            runs++;
            if (code != 0)
            {
                failures++;
                Console.WriteLine($"ingest of {Path.GetFileName(files[i % files.Count])} failed ({code}): {err.Trim()}");
            }
        }
        return (runs, failures);
    }

    private static (int ExitCode, string Err) RunChancery(string cli, string archive, string[] args)
    {
        using var p = Start(cli, archive, args);
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }

    private static Process Start(string cli, string archive, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CHANCERY_ARCHIVE"] = archive;
        return Process.Start(psi)!;
    }

    private static async Task WaitUntilUp(Uri baseAddress, Process server)
    {
        // the server's own output is drained so it never blocks on a full pipe
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 120; i++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"chancery serve exited with code {server.ExitCode}");
            }
            try
            {
                using var r = await client.GetAsync("/");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("chancery serve did not answer within a minute");
    }

    private static long Memory(Process server)
    {
        server.Refresh();
        return server.WorkingSet64;
    }

    // anonymous memory (the managed heap and native allocations) against file-backed and shared mappings (SQLite's
    // WAL index): which of them grows says whether memory is held or only mapped
    private static string Breakdown(Process server)
    {
        var status = $"/proc/{server.Id}/status";
        if (!File.Exists(status))
        {
            return "no /proc";
        }
        var fields = File.ReadAllLines(status).Where(l => l.StartsWith("RssAnon", StringComparison.Ordinal) || l.StartsWith("RssFile", StringComparison.Ordinal) || l.StartsWith("RssShmem", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
        return string.Join(", ", fields);
    }

    private static string ArchiveMegabytes(string archive) =>
        string.Join(", ", Directory.GetFiles(archive).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / 1048576.0:F0} MB"));

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
