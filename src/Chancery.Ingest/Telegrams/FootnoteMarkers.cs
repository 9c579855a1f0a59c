using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// Finds where each footnote is anchored. Superscript markers ("State¹", "11–12²") are unambiguous and win.
/// Text that lost its superscripts prints the marker as ordinary digits ("State 1", "July 11–122"); those are
/// resolved by expecting the footnotes in ascending order and accepting a digit run only where what remains
/// still reads as text: "122" after "July 11–" is day 12 plus marker 2, because there is no day 122.
/// </summary>
internal static partial class FootnoteMarkers
{
    private const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    // Modifier letters for lower-case footnote labels ("8a" → ⁸ᵃ); q has no standard superscript form.
    private const string SuperscriptLetters = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ\0ʳˢᵗᵘᵛʷˣʸᶻ";

    // Symbols printed as markers as they are.
    private const string SymbolMarkers = "*†‡§";

    private static readonly string[] MonthNames =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>
    /// The printed form of a footnote label: superscript digits and letters ("8a" → "⁸ᵃ"); a label with no
    /// superscript form ("*", "A") in superscript parentheses ("⁽*⁾"), so a printed asterisk stays text.
    /// </summary>
    public static string Superscript(string n)
    {
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

    private static bool IsMarkerChar(char c) => SuperscriptDigits.Contains(c) || (c != '\0' && SuperscriptLetters.Contains(c));

    [GeneratedRegex(@"(?<!\d)\d+(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    /// <summary>Anchors the footnotes in the segments (in reading order), adding a FootnoteMark span for each one found.</summary>
    public static void Resolve(IReadOnlyList<TextSegment> segments, IReadOnlyList<string> footnotes)
    {
        if (footnotes.Count == 0)
        {
            return;
        }
        var found = new (int Segment, int Position)?[footnotes.Count];
        FindSuperscripts(segments, footnotes, found);
        FindPrintedDigits(segments, footnotes, found);
    }

    private static void FindSuperscripts(IReadOnlyList<TextSegment> segments, IReadOnlyList<string> footnotes, (int, int)?[] found)
    {
        var forms = footnotes.Select(Superscript).ToArray();
        var last = -1;
        for (var si = 0; si < segments.Count; si++)
        {
            var seg = segments[si];
            if (!seg.MayHoldMarkers)
            {
                continue;
            }
            var text = seg.Text;
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '⁽' && text.IndexOf('⁾', i + 1) is var close and > 0 && close - i <= 10)
                {
                    // "⁽*⁾": a label with no superscript form
                    var label = text[(i + 1)..close];
                    var k = Array.FindIndex(footnotes.ToArray(), f => f == label);
                    if (k >= 0 && seg.IsFree(i, close - i + 1))
                    {
                        seg.Add(i, close - i + 1, new FootnoteMark(label));
                        found[k] ??= (si, i);
                        last = Math.Max(last, k);
                    }
                    i = close + 1;
                    continue;
                }
                if (!IsMarkerChar(c))
                {
                    i++;
                    continue;
                }
                var end = i;
                while (end < text.Length && IsMarkerChar(text[end]))
                {
                    end++;
                }
                // split the run into labels: the next footnotes in order when they fill it ("¹²" is 1 then 2), else
                // one label that fills it ("⁶³ᵃ" is 63a), else label by label
                var sequence = Sequence(forms, text, i, end, last);
                var p = i;
                while (p < end)
                {
                    var k = sequence is { Count: > 0 } ? sequence.Dequeue() : Whole(forms, text, p, end) ?? Pick(forms, found, text, p, end, last);
                    if (k < 0 || !seg.IsFree(p, forms[k].Length))
                    {
                        break;
                    }
                    seg.Add(p, forms[k].Length, new FootnoteMark(footnotes[k]));
                    found[k] ??= (si, p);
                    last = Math.Max(last, k);
                    p += forms[k].Length;
                }
                i = end;
            }
        }
    }

    // The footnotes after the last one found, in order, when together they print exactly text[p..end].
    private static Queue<int>? Sequence(string[] forms, string text, int p, int end, int last)
    {
        var result = new Queue<int>();
        for (var k = last + 1; k < forms.Length && p < end; k++)
        {
            if (forms[k] is not { Length: > 0 } f || p + f.Length > end || string.CompareOrdinal(text, p, f, 0, f.Length) != 0)
            {
                return null;
            }
            result.Enqueue(k);
            p += f.Length;
        }
        return p == end && result.Count > 0 ? result : null;
    }

    // The footnote whose label is exactly text[p..end].
    private static int? Whole(string[] forms, string text, int p, int end)
    {
        for (var k = 0; k < forms.Length; k++)
        {
            if (forms[k] is { Length: > 0 } f && f.Length == end - p && string.CompareOrdinal(text, p, f, 0, f.Length) == 0)
            {
                return k;
            }
        }
        return null;
    }

    private static int Pick(string[] forms, (int, int)?[] found, string text, int p, int end, int last)
    {
        bool Fits(int k) => forms[k] is { Length: > 0 } f && p + f.Length <= end && string.CompareOrdinal(text, p, f, 0, f.Length) == 0;
        if (last + 1 < forms.Length && Fits(last + 1))
        {
            return last + 1;
        }
        // an unused label first, the longest that fits; then one used already (a note anchored twice)
        var best = -1;
        foreach (var unusedOnly in new[] { true, false })
        {
            for (var k = 0; k < forms.Length; k++)
            {
                if ((!unusedOnly || found[k] is null) && Fits(k) && (best < 0 || forms[k].Length > forms[best].Length))
                {
                    best = k;
                }
            }
            if (best >= 0)
            {
                break;
            }
        }
        return best;
    }

    private static void FindPrintedDigits(IReadOnlyList<TextSegment> segments, IReadOnlyList<string> footnotes, (int Segment, int Position)?[] found)
    {
        if (found.Any(f => f is not null))
        {
            // a text that prints superscript markers prints them all: a digit is a digit
            return;
        }
        var cursor = (Segment: 0, Position: 0);
        for (var k = 0; k < footnotes.Count; k++)
        {
            if (found[k] is { } at)
            {
                cursor = at;
                continue;
            }
            var n = footnotes[k];
            var hit = n.Length == 1 && SymbolMarkers.Contains(n[0]) ? SearchSymbol(segments, n[0], cursor)
                : n.Length > 0 && n.All(char.IsAsciiDigit) ? Search(segments, n, cursor)
                : null;
            if (hit is { } h)
            {
                segments[h.Segment].Add(h.Position, n.Length, new FootnoteMark(n));
                segments[h.Segment].TrimBefore.Add(h.Position);
                found[k] = h;
                cursor = (h.Segment, h.Position + n.Length);
            }
        }
    }

    // A typed symbol marker ("Government*"): right after a word, never in "* * *" (omitted text).
    private static (int Segment, int Position)? SearchSymbol(IReadOnlyList<TextSegment> segments, char symbol, (int Segment, int Position) from)
    {
        for (var si = from.Segment; si < segments.Count; si++)
        {
            var seg = segments[si];
            if (!seg.MayHoldMarkers)
            {
                continue;
            }
            var text = seg.Text;
            for (var i = si == from.Segment ? from.Position : 0; i < text.Length; i++)
            {
                if (text[i] != symbol || i == 0 || !seg.IsFree(i, 1) || (i + 1 < text.Length && text[i + 1] == symbol))
                {
                    continue;
                }
                var before = text[i - 1];
                if (char.IsLetterOrDigit(before) || (before is '.' or ',' or ')' && i > 1 && char.IsLetter(text[i - 2])))
                {
                    return (si, i);
                }
            }
        }
        return null;
    }

    private static (int Segment, int Position)? Search(IReadOnlyList<TextSegment> segments, string n, (int Segment, int Position) from)
    {
        for (var si = from.Segment; si < segments.Count; si++)
        {
            var seg = segments[si];
            if (!seg.MayHoldMarkers)
            {
                continue;
            }
            var text = seg.Text;
            var start = si == from.Segment ? from.Position : 0;
            foreach (Match m in DigitRun().Matches(text))
            {
                if (m.Index < start)
                {
                    continue;
                }
                var markAt = m.Index + m.Length - n.Length;
                if (!m.Value.EndsWith(n, StringComparison.Ordinal) || !seg.IsFree(markAt, n.Length) || !seg.IsFree(m.Index, m.Length))
                {
                    continue;
                }
                var after = m.Index + m.Length;
                if (after < text.Length && char.IsLetter(text[after]))
                {
                    continue;
                }
                if (m.Length == n.Length ? StandsAsMarker(text, m.Index, after, seg.Where == "head") : SplitsAsMarker(text, m.Index, m.Value, n))
                {
                    return (si, markAt);
                }
            }
        }
        return null;
    }

    // The whole digit run is the label: right after a word or its punctuation ("channels.1", "Stalin2"), or a
    // lone number closing the head ("… Secretary of State 1"; in a paragraph that would more likely be text).
    private static bool StandsAsMarker(string text, int index, int after, bool head)
    {
        if (index == 0)
        {
            return false;
        }
        var before = text[index - 1];
        // "channels.1", "Stalin2", "States”3" — but not "58.1" or "6,040": after a digit the digits are a number
        var attached = char.IsLetter(before)
            || (before is '.' or ',' or ';' or ':' or ')' or '”' or '’' or '"' or '\'' && index >= 2 && !char.IsDigit(text[index - 2]));
        if (attached)
        {
            return after == text.Length || !char.IsLetterOrDigit(text[after]);
        }
        return head && before == ' ' && text[after..].Trim().Length == 0 && index >= 2 && !char.IsDigit(text[index - 2]);
    }

    // A longer run ending in the label: split only when the whole cannot be what it stands for and the rest can
    // ("July 11–122": no day 122, but day 12; "July 13, 19453": no year 19453, but 1945).
    private static bool SplitsAsMarker(string text, int index, string run, string n)
    {
        var rest = run[..^n.Length];
        if (rest.StartsWith('0'))
        {
            return false;
        }
        var before = text[..index];
        var whole = long.Parse(run, CultureInfo.InvariantCulture);
        var part = long.Parse(rest, CultureInfo.InvariantCulture);
        var range = RangeStart().Match(before);
        if (range.Success)
        {
            var a = long.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
            var head = before[..range.Index];
            if (EndsWithMonth(head))
            {
                return !IsDay(whole, a) && IsDay(part, a);
            }
            return false;
        }
        if (EndsWithMonth(before))
        {
            return !IsDay(whole, 0) && IsDay(part, 0);
        }
        if (YearContext().IsMatch(before))
        {
            return whole is < 1000 or > 2100 && part is >= 1000 and <= 2100;
        }
        return false;
    }

    private static bool IsDay(long value, long after) => value is >= 1 and <= 31 && value > after;

    private static bool EndsWithMonth(string before)
    {
        var t = before.TrimEnd();
        return t.Length < before.Length && MonthNames.Any(m => t.EndsWith(m, StringComparison.Ordinal)
            && (t.Length == m.Length || !char.IsLetter(t[^(m.Length + 1)])));
    }

    [GeneratedRegex(@"(?<a>\d{1,2})[–-]$", RegexOptions.CultureInvariant)]
    private static partial Regex RangeStart();

    [GeneratedRegex(@"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+$", RegexOptions.CultureInvariant)]
    private static partial Regex YearContext();
}
