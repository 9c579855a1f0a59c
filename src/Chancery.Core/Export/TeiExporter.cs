using System.Globalization;
using System.Text;
using System.Xml;
using Chancery.Core.Dates;
using Chancery.Core.Documents;

namespace Chancery.Core.Export;

/// <summary>
/// A document as a FRUS TEI <c>div type="document"</c>, in the TEI namespace, following the conventions of the
/// HistoryAtState/frus volumes: the source note first (file numbers and type), the head with the sender and
/// recipient glossed <c>type="from"</c>/<c>type="to"</c> and footnotes at their anchors
/// (<c>note n="1" xml:id="d578fn1"</c>), an opener with the dateline (<c>placeName</c>, <c>date</c> with
/// <c>@when</c> or <c>@from</c>/<c>@to</c>), the classification as a small-caps seg and the captions, paragraphs
/// with <c>pb</c>, <c>persName/@corresp</c>, <c>gloss/@target</c> and <c>ref/@target</c>, excision markers as the
/// bracketed text FRUS prints, and a closer with the signature.
/// </summary>
public static class TeiExporter
{
    /// <summary>The TEI namespace.</summary>
    public const string TeiNamespace = "http://www.tei-c.org/ns/1.0";

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>The document as one well-formed TEI <c>div</c> element (no XML declaration).</summary>
    public static string Write(Document d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = false,
            // text comes from readers that refuse control characters; anything else that slips in is dropped
            CheckCharacters = false,
            NewLineHandling = NewLineHandling.None,
        };
        using (var w = XmlWriter.Create(sb, settings))
        {
            new Writer(w, d).Write();
        }
        return sb.ToString();
    }

    private sealed class Writer(XmlWriter w, Document d)
    {
        // Notes by label, in order: a label may recur (an enclosure numbers its notes afresh), and each mark takes
        // the next note with its label.
        private readonly Dictionary<string, Queue<Footnote>> _notes = Footnotes(d);
        private readonly HashSet<Footnote> _written = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _ids = [];

        private static Dictionary<string, Queue<Footnote>> Footnotes(Document d)
        {
            var notes = new Dictionary<string, Queue<Footnote>>(StringComparer.Ordinal);
            foreach (var f in d.Footnotes)
            {
                if (!notes.TryGetValue(f.N, out var queue))
                {
                    notes[f.N] = queue = new Queue<Footnote>();
                }
                queue.Enqueue(f);
            }
            return notes;
        }

        public void Write()
        {
            w.WriteStartElement("div", TeiNamespace);
            w.WriteAttributeString("type", d.Pending ? "document-pending" : "document");
            w.WriteAttributeString("subtype", d.Type == "Editorial Note" ? "editorial-note" : "historical-document");
            w.WriteAttributeString("n", d.Number ?? "[n]");
            w.WriteAttributeString("xml", "id", XmlNamespace, Id(d.LocalId, "d"));
            Break();

            SourceNote();
            Head();
            Opener();
            Body();
            Closer();
            UnanchoredNotes();

            w.WriteEndElement();
        }

        private void Break() => w.WriteWhitespace("\n");

        // The source note FRUS prints above the head: "761.93/7–1345: Telegram". A fuller source note ("Source:
        // Department of State, Central Files, 761.93/7–1345. Top Secret.") is written as it stands, after the type
        // in brackets ("[Telegram]"), which is how the older volumes print a type apart.
        private void SourceNote()
        {
            // FRUS source notes name the kind of record ("Telegram", "Despatch"); a finer type ("Memorandum of
            // Conversation") is the head's to say
            var printsType = SourceNoteTypes.Contains(d.Type);
            var files = string.Join("; ", d.FileNumbers);
            var header = files.Length > 0 ? (printsType ? files + ": " + d.Type : files) : printsType ? "[" + d.Type + "]" : null;
            var note = string.IsNullOrWhiteSpace(d.SourceNote) ? null : PlainText.Fold(d.SourceNote);
            if (note is null || (header is not null && Bare(note) == Bare(header)))
            {
                if (header is not null)
                {
                    InlineSourceNote(header);
                }
                return;
            }
            if (printsType)
            {
                InlineSourceNote("[" + d.Type + "]");
            }
            InlineSourceNote(note);
        }

        private static readonly HashSet<string> SourceNoteTypes = ["Telegram", "Airgram", "Despatch", "Instruction", "Memorandum", "Letter"];

        private static string Bare(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

        private void InlineSourceNote(string text)
        {
            w.WriteStartElement("note", TeiNamespace);
            w.WriteAttributeString("rend", "inline");
            w.WriteAttributeString("type", "source");
            Text(text);
            w.WriteEndElement();
            Break();
        }

        // The head, with sender and recipient glossed when the title prints them as read.
        private void Head()
        {
            w.WriteStartElement("head", TeiNamespace);
            var title = PlainText.Fold(d.Title);
            var headRuns = d.Head.Count > 0 && Inlines.ToPlainText(d.Head) == title ? d.Head : [new TextRun(title)];
            var from = d.From is null ? -1 : title.IndexOf(d.From, StringComparison.Ordinal);
            var to = d.To is null || from < 0 ? -1 : title.IndexOf(d.To, from + d.From!.Length, StringComparison.Ordinal);
            if (from >= 0 && to >= 0 && headRuns.All(r => r is TextRun or FootnoteMark))
            {
                // "<gloss type="from">The Ambassador … (Harriman)</gloss> to <gloss type="to">the President …</gloss>"
                var marks = headRuns.OfType<FootnoteMark>().ToList();
                Text(title[..from]);
                Gloss("from", d.From!);
                Text(title[(from + d.From!.Length)..to]);
                Gloss("to", d.To!);
                Text(title[(to + d.To!.Length)..]);
                foreach (var m in marks)
                {
                    Note(m.N);
                }
            }
            else
            {
                Runs(headRuns, "head");
            }
            w.WriteEndElement();
            Break();
        }

        private void Gloss(string type, string text)
        {
            w.WriteStartElement("gloss", TeiNamespace);
            w.WriteAttributeString("type", type);
            Text(text);
            w.WriteEndElement();
        }

        // Dateline, classification and captions.
        private void Opener()
        {
            var dateline = d.Place is not null || d.Date is { Source: not DateSource.FileNumber };
            if (!dateline && d.Classification is null && !d.Captions.Any(c => d.SourceNote is null || !d.SourceNote.Contains(c, StringComparison.Ordinal)))
            {
                return;
            }
            w.WriteStartElement("opener", TeiNamespace);
            if (dateline)
            {
                Dateline();
            }
            if (!string.IsNullOrWhiteSpace(d.Classification))
            {
                w.WriteStartElement("seg", TeiNamespace);
                w.WriteAttributeString("rendition", "#left");
                w.WriteStartElement("hi", TeiNamespace);
                w.WriteAttributeString("rend", "smallcaps");
                Text(d.Classification);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            // a caption the source note states ("Secret; Eyes Only.") is read from there again
            foreach (var caption in d.Captions.Where(c => d.SourceNote is null || !d.SourceNote.Contains(c, StringComparison.Ordinal)))
            {
                w.WriteStartElement("seg", TeiNamespace);
                w.WriteAttributeString("rendition", "#left");
                Text(caption);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            Break();
        }

        private void Dateline()
        {
            w.WriteStartElement("dateline", TeiNamespace);
            if (d.Place is not null)
            {
                w.WriteStartElement("placeName", TeiNamespace);
                Text(d.Place);
                w.WriteEndElement();
                Text(", ");
            }
            w.WriteStartElement("date", TeiNamespace);
            if (d.Date is { Source: not DateSource.FileNumber } date)
            {
                var zone = date.TimeZone is null or "Z" ? (date.TimeZone is null ? "" : "+00:00") : date.TimeZone;
                if (date.From == date.To)
                {
                    w.WriteAttributeString("when", Iso(date.From, zone));
                }
                else
                {
                    w.WriteAttributeString("from", Iso(date.From, zone));
                    w.WriteAttributeString("to", Iso(date.To, zone));
                }
                var printed = TextExporter.FormatDate(date with { TimeZone = null });
                // a date the editors supplied is printed in brackets
                Text(date.Source == DateSource.Editor ? "[" + printed + "]" : printed);
            }
            else
            {
                Text("undated");
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }

        // "1945-07-13T17:00" → "1945-07-13T17:00:00" with its zone; dates without a time take no zone.
        private static string Iso(string value, string zone) =>
            value.Length == 16 ? value + ":00" + zone : value;

        private void Body()
        {
            var signed = d.Signed is null ? null : PlainText.Fold(d.Signed);
            var signedPlaced = false;
            foreach (var block in d.Body)
            {
                switch (block)
                {
                    case PageBreak pb:
                        PageBreak(pb.Page);
                        Break();
                        break;
                    case ExcisionBlock x:
                        w.WriteStartElement("p", TeiNamespace);
                        Text(x.Excision.Text);
                        w.WriteEndElement();
                        Break();
                        break;
                    case Paragraph { Style: "closer" } p:
                        w.WriteStartElement("closer", TeiNamespace);
                        signedPlaced |= CloserContent(p.Content, signedPlaced ? null : signed);
                        w.WriteEndElement();
                        Break();
                        break;
                    case Paragraph p:
                        w.WriteStartElement("p", TeiNamespace);
                        if (p.Style is { Length: > 0 } style && style != "received")
                        {
                            w.WriteAttributeString("rend", style);
                        }
                        Runs(p.Content, "body");
                        w.WriteEndElement();
                        Break();
                        break;
                }
            }
            _signedPlaced = signedPlaced || signed is null;
        }

        private bool _signedPlaced;

        // A closer whose line (or whole text) is the signature has it in <signed>.
        private bool CloserContent(IReadOnlyList<Inline> content, string? signed)
        {
            var lines = SplitLines(content);
            var placed = false;
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    w.WriteStartElement("lb", TeiNamespace);
                    w.WriteEndElement();
                }
                var text = Inlines.ToPlainText(lines[i]);
                if (!placed && signed is not null && (text == signed || text.TrimEnd('.', ',') == signed))
                {
                    w.WriteStartElement("signed", TeiNamespace);
                    Runs(lines[i], "body");
                    w.WriteEndElement();
                    placed = true;
                }
                else if (!placed && signed is not null && lines[i].Count(r => r is TextRun t && t.Text.Contains(signed, StringComparison.Ordinal)) == 1)
                {
                    // "[Francis]", "By Semmes Steele": the signature is part of the line
                    foreach (var run in lines[i])
                    {
                        if (!placed && run is TextRun t && t.Text.IndexOf(signed, StringComparison.Ordinal) is var at and >= 0)
                        {
                            Text(t.Text[..at]);
                            w.WriteStartElement("signed", TeiNamespace);
                            Text(signed);
                            w.WriteEndElement();
                            Text(t.Text[(at + signed.Length)..]);
                            placed = true;
                        }
                        else
                        {
                            Runs([run], "body");
                        }
                    }
                }
                else
                {
                    Runs(lines[i], "body");
                }
            }
            return placed;
        }

        private static List<List<Inline>> SplitLines(IReadOnlyList<Inline> content)
        {
            var lines = new List<List<Inline>> { new() };
            foreach (var run in content)
            {
                if (run is LineBreak)
                {
                    lines.Add([]);
                }
                else
                {
                    lines[^1].Add(run);
                }
            }
            return lines;
        }

        // A signature no closer prints.
        private void Closer()
        {
            if (_signedPlaced || d.Signed is null)
            {
                return;
            }
            w.WriteStartElement("closer", TeiNamespace);
            w.WriteStartElement("signed", TeiNamespace);
            Text(d.Signed);
            w.WriteEndElement();
            w.WriteEndElement();
            Break();
        }

        // Notes no mark anchors are kept, at the end of the last paragraph (FRUS has no notes outside text).
        private void UnanchoredNotes()
        {
            var rest = d.Footnotes.Where(f => !_written.Contains(f)).ToList();
            if (rest.Count == 0)
            {
                return;
            }
            w.WriteStartElement("p", TeiNamespace);
            foreach (var f in rest)
            {
                Note(f);
            }
            w.WriteEndElement();
            Break();
        }

        private void Runs(IReadOnlyList<Inline> runs, string where)
        {
            foreach (var run in runs)
            {
                switch (run)
                {
                    case TextRun t:
                        TextWithReferences(t.Text, where);
                        break;
                    case FootnoteMark m:
                        Note(m.N);
                        break;
                    case PageBreakMark pb:
                        PageBreak(pb.Page);
                        break;
                    case LineBreak:
                        w.WriteStartElement("lb", TeiNamespace);
                        w.WriteEndElement();
                        break;
                    case PersonMention pm:
                        w.WriteStartElement("persName", TeiNamespace);
                        if (pm.PersonId is { Length: > 0 } pid)
                        {
                            w.WriteAttributeString("corresp", pid.Contains('#') ? pid : "#" + pid);
                        }
                        Text(pm.Text);
                        w.WriteEndElement();
                        break;
                    case TermMention tm:
                        w.WriteStartElement("gloss", TeiNamespace);
                        if (tm.TermId is { Length: > 0 } tid)
                        {
                            w.WriteAttributeString("target", tid.Contains('#') ? tid : "#" + tid);
                        }
                        Text(tm.Text);
                        w.WriteEndElement();
                        break;
                    case ReferenceMark rm:
                        Ref(rm.Target, rm.Text);
                        break;
                    case ExcisedText x:
                        // text a review cut, in an export made for a reader cleared to see it
                        w.WriteStartElement("seg", TeiNamespace);
                        w.WriteAttributeString("type", "excised");
                        Text(x.Text);
                        w.WriteEndElement();
                        break;
                    default:
                        // editorial insertions and excision markers are printed text in FRUS TEI
                        Text(run.PlainText);
                        break;
                }
            }
        }

        // Cross-references the document records in words ("See document No. 577") become ref elements.
        private void TextWithReferences(string text, string where)
        {
            foreach (var r in d.References)
            {
                if (r.Kind != ReferenceKind.Document || r.Where != where)
                {
                    continue;
                }
                var evidence = r.Text.StartsWith("See ", StringComparison.OrdinalIgnoreCase) ? r.Text[4..] : r.Text;
                var at = evidence.Length == 0 ? -1 : text.IndexOf(evidence, StringComparison.Ordinal);
                if (at >= 0)
                {
                    TextWithReferences(text[..at], where);
                    Ref(r.Target, evidence);
                    TextWithReferences(text[(at + evidence.Length)..], where);
                    return;
                }
            }
            Text(text);
        }

        private void Ref(string target, string text)
        {
            w.WriteStartElement("ref", TeiNamespace);
            // within the volume FRUS writes "#d577"; elsewhere the full "frus1947v05#pg_575"
            var own = d.Volume + "#";
            w.WriteAttributeString("target", target.StartsWith(own, StringComparison.Ordinal) ? target[(own.Length - 1)..] : target);
            Text(text);
            w.WriteEndElement();
        }

        private void Note(string n)
        {
            if (!_notes.TryGetValue(n, out var queue) || !queue.TryDequeue(out var note))
            {
                return;
            }
            Note(note);
        }

        private void Note(Footnote note)
        {
            _written.Add(note);
            w.WriteStartElement("note", TeiNamespace);
            w.WriteAttributeString("n", note.N);
            w.WriteAttributeString("xml", "id", XmlNamespace, Id(d.LocalId + "fn" + note.N, "fn"));
            Runs(note.Content, "footnote " + note.N);
            w.WriteEndElement();
        }

        private void PageBreak(string page)
        {
            w.WriteStartElement("pb", TeiNamespace);
            w.WriteAttributeString("n", page);
            var id = "pg_" + page;
            if (IsNcName(id) && _ids.Add(id))
            {
                w.WriteAttributeString("xml", "id", XmlNamespace, id);
            }
            w.WriteEndElement();
        }

        // xml:id must be an XML name: odd characters ("fn*") become their code points.
        private string Id(string wanted, string prefix)
        {
            var id = IsNcName(wanted) ? wanted : prefix + "_" + string.Concat(wanted.Select(c =>
                char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c.ToString() : ((int)c).ToString("x", CultureInfo.InvariantCulture)));
            var unique = id;
            for (var i = 2; !_ids.Add(unique); i++)
            {
                unique = id + "_" + i.ToString(CultureInfo.InvariantCulture);
            }
            return unique;
        }

        private static bool IsNcName(string s)
        {
            try
            {
                XmlConvert.VerifyNCName(s);
                return true;
            }
            catch (XmlException)
            {
                return false;
            }
        }

        private void Text(string s)
        {
            var clean = s.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r' || char.IsSurrogate(c))
                ? new string(s.Where((c, i) => !(char.IsControl(c) && c is not '\t' and not '\n' and not '\r')
                    && !(char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])))
                    && !(char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])))).ToArray())
                : s;
            w.WriteString(clean);
        }
    }
}
