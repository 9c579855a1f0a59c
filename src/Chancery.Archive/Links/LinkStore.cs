using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Core.People;
using static Chancery.Archive.ArchiveTables;

namespace Chancery.Archive.Links;

/// <summary>
/// Links, threads, the decimal file and people over either archive's ADO.NET provider: the logic both backends
/// share, from the fingerprint that says when the derived tables are stale to every read and the editors'
/// decisions. Each archive subclasses it with only what truly differs: its connections and transactions, where the
/// links state is kept, the rebuild lock, the bulk writes of the derived tables, its access predicate and a few
/// words of SQL dialect. Commands name their parameters <c>@name</c>, which both providers read. A connection runs
/// one command at a time (PostgreSQL has no multiple active result sets), so rows are read to the end before
/// anything else is asked.
/// </summary>
/// <typeparam name="TConnection">The provider's connection.</typeparam>
/// <typeparam name="TTransaction">The provider's transaction.</typeparam>
internal abstract class LinkStore<TConnection, TTransaction> : ILinkArchive, ILinkTransfer
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    // the change marker under which the links were last found current (long.MinValue: not yet)
    private long _currentAt = long.MinValue;

    // ---- what a backend provides ---------------------------------------------------------------------------------

    /// <summary>An open connection to the archive.</summary>
    protected abstract TConnection Connect();

    /// <summary>A transaction that writes (SQLite takes its write lock at once, so that it does not fail half-way).</summary>
    protected abstract TTransaction BeginWrite(TConnection c);

    /// <summary>A transaction whose statements all read one snapshot.</summary>
    protected abstract TTransaction BeginSnapshot(TConnection c);

    /// <summary>Creates the links tables where the schema is not migrated at open; nothing by default.</summary>
    protected virtual void EnsureSchema(TConnection c)
    {
    }

    /// <summary>
    /// A counter every committed change moves, where the backend has a cheap one (null: none): while it stays where
    /// the links were last found current, the fingerprint is not read again.
    /// </summary>
    protected virtual long? ChangeMarker() => null;

    /// <summary>The fingerprint the derived tables were built from; null when never built or made stale.</summary>
    protected abstract string? StoredFingerprint(TConnection c);

    /// <summary>Records the fingerprint of what a rebuild read, in the rebuild's write transaction.</summary>
    protected abstract void StampFingerprint(TConnection c, TTransaction t, string fingerprint);

    /// <summary>Makes the next read rebuild the derived tables.</summary>
    protected abstract void MarkStale(TConnection c, TTransaction t);

    /// <summary>What the fingerprint covers besides the volumes, as the backend has always written it (the officials' version...).</summary>
    protected abstract string FingerprintTail(TConnection c, TTransaction? t);

    /// <summary>Records the officials' version (their import time and count), which the fingerprint covers.</summary>
    protected abstract void SetOfficialsVersion(TConnection c, TTransaction t, string version);

    /// <summary>Takes the lock one rebuild holds at a time; without <paramref name="wait"/>, false when another holds it.</summary>
    protected abstract bool TakeRebuildLock(TConnection c, bool wait);

    /// <summary>Gives back the lock <see cref="TakeRebuildLock"/> took.</summary>
    protected abstract void ReleaseRebuildLock(TConnection c);

    /// <summary>Replaces the links table's rows (the backend's fastest bulk write).</summary>
    protected abstract void WriteLinks(TConnection c, TTransaction t, List<ResolvedLink> links);

    /// <summary>Replaces the person index's rows (people, their forms, their documents).</summary>
    protected abstract void WritePeople(TConnection c, TTransaction t, PeopleIndex index);

    /// <summary>The UTF-8 bytes of a stored document's JSON column.</summary>
    protected virtual byte[] JsonBytes(DbDataReader r, int i) => JsonBlob(r, i);

    /// <summary>A JSON column stored as UTF-8 bytes (SQLite's).</summary>
    protected static byte[] JsonBlob(DbDataReader r, int i) => r.GetFieldValue<byte[]>(i);

    /// <summary>The reader turned into the archive's access filter.</summary>
    protected abstract AccessFilter FilterFor(TConnection c, ReaderIdentity reader);

    /// <summary>SQL true when the reader may see document row <paramref name="alias"/> (see <see cref="AccessFilter.VisibleSql"/>).</summary>
    protected abstract string VisibleSql(string alias);

    /// <summary>Adds the parameters <see cref="VisibleSql"/> names.</summary>
    protected abstract void AddAccess(DbCommand cmd, AccessFilter access);

    /// <summary>A document id in its stored form, or null when it is not one.</summary>
    protected abstract string? NormaliseId(string id);

    /// <summary>The excisions of a document's latest review (none when it has none).</summary>
    protected abstract IReadOnlyList<ExciseSpan> LatestExcisions(TConnection c, string id);

    /// <summary>Appends a line to the audit trail in <paramref name="t"/>, atomic with what it records.</summary>
    protected abstract void AppendAudit(TConnection c, TTransaction t, string user, string action, string? document, string surface, string detail);

    /// <summary><c>LIKE</c> that ignores ASCII case (SQLite's own <c>LIKE</c> does).</summary>
    protected abstract string CaseInsensitiveLike { get; }

    /// <summary>SQL true when <paramref name="column"/> is one of the ids <see cref="AddIdList"/> binds to <paramref name="parameter"/>.</summary>
    protected abstract string InIdList(string column, string parameter);

    /// <summary>Binds a list of ids for <see cref="InIdList"/>.</summary>
    protected abstract void AddIdList(DbCommand cmd, string parameter, IReadOnlyList<string> ids);

    // ---- the state of the derived tables -------------------------------------------------------------------------

    /// <summary>Rebuilds links and people when what they were built from changed since.</summary>
    protected void EnsureLinks()
    {
        // the fingerprint reads every volume row and hashes it: skipped while nothing was committed since the last
        // time the links were found current (a document page asks on every request)
        var marker = ChangeMarker();
        if (marker is not null && marker == Interlocked.Read(ref _currentAt))
        {
            return;
        }
        using var c = Connect();
        EnsureSchema(c);
        var stored = StoredFingerprint(c);
        if (stored is not null && stored == Fingerprint(c, null))
        {
            if (marker is not null)
            {
                Interlocked.Exchange(ref _currentAt, marker.Value);
            }
            return;
        }
        // with links already there, a reader does not queue behind a rebuild another request (or process) runs: it is
        // answered from the previous links (a rebuild commits in one transaction); a first build, or one an
        // editor's decision made stale, is waited for
        if (!TakeRebuildLock(c, wait: stored is null))
        {
            return;
        }
        try
        {
            if (StoredFingerprint(c) is not { } now || now != Fingerprint(c, null))
            {
                Rebuild(c);
            }
        }
        finally
        {
            ReleaseRebuildLock(c);
        }
    }

    // What the derived tables were built from: every volume's content hash and ingest time, then the backend's tail.
    private string Fingerprint(TConnection c, TTransaction? t)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var cmd = Command(c, t, "SELECT id, content_hash, ingested FROM volumes ORDER BY id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                h.AppendData(Encoding.UTF8.GetBytes($"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)}\n"));
            }
        }
        h.AppendData(Encoding.UTF8.GetBytes(FingerprintTail(c, t)));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    // ---- building -----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public LinkReport RebuildLinks()
    {
        using var c = Connect();
        EnsureSchema(c);
        TakeRebuildLock(c, wait: true);
        try
        {
            return Rebuild(c);
        }
        finally
        {
            ReleaseRebuildLock(c);
        }
    }

    private LinkReport Rebuild(TConnection c)
    {
        var clock = Stopwatch.StartNew();
        // one snapshot: documents, volumes, officials and decisions as of one moment
        string fingerprint;
        BuildInputs inputs;
        using (var read = BeginSnapshot(c))
        {
            fingerprint = Fingerprint(c, read);
            inputs = ReadInputs(c, read, JsonBytes);
            read.Commit();
        }

        var build = inputs.Run();

        // one transaction: readers keep the previous rows until it commits
        using (var t = BeginWrite(c))
        {
            WriteLinks(c, t, build.Links);
            WritePeople(c, t, build.People);
            StampFingerprint(c, t, fingerprint);
            t.Commit();
        }
        return build.Report(clock);
    }

    /// <summary>
    /// What a rebuild would write, computed in memory from the caller's transaction and written nowhere: a copy checks
    /// its source's links this way without writing into the source. <paramref name="json"/> reads a document's JSON
    /// column as the backend stores it (<see cref="JsonBytes"/>).
    /// </summary>
    internal static LinkReport Build(TConnection c, TTransaction t, Func<DbDataReader, int, byte[]> json)
    {
        var clock = Stopwatch.StartNew();
        return ReadInputs(c, t, json).Run().Report(clock);
    }

    // what a build reads, all in the caller's one snapshot
    private sealed record BuildInputs(
        List<(string Id, Volume Meta)> Volumes, List<LinkDocument> Documents, List<Official> Officials, List<PersonDecision> Decisions)
    {
        public LinkBuild Run() => LinkBuild.Run(Volumes, Documents, Officials, Decisions);
    }

    private static BuildInputs ReadInputs(TConnection c, TTransaction t, Func<DbDataReader, int, byte[]> json) =>
        new(LoadVolumes(c, t), LoadLinkDocuments(c, t, json), LoadOfficials(c, t), LoadDecisions(c, t));

    private static List<PersonDecision> LoadDecisions(TConnection c, TTransaction t) =>
        ReadAll(c, t, "SELECT action, a, b, editor, reason FROM person_decisions ORDER BY seq",
            r => new PersonDecision(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));

    private static List<(string Id, Volume Meta)> LoadVolumes(TConnection c, TTransaction? t) =>
        ReadAll(c, t, "SELECT id, meta FROM volumes ORDER BY id",
            r => (r.GetString(0), JsonSerializer.Deserialize<Volume>(r.GetString(1), DocumentJson.Compact)!));

    private static List<Official> LoadOfficials(TConnection c, TTransaction? t) =>
        ReadAll(c, t, "SELECT json FROM officials ORDER BY id", r => JsonSerializer.Deserialize<Official>(r.GetString(0), DocumentJson.Compact)!);

    /// <summary>
    /// Reads every document's columns and the parts of its JSON links need. Rows are read in batches and their JSON
    /// parsed in parallel; the text of a document is kept only when it cites telegrams.
    /// </summary>
    private static List<LinkDocument> LoadLinkDocuments(TConnection c, TTransaction t, Func<DbDataReader, int, byte[]> json)
    {
        using var cmd = Command(c, t, "SELECT id, volume, seq, sender, recipient, date_min, telegram_number, json FROM documents ORDER BY volume, seq");
        using var r = cmd.ExecuteReader();
        var batch = new LinkDocumentBatch();
        while (r.Read())
        {
            var doc = new LinkDocument
            {
                Id = r.GetString(0),
                Volume = r.GetString(1),
                Seq = r.GetInt32(2),
                From = TextOrNull(r, 3),
                To = TextOrNull(r, 4),
                DateMin = TextOrNull(r, 5),
                TelegramNumber = TextOrNull(r, 6),
            };
            batch.Add(doc, json(r, 7));
        }
        batch.Flush();
        return batch.All;
    }

    /// <inheritdoc />
    public void ImportOfficials(IReadOnlyList<Official> officials) => ReplaceTable("officials", (c, t) =>
    {
        using (var insert = Command(c, t, "INSERT INTO officials(id, json) VALUES(@id, @j) ON CONFLICT (id) DO UPDATE SET json = excluded.json"))
        {
            var id = Add(insert, "@id", "");
            var json = Add(insert, "@j", "");
            foreach (var o in officials)
            {
                id.Value = o.Id;
                json.Value = JsonSerializer.Serialize(o, DocumentJson.Compact);
                insert.ExecuteNonQuery();
            }
        }
        SetOfficialsVersion(c, t, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + officials.Count.ToString(CultureInfo.InvariantCulture));
    });

    // Replaces every row of a kept table in one transaction: `write` inserts the new rows and records that they changed.
    private void ReplaceTable(string table, Action<TConnection, TTransaction> write)
    {
        using var c = Connect();
        EnsureSchema(c);
        using var t = BeginWrite(c);
        Exec(c, t, "DELETE FROM " + table);
        write(c, t);
        t.Commit();
    }

    // ---- reading: links ---------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<VolumeLinkReport> ReportLinks(ReaderIdentity reader)
    {
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, reader);
        var ingested = LoadVolumes(c, null).Where(v => v.Meta.SourceKind == "tei").Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var byVolume = new Dictionary<string, List<LinkCount>>(StringComparer.Ordinal);
        // only links of documents the reader may see count: a withheld document's references are not told
        using var cmd = Command(c, null, $"""
            SELECT d.volume, l.kind, l.target, l.status, l.explicit, l.reason FROM links l JOIN documents d ON d.id = l.source
            WHERE {VisibleSql("d")}
            """);
        AddAccess(cmd, access);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var volume = r.GetString(0);
            if (!byVolume.TryGetValue(volume, out var list))
            {
                byVolume[volume] = list = [];
            }
            var status = LinkStatuses.Parse(r.GetString(3));
            list.Add(new LinkCount(LinkCounting.ParseKindName(r.GetString(1)), r.GetString(2), status, r.GetBoolean(4),
                LinkCounting.MissingInSource(status, TextOrNull(r, 5))));
        }
        return byVolume.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => LinkCounting.VolumeReport(v.Key, v.Value, ingested)).ToList();
    }

    /// <summary>A link's columns as read, before the reader's view of its text is checked.</summary>
    private sealed record LinkRow(string Kind, string Target, string? TargetId, string Status, string Candidates, string Reason, string Evidence,
        string Where, string? CitedDate, string Source, LinkedDocument? Document);

    /// <inheritdoc />
    public DocumentLinks? LinksOf(string id, ReaderIdentity reader)
    {
        var normal = NormaliseId(id);
        if (normal is null)
        {
            return null;
        }
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, reader);
        if (!IsVisibleTo(c, access, normal))
        {
            return null;
        }
        var texts = Texts(c, reader);

        var outgoing = new List<LinkRow>();
        using (var cmd = Command(c, null, $"""
            SELECT l.kind, l.target, l.target_id, l.status, l.candidates, l.reason, l.evidence, l.location, l.cited_date,
                   t.id, t.title, t.date_min, t.sender, t.recipient, t.telegram_number,
                   CASE WHEN t.key IS NULL THEN NULL WHEN {VisibleSql("t")} THEN 1 ELSE 0 END
            FROM links l LEFT JOIN documents t ON t.id = l.target_id
            WHERE l.source = @id ORDER BY l.seq
            """, ("@id", normal)))
        {
            AddAccess(cmd, access);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var (document, targetId) = DescribeTarget(r, 9, TextOrNull(r, 2));
                outgoing.Add(new LinkRow(r.GetString(0), r.GetString(1), targetId, r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                    r.GetString(7), TextOrNull(r, 8), normal, document));
            }
        }
        var cites = new List<LinkView>();
        var pendingCandidates = new List<(int Index, List<string> Ids)>();
        foreach (var row in outgoing)
        {
            if (!texts.Shows(normal, row.Where, row.Evidence))
            {
                continue;
            }
            var candidates = JsonSerializer.Deserialize<List<string>>(row.Candidates, DocumentJson.Compact) ?? [];
            if (candidates.Count > 0)
            {
                pendingCandidates.Add((cites.Count, candidates));
            }
            cites.Add(new LinkView(normal, LinkCounting.ParseKindName(row.Kind), row.Target, LinkStatuses.Parse(row.Status), row.TargetId, row.Document, [],
                row.Reason, row.Evidence, row.Where, row.CitedDate));
        }
        if (pendingCandidates.Count > 0)
        {
            var described = DescribeLinked(c, access, pendingCandidates.SelectMany(p => p.Ids).Distinct().ToList());
            foreach (var (index, ids) in pendingCandidates)
            {
                cites[index] = cites[index] with { Candidates = ids.Select(i => described.GetValueOrDefault(i, LinkedDocument.WithheldDocument)).ToList() };
            }
        }

        var incoming = new List<LinkRow>();
        using (var cmd = Command(c, null, $"""
            SELECT l.source, l.kind, l.target, l.status, l.reason, l.evidence, l.location, l.cited_date,
                   s.id, s.title, s.date_min, s.sender, s.recipient, s.telegram_number, 1
            FROM links l JOIN documents s ON s.id = l.source
            WHERE l.target_id = @id AND {VisibleSql("s")}
            ORDER BY s.date_min NULLS FIRST, s.volume, s.seq, l.seq
            """, ("@id", normal)))
        {
            AddAccess(cmd, access);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var source = r.GetString(0);
                var (document, _) = DescribeTarget(r, 8, source);
                incoming.Add(new LinkRow(r.GetString(1), r.GetString(2), normal, r.GetString(3), "[]", r.GetString(4), r.GetString(5),
                    r.GetString(6), TextOrNull(r, 7), source, document));
            }
        }
        var citedBy = incoming.Where(row => texts.Shows(row.Source, row.Where, row.Evidence))
            .Select(row => new LinkView(row.Source, LinkCounting.ParseKindName(row.Kind), row.Target, LinkStatuses.Parse(row.Status), normal, row.Document, [],
                row.Reason, row.Evidence, row.Where, row.CitedDate))
            .ToList();
        return new DocumentLinks(normal, cites, citedBy);
    }

    // Columns from `at`: id, title, date_min, sender, recipient, telegram_number, visible (NULL when no such document).
    private static (LinkedDocument? Document, string? TargetId) DescribeTarget(DbDataReader r, int at, string? targetId)
    {
        if (r.IsDBNull(at + 6))
        {
            // a section or volume, or nothing
            return (null, targetId);
        }
        if (r.GetInt32(at + 6) == 0)
        {
            return (LinkedDocument.WithheldDocument, null);
        }
        return (Described(r, at), targetId);
    }

    // Columns from `at`: id, title, date_min, sender, recipient, telegram_number of a document the reader may see.
    private static LinkedDocument Described(DbDataReader r, int at) =>
        new(r.GetString(at), false, r.GetString(at + 1), DayOrNull(r, at + 2), TextOrNull(r, at + 3), TextOrNull(r, at + 4), TextOrNull(r, at + 5));

    private static string? TextOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string? DayOrNull(DbDataReader r, int i) => TextOrNull(r, i) is { } s ? s[..Math.Min(10, s.Length)] : null;

    /// <summary>Documents by id as this reader may see them; ids the reader may not see come back withheld.</summary>
    private Dictionary<string, LinkedDocument> DescribeLinked(TConnection c, AccessFilter access, IReadOnlyList<string> ids)
    {
        var map = new Dictionary<string, LinkedDocument>(StringComparer.Ordinal);
        using var cmd = Command(c, null, $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.telegram_number, CASE WHEN {VisibleSql("d")} THEN 1 ELSE 0 END
            FROM documents d WHERE {InIdList("d.id", "@ids")}
            """);
        AddIdList(cmd, "@ids", ids);
        AddAccess(cmd, access);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetInt32(6) == 1 ? Described(r, 0) : LinkedDocument.WithheldDocument;
        }
        return map;
    }

    private bool IsVisibleTo(TConnection c, AccessFilter access, string id)
    {
        using var cmd = Command(c, null, $"SELECT 1 FROM documents d WHERE d.id = @id AND {VisibleSql("d")}", ("@id", id));
        AddAccess(cmd, access);
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>The body text each document released with excisions shows this reader (see <see cref="ReleasedTexts"/>).</summary>
    private ReleasedTexts Texts(TConnection c, ReaderIdentity reader) => new(reader,
        () => ReadAll(c, null, "SELECT id FROM documents WHERE release = @r", r => r.GetString(0), ("@r", (int)ReleaseState.ReleasedWithExcisions))
            .ToHashSet(StringComparer.Ordinal),
        id => Scalar(c, null, "SELECT json FROM documents WHERE id = @id", ("@id", id)) is string json ? DocumentJson.Deserialize(json) : null,
        id => LatestExcisions(c, id));

    // ---- reading: threads -------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<ThreadEntry> GetThread(string id, ReaderIdentity reader)
    {
        var normal = NormaliseId(id);
        if (normal is null)
        {
            return [];
        }
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, reader);
        if (!IsVisibleTo(c, access, normal))
        {
            return [];
        }
        var texts = Texts(c, reader);
        var found = new HashSet<string>(StringComparer.Ordinal) { normal };
        var queue = new Queue<string>([normal]);
        // telegram citations, and explicit document links between two telegrams; both ends visible to the reader
        using var next = Command(c, null, $"""
            SELECT l.target_id, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.target_id
            WHERE l.source = @id AND l.status = 'resolved' AND {VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.source AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            UNION ALL
            SELECT l.source, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.source
            WHERE l.target_id = @id AND l.status = 'resolved' AND {VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.target_id AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            """);
        var idParameter = Add(next, "@id", "");
        AddAccess(next, access);
        var rows = new List<(string Other, string Source, string Where, string Evidence)>();
        while (queue.Count > 0 && found.Count < LinkCounting.MaxThread)
        {
            idParameter.Value = queue.Dequeue();
            rows.Clear();
            using (var r = next.ExecuteReader())
            {
                while (r.Read())
                {
                    rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
                }
            }
            foreach (var (other, source, where, evidence) in rows)
            {
                if (texts.Shows(source, where, evidence) && found.Add(other))
                {
                    queue.Enqueue(other);
                }
            }
        }
        var entries = new List<(string? Sort, ThreadEntry Entry)>();
        foreach (var member in found)
        {
            if (ThreadEntryOf(c, member, reader) is { } entry)
            {
                entries.Add(entry);
            }
        }
        return entries.OrderBy(e => e.Sort ?? "9999", StringComparer.Ordinal).ThenBy(e => e.Entry.Id, StringComparer.Ordinal).Select(e => e.Entry).ToList();
    }

    private (string? Sort, ThreadEntry Entry)? ThreadEntryOf(TConnection c, string id, ReaderIdentity reader)
    {
        Document stored;
        ReleaseState release;
        string? sort;
        using (var cmd = Command(c, null, "SELECT json, release, date_min FROM documents WHERE id = @id", ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            stored = DocumentJson.Deserialize(r.GetString(0));
            release = (ReleaseState)r.GetInt32(1);
            sort = TextOrNull(r, 2);
        }
        var excisions = release == ReleaseState.ReleasedWithExcisions ? LatestExcisions(c, id) : [];
        if (AccessView.For(stored, release, excisions, reader) is not { } view)
        {
            return null;
        }
        if (view.IsOriginal && release != ReleaseState.Released)
        {
            using var t = BeginWrite(c);
            AppendAudit(c, t, reader.Name, "read", id, "thread", "first line in a telegram thread");
            t.Commit();
        }
        var d = view.Document;
        return (sort, new ThreadEntry(d.Id, d.Date?.From, d.From, d.To, d.TelegramNumber, d.Title, LinkCounting.FirstLine(d)));
    }

    // ---- reading: the decimal file ----------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<FiledDocument> DocumentsInFile(string filePrefix, ReaderIdentity reader)
    {
        var prefix = LinkCounting.NormaliseFileText(filePrefix.Trim());
        if (prefix.Length == 0)
        {
            return [];
        }
        using var c = Connect();
        var access = FilterFor(c, reader);
        // "740.0011 ew" finds 740.0011 EW
        using var cmd = Command(c, null, $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.file_numbers FROM documents d
            WHERE ('|' || replace(d.file_numbers, '–', '-')) {CaseInsensitiveLike} @pattern ESCAPE '\' AND {VisibleSql("d")}
            ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
            """, ("@pattern", LinkCounting.FilePattern(prefix)));
        AddAccess(cmd, access);
        using var r = cmd.ExecuteReader();
        var list = new List<FiledDocument>();
        while (r.Read())
        {
            var date = DayOrNull(r, 2);
            var numbers = LinkCounting.FiledNumbers(r.GetString(5), prefix, date);
            if (numbers.Count > 0)
            {
                list.Add(new FiledDocument(r.GetString(0), r.GetString(1), date, TextOrNull(r, 3), TextOrNull(r, 4), numbers));
            }
        }
        return list;
    }

    // ---- reading: people --------------------------------------------------------------------------------------

    /// <inheritdoc />
    public PersonProfile? GetPerson(string nameOrId, ReaderIdentity reader)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            return null;
        }
        EnsureLinks();
        using var c = Connect();
        var personId = FindPersonId(c, nameOrId.Trim());
        var person = personId is null ? null : LoadPerson(c, personId);
        var official = person?.OfficialId is { } oid ? LoadOfficial(c, oid) : null;
        if (person is null)
        {
            // someone POCOM knows who appears in no volume
            official = FindOfficial(c, nameOrId.Trim());
            if (official is null)
            {
                return null;
            }
            return new PersonProfile(official.Id, official.Name, [official.Name, .. official.AltNames], [], official.Id, official.Posts, [], [], [],
                [$"known from POCOM only: {official.Name}"]);
        }
        var access = FilterFor(c, reader);
        var texts = Texts(c, reader);
        var surnames = person.Names.Select(PersonName.Parse).OfType<PersonName>().Select(n => n.Surname).Distinct().ToList();
        List<(string Role, string Evidence, string Id, string Title, string? Date)> rows;
        using (var cmd = Command(c, null, $"""
            SELECT pd.role, pd.evidence, d.id, d.title, d.date_min FROM person_documents pd JOIN documents d ON d.id = pd.document
            WHERE pd.person = @p AND {VisibleSql("d")}
            ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
            """, ("@p", person.Id)))
        {
            AddAccess(cmd, access);
            rows = ReadAll(cmd, r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DayOrNull(r, 4)));
        }
        var roles = new Dictionary<string, List<PersonDocument>>(StringComparer.Ordinal) { ["sent"] = [], ["received"] = [], ["mentioned"] = [] };
        foreach (var row in rows)
        {
            // a mention only in a cut paragraph must not show
            if (row.Role == "mentioned" && !texts.ShowsName(row.Id, surnames))
            {
                continue;
            }
            if (roles.TryGetValue(row.Role, out var list))
            {
                list.Add(new PersonDocument(row.Id, row.Title, row.Date, row.Evidence));
            }
        }
        return new PersonProfile(person.Id, person.Name, person.Names, person.Listings, person.OfficialId, official?.Posts ?? [],
            roles["sent"], roles["received"], roles["mentioned"], person.Evidence);
    }

    private static IndexedPerson? LoadPerson(TConnection c, string id) =>
        Scalar(c, null, "SELECT json FROM people WHERE id = @id", ("@id", id)) is string json
            ? JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact)
            : null;

    private static string? FindPersonId(TConnection c, string query)
    {
        if (Scalar(c, null, "SELECT id FROM people WHERE id = @q", ("@q", query)) is string direct)
        {
            return direct;
        }
        if (PersonOfForm(c, query) is { } byForm)
        {
            return byForm;
        }
        if (PersonName.Parse(query) is not { } name)
        {
            return null;
        }
        var candidates = PeopleWithForm(c, name.Key);
        if (candidates.Count == 0)
        {
            // "Harriman" or "Averell Harriman": every person of that surname whose names agree
            candidates = PeopleWithForm(c, name.Surname).Where(id =>
                LoadPerson(c, id) is { } person && person.Names.Select(PersonName.Parse).OfType<PersonName>().Any(n => n.CompatibleWith(name))).ToList();
        }
        // several namesakes: the one with most documents
        return candidates
            .OrderByDescending(id => Convert.ToInt64(Scalar(c, null, "SELECT count(*) FROM person_documents WHERE person = @p", ("@p", id)), CultureInfo.InvariantCulture))
            .ThenBy(id => id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    // the first person (by id) a form names
    private static string? PersonOfForm(TConnection c, string form) =>
        Scalar(c, null, "SELECT person FROM person_forms WHERE form = @f ORDER BY person LIMIT 1", ("@f", form)) as string;

    private static List<string> PeopleWithForm(TConnection c, string form) =>
        ReadAll(c, null, "SELECT person FROM person_forms WHERE form = @f ORDER BY person", r => r.GetString(0), ("@f", form));

    private static Official? LoadOfficial(TConnection c, string id) =>
        Scalar(c, null, "SELECT json FROM officials WHERE id = @id", ("@id", id)) is string json
            ? JsonSerializer.Deserialize<Official>(json, DocumentJson.Compact)
            : null;

    private static Official? FindOfficial(TConnection c, string query)
    {
        if (LoadOfficial(c, query) is { } direct)
        {
            return direct;
        }
        if (PersonName.Parse(query) is not { Given.Count: > 0 } name)
        {
            return null;
        }
        // officials' ids begin with the surname: harriman-william-averell (a slug holds no LIKE wildcard)
        var matches = ReadAll(c, null, "SELECT json FROM officials WHERE id LIKE @p",
                r => JsonSerializer.Deserialize<Official>(r.GetString(0), DocumentJson.Compact)!, ("@p", PeopleIndexBuilder.Slug(name.Surname) + "%"))
            .Where(o => new[] { o.Surname + ", " + o.Forenames }.Concat(o.AltNames).Select(PersonName.Parse).OfType<PersonName>().Any(n => n.CompatibleWith(name)))
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    // ---- editing: people ---------------------------------------------------------------------------------------

    /// <inheritdoc />
    public string MergePersons(string a, string b, string editor, string reason)
    {
        (editor, reason) = LinkCounting.Editing(editor, reason);
        EnsureLinks();
        using var c = Connect();
        var (personA, listingA) = ListingOf(c, a.Trim());
        var (personB, listingB) = ListingOf(c, b.Trim());
        if (personA == personB)
        {
            throw new ArchiveException($"{a.Trim()} and {b.Trim()} are already one person ({personA})");
        }
        Decide(c, PersonDecision.Merge, listingA, listingB, editor, reason, $"{personA} and {personB}: {reason}");
        return listingA;
    }

    /// <inheritdoc />
    public void SplitPerson(string person, string listing, string editor, string reason)
    {
        (editor, reason) = LinkCounting.Editing(editor, reason);
        EnsureLinks();
        using var c = Connect();
        var (personId, _) = ListingOf(c, person.Trim());
        var key = listing.Trim();
        var indexed = LoadPerson(c, personId) ?? throw new ArchiveException($"no person {person.Trim()}");
        if (!indexed.Listings.Any(l => l.Volume + "#" + l.PersonId == key))
        {
            throw new ArchiveException($"{key} is not a persons-list entry of {personId} (see `chancery person {personId}`)");
        }
        if (indexed.Listings.Count == 1)
        {
            throw new ArchiveException($"{key} is the only persons-list entry of {personId}: nothing to split it from");
        }
        Decide(c, PersonDecision.Split, key, personId, editor, reason, $"{key} from {personId}: {reason}");
    }

    // The decision, its audit line and a stale links state in one transaction: the next read rebuilds the index with it.
    private void Decide(TConnection c, string action, string a, string b, string editor, string reason, string detail)
    {
        using var t = BeginWrite(c);
        InsertDecision(c, t, new PersonDecisionRecord(action, a, b, editor, AuditChain.FormatTime(DateTimeOffset.UtcNow), reason));
        AppendAudit(c, t, editor, "person " + action, null, "people", detail);
        MarkStale(c, t);
        t.Commit();
    }

    private static void InsertDecision(TConnection c, TTransaction t, PersonDecisionRecord d) =>
        Exec(c, t, "INSERT INTO person_decisions(action, a, b, editor, time, reason) VALUES(@a, @x, @y, @e, @t, @r)",
            ("@a", d.Action), ("@x", d.A), ("@y", d.B), ("@e", d.Editor), ("@t", d.Time), ("@r", d.Reason));

    /// <summary>The index person and a persons-list entry (<c>volume#personId</c>) standing for them.</summary>
    private static (string Person, string Listing) ListingOf(TConnection c, string id)
    {
        if (id.Contains('#'))
        {
            if (PersonOfForm(c, id) is { } listed)
            {
                return (listed, id);
            }
        }
        else if (LoadPerson(c, id) is { } person)
        {
            if (person.Listings.Count == 0)
            {
                throw new ArchiveException($"{id} is known from POCOM only, in no persons list: nothing to merge or split");
            }
            return (person.Id, person.Listings[0].Volume + "#" + person.Listings[0].PersonId);
        }
        throw new ArchiveException($"no person {id} (give an index id such as harriman-william-averell or a persons-list id such as frus1945Berlinv01#p_HWA1)");
    }

    // ---- graph export -----------------------------------------------------------------------------------------

    /// <inheritdoc />
    public string ExportGraph(ReaderIdentity reader, string format)
    {
        LinkCounting.CheckGraphFormat(format);
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, reader);
        var texts = Texts(c, reader);
        var documents = new Dictionary<string, (string Title, string? Date)>(StringComparer.Ordinal);
        var parties = new Dictionary<string, string>(StringComparer.Ordinal);
        var wrote = new Dictionary<(string, string), List<string>>();
        using (var cmd = Command(c, null, $"SELECT d.id, d.title, d.date_min, d.sender, d.recipient FROM documents d WHERE {VisibleSql("d")} ORDER BY d.volume, d.seq"))
        {
            AddAccess(cmd, access);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetString(0);
                documents[id] = (r.GetString(1), DayOrNull(r, 2));
                if (TextOrNull(r, 3) is { } from && TextOrNull(r, 4) is { } to)
                {
                    var a = LinkCounting.PartyNode(from, parties);
                    var b = LinkCounting.PartyNode(to, parties);
                    if (!wrote.TryGetValue((a, b), out var list))
                    {
                        wrote[(a, b)] = list = [];
                    }
                    list.Add(id);
                }
            }
        }
        var rows = ReadAll(c, null, "SELECT source, target_id, evidence, location FROM links WHERE status = 'resolved' AND target_id IS NOT NULL ORDER BY seq",
            r => (Source: r.GetString(0), Target: r.GetString(1), Evidence: r.GetString(2), Where: r.GetString(3)));
        var cites = new List<GraphEdge>();
        var cited = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var (source, target, evidence, where) in rows)
        {
            if (source == target || !documents.ContainsKey(source) || !documents.ContainsKey(target) || !seen.Add((source, target))
                || !texts.Shows(source, where, evidence))
            {
                continue;
            }
            cites.Add(new GraphEdge(source, target, "cites", 1, [], evidence));
            cited.Add(source);
            cited.Add(target);
        }
        var nodes = parties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new GraphNode(p.Key, "party", p.Value, null))
            .Concat(documents.Where(d => cited.Contains(d.Key)).Select(d => new GraphNode(d.Key, "document", d.Value.Title, d.Value.Date)))
            .ToList();
        var edges = wrote.OrderBy(w => w.Key.Item1, StringComparer.Ordinal).ThenBy(w => w.Key.Item2, StringComparer.Ordinal)
            .Select(w => new GraphEdge(w.Key.Item1, w.Key.Item2, "wrote-to", w.Value.Count, w.Value, null))
            .Concat(cites)
            .ToList();
        return GraphWriter.Write(nodes, edges, format);
    }

    // ---- moving between archives ------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<Official> ListOfficials()
    {
        using var c = Connect();
        EnsureSchema(c);
        using var read = BeginSnapshot(c);
        var list = LoadOfficials(c, read);
        read.Commit();
        return list;
    }

    /// <inheritdoc />
    public IReadOnlyList<PersonDecisionRecord> ListPersonDecisions()
    {
        using var c = Connect();
        EnsureSchema(c);
        return ReadAll(c, null, "SELECT action, a, b, editor, time, reason FROM person_decisions ORDER BY seq",
            r => new PersonDecisionRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
    }

    /// <inheritdoc />
    public void ReplacePersonDecisions(IReadOnlyList<PersonDecisionRecord> decisions) => ReplaceTable("person_decisions", (c, t) =>
    {
        foreach (var d in decisions)
        {
            InsertDecision(c, t, d);
        }
        MarkStale(c, t);
    });
}
