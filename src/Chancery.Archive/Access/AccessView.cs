using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Archive.Access;

/// <summary>
/// The one function that turns a stored document into what a given reader may see. Every surface gets
/// documents only through it (by way of the archive), so no surface ever handles an unfiltered document.
/// </summary>
public static class AccessView
{
    /// <summary>Characters per printed line when a review's cut is measured in lines (a FRUS page line is about 80).</summary>
    public const int LineLength = 80;

    /// <summary>
    /// The view of <paramref name="stored"/> for <paramref name="reader"/>, or null when the reader may not see it.
    /// A document released with excisions shows the public FRUS-style markers computed from what was cut, and
    /// shows cleared readers the full text with the cut spans marked.
    /// </summary>
    public static DocumentView? For(Document stored, ReleaseState release, IReadOnlyList<ExciseSpan> excisions, ReaderIdentity reader)
    {
        var marking = stored.Marking;
        if (!reader.MayRead(release, marking))
        {
            return null;
        }
        var original = reader.MayReadOriginal(marking);
        if (release == ReleaseState.ReleasedWithExcisions && excisions.Count > 0)
        {
            var doc = original ? MarkExcisions(stored, excisions) : CutExcisions(stored, excisions);
            return new DocumentView(doc with { Release = release }, original, release, marking);
        }
        return new DocumentView(stored with { Release = release }, original && release is not (ReleaseState.Released), release, marking);
    }

    /// <summary>The released text: cut spans replaced by markers; nothing of the cut text remains.</summary>
    public static Document CutExcisions(Document doc, IReadOnlyList<ExciseSpan> excisions)
    {
        var whole = excisions.Where(e => e.Start is null).Select(e => e.Paragraph).ToHashSet();
        var ranges = excisions.Where(e => e.Start is not null).GroupBy(e => e.Paragraph).ToDictionary(g => g.Key, g => g.ToList());
        var body = new List<Block>();
        var paragraphNo = 0;
        var runParagraphs = 0;
        var runLines = 0;
        void Flush()
        {
            if (runParagraphs > 0)
            {
                body.Add(new ExcisionBlock(Excision.ForCut(runParagraphs, runLines)));
                runParagraphs = runLines = 0;
            }
        }
        foreach (var block in doc.Body)
        {
            if (block is Paragraph p)
            {
                paragraphNo++;
                if (whole.Contains(paragraphNo))
                {
                    runParagraphs++;
                    runLines += Lines(p.Text.Length);
                    continue;
                }
                Flush();
                body.Add(ranges.TryGetValue(paragraphNo, out var cuts) ? CutRanges(p, cuts) : p);
                continue;
            }
            if (block is PageBreak && runParagraphs > 0)
            {
                // a page break inside a cut run stays where it was printed, after the marker
                Flush();
            }
            body.Add(block);
        }
        Flush();
        return doc with { Body = body };
    }

    /// <summary>The original with cut spans marked, for readers cleared for it.</summary>
    public static Document MarkExcisions(Document doc, IReadOnlyList<ExciseSpan> excisions)
    {
        var whole = excisions.Where(e => e.Start is null).Select(e => e.Paragraph).ToHashSet();
        var ranges = excisions.Where(e => e.Start is not null).GroupBy(e => e.Paragraph).ToDictionary(g => g.Key, g => g.ToList());
        var body = new List<Block>();
        var paragraphNo = 0;
        foreach (var block in doc.Body)
        {
            if (block is Paragraph p)
            {
                paragraphNo++;
                if (whole.Contains(paragraphNo))
                {
                    body.Add(p with { Excised = true });
                }
                else if (ranges.TryGetValue(paragraphNo, out var cuts))
                {
                    body.Add(p with { Content = Split(p.Text, cuts, (text, cut) => cut ? new ExcisedText(text) : new TextRun(text)) });
                }
                else
                {
                    body.Add(p);
                }
                continue;
            }
            body.Add(block);
        }
        return doc with { Body = body };
    }

    /// <summary>Lines a cut of <paramref name="characters"/> characters fills at <see cref="LineLength"/>.</summary>
    public static int Lines(int characters) => Math.Max(1, (characters + LineLength - 1) / LineLength);

    // Ranged cuts rebuild the paragraph from its plain text: marks inside that paragraph (footnote anchors, person
    // links) are dropped rather than risk leaving a piece of cut text in an attribute.
    private static Paragraph CutRanges(Paragraph p, List<ExciseSpan> cuts) =>
        p with { Content = Split(p.Text, cuts, (text, cut) => cut ? new ExcisionMark(Excision.ForCut(0, Lines(text.Length))) : new TextRun(text)) };

    private static List<Inline> Split(string text, List<ExciseSpan> cuts, Func<string, bool, Inline> make)
    {
        var result = new List<Inline>();
        var at = 0;
        foreach (var cut in cuts.OrderBy(c => c.Start))
        {
            var start = Math.Clamp(cut.Start!.Value, at, text.Length);
            var end = Math.Clamp(cut.End ?? text.Length, start, text.Length);
            if (start > at)
            {
                result.Add(make(text[at..start], false));
            }
            if (end > start)
            {
                result.Add(make(text[start..end], true));
            }
            at = end;
        }
        if (at < text.Length)
        {
            result.Add(make(text[at..], false));
        }
        return result;
    }

    /// <summary>Checks spans against a document: paragraphs exist, ranges lie inside their paragraph's text.</summary>
    public static string? Validate(Document doc, IReadOnlyList<ExciseSpan> excisions)
    {
        var paragraphs = doc.Body.OfType<Paragraph>().ToList();
        foreach (var e in excisions)
        {
            if (e.Paragraph < 1 || e.Paragraph > paragraphs.Count)
            {
                return $"excision {e}: the document has paragraphs 1 to {paragraphs.Count}";
            }
            if (e.Start is { } s)
            {
                var len = paragraphs[e.Paragraph - 1].Text.Length;
                var end = e.End ?? len;
                if (s < 0 || end > len || s >= end)
                {
                    return $"excision {e}: paragraph {e.Paragraph} has characters 0 to {len}; give START-END with START < END ≤ {len}";
                }
            }
        }
        return null;
    }
}
