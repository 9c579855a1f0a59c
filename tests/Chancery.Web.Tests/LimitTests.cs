using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>
/// The concurrent-request limit: past the requests that may run and wait, the server answers 503 with Retry-After at
/// once instead of letting a connection hang. The request-size, query-length, page-size and result-window limits are
/// tested with their surfaces (SecurityTests, ApiTests, SearchPageTests).
/// </summary>
public sealed class LimitTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chancery-limit-tests-" + Guid.NewGuid().ToString("N"));
    private SqliteArchive _archive = null!;

    public Task InitializeAsync()
    {
        _archive = SqliteArchive.Open(_folder);
        WebFixture.IngestTei(_archive, TestPaths.SampleVolume);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _archive.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>An archive whose volume list waits at a gate, so a test can keep requests running as long as it likes.</summary>
    public class GatedArchive : DispatchProxy
    {
        private IArchive _target = null!;

        public SemaphoreSlim Entered { get; } = new(0);

        public ManualResetEventSlim Gate { get; } = new(false);

        public static (IArchive Archive, GatedArchive Control) Over(IArchive target)
        {
            var proxy = Create<IArchive, GatedArchive>();
            var control = (GatedArchive)(object)proxy;
            control._target = target;
            return (proxy, control);
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IArchive.ListVolumes))
            {
                Entered.Release();
                Gate.Wait(TimeSpan.FromSeconds(30));
            }
            try
            {
                return targetMethod.Invoke(_target, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }

    private static HttpClient Client(Uri baseAddress) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = baseAddress,
        // a hang fails the test instead of stalling the run
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task A_request_past_the_running_and_waiting_limit_is_answered_503_with_retry_after()
    {
        var (archive, control) = GatedArchive.Over(_archive);
        var (app, baseAddress) = await WebFixture.StartHost(archive, ["--Chancery:MaxConcurrentRequests=1", "--Chancery:RequestQueueLimit=0"]);
        await using var _ = app;
        using var client = Client(baseAddress);
        var held = client.GetAsync("/api/v1/volumes");
        Assert.True(await control.Entered.WaitAsync(TimeSpan.FromSeconds(20)), "the first request never reached the archive");

        var refused = await client.Get("/api/v1/volumes");
        control.Gate.Set();
        using var first = await held;

        using var problem = JsonDocument.Parse(refused.Body);
        Assert.Equal(
            (HttpStatusCode.ServiceUnavailable, "1", "/api/v1/problems/server-busy", HttpStatusCode.OK),
            (refused.Status, refused.Header("Retry-After"), problem.RootElement.GetProperty("type").GetString(), first.StatusCode));
    }

    [Fact]
    public async Task A_request_that_waits_longer_than_the_queue_allows_is_answered_503()
    {
        var (archive, control) = GatedArchive.Over(_archive);
        var (app, baseAddress) = await WebFixture.StartHost(archive,
            ["--Chancery:MaxConcurrentRequests=1", "--Chancery:RequestQueueLimit=4", "--Chancery:RequestQueueSeconds=1"]);
        await using var _ = app;
        using var client = Client(baseAddress);
        var held = client.GetAsync("/api/v1/volumes");
        Assert.True(await control.Entered.WaitAsync(TimeSpan.FromSeconds(20)), "the first request never reached the archive");

        var queued = await client.Get("/api/v1/volumes");
        control.Gate.Set();
        using var first = await held;

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "1", HttpStatusCode.OK), (queued.Status, queued.Header("Retry-After"), first.StatusCode));
    }

    [Fact]
    public async Task A_waiting_request_runs_when_a_running_one_ends()
    {
        var (archive, control) = GatedArchive.Over(_archive);
        var (app, baseAddress) = await WebFixture.StartHost(archive,
            ["--Chancery:MaxConcurrentRequests=1", "--Chancery:RequestQueueLimit=4", "--Chancery:RequestQueueSeconds=20"]);
        await using var _ = app;
        using var client = Client(baseAddress);
        var held = client.GetAsync("/api/v1/volumes");
        Assert.True(await control.Entered.WaitAsync(TimeSpan.FromSeconds(20)), "the first request never reached the archive");

        var waiting = client.GetAsync("/api/v1/openapi.json");
        // long enough for the second request to be waiting in the queue before the first one ends
        await Task.Delay(TimeSpan.FromSeconds(1));
        control.Gate.Set();
        using var first = await held;
        using var second = await waiting;

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
    }

    [Fact]
    public async Task A_request_line_over_16_KB_is_refused_with_414()
    {
        var (app, baseAddress) = await WebFixture.StartHost(_archive, []);
        await using var _ = app;
        using var client = Client(baseAddress);

        var response = await client.Get("/search?q=" + new string('a', 17 * 1024));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.Status);
    }
}
