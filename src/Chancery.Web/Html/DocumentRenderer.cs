using System.Text;
using Chancery.Core.Documents;

namespace Chancery.Web.Html;

/// <summary>
/// Renders a document's head, body and notes as FRUS prints them: page numbers in the margin, footnote marks
/// that are plain anchors (<c>#fn1</c>, with back-links), editorial brackets and excision markers styled apart,
/// persons and terms explained on hover and linked to the volume's lists, cross-references as links.
/// One renderer per page: it keeps element ids unique across head, body and notes.
/// </summary>
internal sealed class DocumentRenderer
{
    private readonly string _volume;
    private readonly IReadOnlyDictionary<string, PersonEntry> _persons;
    private readonly IReadOnlyDictionary<string, TermEntry> _terms;
    private readonly HashSet<string> _footnotes;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _backLinks = new(StringComparer.Ordinal);

    private readonly IReadOnlySet<string> _missing;

    /// <summary>
    /// A renderer for <paramref name="document"/>; <paramref name="missing"/> are the addresses of cited documents the
    /// link graph found no document for (a volume not in this archive): they are printed, not linked to a 404.
    /// </summary>
    public DocumentRenderer(Document document, Volume? volume, IReadOnlySet<string>? missing = null)
    {
        _volume = document.Volume;
        _missing = missing ?? new HashSet<string>();
        var glossary = Glossary.Of(volume);
        _persons = glossary.Persons;
        _terms = glossary.Terms;
        _footnotes = document.Footnotes.Select(f => f.N).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The anchor id of footnote <paramref name="n"/>: <c>fn1</c>.</summary>
    public static string FootnoteId(string n) => "fn" + Slug(n);

    /// <summary>A person's anchor on the volume's persons page.</summary>
    public static string PersonsUrl(string volume, string? id) =>
        "/volumes/" + Uri.EscapeDataString(volume) + "/persons" + (id is null ? "" : "#" + Slug(id));

    /// <summary>A term's anchor on the volume's terms page.</summary>
    public static string TermsUrl(string volume, string? id) =>
        "/volumes/" + Uri.EscapeDataString(volume) + "/terms" + (id is null ? "" : "#" + Slug(id));

    public static string DocumentUrl(string volume, string localId) =>
        "/volumes/" + Uri.EscapeDataString(volume) + "/" + Uri.EscapeDataString(localId);

    public static string VolumeUrl(string volume) => "/volumes/" + Uri.EscapeDataString(volume);

    /// <summary>
    /// Where a TEI target points on this site: <c>#d577</c>, <c>frus1948v04</c>, <c>frus1947v03#pg_179</c>,
    /// <c>#d202fn1</c>, or an http(s) address. Null when it points nowhere we can show.
    /// </summary>
    public static string? ResolveTarget(string target, string currentVolume)
    {
        var t = target.Trim();
        if (t.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(t, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u.AbsoluteUri : null;
        }
        string volume;
        string? local;
        if (t.StartsWith('#'))
        {
            volume = currentVolume;
            local = t[1..];
        }
        else if (t.StartsWith("frus", StringComparison.Ordinal) && !t.Contains('/'))
        {
            var hash = t.IndexOf('#');
            volume = hash < 0 ? t : t[..hash];
            local = hash < 0 ? null : t[(hash + 1)..];
        }
        else
        {
            return null;
        }
        if (volume.Length == 0)
        {
            return null;
        }
        if (string.IsNullOrEmpty(local))
        {
            return VolumeUrl(volume);
        }
        var fn = local.IndexOf("fn", StringComparison.Ordinal);
        if (IsDocumentId(local))
        {
            return DocumentUrl(volume, local);
        }
        if (fn > 0 && IsDocumentId(local[..fn]))
        {
            return DocumentUrl(volume, local[..fn]) + "#" + FootnoteId(local[(fn + 2)..]);
        }
        if (local.StartsWith("p_", StringComparison.Ordinal))
        {
            return PersonsUrl(volume, local);
        }
        if (local.StartsWith("t_", StringComparison.Ordinal))
        {
            return TermsUrl(volume, local);
        }
        // chapters, compilations and pages: the volume's contents is the nearest place we show
        return VolumeUrl(volume) + "#" + Slug(local);
    }

    private static bool IsDocumentId(string local) =>
        local.Length > 1 && local[0] == 'd' && local.Skip(1).All(char.IsAsciiDigit);

    /// <summary>An id or fragment safe in HTML and URLs: letters, digits, '_', '-', '.'; anything else becomes '-'.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '-');
        }
        return sb.Length == 0 ? "x" : sb.ToString();
    }

    private string UniqueId(string id)
    {
        var candidate = id;
        for (var i = 2; !_ids.Add(candidate); i++)
        {
            candidate = id + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    /// <summary>The body: paragraphs, page breaks and withheld blocks, in reading order.</summary>
    public void Body(HtmlBuilder h, IReadOnlyList<Block> body)
    {
        foreach (var block in body)
        {
            switch (block)
            {
                case Paragraph p when p.Excised:
                    // only a reader cleared for the original receives this text; it is marked as withheld from the public
                    h.Open("div", ("class", "withheld-block"));
                    h.Element("p", "Withheld from the public release", ("class", "withheld-label"));
                    h.Open("p", ("class", ParagraphClass(p.Style)));
                    Inlines(h, p.Content);
                    h.Close("p").Close("div");
                    break;
                case Paragraph p:
                    h.Open("p", ("class", ParagraphClass(p.Style)));
                    Inlines(h, p.Content);
                    h.Close("p");
                    break;
                case PageBreak pb:
                    h.Open("div", ("class", "page-break"), ("id", UniqueId("pg_" + Slug(pb.Page))));
                    h.Element("span", "[Page " + pb.Page + "]", ("class", "page-number"));
                    h.Close("div");
                    break;
                case ExcisionBlock x:
                    h.Element("p", x.Excision.Text, ("class", "excision excision-block"));
                    break;
            }
            h.Markup("\n");
        }
    }

    private static string? ParagraphClass(string? style) => style is null ? null : "p-" + Slug(style.ToLowerInvariant());

    /// <summary>A run of inlines: text and the marks printed inside it.</summary>
    public void Inlines(HtmlBuilder h, IReadOnlyList<Inline> runs)
    {
        foreach (var run in runs)
        {
            switch (run)
            {
                case TextRun t:
                    h.Text(t.Text);
                    break;
                case FootnoteMark f:
                    FootnoteReference(h, f.N);
                    break;
                case PageBreakMark pb:
                    h.Element("span", "[Page " + pb.Page + "]", ("class", "page-number page-inline"), ("id", UniqueId("pg_" + Slug(pb.Page))));
                    break;
                case EditorialMark e:
                    h.Element("span", e.Text, ("class", "editorial"), ("title", "Editorial insertion"));
                    break;
                case ExcisionMark x:
                    h.Element("span", x.Excision.Text, ("class", "excision"));
                    break;
                case ExcisedText w:
                    h.Open("span", ("class", "withheld-text"), ("title", "Withheld from the public release"));
                    h.Element("span", "[withheld from public: ", ("class", "visually-hidden"));
                    h.Text(w.Text);
                    h.Element("span", "]", ("class", "visually-hidden"));
                    h.Close("span");
                    break;
                case PersonMention p:
                    Person(h, p);
                    break;
                case TermMention t:
                    Term(h, t);
                    break;
                case ReferenceMark r:
                    var href = ResolveTarget(r.Target, _volume);
                    if (href is null || _missing.Contains(href))
                    {
                        h.Text(r.Text);
                    }
                    else if (href.StartsWith("http", StringComparison.Ordinal))
                    {
                        h.Link(href, r.Text, ("class", "ref external"), ("rel", "noopener noreferrer"));
                    }
                    else
                    {
                        h.Link(href, r.Text, ("class", "ref"));
                    }
                    break;
                case LineBreak:
                    h.Void("br");
                    break;
                default:
                    h.Text(run.PlainText);
                    break;
            }
        }
    }

    private void FootnoteReference(HtmlBuilder h, string n)
    {
        if (!_footnotes.Contains(n))
        {
            h.Element("sup", n, ("class", "fn-ref"));
            return;
        }
        var refId = UniqueId("fnref" + Slug(n));
        if (!_backLinks.TryGetValue(n, out var list))
        {
            _backLinks[n] = list = [];
        }
        list.Add(refId);
        h.Open("sup", ("class", "fn-ref"));
        h.Open("a", ("href", "#" + FootnoteId(n)), ("id", refId), ("class", "fn-link"), ("aria-label", "Footnote " + n), ("data-footnote", FootnoteId(n)));
        h.Text(n).Close("a").Close("sup");
    }

    private void Person(HtmlBuilder h, PersonMention p)
    {
        var (volume, id) = SplitTarget(p.PersonId);
        PersonEntry? entry = null;
        if (id is not null && volume == _volume)
        {
            _persons.TryGetValue(id, out entry);
        }
        if (id is null)
        {
            h.Element("span", p.Text, ("class", "person"));
            return;
        }
        var title = entry is null ? null : Describe(entry.Name, entry.Description);
        h.Link(PersonsUrl(volume, id), p.Text, ("class", "person"), ("title", title));
    }

    private void Term(HtmlBuilder h, TermMention t)
    {
        var (volume, id) = SplitTarget(t.TermId);
        TermEntry? entry = null;
        if (id is not null && volume == _volume)
        {
            _terms.TryGetValue(id, out entry);
        }
        if (id is null)
        {
            h.Element("span", t.Text, ("class", "term"));
            return;
        }
        var title = entry is null ? null : Describe(entry.Term, entry.Description);
        h.Link(TermsUrl(volume, id), t.Text, ("class", "term"), ("title", title));
    }

    private static string Describe(string name, string description) =>
        string.IsNullOrWhiteSpace(description) ? name : name + ", " + description;

    /// <summary><c>#p_X</c>, <c>p_X</c> or <c>frus1948v05p1#p_X</c> → (volume, id).</summary>
    private (string Volume, string? Id) SplitTarget(string? target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return (_volume, null);
        }
        var hash = target.IndexOf('#');
        if (hash < 0)
        {
            return (_volume, target);
        }
        var volume = hash == 0 ? _volume : target[..hash];
        var id = target[(hash + 1)..];
        return (volume, id.Length == 0 ? null : id);
    }

    /// <summary>The notes, each with its anchor and a link back to where it is marked.</summary>
    public void Footnotes(HtmlBuilder h, IReadOnlyList<Footnote> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }
        h.Open("section", ("class", "footnotes"), ("aria-labelledby", "footnotes-heading"));
        h.Element("h2", "Footnotes", ("id", "footnotes-heading"));
        h.Open("ol", ("class", "footnote-list"));
        foreach (var note in notes)
        {
            h.Open("li", ("id", UniqueId(FootnoteId(note.N))), ("class", "footnote"));
            h.Element("span", note.N, ("class", "fn-label"));
            h.Open("div", ("class", "fn-body"));
            Inlines(h, note.Content);
            if (_backLinks.TryGetValue(note.N, out var refs))
            {
                for (var i = 0; i < refs.Count; i++)
                {
                    h.Text(" ");
                    h.Link("#" + refs[i], refs.Count == 1 ? "↩" : "↩" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ("class", "fn-back"), ("aria-label", "Back to the text of footnote " + note.N));
                }
            }
            h.Close("div").Close("li");
            h.Markup("\n");
        }
        h.Close("ol").Close("section");
    }
}
