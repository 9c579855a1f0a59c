using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Chancery.Archive.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for tests (xunit collection fixture, see <see cref="PostgresCollection"/>).
/// When <c>CHANCERY_TEST_POSTGRES</c> is set (scripts/test-all.sh sets it) that server is used; otherwise a
/// throwaway cluster is started in a temp folder on 127.0.0.1 at a free port, the same way the script does,
/// and stopped again in <see cref="Dispose"/>. Tests that write should call <see cref="CreateDatabase"/> so
/// they do not see each other's data.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string EnvironmentVariable = "CHANCERY_TEST_POSTGRES";
    private const string DefaultDatabase = "chancery_test";

    private readonly object _gate = new();
    private readonly List<string> _createdDatabases = [];
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly OwnCluster? _cluster;
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("chancery-pg-cache-");
    private bool _disposed;

    public PostgresServer()
    {
        // each test database's search index goes to the default folder under the user's cache: a temp one here,
        // deleted at the end, not the real ~/.cache
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _cache.FullName);
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _builder = Parse(configured.Trim());
        }
        else
        {
            _cluster = OwnCluster.Start();
            _builder = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = _cluster.Port,
                Username = "postgres",
                Database = "postgres",
            };
            try
            {
                Execute(_builder.ConnectionString, $"CREATE DATABASE {Quote(DefaultDatabase)}");
            }
            catch
            {
                _cluster.Dispose();
                throw;
            }

            _builder.Database = DefaultDatabase;
        }

        ConnectionString = _builder.ConnectionString;
        Url = ToUrl(_builder);
    }

    /// <summary>Npgsql keyword form, e.g. <c>Host=127.0.0.1;Port=5433;Username=postgres;Database=chancery_test</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The same database as a <c>postgres://user@host:port/database</c> URL.</summary>
    public string Url { get; }

    /// <summary>True when this fixture started (and will stop) its own cluster.</summary>
    public bool OwnsServer => _cluster is not null;

    /// <summary>
    /// Creates a fresh, uniquely named, empty database and returns its <c>postgres://</c> URL.
    /// <paramref name="prefix"/> is reduced to lower-case letters, digits and underscores.
    /// </summary>
    public string CreateDatabase(string prefix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = UniqueName(prefix);
        // Concurrent CREATE DATABASE statements can trip over each other copying template1: one at a time.
        lock (_gate)
        {
            Execute(ConnectionString, $"CREATE DATABASE {Quote(name)}");
            _createdDatabases.Add(name);
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name };
        return ToUrl(builder);
    }

    /// <summary>Npgsql keyword form of a URL returned by <see cref="CreateDatabase"/> (or any postgres:// URL).</summary>
    public static string ToConnectionString(string urlOrConnectionString) => Parse(urlOrConnectionString).ConnectionString;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        try
        {
            _cache.Delete(recursive: true);
        }
        catch (IOException)
        {
            // an index still open by a test's archive: the temp folder is the system's to clean
        }
        if (_cluster is not null)
        {
            _cluster.Dispose();
            return;
        }

        // A server we do not own may outlive us: drop what we created (best effort).
        foreach (var name in _createdDatabases)
        {
            try
            {
                Execute(ConnectionString, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // leftovers are harmless in a test server
            }
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        // No pooling: these are one-off administrative statements.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string UniqueName(string prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in (prefix ?? "").ToLowerInvariant())
        {
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (clean.Length == 0 || char.IsDigit(clean[0]))
        {
            clean.Insert(0, "t_");
        }

        var suffix = "_" + Guid.NewGuid().ToString("N")[..12];
        var maxPrefix = 63 - suffix.Length; // PostgreSQL identifiers are at most 63 bytes
        return (clean.Length > maxPrefix ? clean.ToString(0, maxPrefix) : clean.ToString()) + suffix;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>Accepts <c>postgres://</c> / <c>postgresql://</c> URLs and Npgsql keyword strings.</summary>
    private static NpgsqlConnectionStringBuilder Parse(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(value);
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Username = "postgres",
            Database = DefaultDatabase,
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (path.Length > 0)
        {
            builder.Database = path;
        }

        return builder;
    }

    private static string ToUrl(NpgsqlConnectionStringBuilder builder)
    {
        var user = Uri.EscapeDataString(builder.Username ?? "postgres");
        if (!string.IsNullOrEmpty(builder.Password))
        {
            user += ":" + Uri.EscapeDataString(builder.Password);
        }

        var host = builder.Host ?? "127.0.0.1";
        if (host.Contains(':'))
        {
            host = "[" + host + "]"; // IPv6 literal
        }

        return $"postgres://{user}@{host}:{builder.Port}/{Uri.EscapeDataString(builder.Database ?? DefaultDatabase)}";
    }

    /// <summary>A throwaway cluster: initdb in a temp folder, pg_ctl start on 127.0.0.1, pg_ctl stop + delete.</summary>
    private sealed class OwnCluster : IDisposable
    {
        private readonly string _binDir;
        private readonly string _root;
        private readonly string _dataDir;
        private readonly bool _asPostgresUser;
        private int _stopped;

        private OwnCluster(string binDir, string root, bool asPostgresUser)
        {
            _binDir = binDir;
            _root = root;
            _dataDir = Path.Combine(root, "data");
            _asPostgresUser = asPostgresUser;
        }

        public int Port { get; private set; }

        public static OwnCluster Start()
        {
            var binDir = FindBinDir() ?? throw new InvalidOperationException(
                $"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and {EnvironmentVariable} is not set. " +
                "Run `bash scripts/test-all.sh` once: it installs PostgreSQL and Chromium and runs all tests against a " +
                $"throwaway server; or set {EnvironmentVariable}=postgres://user@host:port/database.");

            var asPostgresUser = Environment.IsPrivilegedProcess; // initdb refuses to run as root
            var root = Directory.CreateTempSubdirectory("chancery-pg-").FullName;
            var cluster = new OwnCluster(binDir, root, asPostgresUser);
            try
            {
                cluster.Initialise();
                cluster.StartServer();
            }
            catch
            {
                cluster.Dispose();
                throw;
            }

            // Should xunit never call Dispose (crash, Ctrl-C), still stop the server with the process.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
            return cluster;
        }

        private void Initialise()
        {
            var socketDir = Path.Combine(_root, "sock");
            Directory.CreateDirectory(_dataDir);
            Directory.CreateDirectory(socketDir);
            if (_asPostgresUser && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_root,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                    UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                Run("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
            }

            Run(Path.Combine(_binDir, "initdb"),
                ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        }

        private void StartServer()
        {
            var socketDir = Path.Combine(_root, "sock");
            var log = Path.Combine(_root, "server.log");
            Exception? last = null;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var port = FreePort();
                try
                {
                    Run(Path.Combine(_binDir, "pg_ctl"),
                    [
                        "-D", _dataDir, "-l", log, "-w", "-t", "60",
                        "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {socketDir} -c fsync=off " +
                              "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                        "start",
                    ]);
                    Port = port;
                    return;
                }
                catch (InvalidOperationException e)
                {
                    last = e; // most likely the port was taken in between: try another one
                }
            }

            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(10)) : "";
            throw new InvalidOperationException($"Could not start PostgreSQL in {_root}.\n{tail}", last);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            try
            {
                if (Port != 0)
                {
                    Run(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "fast", "-w", "stop"]);
                }
            }
            catch (InvalidOperationException)
            {
                try
                {
                    Run(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // nothing more to do: the folder goes anyway
                }
            }
            finally
            {
                try
                {
                    Directory.Delete(_root, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private static string? FindBinDir() =>
            Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin"))
                    .FirstOrDefault()
                : null;

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private void Run(string program, IReadOnlyList<string> arguments) => Run(program, arguments, _asPostgresUser);

        private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgres)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            if (asPostgres)
            {
                foreach (var a in (string[])["-u", "postgres", "--", program])
                {
                    start.ArgumentList.Add(a);
                }
            }

            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)
                ?? throw new InvalidOperationException($"Could not start {program}.");
            process.StandardInput.Close();
            // pg_ctl start leaves the server running with our pipes: read to the end would wait for the server,
            // so collect output asynchronously and only wait for the process itself.
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} timed out.");
            }

            if (process.ExitCode != 0)
            {
                process.WaitForExit(); // the process is gone: this only drains the output readers
                string text;
                lock (output) text = output.ToString();
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{text}");
            }
        }
    }
}

/// <summary>Tests in <c>[Collection("postgres")]</c> share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
}
