using System.Text;
using System.Text.RegularExpressions;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Turns square-bracketed text into marks: "[… not declassified]" into <see cref="ExcisionMark"/>, any other
/// editor's insertion ("[be?]", "[.]", "[sic]", "[Here follows …]") into <see cref="EditorialMark"/>.
/// Markers are found across page breaks and footnote anchors ("[name not &lt;pb/&gt;declassified]"): those
/// zero-width marks move to just after the marker.
/// </summary>
internal static partial class Brackets
{
    // Long enough for "[Here follows a list of …]" summaries; longer spans are prose that happens to hold brackets.
    private const int MaxEditorialLength = 400;

    // Excision.FindAll wants a word before "not declassified"; a few markers print none.
    [GeneratedRegex(@"\[\s*not\s+declassified\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex BareMarker();

    /// <summary>Resolves brackets in <paramref name="runs"/> in place.</summary>
    public static void Resolve(List<Inline> runs)
    {
        var any = false;
        foreach (var run in runs)
        {
            if (run is TextRun t && t.Text.Contains('['))
            {
                any = true;
                break;
            }
        }
        if (!any)
        {
            return;
        }

        var result = new List<Inline>(runs.Count + 4);
        var i = 0;
        while (i < runs.Count)
        {
            if (!IsGroupable(runs[i]))
            {
                result.Add(runs[i++]);
                continue;
            }
            var j = i;
            var bracket = false;
            while (j < runs.Count && IsGroupable(runs[j]))
            {
                if (runs[j] is TextRun t && t.Text.Contains('['))
                {
                    bracket = true;
                }
                j++;
            }
            if (bracket)
            {
                ResolveGroup(runs, i, j, result);
            }
            else
            {
                for (var k = i; k < j; k++)
                {
                    result.Add(runs[k]);
                }
            }
            i = j;
        }
        runs.Clear();
        runs.AddRange(result);
    }

    /// <summary>Every bracketed span of <paramref name="s"/> that is a marker, in order, without overlaps.</summary>
    public static List<(int Start, int Length, Inline Mark)> Find(string s)
    {
        var found = new List<(int Start, int Length, Inline Mark)>();
        if (s.Contains("declassified", StringComparison.Ordinal))
        {
            foreach (var (index, length, excision) in Excision.FindAll(s))
            {
                found.Add((index, length, new ExcisionMark(excision)));
            }
            foreach (Match m in BareMarker().Matches(s))
            {
                if (!Overlaps(found, m.Index, m.Length))
                {
                    found.Add((m.Index, m.Length, new ExcisionMark(new Excision(PlainText.Fold(m.Value), "text", null, null, false))));
                }
            }
        }
        var excisions = found.Count;
        var p = 0;
        while ((p = s.IndexOf('[', p)) >= 0)
        {
            var close = s.IndexOf(']', p + 1);
            if (close < 0)
            {
                break;
            }
            var inner = s.IndexOf('[', p + 1, close - p - 1);
            if (inner >= 0)
            {
                p = inner;
                continue;
            }
            var length = close - p + 1;
            if (length <= MaxEditorialLength && !Overlaps(found, p, length, excisions))
            {
                found.Add((p, length, new EditorialMark(PlainText.Fold(s.Substring(p, length)))));
            }
            p = close + 1;
        }
        if (excisions > 0)
        {
            found.Sort((a, b) => a.Start.CompareTo(b.Start));
        }
        return found;
    }

    // Text and the zero-width marks that may fall inside a marker; anything else ends a group.
    private static bool IsGroupable(Inline run) => run is TextRun or PageBreakMark or FootnoteMark or LineBreak;

    private static bool Overlaps(List<(int Start, int Length, Inline Mark)> found, int start, int length, int count = -1)
    {
        var n = count < 0 ? found.Count : count;
        for (var i = 0; i < n; i++)
        {
            var f = found[i];
            if (start < f.Start + f.Length && f.Start < start + length)
            {
                return true;
            }
        }
        return false;
    }

    private static void ResolveGroup(List<Inline> runs, int from, int to, List<Inline> result)
    {
        var sb = new StringBuilder();
        var marks = new List<(int Pos, Inline Mark)>();
        for (var k = from; k < to; k++)
        {
            if (runs[k] is TextRun t)
            {
                sb.Append(t.Text);
            }
            else
            {
                marks.Add((sb.Length, runs[k]));
            }
        }
        var s = sb.ToString();
        var found = Find(s);
        if (found.Count == 0)
        {
            for (var k = from; k < to; k++)
            {
                result.Add(runs[k]);
            }
            return;
        }
        var pos = 0;
        var mi = 0;
        foreach (var (start, length, mark) in found)
        {
            EmitText(s, pos, start, marks, ref mi, result);
            result.Add(mark);
            // a page break or anchor inside the marker is kept, right after it
            while (mi < marks.Count && marks[mi].Pos < start + length)
            {
                result.Add(marks[mi++].Mark);
            }
            pos = start + length;
        }
        EmitText(s, pos, s.Length, marks, ref mi, result);
        while (mi < marks.Count)
        {
            result.Add(marks[mi++].Mark);
        }
    }

    private static void EmitText(string s, int from, int to, List<(int Pos, Inline Mark)> marks, ref int mi, List<Inline> result)
    {
        while (mi < marks.Count && marks[mi].Pos <= to)
        {
            var at = marks[mi].Pos;
            if (at > from)
            {
                result.Add(new TextRun(s[from..at]));
                from = at;
            }
            result.Add(marks[mi++].Mark);
        }
        if (to > from)
        {
            result.Add(new TextRun(s[from..to]));
        }
    }
}
