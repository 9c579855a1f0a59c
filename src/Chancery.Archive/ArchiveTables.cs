using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;

namespace Chancery.Archive;

/// <summary>
/// What the embedded and the server archive read and write the same way in the tables they both keep (volumes,
/// documents, controls, users, reviews, audit), over <see cref="System.Data.Common"/>: the SQL here is one text that
/// SQLite and PostgreSQL both run (named parameters <c>@name</c>). What differs between them (locking, upserts, column
/// names) stays in each archive and comes in as an argument.
/// </summary>
internal static class ArchiveTables
{
    /// <summary>A command in <paramref name="t"/> with its parameters (<c>@name</c>, which both providers read).</summary>
    public static DbCommand Command(DbConnection c, DbTransaction? t, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            Add(cmd, name, value);
        }
        return cmd;
    }

    /// <summary>
    /// Adds a parameter and returns it, so that a command run many times can set its value each time; a null value is
    /// bound as a null string, so that PostgreSQL can plan <c>@p IS NULL</c>.
    /// </summary>
    public static DbParameter Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        if (value is null)
        {
            p.DbType = DbType.String;
        }
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>Runs a statement in <paramref name="t"/>.</summary>
    public static void Exec(DbConnection c, DbTransaction? t, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        using var cmd = Command(c, t, sql, args);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, null for none or SQL NULL.</summary>
    public static object? Scalar(DbConnection c, DbTransaction? t, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        using var cmd = Command(c, t, sql, args);
        var r = cmd.ExecuteScalar();
        return r is DBNull ? null : r;
    }

    /// <summary>Every row of a query, each made into a <typeparamref name="T"/>.</summary>
    public static List<T> ReadAll<T>(DbConnection c, DbTransaction? t, string sql, Func<DbDataReader, T> row, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        using var cmd = Command(c, t, sql, args);
        return ReadAll(cmd, row);
    }

    /// <summary>Every row <paramref name="cmd"/> returns, each made into a <typeparamref name="T"/>.</summary>
    public static List<T> ReadAll<T>(DbCommand cmd, Func<DbDataReader, T> row)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(row(r));
        }
        return list;
    }

    /// <summary>Accepts <c>vol#d1</c> and the URL form <c>vol/d1</c>.</summary>
    public static string? NormaliseId(string id) =>
        DocumentIds.TrySplit(id.Trim(), out var volume, out var local) ? DocumentIds.Make(volume, local) : null;

    /// <summary>The ingest of <paramref name="volumeId"/> takes only its own documents.</summary>
    public static void EnsureInVolume(Document document, string volumeId)
    {
        if (document.Volume != volumeId)
        {
            throw new ArchiveException($"document {document.Id} belongs to volume {document.Volume}, not {volumeId}");
        }
    }

    // ---- volumes ----------------------------------------------------------------------------------------------

    /// <summary>A volume added to (loose telegrams): the newest source's hash, the bytes of all.</summary>
    public static Volume MergeContents(Volume old, Volume added) => old with
    {
        SourceSha256 = added.SourceSha256,
        SourceBytes = old.SourceBytes + added.SourceBytes,
    };

    /// <summary>
    /// Writes the volume row with counts and a content hash over its documents, inside the ingest transaction, by
    /// <paramref name="upsertSql"/>: the store's insert-or-replace of <c>volumes</c> from <c>@id, @title, @kind, @sha,
    /// @bytes, @time, @count, @hash, @meta</c>.
    /// </summary>
    public static void WriteVolume(DbConnection c, DbTransaction t, Volume volume, string upsertSql)
    {
        // rebuild the contents from what is stored, so loose telegrams appear in their volume's contents
        var contents = volume.SourceKind == "tei" ? volume.Contents : StoredContents(c, t, volume.Id);
        var v = volume with { Contents = contents };
        var (count, hash) = ContentHash(c, t, volume.Id);
        Exec(c, t, upsertSql,
            ("@id", v.Id), ("@title", v.Title), ("@kind", v.SourceKind), ("@sha", v.SourceSha256), ("@bytes", v.SourceBytes),
            ("@time", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("@count", count), ("@hash", hash),
            ("@meta", JsonSerializer.Serialize(v, DocumentJson.Compact)));
    }

    private static List<TocEntry> StoredContents(DbConnection c, DbTransaction t, string volumeId) =>
        ReadAll(c, t, "SELECT id, number, title, date_min FROM documents WHERE volume = @v ORDER BY seq", r =>
        {
            var id = r.GetString(0);
            return new TocEntry(0, "document", id[(id.IndexOf('#') + 1)..], r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), id, r.IsDBNull(3) ? null : r.GetString(3)[..10]);
        }, ("@v", volumeId));

    /// <summary>Number of documents in a volume and a hash over their content hashes in order.</summary>
    public static (int Count, string Hash) ContentHash(DbConnection c, DbTransaction? t, string volumeId)
    {
        using var cmd = Command(c, t, "SELECT id, sha256 FROM documents WHERE volume = @v ORDER BY seq", ("@v", volumeId));
        using var r = cmd.ExecuteReader();
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var n = 0;
        while (r.Read())
        {
            h.AppendData(Encoding.UTF8.GetBytes(r.GetString(0) + " " + r.GetString(1) + "\n"));
            n++;
        }
        return (n, Convert.ToHexStringLower(h.GetHashAndReset()));
    }

    /// <summary>Rows of <c>id, title, count, min date, max date</c> as volume summaries.</summary>
    public static List<VolumeSummary> ReadVolumeSummaries(DbCommand cmd) =>
        ReadAll(cmd, r => new VolumeSummary(r.GetString(0), r.GetString(1), r.GetInt32(2),
            r.IsDBNull(3) ? null : r.GetString(3)[..10], r.IsDBNull(4) ? null : r.GetString(4)[..10]));

    /// <summary>The volume with contents lines for documents the reader may not see dropped: no title, date or number leaks.</summary>
    public static Volume VisibleContents(Volume volume, HashSet<string> visible) =>
        volume with { Contents = volume.Contents.Where(e => e.DocumentId is null || visible.Contains(e.DocumentId)).ToList() };

    /// <summary>The one row of <c>previous id, next id</c>, either null.</summary>
    public static (string? Previous, string? Next) ReadNeighbours(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)) : (null, null);
    }

    // ---- access -----------------------------------------------------------------------------------------------

    /// <summary>The archive's registry of dissemination-control names, each with its bit of the access mask.</summary>
    public static Dictionary<string, int> LoadControls(DbConnection c, DbTransaction? t)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cmd = Command(c, t, "SELECT name, bit FROM controls");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            d[r.GetString(0)] = r.GetInt32(1);
        }
        return d;
    }

    /// <summary>Gives <paramref name="name"/> the next free bit, in the table and in <paramref name="bits"/> (the registry as loaded).</summary>
    public static int RegisterControl(DbConnection c, DbTransaction? t, Dictionary<string, int> bits, string name)
    {
        var bit = bits.Count == 0 ? 0 : bits.Values.Max() + 1;
        if (bit > 62)
        {
            throw new ArchiveException("more than 63 distinct dissemination controls; the archive cannot track more");
        }
        Exec(c, t, "INSERT INTO controls(name, bit) VALUES(@n, @b)", ("@n", name), ("@b", bit));
        bits[name] = bit;
        return bit;
    }

    /// <summary>The reader as SQL parameters: its controls become a mask over this archive's control bits.</summary>
    public static AccessFilter FilterFor(DbConnection c, DbTransaction? t, ReaderIdentity reader)
    {
        long mask = 0;
        if (!reader.IsPublic)
        {
            var bits = LoadControls(c, t);
            mask = reader.Controls.Contains("*") ? -1L : reader.Controls.Where(bits.ContainsKey).Aggregate(0L, (m, n) => m | (1L << bits[n]));
        }
        return new AccessFilter(reader, !reader.IsPublic, reader.Controls.Contains("*") ? int.MaxValue : (int)reader.Clearance, mask);
    }

    /// <summary>
    /// The audit line's detail for a reader shown the original of a document not simply released; null when the
    /// view needs no line.
    /// </summary>
    public static string? OriginalReadDetail(DocumentView? view, ReleaseState release) =>
        view is not null && view.IsOriginal && release != ReleaseState.Released
            ? $"{Markings.Printed(view.Marking.Level)}; {release switch { ReleaseState.ReleasedWithExcisions => "original of a document released with excisions", _ => "withheld document" }}"
            : null;

    /// <summary>The audit line's detail for a search hit on an original: the query, cut to 200 characters.</summary>
    public static string SearchHitDetail(SearchRequest request) => request.Query.Length > 200 ? request.Query[..200] : request.Query;

    // ---- users ------------------------------------------------------------------------------------------------

    /// <summary>All users, by name.</summary>
    public static List<UserAccount> ListUsers(DbConnection c) =>
        ReadUsers(c, "SELECT name, clearance, controls, created, password_hash FROM users ORDER BY name");

    /// <summary>The user named <paramref name="name"/>; null when there is none.</summary>
    public static UserAccount? GetUser(DbConnection c, string name) =>
        ReadUsers(c, "SELECT name, clearance, controls, created, password_hash FROM users WHERE name = @n", ("@n", name)).FirstOrDefault();

    /// <summary>The user a token was issued to; null for a token never issued or of a user removed.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="userColumn">The store's name of the user column of <c>tokens</c>.</param>
    /// <param name="token">The token.</param>
    public static UserAccount? FindUserByToken(DbConnection c, string userColumn, string token) =>
        ReadUsers(c, $"SELECT u.name, u.clearance, u.controls, u.created, u.password_hash FROM users u JOIN tokens k ON k.{userColumn} = u.name WHERE k.hash = @h",
            ("@h", TokenHash(token))).FirstOrDefault();

    private static List<UserAccount> ReadUsers(DbConnection c, string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        ReadAll(c, null, sql, r => new UserAccount(r.GetString(0), (ClassificationLevel)r.GetInt32(1),
            r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.IsDBNull(4) ? null : r.GetString(4)), args);

    /// <summary>A user's row as parameters <c>@n, @c, @k, @t, @p</c>.</summary>
    public static (string, object?)[] UserParameters(UserAccount user) =>
    [
        ("@n", user.Name), ("@c", (int)user.Clearance), ("@k", string.Join(',', user.Controls)),
        ("@t", user.Created.ToString("O", CultureInfo.InvariantCulture)), ("@p", user.PasswordHash),
    ];

    /// <summary>The audit line's detail for a user added.</summary>
    public static string UserAddedDetail(UserAccount user) =>
        $"{user.Name}: {Markings.CommandName(user.Clearance)} [{string.Join(',', user.Controls)}]";

    /// <summary>A new bearer token: 32 random bytes, URL-safe base64 without padding.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored of a token: its SHA-256, never the token.</summary>
    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    // ---- reviews ----------------------------------------------------------------------------------------------

    /// <summary>The latest review of a document, by <c>@id</c>.</summary>
    public const string LatestReviewSql = "SELECT action, excisions FROM reviews WHERE document = @id ORDER BY seq DESC LIMIT 1";

    /// <summary>A review's release state and excisions from its <c>action</c> and <c>excisions</c> columns.</summary>
    public static (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions) ReviewState(string action, string excisionsJson)
    {
        var excisions = JsonSerializer.Deserialize<List<ExciseSpan>>(excisionsJson, DocumentJson.Compact) ?? [];
        var release = action == "withhold" ? ReleaseState.Withheld
            : excisions.Count > 0 ? ReleaseState.ReleasedWithExcisions : ReleaseState.Released;
        return (release, excisions);
    }

    /// <summary>The latest review of a document; null when it has none.</summary>
    public static (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)? LatestReview(DbConnection c, DbTransaction? t, string id)
    {
        using var cmd = Command(c, t, LatestReviewSql, ("@id", id));
        return LatestReview(cmd);
    }

    /// <summary>The latest review that <paramref name="cmd"/> (<see cref="LatestReviewSql"/>, prepared) reads; null when none.</summary>
    public static (ReleaseState Release, IReadOnlyList<ExciseSpan> Excisions)? LatestReview(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReviewState(r.GetString(0), r.GetString(1)) : null;
    }

    /// <summary>Search rows for a document: one text for all, or released and original texts when a review cut some.</summary>
    public static List<(SearchView View, Document Doc)> SearchViews(Document stored, ReleaseState release, IReadOnlyList<ExciseSpan> excisions) =>
        release == ReleaseState.ReleasedWithExcisions && excisions.Count > 0
            ? [(SearchView.Public, AccessView.CutExcisions(stored, excisions)), (SearchView.Original, stored)]
            : [(SearchView.All, stored)];

    /// <summary>
    /// Records a review decision on a stored document inside the caller's transaction: its line in <c>reviews</c> and
    /// the document's release state. Null when there is no such document or the reviewer is not cleared for it (who
    /// then learns nothing, not even that it exists); an <see cref="ArchiveException"/> when the excisions do not fit.
    /// The caller replaces the document's search rows and appends the audit line.
    /// </summary>
    public static AppliedReview? ApplyReview(DbConnection c, DbTransaction t, string id, ReviewDecision decision, UserAccount reviewer)
    {
        long key;
        Document stored;
        using (var cmd = Command(c, t, "SELECT key, json FROM documents WHERE id = @id", ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            key = r.GetInt64(0);
            stored = DocumentJson.Deserialize(r.GetString(1));
        }
        if (!reviewer.Identity.MayReadOriginal(stored.Marking))
        {
            return null;
        }
        var excisions = decision.Action == ReviewAction.Release ? decision.Excisions : [];
        if (AccessView.Validate(stored, excisions) is { } problem)
        {
            throw new ArchiveException(problem);
        }
        var release = decision.Action == ReviewAction.Withhold ? ReleaseState.Withheld
            : excisions.Count > 0 ? ReleaseState.ReleasedWithExcisions : ReleaseState.Released;
        var now = DateTimeOffset.UtcNow;
        Exec(c, t, "INSERT INTO reviews(document, action, excisions, reason, reviewer, time) VALUES(@d, @a, @e, @r, @u, @t)",
            ("@d", id), ("@a", decision.Action == ReviewAction.Release ? "release" : "withhold"),
            ("@e", JsonSerializer.Serialize(excisions, DocumentJson.Compact)), ("@r", decision.Reason), ("@u", reviewer.Name),
            ("@t", now.ToString("O", CultureInfo.InvariantCulture)));
        Exec(c, t, "UPDATE documents SET release = @r WHERE key = @k", ("@r", (int)release), ("@k", key));
        return new AppliedReview(key, stored, release, new ReviewRecord(id, decision.Action, excisions, decision.Reason, reviewer.Name, now));
    }

    /// <summary>The reviews of a document for a reader cleared for its original; none for anyone else.</summary>
    public static List<ReviewRecord> ListReviews(DbConnection c, DbTransaction? t, string id, ReaderIdentity reader)
    {
        if (Scalar(c, t, "SELECT json FROM documents WHERE id = @id", ("@id", id)) is not string json
            || !reader.MayReadOriginal(DocumentJson.Deserialize(json).Marking))
        {
            return [];
        }
        using var cmd = Command(c, t, "SELECT action, excisions, reason, reviewer, time FROM reviews WHERE document = @id ORDER BY seq", ("@id", id));
        using var r = cmd.ExecuteReader();
        var list = new List<ReviewRecord>();
        while (r.Read())
        {
            list.Add(new ReviewRecord(id, r.GetString(0) == "release" ? ReviewAction.Release : ReviewAction.Withhold,
                JsonSerializer.Deserialize<List<ExciseSpan>>(r.GetString(1), DocumentJson.Compact) ?? [], r.GetString(2), r.GetString(3),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture)));
        }
        return list;
    }

    // ---- audit ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Appends one hash-chained line after the last one, in the caller's transaction, which must keep other writers of
    /// the audit out until it ends. <paramref name="userColumn"/> is the store's name of the user column.
    /// </summary>
    public static void AppendAudit(DbConnection c, DbTransaction t, string userColumn, string user, string action, string? document, string surface, string detail)
    {
        string prev;
        long seq;
        using (var cmd = Command(c, t, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        using (var r = cmd.ExecuteReader())
        {
            (seq, prev) = r.Read() ? (r.GetInt64(0) + 1, r.GetString(1)) : (1L, AuditChain.Genesis);
        }
        var time = DateTimeOffset.UtcNow;
        var hash = AuditChain.Hash(prev, seq, time, user, action, document, surface, detail);
        Exec(c, t, $"INSERT INTO audit(seq, time, {userColumn}, action, document, surface, detail, prev_hash, hash) VALUES(@s, @t, @u, @a, @d, @f, @x, @p, @h)",
            ("@s", seq), ("@t", AuditChain.FormatTime(time)), ("@u", user), ("@a", action), ("@d", document), ("@f", surface), ("@x", detail), ("@p", prev), ("@h", hash));
    }

    /// <summary>The latest <paramref name="limit"/> lines (at least one), oldest first, of a user, of a document, or of all.</summary>
    public static List<AuditEntry> ListAudit(DbConnection c, string userColumn, string? user, string? documentId, int limit)
    {
        using var cmd = Command(c, null, $"""
            SELECT seq, time, {userColumn}, action, document, surface, detail, prev_hash, hash FROM audit
            WHERE (@u IS NULL OR {userColumn} = @u) AND (@d IS NULL OR document = @d) ORDER BY seq DESC LIMIT @l
            """,
            ("@u", user), ("@d", documentId is null ? null : NormaliseId(documentId) ?? documentId), ("@l", Math.Max(1, limit)));
        var list = ReadAudit(cmd);
        list.Reverse();
        return list;
    }

    /// <summary>The whole audit trail checked against its hash chain.</summary>
    public static AuditVerification VerifyAudit(DbConnection c, DbTransaction? t, string userColumn)
    {
        using var cmd = Command(c, t, $"SELECT seq, time, {userColumn}, action, document, surface, detail, prev_hash, hash FROM audit ORDER BY seq");
        return AuditChain.Verify(ReadAudit(cmd));
    }

    private static List<AuditEntry> ReadAudit(DbCommand cmd) =>
        ReadAll(cmd, r => new AuditEntry(r.GetInt64(0), AuditChain.ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8)));

    // ---- check ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Checks what Chancery wrote of volumes and documents: each volume's count and content hash against those recorded
    /// at ingest, each document's hash against its JSON, documents of no volume. Adds what it finds to
    /// <paramref name="problems"/>; returns the volumes and documents counted.
    /// </summary>
    public static (int Volumes, int Documents) CheckDocuments(DbConnection c, DbTransaction? t, List<string> problems)
    {
        var volumes = ReadAll(c, t, "SELECT id, document_count, content_hash FROM volumes ORDER BY id", r => (Id: r.GetString(0), Count: r.GetInt32(1), Hash: r.GetString(2)));
        var documents = 0;
        foreach (var (id, count, hash) in volumes)
        {
            var (n, h) = ContentHash(c, t, id);
            documents += n;
            if (n != count)
            {
                problems.Add($"volume {id}: {n} documents stored, {count} recorded");
            }
            else if (h != hash)
            {
                problems.Add($"volume {id}: content hash differs from the one recorded at ingest");
            }
        }
        using (var cmd = Command(c, t, "SELECT id, json, sha256 FROM documents"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.GetString(1))));
                if (sha != r.GetString(2))
                {
                    problems.Add($"document {r.GetString(0)}: content hash differs");
                }
            }
        }
        if (Convert.ToInt64(Scalar(c, t, "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM volumes v WHERE v.id = d.volume)"), CultureInfo.InvariantCulture) is var orphans and > 0)
        {
            problems.Add($"{orphans} documents belong to no volume");
        }
        return (volumes.Count, documents);
    }
}

/// <summary>A review decision recorded by <see cref="ArchiveTables.ApplyReview"/>, for the caller's search rows and audit line.</summary>
/// <param name="Key">The document's row key.</param>
/// <param name="Stored">The document as stored.</param>
/// <param name="Release">Its release state now.</param>
/// <param name="Record">The review as recorded.</param>
internal sealed record AppliedReview(long Key, Document Stored, ReleaseState Release, ReviewRecord Record)
{
    /// <summary>The audit line's action.</summary>
    public string AuditAction => "review " + (Record.Action == ReviewAction.Release ? "release" : "withhold");

    /// <summary>The audit line's detail: the excisions and the reason.</summary>
    public string AuditDetail => $"{string.Join(' ', Record.Excisions)}; reason: {Record.Reason}".Trim();
}
