using System.Diagnostics;

namespace Chancery.Web.Tests;

/// <summary>What a soak run saw: requests, answers by status code, failures to get an answer at all, and latency.</summary>
public sealed record SoakReport(long Requests, IReadOnlyDictionary<int, long> StatusCounts, long Failures, string? FirstFailure, double P50Ms, double P99Ms, double MaxMs, TimeSpan Elapsed, string? Slowest = null)
{
    /// <summary>Answers with a 5xx status.</summary>
    public long ServerErrors => StatusCounts.Where(s => s.Key >= 500).Sum(s => s.Value);

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"{Requests:N0} requests in {Elapsed.TotalSeconds:F0} s ({RequestsPerSecond:F0}/s), status {string.Join(", ", StatusCounts.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}"))}, " +
        $"{Failures} failed{(FirstFailure is null ? "" : $" (first: {FirstFailure})")}, latency p50 {P50Ms:F1} ms, p99 {P99Ms:F1} ms, max {MaxMs:F0} ms{(Slowest is null ? "" : $" ({Slowest})")}";
}

/// <summary>
/// A small closed-loop load driver for the soak (the bounded test here and <c>bench -- soak</c>): a number of
/// connections each send one request after another, picked at random from a mix of document pages, search pages and
/// API calls, for a given time. Shared by tests/Chancery.Web.Tests/SoakTests and bench/Chancery.Bench/SoakBenchmark.
/// </summary>
public static class SoakLoad
{
    /// <summary>Searches that match something in the FRUS corpus and in the sample volume, and some that match nothing.</summary>
    public static readonly string[] Queries =
    [
        "treaty", "ambassador", "Nicaragua", "telegram", "oil", "\"foreign minister\"", "Moscow", "coffee", "canal AND government",
        "Guatemala", "Soviet OR Russian", "confidential", "zzzznothing", "president", "negotiations",
    ];

    /// <summary>
    /// The request mix over <paramref name="documents"/> (ids <c>volume#local</c>) and <paramref name="volumes"/>:
    /// 40 % document pages, 20 % search pages, 15 % API documents, 15 % API searches, 5 % volume pages, 5 % API volume list.
    /// </summary>
    public static string PickPath(Random random, IReadOnlyList<string> documents, IReadOnlyList<string> volumes)
    {
        var roll = random.Next(100);
        var doc = documents[random.Next(documents.Count)];
        var hash = doc.IndexOf('#', StringComparison.Ordinal);
        var docPath = Uri.EscapeDataString(doc[..hash]) + "/" + Uri.EscapeDataString(doc[(hash + 1)..]);
        var query = Uri.EscapeDataString(Queries[random.Next(Queries.Length)]);
        return roll switch
        {
            < 40 => "/volumes/" + docPath,
            < 60 => "/search?q=" + query + (random.Next(4) == 0 ? "&page=2" : ""),
            < 75 => "/api/v1/documents/" + docPath,
            < 90 => "/api/v1/search?q=" + query + "&pageSize=" + (random.Next(1, 5) * 10),
            < 95 => "/volumes/" + Uri.EscapeDataString(volumes[random.Next(volumes.Count)]),
            _ => "/api/v1/volumes",
        };
    }

    /// <summary>Runs <paramref name="connections"/> closed loops against <paramref name="baseAddress"/> for <paramref name="duration"/>.</summary>
    public static async Task<SoakReport> Run(Uri baseAddress, IReadOnlyList<string> documents, IReadOnlyList<string> volumes, int connections, TimeSpan duration, int seed)
    {
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        // a hang shows as a failure, not as a run that never ends
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var end = clock.Elapsed + duration;
        var workers = Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
        {
            var random = new Random(seed + i);
            var statuses = new Dictionary<int, long>();
            var latencies = new List<double>();
            var (slowest, slowestMs) = ("", 0.0);
            long failures = 0;
            string? firstFailure = null;
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < end)
            {
                var path = PickPath(random, documents, volumes);
                var started = clock.Elapsed;
                try
                {
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }
                    var code = (int)response.StatusCode;
                    statuses[code] = statuses.GetValueOrDefault(code) + 1;
                    var ms = (clock.Elapsed - started).TotalMilliseconds;
                    latencies.Add(ms);
                    (slowest, slowestMs) = ms > slowestMs ? (path, ms) : (slowest, slowestMs);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures++;
                    firstFailure ??= $"{path}: {e.GetType().Name}: {e.Message}";
                }
            }
            return (statuses, latencies, failures, firstFailure, slowest, slowestMs);
        })).ToList();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = results.SelectMany(r => r.latencies).Order().ToArray();
        var counts = new SortedDictionary<int, long>();
        foreach (var (code, n) in results.SelectMany(r => r.statuses))
        {
            counts[code] = counts.GetValueOrDefault(code) + n;
        }
        double At(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new SoakReport(all.LongLength + results.Sum(r => r.failures), counts, results.Sum(r => r.failures),
            results.Select(r => r.firstFailure).FirstOrDefault(f => f is not null), At(0.50), At(0.99), all.Length == 0 ? 0 : all[^1], elapsed,
            results.MaxBy(r => r.slowestMs).slowest);
    }
}
