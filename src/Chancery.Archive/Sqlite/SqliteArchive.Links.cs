using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Links;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Core.Files;
using Chancery.Core.People;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Links, threads, the decimal file and people over the embedded archive. The link graph and the person index are
/// derived tables: built from the stored documents by <see cref="RebuildLinks"/>, stamped with a fingerprint of
/// what was stored (volumes, their content hashes and ingest times, the officials), and rebuilt by the first read
/// that finds the fingerprint changed. Access is applied at read time, like everywhere else.
/// </summary>
public sealed partial class SqliteArchive : ILinkArchive, ILinkTransfer
{
    /// <summary>The tables of links and people; run at open (they are also created on first use).</summary>
    internal const string LinksSchema = """
        CREATE TABLE IF NOT EXISTS links(
            seq INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            target_id TEXT,
            status TEXT NOT NULL,
            candidates TEXT NOT NULL,
            reason TEXT NOT NULL,
            evidence TEXT NOT NULL,
            location TEXT NOT NULL,
            cited_date TEXT,
            explicit INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS links_source ON links(source, seq);
        CREATE INDEX IF NOT EXISTS links_target ON links(target_id);
        CREATE TABLE IF NOT EXISTS officials(id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS people(id TEXT PRIMARY KEY, name TEXT NOT NULL, official TEXT, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS person_forms(form TEXT NOT NULL, person TEXT NOT NULL, PRIMARY KEY(form, person)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS person_documents(person TEXT NOT NULL, document TEXT NOT NULL, role TEXT NOT NULL, evidence TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS person_documents_person ON person_documents(person, role);
        CREATE TABLE IF NOT EXISTS person_decisions(
            seq INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            editor TEXT NOT NULL,
            time TEXT NOT NULL,
            reason TEXT NOT NULL);
        """;

    private const string LinksStateKey = "links_state";
    private const string OfficialsVersionKey = "officials_version";
    private const int MaxThread = LinkCounting.MaxThread;

    private bool _linkSchemaReady;

    private void EnsureLinkSchema(SqliteConnection c)
    {
        if (_linkSchemaReady)
        {
            return;
        }
        Exec(c, null, LinksSchema);
        // archives made before links recorded explicit targets: add the column and have the next read rebuild
        if (Convert.ToInt64(Scalar(c, null, "SELECT count(*) FROM pragma_table_info('links') WHERE name = 'explicit'"), CultureInfo.InvariantCulture) == 0)
        {
            using var t = BeginImmediate(c);
            if (Convert.ToInt64(Scalar(c, t, "SELECT count(*) FROM pragma_table_info('links') WHERE name = 'explicit'"), CultureInfo.InvariantCulture) == 0)
            {
                Exec(c, t, "ALTER TABLE links ADD COLUMN explicit INTEGER NOT NULL DEFAULT 0");
                Exec(c, t, "DELETE FROM meta WHERE key = $k", ("$k", LinksStateKey));
            }
            t.Commit();
        }
        _linkSchemaReady = true;
    }

    /// <summary>Rebuilds links and people when the stored documents changed since the last build.</summary>
    private void EnsureLinks()
    {
        // the fingerprint reads every volume row and hashes it: skipped while nothing was committed since the last
        // time the links were found current (a document page asks on every request)
        var marker = ChangeMarker();
        if (marker is not null && marker == Interlocked.Read(ref _linksCurrentAt))
        {
            return;
        }
        using var c = Connect();
        EnsureLinkSchema(c);
        if (LinksCurrent(c))
        {
            if (marker is not null)
            {
                Interlocked.Exchange(ref _linksCurrentAt, marker.Value);
            }
            return;
        }
        // one rebuild at a time in this process. While one runs, readers of an archive that has links already are
        // answered from the previous links (the rebuild commits in one transaction) instead of queueing behind it:
        // under load a re-ingest must not stall every document page; a first build is waited for.
        var hasLinks = Scalar(c, null, "SELECT value FROM meta WHERE key = $k", ("$k", LinksStateKey)) is string;
        if (hasLinks && !Monitor.TryEnter(_linksRebuild))
        {
            return;
        }
        if (!hasLinks)
        {
            Monitor.Enter(_linksRebuild);
        }
        try
        {
            if (!LinksCurrent(c))
            {
                RebuildLinks();
            }
        }
        finally
        {
            Monitor.Exit(_linksRebuild);
        }
    }

    private readonly object _linksRebuild = new();

    // the change marker under which the links were last found current (long.MinValue: not yet)
    private long _linksCurrentAt = long.MinValue;

    private static bool LinksCurrent(SqliteConnection c) =>
        Scalar(c, null, "SELECT value FROM meta WHERE key = $k", ("$k", LinksStateKey)) as string == Fingerprint(c, null);

    // What the derived tables were built from: every volume's content hash and ingest time, and the officials.
    private static string Fingerprint(SqliteConnection c, SqliteTransaction? t)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = t;
            cmd.CommandText = "SELECT id, content_hash, ingested FROM volumes ORDER BY id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                h.AppendData(Encoding.UTF8.GetBytes($"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)}\n"));
            }
        }
        var officials = Scalar(c, t, "SELECT value FROM meta WHERE key = $k", ("$k", OfficialsVersionKey)) as string ?? "0";
        h.AppendData(Encoding.UTF8.GetBytes("officials " + officials));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    // ---- building -----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public LinkReport RebuildLinks()
    {
        var clock = Stopwatch.StartNew();
        using var c = Connect();
        EnsureLinkSchema(c);

        // one read snapshot (WAL): documents, volumes and officials as of one moment
        string fingerprint;
        List<LinkDocument> documents;
        List<(string Id, Volume Meta)> volumes;
        List<Official> officials;
        List<PersonDecision> decisions;
        using (var read = c.BeginTransaction(deferred: true))
        {
            fingerprint = Fingerprint(c, read);
            volumes = LoadVolumes(c, read);
            documents = LoadLinkDocuments(c, read);
            officials = LoadOfficials(c, read);
            decisions = LoadPersonDecisions(c, read);
            read.Commit();
        }

        var build = LinkBuild.Run(volumes, documents, officials, decisions);

        using (var t = BeginImmediate(c))
        {
            WriteLinks(c, t, build.Links);
            WritePeople(c, t, build.People);
            Exec(c, t, "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)", ("$k", LinksStateKey), ("$v", fingerprint));
            t.Commit();
        }

        return build.Report(clock);
    }

    /// <inheritdoc />
    public IReadOnlyList<VolumeLinkReport> ReportLinks(ReaderIdentity reader)
    {
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, reader);
        List<(string Id, Volume Meta)> volumes;
        using (var read = c.BeginTransaction(deferred: true))
        {
            volumes = LoadVolumes(c, read);
            read.Commit();
        }
        var ingested = volumes.Where(v => v.Meta.SourceKind == "tei").Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var byVolume = new Dictionary<string, List<LinkCount>>(StringComparer.Ordinal);
        using (var cmd = c.CreateCommand())
        {
            // only links of documents the reader may see count: a withheld document's references are not told
            cmd.CommandText = $"""
                SELECT d.volume, l.kind, l.target, l.status, l.explicit, l.reason FROM links l JOIN documents d ON d.id = l.source
                WHERE {AccessFilter.VisibleSql("d")}
                """;
            access.AddParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var volume = r.GetString(0);
                if (!byVolume.TryGetValue(volume, out var list))
                {
                    byVolume[volume] = list = [];
                }
                var status = LinkStatuses.Parse(r.GetString(3));
                list.Add(new LinkCount(ParseKindName(r.GetString(1)), r.GetString(2), status, r.GetInt64(4) != 0, LinkCounting.MissingInSource(status, r.IsDBNull(5) ? null : r.GetString(5))));
            }
        }
        return byVolume.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => LinkCounting.VolumeReport(v.Key, v.Value, ingested)).ToList();
    }

    private static List<(string Id, Volume Meta)> LoadVolumes(SqliteConnection c, SqliteTransaction t)
    {
        var list = new List<(string, Volume)>();
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT id, meta FROM volumes ORDER BY id";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetString(0), JsonSerializer.Deserialize<Volume>(r.GetString(1), DocumentJson.Compact)!));
        }
        return list;
    }

    private static List<PersonDecision> LoadPersonDecisions(SqliteConnection c, SqliteTransaction t)
    {
        var list = new List<PersonDecision>();
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT action, a, b, editor, reason FROM person_decisions ORDER BY seq";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new PersonDecision(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        }
        return list;
    }

    private static List<Official> LoadOfficials(SqliteConnection c, SqliteTransaction t)
    {
        var list = new List<Official>();
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT json FROM officials ORDER BY id";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(JsonSerializer.Deserialize<Official>(r.GetString(0), DocumentJson.Compact)!);
        }
        return list;
    }

    /// <summary>
    /// Reads every document's columns and the parts of its JSON links need. Rows are read in batches and their JSON
    /// parsed in parallel; the text of a document is kept only when it cites telegrams.
    /// </summary>
    private static List<LinkDocument> LoadLinkDocuments(SqliteConnection c, SqliteTransaction t)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT id, volume, seq, sender, recipient, date_min, telegram_number, json FROM documents ORDER BY volume, seq";
        using var r = cmd.ExecuteReader();
        var batch = new LinkDocumentBatch();
        while (r.Read())
        {
            var doc = new LinkDocument
            {
                Id = r.GetString(0),
                Volume = r.GetString(1),
                Seq = r.GetInt32(2),
                From = r.IsDBNull(3) ? null : r.GetString(3),
                To = r.IsDBNull(4) ? null : r.GetString(4),
                DateMin = r.IsDBNull(5) ? null : r.GetString(5),
                TelegramNumber = r.IsDBNull(6) ? null : r.GetString(6),
            };
            batch.Add(doc, r.GetFieldValue<byte[]>(7));
        }
        batch.Flush();
        return batch.All;
    }

    private static void WriteLinks(SqliteConnection c, SqliteTransaction t, List<ResolvedLink> links)
    {
        Exec(c, t, "DELETE FROM links");
        using var insert = c.CreateCommand();
        insert.Transaction = t;
        insert.CommandText = """
            INSERT INTO links(source, kind, target, target_id, status, candidates, reason, evidence, location, cited_date, explicit)
            VALUES($s, $k, $t, $tid, $st, $c, $r, $e, $w, $d, $x)
            """;
        var p = new[] { "$s", "$k", "$t", "$tid", "$st", "$c", "$r", "$e", "$w", "$d", "$x" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        insert.Prepare();
        foreach (var l in links)
        {
            p[0].Value = l.SourceId;
            p[1].Value = KindName(l.Kind);
            p[2].Value = l.Target;
            p[3].Value = (object?)l.TargetId ?? DBNull.Value;
            p[4].Value = LinkStatuses.Name(l.Status);
            p[5].Value = JsonSerializer.Serialize(l.Candidates, DocumentJson.Compact);
            p[6].Value = l.Reason;
            p[7].Value = l.Evidence;
            p[8].Value = l.Where;
            p[9].Value = (object?)l.CitedDate ?? DBNull.Value;
            p[10].Value = l.Explicit ? 1 : 0;
            insert.ExecuteNonQuery();
        }
    }

    private static void WritePeople(SqliteConnection c, SqliteTransaction t, PeopleIndex index)
    {
        Exec(c, t, "DELETE FROM people; DELETE FROM person_forms; DELETE FROM person_documents;");
        using var person = c.CreateCommand();
        person.Transaction = t;
        person.CommandText = "INSERT INTO people(id, name, official, json) VALUES($id, $n, $o, $j)";
        var pp = new[] { "$id", "$n", "$o", "$j" }.Select(n => person.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        using var form = c.CreateCommand();
        form.Transaction = t;
        form.CommandText = "INSERT OR IGNORE INTO person_forms(form, person) VALUES($f, $p)";
        var fp = new[] { "$f", "$p" }.Select(n => form.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        foreach (var p in index.People)
        {
            pp[0].Value = p.Id;
            pp[1].Value = p.Name;
            pp[2].Value = (object?)p.OfficialId ?? DBNull.Value;
            pp[3].Value = JsonSerializer.Serialize(p, DocumentJson.Compact);
            person.ExecuteNonQuery();
            foreach (var f in p.Forms.Append(p.Id).Concat(p.OfficialId is null ? [] : [p.OfficialId]).Distinct(StringComparer.Ordinal))
            {
                fp[0].Value = f;
                fp[1].Value = p.Id;
                form.ExecuteNonQuery();
            }
        }
        using var doc = c.CreateCommand();
        doc.Transaction = t;
        doc.CommandText = "INSERT INTO person_documents(person, document, role, evidence) VALUES($p, $d, $r, $e)";
        var dp = new[] { "$p", "$d", "$r", "$e" }.Select(n => doc.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        foreach (var row in index.Documents)
        {
            dp[0].Value = row.Person;
            dp[1].Value = row.Document;
            dp[2].Value = row.Role;
            dp[3].Value = row.Evidence;
            doc.ExecuteNonQuery();
        }
    }

    private static string KindName(ReferenceKind kind) => LinkCounting.KindName(kind);

    private static ReferenceKind ParseKindName(string kind) => LinkCounting.ParseKindName(kind);

    /// <inheritdoc />
    public void ImportOfficials(IReadOnlyList<Official> officials)
    {
        using var c = Connect();
        EnsureLinkSchema(c);
        using var t = BeginImmediate(c);
        Exec(c, t, "DELETE FROM officials");
        using var insert = c.CreateCommand();
        insert.Transaction = t;
        insert.CommandText = "INSERT OR REPLACE INTO officials(id, json) VALUES($id, $j)";
        var id = insert.Parameters.Add(new SqliteParameter("$id", null));
        var json = insert.Parameters.Add(new SqliteParameter("$j", null));
        foreach (var o in officials)
        {
            id.Value = o.Id;
            json.Value = JsonSerializer.Serialize(o, DocumentJson.Compact);
            insert.ExecuteNonQuery();
        }
        Exec(c, t, "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)", ("$k", OfficialsVersionKey),
            ("$v", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + officials.Count.ToString(CultureInfo.InvariantCulture)));
        t.Commit();
    }

    // ---- reading: links ---------------------------------------------------------------------------------------

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
        var cites = new List<LinkView>();
        var pendingCandidates = new List<(int Index, List<string> Ids)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT l.kind, l.target, l.target_id, l.status, l.candidates, l.reason, l.evidence, l.location, l.cited_date,
                       t.id, t.title, t.date_min, t.sender, t.recipient, t.telegram_number,
                       CASE WHEN t.key IS NULL THEN NULL WHEN {AccessFilter.VisibleSql("t")} THEN 1 ELSE 0 END
                FROM links l LEFT JOIN documents t ON t.id = l.target_id
                WHERE l.source = $id ORDER BY l.seq
                """;
            cmd.Parameters.AddWithValue("$id", normal);
            access.AddParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!texts.Shows(normal, r.GetString(7), r.GetString(6)))
                {
                    continue;
                }
                var (document, targetId) = DescribeTarget(r, 9, r.IsDBNull(2) ? null : r.GetString(2));
                var candidates = JsonSerializer.Deserialize<List<string>>(r.GetString(4), DocumentJson.Compact) ?? [];
                if (candidates.Count > 0)
                {
                    pendingCandidates.Add((cites.Count, candidates));
                }
                cites.Add(new LinkView(normal, ParseKindName(r.GetString(0)), r.GetString(1), LinkStatuses.Parse(r.GetString(3)), targetId, document, [],
                    r.GetString(5), r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)));
            }
        }
        if (pendingCandidates.Count > 0)
        {
            var described = DescribeLinked(c, access, pendingCandidates.SelectMany(p => p.Ids).Distinct().ToList());
            foreach (var (index, ids) in pendingCandidates)
            {
                cites[index] = cites[index] with { Candidates = ids.Select(i => described.GetValueOrDefault(i, LinkedDocument.WithheldDocument)).ToList() };
            }
        }

        var citedBy = new List<LinkView>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT l.source, l.kind, l.target, l.status, l.reason, l.evidence, l.location, l.cited_date,
                       s.id, s.title, s.date_min, s.sender, s.recipient, s.telegram_number, 1
                FROM links l JOIN documents s ON s.id = l.source
                WHERE l.target_id = $id AND {AccessFilter.VisibleSql("s")}
                ORDER BY s.date_min, s.volume, s.seq, l.seq
                """;
            cmd.Parameters.AddWithValue("$id", normal);
            access.AddParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var source = r.GetString(0);
                if (!texts.Shows(source, r.GetString(6), r.GetString(5)))
                {
                    continue;
                }
                var (document, _) = DescribeTarget(r, 8, source);
                citedBy.Add(new LinkView(source, ParseKindName(r.GetString(1)), r.GetString(2), LinkStatuses.Parse(r.GetString(3)), normal, document, [],
                    r.GetString(4), r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
            }
        }
        return new DocumentLinks(normal, cites, citedBy);
    }

    // Columns from `at`: id, title, date_min, sender, recipient, telegram_number, visible (NULL when no such document).
    private static (LinkedDocument? Document, string? TargetId) DescribeTarget(SqliteDataReader r, int at, string? targetId)
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
        return (new LinkedDocument(r.GetString(at), false, r.GetString(at + 1), DayOrNull(r, at + 2), TextOrNull(r, at + 3), TextOrNull(r, at + 4), TextOrNull(r, at + 5)), targetId);
    }

    private static string? TextOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string? DayOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i)[..Math.Min(10, r.GetString(i).Length)];

    /// <summary>Documents by id as this reader may see them; ids the reader may not see come back withheld.</summary>
    private static Dictionary<string, LinkedDocument> DescribeLinked(SqliteConnection c, AccessFilter access, IReadOnlyList<string> ids)
    {
        var map = new Dictionary<string, LinkedDocument>(StringComparer.Ordinal);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.telegram_number, CASE WHEN {AccessFilter.VisibleSql("d")} THEN 1 ELSE 0 END
            FROM documents d WHERE d.id IN (SELECT value FROM json_each($ids))
            """;
        cmd.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
        access.AddParameters(cmd);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetInt32(6) == 1
                ? new LinkedDocument(r.GetString(0), false, r.GetString(1), DayOrNull(r, 2), TextOrNull(r, 3), TextOrNull(r, 4), TextOrNull(r, 5))
                : LinkedDocument.WithheldDocument;
        }
        return map;
    }

    private static bool IsVisibleTo(SqliteConnection c, AccessFilter access, string id)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT 1 FROM documents d WHERE d.id = $id AND {AccessFilter.VisibleSql("d")}";
        cmd.Parameters.AddWithValue("$id", id);
        access.AddParameters(cmd);
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>The body text each document released with excisions shows this reader (see <see cref="ReleasedTexts"/>).</summary>
    private static ReleasedTexts Texts(SqliteConnection c, ReaderIdentity reader) => new(reader,
        () =>
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM documents WHERE release = $r";
            cmd.Parameters.AddWithValue("$r", (int)ReleaseState.ReleasedWithExcisions);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                set.Add(r.GetString(0));
            }
            return set;
        },
        id => Scalar(c, null, "SELECT json FROM documents WHERE id = $id", ("$id", id)) is string json ? DocumentJson.Deserialize(json) : null,
        id => LatestReview(c, null, id)?.Excisions ?? []);

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
        using var next = c.CreateCommand();
        // telegram citations, and explicit document links between two telegrams; both ends visible to the reader
        next.CommandText = $"""
            SELECT l.target_id, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.target_id
            WHERE l.source = $id AND l.status = 'resolved' AND {AccessFilter.VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.source AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            UNION ALL
            SELECT l.source, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.source
            WHERE l.target_id = $id AND l.status = 'resolved' AND {AccessFilter.VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.target_id AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            """;
        var idParameter = next.Parameters.Add(new SqliteParameter("$id", null));
        access.AddParameters(next);
        while (queue.Count > 0 && found.Count < MaxThread)
        {
            idParameter.Value = queue.Dequeue();
            using var r = next.ExecuteReader();
            while (r.Read())
            {
                var other = r.GetString(0);
                if (!texts.Shows(r.GetString(1), r.GetString(2), r.GetString(3)))
                {
                    continue;
                }
                if (found.Add(other))
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

    private (string? Sort, ThreadEntry Entry)? ThreadEntryOf(SqliteConnection c, string id, ReaderIdentity reader)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json, release, date_min FROM documents WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }
        var stored = DocumentJson.Deserialize(r.GetString(0));
        var release = (ReleaseState)r.GetInt32(1);
        var sort = TextOrNull(r, 2);
        var excisions = release == ReleaseState.ReleasedWithExcisions ? LatestReview(c, null, id)?.Excisions ?? [] : [];
        if (AccessView.For(stored, release, excisions, reader) is not { } view)
        {
            return null;
        }
        if (view.IsOriginal && release != ReleaseState.Released)
        {
            AppendAudit(c, reader.Name, "read", id, "thread", "first line in a telegram thread");
        }
        var d = view.Document;
        return (sort, new ThreadEntry(d.Id, d.Date?.From, d.From, d.To, d.TelegramNumber, d.Title, LinkCounting.FirstLine(d)));
    }

    // ---- reading: the decimal file ----------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<FiledDocument> DocumentsInFile(string filePrefix, ReaderIdentity reader)
    {
        var prefix = NormaliseFileText(filePrefix.Trim());
        if (prefix.Length == 0)
        {
            return [];
        }
        using var c = Connect();
        var access = FilterFor(c, reader);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.file_numbers FROM documents d
            WHERE ('|' || replace(d.file_numbers, '–', '-')) LIKE $pattern ESCAPE '\' AND {AccessFilter.VisibleSql("d")}
            ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
            """;
        cmd.Parameters.AddWithValue("$pattern", LinkCounting.FilePattern(prefix));
        access.AddParameters(cmd);
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

    private static string NormaliseFileText(string s) => LinkCounting.NormaliseFileText(s);

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
        IndexedPerson? person = null;
        if (personId is not null && Scalar(c, null, "SELECT json FROM people WHERE id = $id", ("$id", personId)) is string json)
        {
            person = JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact);
        }
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
        var roles = new Dictionary<string, List<PersonDocument>>(StringComparer.Ordinal) { ["sent"] = [], ["received"] = [], ["mentioned"] = [] };
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT pd.role, pd.evidence, d.id, d.title, d.date_min FROM person_documents pd JOIN documents d ON d.id = pd.document
                WHERE pd.person = $p AND {AccessFilter.VisibleSql("d")}
                ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
                """;
            cmd.Parameters.AddWithValue("$p", person.Id);
            access.AddParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var role = r.GetString(0);
                var docId = r.GetString(2);
                // a mention only in a cut paragraph must not show
                if (role == "mentioned" && !texts.ShowsName(docId, surnames))
                {
                    continue;
                }
                if (roles.TryGetValue(role, out var list))
                {
                    list.Add(new PersonDocument(docId, r.GetString(3), DayOrNull(r, 4), r.GetString(1)));
                }
            }
        }
        return new PersonProfile(person.Id, person.Name, person.Names, person.Listings, person.OfficialId, official?.Posts ?? [],
            roles["sent"], roles["received"], roles["mentioned"], person.Evidence);
    }

    // ---- editing: people ---------------------------------------------------------------------------------------

    /// <inheritdoc />
    public string MergePersons(string a, string b, string editor, string reason)
    {
        (editor, reason) = Editing(editor, reason);
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
        (editor, reason) = Editing(editor, reason);
        EnsureLinks();
        using var c = Connect();
        var (personId, _) = ListingOf(c, person.Trim());
        var key = listing.Trim();
        var indexed = Scalar(c, null, "SELECT json FROM people WHERE id = $id", ("$id", personId)) is string json
            ? JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact)!
            : throw new ArchiveException($"no person {person.Trim()}");
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

    private static (string Editor, string Reason) Editing(string editor, string reason) => LinkCounting.Editing(editor, reason);

    // The decision, its audit line and a stale links state in one transaction: the next read rebuilds the index with it.
    private static void Decide(SqliteConnection c, string action, string a, string b, string editor, string reason, string detail)
    {
        using var t = BeginImmediate(c);
        Exec(c, t, "INSERT INTO person_decisions(action, a, b, editor, time, reason) VALUES($a, $x, $y, $e, $t, $r)",
            ("$a", action), ("$x", a), ("$y", b), ("$e", editor), ("$t", AuditChain.FormatTime(DateTimeOffset.UtcNow)), ("$r", reason));
        AppendAudit(c, t, editor, "person " + action, null, "people", detail);
        Exec(c, t, "DELETE FROM meta WHERE key = $k", ("$k", LinksStateKey));
        t.Commit();
    }

    /// <summary>The index person and a persons-list entry (<c>volume#personId</c>) standing for them.</summary>
    private static (string Person, string Listing) ListingOf(SqliteConnection c, string id)
    {
        if (id.Contains('#'))
        {
            if (Scalar(c, null, "SELECT person FROM person_forms WHERE form = $f", ("$f", id)) is string listed)
            {
                return (listed, id);
            }
        }
        else if (Scalar(c, null, "SELECT json FROM people WHERE id = $id", ("$id", id)) is string json)
        {
            var person = JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact)!;
            if (person.Listings.Count == 0)
            {
                throw new ArchiveException($"{id} is known from POCOM only, in no persons list: nothing to merge or split");
            }
            return (person.Id, person.Listings[0].Volume + "#" + person.Listings[0].PersonId);
        }
        throw new ArchiveException($"no person {id} (give an index id such as harriman-william-averell or a persons-list id such as frus1945Berlinv01#p_HWA1)");
    }

    private static string? FindPersonId(SqliteConnection c, string query)
    {
        if (Scalar(c, null, "SELECT id FROM people WHERE id = $q", ("$q", query)) is string direct)
        {
            return direct;
        }
        if (Scalar(c, null, "SELECT person FROM person_forms WHERE form = $q", ("$q", query)) is string byForm)
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
                Scalar(c, null, "SELECT json FROM people WHERE id = $id", ("$id", id)) is string json
                && JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact)!.Names
                    .Select(PersonName.Parse).OfType<PersonName>().Any(n => n.CompatibleWith(name))).ToList();
        }
        // several namesakes: the one with most documents
        return candidates
            .OrderByDescending(id => Convert.ToInt64(Scalar(c, null, "SELECT count(*) FROM person_documents WHERE person = $p", ("$p", id)), CultureInfo.InvariantCulture))
            .ThenBy(id => id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static List<string> PeopleWithForm(SqliteConnection c, string form)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT person FROM person_forms WHERE form = $f ORDER BY person";
        cmd.Parameters.AddWithValue("$f", form);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    private static Official? LoadOfficial(SqliteConnection c, string id) =>
        Scalar(c, null, "SELECT json FROM officials WHERE id = $id", ("$id", id)) is string json
            ? JsonSerializer.Deserialize<Official>(json, DocumentJson.Compact)
            : null;

    private static Official? FindOfficial(SqliteConnection c, string query)
    {
        if (LoadOfficial(c, query) is { } direct)
        {
            return direct;
        }
        if (PersonName.Parse(query) is not { Given.Count: > 0 } name)
        {
            return null;
        }
        var matches = new List<Official>();
        using var cmd = c.CreateCommand();
        // officials' ids begin with the surname: harriman-william-averell
        cmd.CommandText = "SELECT json FROM officials WHERE id LIKE $p";
        cmd.Parameters.AddWithValue("$p", PeopleIndexBuilder.Slug(name.Surname) + "%");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var o = JsonSerializer.Deserialize<Official>(r.GetString(0), DocumentJson.Compact)!;
            var names = new[] { o.Surname + ", " + o.Forenames }.Concat(o.AltNames).Select(PersonName.Parse).OfType<PersonName>();
            if (names.Any(n => n.CompatibleWith(name)))
            {
                matches.Add(o);
            }
        }
        return matches.Count == 1 ? matches[0] : null;
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
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT d.id, d.title, d.date_min, d.sender, d.recipient FROM documents d WHERE {AccessFilter.VisibleSql("d")} ORDER BY d.volume, d.seq";
            access.AddParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetString(0);
                documents[id] = (r.GetString(1), DayOrNull(r, 2));
                if (TextOrNull(r, 3) is { } from && TextOrNull(r, 4) is { } to)
                {
                    var a = PartyNode(from, parties);
                    var b = PartyNode(to, parties);
                    if (!wrote.TryGetValue((a, b), out var list))
                    {
                        wrote[(a, b)] = list = [];
                    }
                    list.Add(id);
                }
            }
        }
        var cites = new List<GraphEdge>();
        var cited = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT source, target_id, kind, evidence, location FROM links WHERE status = 'resolved' AND target_id IS NOT NULL ORDER BY seq";
            using var r = cmd.ExecuteReader();
            var seen = new HashSet<(string, string)>();
            while (r.Read())
            {
                var source = r.GetString(0);
                var target = r.GetString(1);
                if (source == target || !documents.ContainsKey(source) || !documents.ContainsKey(target) || !seen.Add((source, target))
                    || !texts.Shows(source, r.GetString(4), r.GetString(3)))
                {
                    continue;
                }
                cites.Add(new GraphEdge(source, target, "cites", 1, [], r.GetString(3)));
                cited.Add(source);
                cited.Add(target);
            }
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

    private static string PartyNode(string party, Dictionary<string, string> parties) => LinkCounting.PartyNode(party, parties);

    // ---- moving between archives ------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<Official> ListOfficials()
    {
        using var c = Connect();
        EnsureLinkSchema(c);
        using var read = c.BeginTransaction(deferred: true);
        var list = LoadOfficials(c, read);
        read.Commit();
        return list;
    }

    /// <inheritdoc />
    public IReadOnlyList<PersonDecisionRecord> ListPersonDecisions()
    {
        using var c = Connect();
        EnsureLinkSchema(c);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT action, a, b, editor, time, reason FROM person_decisions ORDER BY seq";
        using var r = cmd.ExecuteReader();
        var list = new List<PersonDecisionRecord>();
        while (r.Read())
        {
            list.Add(new PersonDecisionRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
        }
        return list;
    }

    /// <inheritdoc />
    public void ReplacePersonDecisions(IReadOnlyList<PersonDecisionRecord> decisions)
    {
        using var c = Connect();
        EnsureLinkSchema(c);
        using var t = BeginImmediate(c);
        Exec(c, t, "DELETE FROM person_decisions");
        foreach (var d in decisions)
        {
            Exec(c, t, "INSERT INTO person_decisions(action, a, b, editor, time, reason) VALUES($a, $x, $y, $e, $t, $r)",
                ("$a", d.Action), ("$x", d.A), ("$y", d.B), ("$e", d.Editor), ("$t", d.Time), ("$r", d.Reason));
        }
        Exec(c, t, "DELETE FROM meta WHERE key = $k", ("$k", LinksStateKey));
        t.Commit();
    }
}
