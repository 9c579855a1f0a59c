using System.Text;
using System.Xml;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Files;

namespace Chancery.Ingest.Tei;

/// <summary>Volume-wide facts a document needs: its volume id, the persons list, the page being read.</summary>
internal sealed class VolumeContext(string path, string sha256)
{
    public string Path { get; } = path;
    public string Sha256 { get; } = sha256;
    public string VolumeId { get; set; } = "";
    public Dictionary<string, string> PersonNames { get; } = new(StringComparer.Ordinal);
    public string? CurrentPage { get; set; }
}

/// <summary>
/// Reads one <c>div type="document"</c> straight off the <see cref="XmlReader"/>, in one pass, into a
/// <see cref="Document"/>. Every Read* method starts on an element's start tag and leaves the reader on its
/// last node (the end tag, or the element itself when empty), so callers simply continue with Read().
/// </summary>
internal sealed class TeiDocumentReader(XmlReader r, TeiNames n, VolumeContext volume)
{
    private static readonly LineBreak Break = new();

    private readonly Stack<InlineBuilder> _builders = new();
    private readonly Stack<StringBuilder> _plain = new();
    private static readonly char[] PlaceTrail = [',', ' '];
    private static readonly char[] NumberBrackets = ['[', ']'];

    // Real volumes nest under 20 deep; every recursive Read* checks this so hostile nesting is refused, not a stack overflow.
    internal const int MaxDepth = 256;

    private readonly char[] _chunk = new char[4096];
    private readonly StringBuilder _scan = new();
    private DocumentState _d = null!;
    private List<Document> _output = [];

    /// <summary>Where a run of inlines is being read, and what may be captured there.</summary>
    private readonly record struct Ctx(string Where, bool Split, bool DocLevel, bool Head, bool Dateline, string? Style)
    {
        public static Ctx Body(bool docLevel, string? style) => new("body", true, docLevel, false, false, style);
    }

    /// <summary>Reads the document div the reader is on; nested document divs are appended after it.</summary>
    public void Read(List<Document> output)
    {
        _output = output;
        var type = r.GetAttribute("type") ?? "document";
        var id = r.GetAttribute("id", TeiNames.XmlNamespace);
        if (string.IsNullOrWhiteSpace(id))
        {
            var li = (IXmlLineInfo)r;
            throw new SourceFormatException(volume.Path, li.LineNumber, li.LinePosition,
                "a document div has no xml:id (give every <div type=\"document\"> a unique xml:id such as d1)");
        }
        var state = new DocumentState(id.Trim(), r.GetAttribute("n"), type, r.GetAttribute("subtype"), volume.CurrentPage)
        {
            DateMin = FrusAttribute("doc-dateTime-min"),
            DateMax = FrusAttribute("doc-dateTime-max"),
        };
        var slot = output.Count;
        output.Add(null!);
        var outer = _d;
        _d = state;
        if (!r.IsEmptyElement)
        {
            ReadBlocks(docLevel: true, style: null);
        }
        output[slot] = Finish(state);
        _d = outer;
    }

    private string? FrusAttribute(string localName)
    {
        if (!r.HasAttributes)
        {
            return null;
        }
        for (var i = 0; i < r.AttributeCount; i++)
        {
            r.MoveToAttribute(i);
            if (r.LocalName == localName)
            {
                var v = r.Value;
                r.MoveToElement();
                return v;
            }
        }
        r.MoveToElement();
        return null;
    }

    // ---- blocks ---------------------------------------------------------------------------------------------

    private void ReadBlocks(bool docLevel, string? style, bool list = false)
    {
        var depth = r.Depth;
        InlineBuilder? loose = null;
        InlineBuilder? label = null;
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    var name = r.LocalName;
                    if (list && ReferenceEquals(name, n.Label))
                    {
                        FlushLoose(ref loose, style, docLevel);
                        label ??= Rent();
                        ReadChildren(label, new Ctx("body", false, false, false, false, "item"));
                    }
                    else if (list && ReferenceEquals(name, n.Item))
                    {
                        FlushLoose(ref loose, style, docLevel);
                        var b = label ?? Rent();
                        label = null;
                        if (b.HasContent)
                        {
                            b.Append(" ");
                        }
                        ReadChildren(b, Ctx.Body(false, "item"));
                        Emit(b, "item");
                        Return(b);
                    }
                    else if (IsBlock(name))
                    {
                        FlushLoose(ref loose, style, docLevel);
                        ReadBlock(name, docLevel, style);
                    }
                    else
                    {
                        loose ??= Rent();
                        ReadInline(loose, Ctx.Body(docLevel, style));
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    loose ??= Rent();
                    AppendValue(loose);
                    break;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    loose?.Append(" ");
                    break;
                case XmlNodeType.EndElement:
                    if (r.Depth == depth)
                    {
                        FlushLoose(ref loose, style, docLevel);
                        if (label is not null)
                        {
                            Emit(label, "item");
                            Return(label);
                        }
                        return;
                    }
                    break;
            }
        }
    }

    private void FlushLoose(ref InlineBuilder? loose, string? style, bool docLevel)
    {
        if (loose is null)
        {
            return;
        }
        if (docLevel && style == "opener" && !loose.IsEmpty)
        {
            // "<opener><hi rend="smallcaps">secret</hi></opener>": a marking printed without a seg
            var runs = loose.Build();
            if (!TakeMarking(Inlines.ToPlainText(runs)))
            {
                EmitRuns(runs, style);
            }
        }
        else
        {
            Emit(loose, style);
        }
        Return(loose);
        loose = null;
    }

    /// <summary>Records a printed marking or handling caption of the document; false when the text is neither.</summary>
    private bool TakeMarking(string text)
    {
        if (TeiText.MarkingPrefix(text) is { } m)
        {
            if (_d.Classification is null)
            {
                _d.Classification = m.Printed;
                _d.Level = m.Level;
            }
            if (m.Remainder.Length > 0)
            {
                _d.Captions.Add(m.Remainder);
            }
            return true;
        }
        if (TeiText.IsCaption(text))
        {
            _d.Captions.Add(text);
            return true;
        }
        return false;
    }

    private bool IsBlock(string name) =>
        ReferenceEquals(name, n.P) || ReferenceEquals(name, n.Pb) || ReferenceEquals(name, n.Head) || ReferenceEquals(name, n.Note)
        || ReferenceEquals(name, n.Dateline) || ReferenceEquals(name, n.Opener) || ReferenceEquals(name, n.Closer)
        || ReferenceEquals(name, n.Seg) || ReferenceEquals(name, n.Salute) || ReferenceEquals(name, n.Signed)
        || ReferenceEquals(name, n.Quote) || ReferenceEquals(name, n.List) || ReferenceEquals(name, n.Item)
        || ReferenceEquals(name, n.Label) || ReferenceEquals(name, n.Table) || ReferenceEquals(name, n.Row)
        || ReferenceEquals(name, n.Attachment) || ReferenceEquals(name, n.Postscript) || ReferenceEquals(name, n.Figure)
        || ReferenceEquals(name, n.Div) || ReferenceEquals(name, n.Lb) || ReferenceEquals(name, n.Classification)
        || n.IsUnprinted(name);

    // Elements that end the paragraph they stand in and continue as blocks of their own.
    private bool IsSplitting(string name) =>
        ReferenceEquals(name, n.P) || ReferenceEquals(name, n.List) || ReferenceEquals(name, n.Table)
        || ReferenceEquals(name, n.Item) || ReferenceEquals(name, n.Row) || ReferenceEquals(name, n.Attachment)
        || ReferenceEquals(name, n.Figure) || ReferenceEquals(name, n.Div) || ReferenceEquals(name, n.Postscript);

    private void ReadBlock(string name, bool docLevel, string? style)
    {
        CheckDepth();
        if (ReferenceEquals(name, n.P))
        {
            ReadParagraph(style, docLevel);
        }
        else if (ReferenceEquals(name, n.Pb))
        {
            PageBreakBetweenBlocks();
        }
        else if (ReferenceEquals(name, n.Lb))
        {
            // a line break between blocks prints nothing
        }
        else if (ReferenceEquals(name, n.Head))
        {
            if (docLevel && !_d.HeadSeen)
            {
                ReadHead();
            }
            else
            {
                ReadParagraph("head", false);
            }
        }
        else if (ReferenceEquals(name, n.Note))
        {
            var type = r.GetAttribute("type");
            var number = r.GetAttribute("n");
            if (type == "source" || (docLevel && number is null))
            {
                if (docLevel)
                {
                    ReadSourceNote();
                }
                else
                {
                    ReadParagraph("source", false);
                }
            }
            else
            {
                ReadFootnote(number ?? "", null);
            }
        }
        else if (ReferenceEquals(name, n.Dateline))
        {
            if (docLevel && !_d.DatelineSeen)
            {
                ReadDateline();
            }
            else
            {
                ReadParagraph("dateline", false);
            }
        }
        else if (ReferenceEquals(name, n.Opener))
        {
            if (!r.IsEmptyElement)
            {
                ReadBlocks(docLevel, "opener");
            }
        }
        else if (ReferenceEquals(name, n.Seg))
        {
            ReadSeg(docLevel);
        }
        else if (ReferenceEquals(name, n.Salute))
        {
            ReadParagraph("salute", docLevel);
        }
        else if (ReferenceEquals(name, n.Closer) || ReferenceEquals(name, n.Signed))
        {
            ReadCloser(docLevel);
        }
        else if (ReferenceEquals(name, n.Quote))
        {
            if (!r.IsEmptyElement)
            {
                ReadBlocks(false, "quote");
            }
        }
        else if (ReferenceEquals(name, n.List))
        {
            if (!r.IsEmptyElement)
            {
                ReadBlocks(false, "item", list: true);
            }
        }
        else if (ReferenceEquals(name, n.Item) || ReferenceEquals(name, n.Label))
        {
            ReadParagraph("item", false);
        }
        else if (ReferenceEquals(name, n.Table))
        {
            ReadTable();
        }
        else if (ReferenceEquals(name, n.Row))
        {
            ReadRow();
        }
        else if (ReferenceEquals(name, n.Div) && r.GetAttribute("type") is "document" or "document-pending")
        {
            new TeiDocumentReader(r, n, volume).Read(_output);
        }
        else if (ReferenceEquals(name, n.Classification))
        {
            ReadClassification(docLevel);
        }
        else if (n.IsUnprinted(name))
        {
            Skip();
        }
        else if (!r.IsEmptyElement)
        {
            // attachment, postscript, figure, an inner non-document div: their content follows as blocks
            ReadBlocks(false, null);
        }
    }

    private void ReadParagraph(string? style, bool docLevel)
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var b = Rent();
        ReadChildren(b, Ctx.Body(docLevel, style));
        Emit(b, style);
        Return(b);
    }

    private void ReadCloser(bool docLevel)
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var signedItself = ReferenceEquals(r.LocalName, n.Signed);
        var b = Rent();
        if (signedItself)
        {
            b.BeginCapture();
        }
        ReadChildren(b, Ctx.Body(docLevel, "closer"));
        if (signedItself)
        {
            var s = b.EndCaptureFirstLine();
            if (docLevel && _d.Signed is null && s.Length > 0)
            {
                _d.Signed = s;
            }
        }
        Emit(b, "closer");
        Return(b);
    }

    private void ReadTable()
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var depth = r.Depth;
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element)
            {
                var name = r.LocalName;
                if (ReferenceEquals(name, n.Row))
                {
                    ReadRow();
                }
                else if (ReferenceEquals(name, n.Head))
                {
                    ReadParagraph("head", false);
                }
                else if (ReferenceEquals(name, n.Pb))
                {
                    PageBreakBetweenBlocks();
                }
                else if (IsBlock(name))
                {
                    ReadBlock(name, false, "row");
                }
                else
                {
                    var b = Rent();
                    ReadInline(b, Ctx.Body(false, "row"));
                    Emit(b, "row");
                    Return(b);
                }
            }
            else if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
            {
                return;
            }
        }
    }

    private void ReadRow()
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var depth = r.Depth;
        var b = Rent();
        var ctx = new Ctx("body", false, false, false, false, "row");
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    if (ReferenceEquals(r.LocalName, n.Cell))
                    {
                        // cells are not separated in print by characters; " | " keeps them apart in plain text
                        if (b.HasContent)
                        {
                            b.Append(" | ");
                        }
                        ReadChildren(b, ctx);
                    }
                    else
                    {
                        ReadInline(b, ctx);
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    AppendValue(b);
                    break;
                case XmlNodeType.EndElement:
                    if (r.Depth == depth)
                    {
                        Emit(b, "row");
                        Return(b);
                        return;
                    }
                    break;
            }
        }
    }

    private void PageBreakBetweenBlocks()
    {
        var page = r.GetAttribute("n") ?? "";
        volume.CurrentPage = page;
        if (!_d.HeadSeen && _d.Body.Count == 0)
        {
            // a break before the head: the document starts on this page
            _d.StartPage = page;
        }
        else
        {
            _d.Body.Add(new PageBreak(page));
        }
    }

    /// <summary>Adds the builder's runs to the body as a paragraph, an excision block or page breaks.</summary>
    private void Emit(InlineBuilder b, string? style)
    {
        if (!b.IsEmpty)
        {
            EmitRuns(b.Build(), style);
        }
    }

    private void EmitRuns(List<Inline> runs, string? style)
    {
        if (runs.Count == 0)
        {
            return;
        }
        Excision? only = null;
        var excisions = 0;
        var other = false;
        foreach (var run in runs)
        {
            if (run is ExcisionMark e)
            {
                excisions++;
                only = e.Excision;
            }
            else if (run is not PageBreakMark && !(run is TextRun t && string.IsNullOrWhiteSpace(t.Text)))
            {
                other = true;
                break;
            }
        }
        if (!other && excisions <= 1)
        {
            // nothing but an excision marker (and page breaks): the whole block is withheld
            if (only is not null)
            {
                _d.Body.Add(new ExcisionBlock(only));
            }
            foreach (var run in runs)
            {
                if (run is PageBreakMark pb)
                {
                    _d.Body.Add(new PageBreak(pb.Page));
                }
            }
            return;
        }
        _d.Body.Add(new Paragraph(runs, style));
        Scan(runs, "body");
    }

    // ---- document-level parts -------------------------------------------------------------------------------

    private void ReadHead()
    {
        _d.HeadSeen = true;
        if (r.IsEmptyElement)
        {
            _d.Head = [];
            return;
        }
        var at = _d.HeadExcisions.Count;
        var b = Rent();
        ReadChildren(b, new Ctx("head", false, true, true, false, null));
        var runs = b.Build();
        Return(b);
        // the head's own markers come before those of the source note hung on it
        _d.HeadExcisions.InsertRange(at, runs.OfType<ExcisionMark>().Select(e => e.Excision));
        _d.Head = runs;
    }

    private void ReadSourceNote()
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var b = Rent();
        ReadChildren(b, new Ctx("source note", false, false, false, false, null));
        var runs = b.Build();
        Return(b);
        CollectExcisions(runs);
        var text = Inlines.ToPlainText(runs);
        if (text.Length > 0)
        {
            _d.SourceNotes.Add(text);
            _d.Channel ??= TeiText.Channel(text);
        }
        Scan(runs, "source note");
    }

    private void ReadDateline()
    {
        _d.DatelineSeen = true;
        if (r.IsEmptyElement)
        {
            return;
        }
        var b = Rent();
        ReadChildren(b, new Ctx("head", false, true, false, true, null));
        CollectExcisions(b.Build());
        Return(b);
    }

    private void ReadSeg(bool docLevel)
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var b = Rent();
        b.BeginCapture();
        ReadChildren(b, Ctx.Body(docLevel, "opener"));
        var text = b.EndCapture();
        if (docLevel && TakeMarking(text))
        {
            b.Build();
            Return(b);
            return;
        }
        Emit(b, "opener");
        Return(b);
    }

    private void ReadClassification(bool docLevel)
    {
        var code = r.GetAttribute("level");
        var b = Rent();
        b.BeginCapture();
        if (!r.IsEmptyElement)
        {
            ReadChildren(b, Ctx.Body(docLevel, "opener"));
        }
        var text = b.EndCapture();
        b.Build();
        Return(b);
        if (_d.Classification is not null)
        {
            return;
        }
        var printed = TeiText.MarkingPrefix(text)?.Printed ?? TeiText.MarkingOfCode(code);
        if (printed is not null)
        {
            _d.Classification = printed;
            _d.Level = TeiText.LevelOf(printed);
        }
    }

    private void ReadFootnote(string number, InlineBuilder? anchor)
    {
        anchor?.Add(new FootnoteMark(number));
        if (r.IsEmptyElement)
        {
            _d.Footnotes.Add(new Footnote(number, []));
            return;
        }
        var where = "footnote " + number;
        var b = Rent();
        ReadChildren(b, new Ctx(where, false, false, false, false, null));
        var runs = b.Build();
        Return(b);
        _d.Footnotes.Add(new Footnote(number, runs));
        Scan(runs, where);
        if (_d.Channel is null)
        {
            foreach (var run in runs)
            {
                if (run is TextRun t && TeiText.Channel(t.Text) is { } channel)
                {
                    _d.Channel = channel;
                    break;
                }
            }
        }
    }

    private void CollectExcisions(List<Inline> runs)
    {
        foreach (var run in runs)
        {
            if (run is ExcisionMark e)
            {
                _d.HeadExcisions.Add(e.Excision);
            }
        }
    }

    private void Scan(List<Inline> runs, string where)
    {
        // a term splits a citation across runs ("<gloss>Deptel</gloss> 1422"): text and terms are scanned together.
        // Every citation holds a digit, so text without one is not joined or scanned; a lone run is scanned as it is.
        var i = 0;
        while (i < runs.Count)
        {
            var j = i;
            var length = 0;
            var digits = false;
            while (j < runs.Count && ScannedText(runs[j]) is { } t)
            {
                length += t.Length;
                digits = digits || t.AsSpan().ContainsAnyInRange('0', '9');
                j++;
            }
            if (length > 3 && digits)
            {
                string text;
                if (j - i == 1)
                {
                    text = ScannedText(runs[i])!;
                }
                else
                {
                    _scan.Clear();
                    for (var k = i; k < j; k++)
                    {
                        _scan.Append(ScannedText(runs[k]));
                    }
                    text = _scan.ToString();
                }
                TeiText.ScanText(text, volume.VolumeId, where, _d.References);
            }
            i = j == i ? i + 1 : j;
        }
    }

    private static string? ScannedText(Inline run) => run switch
    {
        TextRun t => t.Text,
        TermMention m => m.Text,
        _ => null,
    };

    // ---- inlines --------------------------------------------------------------------------------------------

    private void ReadChildren(InlineBuilder b, Ctx ctx)
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var depth = r.Depth;
        var first = true;
        var indent = false;
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    // folding makes any white space one space, so only whether it breaks a line matters
                    if (IsIndentation())
                    {
                        // a line break right inside a tag is the file's indentation, not a printed space
                        indent = !first;
                    }
                    else
                    {
                        b.Append(" ");
                    }
                    first = false;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    Pending(b, ref indent);
                    AppendValue(b);
                    first = false;
                    break;
                case XmlNodeType.Element:
                    Pending(b, ref indent);
                    ReadInline(b, ctx);
                    first = false;
                    break;
                case XmlNodeType.EndElement:
                    if (r.Depth == depth)
                    {
                        return;
                    }
                    break;
            }
        }
    }

    // Text goes straight from the reader's buffer into the builder: no string per text node.
    private void AppendValue(InlineBuilder b)
    {
        int count;
        while ((count = r.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
        {
            b.Append(_chunk, count);
        }
    }

    private void AppendValue(StringBuilder sb)
    {
        int count;
        while ((count = r.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
        {
            sb.Append(_chunk, 0, count);
        }
    }

    /// <summary>True when the white-space node the reader is on holds a line break.</summary>
    private bool IsIndentation()
    {
        var found = false;
        int count;
        while ((count = r.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
        {
            found = found || _chunk.AsSpan(0, count).Contains('\n');
        }
        return found;
    }

    private static void Pending(InlineBuilder b, ref bool indent)
    {
        if (indent)
        {
            b.Append(" ");
            indent = false;
        }
    }

    private void ReadInline(InlineBuilder b, Ctx ctx)
    {
        CheckDepth();
        var name = r.LocalName;
        if (ReferenceEquals(name, n.Pb))
        {
            var page = r.GetAttribute("n") ?? "";
            volume.CurrentPage = page;
            b.Add(new PageBreakMark(page));
        }
        else if (ReferenceEquals(name, n.Lb))
        {
            b.Add(Break);
        }
        else if (ReferenceEquals(name, n.Note))
        {
            if (r.GetAttribute("type") == "source" && (ctx.Head || ctx.DocLevel))
            {
                ReadSourceNote();
            }
            else
            {
                ReadFootnote(r.GetAttribute("n") ?? "", b);
            }
        }
        else if (ReferenceEquals(name, n.PersName))
        {
            ReadPerson(b, ctx);
        }
        else if (ReferenceEquals(name, n.Gloss))
        {
            ReadGloss(b, ctx);
        }
        else if (ReferenceEquals(name, n.Ref))
        {
            ReadRef(b, ctx);
        }
        else if (ReferenceEquals(name, n.Hi))
        {
            ReadChildren(b, ctx);
        }
        else if (n.IsUnprinted(name))
        {
            Skip();
        }
        else if (ctx.Dateline && ReferenceEquals(name, n.Date))
        {
            if (!_d.DateSeen)
            {
                _d.When = r.GetAttribute("when");
                _d.From = r.GetAttribute("from");
                _d.To = r.GetAttribute("to");
                _d.NotBefore = r.GetAttribute("notBefore");
                _d.NotAfter = r.GetAttribute("notAfter");
                _d.DateSeen = _d.When is not null || _d.From is not null || _d.To is not null || _d.NotBefore is not null || _d.NotAfter is not null;
            }
            ReadChildren(b, ctx);
        }
        else if (ctx.Dateline && ReferenceEquals(name, n.Time))
        {
            if (_d.TimeWhen is null && _d.TimeFrom is null)
            {
                _d.TimeWhen = r.GetAttribute("when");
                _d.TimeFrom = r.GetAttribute("from");
                _d.TimeTo = r.GetAttribute("to");
            }
            ReadChildren(b, ctx);
        }
        else if (ctx.Dateline && ReferenceEquals(name, n.PlaceName) && _d.Place is null)
        {
            b.BeginCapture();
            ReadChildren(b, ctx);
            var place = b.EndCapture().TrimEnd(PlaceTrail);
            _d.Place = place.Length == 0 ? null : place;
        }
        else if (ReferenceEquals(name, n.Dateline) && ctx.DocLevel && !_d.DatelineSeen)
        {
            // a dateline printed in the closer ("Washington, May 3, 1951.") still dates the document
            _d.DatelineSeen = true;
            ReadChildren(b, ctx with { Dateline = true });
        }
        else if (ReferenceEquals(name, n.Signed) && ctx.DocLevel && _d.Signed is null)
        {
            b.BeginCapture();
            ReadChildren(b, ctx);
            var signed = b.EndCaptureFirstLine();
            _d.Signed = signed.Length == 0 ? null : signed;
        }
        else if (ReferenceEquals(name, n.Classification))
        {
            ReadClassification(ctx.DocLevel);
        }
        else if (IsSplitting(name))
        {
            if (ctx.Split)
            {
                // a list or table inside a paragraph: end the paragraph here and carry on after the block
                Emit(b, ctx.Style);
                ReadBlock(name, false, ReferenceEquals(name, n.P) ? ctx.Style : null);
            }
            else
            {
                if (b.HasContent)
                {
                    b.Add(Break);
                }
                ReadChildren(b, ctx);
            }
        }
        else if (ReferenceEquals(name, n.Cell))
        {
            if (b.HasContent)
            {
                b.Append(" | ");
            }
            ReadChildren(b, ctx);
        }
        else
        {
            ReadChildren(b, ctx);
        }
    }

    private void ReadPerson(InlineBuilder b, Ctx ctx)
    {
        var corresp = r.GetAttribute("corresp");
        var role = ctx.Head ? r.GetAttribute("type") : null;
        var id = PersonId(corresp);
        var (raw, marks) = ReadPlain();
        var text = TeiText.Fold(raw);
        AddMention(b, raw, text, new PersonMention(text, id));
        if (id is not null)
        {
            NotePerson(id, text);
        }
        if (role is "from" or "to")
        {
            Tagged(role, text);
        }
        AddMarks(b, marks);
    }

    private void ReadGloss(InlineBuilder b, Ctx ctx)
    {
        var target = r.GetAttribute("target");
        var role = ctx.Head ? r.GetAttribute("type") : null;
        if (string.IsNullOrWhiteSpace(target))
        {
            if (role is "from" or "to")
            {
                b.BeginCapture();
                ReadChildren(b, ctx);
                Tagged(role, b.EndCapture());
            }
            else
            {
                ReadChildren(b, ctx);
            }
            return;
        }
        var id = target.Trim();
        if (id.StartsWith('#'))
        {
            id = id[1..];
        }
        var (raw, marks) = ReadPlain();
        var text = TeiText.Fold(raw);
        AddMention(b, raw, text, new TermMention(text, id));
        if (_d.TermIds.Add(id))
        {
            _d.Terms.Add(id);
        }
        if (role is "from" or "to")
        {
            Tagged(role, text);
        }
        AddMarks(b, marks);
    }

    private void ReadRef(InlineBuilder b, Ctx ctx)
    {
        var target = r.GetAttribute("target") ?? "";
        var (raw, marks) = ReadPlain();
        var text = TeiText.Fold(raw);
        string? first = null;
        foreach (var token in target.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TeiText.TargetReference(token, volume.VolumeId, text, ctx.Where) is { } reference)
            {
                _d.References.Add(reference);
                first ??= reference.Target;
            }
        }
        AddMention(b, raw, text, new ReferenceMark(text, first ?? target));
        AddMarks(b, marks);
    }

    private void Tagged(string role, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        (role == "from" ? _d.TaggedFrom : _d.TaggedTo).Add(text);
    }

    private void NotePerson(string id, string text)
    {
        if (_d.PersonIds.Add(id))
        {
            var key = id.StartsWith("p_", StringComparison.Ordinal) ? id : id[(id.IndexOf('#') + 1)..];
            var name = volume.PersonNames.TryGetValue(key, out var listed) ? listed : text;
            _d.Persons.Add(new PersonRef(id, name));
        }
    }

    private static string? PersonId(string? corresp)
    {
        if (string.IsNullOrWhiteSpace(corresp))
        {
            return null;
        }
        var c = corresp.Trim();
        var space = c.IndexOf(' ');
        if (space > 0)
        {
            c = c[..space];
        }
        return c.StartsWith('#') ? c[1..] : c;
    }

    // A mention's text is folded; the white space around it stays as text so words do not run together.
    private static void AddMention(InlineBuilder b, string raw, string folded, Inline mention)
    {
        if (folded.Length == 0)
        {
            if (raw.Length > 0)
            {
                b.Append(" ");
            }
            return;
        }
        if (char.IsWhiteSpace(raw[0]))
        {
            b.Append(" ");
        }
        b.Add(mention);
        if (char.IsWhiteSpace(raw[^1]))
        {
            b.Append(" ");
        }
    }

    private static void AddMarks(InlineBuilder b, List<Inline>? marks)
    {
        if (marks is null)
        {
            return;
        }
        foreach (var m in marks)
        {
            b.Add(m);
        }
    }

    /// <summary>The text of the current element (a name, a term, a reference's words); marks inside come back separately.</summary>
    private (string Text, List<Inline>? Marks) ReadPlain()
    {
        if (r.IsEmptyElement)
        {
            return ("", null);
        }
        var sb = _plain.Count > 0 ? _plain.Pop() : new StringBuilder();
        List<Inline>? marks = null;
        ReadPlainInto(sb, ref marks);
        var text = sb.ToString();
        sb.Clear();
        _plain.Push(sb);
        return (text, marks);
    }

    private void ReadPlainInto(StringBuilder sb, ref List<Inline>? marks)
    {
        CheckDepth();
        var depth = r.Depth;
        var first = true;
        var indent = false;
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (!IsIndentation())
                    {
                        sb.Append(' ');
                    }
                    else
                    {
                        indent = !first;
                    }
                    first = false;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    if (indent)
                    {
                        sb.Append(' ');
                        indent = false;
                    }
                    AppendValue(sb);
                    first = false;
                    break;
                case XmlNodeType.Element:
                    if (indent)
                    {
                        sb.Append(' ');
                        indent = false;
                    }
                    first = false;
                    var name = r.LocalName;
                    if (ReferenceEquals(name, n.Note))
                    {
                        var holder = Rent();
                        ReadFootnote(r.GetAttribute("n") ?? "", holder);
                        (marks ??= []).AddRange(holder.Build());
                        Return(holder);
                    }
                    else if (ReferenceEquals(name, n.Pb))
                    {
                        var page = r.GetAttribute("n") ?? "";
                        volume.CurrentPage = page;
                        (marks ??= []).Add(new PageBreakMark(page));
                    }
                    else if (ReferenceEquals(name, n.Lb))
                    {
                        sb.Append(' ');
                    }
                    else if (n.IsUnprinted(name))
                    {
                        Skip();
                    }
                    else if (!r.IsEmptyElement)
                    {
                        if (ReferenceEquals(name, n.PersName) && PersonId(r.GetAttribute("corresp")) is { } id)
                        {
                            var start = sb.Length;
                            ReadPlainInto(sb, ref marks);
                            NotePerson(id, TeiText.Fold(sb.ToString(start, sb.Length - start)));
                        }
                        else
                        {
                            ReadPlainInto(sb, ref marks);
                        }
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (r.Depth == depth)
                    {
                        return;
                    }
                    break;
            }
        }
    }

    private void CheckDepth()
    {
        if (r.Depth > MaxDepth)
        {
            var li = (IXmlLineInfo)r;
            throw new SourceFormatException(volume.Path, li.LineNumber, li.LinePosition,
                $"elements nested more than {MaxDepth} deep (FRUS volumes nest fewer than 20; the file is damaged or not a FRUS volume)");
        }
    }

    private void Skip()
    {
        if (r.IsEmptyElement)
        {
            return;
        }
        var depth = r.Depth;
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
            {
                return;
            }
        }
    }

    private InlineBuilder Rent() => _builders.Count > 0 ? _builders.Pop() : new InlineBuilder();

    private void Return(InlineBuilder b)
    {
        b.Reset();
        _builders.Push(b);
    }

    // ---- the finished document ------------------------------------------------------------------------------

    private Document Finish(DocumentState d)
    {
        var volumeId = volume.VolumeId;
        var title = d.Head is null ? "" : Inlines.ToPlainText(d.Head);
        var bare = TeiText.StripNumber(title);
        var sourceNote = d.SourceNotes.Count == 0 ? null : string.Join(" ", d.SourceNotes);

        var type = DocumentType(d, bare);
        string? from;
        string? to;
        if (d.TaggedFrom.Count > 0 || d.TaggedTo.Count > 0)
        {
            from = d.TaggedFrom.Count == 0 ? null : string.Join(" and ", d.TaggedFrom);
            to = d.TaggedTo.Count == 0 ? null : string.Join(" and ", d.TaggedTo);
        }
        else if (type == "Editorial Note")
        {
            from = to = null;
        }
        else
        {
            (from, to) = TeiText.FromToOfHead(bare);
        }

        var fileNumbers = new List<string>();
        DateOnly? fileDate = null;
        foreach (var note in d.SourceNotes)
        {
            foreach (var f in FileNumber.FindAll(note))
            {
                fileNumbers.Add(f.Text);
                fileDate ??= f.SuffixDate;
            }
        }

        var captions = new List<string>(d.Captions);
        var classification = d.Classification;
        var level = d.Level;
        if (sourceNote is not null)
        {
            var (printed, noteCaptions) = TeiText.SourceNoteMarking(sourceNote);
            if (classification is null && printed is not null)
            {
                classification = printed;
                level = TeiText.LevelOf(printed);
            }
            if (printed is not null)
            {
                captions.AddRange(noteCaptions);
            }
        }
        var paragraphs = 0;
        foreach (var block in d.Body)
        {
            if (block is not Paragraph p)
            {
                continue;
            }
            if (paragraphs++ >= 3)
            {
                break;
            }
            if (classification is null && FirstLine(p) is { } line && TeiText.MarkingPrefix(line) is { Remainder.Length: 0 } m)
            {
                classification = m.Printed;
                level = m.Level;
            }
            else if (p.Content is [TextRun { Text: var opening }, ..] && opening.StartsWith('('))
            {
                var text = p.Text;
                if (text.EndsWith(')') && IsCaptionParagraph(text))
                {
                    captions.Add(text);
                }
            }
        }
        if (classification is null)
        {
            // supplement heads summarise the document: "… Safety of nuclear weapons. Top Secret. 5 pp. …"
            var (printed, _) = TeiText.SourceNoteMarking(bare);
            if (printed is not null && bare.IndexOf(". " + Capitalised(printed), StringComparison.Ordinal) > 0)
            {
                classification = printed;
                level = TeiText.LevelOf(printed);
            }
        }

        var controls = new List<string>();
        foreach (var c in captions)
        {
            AddControls(controls, c);
        }
        if (sourceNote is not null)
        {
            AddControls(controls, sourceNote);
        }

        var pending = d.DivType == "document-pending";
        string? telegramNumber = null;
        if (type == "Telegram")
        {
            telegramNumber = TeiText.TelegramNumberOfHead(bare);
            if (telegramNumber is null)
            {
                string? first = null;
                string? second = null;
                foreach (var block in d.Body)
                {
                    // a handling caption ("(Personal and secret for the Secretary from Crane.)") comes before the number
                    if (block is Paragraph p && !(first is null && p.Text is ['(', .., ')'] caption && IsCaptionParagraph(caption)))
                    {
                        // the number opens the text: the first run is enough
                        var opening = p.Content is [TextRun t, ..] ? t.Text : p.Text;
                        if (first is null)
                        {
                            first = opening;
                        }
                        else
                        {
                            second = opening;
                            break;
                        }
                    }
                }
                telegramNumber = TeiText.TelegramNumberOfBody(first, second);
            }
        }

        return new Document
        {
            Id = DocumentIds.Make(volumeId, d.LocalId),
            Volume = volumeId,
            Number = Number(d.N),
            Type = type,
            Title = title,
            Head = d.Head ?? [],
            From = from,
            To = to,
            Date = DateOf(d, fileDate),
            Place = d.Place,
            FileNumbers = fileNumbers,
            Classification = classification,
            Captions = captions,
            Channel = d.Channel,
            SourceNote = sourceNote,
            Body = d.Body,
            Footnotes = d.Footnotes,
            References = Distinct(d.References),
            Persons = d.Persons,
            Terms = d.Terms,
            Signed = CleanSigned(d.Signed),
            TelegramNumber = telegramNumber,
            Page = d.StartPage,
            SourceSha256 = volume.Sha256,
            Marking = new Marking(level ?? ClassificationLevel.Unclassified, controls),
            Release = pending ? ReleaseState.Withheld : ReleaseState.Released,
            Pending = pending,
            HeadExcisions = d.HeadExcisions,
        };
    }

    private static string Capitalised(string printed) =>
        string.Join(' ', printed.Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static void AddControls(List<string> controls, string text)
    {
        foreach (var control in Markings.ControlsFromCaption(text))
        {
            if (!controls.Contains(control))
            {
                controls.Add(control);
            }
        }
    }

    private static string DocumentType(DocumentState d, string bare)
    {
        if (d.Subtype == "editorial-note")
        {
            return "Editorial Note";
        }
        foreach (var note in d.SourceNotes)
        {
            if (TeiText.TypeFromSourceNote(note) is { } t)
            {
                return t;
            }
        }
        return TeiText.TypeFromHead(bare) ?? "Document";
    }

    private static string? FirstLine(Paragraph p)
    {
        var sb = new StringBuilder();
        foreach (var run in p.Content)
        {
            if (run is LineBreak)
            {
                break;
            }
            sb.Append(run.PlainText);
            if (sb.Length > 40)
            {
                return null;
            }
        }
        return sb.ToString().Trim().TrimEnd('.');
    }

    private static bool IsCaptionParagraph(string text)
    {
        if (text.Length > 300)
        {
            return false;
        }
        var inner = text[1..].TrimStart();
        foreach (var opening in (ReadOnlySpan<string>)["personal", "eyes only", "exclusively", "top secret", "secret", "confidential", "niact", "priority", "urgent", "most immediate", "immediate", "flash", "for "])
        {
            if (inner.StartsWith(opening, StringComparison.OrdinalIgnoreCase))
            {
                return opening != "for " || inner.Contains(" from ", StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }

    private static string? Number(string? n)
    {
        if (n is null)
        {
            return null;
        }
        var t = n.Trim().Trim(NumberBrackets).Trim();
        if (t.Length == 0 || !char.IsAsciiDigit(t[0]))
        {
            return null;
        }
        var i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
        }
        return i == t.Length || (i == t.Length - 1 && char.IsAsciiLetter(t[i])) ? t : null;
    }

    private static string? CleanSigned(string? signed)
    {
        if (signed is null)
        {
            return null;
        }
        var s = signed.Trim().TrimEnd(',');
        if (s.EndsWith('.') && s.Length > 4 && char.IsLower(s[^2]))
        {
            s = s[..^1];
        }
        return s.Length == 0 ? null : s;
    }

    private static DocumentDate? DateOf(DocumentState d, DateOnly? fileDate)
    {
        DocumentDate? date = null;
        if (d.When is not null)
        {
            date = DocumentDate.FromIso(d.When, DateSource.Dateline);
            if (date is { Precision: DatePrecision.Day } day)
            {
                if (d.TimeFrom is not null || d.TimeTo is not null)
                {
                    date = DocumentDate.Range(At(day.From, d.TimeFrom), At(day.From, d.TimeTo), DateSource.Dateline) ?? date;
                }
                else if (d.TimeWhen is not null)
                {
                    date = DocumentDate.FromIso(At(day.From, d.TimeWhen), DateSource.Dateline) ?? date;
                }
            }
        }
        date ??= d.From is not null || d.To is not null ? DocumentDate.Range(d.From, d.To, DateSource.Dateline) : null;
        date ??= d.NotBefore is not null || d.NotAfter is not null ? DocumentDate.Range(d.NotBefore, d.NotAfter, DateSource.Dateline) : null;
        date ??= d.DateMin is not null || d.DateMax is not null ? DocumentDate.Range(d.DateMin, d.DateMax, DateSource.Dateline) : null;
        if (date is null && fileDate is { } f)
        {
            date = DocumentDate.FromIso(f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), DateSource.FileNumber);
        }
        return date;

        static string? At(string day, string? time) => time is null ? null : day + "T" + time.Trim();
    }

    // One reference per target and place: "Legtel 648" cited twice in the body is one reference.
    private static List<Reference> Distinct(List<Reference> references)
    {
        if (references.Count < 2)
        {
            return references;
        }
        var seen = new HashSet<(ReferenceKind, string, string)>();
        var result = new List<Reference>(references.Count);
        foreach (var reference in references)
        {
            if (seen.Add((reference.Kind, reference.Target, reference.Where)))
            {
                result.Add(reference);
            }
        }
        return result;
    }
}
