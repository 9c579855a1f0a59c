using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Chancery.Archive;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;
using Npgsql;

namespace Chancery.Bench;

/// <summary>
/// The server archive against the embedded one in one run: the same corpus ingested into each (throughput), then
/// the committed query set (bench/queries/corpus-queries.txt, facets where a line asks for them) run as the public
/// reader on both, interleaved query by query; p50/p95/p99 of each and the ratio of the p99s (target: PostgreSQL
/// within 3x). The server is <c>--url postgres://…</c>, else <c>CHANCERY_TEST_POSTGRES</c>, else a throwaway
/// cluster started here (initdb in a temp folder, 127.0.0.1 only, as user postgres when run as root); either way the
/// benchmark works in a fresh database of its own and drops it at the end. <c>--concurrency SECONDS</c> then runs
/// the concurrency check (two readers, one writer; tests/Chancery.Archive.Tests/ConcurrencyWorkload.cs) on both
/// backends for that long; <c>--concurrency-only</c> skips the search part.
/// <c>dotnet run -c Release --project bench/Chancery.Bench -- postgres [--url URL] [--rounds 5] [--large] [--concurrency 60] [CORPUS_DIR...]</c>
/// </summary>
internal static class PostgresBenchmark
{
    private const string LargeCorpus = "/tmp/frus-large/frus-large";

    public static int Run(string[] args)
    {
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        var concurrency = BenchArgs.Int(args, "--concurrency", 0);
        var folders = BenchArgs.Positional(args);
        if (folders.Count == 0)
        {
            folders.Add(TrimBenchmark.DefaultCorpus);
        }
        if (args.Contains("--large"))
        {
            folders.Add(LargeCorpus);
        }
        var files = BenchArgs.CorpusFiles(folders);
        var url = BenchArgs.Value(args, "--url") ?? Environment.GetEnvironmentVariable("CHANCERY_TEST_POSTGRES");
        using var cluster = string.IsNullOrWhiteSpace(url) ? ThrowawayCluster.Start() : null;
        var server = cluster?.Url ?? url!.Trim();
        Console.WriteLine($"postgres: server {PostgresUrl.Redact(server)}{(cluster is null ? "" : " (throwaway cluster)")}");

        var failures = 0;
        if (!args.Contains("--concurrency-only"))
        {
            failures += Compare(server, files, rounds);
        }
        if (concurrency > 0)
        {
            failures += Concurrency(server, TimeSpan.FromSeconds(concurrency));
        }
        return failures == 0 ? 0 : 1;
    }

    private static int Compare(string server, List<string> files, int rounds)
    {
        var queries = QuerySet.Load();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"corpus: {files.Count} volumes, {bytes / 1e6:F1} MB; {queries.Count} queries, {rounds} rounds");
        var temp = Directory.CreateTempSubdirectory("chancery-bench-pg-");
        var database = FreshDatabase(server, "chancery_bench");
        try
        {
            using var embedded = SqliteArchive.Open(Path.Combine(temp.FullName, "embedded"));
            // the server archive's search index beside the embedded one, on the same disk
            using var postgres = PostgresArchive.Open(database.Url, Path.Combine(temp.FullName, "postgres-search"));
            var (sqliteDocs, sqliteSeconds) = Ingest(embedded, files);
            Console.WriteLine($"ingest SQLite:     {sqliteDocs} documents in {sqliteSeconds:F1} s: {sqliteDocs / sqliteSeconds:F0} documents/s, {bytes / 1e6 / sqliteSeconds:F2} MB/s");
            var (pgDocs, pgSeconds) = Ingest(postgres, files);
            Console.WriteLine($"ingest PostgreSQL: {pgDocs} documents in {pgSeconds:F1} s: {pgDocs / pgSeconds:F0} documents/s, {bytes / 1e6 / pgSeconds:F2} MB/s");

            var requests = queries.Select(q => new SearchRequest(q.Text, Facets: q.Facets)).ToList();
            // the same answers first: a fast wrong answer is no result
            var differ = requests.Where(r =>
            {
                var (a, b) = (embedded.Search(r, ReaderIdentity.Public, "bench"), postgres.Search(r, ReaderIdentity.Public, "bench"));
                return a.Total != b.Total || !a.Hits.Select(h => h.Id).SequenceEqual(b.Hits.Select(h => h.Id));
            }).Select(r => r.Query).ToList();
            Console.WriteLine(differ.Count == 0
                ? $"answers: identical totals and first-page hit order for all {requests.Count} queries"
                : $"answers: {differ.Count} queries differ: {string.Join(" | ", differ.Take(10))}");

            var (sqlite, pg) = (new List<double>(), new List<double>());
            var perQuery = requests.Select(_ => (Sqlite: new List<double>(), Pg: new List<double>())).ToList();
            for (var round = -1; round < rounds; round++)
            {
                foreach (var (r, i) in requests.Select((r, i) => (r, i)))
                {
                    var sqliteFirst = (round + i) % 2 == 0;
                    var first = Latency.Time(() => (sqliteFirst ? embedded : (IArchive)postgres).Search(r, ReaderIdentity.Public, "bench"));
                    var second = Latency.Time(() => (sqliteFirst ? postgres : (IArchive)embedded).Search(r, ReaderIdentity.Public, "bench"));
                    if (round >= 0)
                    {
                        (sqliteFirst ? sqlite : pg).Add(first);
                        (sqliteFirst ? pg : sqlite).Add(second);
                        perQuery[i].Sqlite.Add(sqliteFirst ? first : second);
                        perQuery[i].Pg.Add(sqliteFirst ? second : first);
                    }
                }
            }
            Console.WriteLine("slowest on PostgreSQL (median ms, PostgreSQL / SQLite):");
            foreach (var (r, t) in requests.Zip(perQuery).OrderByDescending(x => Latency.Percentile(x.Second.Pg, 50)).Take(8))
            {
                Console.WriteLine($"  {Latency.Percentile(t.Pg, 50),8:F1} / {Latency.Percentile(t.Sqlite, 50),6:F1}  {r.Query}{(r.Facets ? " (facets)" : "")}");
            }
            Console.WriteLine("search SQLite:     " + Latency.Summary(sqlite));
            Console.WriteLine("search PostgreSQL: " + Latency.Summary(pg));
            var ratio = Latency.Percentile(pg, 99) / Latency.Percentile(sqlite, 99);
            Console.WriteLine($"ratio PostgreSQL/SQLite: p50 {Latency.Percentile(pg, 50) / Latency.Percentile(sqlite, 50):F2}, " +
                              $"p95 {Latency.Percentile(pg, 95) / Latency.Percentile(sqlite, 95):F2}, p99 {ratio:F2}");
            Console.WriteLine($"postgres: {(ratio <= 3 && differ.Count == 0 ? "PASS" : "FAIL")} PostgreSQL p99 / SQLite p99 = {ratio:F2} (target ≤ 3.00, answers identical)");
            return ratio <= 3 && differ.Count == 0 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            database.Drop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            temp.Delete(recursive: true);
        }
    }

    internal static (int Documents, double Seconds) Ingest(IArchive archive, List<string> files)
    {
        var clock = Stopwatch.StartNew();
        var documents = 0;
        foreach (var f in files)
        {
            using var reader = TeiVolumeReader.Open(f);
            documents += archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
        }
        return (documents, clock.Elapsed.TotalSeconds);
    }

    private static int Concurrency(string server, TimeSpan duration)
    {
        var failures = 0;
        var temp = Directory.CreateTempSubdirectory("chancery-bench-concurrency-");
        var database = FreshDatabase(server, "chancery_concurrency");
        try
        {
            foreach (var (name, open) in new (string, Func<IArchive>)[]
            {
                ("SQLite", () => SqliteArchive.Open(Path.Combine(temp.FullName, "embedded"))),
                ("PostgreSQL", () => PostgresArchive.Open(database.Url, Path.Combine(temp.FullName, "postgres-search"))),
            })
            {
                var report = ConcurrencyWorkload.Run(open, duration);
                var ok = report.Problems.Count == 0;
                failures += ok ? 0 : 1;
                Console.WriteLine($"concurrency {name} ({duration.TotalSeconds:F0} s, 2 readers + 1 writer): {(ok ? "PASS" : "FAIL")}, " +
                                  $"{report.Ingests} volume ingests, {report.FailedIngests} failed half-way, {report.Upserts} telegrams added, {report.Reads} checked reads");
                foreach (var p in report.Problems)
                {
                    Console.WriteLine("  " + p);
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            database.Drop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            temp.Delete(recursive: true);
        }
        return failures;
    }

    /// <summary>A new, empty database on the server, dropped again by <see cref="BenchDatabase.Drop"/>.</summary>
    internal static BenchDatabase FreshDatabase(string serverUrl, string prefix)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString(serverUrl)) { Pooling = false };
        var name = $"{prefix}_{Environment.ProcessId}_{Random.Shared.Next(1_000_000)}";
        var admin = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres" }.ConnectionString;
        using (var c = new NpgsqlConnection(admin))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
            cmd.ExecuteNonQuery();
        }
        var uri = new UriBuilder(serverUrl.Replace("postgresql://", "postgres://", StringComparison.Ordinal)) { Path = "/" + name };
        return new BenchDatabase(uri.Uri.ToString().TrimEnd('/'), admin, name);
    }

    internal sealed record BenchDatabase(string Url, string AdminConnectionString, string Name)
    {
        public void Drop()
        {
            using var c = new NpgsqlConnection(AdminConnectionString);
            c.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", c);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// initdb in a temp folder, pg_ctl start on 127.0.0.1 at a free port; stopped and deleted on dispose, on Ctrl+C,
    /// SIGTERM or SIGHUP, and at process exit. The server runs in a session of its own (pg_ctl), so nothing else would
    /// stop it when the bench dies. A cluster whose bench died without stopping it (SIGKILL) is stopped and deleted by
    /// the next bench that starts one: its folder is named <c>chancery-bench-pgdata-*</c> and holds a marker file with
    /// the bench's process id; a folder without the marker, or whose bench still runs, is never touched.
    /// </summary>
    internal sealed class ThrowawayCluster : IDisposable
    {
        /// <summary>The prefix of the temp folders the bench creates for its clusters.</summary>
        public const string FolderPrefix = "chancery-bench-pgdata-";

        /// <summary>The file in such a folder naming the process id of the bench that created it.</summary>
        public const string MarkerFile = "chancery-bench-cluster";

        private readonly string _bin;
        private readonly string _root;
        private readonly int _port;
        private readonly System.Threading.Lock _gate = new();
        private readonly List<PosixSignalRegistration> _signals = [];
        private bool _stopped;

        private ThrowawayCluster(string bin, string root, int port)
        {
            _bin = bin;
            _root = root;
            _port = port;
            Url = $"postgres://postgres@127.0.0.1:{port}/postgres";
        }

        /// <summary>Stops the server as a crash would (<c>pg_ctl stop -m immediate</c>: no checkpoint, clients cut off).</summary>
        public void Crash() => AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");

        /// <summary>Starts the server again after <see cref="Crash"/> (it recovers from its log).</summary>
        public void Restart() => StartServer(_bin, _root, _port);

        private static void StartServer(string bin, string root, int port) =>
            // durability settings as the test script's cluster: this measures Chancery, not the disk
            AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "log"), "-w",
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");

        public string Url { get; }

        /// <summary>The cluster's folder (data, log, socket and the marker file).</summary>
        public string Root => _root;

        public static ThrowawayCluster Start()
        {
            var bin = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                    .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
                : null;
            if (bin is null)
            {
                throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install it (apt-get install -y postgresql) or pass --url postgres://user@host:port/db");
            }
            RemoveStale(bin);
            var root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
            File.WriteAllText(Path.Combine(root, MarkerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                port = ((IPEndPoint)l.LocalEndpoint).Port;
            }
            var cluster = new ThrowawayCluster(bin, root, port);
            // watched before initdb: a kill from here on stops and deletes what was made so far
            cluster.Watch();
            try
            {
                if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
                    Run("chown", "-R", "postgres:postgres", root); // initdb refuses to run as root
                }
                AsPostgres(Path.Combine(bin, "initdb"), "-D", Path.Combine(root, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
                StartServer(bin, root, port);
                return cluster;
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }

        private void Watch()
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            {
                // not cancelled: once the cluster is gone the signal ends the process as it would have
                _signals.Add(PosixSignalRegistration.Create(signal, context => Stop($"stopping the throwaway cluster on {context.Signal}")));
            }
            AppDomain.CurrentDomain.ProcessExit += OnExit;
            AppDomain.CurrentDomain.UnhandledException += OnExit;
        }

        private void OnExit(object? sender, EventArgs e) => Stop(null);

        /// <summary>Stops the server and deletes its folder, once, whoever asks first (a signal, an exception, the end of the run).</summary>
        private void Stop(string? why)
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }
                _stopped = true;
                if (why is not null)
                {
                    Console.Error.WriteLine("bench: " + why);
                }
                StopAndDelete(_bin, _root, "fast");
            }
        }

        public void Dispose()
        {
            Stop(null);
            foreach (var registration in _signals)
            {
                registration.Dispose();
            }
            AppDomain.CurrentDomain.ProcessExit -= OnExit;
            AppDomain.CurrentDomain.UnhandledException -= OnExit;
        }

        // pg_ctl only when a server may run (no postmaster.pid: never started, or crashed and not restarted)
        private static void StopAndDelete(string bin, string root, string mode)
        {
            try
            {
                if (File.Exists(Path.Combine(root, "data", "postmaster.pid")))
                {
                    AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(root, "data"), "-m", mode, "-w", "stop");
                }
            }
            catch (InvalidOperationException e)
            {
                // a server already gone (crashed by the kill benchmark) leaves a stale postmaster.pid
                Console.Error.WriteLine("bench: " + e.Message.Split('\n')[0]);
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        /// <summary>
        /// Stops and deletes the clusters earlier benches left behind: a <see cref="FolderPrefix"/> folder whose
        /// <see cref="MarkerFile"/> names a process that is no longer a running bench.
        /// </summary>
        private static void RemoveStale(string bin)
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                var marker = Path.Combine(folder, MarkerFile);
                if (!File.Exists(marker) || !int.TryParse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid) || BenchRuns(pid))
                {
                    continue;
                }
                Console.Error.WriteLine($"bench: stopping and deleting the throwaway cluster {folder}, left behind by bench process {pid}");
                StopAndDelete(bin, folder, "immediate");
            }
        }

        // a reused process id is not the bench: its command line names the bench's assembly
        private static bool BenchRuns(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Contains("Chancery.Bench", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static void AsPostgres(string program, params string[] args)
        {
            if (Environment.IsPrivilegedProcess)
            {
                Run("runuser", ["-u", "postgres", "--", program, .. args]);
            }
            else
            {
                Run(program, args);
            }
        }

        private static void Run(string program, params string[] args)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
            using var p = Process.Start(start)!;
            // pg_ctl start leaves the server holding our pipes: read them asynchronously, wait for the process only
            var output = new System.Text.StringBuilder();
            p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(TimeSpan.FromSeconds(120)) || p.ExitCode != 0)
            {
                lock (output)
                {
                    throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed:\n{output}");
                }
            }
        }
    }
}
