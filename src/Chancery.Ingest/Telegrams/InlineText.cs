using System.Text;
using System.Text.RegularExpressions;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// A stretch of printed text (the head, a paragraph, the signature, a footnote) on its way to inlines:
/// marks found in it are collected as spans, then the text is cut into runs around them.
/// </summary>
internal sealed class TextSegment(string text, string where, bool markers)
{
    public string Text { get; } = text;

    /// <summary>"head", "body", "footnote 2": where a reference found here stands.</summary>
    public string Where { get; } = where;

    /// <summary>True when footnote markers may stand here (the head and body, not the footnotes themselves).</summary>
    public bool MayHoldMarkers { get; } = markers;

    /// <summary>A "[Received …]" line: its brackets are the line's own, not an editorial insertion.</summary>
    public bool IsReceived { get; init; }

    /// <summary>Positions of markers printed as plain digits after a space ("State 1"): that space goes too.</summary>
    public HashSet<int> TrimBefore { get; } = [];

    public List<(int Start, int Length, Inline Inline)> Spans { get; } = [];

    public bool IsFree(int start, int length) =>
        Spans.All(s => start + length <= s.Start || s.Start + s.Length <= start);

    public void Add(int start, int length, Inline inline) => Spans.Add((start, length, inline));

    /// <summary>Cuts the text into runs around the spans; spaces the layout put around a page mark are dropped.</summary>
    public List<Inline> ToInlines()
    {
        var result = new List<Inline>();
        var pos = 0;
        var trimNextLeading = false;
        foreach (var (start, length, inline) in Spans.OrderBy(s => s.Start))
        {
            var text = Text[pos..start];
            if (trimNextLeading && text.StartsWith(' '))
            {
                text = text[1..];
            }
            // "State 1" printed the marker after a space that belongs to neither
            if ((inline is PageBreakMark or LineBreak || TrimBefore.Contains(start)) && text.EndsWith(' '))
            {
                text = text[..^1];
            }
            if (text.Length > 0)
            {
                result.Add(new TextRun(text));
            }
            result.Add(inline);
            trimNextLeading = inline is PageBreakMark or LineBreak;
            pos = start + length;
        }
        var rest = Text[pos..];
        if (trimNextLeading && rest.StartsWith(' '))
        {
            rest = rest[1..];
        }
        if (rest.Length > 0)
        {
            result.Add(new TextRun(rest));
        }
        return result;
    }
}

/// <summary>Finds the marks FRUS prints inside text: page breaks, excisions, editorial insertions, line ends.</summary>
internal static partial class InlineText
{
    // "[Page 864]"; a page FRUS leaves unnumbered keeps its brackets: "[Page [506]]"
    [GeneratedRegex(@"\[Page\s+(?<n>\[[^\[\]\s]{1,20}\]|[^\[\]\s]{1,20})\]", RegexOptions.CultureInvariant)]
    private static partial Regex PagePattern();

    [GeneratedRegex(@"^\[Page\s+(?<n>\[[^\[\]\s]{1,20}\]|[^\[\]\s]{1,20})\]$", RegexOptions.CultureInvariant)]
    private static partial Regex PageLinePattern();

    // An editor's insertion: "[be?]", "[.]", "[sic]", "[oy]"; longer bracketed passages stay text.
    [GeneratedRegex(@"\[[^\[\]\n]{1,40}\]", RegexOptions.CultureInvariant)]
    private static partial Regex EditorialPattern();

    /// <summary>The page number when the whole line is a page-break line ("[Page 864]").</summary>
    public static string? PageLine(string trimmed)
    {
        var m = PagePattern().Match(trimmed);
        return m.Success && m.Index == 0 && m.Length == trimmed.Length ? m.Groups["n"].Value : null;
    }

    /// <summary>True when the line holds nothing but one page-break line.</summary>
    public static bool IsPageLine(string trimmed) => PageLinePattern().IsMatch(trimmed);

    /// <summary>Marks page breaks, excision markers, editorial insertions and line ends in a segment.</summary>
    public static void MarkFixed(TextSegment segment, bool editorial = true)
    {
        var text = segment.Text;
        foreach (Match m in PagePattern().Matches(text))
        {
            segment.Add(m.Index, m.Length, new PageBreakMark(m.Groups["n"].Value));
        }
        foreach (var (index, length, excision) in Excision.FindAll(text))
        {
            if (segment.IsFree(index, length))
            {
                segment.Add(index, length, new ExcisionMark(excision));
            }
        }
        if (editorial)
        {
            MarkEditorial(segment);
        }
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            // a marker wrapped over two lines ("[1 paragraph\nnot declassified]") keeps its line end inside it
            if (segment.IsFree(i, 1))
            {
                segment.Add(i, 1, new LineBreak());
            }
        }
    }

    /// <summary>Marks editorial insertions ("[be?]") where no other mark stands.</summary>
    public static void MarkEditorial(TextSegment segment)
    {
        foreach (Match m in EditorialPattern().Matches(segment.Text))
        {
            if (segment.IsFree(m.Index, m.Length))
            {
                segment.Add(m.Index, m.Length, new EditorialMark(m.Value));
            }
        }
    }

    /// <summary>The plain text a list of inlines prints, folded.</summary>
    public static string Plain(IEnumerable<Inline> inlines) => Inlines.ToPlainText(inlines);

    /// <summary>Folds white space inside one line of printed text.</summary>
    public static string FoldLine(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t')
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
