using System.Globalization;
using System.Text;
using Chancery.Core.Documents;

namespace Chancery.Archive.Search;

/// <summary>The five full-text columns, in the embedded index's order (its BM25 weights are indexed so).</summary>
internal enum TextColumn { Title = 0, Sender = 1, Recipient = 2, Body = 3, Footnotes = 4 }

/// <summary>
/// A word of a text: where it stands (UTF-16 offsets, end exclusive) and, for a word with characters outside ASCII,
/// its folded form (an ASCII word is compared in place, in lower case).
/// </summary>
internal readonly record struct TextToken(string? Folded, int Start, int End)
{
    /// <summary>True when this word of <paramref name="text"/> folds to <paramref name="word"/> (or starts so, for a prefix).</summary>
    public bool Is(string text, string word, bool prefix)
    {
        if (Folded is not null)
        {
            return prefix ? Folded.StartsWith(word, StringComparison.Ordinal) : string.Equals(Folded, word, StringComparison.Ordinal);
        }
        var span = text.AsSpan(Start, End - Start);
        if (prefix ? span.Length < word.Length : span.Length != word.Length)
        {
            return false;
        }
        // folded words are lower case: an ASCII word folds to itself lower-cased
        return Ascii.EqualsIgnoreCase(span[..word.Length], word);
    }
}

/// <summary>
/// The text of one search row: the five columns exactly as the embedded index builds them and their words folded by
/// <see cref="SearchFolding"/> (so both stores split and fold text alike without PostgreSQL's parser or the
/// unaccent extension), with the counts the postings keep.
/// </summary>
internal sealed class SearchText
{
    private string[]? _words;
    private int _tokens = -1;

    private SearchText(Document doc)
    {
        Texts = [doc.Title, doc.From ?? "", doc.To ?? "", BodyText(doc), FootnoteText(doc)];
    }

    private SearchText(string[] texts)
    {
        Texts = texts;
    }

    /// <summary>The column texts, indexed by <see cref="TextColumn"/>.</summary>
    public string[] Texts { get; }

    /// <summary>The folded words of each column, <c>" w1 w2 "</c> as <see cref="SearchFolding.Words"/> gives them (worked out when first asked).</summary>
    public string[] Words => _words ??= Texts.Select(t => SearchFolding.Words(t)).ToArray();

    /// <summary>Words in all five columns: the row's length for BM25.</summary>
    public int Tokens => _tokens >= 0 ? _tokens : _words is null ? Texts.Sum(SearchFolding.CountWords) : _words.Sum(CountWords);

    /// <summary>Counts <see cref="Tokens"/> now and keeps the count (for a text made on one thread and indexed on another).</summary>
    public void CountTokens() => _tokens = Tokens;

    public static SearchText Build(Document doc) => new(doc);

    /// <summary>A row's text from its five column texts (as the full-text index stores them).</summary>
    public static SearchText Of(string[] texts) => new(texts);

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

    // one builder per thread for the column texts: a row's columns are made one after another, each copied out once
    [ThreadStatic]
    private static StringBuilder? t_column;

    private static StringBuilder Column()
    {
        var sb = t_column ??= new StringBuilder(64 * 1024);
        sb.Clear();
        return sb;
    }

    private static string Done(StringBuilder sb)
    {
        var text = sb.ToString();
        if (sb.Capacity > 4 * 1024 * 1024)
        {
            // an exceptionally long document does not pin its buffer for the thread's life
            t_column = null;
        }
        return text;
    }

    /// <summary>The body column: paragraphs and excision markers, then the signature (as the embedded index).</summary>
    public static string BodyText(Document doc)
    {
        // each paragraph's plain text (Paragraph.Text) folded straight into the column: no string per paragraph
        var sb = Column();
        foreach (var block in doc.Body)
        {
            switch (block)
            {
                case Paragraph p:
                    AppendLine(sb, p.Content);
                    break;
                case ExcisionBlock e when !string.IsNullOrEmpty(e.Text):
                    (sb.Length > 0 ? sb.Append('\n') : sb).Append(e.Text);
                    break;
            }
        }
        if (!string.IsNullOrEmpty(doc.Signed))
        {
            sb.Append('\n').Append(doc.Signed);
        }
        return Done(sb);
    }

    /// <summary>The footnotes column: the source note, then the footnotes.</summary>
    public static string FootnoteText(Document doc)
    {
        var sb = Column();
        if (!string.IsNullOrEmpty(doc.SourceNote))
        {
            sb.Append(doc.SourceNote);
        }
        foreach (var f in doc.Footnotes)
        {
            AppendLine(sb, f.Content);
        }
        return Done(sb);
    }

    /// <summary>
    /// Appends the plain text of <paramref name="runs"/> as <see cref="Inlines.ToPlainText"/> makes it (white space
    /// folded to single spaces, trimmed), after a newline when the column already holds text; nothing when it is empty.
    /// </summary>
    private static void AppendLine(StringBuilder sb, IReadOnlyList<Inline> runs)
    {
        var before = sb.Length;
        if (before > 0)
        {
            sb.Append('\n');
        }
        var start = sb.Length;
        var space = false;
        foreach (var run in runs)
        {
            foreach (var c in run.PlainText)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = sb.Length > start;
                    continue;
                }
                if (space)
                {
                    sb.Append(' ');
                    space = false;
                }
                sb.Append(c);
            }
        }
        if (sb.Length == start)
        {
            sb.Length = before;
        }
    }

    /// <summary>
    /// The words of <paramref name="text"/> with their places, split exactly as <see cref="SearchFolding.Words"/>
    /// splits (word characters make words, combining marks stay with the word before them). Only words with a
    /// character outside ASCII carry their folded form: an ASCII word's folded form is itself in lower case, which
    /// <see cref="TextToken.Is"/> compares in place, so a long body is split without a string per word.
    /// </summary>
    public static List<TextToken> Tokenize(string text)
    {
        var list = new List<TextToken>(text.Length / 6 + 1);
        var start = -1;
        var end = 0;
        var ascii = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 0x80)
            {
                // the common case, decided without the Unicode tables (as SearchFolding.Words decides it)
                if (char.IsAsciiLetterOrDigit(c))
                {
                    if (start < 0)
                    {
                        start = i;
                        ascii = true;
                    }
                    end = i + 1;
                }
                else if (start >= 0)
                {
                    list.Add(Token(text, start, end, ascii));
                    start = -1;
                }
                i++;
                continue;
            }
            if (!Rune.TryGetRuneAt(text, i, out var r))
            {
                // a lone surrogate, as EnumerateRunes reads it: the replacement character, a symbol (not a word character)
                r = Rune.ReplacementChar;
            }
            var length = char.IsHighSurrogate(c) && r != Rune.ReplacementChar ? 2 : 1;
            if (Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                if (start >= 0)
                {
                    end = i + length;
                    ascii = false;
                }
            }
            else if (SearchFolding.IsWordChar(r))
            {
                if (start < 0)
                {
                    start = i;
                }
                end = i + length;
                ascii = false;
            }
            else if (start >= 0)
            {
                list.Add(Token(text, start, end, ascii));
                start = -1;
            }
            i += length;
        }
        if (start >= 0)
        {
            list.Add(Token(text, start, end, ascii));
        }
        return list;
    }

    private static TextToken Token(string text, int start, int end, bool ascii) =>
        new(ascii ? null : SearchFolding.Words(text.Substring(start, end - start)).Trim(), start, end);

    /// <summary>A file number as stored and compared (as the embedded index): white space folded, lower case.</summary>
    public static string FileKey(string fileNumber) => PlainText.Fold(fileNumber).ToLowerInvariant();

    /// <summary>The first year of a date key, or null.</summary>
    public static int? Year(string? key) =>
        key is { Length: >= 4 } && int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : null;
}
