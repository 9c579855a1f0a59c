using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Chancery.Web.Tests;

/// <summary>Runs alone, after the parallel tests: it measures the process's memory and loads both cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "soak";
}

/// <summary>
/// The bounded soak (the 5-minute one is <c>bench -- soak</c>): 32 connections of mixed document, search and API
/// traffic for 30 s against the real host on 127.0.0.1 while the same process re-ingests a corpus volume in a loop:
/// 10 s of start (JIT), 10 s of warm-up, 10 s measured. No answer may be a 5xx and every request must be answered.
/// The managed heap before and after the measured part is printed, not judged: client, server and ingest share this
/// process, and 30 s on a loaded machine is not a steady state. Memory is judged by the 5-minute run, which
/// measures the server process alone (bench -- soak, docs/reliability.md).
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chancery-soak-tests-" + Guid.NewGuid().ToString("N"));
    private SqliteArchive _archive = null!;

    public Task InitializeAsync()
    {
        _archive = SqliteArchive.Open(_folder);
        WebFixture.IngestTei(_archive, TestPaths.Corpus("frus1894Nicaragua"));
        WebFixture.IngestTei(_archive, TestPaths.SampleVolume);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _archive.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    // the managed heap with no request in flight and no volume being ingested
    private static async Task<long> Quiet(SemaphoreSlim turn)
    {
        await turn.WaitAsync();
        try
        {
            return GC.GetTotalMemory(forceFullCollection: true);
        }
        finally
        {
            turn.Release();
        }
    }

    [Fact]
    public async Task Thirty_seconds_of_load_during_an_ingest_give_no_5xx_and_no_unanswered_request()
    {
        var volumes = _archive.ListVolumes(ReaderIdentity.Public).Select(v => v.Id).ToList();
        var documents = volumes.SelectMany(v => _archive.GetVolume(v, ReaderIdentity.Public)!.Contents)
            .Where(e => e.DocumentId is not null).Select(e => e.DocumentId!).ToList();
        var (app, baseAddress) = await WebFixture.StartHost(_archive, []);
        await using var _ = app;
        using var stop = new CancellationTokenSource();
        // held while a volume is being re-ingested, so memory is measured between ingests, not with a volume in flight
        using var turn = new SemaphoreSlim(1);
        var ingests = Task.Run(async () =>
        {
            var runs = 0;
            while (!stop.IsCancellationRequested)
            {
                await turn.WaitAsync();
                try
                {
                    WebFixture.IngestTei(_archive, TestPaths.Corpus("frus1894Nicaragua"));
                }
                finally
                {
                    turn.Release();
                }
                runs++;
            }
            return runs;
        });

        var warm = await SoakLoad.Run(baseAddress, documents, volumes, connections: 32, TimeSpan.FromSeconds(10), seed: 1);
        // every bounded cache (volume headers, titles) filled before the baseline, so that only growth beyond it counts
        using (var sweep = new HttpClient { BaseAddress = baseAddress })
        {
            foreach (var path in volumes.Select(v => "/volumes/" + Uri.EscapeDataString(v)).Concat(["/search?q=treaty", "/api/v1/search?q=treaty", "/api/v1/volumes"]))
            {
                using var r = await sweep.GetAsync(path);
            }
        }
        // the first 10 s of load (JIT, pools, caches) is the warm-up: memory after it is the baseline
        var first = await SoakLoad.Run(baseAddress, documents, volumes, connections: 32, TimeSpan.FromSeconds(10), seed: 2);
        var afterWarmup = await Quiet(turn);
        var report = await SoakLoad.Run(baseAddress, documents, volumes, connections: 32, TimeSpan.FromSeconds(10), seed: 3);
        var atEnd = await Quiet(turn);
        await stop.CancelAsync();
        var reingests = await ingests;

        var growth = (atEnd - afterWarmup) / (double)afterWarmup;
        output.WriteLine($"start (JIT): {warm}");
        output.WriteLine($"warm-up: {first}");
        output.WriteLine($"soak: {report}");
        output.WriteLine($"managed heap {afterWarmup / 1048576.0:F1} MB after warm-up, {atEnd / 1048576.0:F1} MB at the end ({growth:+0.0%;-0.0%}); {reingests} re-ingests alongside");
        Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L), (warm.ServerErrors, warm.Failures, first.ServerErrors, first.Failures, report.ServerErrors, report.Failures));
        Assert.True(reingests >= 1 && report.Requests >= 100, $"too little happened: {reingests} re-ingests, {report.Requests} requests");
    }
}
