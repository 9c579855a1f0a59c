using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>What the reader has gathered so far about one document div.</summary>
internal sealed class DocumentState(string localId, string? n, string type, string? subtype, string? startPage)
{
    public string LocalId { get; } = localId;
    public string? N { get; } = n;
    public string DivType { get; } = type;
    public string? Subtype { get; } = subtype;
    public string? StartPage { get; set; } = startPage;
    public string? DateMin { get; set; }
    public string? DateMax { get; set; }

    public List<Block> Body { get; } = [];
    public List<Footnote> Footnotes { get; } = [];
    public List<Reference> References { get; } = [];
    public List<PersonRef> Persons { get; } = [];
    public HashSet<string> PersonIds { get; } = new(StringComparer.Ordinal);
    public List<string> Terms { get; } = [];
    public HashSet<string> TermIds { get; } = new(StringComparer.Ordinal);

    public bool HeadSeen { get; set; }
    public List<Inline>? Head { get; set; }
    public List<string> SourceNotes { get; } = [];
    public List<Excision> HeadExcisions { get; } = [];
    public List<string> TaggedFrom { get; } = [];
    public List<string> TaggedTo { get; } = [];

    public bool DatelineSeen { get; set; }
    public bool DateSeen { get; set; }
    public string? Place { get; set; }
    public string? When { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? NotBefore { get; set; }
    public string? NotAfter { get; set; }
    public string? TimeWhen { get; set; }
    public string? TimeFrom { get; set; }
    public string? TimeTo { get; set; }

    public string? Classification { get; set; }
    public ClassificationLevel? Level { get; set; }
    public List<string> Captions { get; } = [];
    public string? Signed { get; set; }
    public string? Channel { get; set; }
}
