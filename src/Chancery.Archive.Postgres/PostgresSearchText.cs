using System.Globalization;
using System.Text;
using Chancery.Archive.Search;
using Chancery.Core.Documents;

namespace Chancery.Archive.Postgres;

/// <summary>The five full-text columns, in the embedded index's order (its BM25 weights are indexed so).</summary>
internal enum TextColumn { Title = 0, Sender = 1, Recipient = 2, Body = 3, Footnotes = 4 }

/// <summary>A word of a text: its folded form and where it stands (UTF-16 offsets, end exclusive).</summary>
internal readonly record struct TextToken(string Folded, int Start, int End);

/// <summary>
/// What one search row holds: the texts of the five columns exactly as the embedded index builds them, their words
/// folded by <see cref="SearchFolding"/> (so both stores split and fold text alike without PostgreSQL's parser or
/// the unaccent extension), the tsvector literal and the folded field keys.
/// </summary>
internal sealed class SearchText
{
    private SearchText(Document doc)
    {
        Document = doc;
        Texts = [doc.Title, doc.From ?? "", doc.To ?? "", BodyText(doc), FootnoteText(doc)];
        Words = Texts.Select(t => SearchFolding.Words(t)).ToArray();
        Tokens = Words.Sum(w => CountWords(w));
    }

    public Document Document { get; }

    /// <summary>The column texts, indexed by <see cref="TextColumn"/>.</summary>
    public string[] Texts { get; }

    /// <summary>The folded words of each column, <c>" w1 w2 "</c> as <see cref="SearchFolding.Words"/> gives them.</summary>
    public string[] Words { get; }

    /// <summary>Words in all five columns: the row's length for BM25.</summary>
    public int Tokens { get; }

    public static SearchText Build(Document doc) => new(doc);

    /// <summary>
    /// A column's words for substring matching: every word between single spaces and words two spaces apart
    /// (<c>" a  b "</c>), so <c>" a "</c> occurs once per occurrence of the word, even side by side.
    /// </summary>
    public string Spaced(TextColumn column) => Spaced(Words[(int)column]);

    public static string Spaced(string words) => words.Length == 0 ? "" : words[..^1].Replace(" ", "  ", StringComparison.Ordinal)[1..] + " ";

    /// <summary>
    /// The tsvector literal: each word once, with one weight per column kind it occurs in (title A, sender and
    /// recipient B, body C, footnotes D) so <c>'word':A</c> finds title words. A position does not say where the word
    /// stands but how often it occurs in that column kind (<see cref="EncodeCount"/>): phrases are matched on the
    /// spaced words instead, and the counts give BM25 its frequencies without reading the text.
    /// </summary>
    public string Vector()
    {
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        for (var column = 0; column < Words.Length; column++)
        {
            var kind = Kind((TextColumn)column);
            foreach (var w in Words[column].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // PostgreSQL refuses lexemes of 2 KB or more; no real word is that long
                if (w.Length < 500 || Encoding.UTF8.GetByteCount(w) < 2000)
                {
                    if (!counts.TryGetValue(w, out var n))
                    {
                        counts[w] = n = new int[4];
                    }
                    n[kind]++;
                }
            }
        }
        var sb = new StringBuilder();
        foreach (var (word, n) in counts)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }
            AppendQuoted(sb, word);
            var separator = ':';
            for (var kind = 0; kind < 4; kind++)
            {
                if (n[kind] > 0)
                {
                    foreach (var position in EncodeCount(kind, n[kind]))
                    {
                        sb.Append(separator).Append(position.ToString(CultureInfo.InvariantCulture)).Append((char)('A' + kind));
                        separator = ',';
                    }
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>Column kind 0..3 (the tsvector weight A..D) of a column.</summary>
    public static int Kind(TextColumn column) => column switch
    {
        TextColumn.Title => 0,
        TextColumn.Sender or TextColumn.Recipient => 1,
        TextColumn.Body => 2,
        _ => 3,
    };

    private const int LowSpan = 2048;
    private const int HighBase = 4 * LowSpan + 1;

    /// <summary>
    /// Positions (1..16383, distinct per kind) that carry a word count: <c>1 + kind + 4·(n mod 2048)</c>, and for
    /// counts of 2048 and more also <c>8193 + kind + 4·(n div 2048)</c>. Counts up to about four million fit.
    /// </summary>
    public static IEnumerable<int> EncodeCount(int kind, int count)
    {
        var high = Math.Min(count / LowSpan, 2046);
        yield return 1 + kind + 4 * (count % LowSpan);
        if (high > 0)
        {
            yield return HighBase + kind + 4 * high;
        }
    }

    /// <summary>
    /// Reads counts back from a tsvector's text output (<c>'word':13A,6C</c>): for each word the occurrences per
    /// column kind.
    /// </summary>
    public static Dictionary<string, int[]> DecodeCounts(string vector)
    {
        var map = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var entry in vector.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf("':", StringComparison.Ordinal);
            if (entry.Length < 2 || entry[0] != '\'' || colon < 1)
            {
                continue;
            }
            var word = entry[1..colon].Replace("''", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            var n = new int[4];
            foreach (var item in entry[(colon + 2)..].Split(','))
            {
                var digits = item.TrimEnd('A', 'B', 'C', 'D');
                var position = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                if (position < HighBase)
                {
                    n[(position - 1) % 4] += (position - 1) / 4;
                }
                else
                {
                    n[(position - HighBase) % 4] += (position - HighBase) / 4 * LowSpan;
                }
            }
            map[word] = n;
        }
        return map;
    }

    /// <summary>A lexeme in tsvector/tsquery literal syntax.</summary>
    public static void AppendQuoted(StringBuilder sb, string lexeme)
    {
        sb.Append('\'');
        foreach (var c in lexeme)
        {
            if (c is '\'' or '\\')
            {
                sb.Append(c);
            }
            sb.Append(c);
        }
        sb.Append('\'');
    }

    private static int CountWords(string words)
    {
        var n = 0;
        for (var i = 1; i < words.Length; i++)
        {
            if (words[i] == ' ')
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>The body column: paragraphs and excision markers, then the signature (as the embedded index).</summary>
    public static string BodyText(Document doc)
    {
        var sb = new StringBuilder();
        foreach (var block in doc.Body)
        {
            var text = block switch
            {
                Paragraph p => p.Text,
                ExcisionBlock e => e.Text,
                _ => null,
            };
            if (!string.IsNullOrEmpty(text))
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }
                sb.Append(text);
            }
        }
        if (!string.IsNullOrEmpty(doc.Signed))
        {
            sb.Append('\n').Append(doc.Signed);
        }
        return sb.ToString();
    }

    /// <summary>The footnotes column: the source note, then the footnotes.</summary>
    public static string FootnoteText(Document doc)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(doc.SourceNote))
        {
            parts.Add(doc.SourceNote);
        }
        parts.AddRange(doc.Footnotes.Select(f => f.Text).Where(t => t.Length > 0));
        return string.Join('\n', parts);
    }

    /// <summary>
    /// The words of <paramref name="text"/> with their places, split exactly as <see cref="SearchFolding.Words"/>
    /// splits (word characters make words, combining marks stay with the word before them).
    /// </summary>
    public static List<TextToken> Tokenize(string text)
    {
        var folded = SearchFolding.Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var list = new List<TextToken>(folded.Length);
        var start = -1;
        var end = 0;
        var i = 0;
        foreach (var r in text.EnumerateRunes())
        {
            var length = r.Utf16SequenceLength;
            if (Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                if (start >= 0)
                {
                    end = i + length;
                }
            }
            else if (SearchFolding.IsWordChar(r))
            {
                if (start < 0)
                {
                    start = i;
                }
                end = i + length;
            }
            else if (start >= 0)
            {
                list.Add(new TextToken(list.Count < folded.Length ? folded[list.Count] : "", start, end));
                start = -1;
            }
            i += length;
        }
        if (start >= 0)
        {
            list.Add(new TextToken(list.Count < folded.Length ? folded[list.Count] : "", start, end));
        }
        return list;
    }

    /// <summary>A file number as stored and compared (as the embedded index): white space folded, lower case.</summary>
    public static string FileKey(string fileNumber) => PlainText.Fold(fileNumber).ToLowerInvariant();

    /// <summary>The first year of a date key, or null.</summary>
    public static int? Year(string? key) =>
        key is { Length: >= 4 } && int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : null;
}
