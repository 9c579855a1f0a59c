using System.Text.Json.Serialization;
using Chancery.Core.Access;
using Chancery.Core.Dates;

namespace Chancery.Core.Documents;

/// <summary>
/// One document of an edition or one telegram, with everything its source says about it.
/// <see cref="Id"/> is the TEI form <c>frus1945Berlinv01#d578</c>.
/// </summary>
public sealed record Document
{
    public required string Id { get; init; }
    public required string Volume { get; init; }
    /// <summary>The number the edition prints ("578"), or null for unnumbered documents.</summary>
    public string? Number { get; init; }
    /// <summary>Telegram, Memorandum, Despatch, Letter, Editorial Note, …</summary>
    public required string Type { get; init; }
    public required string Title { get; init; }
    /// <summary>
    /// The head as printed with its marks (a footnote anchored on the title, persons, terms); empty when the
    /// source gives only the plain <see cref="Title"/>.
    /// </summary>
    public IReadOnlyList<Inline> Head { get; init; } = [];
    public string? From { get; init; }
    public string? To { get; init; }
    public DocumentDate? Date { get; init; }
    public string? Place { get; init; }
    public IReadOnlyList<string> FileNumbers { get; init; } = [];
    /// <summary>The classification marking as printed ("top secret"), or null when none is printed.</summary>
    public string? Classification { get; init; }
    public IReadOnlyList<string> Captions { get; init; } = [];
    public string? Channel { get; init; }
    /// <summary>The source note as printed, when the edition gives one.</summary>
    public string? SourceNote { get; init; }
    public IReadOnlyList<Block> Body { get; init; } = [];
    public IReadOnlyList<Footnote> Footnotes { get; init; } = [];
    public IReadOnlyList<Reference> References { get; init; } = [];
    public IReadOnlyList<PersonRef> Persons { get; init; } = [];
    public IReadOnlyList<string> Terms { get; init; } = [];
    public string? Signed { get; init; }
    /// <summary>The telegram's own number when it states one ("482." opening the body).</summary>
    public string? TelegramNumber { get; init; }
    /// <summary>Page the document starts on, as printed.</summary>
    public string? Page { get; init; }
    public required string SourceSha256 { get; init; }
    /// <summary>The access marking (level and controls) derived from the printed marking and captions.</summary>
    public Marking Marking { get; init; } = Marking.Unclassified;
    /// <summary>Where the document stands in declassification review.</summary>
    public ReleaseState Release { get; init; } = ReleaseState.Released;
    /// <summary>True for a TEI <c>document-pending</c> placeholder: the edition withholds it pending clearance.</summary>
    public bool Pending { get; init; }
    /// <summary>
    /// Excision markers printed outside <see cref="Body"/> and <see cref="Footnotes"/>: in the head, the dateline or
    /// the source note. Their text stays as printed in <see cref="Title"/>, <see cref="Place"/> and <see cref="SourceNote"/>.
    /// </summary>
    public IReadOnlyList<Excision> HeadExcisions { get; init; } = [];

    /// <summary>The part of <see cref="Id"/> after '#': <c>d578</c>.</summary>
    [JsonIgnore]
    public string LocalId => Id[(Id.IndexOf('#') + 1)..];

    /// <summary>All body paragraphs' text, in order.</summary>
    [JsonIgnore]
    public IEnumerable<string> ParagraphTexts => Body.OfType<Paragraph>().Select(p => p.Text);
}

/// <summary>Builds document ids in the TEI form.</summary>
public static class DocumentIds
{
    /// <summary><c>frus1945Berlinv01</c> + <c>d578</c> → <c>frus1945Berlinv01#d578</c>.</summary>
    public static string Make(string volume, string localId) => volume + "#" + localId;

    /// <summary>Splits an id into volume and local part; accepts the URL form <c>vol/d1</c> too.</summary>
    public static bool TrySplit(string id, out string volume, out string localId)
    {
        var i = id.IndexOf('#');
        if (i < 0)
        {
            i = id.IndexOf('/');
        }
        if (i <= 0 || i == id.Length - 1)
        {
            volume = localId = "";
            return false;
        }
        volume = id[..i];
        localId = id[(i + 1)..];
        return true;
    }
}
