using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// The server archive: one PostgreSQL database shared by many processes, with the same contract and the same
/// answers as the embedded SQLite archive. Each volume is written in one transaction under a per-volume advisory
/// lock, so two ingests of a volume run one after the other and a reader (READ COMMITTED) sees the old version
/// or the new one, never a mix. The audit trail is appended under an archive-wide advisory lock, so its hash chain
/// stays a single line however many processes write. There is no <c>Backup</c>: <c>pg_dump</c> is the backup.
/// </summary>
public sealed partial class PostgresArchive : IArchive
{
    private readonly NpgsqlDataSource _source;
    private readonly string? _indexFolder;
    private readonly System.Threading.Lock _indexGate = new();
    private LuceneSearchIndex? _index;

    private PostgresArchive(string url, string connectionString, string? indexFolder)
    {
        Location = PostgresUrl.Redact(url);
        _source = NpgsqlDataSource.Create(connectionString);
        _indexFolder = string.IsNullOrWhiteSpace(indexFolder) ? null : indexFolder;
    }

    /// <summary>The address with any password replaced by <c>***</c>.</summary>
    public string Location { get; }

    /// <summary>
    /// Opens the archive in the database at <paramref name="url"/> (<c>postgres://user@host:port/database</c>),
    /// creating its tables in an empty database and applying pending migrations. Refuses a database whose schema
    /// is newer than this build knows.
    /// </summary>
    /// <param name="url">The database.</param>
    /// <param name="indexFolder">
    /// The folder of this process's search index of the archive; null for <see cref="IndexFolderVariable"/>, else a
    /// folder of the user's cache named after the archive (<see cref="DefaultIndexFolder"/>).
    /// </param>
    public static PostgresArchive Open(string url, string? indexFolder = null)
    {
        var archive = new PostgresArchive(url, PostgresUrl.ToConnectionString(url), indexFolder ?? Environment.GetEnvironmentVariable(IndexFolderVariable));
        try
        {
            using var c = archive.Connect();
            if (PostgresSchema.CurrentVersion(c, null) != PostgresSchema.Version)
            {
                PostgresSchema.Migrate(c, archive.Location);
            }
            return archive;
        }
        catch (NpgsqlException e)
        {
            archive.Dispose();
            throw new ArchiveException($"cannot open the archive at {archive.Location}: {e.Message}", e);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Brings the database at <paramref name="url"/> to this build's schema (for <c>chancery migrate</c>) and
    /// returns the migrations applied, none when it was up to date.
    /// </summary>
    public static IReadOnlyList<int> Migrate(string url)
    {
        using var archive = new PostgresArchive(url, PostgresUrl.ToConnectionString(url), null);
        using var c = archive.Connect();
        try
        {
            return PostgresSchema.Migrate(c, archive.Location);
        }
        catch (NpgsqlException e)
        {
            throw new ArchiveException($"cannot migrate the archive at {archive.Location}: {e.Message}", e);
        }
    }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => PostgresSchema.Version;

    // ---- the search index ---------------------------------------------------------------------------------

    /// <summary>The environment variable naming the search index folder when <see cref="Open"/> is given none.</summary>
    public const string IndexFolderVariable = "CHANCERY_INDEX_DIR";

    /// <summary>How long a write to the search index after a commit waits for another writer before leaving it to catch-up.</summary>
    private const int SearchWriteWaitMs = 10_000;

    /// <summary>
    /// The Lucene index this process searches the archive with: derived, never the truth (docs/decisions/004-postgres-search.md).
    /// Opened on first use; an index of another archive found in its folder is emptied first, and rows it lacks are
    /// indexed from the stored documents by the next search.
    /// </summary>
    internal LuceneSearchIndex Index
    {
        get
        {
            lock (_indexGate)
            {
                return _index ??= OpenIndex();
            }
        }
    }

    /// <summary>
    /// The default folder of the search index of the archive <paramref name="identity"/> names: under
    /// <c>$XDG_CACHE_HOME</c> (else <c>~/.cache</c>), <c>chancery/search/</c> and a digest of the identity.
    /// </summary>
    public static string DefaultIndexFolder(string identity)
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..24];
        return Path.Combine(cache, "chancery", "search", digest);
    }

    /// <summary>
    /// What names this archive's index: the archive's own id (kept by a dump and restore) with the server and
    /// database it is in (so two restored copies that go their own ways do not share one).
    /// </summary>
    internal string Identity()
    {
        using var c = Connect();
        var uuid = (string)Scalar(c, null, "SELECT uuid FROM archive_identity")!;
        return $"{uuid} {c.Host}:{c.Port.ToString(CultureInfo.InvariantCulture)}/{c.Database}";
    }

    private LuceneSearchIndex OpenIndex()
    {
        var identity = Identity();
        var folder = Path.GetFullPath(_indexFolder ?? DefaultIndexFolder(identity));
        var index = LuceneSearchIndex.At(folder);
        var marker = Path.Combine(folder, "archive.id");
        try
        {
            if (File.Exists(marker) && File.ReadAllText(marker) == identity)
            {
                return index;
            }
            // an index of another archive (or of one unknown): its documents would be taken for this archive's rows of
            // the same ids, so it is emptied before any search reads it, and rebuilt by catch-up
            if (!index.TryWrite(w => w.DeleteAll(), SearchWriteWaitMs))
            {
                throw new ArchiveException($"the search index at {folder} belongs to another archive and is in use; give this archive its own folder ({IndexFolderVariable})");
            }
            var written = marker + ".new";
            File.WriteAllText(written, identity);
            File.Move(written, marker, overwrite: true);
            return index;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"cannot use the search index folder {folder}: {e.Message}", e);
        }
    }

    /// <summary>The ingest run of this process's index that a volume joins; null when the index cannot be used (catch-up then indexes its rows).</summary>
    private IndexSession.Ticket? JoinIndexSession()
    {
        try
        {
            return Index.JoinSession();
        }
        catch (ArchiveException)
        {
            return null;
        }
    }

    /// <summary>
    /// Gives the index the rows a committed transaction added and removed. After the commit, never inside it: a
    /// failure here leaves them to the next search's catch-up, and PostgreSQL stays right.
    /// </summary>
    private void Indexed(IReadOnlyList<(long Row, SearchText Text)> added, IReadOnlyList<long> removed)
    {
        if (added.Count == 0 && removed.Count == 0)
        {
            return;
        }
        try
        {
            Index.TryApply(added, removed, SearchWriteWaitMs);
        }
        catch (ArchiveException)
        {
            // the index cannot be used now; searches will say so, the archive itself is written
        }
    }

    internal NpgsqlConnection Connect()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new ArchiveException($"cannot open the archive at {Location}: the database does not exist (create it with `createdb`)", e);
        }
        catch (NpgsqlException e)
        {
            throw new ArchiveException($"cannot open the archive at {Location}: {e.Message}", e);
        }
    }

    internal static void Exec(NpgsqlConnection c, NpgsqlTransaction? t, string sql, params (string Name, object? Value)[] args) =>
        ArchiveTables.Exec(c, t, sql, args);

    private static object? Scalar(NpgsqlConnection c, NpgsqlTransaction? t, string sql, params (string Name, object? Value)[] args) =>
        ArchiveTables.Scalar(c, t, sql, args);

    internal static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? t, string sql, params (string Name, object? Value)[] args) =>
        (NpgsqlCommand)ArchiveTables.Command(c, t, sql, args);

    /// <summary>A parameter; a null is typed as text so that <c>@p IS NULL</c> can be planned.</summary>
    internal static NpgsqlParameter Parameter(string name, object? value) =>
        value is null ? new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = DBNull.Value } : new NpgsqlParameter(name, value);

    /// <summary>Waits for the lock on one volume, held until the transaction ends.</summary>
    private static void LockVolume(NpgsqlConnection c, NpgsqlTransaction t, string volumeId) =>
        Exec(c, t, $"SELECT pg_advisory_xact_lock({PostgresSchema.Locks.Volume}, hashtext(@v))", ("v", volumeId));

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    // ---- ingest -----------------------------------------------------------------------------------------------

    public IVolumeIngest BeginVolume(string volumeId) => new VolumeIngest(this, volumeId);

    public void UpsertDocuments(Volume volume, IReadOnlyList<Document> documents)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        LockVolume(c, t, volume.Id);
        var writer = new DocumentWriter(this, c, t, volume.Id, forIndex: true);
        var seq = Convert.ToInt32(Scalar(c, t, "SELECT coalesce(max(seq), 0) FROM documents WHERE volume = @v", ("v", volume.Id)), CultureInfo.InvariantCulture);
        foreach (var d in documents)
        {
            writer.Flush();
            var existingSeq = Scalar(c, t, "SELECT seq FROM documents WHERE id = @id", ("id", d.Id));
            writer.Remove(d.Id);
            writer.Write(d, existingSeq is int s ? s : ++seq);
        }
        writer.Finish();
        var existing = Scalar(c, t, "SELECT meta FROM volumes WHERE id = @v", ("v", volume.Id)) as string;
        var meta = existing is null ? volume : ArchiveTables.MergeContents(JsonSerializer.Deserialize<Volume>(existing, DocumentJson.Compact)!, volume);
        WriteVolume(c, t, meta);
        t.Commit();
        Indexed(writer.Added, writer.Removed);
    }

    /// <summary>
    /// After a volume: refreshes the planner's statistics of the search tables when the volume is a tenth or more of
    /// what they held (autovacuum's own rule, which covers the rest), so the first searches after a large ingest are
    /// planned on what is there. Best effort: a role that does not own the tables only gets a warning.
    /// </summary>
    /// <param name="c">A connection outside any transaction.</param>
    /// <param name="documents">Documents just written; <see cref="int.MaxValue"/> always refreshes.</param>
    private static void Tidy(NpgsqlConnection c, int documents)
    {
        try
        {
            var known = Convert.ToDouble(Scalar(c, null, "SELECT reltuples FROM pg_class WHERE oid = 'search_rows'::regclass"), CultureInfo.InvariantCulture);
            if (known >= 0 && documents < known / 10)
            {
                return;
            }
            Exec(c, null, "ANALYZE search_rows, search_persons, search_files");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.LockNotAvailable)
        {
        }
    }

    /// <summary>Writes the volume row with counts and a content hash over its documents, inside the ingest transaction.</summary>
    private static void WriteVolume(NpgsqlConnection c, NpgsqlTransaction t, Volume volume) =>
        ArchiveTables.WriteVolume(c, t, volume, """
            INSERT INTO volumes(id, title, kind, sha256, bytes, ingested, document_count, content_hash, meta)
            VALUES(@id, @title, @kind, @sha, @bytes, @time, @count, @hash, @meta)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, sha256 = excluded.sha256,
                bytes = excluded.bytes, ingested = excluded.ingested, document_count = excluded.document_count,
                content_hash = excluded.content_hash, meta = excluded.meta
            """);

    private sealed class VolumeIngest : IVolumeIngest
    {
        private readonly NpgsqlConnection _c;
        private readonly NpgsqlTransaction _t;
        private readonly DocumentWriter _writer;
        private readonly IndexSession.Ticket? _ticket;
        private readonly string _volumeId;
        private int _seq;
        private bool _done;

        public VolumeIngest(PostgresArchive archive, string volumeId)
        {
            _volumeId = volumeId;
            _c = archive.Connect();
            try
            {
                _t = _c.BeginTransaction();
                // a second ingest of the same volume waits here until the first commits or rolls back
                LockVolume(_c, _t, volumeId);
                // the volume's words are indexed on the ingest run's thread while it is stored, as in the embedded
                // archive (IndexSession); the index commits them only once this transaction has
                _ticket = archive.JoinIndexSession();
                _writer = new DocumentWriter(archive, _c, _t, volumeId, forIndex: _ticket is not null, _ticket);
                _writer.RemoveVolume(volumeId);
            }
            catch
            {
                _ticket?.RolledBack();
                _c.Dispose();
                throw;
            }
        }

        public void Add(Document document)
        {
            ArchiveTables.EnsureInVolume(document, _volumeId);
            _writer.Write(document, ++_seq);
        }

        public void Commit(Volume volume)
        {
            _writer.Finish();
            WriteVolume(_c, _t, volume);
            _t.Commit();
            _done = true;
            _ticket?.Committed(_writer.Removed);
            Tidy(_c, _seq);
        }

        public void Dispose()
        {
            if (!_done)
            {
                _ticket?.RolledBack();
            }
            // disposing an uncommitted transaction rolls it back; on a broken connection the server does
            try
            {
                _t.Dispose();
            }
            catch (NpgsqlException)
            {
            }
            finally
            {
                _c.Dispose();
            }
        }
    }

    /// <summary>
    /// Writes document rows with their search rows inside one transaction, sending them in batches by binary COPY
    /// (documents, search rows, their persons and files): the batched statements it replaced managed about a third
    /// of the embedded archive's ingest rate (bench postgres, BENCHMARKS.md).
    /// </summary>
    private sealed class DocumentWriter
    {
        private const int BatchSize = 256;
        private readonly NpgsqlConnection _c;
        private readonly NpgsqlTransaction _t;
        private readonly Controls _controls;
        private readonly PostgresSearchTerms _terms;
        private readonly bool _forIndex;
        private readonly IndexSession.Ticket? _ticket;
        private readonly string _volumeId;
        private readonly Dictionary<string, (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)> _reviews;
        private readonly List<(Document Doc, int Seq, ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions, string? Json)> _pending = [];

        /// <param name="forIndex">Keep the removed row ids, and the rows' texts unless <paramref name="ticket"/> takes them, for the search index after the commit.</param>
        /// <param name="ticket">The ingest run's ticket the rows are indexed through, or null.</param>
        public DocumentWriter(PostgresArchive archive, NpgsqlConnection c, NpgsqlTransaction t, string volumeId, bool forIndex, IndexSession.Ticket? ticket = null)
        {
            _c = c;
            _t = t;
            _forIndex = forIndex;
            _ticket = ticket;
            _volumeId = volumeId;
            _controls = new Controls(c, t);
            _terms = new PostgresSearchTerms(archive.Connect);
            // reviews of this volume's documents, read once: the volume lock keeps them from changing meanwhile
            _reviews = LatestReviews(c, t, volumeId);
        }

        /// <summary>The search rows written, with their texts, for the index after the commit (none when a ticket took them).</summary>
        public List<(long Row, SearchText Text)> Added { get; } = [];

        /// <summary>The search rows deleted, for the index after the commit.</summary>
        public List<long> Removed { get; } = [];

        public void RemoveVolume(string volumeId)
        {
            // search rows go with their documents (ON DELETE CASCADE)
            RemovedRows("d.volume = @v", ("v", volumeId));
            Exec(_c, _t, "DELETE FROM documents WHERE volume = @v", ("v", volumeId));
            Exec(_c, _t, "DELETE FROM volumes WHERE id = @v", ("v", volumeId));
        }

        public void Remove(string documentId)
        {
            RemovedRows("d.id = @id", ("id", documentId));
            Exec(_c, _t, "DELETE FROM documents WHERE id = @id", ("id", documentId));
        }

        private void RemovedRows(string where, (string, object?) arg)
        {
            if (!_forIndex)
            {
                return;
            }
            using var cmd = Command(_c, _t, "SELECT r.id FROM search_rows r JOIN documents d ON d.key = r.doc WHERE " + where, arg);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                Removed.Add(r.GetInt64(0));
            }
        }

        /// <summary>Sends what is pending: call before the volume row.</summary>
        public void Finish() => Flush();

        /// <param name="d">The document.</param>
        /// <param name="seq">Its place in the volume.</param>
        /// <param name="storedJson">Its JSON as another archive stored it (a copy keeps it byte for byte); null to write it from <paramref name="d"/>.</param>
        public void Write(Document d, int seq, string? storedJson = null)
        {
            // a review outlives re-ingest: the latest decision on this id decides the release state
            var review = d.Id.StartsWith(_volumeId + "#", StringComparison.Ordinal)
                ? _reviews.TryGetValue(d.Id, out var known) ? known : ((ReleaseState, IReadOnlyList<ExciseSpan>)?)null
                : LatestReview(_c, _t, d.Id);
            var (release, excisions) = review ?? (d.Release, []);
            _pending.Add((d, seq, release, excisions, storedJson));
            if (_pending.Count >= BatchSize)
            {
                Flush();
            }
        }

        /// <summary>
        /// Sends the documents written so far: their keys and search row ids in one round trip, then the documents, their
        /// search rows, persons and files by binary COPY, inside the volume's transaction.
        /// </summary>
        public void Flush()
        {
            if (_pending.Count == 0)
            {
                return;
            }
            var views = _pending.Select(x => ArchiveTables.SearchViews(x.Doc, x.Release, x.Excisions)).ToList();
            _terms.Register(views.SelectMany(v => v).SelectMany(v => PostgresSearchTerms.Values(v.Doc)));
            // everything that asks the server comes before the COPY, which holds the connection until it completes
            var masks = _pending.Select(x => _controls.Mask(x.Doc.Marking.Controls)).ToList();
            var keys = PostgresSearch.NewIds(_c, _t, "documents", "key", _pending.Count);
            var ids = PostgresSearch.NewRowIds(_c, _t, views.Sum(v => v.Count));
            var rows = new List<(long Key, PostgresSearch.RowValues Rows)>(_pending.Count);
            var next = 0;
            using (var copy = _c.BeginBinaryImport("""
                COPY documents(key, id, volume, seq, number, type, title, sender, recipient, place, date_min, date_max,
                    classification, level, controls, release, file_numbers, persons, telegram_number, json, sha256) FROM STDIN (FORMAT BINARY)
                """))
            {
                for (var i = 0; i < _pending.Count; i++)
                {
                    var (d, seq, release, _, stored) = _pending[i];
                    // the embedded archive's stored form, byte for byte: the same document has the same SHA-256 in both
                    var utf8 = stored is null ? StoredDocumentWriter.ToUtf8(d) : Encoding.UTF8.GetBytes(stored);
                    var json = stored ?? Encoding.UTF8.GetString(utf8);
                    copy.StartRow();
                    copy.Write(keys[i], NpgsqlDbType.Bigint);
                    copy.Write(d.Id, NpgsqlDbType.Text);
                    copy.Write(d.Volume, NpgsqlDbType.Text);
                    copy.Write(seq, NpgsqlDbType.Integer);
                    PostgresSearch.CopyText(copy, d.Number);
                    copy.Write(d.Type, NpgsqlDbType.Text);
                    copy.Write(d.Title, NpgsqlDbType.Text);
                    PostgresSearch.CopyText(copy, d.From);
                    PostgresSearch.CopyText(copy, d.To);
                    PostgresSearch.CopyText(copy, d.Place);
                    PostgresSearch.CopyText(copy, d.Date?.MinKey);
                    PostgresSearch.CopyText(copy, d.Date?.MaxKey);
                    PostgresSearch.CopyText(copy, d.Classification);
                    copy.Write((int)d.Marking.Level, NpgsqlDbType.Integer);
                    copy.Write(masks[i], NpgsqlDbType.Bigint);
                    copy.Write((int)release, NpgsqlDbType.Integer);
                    copy.Write(string.Join('|', d.FileNumbers), NpgsqlDbType.Text);
                    copy.Write(string.Join('|', d.Persons.SelectMany(x => x.Id is null ? new[] { x.Name } : [x.Id, x.Name])), NpgsqlDbType.Text);
                    PostgresSearch.CopyText(copy, d.TelegramNumber);
                    copy.Write(json, NpgsqlDbType.Text);
                    copy.Write(Convert.ToHexStringLower(SHA256.HashData(utf8)), NpgsqlDbType.Text);
                    var values = PostgresSearch.Rows(views[i], _terms, ids.AsSpan(next, views[i].Count));
                    rows.Add((keys[i], values));
                    for (var v = 0; v < values.Ids.Length; v++)
                    {
                        if (_ticket is not null)
                        {
                            _ticket.Add(values.Ids[v], views[i][v].Doc);
                        }
                        else if (_forIndex)
                        {
                            Added.Add((values.Ids[v], SearchText.Build(views[i][v].Doc)));
                        }
                    }
                    next += views[i].Count;
                }
                copy.Complete();
            }
            PostgresSearch.CopyRows(_c, rows);
            _pending.Clear();
        }
    }

    /// <summary>Replaces a document's search rows (after a review); returns the rows added, with their texts, and those removed.</summary>
    private (List<(long Row, SearchText Text)> Added, List<long> Removed) ReindexViews(NpgsqlConnection c, NpgsqlTransaction t, long key, Document stored,
        ReleaseState release, IReadOnlyList<ExciseSpan> excisions)
    {
        var removed = new List<long>();
        using (var gone = Command(c, t, "DELETE FROM search_rows WHERE doc = @k RETURNING id", ("k", key)))
        using (var r = gone.ExecuteReader())
        {
            while (r.Read())
            {
                removed.Add(r.GetInt64(0));
            }
        }
        var views = ArchiveTables.SearchViews(stored, release, excisions);
        var terms = new PostgresSearchTerms(Connect);
        terms.Register(views.SelectMany(v => PostgresSearchTerms.Values(v.Doc)));
        var ids = PostgresSearch.NewRowIds(c, t, views.Count);
        using (var cmd = new NpgsqlCommand($"""
            WITH d AS (SELECT @key::bigint AS key),
            {PostgresSearch.InsertRowsSql}
            """, c, t))
        {
            cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Bigint) { Value = key });
            PostgresSearch.AddRowParameters(cmd.Parameters, views, terms, ids);
            cmd.ExecuteNonQuery();
            return ([.. ids.Zip(views.Select(v => SearchText.Build(v.Doc)))], removed);
        }
    }

    private static (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)? LatestReview(NpgsqlConnection c, NpgsqlTransaction? t, string id) =>
        ArchiveTables.LatestReview(c, t, id);

    /// <summary>The latest review of every reviewed document of a volume.</summary>
    private static Dictionary<string, (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)> LatestReviews(NpgsqlConnection c, NpgsqlTransaction t, string volumeId)
    {
        using var cmd = Command(c, t, """
            SELECT DISTINCT ON (document) document, action, excisions FROM reviews
            WHERE starts_with(document, @prefix) ORDER BY document, seq DESC
            """, ("prefix", volumeId + "#"));
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, (ReleaseState, IReadOnlyList<ExciseSpan>)>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = ArchiveTables.ReviewState(r.GetString(1), r.GetString(2));
        }
        return map;
    }

    /// <summary>The archive's registry of dissemination-control names, each with a bit for the access mask.</summary>
    private sealed class Controls(NpgsqlConnection c, NpgsqlTransaction t)
    {
        private Dictionary<string, int>? _bits;
        private bool _locked;

        public long Mask(IEnumerable<string> names)
        {
            _bits ??= ArchiveTables.LoadControls(c, t);
            long mask = 0;
            foreach (var n in names)
            {
                if (!_bits.TryGetValue(n, out var bit))
                {
                    if (!_locked)
                    {
                        // another process may be registering names too: take turns, then look again
                        Exec(c, t, $"SELECT pg_advisory_xact_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Controls})");
                        _locked = true;
                        _bits = ArchiveTables.LoadControls(c, t);
                    }
                    if (!_bits.TryGetValue(n, out bit))
                    {
                        bit = ArchiveTables.RegisterControl(c, t, _bits, n);
                    }
                }
                mask |= 1L << bit;
            }
            return mask;
        }
    }

    /// <summary>The reader as SQL parameters: its controls become a mask over this archive's control bits.</summary>
    internal static AccessFilter FilterFor(NpgsqlConnection c, NpgsqlTransaction? t, ReaderIdentity reader) => ArchiveTables.FilterFor(c, t, reader);

    // ---- reading ----------------------------------------------------------------------------------------------

    public IReadOnlyList<VolumeSummary> ListVolumes(ReaderIdentity reader)
    {
        using var c = Connect();
        var access = FilterFor(c, null, reader);
        using var cmd = new NpgsqlCommand($"""
            SELECT v.id, v.title, count(d.key)::integer, min(d.date_min), max(d.date_max)
            FROM volumes v LEFT JOIN documents d ON d.volume = v.id AND {PostgresAccess.VisibleSql("d")}
            GROUP BY v.id, v.title ORDER BY v.id
            """, c);
        access.AddPostgresParameters(cmd);
        return ArchiveTables.ReadVolumeSummaries(cmd);
    }

    public Volume? GetVolume(string volumeId, ReaderIdentity reader)
    {
        using var c = Connect();
        // one snapshot for the volume row and its visible documents, so a concurrent re-ingest cannot fall between
        using var t = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        if (Scalar(c, t, "SELECT meta FROM volumes WHERE id = @v", ("v", volumeId)) is not string json)
        {
            return null;
        }
        var volume = JsonSerializer.Deserialize<Volume>(json, DocumentJson.Compact)!;
        var access = FilterFor(c, t, reader);
        using var cmd = Command(c, t, $"SELECT d.id FROM documents d WHERE d.volume = @v AND {PostgresAccess.VisibleSql("d")}", ("v", volumeId));
        access.AddPostgresParameters(cmd);
        var visible = new HashSet<string>(StringComparer.Ordinal);
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                visible.Add(r.GetString(0));
            }
        }
        t.Commit();
        return ArchiveTables.VisibleContents(volume, visible);
    }

    public DocumentView? GetDocument(string id, ReaderIdentity reader, string surface)
    {
        var normal = NormaliseId(id);
        if (normal is null)
        {
            return null;
        }
        using var c = Connect();
        var access = FilterFor(c, null, reader);
        // the document and its latest review in one statement: one snapshot, whatever is being written meanwhile
        using var cmd = Command(c, null, $"""
            SELECT d.json, d.release, r.excisions FROM documents d
            LEFT JOIN LATERAL (SELECT excisions FROM reviews WHERE document = d.id ORDER BY seq DESC LIMIT 1) r ON true
            WHERE d.id = @id AND {PostgresAccess.VisibleSql("d")}
            """, ("id", normal));
        access.AddPostgresParameters(cmd);
        string json;
        ReleaseState release;
        string? reviewExcisions;
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            json = r.GetString(0);
            release = (ReleaseState)r.GetInt32(1);
            reviewExcisions = r.IsDBNull(2) ? null : r.GetString(2);
        }
        var stored = DocumentJson.Deserialize(json);
        IReadOnlyList<ExciseSpan> excisions = release == ReleaseState.ReleasedWithExcisions && reviewExcisions is not null
            ? JsonSerializer.Deserialize<List<ExciseSpan>>(reviewExcisions, DocumentJson.Compact) ?? []
            : [];
        var view = AccessView.For(stored, release, excisions, reader);
        if (ArchiveTables.OriginalReadDetail(view, release) is { } detail)
        {
            AppendAudit(c, reader.Name, "read", normal, surface, detail);
        }
        return view;
    }

    /// <summary>Accepts <c>vol#d1</c> and the URL form <c>vol/d1</c>.</summary>
    private static string? NormaliseId(string id) => ArchiveTables.NormaliseId(id);

    public (string? Previous, string? Next) GetNeighbours(string id, ReaderIdentity reader)
    {
        var normal = NormaliseId(id);
        if (normal is null)
        {
            return (null, null);
        }
        using var c = Connect();
        var access = FilterFor(c, null, reader);
        using var cmd = Command(c, null, $"""
            WITH me AS (SELECT volume, seq FROM documents d WHERE d.id = @id AND {PostgresAccess.VisibleSql("d")})
            SELECT (SELECT d.id FROM documents d, me WHERE d.volume = me.volume AND d.seq < me.seq AND {PostgresAccess.VisibleSql("d")} ORDER BY d.seq DESC LIMIT 1),
                   (SELECT d.id FROM documents d, me WHERE d.volume = me.volume AND d.seq > me.seq AND {PostgresAccess.VisibleSql("d")} ORDER BY d.seq LIMIT 1)
            """, ("id", normal));
        access.AddPostgresParameters(cmd);
        return ArchiveTables.ReadNeighbours(cmd);
    }

    public SearchResults Search(SearchRequest request, ReaderIdentity reader, string surface)
    {
        using var c = Connect();
        SearchResults results;
        IReadOnlyList<string> originals;
        // one snapshot for the count, the page and the facets, so they agree while ingests run
        using (var t = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
        {
            var access = FilterFor(c, t, reader);
            results = SqliteSearchIndex.Search(new PostgresSearchSource(c, t), Index, request, access, out originals);
            t.Commit();
        }
        foreach (var id in originals)
        {
            AppendAudit(c, reader.Name, "search hit", id, surface, ArchiveTables.SearchHitDetail(request));
        }
        return results;
    }

    // ---- users ------------------------------------------------------------------------------------------------

    public void AddUser(UserAccount user)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        // ON CONFLICT rather than a look first: two processes adding the same name must not both succeed
        var added = Command(c, t, """
            INSERT INTO users(name, clearance, controls, created, password_hash) VALUES(@n, @c, @k, @t, @p)
            ON CONFLICT (name) DO NOTHING
            """, ArchiveTables.UserParameters(user)).ExecuteNonQueryAndDispose();
        if (added == 0)
        {
            throw new ArchiveException($"a user named {user.Name} exists already (remove it first, or pick another name)");
        }
        AppendAudit(c, t, "system", "user added", null, "admin", ArchiveTables.UserAddedDetail(user));
        t.Commit();
    }

    public bool RemoveUser(string name)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        var removed = Command(c, t, "DELETE FROM users WHERE name = @n", ("n", name)).ExecuteNonQueryAndDispose() > 0;
        if (removed)
        {
            AppendAudit(c, t, "system", "user removed", null, "admin", name);
        }
        t.Commit();
        return removed;
    }

    public IReadOnlyList<UserAccount> ListUsers()
    {
        using var c = Connect();
        return ArchiveTables.ListUsers(c);
    }

    public UserAccount? GetUser(string name)
    {
        using var c = Connect();
        return ArchiveTables.GetUser(c, name);
    }

    public void SetPasswordHash(string name, string? passwordHash)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        if (Command(c, t, "UPDATE users SET password_hash = @p WHERE name = @n", ("p", passwordHash), ("n", name)).ExecuteNonQueryAndDispose() == 0)
        {
            throw new ArchiveException($"no user {name} (add one with `chancery users add`)");
        }
        AppendAudit(c, t, "system", "password set", null, "admin", name);
        t.Commit();
    }

    public string IssueToken(string name)
    {
        var token = ArchiveTables.NewToken();
        using var c = Connect();
        using var t = c.BeginTransaction();
        // FOR KEY SHARE keeps the user from being removed before the token row is in
        if (Scalar(c, t, "SELECT 1 FROM users WHERE name = @n FOR KEY SHARE", ("n", name)) is null)
        {
            throw new ArchiveException($"no user {name} (add one with `chancery users add`)");
        }
        Exec(c, t, "INSERT INTO tokens(hash, user_name, created) VALUES(@h, @u, @t)", ("h", ArchiveTables.TokenHash(token)), ("u", name), ("t", Now()));
        AppendAudit(c, t, "system", "token issued", null, "admin", name);
        t.Commit();
        return token;
    }

    public UserAccount? FindUserByToken(string token)
    {
        using var c = Connect();
        return ArchiveTables.FindUserByToken(c, UserNameColumn, token);
    }

    // ---- review -----------------------------------------------------------------------------------------------

    public ReviewRecord? Review(ReviewDecision decision, UserAccount reviewer)
    {
        var id = NormaliseId(decision.DocumentId);
        if (id is null || !DocumentIds.TrySplit(id, out var volumeId, out _))
        {
            return null;
        }
        using var c = Connect();
        using var t = c.BeginTransaction();
        // the volume's lock: a review and a re-ingest of its volume take turns, so neither loses the other's work
        LockVolume(c, t, volumeId);
        if (ArchiveTables.ApplyReview(c, t, id, decision, reviewer) is not { } applied)
        {
            return null;
        }
        var (added, removedRows) = ReindexViews(c, t, applied.Key, applied.Stored, applied.Release, applied.Record.Excisions);
        AppendAudit(c, t, reviewer.Name, applied.AuditAction, id, "review", applied.AuditDetail);
        t.Commit();
        Indexed(added, removedRows);
        return applied.Record;
    }

    public IReadOnlyList<ReviewRecord> ListReviews(string id, ReaderIdentity reader)
    {
        var normal = NormaliseId(id);
        if (normal is null)
        {
            return [];
        }
        using var c = Connect();
        // one snapshot for the document's marking and its reviews
        using var t = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        return ArchiveTables.ListReviews(c, t, normal, reader);
    }

    // ---- audit ------------------------------------------------------------------------------------------------

    private static void AppendAudit(NpgsqlConnection c, string user, string action, string? document, string surface, string detail)
    {
        using var t = c.BeginTransaction();
        AppendAudit(c, t, user, action, document, surface, detail);
        t.Commit();
    }

    /// <summary>
    /// Appends one hash-chained line; the caller's transaction makes it atomic with what it records. The lock is
    /// held to the end of that transaction, so the next writer reads this line as its predecessor.
    /// </summary>
    internal static void AppendAudit(NpgsqlConnection c, NpgsqlTransaction t, string user, string action, string? document, string surface, string detail)
    {
        Exec(c, t, $"SELECT pg_advisory_xact_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Audit})");
        ArchiveTables.AppendAudit(c, t, UserNameColumn, user, action, document, surface, detail);
    }

    // the user column of audit and tokens: USER is a reserved word in PostgreSQL ("user" in the embedded archive)
    private const string UserNameColumn = "user_name";

    public IReadOnlyList<AuditEntry> ListAudit(string? user, string? documentId, int limit)
    {
        using var c = Connect();
        return ArchiveTables.ListAudit(c, UserNameColumn, user, documentId, limit);
    }

    public AuditVerification VerifyAudit()
    {
        using var c = Connect();
        return ArchiveTables.VerifyAudit(c, null, UserNameColumn);
    }

    // ---- maintenance ------------------------------------------------------------------------------------------

    /// <summary>
    /// Counts and content hashes, read in one snapshot so ingests running meanwhile do not show up as damage.
    /// PostgreSQL checks its own pages (checksums, <c>amcheck</c>), so there is no counterpart to SQLite's
    /// <c>PRAGMA integrity_check</c> here; what is checked is what Chancery wrote.
    /// </summary>
    public CheckReport Check()
    {
        var problems = new List<string>();
        using var c = Connect();
        using var t = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var version = PostgresSchema.CurrentVersion(c, t);
        if (version != PostgresSchema.Version)
        {
            problems.Add($"schema: version {version}, this Chancery writes {PostgresSchema.Version} (run `chancery migrate`)");
        }
        var (volumes, documents) = ArchiveTables.CheckDocuments(c, t, problems);
        if (Convert.ToInt64(Scalar(c, t, "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM search_rows s WHERE s.doc = d.key)"), CultureInfo.InvariantCulture) is var unindexed and > 0)
        {
            problems.Add($"{unindexed} documents have no search rows");
        }
        var audit = ArchiveTables.VerifyAudit(c, t, UserNameColumn);
        if (!audit.Ok)
        {
            problems.Add("audit: " + audit.Problem);
        }
        t.Commit();
        return new CheckReport(problems.Count == 0, volumes, documents, problems);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A digest of PostgreSQL's current snapshot (<c>pg_current_snapshot()</c>: the next transaction id and those still
    /// running). A transaction that writes takes an id and is in that list until it ends, so its commit always changes
    /// the snapshot, whichever process or connection made it, and nothing committed can hide behind an unchanged marker.
    /// Ids are the server's, not the database's: writes to other databases of the server and the server's own
    /// housekeeping (ANALYZE) move the marker too, which only empties a page cache sooner than needed.
    /// </remarks>
    public long? ChangeMarker()
    {
        try
        {
            using var c = _source.OpenConnection();
            using var cmd = new NpgsqlCommand("SELECT pg_current_snapshot()::text", c);
            var snapshot = (string)cmd.ExecuteScalar()!;
            return BitConverter.ToInt64(SHA256.HashData(Encoding.ASCII.GetBytes(snapshot)), 0);
        }
        catch (NpgsqlException)
        {
            // cannot tell: the caller keeps nothing
            return null;
        }
    }

    public void Dispose()
    {
        // an ingest run of this process commits what it indexed (another archive object of the index may start the next)
        _index?.FinishSession();
        _source.Dispose();
    }
}

internal static class NpgsqlCommandExtensions
{
    /// <summary>Runs a one-off command and disposes it.</summary>
    public static int ExecuteNonQueryAndDispose(this NpgsqlCommand command)
    {
        using (command)
        {
            return command.ExecuteNonQuery();
        }
    }
}
