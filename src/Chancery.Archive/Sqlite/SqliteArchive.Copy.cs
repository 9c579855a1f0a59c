using System.Diagnostics;
using System.Globalization;
using Chancery.Archive.Links;
using Chancery.Core.Export;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>Copying an archive to and from the embedded store (<c>chancery copy</c>).</summary>
public sealed partial class SqliteArchive : IArchiveCopy
{
    // the cable office lives only here; a copy does not carry it (see ArchiveSnapshot.CableTraffic)
    private static readonly string[] CableTables =
    [
        "cable_posts", "cable_members", "cable_routes", "cable_designees", "cable_lists", "cable_drafts", "cable_messages",
        "cable_refs", "cable_deliveries", "cable_receipts", "cable_readers", "cable_searches", "cable_notifications",
    ];

    /// <inheritdoc />
    public ArchiveSnapshot OpenSnapshot()
    {
        var c = Connect();
        try
        {
            var t = c.BeginTransaction(deferred: true);
            // a deferred transaction takes its snapshot at the first read: take it now
            Scalar(c, t, "SELECT count(*) FROM volumes");
            return new ArchiveSnapshot(c, t, Location, "user", owns: true, CableTables, BuildLinks);
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the archive in <paramref name="folder"/> for a copy to read, writing nothing into the folder (unlike
    /// <see cref="Open"/>, which brings the schema up to date): the folder may be read-only, and a copy leaves its
    /// source byte for byte as it was. The snapshot builds the source's links in memory (<see cref="ArchiveSnapshot.BuildLinks"/>).
    /// </summary>
    /// <exception cref="ArchiveException">No archive there, one of a newer Chancery, or one that cannot be read.</exception>
    public static ArchiveSnapshot ReadForCopy(string folder)
    {
        var database = Path.GetFullPath(Path.Combine(folder, FileName));
        if (!File.Exists(database))
        {
            throw new ArchiveException($"no archive at {folder} (it holds no {FileName})");
        }
        // A read-only connection creates the -wal and -shm files when they are missing, leaves them behind, and cannot
        // open at all where it may not create them. Without a -wal the database file holds every commit, so it is read
        // as immutable (no lock, no file created) and checked afterwards for a writer that came meanwhile; with a -wal
        // (a process has it open, or was killed) it is read through the log, under the usual locks, as any reader does.
        var wal = database + "-wal";
        var immutable = !File.Exists(wal);
        // taken before the read begins (a FileInfo reads the file's state at its first use)
        var file = new FileInfo(database);
        (long Length, DateTime Written)? before = immutable ? (file.Length, file.LastWriteTimeUtc) : null;
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(database).AbsoluteUri + "?immutable=1" : database,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
        var c = new SqliteConnection(connection);
        try
        {
            c.Open();
            var t = c.BeginTransaction(deferred: true);
            var version = ReadSchemaVersion(c, t);
            if (version > SqliteSchema.Version)
            {
                throw new ArchiveException($"the archive at {folder} has schema version {version}, newer than this Chancery knows ({SqliteSchema.Version}); use a newer Chancery");
            }
            if (version == 0)
            {
                throw new ArchiveException($"no archive at {folder} ({FileName} holds no Chancery archive)");
            }
            Func<string?>? changed = before is { } b ? () => Changed(database, b, wal) : null;
            return new ArchiveSnapshot(c, t, folder, "user", owns: true, CableTables, BuildLinks, changed);
        }
        catch (SqliteException e)
        {
            c.Dispose();
            throw new ArchiveException($"cannot read the archive at {folder}: {e.Message}", e);
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    // an immutable read holds no lock: a writer that came meanwhile shows in the database file or in a -wal holding commits
    private static string? Changed(string database, (long Length, DateTime Written) before, string wal)
    {
        var now = new FileInfo(database);
        if (!now.Exists || now.Length != before.Length || now.LastWriteTimeUtc != before.Written)
        {
            return $"{FileName} was written";
        }
        var log = new FileInfo(wal);
        return log.Exists && log.Length > 0 ? $"{FileName}-wal holds new commits" : null;
    }

    // a rebuild's reads and computation (LinkStore) over the snapshot's transaction, without its write
    private static LinkReport BuildLinks(ArchiveSnapshot snapshot) =>
        SqliteLinkStore.BuildIn((SqliteConnection)snapshot.Connection, (SqliteTransaction)snapshot.Transaction);

    /// <summary>
    /// Writes a new embedded archive in <paramref name="folder"/> (missing or empty) holding what
    /// <paramref name="source"/> holds, verifies it against <paramref name="expected"/> (the source's fingerprint) and
    /// only then makes it appear: it is built in a scratch folder beside <paramref name="folder"/> and renamed into
    /// place, so a failure or a mismatch leaves no archive there.
    /// </summary>
    /// <returns>The comparison, table by table.</returns>
    public static IReadOnlyList<CopyCheck> CopyInto(string folder, ArchiveSnapshot source, ArchiveFingerprint expected, Action<string>? progress = null)
    {
        var target = Path.GetFullPath(folder);
        if (File.Exists(target))
        {
            throw new ArchiveException($"{folder} is a file; an archive is a folder");
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new ArchiveException($"{folder} is not empty: copy writes a new archive into a missing or empty folder (nothing was changed)");
        }
        var parent = Path.GetDirectoryName(target)!;
        // the scratch folder is a sibling so that the final rename stays within one file system
        var scratch = Path.Combine(parent, "." + Path.GetFileName(target) + ".copy-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<CopyCheck> checks;
            using (var archive = Open(scratch))
            {
                archive.Import(source, progress);
                using var written = archive.OpenSnapshot();
                checks = ArchiveCopyCheck.Require(expected, written.Fingerprint(), folder);
            }
            source.RequireUnchanged();
            SqliteConnection.ClearAllPools();
            LuceneSearchIndex.Forget(scratch);
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }
            Directory.Move(scratch, target);
            return checks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"cannot write the archive {folder}: {e.Message} (nothing was changed)", e);
        }
        catch (SqliteException e)
        {
            throw new ArchiveException($"cannot write the archive {folder}: {e.Message} (nothing was changed)", e);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            LuceneSearchIndex.Forget(scratch);
            TryDeleteFolder(scratch);
        }
    }

    // The kept tables in one transaction, then each volume in its own (the scratch folder is invisible until renamed,
    // so nothing needs one transaction for all): a volume's search texts go to the full-text index after its commit.
    private void Import(ArchiveSnapshot source, Action<string>? progress)
    {
        using var c = Connect();
        using (var t = BeginImmediate(c))
        {
            source.WriteKept(c, t, "user");
            var officials = Convert.ToInt64(Scalar(c, t, "SELECT count(*) FROM officials"), CultureInfo.InvariantCulture);
            if (officials > 0)
            {
                Exec(c, t, "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)", ("$k", OfficialsVersionKey),
                    ("$v", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + officials.ToString(CultureInfo.InvariantCulture)));
            }
            t.Commit();
        }
        foreach (var v in source.Volumes())
        {
            using var t = BeginImmediate(c);
            using var writer = new DocumentWriter(c, t);
            foreach (var d in source.Documents(v.Id))
            {
                writer.Write(DocumentJson.Deserialize(d.Json), d.Seq, d.Json);
            }
            ArchiveSnapshot.WriteVolume(c, t, v);
            t.Commit();
            ApplySearch(writer.Search);
            progress?.Invoke(v.Id);
        }
    }
}
