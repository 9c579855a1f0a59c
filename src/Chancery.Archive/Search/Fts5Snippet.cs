using System.Text;

namespace Chancery.Archive.Search;

/// <summary>One occurrence of a query phrase in a row: which phrase, which column, at which word.</summary>
internal readonly record struct PhraseInstance(int Phrase, int Column, int Offset);

/// <summary>
/// SQLite FTS5's <c>snippet()</c> and <c>highlight()</c> (fts5_aux.c), redone over our own word splitting, so the
/// server archive answers with the very snippets the embedded one does: the same window choice (first sighting of a
/// phrase 1000, repeats 1, a sentence start bonus), the same «…» marks around coalesced instances, the same ellipses.
/// </summary>
internal static class Fts5Snippet
{
    /// <summary>
    /// Every occurrence of <paramref name="phrases"/> in the columns, in FTS5's instance order: by column, then word,
    /// then phrase number. Overlapping occurrences all count, as in FTS5.
    /// </summary>
    public static List<PhraseInstance> Instances(IReadOnlyList<FtsPhrase> phrases, IReadOnlyList<List<TextToken>> columns, IReadOnlyList<string> texts)
    {
        var list = new List<PhraseInstance>();
        for (var column = 0; column < columns.Count; column++)
        {
            var tokens = columns[column];
            var text = texts[column];
            for (var offset = 0; offset < tokens.Count; offset++)
            {
                for (var p = 0; p < phrases.Count; p++)
                {
                    var phrase = phrases[p];
                    if (phrase.TitleOnly && column != (int)TextColumn.Title)
                    {
                        continue;
                    }
                    if (IsAt(phrase, text, tokens, offset))
                    {
                        list.Add(new PhraseInstance(p, column, offset));
                    }
                }
            }
        }
        return list;
    }

    private static bool IsAt(FtsPhrase phrase, string text, List<TextToken> tokens, int offset)
    {
        var words = phrase.Words;
        if (words.Count == 0 || offset + words.Count > tokens.Count)
        {
            return false;
        }
        for (var i = 0; i < words.Count; i++)
        {
            if (!tokens[offset + i].Is(text, words[i], phrase.Prefix && i == words.Count - 1))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>FTS5 <c>snippet(t, column, open, close, ellipsis, nToken)</c> for one column.</summary>
    public static string Snippet(string text, List<TextToken> tokens, int column, IReadOnlyList<PhraseInstance> instances,
        IReadOnlyList<FtsPhrase> phrases, string open, string close, string ellipsis, int nToken)
    {
        var nPhrase = phrases.Count;
        var seen = new bool[nPhrase];
        var bestStart = 0;
        var bestScore = 0;
        var nDocsize = tokens.Count;
        var firsts = SentenceStarts(text, tokens);
        var inColumn = instances.Where(i => i.Column == column).ToArray();

        foreach (var inst in inColumn)
        {
            var io = inst.Offset;
            Array.Clear(seen);
            var (score, adjusted) = Score(inColumn, phrases, nDocsize, seen, io, nToken, wantAdjusted: true);
            if (score > bestScore)
            {
                bestScore = score;
                bestStart = adjusted;
            }
            if (firsts.Count > 0 && nDocsize > nToken)
            {
                int jj;
                for (jj = 0; jj < firsts.Count - 1; jj++)
                {
                    if (firsts[jj + 1] > io)
                    {
                        break;
                    }
                }
                if (firsts[jj] < io)
                {
                    Array.Clear(seen);
                    var (sentenceScore, _) = Score(inColumn, phrases, nDocsize, seen, firsts[jj], nToken, wantAdjusted: false);
                    sentenceScore += firsts[jj] == 0 ? 120 : 100;
                    if (sentenceScore > bestScore)
                    {
                        bestScore = sentenceScore;
                        bestStart = firsts[jj];
                    }
                }
            }
        }

        var ctx = new Highlighter(text, column, instances, phrases, open, close)
        {
            RangeStart = bestStart,
            RangeEnd = bestStart + nToken - 1,
        };
        if (bestStart > 0)
        {
            ctx.Output.Append(ellipsis);
        }
        while (ctx.Iterator.Start >= 0 && ctx.Iterator.Start < bestStart)
        {
            ctx.Iterator.Next();
        }
        foreach (var token in tokens)
        {
            ctx.Token(token);
        }
        if (ctx.RangeEnd >= nDocsize - 1)
        {
            ctx.Output.Append(text, ctx.Offset, text.Length - ctx.Offset);
        }
        else
        {
            ctx.Output.Append(ellipsis);
        }
        return ctx.Output.ToString();
    }

    /// <summary>FTS5 <c>highlight(t, column, open, close)</c>: the whole column with every coalesced instance marked.</summary>
    public static string Highlight(string text, List<TextToken> tokens, int column, IReadOnlyList<PhraseInstance> instances,
        IReadOnlyList<FtsPhrase> phrases, string open, string close)
    {
        var ctx = new Highlighter(text, column, instances, phrases, open, close);
        foreach (var token in tokens)
        {
            ctx.Token(token);
        }
        ctx.Output.Append(text, ctx.Offset, text.Length - ctx.Offset);
        return ctx.Output.ToString();
    }

    /// <summary>
    /// fts5SnippetScore: 1000 for each phrase first seen in the window, 1 for a repeat; where to start so the hits sit
    /// mid-window. <paramref name="column"/> holds the column's instances in order, so only the window is walked.
    /// </summary>
    private static (int Score, int Adjusted) Score(PhraseInstance[] column, IReadOnlyList<FtsPhrase> phrases, int nDocsize,
        bool[] seen, int iPos, int nToken, bool wantAdjusted)
    {
        var iEnd = (long)iPos + nToken;
        var score = 0;
        var first = -1;
        var last = 0;
        for (var i = FirstAtOrAfter(column, iPos); i < column.Length && column[i].Offset < iEnd; i++)
        {
            var inst = column[i];
            score += seen[inst.Phrase] ? 1 : 1000;
            seen[inst.Phrase] = true;
            if (first < 0)
            {
                first = inst.Offset;
            }
            last = inst.Offset + phrases[inst.Phrase].Words.Count;
        }
        if (!wantAdjusted)
        {
            return (score, 0);
        }
        long adjusted = first - (nToken - (last - first)) / 2;
        if (adjusted + nToken > nDocsize)
        {
            adjusted = nDocsize - nToken;
        }
        if (adjusted < 0)
        {
            adjusted = 0;
        }
        return (score, (int)adjusted);
    }

    private static int FirstAtOrAfter(PhraseInstance[] column, int offset)
    {
        int lo = 0, hi = column.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (column[mid].Offset < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>fts5SentenceFinderCb: words that start a sentence (the first, and those after '.' or ':' and white space).</summary>
    private static List<int> SentenceStarts(string text, List<TextToken> tokens)
    {
        var firsts = new List<int>();
        for (var pos = 0; pos < tokens.Count; pos++)
        {
            if (pos == 0)
            {
                firsts.Add(0);
                continue;
            }
            var start = tokens[pos].Start;
            var i = start - 1;
            var c = '\0';
            for (; i >= 0; i--)
            {
                c = text[i];
                if (c is not (' ' or '\t' or '\n' or '\r'))
                {
                    break;
                }
            }
            if (i != start - 1 && c is '.' or ':')
            {
                firsts.Add(pos);
            }
        }
        return firsts;
    }

    /// <summary>fts5CInstIter: runs of overlapping instances in one column, as single matches.</summary>
    private sealed class InstanceRuns(IReadOnlyList<PhraseInstance> instances, IReadOnlyList<FtsPhrase> phrases, int column)
    {
        private int _next;

        public int Start { get; private set; } = -1;
        public int End { get; private set; } = -1;

        public void Next()
        {
            Start = -1;
            End = -1;
            while (_next < instances.Count)
            {
                var inst = instances[_next];
                if (inst.Column == column)
                {
                    var end = inst.Offset - 1 + phrases[inst.Phrase].Words.Count;
                    if (Start < 0)
                    {
                        Start = inst.Offset;
                        End = end;
                    }
                    else if (inst.Offset <= End)
                    {
                        if (end > End)
                        {
                            End = end;
                        }
                    }
                    else
                    {
                        break;
                    }
                }
                _next++;
            }
        }
    }

    /// <summary>fts5HighlightCb and its context.</summary>
    private sealed class Highlighter
    {
        private readonly string _text;
        private readonly string _open;
        private readonly string _close;
        private int _pos;

        public Highlighter(string text, int column, IReadOnlyList<PhraseInstance> instances, IReadOnlyList<FtsPhrase> phrases, string open, string close)
        {
            _text = text;
            _open = open;
            _close = close;
            Iterator = new InstanceRuns(instances, phrases, column);
            Iterator.Next();
        }

        public InstanceRuns Iterator { get; }
        public StringBuilder Output { get; } = new();
        public int Offset { get; private set; }
        public int RangeStart { get; init; }
        public int RangeEnd { get; init; }

        public void Token(TextToken token)
        {
            var iPos = _pos++;
            if (RangeEnd > 0)
            {
                if (iPos < RangeStart || iPos > RangeEnd)
                {
                    return;
                }
                if (RangeStart != 0 && iPos == RangeStart)
                {
                    Offset = token.Start;
                }
            }
            if (iPos == Iterator.Start)
            {
                Output.Append(_text, Offset, token.Start - Offset).Append(_open);
                Offset = token.Start;
            }
            if (iPos == Iterator.End)
            {
                if (RangeEnd != 0 && Iterator.Start < RangeStart)
                {
                    Output.Append(_open);
                }
                Output.Append(_text, Offset, token.End - Offset).Append(_close);
                Offset = token.End;
                Iterator.Next();
            }
            if (RangeEnd > 0 && iPos == RangeEnd)
            {
                Output.Append(_text, Offset, token.End - Offset);
                Offset = token.End;
                if (iPos >= Iterator.Start && iPos < Iterator.End)
                {
                    Output.Append(_close);
                }
            }
        }
    }
}
