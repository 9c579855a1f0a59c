using System.Globalization;
using System.Text;
using Chancery.Core.Dates;
using Chancery.Core.Documents;

namespace Chancery.Core.Export;

/// <summary>
/// A document laid out as FRUS prints it, in the plain-text form of the seed telegram, so that the telegram
/// text reader reads it back to the same document:
/// <code>
/// 761.93/7–1345: Telegram
///
/// No. 578
/// The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State¹
///
/// Moscow, July 13, 1945—5 p.m.
/// top secret
///
/// (Personal and top secret for the President and Secretary of State from Harriman.)
///
/// Soong saw Stalin … (numbers 120015 and 120755, July 11–12²)[.]
///
/// [Page 864]
///
///                                                                Harriman
///
///   1. Sent by the United States Naval Attaché, Moscow, via Navy channels.
/// </code>
/// Footnote markers are Unicode superscripts (a label with none, such as "*", in superscript parentheses: "⁽*⁾");
/// closers are set to the right as printed, the signing line marked "/s/" when a closer holds more than the
/// signature ("Signed: X" when no closer prints it, "[Unsigned]" when a closer is no signature); the source note,
/// when it says more than the first line, is the first, unnumbered note; "()" stands for "no caption" when the first
/// paragraph could be taken for one; "[Untitled]" for an empty head. Markup the printed page does not carry
/// (tagged parties, reference targets, persons' ids) is not written: the telegram reader reads words.
/// </summary>
public static class TextExporter
{
    // The printed measure a closer is set against (the reader needs at least six spaces before it).
    private const int Measure = 72;

    private static readonly string[] MonthNames =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>The document as plain text, one paragraph per line.</summary>
    public static string Write(Document d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder();
        foreach (var block in Layout(d))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }
            foreach (var line in block.Lines)
            {
                sb.Append(block.Kind == LayoutKind.Closer ? Indent(line, Measure) : line).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>The same content for a terminal: paragraphs wrapped to <paramref name="width"/> columns.</summary>
    public static string WriteTerminal(Document d, int width)
    {
        ArgumentNullException.ThrowIfNull(d);
        width = Math.Max(20, width);
        var sb = new StringBuilder();
        foreach (var block in Layout(d))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }
            foreach (var line in block.Lines)
            {
                switch (block.Kind)
                {
                    case LayoutKind.Closer:
                        sb.Append(Indent(line, width)).Append('\n');
                        break;
                    case LayoutKind.Footnotes:
                        // "  1. text" with wrapped lines hanging under the text
                        var label = System.Text.RegularExpressions.Regex.Match(line, @"^\s*\S{1,8}\. ");
                        Wrap(sb, line, width, new string(' ', Math.Min(label.Success ? label.Length : 2, width / 2)));
                        break;
                    default:
                        Wrap(sb, line, width, "");
                        break;
                }
            }
        }
        return sb.ToString();
    }

    private enum LayoutKind { Header, Opener, Captions, Body, Closer, Footnotes }

    private static readonly HashSet<string> NoMarkers = [];

    // The TEI reader's style for a closer (signature block); the telegram reader gives the same.
    private const string CloserStyle = "closer";

    // Marks the signature line of a closer when the closer holds more than the signature.
    private const string SignedMark = "/s/";

    // A signature that no closer prints.
    private const string SignatureLabel = "Signed:";

    // Says the closing lines hold no signature.
    private const string Unsigned = "[Unsigned]";

    /// <summary>
    /// The signature a closer line prints, as the telegram reader takes it: trailing commas and a sentence period
    /// dropped, editors' brackets around a supplied name dropped.
    /// </summary>
    private static string? CleanSignature(string text)
    {
        var s = text.Trim().TrimEnd(',').Trim();
        if (s.Length > 2 && s[0] == '[' && s[^1] == ']' && s.IndexOf('[', 1) < 0)
        {
            s = s[1..^1].Trim();
        }
        if (s.EndsWith('.') && s.Length > 4 && char.IsLower(s[^2]))
        {
            s = s[..^1];
        }
        return s.Length == 0 ? null : s;
    }

    private sealed record LayoutBlock(LayoutKind Kind, List<string> Lines);

    private static IEnumerable<LayoutBlock> Layout(Document d)
    {
        // markers print only for notes that print (an empty note has no line, so its marker would be stray text)
        var printed = d.Footnotes.Where(f => Inlines.ToPlainText(f.Content).Length > 0).Select(f => f.N).ToHashSet();

        yield return new LayoutBlock(LayoutKind.Header, [Line(SourceLine(d))]);

        var head = new List<string>();
        if (d.Number is not null)
        {
            head.Add("No. " + d.Number);
        }
        head.Add(HeadLine(d, printed));
        yield return new LayoutBlock(LayoutKind.Header, head);

        var opener = new List<string>();
        if (Dateline(d) is { } dateline)
        {
            opener.Add(dateline);
        }
        if (!string.IsNullOrWhiteSpace(d.Classification))
        {
            opener.Add(Line(d.Classification));
        }
        if (opener.Count > 0)
        {
            yield return new LayoutBlock(LayoutKind.Opener, opener);
        }
        var captions = d.Captions.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => "(" + Line(c) + ")").ToList();
        if (captions.Count == 0 && FirstBodyLine(d, printed) is { } first && ReadsAsOpener(first))
        {
            // "()" says there is no caption, so a first paragraph such as "(Copy of the Ambassador's paper)" or
            // "January 27, 1894." is not read as caption or dateline
            captions.Add(NoCaption);
        }
        if (captions.Count > 0)
        {
            yield return new LayoutBlock(LayoutKind.Captions, captions);
        }

        var signed = string.IsNullOrWhiteSpace(d.Signed) ? null : Line(d.Signed);
        var firstCloser = d.Body.OfType<Paragraph>().FirstOrDefault(p => p.Style == CloserStyle);
        string? lastLine = null;
        var signatureShown = signed is null || (firstCloser is not null && CleanSignature(firstCloser.Text) == signed);
        foreach (var block in d.Body)
        {
            var lines = block switch
            {
                Paragraph p => Lines(p.Content, printed),
                PageBreak pb => ["[Page " + pb.Page + "]"],
                ExcisionBlock x => [Line(x.Excision.Text)],
                _ => [],
            };
            // an empty paragraph prints nothing, so it has no line of its own
            if (lines.Count == 0)
            {
                continue;
            }
            lastLine = block is Paragraph && lines.Count == 1 ? lines[0] : null;
            if (block is Paragraph { Style: CloserStyle } closer)
            {
                if (!signatureShown && ReferenceEquals(closer, firstCloser))
                {
                    // the signature is one line of the closer ("For the Secretary of State:" / "/s/ William Phillips")
                    var i = lines.FindIndex(l => CleanSignature(l) == signed);
                    if (i >= 0)
                    {
                        lines[i] = SignedMark + " " + lines[i];
                        signatureShown = true;
                    }
                }
                yield return new LayoutBlock(LayoutKind.Closer, lines);
                continue;
            }
            yield return new LayoutBlock(LayoutKind.Body, lines);
        }

        if (!signatureShown)
        {
            yield return new LayoutBlock(LayoutKind.Closer, [SignatureLabel + " " + signed]);
        }
        else if (signed is null && (firstCloser is not null || (lastLine is not null && MayReadAsSignature(lastLine))))
        {
            // a closer, or a last line like a name, would be read as the signature: say there is none
            yield return new LayoutBlock(LayoutKind.Closer, [Unsigned]);
        }

        var notes = new List<string>();
        if (SourceNoteToPrint(d) is { } sourceNote)
        {
            // FRUS hangs the source note on the head as note 1; printed without a number it stays a source note
            notes.Add("  " + sourceNote);
        }
        notes.AddRange(d.Footnotes
            // a note's own markers are not printed: the reader looks for markers in the head and body only
            .Select(f => (f.N, Text: string.Join(" ", Lines(f.Content, NoMarkers))))
            .Where(f => f.Text.Length > 0)
            .Select(f => "  " + f.N + ". " + f.Text));
        if (notes.Count > 0)
        {
            yield return new LayoutBlock(LayoutKind.Footnotes, notes);
        }
    }

    // A short last line that could be a name ("Francis", "[Acheson]"): the reader may take it for the signature.
    private static bool MayReadAsSignature(string line) =>
        line.Length <= 42 && (line[0] == '[' || (char.IsUpper(line[0]) && !line.Any(c => c is ',' or ':' or ';' || char.IsDigit(c))));

    // Says there is no caption.
    private const string NoCaption = "()";

    private static readonly string[] MarkingWords =
        ["top secret", "secret", "confidential", "restricted", "unclassified", "limited official use", "official use only", "strictly confidential"];

    private static string? FirstBodyLine(Document d, IReadOnlySet<string> notes)
    {
        foreach (var block in d.Body)
        {
            switch (block)
            {
                case Paragraph p when Lines(p.Content, notes) is { Count: > 0 } lines:
                    return lines.Count == 1 && p.Style != CloserStyle ? lines[0] : null;
                case Paragraph:
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }

    // A line the reader could take for a caption, a marking or a dateline when it opens the text (a superset: a
    // needless "()" costs nothing).
    private static bool ReadsAsOpener(string line) =>
        (line.StartsWith('(') && line.EndsWith(')'))
        || (line.Length <= 120 && (MonthNames.Any(m => line.Contains(m, StringComparison.Ordinal)) || System.Text.RegularExpressions.Regex.IsMatch(line, @"\b\d{4}\]?\.?$")))
        || MarkingWords.Any(m => line.StartsWith(m, StringComparison.OrdinalIgnoreCase))
        || (line.Length <= 60 && line.Any(char.IsLetter) && line == line.ToUpperInvariant());

    // The head with its footnote markers; when the marked-up head does not print the title, the title wins and
    // its markers follow it.
    private static string HeadLine(Document d, HashSet<string> notes)
    {
        var title = Line(d.Title);
        if (d.Head.Count > 0)
        {
            if (Inlines.ToPlainText(d.Head) == PlainText.Fold(d.Title))
            {
                return string.Join(" ", Lines(d.Head, notes));
            }
            var marks = string.Concat(d.Head.OfType<FootnoteMark>().Where(m => notes.Contains(m.N)).Select(m => Marker(m.N)));
            return title + marks;
        }
        return title.Length > 0 ? title : "[Untitled]";
    }

    // Runs to printed lines: a line break starts a new line, white space folds, marks print as FRUS prints them.
    private static List<string> Lines(IReadOnlyList<Inline> content, IReadOnlySet<string>? notes = null)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < content.Count; i++)
        {
            var run = content[i];
            if (run is FootnoteMark && (i + 1 == content.Count || content[i + 1].PlainText is [var c, ..] && char.IsWhiteSpace(c)))
            {
                // "instant, †" reads as text; the marker goes against the word, the space stays after it
                while (sb.Length > 0 && sb[^1] == ' ')
                {
                    sb.Length--;
                }
            }
            sb.Append(run switch
            {
                FootnoteMark m => notes is null || notes.Contains(m.N) ? Marker(m.N) : "",
                PageBreakMark pb => " [Page " + pb.Page + "] ",
                LineBreak => "\n",
                _ => run.PlainText,
            });
        }
        return sb.ToString().Split('\n').Select(Line).Where(l => l.Length > 0).ToList();
    }

    // The source note, printed first among the notes without a number ("Source: Department of State, …",
    // "File No. 861.51/131 [Telegram]"); one the first line already holds ("711.90H/41") is not repeated.
    private static string? SourceNoteToPrint(Document d)
    {
        var note = d.SourceNote is null ? "" : Line(d.SourceNote);
        static string Bare(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
        // a note that opens like a footnote ("501. BC Kashmir/11–2348: Telegram") would be read as one; such a note
        // names file and type, which the first line already prints
        var numbered = System.Text.RegularExpressions.Regex.IsMatch(note, @"^[^\s.]{1,8}\.\s");
        return note.Length == 0 || numbered || Bare(SourceLine(d)).Contains(Bare(note), StringComparison.Ordinal) ? null : note;
    }

    private static string SourceLine(Document d) =>
        d.FileNumbers.Count > 0 ? string.Join("; ", d.FileNumbers) + ": " + d.Type : d.Type;

    /// <summary>One printed line: white space folded (newlines included), trimmed.</summary>
    private static string Line(string s) => PlainText.Fold(s);

    private const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private const string SuperscriptLetters = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ\0ʳˢᵗᵘᵛʷˣʸᶻ";

    /// <summary>
    /// A footnote marker as a superscript ("12" → "¹²", "8a" → "⁸ᵃ"); a label with no superscript form ("*", "A")
    /// in superscript parentheses ("⁽*⁾"), so it is not taken for a printed asterisk.
    /// </summary>
    public static string Marker(string n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var sb = new StringBuilder(n.Length);
        foreach (var c in n)
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(SuperscriptDigits[c - '0']);
            }
            else if (c is >= 'a' and <= 'z' && SuperscriptLetters[c - 'a'] != '\0')
            {
                sb.Append(SuperscriptLetters[c - 'a']);
            }
            else
            {
                return "⁽" + n + "⁾";
            }
        }
        return sb.ToString();
    }

    // "Moscow, July 13, 1945—5 p.m."; "[Washington,]"-style supplied places are not distinguished in the model.
    private static string? Dateline(Document d)
    {
        var place = string.IsNullOrWhiteSpace(d.Place) ? null : Line(d.Place);
        string? phrase = null;
        if (d.Date is { } date)
        {
            phrase = date.Source switch
            {
                DateSource.Editor => "[" + FormatDate(date) + "]",
                // a date inferred from the file number is not printed: the reader infers it again
                DateSource.FileNumber => place is null ? null : "undated",
                _ => FormatDate(date),
            };
        }
        else if (place is not null)
        {
            phrase = "undated";
        }
        if (phrase is null)
        {
            return null;
        }
        return place is null ? phrase : place + ", " + phrase;
    }

    /// <summary>
    /// A date as FRUS prints it: "July 13, 1945", "July 13, 1945—5 p.m.", "July 11–12, 1945",
    /// "July 30–August 2, 1945", "July 1945", "1945–1946".
    /// </summary>
    public static string FormatDate(DocumentDate date)
    {
        ArgumentNullException.ThrowIfNull(date);
        return FormatDay(date) + ZoneSuffix(date.TimeZone);
    }

    /// <summary>
    /// The zone of a dated time as it follows the whole date: "" when the source gives none, " GMT" for Zulu times
    /// (FRUS prints them as "2322Z"), else " GMT" with the offset.
    /// </summary>
    public static string ZoneSuffix(string? timeZone) => timeZone switch
    {
        null or "" => "",
        "+00:00" or "Z" => " GMT",
        var z => " GMT" + z,
    };

    private static string FormatDay(DocumentDate date)
    {
        var a = Point.Parse(date.From);
        var b = Point.Parse(date.To);
        if (a is null || b is null)
        {
            return date.From == date.To ? date.From : date.From + "–" + date.To;
        }
        if (date.From == date.To)
        {
            return a.Format(withYear: true);
        }
        var (p, q) = (a, b);
        if (p.Kind == q.Kind && p.Year == q.Year)
        {
            if (p.Kind == 10 && p.Month == q.Month)
            {
                return $"{MonthNames[p.Month - 1]} {p.Day}–{q.Day}, {p.Year}";
            }
            if (p.Kind == 10)
            {
                return $"{MonthNames[p.Month - 1]} {p.Day}–{MonthNames[q.Month - 1]} {q.Day}, {p.Year}";
            }
            if (p.Kind == 7)
            {
                return $"{MonthNames[p.Month - 1]}–{MonthNames[q.Month - 1]} {p.Year}";
            }
        }
        return p.Format(withYear: true) + "–" + q.Format(withYear: true);
    }

    // One end of a date, from its ISO prefix; Kind is the prefix length (4, 7, 10, 16).
    private sealed record Point(int Kind, int Year, int Month, int Day, int Hour, int Minute)
    {
        public static Point? Parse(string iso)
        {
            static int N(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
            try
            {
                return iso.Length switch
                {
                    4 => new Point(4, N(iso), 0, 0, 0, 0),
                    7 => new Point(7, N(iso[..4]), N(iso[5..7]), 0, 0, 0),
                    10 => new Point(10, N(iso[..4]), N(iso[5..7]), N(iso[8..10]), 0, 0),
                    >= 16 when iso[10] == 'T' => new Point(16, N(iso[..4]), N(iso[5..7]), N(iso[8..10]), N(iso[11..13]), N(iso[14..16])),
                    _ => null,
                } is { } p && (p.Kind == 4 || p.Month is >= 1 and <= 12) ? p : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        public string Format(bool withYear) => Kind switch
        {
            4 => Year.ToString(CultureInfo.InvariantCulture),
            7 => $"{MonthNames[Month - 1]} {Year}",
            10 => $"{MonthNames[Month - 1]} {Day}, {Year}",
            _ => $"{MonthNames[Month - 1]} {Day}, {Year}—{Time()}",
        };

        private string Time()
        {
            if (Minute == 0 && Hour == 12)
            {
                return "noon";
            }
            if (Minute == 0 && Hour == 0)
            {
                return "midnight";
            }
            var h = Hour % 12 == 0 ? 12 : Hour % 12;
            var m = Minute == 0 ? "" : ":" + Minute.ToString("00", CultureInfo.InvariantCulture);
            return $"{h}{m} {(Hour < 12 ? "a.m." : "p.m.")}";
        }
    }

    private static string Indent(string line, int width) =>
        new string(' ', Math.Max(8, width - line.Length)) + line;

    private static void Wrap(StringBuilder sb, string line, int width, string hanging)
    {
        var current = new StringBuilder();
        var leading = line.Length - line.TrimStart().Length;
        current.Append(line, 0, leading);
        var first = true;
        foreach (var word in line.TrimStart().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var empty = first;
            if (!empty && current.Length + 1 + word.Length > width)
            {
                sb.Append(current).Append('\n');
                current.Clear().Append(hanging);
                empty = true;
            }
            if (!empty)
            {
                current.Append(' ');
            }
            current.Append(word);
            first = false;
        }
        sb.Append(current).Append('\n');
    }
}
