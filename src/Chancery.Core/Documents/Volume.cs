using Chancery.Core.Dates;

namespace Chancery.Core.Documents;

/// <summary>An entry of a volume's persons list: <c>persName/@xml:id</c> with its description.</summary>
public sealed record PersonEntry(string Id, string Name, string Description);

/// <summary>An entry of a volume's terms list (abbreviations and code words).</summary>
public sealed record TermEntry(string Id, string Term, string Description);

/// <summary>
/// One line of a volume's table of contents: a compilation, chapter or document, at its depth.
/// <see cref="DocumentId"/> is set for documents.
/// </summary>
public sealed record TocEntry(int Depth, string Kind, string LocalId, string? Number, string Title, string? DocumentId, string? Date);

/// <summary>A volume of an edition (or a series of loose telegrams), without its documents.</summary>
public sealed record Volume
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Series { get; init; }
    public string? PublicationDate { get; init; }
    public IReadOnlyList<string> Editors { get; init; } = [];
    public IReadOnlyList<PersonEntry> Persons { get; init; } = [];
    public IReadOnlyList<TermEntry> Terms { get; init; } = [];
    public IReadOnlyList<TocEntry> Contents { get; init; } = [];
    /// <summary>Where the documents came from: "tei" or "telegram".</summary>
    public required string SourceKind { get; init; }
    public required string SourceSha256 { get; init; }
    public long SourceBytes { get; init; }
}

/// <summary>A volume as listed for a reader: counts and dates only over what that reader may see.</summary>
public sealed record VolumeSummary(string Id, string Title, int DocumentCount, string? DateFrom, string? DateTo);
