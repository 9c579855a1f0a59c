using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Archive;

/// <summary>
/// The archive contract: storage, search, access, users, reviews and the audit trail, behind one interface
/// with an embedded (SQLite) and a server (PostgreSQL) implementation. Every read takes the
/// <see cref="ReaderIdentity"/> and applies it inside the query: callers never see what the reader may not.
/// </summary>
public interface IArchive : IDisposable
{
    /// <summary>Where the archive lives, for messages ("./chancery-data", "postgres://…").</summary>
    string Location { get; }

    // ---- ingest -------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts replacing (or creating) a whole volume. Nothing is visible until <see cref="IVolumeIngest.Commit"/>;
    /// disposing without commit (or a crash) leaves the previous version as it was.
    /// </summary>
    IVolumeIngest BeginVolume(string volumeId);

    /// <summary>
    /// Adds or replaces loose documents (telegrams) in a volume, creating it when missing, in one transaction.
    /// </summary>
    void UpsertDocuments(Volume volume, IReadOnlyList<Document> documents);

    // ---- reading ------------------------------------------------------------------------------------------

    /// <summary>Volumes with document counts and date ranges over what the reader may see.</summary>
    IReadOnlyList<VolumeSummary> ListVolumes(ReaderIdentity reader);

    /// <summary>A volume's metadata with its contents trimmed to what the reader may see; null when missing.</summary>
    Volume? GetVolume(string volumeId, ReaderIdentity reader);

    /// <summary>
    /// The document as this reader may see it, or null when it is missing or the reader may not read it
    /// (the two are indistinguishable). Reads of non-public documents are audited with <paramref name="surface"/>.
    /// </summary>
    DocumentView? GetDocument(string id, ReaderIdentity reader, string surface);

    /// <summary>Previous and next document ids in the volume, among those the reader may see.</summary>
    (string? Previous, string? Next) GetNeighbours(string id, ReaderIdentity reader);

    /// <summary>Runs a query in the Chancery query language. Throws <see cref="QueryException"/> for a bad query.</summary>
    SearchResults Search(SearchRequest request, ReaderIdentity reader, string surface);

    /// <summary>
    /// A marker that changes whenever a write is committed to the archive, by this process or another: while it stays
    /// equal, what was read under it may be served again. Null when the archive cannot tell, and then nothing read
    /// may be kept. Cheap enough to ask on every request.
    /// </summary>
    long? ChangeMarker() => null;

    // ---- users --------------------------------------------------------------------------------------------

    void AddUser(UserAccount user);
    bool RemoveUser(string name);
    IReadOnlyList<UserAccount> ListUsers();
    UserAccount? GetUser(string name);
    /// <summary>Stores a password hash (computed by the caller with ASP.NET Core Identity's hasher).</summary>
    void SetPasswordHash(string name, string? passwordHash);
    /// <summary>Issues a new bearer token for the user and returns it; only its hash is stored.</summary>
    string IssueToken(string name);
    /// <summary>The user a bearer token belongs to, or null.</summary>
    UserAccount? FindUserByToken(string token);

    // ---- review -------------------------------------------------------------------------------------------

    /// <summary>
    /// Records a declassification decision. The reviewer must be cleared for the document's original;
    /// otherwise the call answers as if the document did not exist (null).
    /// </summary>
    ReviewRecord? Review(ReviewDecision decision, UserAccount reviewer);

    /// <summary>Review history of a document, for readers cleared for its original.</summary>
    IReadOnlyList<ReviewRecord> ListReviews(string id, ReaderIdentity reader);

    // ---- audit --------------------------------------------------------------------------------------------

    IReadOnlyList<AuditEntry> ListAudit(string? user, string? documentId, int limit);
    AuditVerification VerifyAudit();

    // ---- maintenance --------------------------------------------------------------------------------------

    /// <summary>Checks storage integrity, counts and content hashes.</summary>
    CheckReport Check();

    /// <summary>
    /// Housekeeping that a long-running host (the web server) calls every few seconds: the embedded archive resets
    /// its write-ahead log, which readers that never pause would otherwise let grow without bound.
    /// </summary>
    void Maintain()
    {
    }
}

/// <summary>A volume being written: add its documents, then commit, all in one transaction.</summary>
public interface IVolumeIngest : IDisposable
{
    void Add(Document document);
    /// <summary>Makes the new version of the volume visible at once, replacing the old one.</summary>
    void Commit(Volume volume);
}

/// <summary>
/// A document as one reader may see it. <see cref="Document"/> is already trimmed: withheld spans are
/// FRUS-style markers for readers not cleared, or marked <see cref="ExcisedText"/> for cleared readers.
/// </summary>
public sealed record DocumentView(Document Document, bool IsOriginal, ReleaseState Release, Marking Marking);

/// <summary>A named reader of the archive.</summary>
public sealed record UserAccount(string Name, ClassificationLevel Clearance, IReadOnlyList<string> Controls, DateTimeOffset Created, string? PasswordHash = null)
{
    public ReaderIdentity Identity => new(Name, false, Clearance, new HashSet<string>(Controls, StringComparer.Ordinal));
}

/// <summary>Part of a document a review cuts: a whole body paragraph (1-based), or a character range in it.</summary>
public sealed record ExciseSpan(int Paragraph, int? Start = null, int? End = null)
{
    public override string ToString() => Start is null ? $"{Paragraph}" : $"{Paragraph}:{Start}-{End}";
}

public enum ReviewAction { Release, Withhold }

/// <summary>What a reviewer decides for one document.</summary>
public sealed record ReviewDecision(string DocumentId, ReviewAction Action, IReadOnlyList<ExciseSpan> Excisions, string Reason);

/// <summary>A recorded review.</summary>
public sealed record ReviewRecord(string DocumentId, ReviewAction Action, IReadOnlyList<ExciseSpan> Excisions, string Reason, string Reviewer, DateTimeOffset Time);

/// <summary>One line of the append-only, hash-chained audit trail.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset Time, string User, string Action, string? DocumentId, string Surface, string Detail, string PreviousHash, string Hash);

public sealed record AuditVerification(bool Ok, long Entries, string? Problem);

public sealed record CheckReport(bool Ok, int Volumes, int Documents, IReadOnlyList<string> Problems);

/// <summary>How search results are ordered.</summary>
public enum SearchSort { Relevance, DateAscending, DateDescending }

/// <summary>A search: the query text in the Chancery query language, sort, page (1-based) and whether to count facets.</summary>
public sealed record SearchRequest(string Query, SearchSort Sort = SearchSort.Relevance, int Page = 1, int PageSize = 20, bool Facets = false);

/// <summary>A hit: the snippet has matches wrapped in «…» markers (surfaces turn them into highlighting).</summary>
public sealed record SearchHit(string Id, string Volume, string? Number, string Type, string Title, string? Date, string Snippet, bool InFootnote, double Score);

public sealed record FacetValue(string Value, int Count);

/// <summary>
/// Results over the whole result set: <see cref="Total"/> counts every hit the reader may see;
/// <see cref="Undated"/> counts undated documents a date filter left out.
/// </summary>
public sealed record SearchResults(int Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets, int Undated = 0)
{
    /// <summary>
    /// False when the full-text index was still catching up with the latest committed change (another process held
    /// its write lock): the answer may miss the newest documents, so it must not be kept in a cache.
    /// </summary>
    public bool Complete { get; init; } = true;
}

/// <summary>A query that cannot be run: <see cref="Position"/> is the 0-based offset in the query text.</summary>
public sealed class QueryException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
