using System.Text.Json.Serialization;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.People;

namespace Chancery.Archive;

/// <summary>
/// Links between documents and people: every reference a document makes, resolved (or not) with its evidence;
/// telegram threads; the decimal file; a person index across volumes tied to POCOM's chiefs of mission; and a
/// graph export. The link graph is derived from the stored documents and rebuilt whenever they change; every read
/// takes the <see cref="ReaderIdentity"/> and shows only what that reader may see.
/// </summary>
public interface ILinkArchive
{
    /// <summary>
    /// Rebuilds the link graph and the person index over the whole archive in one transaction and reports how
    /// references resolved, per volume. Reads call this themselves when the archive changed since the last build.
    /// </summary>
    LinkReport RebuildLinks();

    /// <summary>
    /// How references resolved, per volume, counting only the links of documents <paramref name="reader"/> may see;
    /// rebuilds the links first when the archive changed.
    /// </summary>
    IReadOnlyList<VolumeLinkReport> ReportLinks(ReaderIdentity reader);

    /// <summary>
    /// Replaces the officials (POCOM data) the person index links to; the next read rebuilds the index.
    /// </summary>
    void ImportOfficials(IReadOnlyList<Official> officials);

    /// <summary>
    /// What a document cites and what cites it, or null when the document is missing or the reader may not see it.
    /// A target the reader may not see appears as "document withheld" (no title, date or sender); citing documents
    /// the reader may not see are left out.
    /// </summary>
    DocumentLinks? LinksOf(string id, ReaderIdentity reader);

    /// <summary>
    /// The chain of telegrams citing each other (both directions) that <paramref name="id"/> belongs to, ordered by
    /// date; documents the reader may not see are left out and the chain is not followed through them.
    /// Empty when the document is missing or hidden from the reader.
    /// </summary>
    IReadOnlyList<ThreadEntry> GetThread(string id, ReaderIdentity reader);

    /// <summary>
    /// Documents filed under decimal file numbers starting with <paramref name="filePrefix"/> (<c>761.93</c>,
    /// <c>740.0011 EW</c>), ordered by date, each number with its decoded meaning.
    /// </summary>
    IReadOnlyList<FiledDocument> DocumentsInFile(string filePrefix, ReaderIdentity reader);

    /// <summary>
    /// A person by index id (<c>harriman-william-averell</c>), persons-list id (<c>frus1945Berlinv01#p_HWA1</c>) or
    /// name in either order ("Harriman, W. Averell", "W. Averell Harriman", "Harriman"); null when unknown.
    /// </summary>
    PersonProfile? GetPerson(string nameOrId, ReaderIdentity reader);

    /// <summary>
    /// An editor's decision that <paramref name="a"/> and <paramref name="b"/> (index ids or persons-list ids such as
    /// <c>frus1945Berlinv01#p_HWA1</c>) are one person. Kept and applied on every rebuild of the index, shown on the
    /// person as "merged by EDITOR: REASON", and audited.
    /// </summary>
    /// <returns>The persons-list id standing for <paramref name="a"/>, by which the merged person is found.</returns>
    /// <exception cref="ArchiveException">An unknown person, persons already one, or no editor or reason.</exception>
    string MergePersons(string a, string b, string editor, string reason);

    /// <summary>
    /// An editor's decision that the persons-list entry <paramref name="listing"/> is not the index person
    /// <paramref name="person"/> it was joined to but someone of their own. Kept and applied on every rebuild, shown
    /// as "split by EDITOR: REASON", and audited.
    /// </summary>
    /// <exception cref="ArchiveException">An unknown person or listing, a listing not theirs or their only one, or no editor or reason.</exception>
    void SplitPerson(string person, string listing, string editor, string reason);

    /// <summary>
    /// Who wrote to whom and which document cites which, over what the reader may see, as <c>graphml</c> or <c>json</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown format.</exception>
    string ExportGraph(ReaderIdentity reader, string format);
}

/// <summary>How a reference ended up.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LinkStatus>))]
public enum LinkStatus
{
    /// <summary>The target is known: a document, a section or a volume of the archive.</summary>
    [JsonStringEnumMemberName("resolved")] Resolved,
    /// <summary>No target in the archive; <see cref="LinkView.Reason"/> says why.</summary>
    [JsonStringEnumMemberName("unresolved")] Unresolved,
    /// <summary>Several documents fit equally well; they are the candidates.</summary>
    [JsonStringEnumMemberName("ambiguous")] Ambiguous,
    /// <summary>The edition says the cited telegram is not printed.</summary>
    [JsonStringEnumMemberName("not-printed")] NotPrinted,
    /// <summary>A web address or another kind of target outside the archive.</summary>
    [JsonStringEnumMemberName("external")] External,
}

/// <summary>Words for link statuses as stored and shown.</summary>
public static class LinkStatuses
{
    /// <summary>"resolved", "unresolved", "ambiguous", "not-printed", "external".</summary>
    public static string Name(LinkStatus status) => status switch
    {
        LinkStatus.Resolved => "resolved",
        LinkStatus.Unresolved => "unresolved",
        LinkStatus.Ambiguous => "ambiguous",
        LinkStatus.NotPrinted => "not-printed",
        _ => "external",
    };

    /// <summary>The status named <paramref name="name"/>.</summary>
    public static LinkStatus Parse(string name) => name switch
    {
        "resolved" => LinkStatus.Resolved,
        "unresolved" => LinkStatus.Unresolved,
        "ambiguous" => LinkStatus.Ambiguous,
        "not-printed" => LinkStatus.NotPrinted,
        _ => LinkStatus.External,
    };
}

/// <summary>
/// A linked document as one reader may see it. For a document the reader may not see, only
/// <see cref="Withheld"/> is set: no id, title, date or parties.
/// </summary>
public sealed record LinkedDocument(string? Id, bool Withheld, string? Title, string? Date, string? From, string? To, string? TelegramNumber)
{
    /// <summary>What a reader is shown for a document they may not see.</summary>
    public const string WithheldLabel = "document withheld";

    /// <summary>The entry shown for a document the reader may not see.</summary>
    public static LinkedDocument WithheldDocument { get; } = new(null, true, null, null, null, null, null);

    /// <summary>"document withheld", or the title.</summary>
    public string Label => Withheld ? WithheldLabel : Title ?? Id ?? "";
}

/// <summary>
/// One reference as a reader sees it: what the source printed (<see cref="Evidence"/>, <see cref="Where"/>), what
/// it was taken to mean (<see cref="Target"/>: a document id, a page, a telegram number) and how it resolved.
/// <see cref="TargetId"/> is the document, section or volume reached; <see cref="Document"/> describes a document
/// target (or says it is withheld).
/// </summary>
public sealed record LinkView(
    string SourceId,
    ReferenceKind Kind,
    string Target,
    LinkStatus Status,
    string? TargetId,
    LinkedDocument? Document,
    IReadOnlyList<LinkedDocument> Candidates,
    string Reason,
    string Evidence,
    string Where,
    string? CitedDate);

/// <summary>A document's outgoing (<see cref="Cites"/>) and incoming (<see cref="CitedBy"/>) links.</summary>
public sealed record DocumentLinks(string Id, IReadOnlyList<LinkView> Cites, IReadOnlyList<LinkView> CitedBy);

/// <summary>One telegram of a thread: date, from → to, number, and the first line as this reader may see it.</summary>
public sealed record ThreadEntry(string Id, string? Date, string? From, string? To, string? TelegramNumber, string Title, string FirstLine);

/// <summary>A document in the decimal file, with the numbers that put it there.</summary>
public sealed record FiledDocument(string Id, string Title, string? Date, string? From, string? To, IReadOnlyList<FiledNumber> Numbers);

/// <summary>A file number as printed and what it means ("Political relations between states: USSR – China, 13 July 1945").</summary>
public sealed record FiledNumber(string Text, string Meaning);

/// <summary>A person as a volume's persons list describes them.</summary>
public sealed record PersonListing(string Volume, string PersonId, string Name, string Description);

/// <summary>A document a person sent, received or is mentioned in, with why the index thinks so.</summary>
public sealed record PersonDocument(string Id, string Title, string? Date, string Evidence);

/// <summary>
/// A person across volumes: the names and descriptions the volumes give, the POCOM posts when the person is a
/// U.S. official, the documents sent, received and mentioned in (only those the reader may see), and the evidence
/// for every identification the index made.
/// </summary>
public sealed record PersonProfile(
    string Id,
    string Name,
    IReadOnlyList<string> Names,
    IReadOnlyList<PersonListing> Listings,
    string? OfficialId,
    IReadOnlyList<OfficialPost> Posts,
    IReadOnlyList<PersonDocument> Sent,
    IReadOnlyList<PersonDocument> Received,
    IReadOnlyList<PersonDocument> Mentioned,
    IReadOnlyList<string> Evidence);

/// <summary>How references of one volume resolved.</summary>
/// <param name="Volume">The citing volume.</param>
/// <param name="TargetLinks">References with an explicit target (TEI <c>ref/@target</c>: document, page, footnote, volume).</param>
/// <param name="TargetLinksInArchive">Those whose target volume is in the archive.</param>
/// <param name="TargetLinksResolved">Those of them that resolved.</param>
/// <param name="TelegramCitations">Telegrams cited by number.</param>
/// <param name="TelegramResolved">Cited telegrams found.</param>
/// <param name="TelegramNotPrinted">Cited telegrams the edition says are not printed.</param>
/// <param name="TelegramAmbiguous">Cited telegrams with several equally good candidates.</param>
/// <param name="TelegramUnresolved">Cited telegrams not found.</param>
/// <param name="DocumentsNamed">Documents cited in words ("see Document 12") rather than by an explicit target.</param>
/// <param name="DocumentsNamedResolved">Those found in the archive.</param>
public sealed record VolumeLinkReport(
    string Volume,
    int TargetLinks,
    int TargetLinksInArchive,
    int TargetLinksResolved,
    int TelegramCitations,
    int TelegramResolved,
    int TelegramNotPrinted,
    int TelegramAmbiguous,
    int TelegramUnresolved,
    int DocumentsNamed = 0,
    int DocumentsNamedResolved = 0,
    int TargetLinksMissingInSource = 0)
{
    /// <summary>Share of explicit targets inside the archive that resolved (1 when there are none).</summary>
    public double TargetShare => TargetLinksInArchive == 0 ? 1 : (double)TargetLinksResolved / TargetLinksInArchive;
}

/// <summary>What a rebuild did.</summary>
public sealed record LinkReport(
    int Documents,
    int Links,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyList<VolumeLinkReport> Volumes,
    int People,
    int PeopleWithPosts,
    TimeSpan Elapsed);
