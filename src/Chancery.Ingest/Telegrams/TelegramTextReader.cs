using System.Text.RegularExpressions;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Files;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// Reads a telegram in the plain-text form FRUS prints (the seed's form), which is also the form
/// <see cref="Chancery.Core.Export.TextExporter"/> writes:
/// <code>
/// 761.93/7–1345: Telegram                     source line: file numbers and type (or the type alone)
///
/// No. 578                                     the edition's number (optional)
/// The Ambassador … to the Secretary of State¹ head; markers as superscripts (¹, ⁸ᵃ, ⁽*⁾) or typed digits ("State 1")
///
/// Moscow, July 13, 1945—5 p.m.                dateline (optional; "[July 13, 1945]" is a date the editors supplied)
/// [Received July 14—9 a.m.]                   kept as a paragraph with style "received"
/// top secret                                  classification (optional)
///
/// (Personal and top secret for …)             captions (optional; bare NIACT, NODIS, EYES ONLY …; "()" for none)
///
/// 482. Soong saw Stalin … [Page 864] …        paragraphs, separated by blank lines; the number stays printed
///
/// [Page 864]                                  page breaks
///
///                          Harriman           closers set to the right (style "closer"); the first one signs,
///                          /s/ Harriman       or its line marked "/s/"; "Signed: X" signs apart, "[Unsigned]" not;
///                                             a lone name the head names ("Harriman") closes a typed telegram
///
///   Source: Department of State, …            notes, set in a little: the source note unnumbered first,
///   1. Sent by …                              then the footnotes
/// </code>
/// A telegram read from text is an original: it is <see cref="ReleaseState.Withheld"/> until a review releases it.
/// Sender, recipient, references, channel and telegram number are read from the words as the TEI reader reads
/// them, so the two readers agree on the same printed text.
/// </summary>
public static partial class TelegramTextReader
{
    /// <summary>The longest text read as one telegram (16 Mi characters): far beyond any telegram, short of exhausting memory.</summary>
    public const int MaxChars = 16 * 1024 * 1024;

    /// <summary>Reads one telegram from a file into <paramref name="volumeId"/>.</summary>
    /// <exception cref="SourceFormatException">The file is not telegram text; the message says where and why.</exception>
    public static Document ReadFile(string path, string volumeId)
    {
        if (new FileInfo(path).Length > MaxChars * 4L)
        {
            throw new SourceFormatException(path, 1, 1, $"file too large for a telegram (over {MaxChars * 4L} bytes; split the file)");
        }
        var bytes = File.ReadAllBytes(path);
        var text = TextSource.Decode(bytes, path);
        return Read(text, path, volumeId, Hashing.Sha256(bytes));
    }

    /// <summary>Reads one telegram from text; <paramref name="path"/> is used in error messages.</summary>
    /// <exception cref="SourceFormatException">The text is not a telegram; the message says where and why.</exception>
    public static Document Read(string text, string path, string volumeId, string sourceSha256)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        if (text.Length > MaxChars)
        {
            throw new SourceFormatException(path, 1, 1, $"text too large for a telegram (over {MaxChars} characters; split the file)");
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        var lines = TextSource.Lines(text);
        CheckCharacters(lines, path);
        var blocks = TextSource.Blocks(lines);
        if (blocks.Count == 0)
        {
            throw new SourceFormatException(path, 1, 1,
                "empty file (a telegram needs a source line such as \"761.93/7–1345: Telegram\", a head line and its text)");
        }
        return new Parser(path, volumeId, sourceSha256, blocks).Parse();
    }

    private static void CheckCharacters(List<SourceLine> lines, string path)
    {
        foreach (var line in lines)
        {
            for (var i = 0; i < line.Text.Length; i++)
            {
                var c = line.Text[i];
                if (c == '\0' || (char.IsControl(c) && c is not '\t' and not '\f'))
                {
                    throw new SourceFormatException(path, line.Number, i + 1,
                        $"binary data (control character U+{(int)c:X4}), not telegram text (give the telegram as UTF-8 text)");
                }
                if (c == '\uFFFD')
                {
                    throw new SourceFormatException(path, line.Number, i + 1,
                        "replacement character U+FFFD: the text was not valid UTF-8 when it was decoded (save the file as UTF-8 text)");
                }
            }
        }
    }

    // A closer is set to the right: at least this many spaces before each line (footnotes are indented 1–4).
    private const int ClosingIndent = 6;

    // Marks the signature line inside a closer when it is not the whole closer ("For the Secretary of State:" above it).
    private const string SignedMark = "/s/";

    // A signature printed apart from any closer.
    private const string SignatureLabel = "Signed:";

    // Stands for a head the source left empty.
    private const string Untitled = "[Untitled]";

    // Says a closing line is no signature.
    private const string Unsigned = "[Unsigned]";

    [GeneratedRegex(@"^No\.\s*(?<n>[^\s]+?)\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLine();

    [GeneratedRegex(@"^No\.\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumberLine();

    // "  1. Sent by …", "  *. …": indented a little (a signature is set far to the right), a short label, a period, the text.
    [GeneratedRegex(@"^(?:[ ]{1,5}|\t)(?<n>[^\s.]{1,8})\.[ \t]+(?<text>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FootnoteLine();

    [GeneratedRegex(@"^(?:_{3,}|-{3,}|—{2,}|[Ff]ootnotes:?)$", RegexOptions.CultureInvariant)]
    private static partial Regex FootnoteRule();

    // Handling and precedence captions printed bare: "NIACT", "PRIORITY", "NODIS", "EYES ONLY", "NIACT—NODIS".
    [GeneratedRegex(@"^(?:(?:NIACT|PRIORITY|IMMEDIATE|OPERATIONAL IMMEDIATE|FLASH|ROUTINE|URGENT|NODIS|EXDIS|LIMDIS|NOFORN|SPECAT(?: EXCLUSIVE)?|EYES ONLY|PERSONAL|CHEROKEE|ROGER CHANNEL)(?:[ ]?[—–/,;-][ ]?|[ ]+|\.?$))+$", RegexOptions.CultureInvariant)]
    private static partial Regex BareCaption();

    // "[Received July 14—9 a.m.]"; in parentheses it is a caption ("(Received at 7:10 p.m)")
    [GeneratedRegex(@"^\[Received\b.*\]\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedLine();

    // A signature standing alone as the last line: "Harriman", "[Harriman]", "W. Q. Gresham."
    [GeneratedRegex(@"^(?:\[[\p{Lu}][^\[\]]{0,40}\]|[\p{Lu}][\p{L}'’.\-]*(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|du|da|of)){0,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex SignatureLine();

    [GeneratedRegex(@"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}(?:[–-]\d{1,2})?(?:,\s+\d{4})?", RegexOptions.CultureInvariant)]
    private static partial Regex PrintedDay();


    /// <summary>One pass over the blocks of a telegram.</summary>
    private sealed class Parser(string path, string volumeId, string sha, List<List<SourceLine>> blocks)
    {
        private readonly List<(SourceLine Line, string N, string Text)> _footnotes = [];
        private string? _sourceNote;
        private string? _classification;
        private string? _place;
        private DocumentDate? _date;
        private readonly List<string> _captions = [];
        private readonly List<(string Text, int Line)> _received = [];

        public Document Parse()
        {
            var bodyEnd = ReadFootnotes();
            var cursor = new Cursor(blocks, bodyEnd);

            // the source line, the number, the head
            var first = cursor.Current!.Value;
            string? sourceLine = null;
            string? number = null;
            if (!IsNumberLine(first.Trimmed, out _))
            {
                sourceLine = first.Trimmed;
                CheckSourceLine(first);
                cursor.Next();
            }
            if (cursor.Current is { } numberLine && IsNumberLine(numberLine.Trimmed, out var n))
            {
                number = n;
                cursor.Next();
            }
            else if (cursor.Current is { } bare && BareNumberLine().IsMatch(bare.Trimmed))
            {
                throw new SourceFormatException(path, bare.Number, 1, "\"No.\" without a number (write the document number, e.g. \"No. 578\")");
            }
            if (cursor.Current is not { } headLine)
            {
                var last = blocks[Math.Max(0, bodyEnd - 1)][^1];
                var what = number is null ? $"after \"{sourceLine}\"" : $"after \"No. {number}\"";
                throw new SourceFormatException(path, last.Number, 1,
                    $"no head line {what} (the next line names sender and recipient, e.g. \"The Ambassador in the Soviet Union (Harriman) to the Secretary of State\")");
            }
            if (!LooksLikeHead(headLine.Trimmed))
            {
                throw new SourceFormatException(path, headLine.Number, 1,
                    $"expected a head line naming sender and recipient, found \"{Clip(headLine.Trimmed)}\" (write \"No. N\" and the head after the source line)");
            }
            var headParts = new List<string> { headLine.Trimmed };
            cursor.Next();
            // the head may run over several lines until a blank line or an opener line
            while (cursor.Current is { } more && !cursor.AtBlockStart && !IsOpenerLine(more.Trimmed))
            {
                headParts.Add(more.Trimmed);
                cursor.Next();
            }
            var headText = string.Join(" ", headParts);

            ReadOpener(cursor);
            var body = ReadBody(cursor, headText);
            return Build(sourceLine, number, headText, body);
        }

        private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "…";

        private void CheckSourceLine(SourceLine line)
        {
            var t = line.Trimmed;
            var (files, _) = SplitSource(t);
            if (files.Count > 0)
            {
                return;
            }
            // without file numbers the line is just the type ("Telegram", "Editorial Note"); running text is not
            if (t.Length > 120 || Regex.IsMatch(t, @"[.!?]\s+\p{Lu}") && t.Split(' ').Length > 12)
            {
                throw new SourceFormatException(path, line.Number, 1,
                    "expected a source line such as \"761.93/7–1345: Telegram\" or a \"No. 578\" line, found running text (start the file with the file number and type, then the number and head)");
            }
        }

        // a head may look like a date ("Decree—Law No. 754 of May 9th, 1936"), never like a marking or a caption
        private static bool LooksLikeHead(string t) => t.Length > 0 && !InlineText.IsPageLine(t) && !IsNumberLine(t, out _)
            && !IsClassification(t, out _) && !IsCaption(t) && !ReceivedLine().IsMatch(t);

        private static bool IsNumberLine(string t, out string number)
        {
            var m = NumberLine().Match(t);
            number = m.Success ? m.Groups["n"].Value : "";
            return m.Success;
        }

        /// <summary>Splits "761.93/7–1345; 740.0011/7–1345: Telegram" into file numbers and type.</summary>
        internal static (List<string> Files, string Type) SplitSource(string line)
        {
            var i = line.IndexOf(": ", StringComparison.Ordinal);
            if (i < 0 && line.EndsWith(':'))
            {
                i = line.Length - 1;
            }
            if (i > 0)
            {
                var pieces = line[..i].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (pieces.Length > 0 && pieces.All(p => p.Any(char.IsAsciiDigit) && p.Length <= 80))
                {
                    var type = line[(i + 1)..].Trim();
                    return ([.. pieces], type.Length == 0 ? "Telegram" : type);
                }
            }
            return ([], line);
        }

        // Notes close the text, indented a little: the source note first when printed (unnumbered), then footnotes
        // "N. text"; wrapped lines continue the note above. A rule ("____") may stand before them.
        private int ReadFootnotes()
        {
            var end = blocks.Count;
            for (var b = blocks.Count - 1; b >= 1; b--)
            {
                var block = blocks[b];
                var start = FootnoteRule().IsMatch(block[0].Trimmed) && block.Count > 1 ? 1 : 0;
                var notes = block.Skip(start).ToList();
                // body text is never indented: a last block set in a little holds notes (maybe only the source note)
                var isNotes = notes.All(l => IsNoteIndent(l.Text))
                    && (notes.Any(l => FootnoteLine().IsMatch(l.Text)) || b == blocks.Count - 1);
                if (!isNotes)
                {
                    if (FootnoteRule().IsMatch(block[0].Trimmed) && block.Count == 1 && end == b + 1)
                    {
                        end = b;
                    }
                    break;
                }
                end = b;
            }
            for (var b = end; b < blocks.Count; b++)
            {
                foreach (var line in blocks[b])
                {
                    if (FootnoteRule().IsMatch(line.Trimmed))
                    {
                        continue;
                    }
                    var m = FootnoteLine().Match(line.Text);
                    var text = m.Success ? InlineText.FoldLine(m.Groups["text"].Value) : InlineText.FoldLine(line.Trimmed);
                    if (m.Success)
                    {
                        _footnotes.Add((line, m.Groups["n"].Value, text));
                    }
                    else if (_footnotes.Count == 0)
                    {
                        // unnumbered lines before the first footnote: the source note
                        _sourceNote = _sourceNote is null ? text : _sourceNote + " " + text;
                    }
                    else
                    {
                        var last = _footnotes[^1];
                        _footnotes[^1] = (last.Line, last.N, last.Text + " " + text);
                    }
                }
            }
            return end;
        }

        // Notes sit 1–5 columns in (a closer sits further right).
        private static bool IsNoteIndent(string line)
        {
            var indent = line.Length - line.TrimStart().Length;
            return line.StartsWith('\t') || indent is >= 1 and < ClosingIndent;
        }

        private static bool IsOpenerLine(string t) => IsDateline(t, out _, out _, out _) || IsClassification(t, out _)
            || IsCaption(t) || ReceivedLine().IsMatch(t);

        // "top secret", "official use only": a marking alone on its line, as the TEI reader takes one.
        private static bool IsClassification(string t, out string printed)
        {
            printed = "";
            if (t.Length > 80 || TeiText.MarkingPrefix(t) is not { } m)
            {
                return false;
            }
            if (m.Remainder.Length > 0)
            {
                // "Secret NIACT" opening a text is a paragraph to the TEI reader too
                return false;
            }
            printed = m.Printed;
            return true;
        }

        private static bool IsCaption(string t) =>
            (t.Length >= 2 && t[0] == '(' && t[^1] == ')' && Balanced(t)) || BareCaption().IsMatch(t);

        // "(a) … (b)" is two parentheticals, not one caption.
        private static bool Balanced(string t)
        {
            var depth = 0;
            for (var i = 0; i < t.Length; i++)
            {
                depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
                if (depth == 0 && i < t.Length - 1)
                {
                    return false;
                }
            }
            return depth == 0;
        }

        // Dateline, received line and classification, then captions; each a block of its own or sharing one.
        private void ReadOpener(Cursor cursor)
        {
            var sawCaptions = false;
            var sawDateline = false;
            while (cursor.Current is not null && !sawCaptions)
            {
                var block = cursor.RestOfBlock();
                if (!block.All(l => !l.Indented && IsOpenerLine(l.Trimmed)))
                {
                    return;
                }
                foreach (var line in block)
                {
                    var t = line.Trimmed;
                    if (ReceivedLine().IsMatch(t))
                    {
                        _received.Add((t, line.Number));
                    }
                    else if (!sawDateline && _classification is null && _captions.Count == 0 && IsDateline(t, out var place, out var date, out var problem))
                    {
                        if (problem is not null)
                        {
                            throw new SourceFormatException(path, line.Number, 1, $"{problem} in the dateline \"{t}\" (correct the date)");
                        }
                        _place = place;
                        _date = date;
                        sawDateline = true;
                    }
                    else if (_classification is null && IsClassification(t, out var printed))
                    {
                        _classification = printed;
                    }
                    else if (IsCaption(t))
                    {
                        // "()" says there is no caption: the block only closes the opener
                        var caption = t[0] == '(' ? t[1..^1].Trim() : t;
                        if (caption.Length > 0)
                        {
                            _captions.Add(caption);
                        }
                        sawCaptions = true;
                    }
                    else
                    {
                        // a second dateline or classification: leave the block to the body
                        return;
                    }
                    cursor.Next();
                }
            }
        }

        /// <summary>"Moscow, July 13, 1945—5 p.m.", "[Washington,] January 28, 1948.", "July 13, 1945", "[July 13, 1945]".</summary>
        internal static bool IsDateline(string line, out string? place, out DocumentDate? date, out string? problem)
        {
            place = null;
            date = null;
            problem = null;
            var t = line.Trim();
            for (var i = 0; i <= t.Length; i++)
            {
                if (i > 0 && !(t[i - 1] == ' ' && i >= 2 && (t[i - 2] is ',' or ']')))
                {
                    continue;
                }
                var phrase = t[i..];
                var source = DateSource.Dateline;
                var inner = phrase.TrimEnd('.');
                if (inner.Length > 2 && inner[0] == '[' && inner[^1] == ']' && inner.IndexOf(']') == inner.Length - 1)
                {
                    // a date the editors supplied is printed in brackets
                    phrase = inner[1..^1];
                    source = DateSource.Editor;
                }
                var placeText = i == 0 ? null : CleanPlace(t[..i]);
                if (placeText is not null && placeText.Length > 80)
                {
                    continue;
                }
                if (phrase.TrimEnd('.').Equals("undated", StringComparison.OrdinalIgnoreCase) && placeText is not null)
                {
                    place = placeText;
                    return true;
                }
                var outcome = PrintedDates.TryParse(phrase, source, out var d, out var why);
                if (outcome == PrintedDates.Outcome.NotADate
                    || (d is { Precision: DatePrecision.Year } && placeText is not null && placeText.Any(char.IsAsciiDigit)))
                {
                    // "Decree—Law No. 754 of May 9th, 1936" is no place and year
                    continue;
                }
                place = placeText;
                date = d;
                problem = outcome == PrintedDates.Outcome.Invalid ? why ?? "not a date" : null;
                return true;
            }
            return false;
        }

        // "[Washington,] " → "Washington"; "Moscow, " → "Moscow".
        private static string? CleanPlace(string s)
        {
            var p = s.Trim();
            if (p.StartsWith('[') && p.EndsWith(']'))
            {
                p = p[1..^1];
            }
            p = p.TrimEnd(',', ' ');
            return p.Length == 0 ? null : p;
        }

        // Body blocks up to the footnotes. Blocks set to the right are closers (a signature, "For the Secretary of
        // State:"); a lone name closing a plainly typed telegram is one too.
        private List<(List<SourceLine> Lines, BlockKind Kind)> ReadBody(Cursor cursor, string headText)
        {
            var result = new List<(List<SourceLine>, BlockKind)>();
            while (cursor.Current is not null)
            {
                var block = cursor.RestOfBlock();
                foreach (var _ in block)
                {
                    cursor.Next();
                }
                result.Add((block, Classify(block)));
            }
            if (result.Count > 1 && result[^1] is ({ Count: 1 } last, BlockKind.Paragraph)
                && result.Take(result.Count - 1).Any(b => b.Item2 == BlockKind.Paragraph) && IsLoneSignature(last[0].Trimmed, headText))
            {
                result[^1] = (last, BlockKind.Closer);
            }
            return result;
        }

        // A lone name closing the text signs it when the head names the sender so: "Harriman" or "[Harriman]"
        // under "The Ambassador in the Soviet Union (Harriman) to …". A closing line the head does not name is text.
        private static bool IsLoneSignature(string t, string head)
        {
            if (t.Length > 42 || !SignatureLine().IsMatch(t) || InlineText.IsPageLine(t) || Excision.Contains(t) || ReceivedLine().IsMatch(t))
            {
                return false;
            }
            var name = CleanSignature(t);
            var surname = name?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('.');
            return surname is { Length: > 1 } && Regex.IsMatch(head, @"\b" + Regex.Escape(surname) + @"\b");
        }

        private enum BlockKind { Paragraph, PageBreak, Excision, Received, Closer, Signature }

        private static BlockKind Classify(List<SourceLine> block)
        {
            if (block.All(l => l.Text.Length - l.Text.TrimStart().Length >= ClosingIndent))
            {
                return block.Count == 1 && (block[0].Trimmed.StartsWith(SignatureLabel, StringComparison.Ordinal) || block[0].Trimmed == Unsigned)
                    ? BlockKind.Signature
                    : BlockKind.Closer;
            }
            if (block.Count == 1)
            {
                var t = block[0].Trimmed;
                if (InlineText.IsPageLine(t))
                {
                    return BlockKind.PageBreak;
                }
                var excisions = Excision.FindAll(t).ToList();
                if (excisions.Count == 1 && excisions[0].Index == 0 && excisions[0].Length == t.Length)
                {
                    return BlockKind.Excision;
                }
                if (ReceivedLine().IsMatch(t))
                {
                    return BlockKind.Received;
                }
            }
            return BlockKind.Paragraph;
        }

        private Document Build(string? sourceLine, string? number, string headText,
            List<(List<SourceLine> Lines, BlockKind Kind)> bodyBlocks)
        {
            string? markedSignature = null;
            string? separateSignature = null;
            var unsigned = false;
            var (files, type) = sourceLine is null ? ([], "Telegram") : SplitSource(sourceLine);

            // segments in reading order: head, received lines, body paragraphs; footnotes after
            var head = new TextSegment(InlineText.FoldLine(headText), "head", markers: true);
            InlineText.MarkFixed(head, editorial: false);
            var segments = new List<TextSegment> { head };
            var blocksOut = new List<(BlockKind Kind, TextSegment? Segment, string Value)>();
            foreach (var (text, _) in _received)
            {
                var seg = new TextSegment(text, "body", markers: true) { IsReceived = true };
                segments.Add(seg);
                blocksOut.Add((BlockKind.Received, seg, text));
            }
            foreach (var (lines, kind) in bodyBlocks)
            {
                switch (kind)
                {
                    case BlockKind.PageBreak:
                        blocksOut.Add((kind, null, InlineText.PageLine(lines[0].Trimmed)!));
                        break;
                    case BlockKind.Excision:
                        blocksOut.Add((kind, null, lines[0].Trimmed));
                        break;
                    case BlockKind.Signature when lines[0].Trimmed == Unsigned:
                        unsigned = true;
                        break;
                    case BlockKind.Signature:
                        separateSignature ??= InlineText.FoldLine(lines[0].Trimmed[SignatureLabel.Length..].Trim());
                        break;
                    default:
                        var printed = lines.Select(l => InlineText.FoldLine(l.Trimmed)).ToList();
                        if (kind == BlockKind.Closer)
                        {
                            // "/s/ William Phillips": the line of the closer that is the signature
                            for (var i = 0; i < printed.Count; i++)
                            {
                                if (printed[i].StartsWith(SignedMark, StringComparison.Ordinal))
                                {
                                    printed[i] = printed[i][SignedMark.Length..].TrimStart();
                                    markedSignature ??= CleanSignature(printed[i]);
                                }
                            }
                        }
                        var seg = new TextSegment(string.Join("\n", printed), "body", markers: true) { IsReceived = kind == BlockKind.Received };
                        InlineText.MarkFixed(seg, editorial: false);
                        segments.Add(seg);
                        blocksOut.Add((kind, seg, ""));
                        break;
                }
            }
            // markers first: "[from Endicott²]" holds a marker, so the brackets are not one editorial mark
            FootnoteMarkers.Resolve(segments, _footnotes.Select(f => f.N).ToList());
            foreach (var seg in segments.Skip(1).Where(x => !x.IsReceived))
            {
                InlineText.MarkEditorial(seg);
            }
            InlineText.MarkEditorial(head);

            var headInlines = head.ToInlines();
            var title = Inlines.ToPlainText(headInlines);
            if (title == Untitled)
            {
                // the text exporter's stand-in for a source with an empty head
                (title, headInlines) = ("", []);
            }

            var body = new List<Block>();
            foreach (var (kind, seg, value) in blocksOut)
            {
                body.Add(kind switch
                {
                    BlockKind.PageBreak => new PageBreak(value),
                    BlockKind.Excision => new ExcisionBlock(Excision.FindAll(value).First().Excision),
                    BlockKind.Received => new Paragraph(seg!.ToInlines(), "received"),
                    BlockKind.Closer => new Paragraph(seg!.ToInlines(), "closer"),
                    _ => new Paragraph(seg!.ToInlines()),
                });
            }

            var footnotes = new List<Footnote>();
            foreach (var (_, n, text) in _footnotes)
            {
                var seg = new TextSegment(text, "footnote " + n, markers: false);
                InlineText.MarkFixed(seg);
                footnotes.Add(new Footnote(n, seg.ToInlines()));
            }

            var firstCloser = body.OfType<Paragraph>().FirstOrDefault(p => p.Style == "closer");
            var signed = unsigned ? null
                : markedSignature ?? separateSignature ?? (firstCloser is null ? null : CleanSignature(firstCloser.Text));

            var references = new List<Reference>();
            foreach (var p in body.OfType<Paragraph>())
            {
                FindReferences(p.Text, "body", references);
            }
            foreach (var f in footnotes)
            {
                FindReferences(f.Text, "footnote " + f.N, references);
            }
            if (_sourceNote is not null)
            {
                FindReferences(_sourceNote, "source note", references);
            }
            references = references.DistinctBy(r => (r.Kind, r.Target, r.Where)).ToList();

            // the same reading of the head as the TEI reader's when the source does not tag the parties
            var (from, to) = type == "Editorial Note" ? (null, null) : TeiText.FromToOfHead(TeiText.StripNumber(title));
            var date = _date ?? DateFromFileNumbers(files);
            // the FRUS id of No. 578 is d578; an unnumbered telegram is named by its content
            var localId = number is not null ? "d" + number : "t" + sha[..Math.Min(12, sha.Length)];
            // the TEI reader looks in the source note first, then in the footnotes
            var channel = (_sourceNote is null ? null : TeiText.Channel(_sourceNote))
                ?? footnotes.Select(f => TeiText.Channel(f.Text)).FirstOrDefault(c => c is not null);
            // "482." opening the text (or "Telegram 482 From …" in the head), read as the TEI reader reads it
            string? telegramNumber = null;
            if (type == "Telegram")
            {
                var texts = body.OfType<Paragraph>().Where(p => p.Style is null).Select(p => p.Text).Take(2).ToList();
                telegramNumber = TeiText.TelegramNumberOfHead(TeiText.StripNumber(title))
                    ?? TeiText.TelegramNumberOfBody(texts.ElementAtOrDefault(0), texts.ElementAtOrDefault(1));
            }

            var level = LevelOf(_classification);
            var controls = _captions.SelectMany(Markings.ControlsFromCaption).Distinct().ToList();

            return new Document
            {
                Id = DocumentIds.Make(volumeId, localId),
                Volume = volumeId,
                Number = number,
                Type = type,
                Title = title,
                Head = headInlines,
                From = from,
                To = to,
                Date = date,
                Place = _place,
                FileNumbers = files,
                Classification = _classification,
                Captions = [.. _captions],
                Channel = channel,
                SourceNote = _sourceNote ?? sourceLine,
                Body = body,
                Footnotes = footnotes,
                References = references,
                Signed = signed,
                TelegramNumber = telegramNumber,
                SourceSha256 = sha,
                Marking = new Marking(level, controls),
                Release = ReleaseState.Withheld,
            };
        }

        // References in words, found as the TEI reader finds them in running text; a telegram's date printed after
        // its number goes into Date ("numbers 120015 and 120755, July 11–12"), and a "See" before a cited document
        // stays with the evidence.
        private void FindReferences(string text, string where, List<Reference> into)
        {
            var found = new List<Reference>();
            TeiText.ScanText(text, volumeId, where, found);
            foreach (var r in found)
            {
                var reference = r;
                var at = text.IndexOf(r.Text, StringComparison.Ordinal);
                if (r.Kind == ReferenceKind.Telegram && at >= 0 && PrintedDay().Match(text, at) is { Success: true } day && day.Index < at + r.Text.Length)
                {
                    // the evidence may stop inside a day range ("July 11" of "July 11–12"); the date is read whole
                    reference = r with { Date = day.Value };
                }
                else if (r.Kind == ReferenceKind.Document && at >= 4 && text.AsSpan(at - 4, 4).Equals("See ", StringComparison.OrdinalIgnoreCase))
                {
                    reference = r with { Text = text.Substring(at - 4, 4) + r.Text };
                }
                into.Add(reference);
            }
        }

        /// <summary>
        /// The signature a closer prints: trailing commas and a sentence period dropped, editors' brackets around a
        /// supplied name dropped ("[Harriman]" → "Harriman"). The text exporter applies the same rule to decide
        /// whether a closer needs its signature line marked.
        /// </summary>
        internal static string? CleanSignature(string text)
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

        // "top secret" → TopSecret; "personal and secret" → Secret: the strongest level the marking names.
        private static ClassificationLevel LevelOf(string? classification)
        {
            if (Markings.ParseLevel(classification) is { } level)
            {
                return level;
            }
            var c = classification?.ToLowerInvariant() ?? "";
            return c.Contains("top secret", StringComparison.Ordinal) ? ClassificationLevel.TopSecret
                : c.Contains("secret", StringComparison.Ordinal) ? ClassificationLevel.Secret
                : c.Contains("confidential", StringComparison.Ordinal) ? ClassificationLevel.Confidential
                : c.Contains("restricted", StringComparison.Ordinal) ? ClassificationLevel.Restricted
                : c.Contains("limited official use", StringComparison.Ordinal) ? ClassificationLevel.LimitedOfficialUse
                : ClassificationLevel.Unclassified;
        }

        private static DocumentDate? DateFromFileNumbers(IEnumerable<string> files)
        {
            foreach (var f in files)
            {
                if (FileNumber.TryParse(f, out var fn) && fn.SuffixDate is { } d)
                {
                    var iso = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    return new DocumentDate(iso, iso, DatePrecision.Day, DateSource.FileNumber);
                }
            }
            return null;
        }
    }

    /// <summary>Walks lines across blocks, knowing where a block starts.</summary>
    private sealed class Cursor(List<List<SourceLine>> blocks, int end)
    {
        private int _block;
        private int _line;

        public SourceLine? Current => _block < end ? blocks[_block][_line] : null;

        public bool AtBlockStart => _line == 0;

        public void Next()
        {
            if (_block >= end)
            {
                return;
            }
            _line++;
            if (_line >= blocks[_block].Count)
            {
                _block++;
                _line = 0;
            }
        }

        public List<SourceLine> RestOfBlock() => _block < end ? blocks[_block].Skip(_line).ToList() : [];
    }
}
