using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// The embedded archive: one folder holding one SQLite database in WAL mode. Each volume is written in one
/// transaction, so a failure or a kill leaves the previous version; readers never block on writers.
/// </summary>
public sealed partial class SqliteArchive : IArchive
{
    private const string FileName = "archive.db";
    private readonly string _connectionString;

    private SqliteArchive(string folder)
    {
        Location = folder;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public string Location { get; }

    /// <summary>The database file inside the archive folder.</summary>
    public string DatabasePath => Path.Combine(Location, FileName);

    /// <summary>Opens (creating when missing) the archive in <paramref name="folder"/>.</summary>
    public static SqliteArchive Open(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"cannot create the archive folder {folder}: {e.Message}", e);
        }
        var archive = new SqliteArchive(folder);
        archive.Initialise();
        return archive;
    }

    private void Initialise()
    {
        try
        {
            using var c = Connect();
            using (var wal = c.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                wal.ExecuteNonQuery();
            }
            using var t = c.BeginTransaction();
            var version = ReadSchemaVersion(c, t);
            if (version > SqliteSchema.Version)
            {
                throw new ArchiveException($"the archive at {Location} has schema version {version}, newer than this Chancery knows ({SqliteSchema.Version}); use a newer Chancery");
            }
            Exec(c, t, SqliteSchema.Create);
            SqliteSearchIndex.Migrate(c, t);
            Exec(c, t, SqliteSearchIndex.CreateSchema);
            Exec(c, t, LinksSchema);
            Exec(c, t, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', $v)", ("$v", SqliteSchema.Version));
            t.Commit();
        }
        catch (SqliteException e)
        {
            throw new ArchiveException($"cannot open the archive at {Location}: {e.Message}", e);
        }
    }

    private static int ReadSchemaVersion(SqliteConnection c, SqliteTransaction t)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'meta'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        return cmd.ExecuteScalar() is string s ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
    }

    internal SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        // FULL: a committed volume survives power loss, not only a process kill.
        // cache_size is set on every open because connections are pooled: an ingest's larger cache must not stay
        // with the connection. 1 MB each: a server under load keeps dozens of pooled connections, each filling its
        // own copy of the hot pages, and the operating system caches the file for all of them anyway
        // (soak, docs/reliability.md; a shared mmap instead counts the file once per connection in resident memory).
        cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000; PRAGMA cache_size=-1024;";
        cmd.ExecuteNonQuery();
        return c;
    }

    internal static void Exec(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] args) =>
        ArchiveTables.Exec(c, t, sql, args);

    private static object? Scalar(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] args) =>
        ArchiveTables.Scalar(c, t, sql, args);

    // ---- ingest -----------------------------------------------------------------------------------------------

    public IVolumeIngest BeginVolume(string volumeId) => new VolumeIngest(this, volumeId);

    /// <summary>
    /// False stores ingested documents without their search rows: only for the ingest benchmark, which times
    /// reading and storing apart from the search index. Such an archive does not find what it holds.
    /// </summary>
    internal bool SearchIndexOnIngest { get; set; } = true;

    public void UpsertDocuments(Volume volume, IReadOnlyList<Document> documents)
    {
        using var c = Connect();
        using var t = BeginImmediate(c);
        using var writer = new DocumentWriter(c, t);
        var seq = Convert.ToInt32(Scalar(c, t, "SELECT coalesce(max(seq), 0) FROM documents WHERE volume = $v", ("$v", volume.Id)), CultureInfo.InvariantCulture);
        foreach (var d in documents)
        {
            var existingSeq = Scalar(c, t, "SELECT seq FROM documents WHERE id = $id", ("$id", d.Id));
            writer.Remove(d.Id);
            writer.Write(d, existingSeq is long s ? (int)s : ++seq);
        }
        var existing = Scalar(c, t, "SELECT meta FROM volumes WHERE id = $v", ("$v", volume.Id)) as string;
        var meta = existing is null ? volume : ArchiveTables.MergeContents(JsonSerializer.Deserialize<Volume>(existing, DocumentJson.Compact)!, volume);
        WriteVolume(c, t, meta);
        t.Commit();
        ApplySearch(writer.Search);
    }

    /// <summary>Time an ingest waits for another writer of the full-text index before leaving its rows to catch-up.</summary>
    private const int SearchWriteWaitMs = 10_000;

    /// <summary>
    /// Brings the full-text index level with search rows a committed transaction added and removed. When another
    /// process holds the index, the rows are left to the next search's catch-up; the database is right either way.
    /// </summary>
    private void ApplySearch(SqliteSearchWriter? search)
    {
        if (search is not null)
        {
            LuceneSearchIndex.For(Location).TryApply(search.Added, search.Removed, SearchWriteWaitMs);
        }
    }

    private static SqliteTransaction BeginImmediate(SqliteConnection c) => c.BeginTransaction(deferred: false);

    /// <summary>Writes the volume row with counts and a content hash over its documents, inside the ingest transaction.</summary>
    private static void WriteVolume(SqliteConnection c, SqliteTransaction t, Volume volume) =>
        ArchiveTables.WriteVolume(c, t, volume, """
            INSERT OR REPLACE INTO volumes(id, title, kind, sha256, bytes, ingested, document_count, content_hash, meta)
            VALUES(@id, @title, @kind, @sha, @bytes, @time, @count, @hash, @meta)
            """);

    private sealed class VolumeIngest : IVolumeIngest
    {
        private readonly SqliteArchive _archive;
        private readonly SqliteConnection _c;
        private readonly SqliteTransaction _t;
        private readonly DocumentWriter _writer;
        private readonly IndexSession.Ticket? _ticket;
        private readonly string _volumeId;
        private int _seq;
        private bool _done;

        public VolumeIngest(SqliteArchive archive, string volumeId)
        {
            _archive = archive;
            _volumeId = volumeId;
            _c = archive.Connect();
            _t = BeginImmediate(_c);
            try
            {
                // the volume's words are indexed on the ingest run's thread while it is stored (IndexSession)
                _ticket = archive.SearchIndexOnIngest ? LuceneSearchIndex.For(archive.Location).JoinSession() : null;
                _writer = new DocumentWriter(_c, _t, archive.SearchIndexOnIngest, _ticket);
                _writer.RemoveVolume(volumeId);
            }
            catch
            {
                _ticket?.RolledBack();
                _t.Dispose();
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
            WriteVolume(_c, _t, volume);
            _t.Commit();
            _done = true;
            if (_ticket is null)
            {
                _archive.ApplySearch(_writer.Search);
            }
            else
            {
                _ticket.Committed([.. _writer.Search!.Removed]);
            }
        }

        public void Dispose()
        {
            _writer.Dispose();
            if (!_done)
            {
                // before the rollback: its row ids cannot be given again until the index has dropped them
                _ticket?.RolledBack();
                _t.Rollback();
            }
            _t.Dispose();
            _c.Dispose();
        }
    }

    /// <summary>
    /// Writes document rows and their search rows with statements prepared once, inside one transaction. The stored
    /// JSON goes from the document to UTF-8 in a reused buffer, is hashed there and bound as text from it: no string
    /// of it is ever made (bench ingest, BENCHMARKS.md).
    /// </summary>
    private sealed class DocumentWriter : IDisposable
    {
        private const string InsertSql = """
            INSERT INTO documents(id, volume, seq, number, type, title, sender, recipient, place, date_min, date_max,
                classification, level, controls, release, file_numbers, persons, telegram_number, json, sha256)
            VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
            """;

        private readonly SqliteConnection _c;
        private readonly SqliteTransaction _t;
        private readonly sqlite3_stmt _insert;
        private readonly SqliteCommand? _latestReview;
        private readonly SqliteSearchWriter? _search;
        private readonly Controls _controls;
        // the buffer outlives the volume: grown once past the large-object threshold, it is not allocated again
        [ThreadStatic]
        private static ArrayBufferWriter<byte>? t_json;

        private readonly ArrayBufferWriter<byte> _json;
        private readonly Utf8JsonWriter _jsonWriter;
        private readonly StringBuilder _list = new();

        public DocumentWriter(SqliteConnection c, SqliteTransaction t, bool searchIndex = true, IndexSession.Ticket? ticket = null)
        {
            _c = c;
            _t = t;
            _controls = new Controls(c, t);
            _json = t_json ?? new ArrayBufferWriter<byte>(256 * 1024);
            t_json = null;
            _jsonWriter = StoredDocumentWriter.CreateWriter(_json);
            _search = searchIndex ? new SqliteSearchWriter(c, t, ticket) : null;
            Search = _search;
            // nobody else can write while this transaction holds the write lock: with no review now, none comes
            if (Scalar(c, t, "SELECT EXISTS(SELECT 1 FROM reviews)") is 1L)
            {
                _latestReview = c.CreateCommand();
                _latestReview.Transaction = t;
                _latestReview.CommandText = ArchiveTables.LatestReviewSql;
                _latestReview.Parameters.Add(new SqliteParameter("@id", null));
            }
            Check(raw.sqlite3_prepare_v2(c.Handle, InsertSql, out _insert));
        }

        /// <summary>The search rows written and removed, for the full-text index after the commit; null when the
        /// benchmark measures ingest without the search index.</summary>
        public SqliteSearchWriter? Search { get; }

        public void RemoveVolume(string volumeId)
        {
            using var cmd = _c.CreateCommand();
            cmd.Transaction = _t;
            cmd.CommandText = "SELECT key FROM documents WHERE volume = $v";
            cmd.Parameters.AddWithValue("$v", volumeId);
            var keys = new List<long>();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    keys.Add(r.GetInt64(0));
                }
            }
            foreach (var k in keys)
            {
                _search?.Remove(k);
            }
            Exec(_c, _t, "DELETE FROM documents WHERE volume = $v", ("$v", volumeId));
            Exec(_c, _t, "DELETE FROM volumes WHERE id = $v", ("$v", volumeId));
        }

        public void Remove(string documentId)
        {
            if (Scalar(_c, _t, "SELECT key FROM documents WHERE id = $id", ("$id", documentId)) is long key)
            {
                _search?.Remove(key);
                Exec(_c, _t, "DELETE FROM documents WHERE id = $id", ("$id", documentId));
            }
        }

        /// <param name="d">The document.</param>
        /// <param name="seq">Its place in the volume.</param>
        /// <param name="storedJson">Its JSON as another archive stored it (a copy keeps it byte for byte); null to write it from <paramref name="d"/>.</param>
        public void Write(Document d, int seq, string? storedJson = null)
        {
            // a review outlives re-ingest: the latest decision on this id decides the release state
            (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)? review = null;
            if (_latestReview is not null)
            {
                _latestReview.Parameters["@id"].Value = d.Id;
                review = ArchiveTables.LatestReview(_latestReview);
            }
            var (release, excisions) = review ?? (d.Release, []);

            _json.ResetWrittenCount();
            if (storedJson is null)
            {
                _jsonWriter.Reset(_json);
                StoredDocumentWriter.Write(_jsonWriter, d);
            }
            else
            {
                var bytes = _json.GetSpan(Encoding.UTF8.GetMaxByteCount(storedJson.Length));
                _json.Advance(Encoding.UTF8.GetBytes(storedJson, bytes));
            }
            var json = _json.WrittenSpan;
            Span<byte> sha = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(json, sha);

            var s = _insert;
            Text(1, d.Id);
            Text(2, d.Volume);
            Check(raw.sqlite3_bind_int64(s, 3, seq));
            Text(4, d.Number);
            Text(5, d.Type);
            Text(6, d.Title);
            Text(7, d.From);
            Text(8, d.To);
            Text(9, d.Place);
            Text(10, d.Date?.MinKey);
            Text(11, d.Date?.MaxKey);
            Text(12, d.Classification);
            Check(raw.sqlite3_bind_int64(s, 13, (int)d.Marking.Level));
            Check(raw.sqlite3_bind_int64(s, 14, _controls.Mask(d.Marking.Controls)));
            Check(raw.sqlite3_bind_int64(s, 15, (int)release));
            Text(16, Joined(d.FileNumbers));
            Text(17, PersonsColumn(d.Persons));
            Text(18, d.TelegramNumber);
            Check(raw.sqlite3_bind_text(s, 19, json));
            Text(20, Convert.ToHexStringLower(sha));
            var rc = raw.sqlite3_step(s);
            raw.sqlite3_reset(s);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _c.Handle);
            }
            var key = raw.sqlite3_last_insert_rowid(_c.Handle);
            if (_search is not null)
            {
                IndexViews(_search, key, d, release, excisions);
            }
        }

        private void Text(int index, string? value) =>
            Check(value is null ? raw.sqlite3_bind_null(_insert, index) : raw.sqlite3_bind_text16(_insert, index, value.AsSpan()));

        // as string.Join('|', …) would write them
        private string Joined(IReadOnlyList<string> values)
        {
            _list.Clear();
            for (var i = 0; i < values.Count; i++)
            {
                (i > 0 ? _list.Append('|') : _list).Append(values[i]);
            }
            return _list.ToString();
        }

        // "id|name|name|id|name": a person's list id (when known) and name, for the persons column
        private string PersonsColumn(IReadOnlyList<PersonRef> persons)
        {
            _list.Clear();
            var first = true;
            foreach (var p in persons)
            {
                if (p.Id is not null)
                {
                    (first ? _list : _list.Append('|')).Append(p.Id);
                    first = false;
                }
                (first ? _list : _list.Append('|')).Append(p.Name);
                first = false;
            }
            return _list.ToString();
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, _c.Handle);
            }
        }

        public void Dispose()
        {
            _search?.Dispose();
            _latestReview?.Dispose();
            _insert.Dispose();
            _jsonWriter.Dispose();
            if (_json.Capacity <= 16 * 1024 * 1024)
            {
                _json.ResetWrittenCount();
                t_json = _json;
            }
        }
    }

    /// <summary>Writes a document's search rows (<see cref="ArchiveTables.SearchViews"/>).</summary>
    private static void IndexViews(SqliteSearchWriter search, long key, Document stored, ReleaseState release, IReadOnlyList<ExciseSpan> excisions)
    {
        foreach (var (view, doc) in ArchiveTables.SearchViews(stored, release, excisions))
        {
            search.Index(key, view, doc);
        }
    }

    private static (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)? LatestReview(SqliteConnection c, SqliteTransaction? t, string id) =>
        ArchiveTables.LatestReview(c, t, id);

    /// <summary>The archive's registry of dissemination-control names, each with a bit for the access mask.</summary>
    private sealed class Controls(SqliteConnection c, SqliteTransaction? t)
    {
        private Dictionary<string, int>? _bits;

        public long Mask(IEnumerable<string> names)
        {
            _bits ??= ArchiveTables.LoadControls(c, t);
            long mask = 0;
            foreach (var n in names)
            {
                if (!_bits.TryGetValue(n, out var bit))
                {
                    bit = ArchiveTables.RegisterControl(c, t, _bits, n);
                }
                mask |= 1L << bit;
            }
            return mask;
        }
    }

    /// <summary>The reader as SQL parameters: its controls become a mask over this archive's control bits.</summary>
    internal AccessFilter FilterFor(SqliteConnection c, ReaderIdentity reader) => ArchiveTables.FilterFor(c, null, reader);

    // ---- reading ----------------------------------------------------------------------------------------------

    public IReadOnlyList<VolumeSummary> ListVolumes(ReaderIdentity reader)
    {
        using var c = Connect();
        var access = FilterFor(c, reader);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT v.id, v.title, count(d.key), min(d.date_min), max(d.date_max)
            FROM volumes v LEFT JOIN documents d ON d.volume = v.id AND {AccessFilter.VisibleSql("d")}
            GROUP BY v.id, v.title ORDER BY v.id
            """;
        access.AddParameters(cmd);
        return ArchiveTables.ReadVolumeSummaries(cmd);
    }

    public Volume? GetVolume(string volumeId, ReaderIdentity reader)
    {
        using var c = Connect();
        var access = FilterFor(c, reader);
        using var cmd = c.CreateCommand();
        // the volume row and its visible documents in one statement, so one snapshot: a re-ingest committing
        // in between cannot pair one version's contents with another's documents
        cmd.CommandText = $"""
            SELECT v.meta, (SELECT json_group_array(d.id) FROM documents d WHERE d.volume = v.id AND {AccessFilter.VisibleSql("d")})
            FROM volumes v WHERE v.id = $v
            """;
        cmd.Parameters.AddWithValue("$v", volumeId);
        access.AddParameters(cmd);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }
        var volume = JsonSerializer.Deserialize<Volume>(r.GetString(0), DocumentJson.Compact)!;
        var visible = new HashSet<string>(JsonSerializer.Deserialize<List<string>>(r.GetString(1))!, StringComparer.Ordinal);
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
        var access = FilterFor(c, reader);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT d.json, d.release FROM documents d WHERE d.id = $id AND {AccessFilter.VisibleSql("d")}";
        cmd.Parameters.AddWithValue("$id", normal);
        access.AddParameters(cmd);
        string json;
        ReleaseState release;
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            json = r.GetString(0);
            release = (ReleaseState)r.GetInt32(1);
        }
        var stored = DocumentJson.Deserialize(json);
        var excisions = release == ReleaseState.ReleasedWithExcisions ? LatestReview(c, null, normal)?.Excisions ?? [] : [];
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
        var access = FilterFor(c, reader);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            WITH me AS (SELECT volume, seq FROM documents d WHERE d.id = $id AND {AccessFilter.VisibleSql("d")})
            SELECT (SELECT d.id FROM documents d, me WHERE d.volume = me.volume AND d.seq < me.seq AND {AccessFilter.VisibleSql("d")} ORDER BY d.seq DESC LIMIT 1),
                   (SELECT d.id FROM documents d, me WHERE d.volume = me.volume AND d.seq > me.seq AND {AccessFilter.VisibleSql("d")} ORDER BY d.seq LIMIT 1)
            """;
        cmd.Parameters.AddWithValue("$id", normal);
        access.AddParameters(cmd);
        return ArchiveTables.ReadNeighbours(cmd);
    }

    public SearchResults Search(SearchRequest request, ReaderIdentity reader, string surface)
    {
        using var c = Connect();
        var access = FilterFor(c, reader);
        var results = SqliteSearchIndex.Search(c, LuceneSearchIndex.For(Location), request, access, out var originals);
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
        using var t = BeginImmediate(c);
        if (Scalar(c, t, "SELECT 1 FROM users WHERE name = $n", ("$n", user.Name)) is not null)
        {
            throw new ArchiveException($"a user named {user.Name} exists already (remove it first, or pick another name)");
        }
        Exec(c, t, "INSERT INTO users(name, clearance, controls, created, password_hash) VALUES(@n, @c, @k, @t, @p)", ArchiveTables.UserParameters(user));
        AppendAudit(c, t, "system", "user added", null, "admin", ArchiveTables.UserAddedDetail(user));
        t.Commit();
    }

    public bool RemoveUser(string name)
    {
        using var c = Connect();
        using var t = BeginImmediate(c);
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "DELETE FROM users WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        var removed = cmd.ExecuteNonQuery() > 0;
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
        using var t = BeginImmediate(c);
        if (Scalar(c, t, "SELECT 1 FROM users WHERE name = $n", ("$n", name)) is null)
        {
            throw new ArchiveException($"no user {name} (add one with `chancery users add`)");
        }
        Exec(c, t, "UPDATE users SET password_hash = $p WHERE name = $n", ("$p", passwordHash), ("$n", name));
        AppendAudit(c, t, "system", "password set", null, "admin", name);
        t.Commit();
    }

    public string IssueToken(string name)
    {
        var token = ArchiveTables.NewToken();
        using var c = Connect();
        using var t = BeginImmediate(c);
        if (Scalar(c, t, "SELECT 1 FROM users WHERE name = $n", ("$n", name)) is null)
        {
            throw new ArchiveException($"no user {name} (add one with `chancery users add`)");
        }
        Exec(c, t, "INSERT INTO tokens(hash, user, created) VALUES($h, $u, $t)", ("$h", ArchiveTables.TokenHash(token)), ("$u", name),
            ("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
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
        if (id is null)
        {
            return null;
        }
        using var c = Connect();
        using var t = BeginImmediate(c);
        if (ArchiveTables.ApplyReview(c, t, id, decision, reviewer) is not { } applied)
        {
            return null;
        }
        // the reviewed document's rows are replaced by new ones: old text is never matched under a new decision
        using var search = new SqliteSearchWriter(c, t);
        search.Remove(applied.Key);
        IndexViews(search, applied.Key, applied.Stored, applied.Release, applied.Record.Excisions);
        AppendAudit(c, t, reviewer.Name, applied.AuditAction, id, "review", applied.AuditDetail);
        t.Commit();
        ApplySearch(search);
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
        return ArchiveTables.ListReviews(c, null, normal, reader);
    }

    // ---- audit ------------------------------------------------------------------------------------------------

    private void AppendAudit(SqliteConnection c, string user, string action, string? document, string surface, string detail)
    {
        using var t = BeginImmediate(c);
        AppendAudit(c, t, user, action, document, surface, detail);
        t.Commit();
    }

    /// <summary>
    /// Appends one hash-chained line; the caller's transaction makes it atomic with what it records (and, holding
    /// SQLite's write lock, keeps other writers of the audit out).
    /// </summary>
    internal static void AppendAudit(SqliteConnection c, SqliteTransaction t, string user, string action, string? document, string surface, string detail) =>
        ArchiveTables.AppendAudit(c, t, UserNameColumn, user, action, document, surface, detail);

    // the user column of audit and tokens: "user" here, "user_name" in PostgreSQL, where USER is a reserved word
    private const string UserNameColumn = "user";

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

    public CheckReport Check()
    {
        var problems = new List<string>();
        using var c = Connect();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA integrity_check";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var line = r.GetString(0);
                if (line != "ok")
                {
                    problems.Add("integrity: " + line);
                }
            }
        }
        var (volumes, documents) = ArchiveTables.CheckDocuments(c, null, problems);
        var audit = ArchiveTables.VerifyAudit(c, null, UserNameColumn);
        if (!audit.Ok)
        {
            problems.Add("audit: " + audit.Problem);
        }
        return new CheckReport(problems.Count == 0, volumes, documents, problems);
    }

    /// <summary>Writes a consistent copy of the archive to <paramref name="path"/> while others keep reading and writing.</summary>
    public void Backup(string path)
    {
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(target);
        var file = Path.Combine(target, FileName);
        if (File.Exists(file))
        {
            throw new ArchiveException($"{target} already holds an archive; choose an empty folder");
        }
        using var c = Connect();
        // VACUUM INTO reads one snapshot of the WAL database and writes a compact, self-contained copy
        Exec(c, null, "VACUUM INTO $f", ("$f", file));
    }

    public void Dispose()
    {
        // the ingest run's index commits before the archive is let go (a process that exits without it leaves the
        // rows to the next search's catch-up)
        LuceneSearchIndex.For(Location).FinishSession();
        lock (_markerLock)
        {
            _marker?.Connection?.Dispose();
            _marker?.Dispose();
            _marker = null;
        }
        CloseCableWriter();
        SqliteConnection.ClearAllPools();
    }

    // one connection kept only to ask PRAGMA data_version, which changes whenever any other connection commits
    private readonly Lock _markerLock = new();
    private SqliteCommand? _marker;

    /// <inheritdoc />
    public long? ChangeMarker()
    {
        lock (_markerLock)
        {
            try
            {
                if (_marker is null)
                {
                    var c = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                    c.Open();
                    _marker = c.CreateCommand();
                    _marker.CommandText = "PRAGMA data_version";
                }
                return Convert.ToInt64(_marker.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException)
            {
                // cannot tell: the caller keeps nothing
                _marker?.Connection?.Dispose();
                _marker?.Dispose();
                _marker = null;
                return null;
            }
        }
    }

    /// <summary>
    /// Copies the write-ahead log back into the database and truncates it. SQLite's automatic checkpoints never
    /// restart the log while readers overlap without pause, so under steady load it grew to hundreds of MB and
    /// every read walked it (soak, docs/reliability.md). TRUNCATE waits (bounded) for the readers of the moment to
    /// finish; new readers go on meanwhile, and a busy archive just tries again at the next call.
    /// </summary>
    public void Maintain()
    {
        // an empty log has nothing to copy; a checkpoint would still count as a change (PRAGMA data_version moves),
        // which would empty the web server's page cache every few seconds for nothing
        var log = new FileInfo(DatabasePath + "-wal");
        if (!log.Exists || log.Length == 0)
        {
            return;
        }
        try
        {
            using var c = Connect();
            Exec(c, null, "PRAGMA busy_timeout=2000");
            Exec(c, null, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // busy or locked by a long ingest: nothing lost, the next call tries again
        }
    }

    // ---- backup and restore -----------------------------------------------------------------------------------

    /// <summary>The content hash recorded for each volume at ingest, by volume id: equal hashes, equal volumes.</summary>
    public IReadOnlyDictionary<string, string> VolumeContentHashes()
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, content_hash FROM volumes ORDER BY id";
        using var r = cmd.ExecuteReader();
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            hashes[r.GetString(0)] = r.GetString(1);
        }
        return hashes;
    }

    /// <summary>
    /// Checks a backup written by <see cref="Backup"/> (<paramref name="path"/>: its folder or its database file)
    /// without changing it: <c>PRAGMA integrity_check</c>, then Chancery's check of counts, content hashes and the
    /// audit chain on a scratch copy. Returns the check's report and the volumes' content hashes.
    /// </summary>
    public static (CheckReport Report, IReadOnlyDictionary<string, string> ContentHashes) VerifyBackup(string path)
    {
        var source = BackupFile(path);
        var scratch = Path.Combine(Path.GetTempPath(), "chancery-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(scratch);
            File.Copy(source, Path.Combine(scratch, FileName));
            return Verify(scratch);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDeleteFolder(scratch);
        }
    }

    /// <summary>
    /// Brings the backup at <paramref name="backupPath"/> (a folder written by <see cref="Backup"/> or its database
    /// file) back as the archive in <paramref name="folder"/>, atomically: the backup is copied to a scratch folder
    /// inside <paramref name="folder"/>, checked (<c>PRAGMA integrity_check</c> and <see cref="Check"/>), and only
    /// then renamed over the archive's database. If anything fails, the archive there stays as it was. An archive
    /// that another process has open (a server, an ingest) is refused, since it would keep writing to the old one.
    /// </summary>
    public static (CheckReport Report, IReadOnlyDictionary<string, string> ContentHashes) Restore(string backupPath, string folder)
    {
        var source = BackupFile(backupPath);
        var target = Path.GetFullPath(folder);
        if (Path.GetFullPath(source) == Path.Combine(target, FileName))
        {
            throw new ArchiveException($"{backupPath} is the archive itself; restore from a backup folder");
        }
        try
        {
            Directory.CreateDirectory(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"cannot create the archive folder {target}: {e.Message}", e);
        }
        // the scratch copy lives in the target folder so that the final rename is within one file system
        var scratch = Path.Combine(target, ".restore-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(scratch);
            var copy = Path.Combine(scratch, FileName);
            File.Copy(source, copy);
            var verified = Verify(scratch);
            if (!verified.Report.Ok)
            {
                throw new ArchiveException($"the backup {backupPath} fails its check ({verified.Report.Problems.Count} problems, first: {verified.Report.Problems[0]}); the archive was not changed");
            }
            // one self-contained file: no WAL beside the copy may carry part of it
            if (!Checkpoint(copy, out _))
            {
                throw new ArchiveException($"cannot fold the restored copy of {backupPath} into one file; the archive was not changed");
            }
            Replace(copy, Path.Combine(target, FileName));
            // the full-text index described the replaced database: the first search builds one for the restored one
            LuceneSearchIndex.Forget(target);
            TryDeleteFolder(LuceneSearchIndex.FolderOf(target));
            return verified;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDeleteFolder(scratch);
        }
    }

    private static string BackupFile(string path)
    {
        var full = Path.GetFullPath(path);
        var file = Directory.Exists(full) ? Path.Combine(full, FileName) : full;
        if (!File.Exists(file))
        {
            throw new ArchiveException($"no backup at {path} (expected a folder written by `chancery backup` or its {FileName})");
        }
        return file;
    }

    // integrity_check first (a damaged file must not reach the migrations), then open, migrate and check
    private static (CheckReport Report, IReadOnlyDictionary<string, string> ContentHashes) Verify(string folder)
    {
        var file = Path.Combine(folder, FileName);
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
        {
            try
            {
                c.Open();
                var result = Convert.ToString(Scalar(c, null, "PRAGMA integrity_check"), CultureInfo.InvariantCulture);
                if (result != "ok")
                {
                    // one line for the user: the first damage SQLite names ("*** in database main ***" is a heading)
                    var first = (result ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .FirstOrDefault(l => !l.StartsWith("***", StringComparison.Ordinal)) ?? "no reason given";
                    throw new ArchiveException($"{file} fails SQLite's integrity check: {first}");
                }
            }
            catch (SqliteException e)
            {
                throw new ArchiveException($"{file} is not a readable archive: {e.Message}", e);
            }
        }
        using var archive = Open(folder);
        return (archive.Check(), archive.VolumeContentHashes());
    }

    // Folds the WAL into the database file and leaves it in rollback-journal mode (no -wal, no -shm beside it).
    // False when another connection has the database open: only the last one may leave WAL mode.
    private static bool Checkpoint(string file, out SqliteConnection? held, bool hold = false)
    {
        held = null;
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ToString());
        try
        {
            c.Open();
            Exec(c, null, "PRAGMA busy_timeout=5000");
            if (hold)
            {
                // keeps every other process out from here until the rename is done
                Exec(c, null, "PRAGMA locking_mode=EXCLUSIVE");
            }
            var mode = Convert.ToString(Scalar(c, null, "PRAGMA journal_mode=DELETE"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
            {
                c.Dispose();
                return false;
            }
            if (hold)
            {
                Exec(c, null, "BEGIN EXCLUSIVE");
                held = c;
                return true;
            }
            c.Dispose();
            return true;
        }
        catch (SqliteException)
        {
            c.Dispose();
            return false;
        }
    }

    private static void Replace(string copy, string database)
    {
        SqliteConnection? held = null;
        try
        {
            if (File.Exists(database) && !Checkpoint(database, out held, hold: true))
            {
                throw new ArchiveException($"the archive at {Path.GetDirectoryName(database)} is in use by another process (a server or a command); stop it and restore again. The archive was not changed");
            }
            // rename is atomic: a reader opening the archive now sees the old database or the restored one, whole
            File.Move(copy, database, overwrite: true);
            // a WAL or shared-memory file of the old database must never be applied to the restored one
            File.Delete(database + "-wal");
            File.Delete(database + "-shm");
        }
        finally
        {
            held?.Dispose();
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a scratch folder left behind is harmless; the archive itself was replaced or left alone
        }
    }
}
