using Chancery.Core.Documents;

namespace Chancery.Archive.Links;

/// <summary>
/// What link resolution needs to know about one stored document: its columns, the pages it covers, the references
/// its reader found and, for documents citing telegrams, its text with the footnote and reference marks in place.
/// </summary>
internal sealed class LinkDocument
{
    public required string Id { get; init; }
    public required string Volume { get; init; }
    public int Seq { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    /// <summary>Lower bound of the date, <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public string? DateMin { get; init; }
    public string? TelegramNumber { get; init; }
    /// <summary>The page the document starts on, without brackets.</summary>
    public string? Page { get; set; }
    /// <summary>Pages that begin inside the document, in order, without brackets.</summary>
    public List<string> PageBreaks { get; } = [];
    public List<Reference> References { get; } = [];
    /// <summary>Targets of the document's explicit references (TEI <c>ref/@target</c>), qualified with the volume.</summary>
    public HashSet<string> ExplicitTargets { get; } = new(StringComparer.Ordinal);
    public List<TextSegment> Segments { get; } = [];
    public List<PersonRef> Persons { get; } = [];
    /// <summary>The sender's party keys (see <see cref="Parties"/>): as printed, plus the posts POCOM says a named sender held.</summary>
    public string[] FromKeys { get; set; } = [];
    /// <summary>The recipient's party keys.</summary>
    public string[] ToKeys { get; set; } = [];

    /// <summary>The date as a day (<c>yyyy-MM-dd</c>) when known.</summary>
    public DateOnly? Day => DateMin is { Length: >= 10 } d && DateOnly.TryParseExact(d[..10], "yyyy-MM-dd", out var day) ? day : null;
}

/// <summary>
/// A block of text (a body paragraph, a footnote, the head) folded to single spaces, with the offsets where footnote
/// marks and explicit references stand. <see cref="Where"/> uses the readers' words: "body", "footnote 2", "head".
/// </summary>
internal sealed record TextSegment(string Where, string Text, IReadOnlyList<Mark> Marks);

/// <summary>A footnote mark (<see cref="Footnote"/> set) or an explicit reference (<see cref="Target"/> set) at an offset.</summary>
internal readonly record struct Mark(int Offset, string? Footnote, string? Target);

/// <summary>
/// A volume as link resolution sees it: whether it was ingested whole (a TEI volume) or holds only loose telegrams,
/// and its contents in order (sections have no document id).
/// </summary>
internal sealed class VolumeOutline
{
    private readonly IReadOnlyList<(string LocalId, string? DocumentId)> _contents;

    public VolumeOutline(string id, bool complete, IReadOnlyList<(string LocalId, string? DocumentId)> contents, IEnumerable<string>? listIds = null)
    {
        Id = id;
        Complete = complete;
        _contents = contents;
        Sections = contents.Where(c => c.DocumentId is null).Select(c => c.LocalId).ToHashSet(StringComparer.Ordinal);
        ListIds = (listIds ?? []).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Ids of the entries of the persons and terms lists (<c>p_HWA1</c>, <c>t_AA1</c>).</summary>
    public IReadOnlySet<string> ListIds { get; }

    public string Id { get; }
    public bool Complete { get; }
    /// <summary>Local ids of chapters, compilations and other divisions that are not documents.</summary>
    public IReadOnlySet<string> Sections { get; }

    /// <summary>Sections standing between two documents in the contents (after the last one when <paramref name="after"/> is null).</summary>
    public IReadOnlyList<string> SectionsBetween(string before, string? after)
    {
        var start = -1;
        for (var i = 0; i < _contents.Count; i++)
        {
            if (_contents[i].DocumentId == before)
            {
                start = i;
                break;
            }
        }
        if (start < 0)
        {
            return [];
        }
        var list = new List<string>();
        for (var i = start + 1; i < _contents.Count && (_contents[i].DocumentId is null || _contents[i].DocumentId != after); i++)
        {
            if (_contents[i].DocumentId is null)
            {
                list.Add(_contents[i].LocalId);
            }
            else
            {
                break;
            }
        }
        return list;
    }
}
