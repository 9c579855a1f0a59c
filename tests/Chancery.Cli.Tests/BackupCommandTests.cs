using System.Text.RegularExpressions;
using Chancery.Archive.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chancery.Cli.Tests;

/// <summary>
/// <c>chancery backup PATH</c> and <c>chancery restore PATH</c> on the embedded archive: a backup taken while an
/// ingest and a reader run holds only whole volumes and checks clean; a restore brings back exactly the backed-up
/// content hashes, atomically, and leaves the archive untouched when the backup is damaged or the archive is in use.
/// </summary>
public sealed partial class BackupCommandTests
{
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "chancery.dll");

    private static string Corpus(string name) => Path.Combine(Sources.Shared, "corpus", "frus", name + ".xml");

    private static IReadOnlyDictionary<string, string> Hashes(string folder)
    {
        using var archive = SqliteArchive.Open(folder);
        return archive.VolumeContentHashes();
    }

    [GeneratedRegex("content digest ([0-9a-f]{16})")]
    private static partial Regex Digest();

    [Fact]
    public async Task Backups_taken_during_an_ingest_and_a_reader_hold_only_whole_volumes_and_check_clean()
    {
        using var temp = new TempArchive();
        var files = Directory.GetFiles(Path.Combine(Sources.Shared, "corpus", "frus"), "*.xml").Order(StringComparer.Ordinal).ToList();
        var counts = files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), CrashHarness.TeiDocumentCount);
        Assert.Equal(0, temp.Run("ingest", files[0]).ExitCode);
        using var stop = new CancellationTokenSource();
        using var readerArchive = SqliteArchive.Open(temp.Folder);
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                reads += readerArchive.ListVolumes(Chancery.Core.Access.ReaderIdentity.System).Count;
            }
            return reads;
        });
        using var ingest = new CrashHarness(Cli, temp.Folder).Begin(["ingest", .. files]);
        var duringIngest = 0;
        for (var i = 0; i < 20 && (i < 2 || !ingest.HasExited); i++)
        {
            var target = Path.Combine(temp.Root, "backup-" + i);
            var running = !ingest.HasExited;
            var result = temp.Run("backup", target);
            Assert.True(result.ExitCode == 0, result.Err);
            duringIngest += running && !ingest.HasExited ? 1 : 0;
            var (report, hashes) = SqliteArchive.VerifyBackup(target);
            Assert.True(report.Ok, string.Join("; ", report.Problems));
            var torn = hashes.Keys.Where(v => VolumeCount(target, v) != counts[v]).ToList();
            Assert.True(torn.Count == 0, $"backup {i}: torn volumes {string.Join(", ", torn)}");
        }
        await ingest.WaitForExitAsync();
        stop.Cancel();
        Assert.True(await reader > 0);
        Assert.Equal(0, ingest.ExitCode);
        Assert.True(duringIngest >= 2, $"only {duringIngest} backups ran wholly inside the ingest");
    }

    private static int VolumeCount(string backupFolder, string volume)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(backupFolder, "archive.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM documents WHERE volume = $v";
        cmd.Parameters.AddWithValue("$v", volume);
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Restore_brings_back_exactly_the_backed_up_content_hashes()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var backup = Path.Combine(temp.Root, "backup");
        var backedUp = temp.Run("backup", backup);
        var before = Hashes(temp.Folder);
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1952-54Guat")).ExitCode);

        var restored = temp.Run("restore", backup);

        Assert.True(restored.ExitCode == 0, restored.Err);
        Assert.Equal(before, Hashes(temp.Folder));
        Assert.Equal(Digest().Match(backedUp.Out).Groups[1].Value, Digest().Match(restored.Out).Groups[1].Value);
    }

    [Fact]
    public void Restore_reports_the_restored_counts_and_the_check()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var backup = Path.Combine(temp.Root, "backup");
        Assert.Equal(0, temp.Run("backup", backup).ExitCode);

        var restored = temp.Run("restore", backup);

        Assert.StartsWith($"restored 1 volume, {CrashHarness.TeiDocumentCount(Corpus("frus1894Nicaragua"))} documents (check ok, content digest ", restored.Out);
        Assert.EndsWith($") from {backup} into {temp.Folder}\n", restored.Out);
    }

    [Fact]
    public void A_restored_archive_answers_searches_as_when_it_was_backed_up()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var before = temp.Run("search", "Mosquito", "--json").Out;
        var backup = Path.Combine(temp.Root, "backup");
        Assert.Equal(0, temp.Run("backup", backup).ExitCode);
        // the archive and its full-text index move on; the restored database comes without an index and builds one
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1952-54Guat")).ExitCode);
        Assert.Equal(0, temp.Run("restore", backup).ExitCode);

        Assert.Equal(before, temp.Run("search", "Mosquito", "--json").Out);
    }

    [Fact]
    public void Restore_of_a_damaged_backup_leaves_the_archive_as_it_was()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var backup = Path.Combine(temp.Root, "backup");
        Assert.Equal(0, temp.Run("backup", backup).ExitCode);
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1952-54Guat")).ExitCode);
        var before = Hashes(temp.Folder);
        var file = Path.Combine(backup, "archive.db");
        var bytes = File.ReadAllBytes(file);
        // every byte of the second half overwritten: pages of documents and indexes are garbage
        Array.Fill(bytes, (byte)0x5A, bytes.Length / 2, bytes.Length - (bytes.Length / 2));
        File.WriteAllBytes(file, bytes);

        var restored = temp.Run("restore", backup);

        Assert.Equal(2, restored.ExitCode);
        Assert.StartsWith("chancery: ", restored.Err);
        Assert.Single(restored.Err.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, Hashes(temp.Folder));
        // no scratch copy left behind: the one folder is the archive's full-text index
        Assert.Equal(["search"], Directory.GetDirectories(temp.Folder).Select(d => Path.GetFileName(d)).ToArray());
    }

    [Fact]
    public void Restore_refuses_an_archive_that_another_connection_has_open()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var backup = Path.Combine(temp.Root, "backup");
        Assert.Equal(0, temp.Run("backup", backup).ExitCode);
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1952-54Guat")).ExitCode);
        var before = Hashes(temp.Folder);
        using var other = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(temp.Folder, "archive.db"),
            Pooling = false,
        }.ToString());
        other.Open();
        using (var read = other.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM volumes";
            read.ExecuteScalar();
        }

        var restored = temp.Run("restore", backup);

        Assert.Equal(2, restored.ExitCode);
        Assert.Equal($"chancery: the archive at {Path.GetFullPath(temp.Folder)} is in use by another process (a server or a command); stop it and restore again. The archive was not changed\n", restored.Err);
        other.Close();
        Assert.Equal(before, Hashes(temp.Folder));
    }

    [Fact]
    public void Backup_into_a_folder_that_holds_an_archive_is_refused()
    {
        using var temp = new TempArchive();
        Assert.Equal(0, temp.Run("ingest", Corpus("frus1894Nicaragua")).ExitCode);
        var backup = Path.Combine(temp.Root, "backup");
        Assert.Equal(0, temp.Run("backup", backup).ExitCode);

        var again = temp.Run("backup", backup);

        Assert.Equal(2, again.ExitCode);
        Assert.Equal($"chancery: {Path.GetFullPath(backup)} already holds an archive; choose an empty folder\n", again.Err);
    }

    [Fact]
    public void Restore_from_a_folder_without_a_backup_is_a_one_line_error()
    {
        using var temp = new TempArchive();
        var missing = Path.Combine(temp.Root, "nothing-here");

        var restored = temp.Run("restore", missing);

        Assert.Equal(2, restored.ExitCode);
        Assert.Equal($"chancery: no backup at {missing} (expected a folder written by `chancery backup` or its archive.db)\n", restored.Err);
    }

    [Theory]
    [InlineData("backup", "chancery: a PostgreSQL archive is backed up with PostgreSQL's own tools: pg_dump --format=custom --file=FILE URL (see docs/reliability.md)\n")]
    [InlineData("restore", "chancery: a PostgreSQL archive is restored with PostgreSQL's own tools: pg_restore --clean --if-exists --dbname=URL FILE (see docs/reliability.md)\n")]
    public void Backup_and_restore_of_a_postgres_archive_point_to_its_own_tools(string command, string expected)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var code = Program.Run(["--archive", "postgres://chancery@127.0.0.1:1/none", command, "/tmp/unused"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.ToString());
    }
}
