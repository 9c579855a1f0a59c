using System.Globalization;
using System.Text;
using Chancery.Archive.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Splits and folds text into the words <see cref="SearchFolding.Words"/> gives, one token each, cut at
/// <see cref="LuceneSearchIndex.MaxTermChars"/>. It reads its input into a buffer it keeps and folds each word straight
/// into the term attribute: indexing allocates nothing per word (bench ingest, BENCHMARKS.md).
/// </summary>
internal sealed class FoldingTokenizer : Tokenizer
{
    private readonly ICharTermAttribute _term;
    private char[] _text = new char[4096];
    private int _length;
    private int _next;

    public FoldingTokenizer(TextReader input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        var text = _text;
        var i = _next;
        var term = _term.Buffer;
        var n = 0;
        var inWord = false;
        Span<char> folded = stackalloc char[2];
        while (i < _length)
        {
            var c = text[i];
            if (c < 0x80)
            {
                // most text is ASCII: letters and digits are words, lower-cased; everything else separates
                if (char.IsAsciiLetterOrDigit(c))
                {
                    inWord = true;
                    if (n < LuceneSearchIndex.MaxTermChars)
                    {
                        if (n == term.Length)
                        {
                            term = _term.ResizeBuffer(n + 1);
                        }
                        term[n++] = (char)(c | ((uint)(c - 'A') <= 'Z' - 'A' ? 0x20 : 0));
                    }
                    i++;
                    continue;
                }
                i++;
                if (inWord)
                {
                    break;
                }
                continue;
            }
            var r = Rune.DecodeFromUtf16(text.AsSpan(i, _length - i), out var rune, out var used) == System.Buffers.OperationStatus.Done
                ? rune : Rune.ReplacementChar;
            i += used;
            var category = Rune.GetUnicodeCategory(r);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                // a combining accent belongs to the letter before it, and is dropped with the other diacritics
                continue;
            }
            if (!SearchFolding.IsWordChar(category))
            {
                if (inWord)
                {
                    break;
                }
                continue;
            }
            inWord = true;
            var count = SearchFolding.Fold(r, folded);
            for (var k = 0; k < count && n < LuceneSearchIndex.MaxTermChars; k++)
            {
                if (n == term.Length)
                {
                    term = _term.ResizeBuffer(n + 1);
                }
                term[n++] = folded[k];
            }
        }
        _next = i;
        if (!inWord)
        {
            return false;
        }
        _term.Length = n;
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        // the whole value at once: a word may not be split across reads, and values are a document's text at most
        _length = 0;
        _next = 0;
        while (true)
        {
            if (_length == _text.Length)
            {
                Array.Resize(ref _text, _text.Length * 2);
            }
            var read = m_input.Read(_text, _length, _text.Length - _length);
            if (read <= 0)
            {
                break;
            }
            _length += read;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _text.Length > 1024 * 1024)
        {
            // an exceptionally long value does not pin its buffer for the analyzer's life
            _text = new char[4096];
        }
    }
}
