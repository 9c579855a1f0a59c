using System.Data;
using System.Diagnostics;
using System.Globalization;
using Chancery.Archive.Links;
using Chancery.Core.Export;
using Npgsql;

namespace Chancery.Archive.Postgres;

/// <summary>Copying an archive to and from the server store (<c>chancery copy</c>).</summary>
public sealed partial class PostgresArchive : IArchiveCopy
{
    private const string UserColumn = "user_name";

    /// <inheritdoc />
    public ArchiveSnapshot OpenSnapshot()
    {
        var c = Connect();
        try
        {
            return new ArchiveSnapshot(c, c.BeginTransaction(IsolationLevel.RepeatableRead), Location, UserColumn, owns: true, [], BuildLinks);
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the archive at <paramref name="url"/> for a copy to read, in a READ ONLY repeatable-read transaction and
    /// without the migrations <see cref="Open"/> applies: a copy writes nothing into its source. The snapshot builds
    /// the source's links in memory (<see cref="ArchiveSnapshot.BuildLinks"/>).
    /// </summary>
    /// <exception cref="ArchiveException">The server does not answer, or the schema is not this build's.</exception>
    public static ArchiveSnapshot ReadForCopy(string url)
    {
        var archive = new PostgresArchive(url, PostgresUrl.ToConnectionString(url), null);
        NpgsqlConnection? c = null;
        try
        {
            c = archive.Connect();
            var t = c.BeginTransaction(IsolationLevel.RepeatableRead);
            Exec(c, t, "SET TRANSACTION READ ONLY");
            var version = PostgresSchema.CurrentVersion(c, t);
            if (version != PostgresSchema.Version)
            {
                throw new ArchiveException(version > PostgresSchema.Version
                    ? $"the archive at {archive.Location} has schema version {version}, newer than this Chancery knows ({PostgresSchema.Version}); use a newer Chancery"
                    : $"the archive at {archive.Location} has schema version {version}, older than this Chancery's ({PostgresSchema.Version}): a copy does not write into its source, so run `chancery --archive URL migrate` first; nothing was copied");
            }
            return new ArchiveSnapshot(c, t, archive.Location, UserColumn, owns: true, [], BuildLinks, owner: archive);
        }
        catch (NpgsqlException e)
        {
            c?.Dispose();
            archive.Dispose();
            throw new ArchiveException($"cannot read the archive at {archive.Location}: {e.Message}", e);
        }
        catch
        {
            c?.Dispose();
            archive.Dispose();
            throw;
        }
    }

    // a rebuild's reads and computation (LinkStore) in the snapshot's transaction, without its write
    private static LinkReport BuildLinks(ArchiveSnapshot snapshot) =>
        PostgresLinkStore.BuildIn((NpgsqlConnection)snapshot.Connection, (NpgsqlTransaction)snapshot.Transaction);

    /// <summary>
    /// Writes everything <paramref name="source"/> holds into this archive, which must be empty, in one transaction;
    /// verifies what was written against <paramref name="expected"/> (the source's fingerprint) inside that
    /// transaction and commits only when they match, so a failure or a mismatch leaves the archive as it was.
    /// The rows are indexed as they are written, on this process's index thread as an ingest's are, and the index is
    /// committed before this returns: a server using the same index folder searches at once, with no catch-up.
    /// </summary>
    /// <returns>The comparison, table by table.</returns>
    public IReadOnlyList<CopyCheck> CopyFrom(ArchiveSnapshot source, ArchiveFingerprint expected, Action<string>? progress = null)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        // every user, review and read appends to the audit trail under this lock: none can slip in meanwhile
        Exec(c, t, $"SELECT pg_advisory_xact_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Audit})");
        using (var here = new ArchiveSnapshot(c, t, Location, UserColumn, owns: false, []))
        {
            if (here.Contents() is { } held)
            {
                throw new ArchiveException(NotEmpty(held));
            }
        }
        source.WriteKept(c, t, UserColumn);
        // rows came with their keys: the identity sequences go on after them
        Exec(c, t, "SELECT setval(pg_get_serial_sequence('reviews', 'seq'), coalesce(max(seq), 0) + 1, false) FROM reviews");
        Exec(c, t, "SELECT setval(pg_get_serial_sequence('person_decisions', 'seq'), coalesce(max(seq), 0) + 1, false) FROM person_decisions");
        var officials = Convert.ToInt64(Scalar(c, t, "SELECT count(*) FROM officials"), CultureInfo.InvariantCulture);
        if (officials > 0)
        {
            Exec(c, t, "UPDATE links_state SET officials_version = @v WHERE id = 1", ("v", Now() + " " + officials.ToString(CultureInfo.InvariantCulture)));
        }
        // the whole copy is one ticket of an ingest run: its words are indexed on the index thread while the rows are
        // written, and committed to the index only once the transaction has (without an index: left to catch-up)
        var ticket = JoinIndexSession();
        var committed = false;
        try
        {
            foreach (var v in source.Volumes())
            {
                LockVolume(c, t, v.Id);
                var writer = new DocumentWriter(this, c, t, v.Id, forIndex: ticket is not null, ticket);
                foreach (var d in source.Documents(v.Id))
                {
                    writer.Write(DocumentJson.Deserialize(d.Json), d.Seq, d.Json);
                }
                writer.Finish();
                ArchiveSnapshot.WriteVolume(c, t, v);
                progress?.Invoke(v.Id);
            }
            IReadOnlyList<CopyCheck> checks;
            using (var written = new ArchiveSnapshot(c, t, Location, UserColumn, owns: false, []))
            {
                checks = ArchiveCopyCheck.Require(expected, written.Fingerprint(), Location);
            }
            source.RequireUnchanged();
            t.Commit();
            committed = true;
            ticket?.Committed([]);
            Tidy(c, int.MaxValue);
            // the run's index commit happens here, not at the first search
            _index?.FinishSession();
            return checks;
        }
        finally
        {
            // before the rollback, while the transaction still holds the row ids it was given
            if (!committed)
            {
                ticket?.RolledBack();
            }
        }
    }

    /// <summary>Null when the archive is empty, else why a copy may not write into it.</summary>
    public string? RefuseCopyInto()
    {
        using var here = OpenSnapshot();
        return here.Contents() is { } held ? NotEmpty(held) : null;
    }

    private string NotEmpty(string held) =>
        $"the archive at {Location} is not empty ({held}): copy writes only into an empty archive (nothing was changed)";
}
