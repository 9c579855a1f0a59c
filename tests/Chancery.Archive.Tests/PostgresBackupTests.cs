using System.Diagnostics;
using Chancery.Archive.Postgres;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;
using Npgsql;

namespace Chancery.Archive.Tests;

/// <summary>
/// The PostgreSQL backup documented in docs/reliability.md: <c>pg_dump --format=custom</c> of the archive's database,
/// <c>pg_restore</c> into a new database, and the restored archive checks clean with the same content hashes,
/// documents, users and audit trail.
/// </summary>
[Collection("postgres")]
public sealed class PostgresBackupTests(PostgresServer server)
{
    private static string Tool(string name) =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
        ?? throw new InvalidOperationException($"no {name} under /usr/lib/postgresql/*/bin (scripts/test-all.sh installs PostgreSQL)");

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(Tool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed ({p.ExitCode}): {stderr.Result}");
    }

    private static string Shared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(shared, "corpus")))
            {
                return shared;
            }
        }
        throw new InvalidOperationException($"no shared/corpus folder above {AppContext.BaseDirectory}");
    }

    // what must survive the round trip: every volume's content hash, the document count, users and the audit head
    private static (string Hashes, long Documents, string Users, string AuditHead) State(string url)
    {
        using var c = new NpgsqlConnection(PostgresServer.ToConnectionString(url) + ";Pooling=false");
        c.Open();
        string Text(string sql)
        {
            using var cmd = new NpgsqlCommand(sql, c);
            return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        return (Text("SELECT string_agg(id || ' ' || content_hash, ';' ORDER BY id) FROM volumes"),
            long.Parse(Text("SELECT count(*) FROM documents"), System.Globalization.CultureInfo.InvariantCulture),
            Text("SELECT string_agg(name, ';' ORDER BY name) FROM users"),
            Text("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1"));
    }

    [Fact]
    public void A_pg_dump_and_pg_restore_round_trip_checks_clean_with_the_same_content()
    {
        var source = server.CreateDatabase("backup_source");
        using (var archive = PostgresArchive.Open(source))
        {
            using var reader = TeiVolumeReader.Open(Path.Combine(Shared(), "corpus", "frus", "frus1894Nicaragua.xml"));
            archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
            var reviewer = new UserAccount("reviewer", ClassificationLevel.TopSecret, ["*"], DateTimeOffset.UnixEpoch);
            archive.AddUser(reviewer);
            var first = archive.GetVolume("frus1894Nicaragua", ReaderIdentity.System)!.Contents.First(e => e.DocumentId is not null).DocumentId!;
            archive.Review(new ReviewDecision(first, ReviewAction.Withhold, [], "still sensitive"), reviewer);
        }
        var dump = Path.Combine(Path.GetTempPath(), "chancery-pgdump-" + Guid.NewGuid().ToString("N") + ".dump");
        var restored = server.CreateDatabase("backup_restored");
        try
        {
            Run("pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + source);
            Run("pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + restored, dump);

            using var archive = PostgresArchive.Open(restored);
            var report = archive.Check();
            var before = State(source);
            var after = State(restored);

            Assert.Equal((true, 1, 0), (report.Ok, report.Volumes, report.Problems.Count));
            Assert.Equal(before, after);
            Assert.Equal("reviewer", after.Users);
        }
        finally
        {
            File.Delete(dump);
        }
    }
}
