using Chancery.Archive.Tests.Infrastructure;

namespace Chancery.Cli.Tests;

/// <summary>
/// <c>chancery copy --from ARCHIVE --to ARCHIVE</c>: a folder to PostgreSQL and back, verified table by table; a
/// destination that holds anything, an address that does not answer and a source with cable traffic are refused
/// in one line.
/// </summary>
[Collection("postgres")]
public sealed class CopyCommandTests(PostgresServer server) : IDisposable
{
    private static readonly string[] Tables = ["volumes", "documents", "search rows", "controls", "users", "tokens", "reviews", "audit", "officials", "person decisions", "links", "people"];

    private readonly TempArchive _a = new();

    public void Dispose() => _a.Dispose();

    private static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Program.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");

    // the sample volume with a user, a reviewer's withholding and the audit lines they wrote
    private void SampleArchive()
    {
        Ok(_a.Run("ingest", Repository.SampleVolume));
        Ok(_a.Run("users", "add", "rev", "--clearance", "top-secret", "--controls", "NODIS"));
        Ok(_a.Run("--as", "rev", "review", "withhold", "frus-sample-1945#d1", "--reason", "kept back"));
    }

    [Fact]
    public void A_folder_copied_to_postgres_and_back_prints_every_table_as_ok()
    {
        SampleArchive();
        var url = server.CreateDatabase("cli_copy");
        var back = Path.Combine(_a.Root, "back");
        var there = Run("copy", "--from", _a.Folder, "--to", url);
        var again = Run("copy", "--from", url, "--to", back);
        Ok(there);
        Ok(again);
        foreach (var result in new[] { there, again })
        {
            var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Tables, lines.Skip(1).Take(Tables.Length).Select(l => l[..18].TrimEnd()));
            Assert.All(lines.Skip(1).Take(Tables.Length), l => Assert.EndsWith(" ok", l, StringComparison.Ordinal));
            Assert.StartsWith($"{"documents",-18}{"24",10}{"24",10}  ", lines[2], StringComparison.Ordinal);
        }
        Assert.Equal($"copied {url} to {back}: 1 volume, 24 documents; verified, every table matches its source", again.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(_a.Run("--as", "rev", "search", "Danube").Out, Run("--archive", back, "--as", "rev", "search", "Danube").Out);
    }

    [Fact]
    public void A_postgres_archive_is_searched_through_the_index_in_the_index_dir_folder()
    {
        SampleArchive();
        var url = server.CreateDatabase("cli_index_dir");
        var index = Path.Combine(_a.Root, "pg-index");
        Ok(Run("copy", "--from", _a.Folder, "--to", url));
        var found = Run("--archive", url, "--index-dir", index, "search", "Danube");
        Assert.Equal((_a.Run("search", "Danube").Out, true), (found.Out, File.Exists(Path.Combine(index, "archive.id"))));
    }

    [Fact]
    public void A_copy_to_postgres_leaves_every_search_row_in_the_index_dir_folder_before_any_search()
    {
        SampleArchive();
        var url = server.CreateDatabase("cli_copy_index");
        var index = Path.Combine(_a.Root, "pg-index");
        Ok(Run("--index-dir", index, "copy", "--from", _a.Folder, "--to", url));
        using var directory = Lucene.Net.Store.FSDirectory.Open(index);
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        Assert.Equal(24, reader.NumDocs);
    }

    [Fact]
    public void A_copy_into_a_folder_that_holds_a_file_is_refused_in_one_line()
    {
        SampleArchive();
        var busy = Path.Combine(_a.Root, "busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        var r = Run("copy", "--from", _a.Folder, "--to", busy);
        Assert.Equal((2, $"chancery: {busy} is not empty: copy writes a new archive into a missing or empty folder (nothing was changed)\n"), (r.ExitCode, r.Err));
    }

    [Fact]
    public void A_copy_into_a_postgres_archive_that_holds_documents_is_refused_in_one_line()
    {
        SampleArchive();
        var url = server.CreateDatabase("cli_copy_full");
        Ok(Run("--archive", url, "ingest", Repository.SampleVolume));
        var r = Run("copy", "--from", _a.Folder, "--to", url);
        Assert.Equal((2, $"chancery: the archive at {url} is not empty (1 volumes, 24 documents): copy writes only into an empty archive (nothing was changed)\n"), (r.ExitCode, r.Err));
    }

    [Fact]
    public void A_copy_to_a_postgres_address_that_does_not_answer_is_one_line()
    {
        SampleArchive();
        var r = Run("copy", "--from", _a.Folder, "--to", "postgres://nobody@127.0.0.1:1/archive");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("chancery: cannot open the archive at postgres://nobody@127.0.0.1:1/archive: Failed to connect to 127.0.0.1:1\n", r.Err);
    }

    [Fact]
    public void A_copy_to_an_address_that_is_not_an_archive_is_one_line()
    {
        SampleArchive();
        var r = Run("copy", "--from", _a.Folder, "--to", "mysql://host/db");
        Assert.Equal((2, "chancery: unknown archive URL mysql://host/db (use a folder path or postgres://USER@HOST:PORT/DATABASE)\n"), (r.ExitCode, r.Err));
    }

    [Fact]
    public void A_source_with_cable_traffic_is_refused_and_nothing_is_written()
    {
        SampleArchive();
        Ok(_a.Run("posts", "add", "moscow", "--name", "Embassy Moscow", "--place", "Moscow", "--prefix", "MOSCOW", "--utc-offset", "+03:00"));
        var to = Path.Combine(_a.Root, "copy");
        var r = Run("copy", "--from", _a.Folder, "--to", to);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"chancery: the archive at {_a.Folder} holds cable office traffic (cable_posts 1), which only the embedded archive keeps", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(to));
    }

    [Fact]
    public void A_read_only_source_folder_is_copied_and_left_byte_for_byte_as_it_was()
    {
        SampleArchive();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // every file with its SHA-256 and write time
        string Picture() => string.Join("\n", Directory.EnumerateFiles(_a.Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(_a.Folder, f)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))} {File.GetLastWriteTimeUtc(f).Ticks}"));
        var before = Picture();
        // chmod -R a-w: as root it does not stop writes, hence the comparison of the bytes
        var entries = Directory.EnumerateFileSystemEntries(_a.Folder, "*", SearchOption.AllDirectories).Append(_a.Folder).ToList();
        void Writable(bool writable)
        {
            const UnixFileMode write = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            if (OperatingSystem.IsWindows())
            {
                return;
            }
            foreach (var e in entries)
            {
                File.SetUnixFileMode(e, writable ? File.GetUnixFileMode(e) | UnixFileMode.UserWrite : File.GetUnixFileMode(e) & ~write);
            }
        }
        Writable(false);
        CliResult r;
        try
        {
            r = Run("copy", "--from", _a.Folder, "--to", Path.Combine(_a.Root, "copy"));
        }
        finally
        {
            Writable(true);
        }
        Assert.Equal((0, $"copied {_a.Folder} to {Path.Combine(_a.Root, "copy")}: 1 volume, 24 documents; verified, every table matches its source"),
            (r.ExitCode, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]));
        Assert.Equal(before, Picture());
    }
}
