using System.Data;
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
using Chancery.Core.People;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// Links, threads, the decimal file and people over the server archive, with the embedded archive's engine
/// (<see cref="LinkBuild"/>) and answers. The link graph and the person index are derived tables, stamped in
/// <c>links_state</c> with a fingerprint of what they were built from (volumes, officials, editors' decisions) and
/// rebuilt by the first read that finds it changed. A rebuild writes in one transaction; readers (MVCC) keep reading
/// the previous links meanwhile. One rebuild runs at a time across all processes (a session advisory lock): a read
/// that finds another rebuild running is answered from the previous links, unless there are none yet. Access is
/// applied inside the SQL at read time, as the embedded archive does.
/// </summary>
public sealed partial class PostgresArchive : ILinkArchive, ILinkTransfer
{
    // ---- the state of the derived tables -------------------------------------------------------------------------

    /// <summary>Rebuilds links and people when what they were built from changed since.</summary>
    private void EnsureLinks()
    {
        using var c = Connect();
        var stored = StoredFingerprint(c);
        if (stored is not null && stored == Fingerprint(c, null))
        {
            return;
        }
        // with links already there, a reader does not queue behind a rebuild another request or process runs: it is
        // answered from the previous links; a first build (or one an editor's decision made stale) is waited for
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

    private static string? StoredFingerprint(NpgsqlConnection c) =>
        Scalar(c, null, "SELECT fingerprint FROM links_state WHERE id = 1") as string;

    // What the derived tables were built from: every volume's content hash and ingest time, the officials, and the
    // editors' decisions (so a decision made while a rebuild reads is not lost when it writes).
    private static string Fingerprint(NpgsqlConnection c, NpgsqlTransaction? t)
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
        var officials = Scalar(c, t, "SELECT officials_version FROM links_state WHERE id = 1") as string ?? "0";
        var decisions = Convert.ToInt64(Scalar(c, t, "SELECT coalesce(max(seq), 0) FROM person_decisions"), CultureInfo.InvariantCulture);
        h.AppendData(Encoding.UTF8.GetBytes($"officials {officials}\ndecisions {decisions}"));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static bool TakeRebuildLock(NpgsqlConnection c, bool wait)
    {
        if (wait)
        {
            Exec(c, null, $"SELECT pg_advisory_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Links})");
            return true;
        }
        return Scalar(c, null, $"SELECT pg_try_advisory_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Links})") is true;
    }

    private static void ReleaseRebuildLock(NpgsqlConnection c)
    {
        try
        {
            // a session lock outlives the connection's return to the pool: give it back explicitly
            Exec(c, null, $"SELECT pg_advisory_unlock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Links})");
        }
        catch (NpgsqlException)
        {
            // a broken connection: the server released the lock with the session
        }
    }

    // ---- building -----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public LinkReport RebuildLinks()
    {
        using var c = Connect();
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

    private static LinkReport Rebuild(NpgsqlConnection c)
    {
        var clock = Stopwatch.StartNew();
        // one snapshot: documents, volumes, officials and decisions as of one moment
        string fingerprint;
        List<(string Id, Volume Meta)> volumes;
        List<LinkDocument> documents;
        List<Official> officials;
        List<PersonDecision> decisions;
        using (var read = c.BeginTransaction(IsolationLevel.RepeatableRead))
        {
            fingerprint = Fingerprint(c, read);
            volumes = LoadLinkVolumes(c, read);
            documents = LoadLinkDocuments(c, read);
            officials = LoadOfficials(c, read);
            decisions = LoadPersonDecisions(c, read);
            read.Commit();
        }

        var build = LinkBuild.Run(volumes, documents, officials, decisions);

        // one transaction; DELETE, not TRUNCATE, so readers keep the previous rows until it commits
        using (var t = c.BeginTransaction())
        {
            WriteLinks(c, t, build.Links);
            WritePeople(c, t, build.People);
            Exec(c, t, "UPDATE links_state SET fingerprint = @f WHERE id = 1", ("f", fingerprint));
            t.Commit();
        }
        return build.Report(clock);
    }

    private static List<(string Id, Volume Meta)> LoadLinkVolumes(NpgsqlConnection c, NpgsqlTransaction? t)
    {
        var list = new List<(string, Volume)>();
        using var cmd = Command(c, t, "SELECT id, meta FROM volumes ORDER BY id");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetString(0), JsonSerializer.Deserialize<Volume>(r.GetString(1), DocumentJson.Compact)!));
        }
        return list;
    }

    private static List<PersonDecision> LoadPersonDecisions(NpgsqlConnection c, NpgsqlTransaction t)
    {
        var list = new List<PersonDecision>();
        using var cmd = Command(c, t, "SELECT action, a, b, editor, reason FROM person_decisions ORDER BY seq");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new PersonDecision(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        }
        return list;
    }

    private static List<Official> LoadOfficials(NpgsqlConnection c, NpgsqlTransaction t)
    {
        var list = new List<Official>();
        using var cmd = Command(c, t, "SELECT json FROM officials ORDER BY id");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(JsonSerializer.Deserialize<Official>(r.GetString(0), DocumentJson.Compact)!);
        }
        return list;
    }

    /// <summary>Reads every document's columns and the parts of its JSON links need, parsed in parallel batches.</summary>
    private static List<LinkDocument> LoadLinkDocuments(NpgsqlConnection c, NpgsqlTransaction t)
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
            batch.Add(doc, Encoding.UTF8.GetBytes(r.GetString(7)));
        }
        batch.Flush();
        return batch.All;
    }

    private static void WriteLinks(NpgsqlConnection c, NpgsqlTransaction t, List<ResolvedLink> links)
    {
        Exec(c, t, "DELETE FROM links");
        using var w = c.BeginBinaryImport(
            "COPY links(seq, source, kind, target, target_id, status, candidates, reason, evidence, location, cited_date, explicit) FROM STDIN (FORMAT BINARY)");
        long seq = 0;
        foreach (var l in links)
        {
            w.StartRow();
            w.Write(++seq, NpgsqlDbType.Bigint);
            w.Write(l.SourceId, NpgsqlDbType.Text);
            w.Write(LinkCounting.KindName(l.Kind), NpgsqlDbType.Text);
            w.Write(l.Target, NpgsqlDbType.Text);
            WriteText(w, l.TargetId);
            w.Write(LinkStatuses.Name(l.Status), NpgsqlDbType.Text);
            w.Write(JsonSerializer.Serialize(l.Candidates, DocumentJson.Compact), NpgsqlDbType.Text);
            w.Write(l.Reason, NpgsqlDbType.Text);
            w.Write(l.Evidence, NpgsqlDbType.Text);
            w.Write(l.Where, NpgsqlDbType.Text);
            WriteText(w, l.CitedDate);
            w.Write(l.Explicit, NpgsqlDbType.Boolean);
        }
        w.Complete();
    }

    private static void WriteText(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void WritePeople(NpgsqlConnection c, NpgsqlTransaction t, PeopleIndex index)
    {
        Exec(c, t, "DELETE FROM people; DELETE FROM person_forms; DELETE FROM person_documents;");
        var forms = new HashSet<(string Form, string Person)>();
        using (var w = c.BeginBinaryImport("COPY people(id, name, official, json) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var p in index.People)
            {
                w.StartRow();
                w.Write(p.Id, NpgsqlDbType.Text);
                w.Write(p.Name, NpgsqlDbType.Text);
                WriteText(w, p.OfficialId);
                w.Write(JsonSerializer.Serialize(p, DocumentJson.Compact), NpgsqlDbType.Text);
                foreach (var f in p.Forms.Append(p.Id).Concat(p.OfficialId is null ? [] : [p.OfficialId]))
                {
                    forms.Add((f, p.Id));
                }
            }
            w.Complete();
        }
        using (var w = c.BeginBinaryImport("COPY person_forms(form, person) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (form, person) in forms)
            {
                w.StartRow();
                w.Write(form, NpgsqlDbType.Text);
                w.Write(person, NpgsqlDbType.Text);
            }
            w.Complete();
        }
        using (var w = c.BeginBinaryImport("COPY person_documents(person, document, role, evidence) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in index.Documents)
            {
                w.StartRow();
                w.Write(row.Person, NpgsqlDbType.Text);
                w.Write(row.Document, NpgsqlDbType.Text);
                w.Write(row.Role, NpgsqlDbType.Text);
                w.Write(row.Evidence, NpgsqlDbType.Text);
            }
            w.Complete();
        }
    }

    /// <inheritdoc />
    public void ImportOfficials(IReadOnlyList<Official> officials)
    {
        using var c = Connect();
        using var t = c.BeginTransaction();
        Exec(c, t, "DELETE FROM officials");
        using (var insert = Command(c, t, "INSERT INTO officials(id, json) VALUES(@id, @j) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            ("id", ""), ("j", "")))
        {
            foreach (var o in officials)
            {
                insert.Parameters["id"].Value = o.Id;
                insert.Parameters["j"].Value = JsonSerializer.Serialize(o, DocumentJson.Compact);
                insert.ExecuteNonQuery();
            }
        }
        Exec(c, t, "UPDATE links_state SET officials_version = @v WHERE id = 1",
            ("v", Now() + " " + officials.Count.ToString(CultureInfo.InvariantCulture)));
        t.Commit();
    }

    // ---- reading: links ---------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<VolumeLinkReport> ReportLinks(ReaderIdentity reader)
    {
        EnsureLinks();
        using var c = Connect();
        var access = FilterFor(c, null, reader);
        var ingested = LoadLinkVolumes(c, null).Where(v => v.Meta.SourceKind == "tei").Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var byVolume = new Dictionary<string, List<LinkCount>>(StringComparer.Ordinal);
        // only links of documents the reader may see count: a withheld document's references are not told
        using var cmd = Command(c, null, $"""
            SELECT d.volume, l.kind, l.target, l.status, l.explicit, l.reason FROM links l JOIN documents d ON d.id = l.source
            WHERE {PostgresAccess.VisibleSql("d")}
            """);
        access.AddPostgresParameters(cmd);
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

    /// <summary>A linked document's columns as read, before the reader's view of its text is checked.</summary>
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
        var access = FilterFor(c, null, reader);
        if (!IsVisibleTo(c, access, normal))
        {
            return null;
        }
        var texts = Texts(c, reader);

        // rows first, then the text checks: a connection runs one command at a time
        var outgoing = new List<LinkRow>();
        using (var cmd = Command(c, null, $"""
            SELECT l.kind, l.target, l.target_id, l.status, l.candidates, l.reason, l.evidence, l.location, l.cited_date,
                   t.id, t.title, t.date_min, t.sender, t.recipient, t.telegram_number,
                   CASE WHEN t.key IS NULL THEN NULL WHEN {PostgresAccess.VisibleSql("t")} THEN 1 ELSE 0 END
            FROM links l LEFT JOIN documents t ON t.id = l.target_id
            WHERE l.source = @id ORDER BY l.seq
            """, ("id", normal)))
        {
            access.AddPostgresParameters(cmd);
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
            var described = DescribeLinked(c, access, pendingCandidates.SelectMany(p => p.Ids).Distinct().ToArray());
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
            WHERE l.target_id = @id AND {PostgresAccess.VisibleSql("s")}
            ORDER BY s.date_min NULLS FIRST, s.volume, s.seq, l.seq
            """, ("id", normal)))
        {
            access.AddPostgresParameters(cmd);
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
    private static (LinkedDocument? Document, string? TargetId) DescribeTarget(NpgsqlDataReader r, int at, string? targetId)
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

    private static string? TextOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string? DayOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i)[..Math.Min(10, r.GetString(i).Length)];

    /// <summary>Documents by id as this reader may see them; ids the reader may not see come back withheld.</summary>
    private static Dictionary<string, LinkedDocument> DescribeLinked(NpgsqlConnection c, AccessFilter access, string[] ids)
    {
        var map = new Dictionary<string, LinkedDocument>(StringComparer.Ordinal);
        using var cmd = Command(c, null, $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.telegram_number, CASE WHEN {PostgresAccess.VisibleSql("d")} THEN 1 ELSE 0 END
            FROM documents d WHERE d.id = ANY(@ids)
            """);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
        access.AddPostgresParameters(cmd);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetInt32(6) == 1
                ? new LinkedDocument(r.GetString(0), false, r.GetString(1), DayOrNull(r, 2), TextOrNull(r, 3), TextOrNull(r, 4), TextOrNull(r, 5))
                : LinkedDocument.WithheldDocument;
        }
        return map;
    }

    private static bool IsVisibleTo(NpgsqlConnection c, AccessFilter access, string id)
    {
        using var cmd = Command(c, null, $"SELECT 1 FROM documents d WHERE d.id = @id AND {PostgresAccess.VisibleSql("d")}", ("id", id));
        access.AddPostgresParameters(cmd);
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>The body text each document released with excisions shows this reader (see <see cref="ReleasedTexts"/>).</summary>
    private static ReleasedTexts Texts(NpgsqlConnection c, ReaderIdentity reader) => new(reader,
        () =>
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            using var cmd = Command(c, null, "SELECT id FROM documents WHERE release = @r", ("r", (int)ReleaseState.ReleasedWithExcisions));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                set.Add(r.GetString(0));
            }
            return set;
        },
        id => Scalar(c, null, "SELECT json FROM documents WHERE id = @id", ("id", id)) is string json ? DocumentJson.Deserialize(json) : null,
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
        var access = FilterFor(c, null, reader);
        if (!IsVisibleTo(c, access, normal))
        {
            return [];
        }
        var texts = Texts(c, reader);
        var found = new HashSet<string>(StringComparer.Ordinal) { normal };
        var queue = new Queue<string>([normal]);
        using var next = Command(c, null, $"""
            SELECT l.target_id, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.target_id
            WHERE l.source = @id AND l.status = 'resolved' AND {PostgresAccess.VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.source AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            UNION ALL
            SELECT l.source, l.source, l.location, l.evidence FROM links l JOIN documents o ON o.id = l.source
            WHERE l.target_id = @id AND l.status = 'resolved' AND {PostgresAccess.VisibleSql("o")}
              AND (l.kind = 'telegram' OR ((o.type = 'Telegram' OR o.telegram_number IS NOT NULL)
                   AND EXISTS (SELECT 1 FROM documents s WHERE s.id = l.target_id AND (s.type = 'Telegram' OR s.telegram_number IS NOT NULL))))
            """, ("id", ""));
        access.AddPostgresParameters(next);
        while (queue.Count > 0 && found.Count < LinkCounting.MaxThread)
        {
            next.Parameters["id"].Value = queue.Dequeue();
            var rows = new List<(string Other, string Source, string Where, string Evidence)>();
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

    private static (string? Sort, ThreadEntry Entry)? ThreadEntryOf(NpgsqlConnection c, string id, ReaderIdentity reader)
    {
        Document stored;
        ReleaseState release;
        string? sort;
        using (var cmd = Command(c, null, "SELECT json, release, date_min FROM documents WHERE id = @id", ("id", id)))
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
        var prefix = LinkCounting.NormaliseFileText(filePrefix.Trim());
        if (prefix.Length == 0)
        {
            return [];
        }
        using var c = Connect();
        var access = FilterFor(c, null, reader);
        // ILIKE: the embedded archive's LIKE ignores ASCII case ("740.0011 ew")
        using var cmd = Command(c, null, $"""
            SELECT d.id, d.title, d.date_min, d.sender, d.recipient, d.file_numbers FROM documents d
            WHERE ('|' || replace(d.file_numbers, '–', '-')) ILIKE @pattern ESCAPE '\' AND {PostgresAccess.VisibleSql("d")}
            ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
            """, ("pattern", LinkCounting.FilePattern(prefix)));
        access.AddPostgresParameters(cmd);
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
        IndexedPerson? person = null;
        if (personId is not null && Scalar(c, null, "SELECT json FROM people WHERE id = @id", ("id", personId)) is string json)
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
        var access = FilterFor(c, null, reader);
        var texts = Texts(c, reader);
        var surnames = person.Names.Select(PersonName.Parse).OfType<PersonName>().Select(n => n.Surname).Distinct().ToList();
        var rows = new List<(string Role, string Evidence, string Id, string Title, string? Date)>();
        using (var cmd = Command(c, null, $"""
            SELECT pd.role, pd.evidence, d.id, d.title, d.date_min FROM person_documents pd JOIN documents d ON d.id = pd.document
            WHERE pd.person = @p AND {PostgresAccess.VisibleSql("d")}
            ORDER BY d.date_min IS NULL, d.date_min, d.volume, d.seq
            """, ("p", person.Id)))
        {
            access.AddPostgresParameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DayOrNull(r, 4)));
            }
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
        var indexed = Scalar(c, null, "SELECT json FROM people WHERE id = @id", ("id", personId)) is string json
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

    // The decision, its audit line and a stale links state in one transaction: the next read rebuilds the index with it.
    private static void Decide(NpgsqlConnection c, string action, string a, string b, string editor, string reason, string detail)
    {
        using var t = c.BeginTransaction();
        Exec(c, t, "INSERT INTO person_decisions(action, a, b, editor, time, reason) VALUES(@a, @x, @y, @e, @t, @r)",
            ("a", action), ("x", a), ("y", b), ("e", editor), ("t", AuditChain.FormatTime(DateTimeOffset.UtcNow)), ("r", reason));
        AppendAudit(c, t, editor, "person " + action, null, "people", detail);
        Exec(c, t, "UPDATE links_state SET fingerprint = NULL WHERE id = 1");
        t.Commit();
    }

    /// <summary>The index person and a persons-list entry (<c>volume#personId</c>) standing for them.</summary>
    private static (string Person, string Listing) ListingOf(NpgsqlConnection c, string id)
    {
        if (id.Contains('#'))
        {
            if (Scalar(c, null, "SELECT person FROM person_forms WHERE form = @f ORDER BY person LIMIT 1", ("f", id)) is string listed)
            {
                return (listed, id);
            }
        }
        else if (Scalar(c, null, "SELECT json FROM people WHERE id = @id", ("id", id)) is string json)
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

    private static string? FindPersonId(NpgsqlConnection c, string query)
    {
        if (Scalar(c, null, "SELECT id FROM people WHERE id = @q", ("q", query)) is string direct)
        {
            return direct;
        }
        if (Scalar(c, null, "SELECT person FROM person_forms WHERE form = @q ORDER BY person LIMIT 1", ("q", query)) is string byForm)
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
                Scalar(c, null, "SELECT json FROM people WHERE id = @id", ("id", id)) is string json
                && JsonSerializer.Deserialize<IndexedPerson>(json, DocumentJson.Compact)!.Names
                    .Select(PersonName.Parse).OfType<PersonName>().Any(n => n.CompatibleWith(name))).ToList();
        }
        // several namesakes: the one with most documents
        return candidates
            .OrderByDescending(id => Convert.ToInt64(Scalar(c, null, "SELECT count(*) FROM person_documents WHERE person = @p", ("p", id)), CultureInfo.InvariantCulture))
            .ThenBy(id => id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static List<string> PeopleWithForm(NpgsqlConnection c, string form)
    {
        using var cmd = Command(c, null, "SELECT person FROM person_forms WHERE form = @f ORDER BY person", ("f", form));
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    private static Official? LoadOfficial(NpgsqlConnection c, string id) =>
        Scalar(c, null, "SELECT json FROM officials WHERE id = @id", ("id", id)) is string json
            ? JsonSerializer.Deserialize<Official>(json, DocumentJson.Compact)
            : null;

    private static Official? FindOfficial(NpgsqlConnection c, string query)
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
        // officials' ids begin with the surname: harriman-william-averell
        using var cmd = Command(c, null, "SELECT json FROM officials WHERE starts_with(id, @p)", ("p", PeopleIndexBuilder.Slug(name.Surname)));
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
        var access = FilterFor(c, null, reader);
        var texts = Texts(c, reader);
        var documents = new Dictionary<string, (string Title, string? Date)>(StringComparer.Ordinal);
        var parties = new Dictionary<string, string>(StringComparer.Ordinal);
        var wrote = new Dictionary<(string, string), List<string>>();
        using (var cmd = Command(c, null, $"SELECT d.id, d.title, d.date_min, d.sender, d.recipient FROM documents d WHERE {PostgresAccess.VisibleSql("d")} ORDER BY d.volume, d.seq"))
        {
            access.AddPostgresParameters(cmd);
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
        var rows = new List<(string Source, string Target, string Evidence, string Where)>();
        using (var cmd = Command(c, null, "SELECT source, target_id, evidence, location FROM links WHERE status = 'resolved' AND target_id IS NOT NULL ORDER BY seq"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            }
        }
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
        using var read = c.BeginTransaction(IsolationLevel.RepeatableRead);
        var list = LoadOfficials(c, read);
        read.Commit();
        return list;
    }

    /// <inheritdoc />
    public IReadOnlyList<PersonDecisionRecord> ListPersonDecisions()
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT action, a, b, editor, time, reason FROM person_decisions ORDER BY seq");
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
        using var t = c.BeginTransaction();
        Exec(c, t, "DELETE FROM person_decisions");
        foreach (var d in decisions)
        {
            Exec(c, t, "INSERT INTO person_decisions(action, a, b, editor, time, reason) VALUES(@a, @x, @y, @e, @t, @r)",
                ("a", d.Action), ("x", d.A), ("y", d.B), ("e", d.Editor), ("t", d.Time), ("r", d.Reason));
        }
        Exec(c, t, "UPDATE links_state SET fingerprint = NULL WHERE id = 1");
        t.Commit();
    }
}
