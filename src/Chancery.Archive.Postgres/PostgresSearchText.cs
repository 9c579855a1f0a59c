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
    /// The tsvector literal: every word once per column kind it occurs in, weighted title A, sender and recipient B,
    /// body C, footnotes D. Positions carry only the weight: phrases are matched on the spaced words, which have no
    /// 16,383-position or 256-occurrence limit.
    /// </summary>
    public string Vector()
    {
        var weights = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var column = 0; column < Words.Length; column++)
        {
            var bit = column switch { 0 => 1, 1 or 2 => 2, 3 => 4, _ => 8 };
            foreach (var w in Words[column].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // PostgreSQL refuses lexemes of 2 KB or more; no real word is that long
                if (Encoding.UTF8.GetByteCount(w) < 2000)
                {
                    weights[w] = weights.GetValueOrDefault(w) | bit;
                }
            }
        }
        var sb = new StringBuilder();
        foreach (var (word, mask) in weights)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }
            AppendQuoted(sb, word);
            sb.Append(':');
            var first = true;
            foreach (var (bit, label) in new[] { (1, "1A"), (2, "2B"), (4, "3C"), (8, "4D") })
            {
                if ((mask & bit) != 0)
                {
                    sb.Append(first ? "" : ",").Append(label);
                    first = false;
                }
            }
        }
        return sb.ToString();
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
