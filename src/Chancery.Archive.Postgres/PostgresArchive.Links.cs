using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Links;
using Chancery.Core.Access;
using Chancery.Core.Export;
using Chancery.Core.People;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// Links, threads, the decimal file and people over the server archive, answered by the links store both archives
/// share (<see cref="LinkStore{TConnection, TTransaction}"/>, with the embedded archive's engine <see cref="LinkBuild"/>).
/// The link graph and the person index are derived tables, stamped in <c>links_state</c> with a fingerprint of what
/// they were built from (volumes, officials, editors' decisions) and rebuilt by the first read that finds it changed.
/// A rebuild writes in one transaction; readers (MVCC) keep reading the previous links meanwhile. One rebuild runs at
/// a time across all processes (a session advisory lock): a read that finds another rebuild running is answered from
/// the previous links, unless there are none yet. Access is applied inside the SQL at read time, as the embedded
/// archive does.
/// </summary>
public sealed partial class PostgresArchive : ILinkArchive, ILinkTransfer
{
    private PostgresLinkStore? _links;

    // made on first use: a field initialiser cannot pass `this`, and the constructor is not this file's
    private PostgresLinkStore Links => _links ?? LazyInitializer.EnsureInitialized(ref _links, () => new PostgresLinkStore(this));

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
    /// What the server archive does its own way: the links state is the one row of <c>links_state</c> and covers the
    /// editors' decisions too (so a decision made while a rebuild reads is not lost when it writes), the rebuild lock
    /// is a session advisory lock shared by all processes, the derived tables are written with binary COPY, and the
    /// access predicate and id lists are PostgreSQL's.
    /// </summary>
    private sealed class PostgresLinkStore(PostgresArchive archive) : LinkStore<NpgsqlConnection, NpgsqlTransaction>
    {
        protected override NpgsqlConnection Connect() => archive.Connect();

        protected override NpgsqlTransaction BeginWrite(NpgsqlConnection c) => c.BeginTransaction();

        protected override NpgsqlTransaction BeginSnapshot(NpgsqlConnection c) => c.BeginTransaction(IsolationLevel.RepeatableRead);

        protected override string? StoredFingerprint(NpgsqlConnection c) =>
            Scalar(c, null, "SELECT fingerprint FROM links_state WHERE id = 1") as string;

        protected override void StampFingerprint(NpgsqlConnection c, NpgsqlTransaction t, string fingerprint) =>
            Exec(c, t, "UPDATE links_state SET fingerprint = @f WHERE id = 1", ("f", fingerprint));

        protected override void MarkStale(NpgsqlConnection c, NpgsqlTransaction t) => Exec(c, t, "UPDATE links_state SET fingerprint = NULL WHERE id = 1");

        protected override string FingerprintTail(NpgsqlConnection c, NpgsqlTransaction? t)
        {
            var officials = Scalar(c, t, "SELECT officials_version FROM links_state WHERE id = 1") as string ?? "0";
            var decisions = Convert.ToInt64(Scalar(c, t, "SELECT coalesce(max(seq), 0) FROM person_decisions"), System.Globalization.CultureInfo.InvariantCulture);
            return $"officials {officials}\ndecisions {decisions}";
        }

        protected override void SetOfficialsVersion(NpgsqlConnection c, NpgsqlTransaction t, string version) =>
            Exec(c, t, "UPDATE links_state SET officials_version = @v WHERE id = 1", ("v", version));

        protected override bool TakeRebuildLock(NpgsqlConnection c, bool wait)
        {
            if (wait)
            {
                Exec(c, null, $"SELECT pg_advisory_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Links})");
                return true;
            }
            return Scalar(c, null, $"SELECT pg_try_advisory_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Links})") is true;
        }

        protected override void ReleaseRebuildLock(NpgsqlConnection c)
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

        // DELETE, not TRUNCATE, so readers keep the previous rows until the rebuild commits
        protected override void WriteLinks(NpgsqlConnection c, NpgsqlTransaction t, List<ResolvedLink> links)
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
                PostgresSearch.CopyText(w, l.TargetId);
                w.Write(LinkStatuses.Name(l.Status), NpgsqlDbType.Text);
                w.Write(JsonSerializer.Serialize(l.Candidates, DocumentJson.Compact), NpgsqlDbType.Text);
                w.Write(l.Reason, NpgsqlDbType.Text);
                w.Write(l.Evidence, NpgsqlDbType.Text);
                w.Write(l.Where, NpgsqlDbType.Text);
                PostgresSearch.CopyText(w, l.CitedDate);
                w.Write(l.Explicit, NpgsqlDbType.Boolean);
            }
            w.Complete();
        }

        protected override void WritePeople(NpgsqlConnection c, NpgsqlTransaction t, PeopleIndex index)
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
                    PostgresSearch.CopyText(w, p.OfficialId);
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

        // the json column is text
        protected override byte[] JsonBytes(DbDataReader r, int i) => JsonText(r, i);

        private static byte[] JsonText(DbDataReader r, int i) => Encoding.UTF8.GetBytes(r.GetString(i));

        /// <summary>The links a rebuild would write, from the caller's transaction, written nowhere.</summary>
        internal static LinkReport BuildIn(NpgsqlConnection c, NpgsqlTransaction t) => Build(c, t, JsonText);

        protected override AccessFilter FilterFor(NpgsqlConnection c, ReaderIdentity reader) => PostgresArchive.FilterFor(c, null, reader);

        protected override string VisibleSql(string alias) => PostgresAccess.VisibleSql(alias);

        protected override void AddAccess(DbCommand cmd, AccessFilter access) => access.AddPostgresParameters((NpgsqlCommand)cmd);

        protected override string? NormaliseId(string id) => PostgresArchive.NormaliseId(id);

        protected override IReadOnlyList<ExciseSpan> LatestExcisions(NpgsqlConnection c, string id) => LatestReview(c, null, id)?.Excisions ?? [];

        protected override void AppendAudit(NpgsqlConnection c, NpgsqlTransaction t, string user, string action, string? document, string surface, string detail) =>
            PostgresArchive.AppendAudit(c, t, user, action, document, surface, detail);

        protected override string CaseInsensitiveLike => "ILIKE";

        protected override string InIdList(string column, string parameter) => $"{column} = ANY({parameter})";

        protected override void AddIdList(DbCommand cmd, string parameter, IReadOnlyList<string> ids) =>
            cmd.Parameters.Add(new NpgsqlParameter(parameter, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.ToArray() });
    }
}
