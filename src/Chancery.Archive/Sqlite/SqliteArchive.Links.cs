using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Links;
using Chancery.Core.Access;
using Chancery.Core.Export;
using Chancery.Core.People;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Links, threads, the decimal file and people over the embedded archive, answered by the links store both archives
/// share (<see cref="LinkStore{TConnection, TTransaction}"/>). The link graph and the person index are derived
/// tables: built from the stored documents by <see cref="RebuildLinks"/>, stamped with a fingerprint of what was
/// stored (volumes, their content hashes and ingest times, the officials), and rebuilt by the first read that finds
/// the fingerprint changed. Access is applied at read time, like everywhere else.
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

    private SqliteLinkStore? _links;

    // made on first use: a field initialiser cannot pass `this`, and the constructor is not this file's
    private SqliteLinkStore Links => _links ?? LazyInitializer.EnsureInitialized(ref _links, () => new SqliteLinkStore(this));

    /// <inheritdoc />
    public LinkReport RebuildLinks() => Links.RebuildLinks();

    /// <inheritdoc />
    public IReadOnlyList<VolumeLinkReport> ReportLinks(ReaderIdentity reader) => Links.ReportLinks(reader);

    /// <inheritdoc />
    public void ImportOfficials(IReadOnlyList<Official> officials) => Links.ImportOfficials(officials);

    /// <inheritdoc />
    public DocumentLinks? LinksOf(string id, ReaderIdentity reader) => Links.LinksOf(id, reader);

    /// <inheritdoc />
    public IReadOnlyList<ThreadEntry> GetThread(string id, ReaderIdentity reader) => Links.GetThread(id, reader);

    /// <inheritdoc />
    public IReadOnlyList<FiledDocument> DocumentsInFile(string filePrefix, ReaderIdentity reader) => Links.DocumentsInFile(filePrefix, reader);

    /// <inheritdoc />
    public PersonProfile? GetPerson(string nameOrId, ReaderIdentity reader) => Links.GetPerson(nameOrId, reader);

    /// <inheritdoc />
    public string MergePersons(string a, string b, string editor, string reason) => Links.MergePersons(a, b, editor, reason);

    /// <inheritdoc />
    public void SplitPerson(string person, string listing, string editor, string reason) => Links.SplitPerson(person, listing, editor, reason);

    /// <inheritdoc />
    public string ExportGraph(ReaderIdentity reader, string format) => Links.ExportGraph(reader, format);

    /// <inheritdoc />
    public IReadOnlyList<Official> ListOfficials() => Links.ListOfficials();

    /// <inheritdoc />
    public IReadOnlyList<PersonDecisionRecord> ListPersonDecisions() => Links.ListPersonDecisions();

    /// <inheritdoc />
    public void ReplacePersonDecisions(IReadOnlyList<PersonDecisionRecord> decisions) => Links.ReplacePersonDecisions(decisions);

    /// <summary>
    /// What the embedded archive does its own way: the links state and the officials' version are rows of
    /// <c>meta</c>, one rebuild runs at a time in this process (SQLite has one writer anyway), the derived tables are
    /// written through prepared inserts, and the access predicate and id lists are SQLite's.
    /// </summary>
    private sealed class SqliteLinkStore(SqliteArchive archive) : LinkStore<SqliteConnection, SqliteTransaction>
    {
        private readonly object _rebuild = new();
        private bool _schemaReady;

        protected override SqliteConnection Connect() => archive.Connect();

        /// <summary>The links a rebuild would write, from the caller's transaction, written nowhere.</summary>
        internal static LinkReport BuildIn(SqliteConnection c, SqliteTransaction t) => Build(c, t, JsonBlob);

        protected override SqliteTransaction BeginWrite(SqliteConnection c) => BeginImmediate(c);

        // WAL: a deferred transaction reads one snapshot
        protected override SqliteTransaction BeginSnapshot(SqliteConnection c) => c.BeginTransaction(deferred: true);

        protected override void EnsureSchema(SqliteConnection c)
        {
            if (_schemaReady)
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
                    MarkStale(c, t);
                }
                t.Commit();
            }
            _schemaReady = true;
        }

        protected override long? ChangeMarker() => archive.ChangeMarker();

        protected override string? StoredFingerprint(SqliteConnection c) => Meta(c, null, LinksStateKey);

        protected override void StampFingerprint(SqliteConnection c, SqliteTransaction t, string fingerprint) => SetMeta(c, t, LinksStateKey, fingerprint);

        protected override void MarkStale(SqliteConnection c, SqliteTransaction t) => Exec(c, t, "DELETE FROM meta WHERE key = $k", ("$k", LinksStateKey));

        protected override string FingerprintTail(SqliteConnection c, SqliteTransaction? t) => "officials " + (Meta(c, t, OfficialsVersionKey) ?? "0");

        protected override void SetOfficialsVersion(SqliteConnection c, SqliteTransaction t, string version) => SetMeta(c, t, OfficialsVersionKey, version);

        private static string? Meta(SqliteConnection c, SqliteTransaction? t, string key) =>
            Scalar(c, t, "SELECT value FROM meta WHERE key = $k", ("$k", key)) as string;

        private static void SetMeta(SqliteConnection c, SqliteTransaction t, string key, string value) =>
            Exec(c, t, "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)", ("$k", key), ("$v", value));

        protected override bool TakeRebuildLock(SqliteConnection c, bool wait)
        {
            if (wait)
            {
                Monitor.Enter(_rebuild);
                return true;
            }
            return Monitor.TryEnter(_rebuild);
        }

        protected override void ReleaseRebuildLock(SqliteConnection c) => Monitor.Exit(_rebuild);

        protected override void WriteLinks(SqliteConnection c, SqliteTransaction t, List<ResolvedLink> links)
        {
            Exec(c, t, "DELETE FROM links");
            using var insert = c.CreateCommand();
            insert.Transaction = t;
            insert.CommandText = """
                INSERT INTO links(source, kind, target, target_id, status, candidates, reason, evidence, location, cited_date, explicit)
                VALUES($s, $k, $t, $tid, $st, $c, $r, $e, $w, $d, $x)
                """;
            var p = Parameters(insert, "$s", "$k", "$t", "$tid", "$st", "$c", "$r", "$e", "$w", "$d", "$x");
            insert.Prepare();
            foreach (var l in links)
            {
                p[0].Value = l.SourceId;
                p[1].Value = LinkCounting.KindName(l.Kind);
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

        protected override void WritePeople(SqliteConnection c, SqliteTransaction t, PeopleIndex index)
        {
            Exec(c, t, "DELETE FROM people; DELETE FROM person_forms; DELETE FROM person_documents;");
            using var person = c.CreateCommand();
            person.Transaction = t;
            person.CommandText = "INSERT INTO people(id, name, official, json) VALUES($id, $n, $o, $j)";
            var pp = Parameters(person, "$id", "$n", "$o", "$j");
            using var form = c.CreateCommand();
            form.Transaction = t;
            form.CommandText = "INSERT OR IGNORE INTO person_forms(form, person) VALUES($f, $p)";
            var fp = Parameters(form, "$f", "$p");
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
            var dp = Parameters(doc, "$p", "$d", "$r", "$e");
            foreach (var row in index.Documents)
            {
                dp[0].Value = row.Person;
                dp[1].Value = row.Document;
                dp[2].Value = row.Role;
                dp[3].Value = row.Evidence;
                doc.ExecuteNonQuery();
            }
        }

        // the parameters of an insert run once a row, in the order named
        private static SqliteParameter[] Parameters(SqliteCommand insert, params string[] names) =>
            names.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();

        protected override AccessFilter FilterFor(SqliteConnection c, ReaderIdentity reader) => archive.FilterFor(c, reader);

        protected override string VisibleSql(string alias) => AccessFilter.VisibleSql(alias);

        protected override void AddAccess(DbCommand cmd, AccessFilter access) => access.AddParameters(cmd);

        protected override string? NormaliseId(string id) => SqliteArchive.NormaliseId(id);

        protected override IReadOnlyList<ExciseSpan> LatestExcisions(SqliteConnection c, string id) => LatestReview(c, null, id)?.Excisions ?? [];

        protected override void AppendAudit(SqliteConnection c, SqliteTransaction t, string user, string action, string? document, string surface, string detail) =>
            SqliteArchive.AppendAudit(c, t, user, action, document, surface, detail);

        protected override string CaseInsensitiveLike => "LIKE";

        protected override string InIdList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

        protected override void AddIdList(DbCommand cmd, string parameter, IReadOnlyList<string> ids) => ArchiveTables.Add(cmd, parameter, JsonSerializer.Serialize(ids));
    }
}
