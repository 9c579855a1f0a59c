using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chancery.Archive;

/// <summary>
/// An archive that can be copied whole into another backend (<c>chancery copy</c>): both the embedded and the server
/// archive implement it. The kept tables (volumes, documents, users, tokens, reviews, audit, officials, the editors'
/// person decisions) travel as stored; what is derived from them (search rows, the link graph, the person index) is
/// built again by the destination.
/// </summary>
public interface IArchiveCopy
{
    /// <summary>A consistent read of everything the archive keeps, in one snapshot; dispose it to end the read.</summary>
    ArchiveSnapshot OpenSnapshot();
}

/// <summary>A volume row as stored.</summary>
public sealed record StoredVolume(string Id, string Title, string Kind, string Sha256, long Bytes, string Ingested, int DocumentCount, string ContentHash, string Meta);

/// <summary>A document as stored: its place in the volume and its JSON, the exact text its SHA-256 is taken over.</summary>
public sealed record StoredDocument(string Id, int Seq, string Json);

/// <summary>One line of the comparison of a source and its copy: a table, its rows on both sides and their digests.</summary>
public sealed record CopyCheck(string Table, long SourceRows, long TargetRows, string SourceDigest, string TargetDigest)
{
    /// <summary>True when both sides hold the same rows.</summary>
    public bool Ok => SourceRows == TargetRows && SourceDigest == TargetDigest;
}

/// <summary>Row counts and content digests of an archive's tables, and any inconsistency found while taking them.</summary>
public sealed record ArchiveFingerprint(IReadOnlyList<(string Table, long Rows, string Digest)> Tables, IReadOnlyList<string> Problems)
{
    /// <summary>Compares this (the source) with <paramref name="target"/>, table by table.</summary>
    public IReadOnlyList<CopyCheck> Compare(ArchiveFingerprint target) =>
        Tables.Select(s =>
        {
            var t = target.Tables.FirstOrDefault(x => x.Table == s.Table);
            return new CopyCheck(s.Table, s.Rows, t.Table is null ? -1 : t.Rows, s.Digest, t.Digest ?? "");
        }).ToList();
}

/// <summary>
/// One consistent read of an archive's kept tables (a read transaction held until disposed). The two backends'
/// tables mirror each other column for column, so one reader over <see cref="DbConnection"/> serves both; only the
/// name of the user column differs (<c>user</c> in SQLite, <c>user_name</c> in PostgreSQL, where <c>user</c> is reserved).
/// </summary>
public sealed class ArchiveSnapshot : IDisposable
{
    private readonly DbConnection _c;
    private readonly DbTransaction _t;
    private readonly bool _owns;
    private readonly string _user;
    private readonly IReadOnlyList<string> _cableTables;
    private readonly Func<ArchiveSnapshot, LinkReport>? _links;
    private readonly Func<string?>? _changed;
    private readonly IDisposable? _owner;

    /// <param name="c">An open connection.</param>
    /// <param name="t">A transaction on it that sees one snapshot (SQLite: any read transaction; PostgreSQL: REPEATABLE READ).</param>
    /// <param name="location">Where the archive lives, for messages.</param>
    /// <param name="userColumn">The name of the user column of <c>tokens</c> and <c>audit</c>.</param>
    /// <param name="owns">True to dispose the connection and transaction with the snapshot.</param>
    /// <param name="cableTables">Tables of the cable office this backend has, which a copy does not carry.</param>
    /// <param name="links">The backend's links rebuild without its write, for <see cref="BuildLinks"/>.</param>
    /// <param name="changed">
    /// Why the archive can no longer be trusted to be what this snapshot began reading (null: it can), for a read that
    /// holds no lock (see <see cref="RequireUnchanged"/>).
    /// </param>
    /// <param name="owner">Disposed after the connection when the snapshot owns it (the read's own handle on the archive).</param>
    internal ArchiveSnapshot(DbConnection c, DbTransaction t, string location, string userColumn, bool owns, IReadOnlyList<string> cableTables,
        Func<ArchiveSnapshot, LinkReport>? links = null, Func<string?>? changed = null, IDisposable? owner = null)
    {
        _c = c;
        _t = t;
        _owns = owns;
        _user = userColumn;
        _cableTables = cableTables;
        _links = links;
        _changed = changed;
        _owner = owner;
        Location = location;
    }

    /// <summary>Where the archive lives.</summary>
    public string Location { get; }

    internal DbConnection Connection => _c;

    internal DbTransaction Transaction => _t;

    internal string UserColumn => _user;

    /// <summary>
    /// The volumes in the order their documents were stored (by the key of each one's first document; then by id). A
    /// copy writes them in this order, so its documents' keys keep the source's order, and equal scores, broken by the
    /// document key, rank the hits of the copy as in the source. Each row is read when the enumeration reaches it: a
    /// volume's meta (its table of contents, ~100 KB) is held for that volume only, not for all 3,152 of the 1M archive.
    /// </summary>
    public IEnumerable<StoredVolume> Volumes()
    {
        var ids = new List<string>();
        // one probe of the (volume, seq) index per volume: a min(key) over each volume's documents fetched all 1M rows
        // at random and outran the command timeout inside a copy's transaction
        using (var cmd = Command("SELECT id FROM volumes v ORDER BY coalesce((SELECT d.key FROM documents d WHERE d.volume = v.id ORDER BY d.seq LIMIT 1), 0), id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }
        // read before each yield, so the caller may run its own commands on the connection in between
        foreach (var id in ids)
        {
            yield return Volume(id);
        }
    }

    /// <summary>
    /// The links and person index a rebuild of this archive would write, computed in memory from this snapshot by the
    /// archive's own rebuild code and written nowhere: a copy compares them with what its destination builds without
    /// writing into its source.
    /// </summary>
    /// <exception cref="InvalidOperationException">A snapshot of a destination, which has no rebuild to run.</exception>
    public LinkReport BuildLinks() =>
        (_links ?? throw new InvalidOperationException($"the snapshot of {Location} does not build links"))(this);

    /// <summary>
    /// Throws when the archive was written to since this snapshot began and the snapshot could not hold its view still:
    /// an embedded archive read without a write-ahead log (so without locks, writing nothing) is checked by its file.
    /// A copy calls it before it makes its destination appear.
    /// </summary>
    /// <exception cref="ArchiveException">The archive changed while it was read.</exception>
    public void RequireUnchanged()
    {
        if (_changed?.Invoke() is { } why)
        {
            throw new ArchiveException($"the archive at {Location} changed while it was copied ({why}); nothing was copied: copy it again once nothing writes to it");
        }
    }

    private StoredVolume Volume(string id)
    {
        using var cmd = Command("SELECT id, title, kind, sha256, bytes, ingested, document_count, content_hash, meta FROM volumes WHERE id = @v", ("@v", id));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            throw new ArchiveException($"volume {id} of {Location} is gone from its own snapshot");
        }
        return new StoredVolume(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Long(r, 4), r.GetString(5),
            (int)Long(r, 6), r.GetString(7), r.GetString(8));
    }

    /// <summary>A volume's documents in the order they were stored (by key: a telegram added later keeps its place but not its key).</summary>
    public IEnumerable<StoredDocument> Documents(string volumeId)
    {
        using var cmd = Command("SELECT id, seq, json FROM documents WHERE volume = @v ORDER BY key", ("@v", volumeId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return new StoredDocument(r.GetString(0), (int)Long(r, 1), r.GetString(2));
        }
    }

    /// <summary>
    /// The cable office's tables that hold rows, with their row counts: the cable office lives only in the embedded
    /// archive and a copy does not carry it, so a copy refuses a source that has any.
    /// </summary>
    public IReadOnlyList<(string Table, long Rows)> CableTraffic()
    {
        var list = new List<(string, long)>();
        foreach (var table in _cableTables)
        {
            if (Convert.ToInt64(Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @n", ("@n", table)), CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }
            var rows = Convert.ToInt64(Scalar($"SELECT count(*) FROM {table}"), CultureInfo.InvariantCulture);
            if (rows > 0)
            {
                list.Add((table, rows));
            }
        }
        return list;
    }

    /// <summary>What the archive holds already, as "3 volumes, 2 users"; null when it holds nothing a copy would write.</summary>
    public string? Contents()
    {
        var parts = new List<string>();
        foreach (var table in KeptTables)
        {
            var n = Convert.ToInt64(Scalar($"SELECT count(*) FROM {table}"), CultureInfo.InvariantCulture);
            if (n > 0)
            {
                parts.Add($"{n.ToString(CultureInfo.InvariantCulture)} {table.Replace('_', ' ')}");
            }
        }
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static readonly string[] KeptTables = ["volumes", "documents", "users", "tokens", "reviews", "audit", "officials", "person_decisions"];

    /// <summary>
    /// Row counts and SHA-256 digests of every kept table (rows in key order, fields separated by U+001F), plus the
    /// derived search rows and control names by count and names. Problems: a document whose stored SHA-256 is not
    /// that of its JSON, a volume whose recorded count or content hash disagrees with its documents, a broken audit chain.
    /// </summary>
    public ArchiveFingerprint Fingerprint()
    {
        var tables = new List<(string, long, string)>();
        var problems = new List<string>();
        tables.Add(Digest("volumes", "SELECT id, title, kind, sha256, bytes, ingested, document_count, content_hash, meta FROM volumes ORDER BY id"));
        tables.Add(DocumentsDigest(problems));
        tables.Add(Digest("search rows", "SELECT doc_id, view FROM (SELECT d.id AS doc_id, s.view AS view FROM search_rows s JOIN documents d ON d.key = s.doc) x ORDER BY doc_id, view"));
        tables.Add(Digest("controls", "SELECT name FROM controls ORDER BY name"));
        tables.Add(Digest("users", "SELECT name, clearance, controls, created, password_hash FROM users ORDER BY name"));
        tables.Add(Digest("tokens", $"SELECT hash, {_user}, created FROM tokens ORDER BY hash"));
        tables.Add(Digest("reviews", "SELECT seq, document, action, excisions, reason, reviewer, time FROM reviews ORDER BY seq"));
        tables.Add(AuditDigest(problems));
        tables.Add(Digest("officials", "SELECT id, json FROM officials ORDER BY id"));
        tables.Add(Digest("person decisions", "SELECT seq, action, a, b, editor, time, reason FROM person_decisions ORDER BY seq"));
        return new ArchiveFingerprint(tables, problems);
    }

    private (string, long, string) Digest(string table, string sql)
    {
        using var cmd = Command(sql);
        using var r = cmd.ExecuteReader();
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long n = 0;
        while (r.Read())
        {
            h.AppendData(Encoding.UTF8.GetBytes(Line(r)));
            n++;
        }
        return (table, n, Convert.ToHexStringLower(h.GetHashAndReset()));
    }

    // every field as invariant text (integers are long in SQLite, int or long in PostgreSQL: the text is the same)
    private static string Line(DbDataReader r)
    {
        var s = new StringBuilder();
        for (var i = 0; i < r.FieldCount; i++)
        {
            s.Append(r.IsDBNull(i) ? "\u0000" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001f');
        }
        return s.Append('\n').ToString();
    }

    // SHA-256 of each document's JSON, taken here rather than read from the sha256 column: the digest covers what is stored
    private (string, long, string) DocumentsDigest(List<string> problems)
    {
        // the recorded count and content hash of each volume, without its meta
        var recorded = new Dictionary<string, (int DocumentCount, string ContentHash)>(StringComparer.Ordinal);
        using (var volumes = Command("SELECT id, document_count, content_hash FROM volumes"))
        using (var v = volumes.ExecuteReader())
        {
            while (v.Read())
            {
                recorded[v.GetString(0)] = ((int)Long(v, 1), v.GetString(2));
            }
        }
        using var cmd = Command("SELECT id, volume, seq, release, level, json, sha256 FROM documents ORDER BY volume, seq");
        using var r = cmd.ExecuteReader();
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var volume = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? current = null;
        var inVolume = 0;
        long n = 0;
        void EndVolume()
        {
            var hash = Convert.ToHexStringLower(volume.GetHashAndReset());
            if (current is null)
            {
                return;
            }
            if (!recorded.Remove(current, out var v))
            {
                problems.Add($"{inVolume} documents belong to volume {current}, which is not recorded");
            }
            else if (v.DocumentCount != inVolume || v.ContentHash != hash)
            {
                problems.Add($"volume {current}: its documents do not match the count and content hash recorded at ingest");
            }
        }
        while (r.Read())
        {
            var id = r.GetString(0);
            var vol = r.GetString(1);
            if (vol != current)
            {
                EndVolume();
                current = vol;
                inVolume = 0;
            }
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.GetString(5))));
            if (sha != r.GetString(6))
            {
                problems.Add($"document {id}: its stored SHA-256 is not that of its JSON");
            }
            all.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', id, vol, Long(r, 2).ToString(CultureInfo.InvariantCulture),
                Long(r, 3).ToString(CultureInfo.InvariantCulture), Long(r, 4).ToString(CultureInfo.InvariantCulture), sha) + "\n"));
            // as the archives compute a volume's content hash at ingest
            volume.AppendData(Encoding.UTF8.GetBytes(id + " " + sha + "\n"));
            inVolume++;
            n++;
        }
        EndVolume();
        foreach (var (id, v) in recorded.Where(v => v.Value.DocumentCount > 0))
        {
            problems.Add($"volume {id}: {v.DocumentCount} documents recorded, none stored");
        }
        return ("documents", n, Convert.ToHexStringLower(all.GetHashAndReset()));
    }

    // the whole chain is checked line by line as it is read; the digest is the head: the last line's hash
    private (string, long, string) AuditDigest(List<string> problems)
    {
        using var cmd = Command($"SELECT seq, time, {_user}, action, document, surface, detail, prev_hash, hash FROM audit ORDER BY seq");
        using var r = cmd.ExecuteReader();
        var previous = AuditChain.Genesis;
        long expected = 1;
        var broken = false;
        while (r.Read())
        {
            var e = new AuditEntry(Long(r, 0), AuditChain.ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8));
            if (!broken && (e.Sequence != expected || e.PreviousHash != previous
                || AuditChain.Hash(e.PreviousHash, e.Sequence, e.Time, e.User, e.Action, e.DocumentId, e.Surface, e.Detail) != e.Hash))
            {
                problems.Add($"audit: the hash chain breaks at line {e.Sequence}");
                broken = true;
            }
            previous = e.Hash;
            expected++;
        }
        return ("audit", expected - 1, previous);
    }

    private static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private DbCommand Command(string sql, params (string Name, object? Value)[] args) => ArchiveTables.Command(_c, _t, sql, args);

    private object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, args);
        return cmd.ExecuteScalar();
    }

    /// <summary>
    /// Writes the kept tables other than volumes and documents (users, tokens, reviews, audit, officials, person
    /// decisions) into <paramref name="c"/> as they are stored here, keys and times included, inside <paramref name="t"/>.
    /// No audit line is written: the copied trail holds the original ones, and its hash chain stays whole.
    /// </summary>
    internal void WriteKept(DbConnection c, DbTransaction t, string userColumn)
    {
        CopyRows(c, t, "SELECT name, clearance, controls, created, password_hash FROM users ORDER BY name",
            "INSERT INTO users(name, clearance, controls, created, password_hash) VALUES(@p0, @p1, @p2, @p3, @p4)");
        CopyRows(c, t, $"SELECT hash, {_user}, created FROM tokens ORDER BY hash",
            $"INSERT INTO tokens(hash, {userColumn}, created) VALUES(@p0, @p1, @p2)");
        CopyRows(c, t, "SELECT seq, document, action, excisions, reason, reviewer, time FROM reviews ORDER BY seq",
            "INSERT INTO reviews(seq, document, action, excisions, reason, reviewer, time) VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6)");
        CopyRows(c, t, $"SELECT seq, time, {_user}, action, document, surface, detail, prev_hash, hash FROM audit ORDER BY seq",
            $"INSERT INTO audit(seq, time, {userColumn}, action, document, surface, detail, prev_hash, hash) VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)");
        CopyRows(c, t, "SELECT id, json FROM officials ORDER BY id", "INSERT INTO officials(id, json) VALUES(@p0, @p1)");
        CopyRows(c, t, "SELECT seq, action, a, b, editor, time, reason FROM person_decisions ORDER BY seq",
            "INSERT INTO person_decisions(seq, action, a, b, editor, time, reason) VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6)");
    }

    /// <summary>Writes a volume row as stored here, after its documents.</summary>
    internal static void WriteVolume(DbConnection c, DbTransaction t, StoredVolume v)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = """
            INSERT INTO volumes(id, title, kind, sha256, bytes, ingested, document_count, content_hash, meta)
            VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)
            """;
        object?[] values = [v.Id, v.Title, v.Kind, v.Sha256, v.Bytes, v.Ingested, v.DocumentCount, v.ContentHash, v.Meta];
        for (var i = 0; i < values.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = values[i];
            cmd.Parameters.Add(p);
        }
        cmd.ExecuteNonQuery();
    }

    private void CopyRows(DbConnection c, DbTransaction t, string select, string insert)
    {
        using var read = Command(select);
        using var r = read.ExecuteReader();
        using var write = c.CreateCommand();
        write.Transaction = t;
        write.CommandText = insert;
        var parameters = new DbParameter[r.FieldCount];
        for (var i = 0; i < r.FieldCount; i++)
        {
            parameters[i] = write.CreateParameter();
            parameters[i].ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            write.Parameters.Add(parameters[i]);
        }
        while (r.Read())
        {
            for (var i = 0; i < r.FieldCount; i++)
            {
                // integers as long on both sides; PostgreSQL narrows them to the column's type on insert
                var value = r.GetValue(i);
                parameters[i].ResetDbType();
                parameters[i].Value = value is int n ? (long)n : value;
                if (value is DBNull)
                {
                    // a null typed as text: every nullable kept column is text on both backends
                    parameters[i].DbType = System.Data.DbType.String;
                }
            }
            write.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        if (_owns)
        {
            try
            {
                _t.Dispose();
            }
            finally
            {
                try
                {
                    _c.Dispose();
                }
                finally
                {
                    _owner?.Dispose();
                }
            }
        }
    }
}

/// <summary>The gate of a copy: the destination is made visible only when it matches its source.</summary>
public static class ArchiveCopyCheck
{
    /// <summary>
    /// Compares a source's fingerprint with that of what was written to <paramref name="target"/> and returns the
    /// comparison; throws <see cref="CopyMismatchException"/> (with the comparison) when a table differs or either side
    /// reports a problem, so the caller discards what it wrote.
    /// </summary>
    public static IReadOnlyList<CopyCheck> Require(ArchiveFingerprint source, ArchiveFingerprint written, string target)
    {
        var checks = source.Compare(written);
        var problems = source.Problems.Select(p => "source: " + p).Concat(written.Problems.Select(p => "copy: " + p))
            .Concat(checks.Where(c => !c.Ok).Select(c => $"{c.Table}: {c.SourceRows} rows in the source, {c.TargetRows} in the copy{(c.SourceRows == c.TargetRows ? ", contents differ" : "")}"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new CopyMismatchException($"the copy to {target} does not match its source ({problems[0]}{(problems.Count > 1 ? $"; {problems.Count - 1} more" : "")}); nothing was written", checks, problems);
        }
        return checks;
    }
}

/// <summary>A copy whose verification failed; nothing was written to the destination.</summary>
public sealed class CopyMismatchException(string message, IReadOnlyList<CopyCheck> checks, IReadOnlyList<string> problems) : Exception(message)
{
    /// <summary>The comparison, table by table.</summary>
    public IReadOnlyList<CopyCheck> Checks { get; } = checks;

    /// <summary>Every difference and problem found.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
