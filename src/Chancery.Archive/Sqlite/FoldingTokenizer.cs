using System.Globalization;
using System.Text;
using Chancery.Archive.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Splits and folds text into the words <see cref="SearchFolding.Words"/> gives, one token each, cut at
/// <see cref="LuceneSearchIndex.MaxTermChars"/>; with <c>pairs</c>, also the pair of every two adjacent common words
/// (<see cref="CommonWordPairs"/>) at the first word's position. It reads its input into a buffer it keeps and folds
/// each word straight into the term attribute: indexing allocates nothing per word (bench ingest, BENCHMARKS.md).
/// </summary>
/// <remarks>
/// The pairs are made here rather than by a filter after the tokenizer: a filter's extra call and copy per word, and
/// its set lookup, were a tenth of the index thread's time.
/// </remarks>
internal sealed class FoldingTokenizer : Tokenizer
{
    /// <summary>Each ASCII character folded: letters lower-cased, digits themselves, 0 for a separator.</summary>
    private static readonly char[] AsciiFold = BuildAsciiFold();

    private readonly bool _pairs;
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute? _increment;
    private char[] _text = new char[4096];
    private int _length;
    private int _next;
    // with pairs: the last word when it is common (else empty), and a word held back while its pair goes out first
    private char[] _previous = new char[32];
    private int _previousLength;
    private char[] _held = new char[32];
    private int _heldLength = -1;

    public FoldingTokenizer(TextReader input, bool pairs = false) : base(FoldedTerms.Factory, input)
    {
        _pairs = pairs;
        _term = AddAttribute<ICharTermAttribute>();
        if (pairs)
        {
            _increment = AddAttribute<IPositionIncrementAttribute>();
        }
    }

    private static char[] BuildAsciiFold()
    {
        var fold = new char[128];
        for (var c = '\0'; c < 128; c++)
        {
            fold[c] = char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '\0';
        }
        return fold;
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        if (_heldLength >= 0)
        {
            // the word after the pair, at the next position; it is common, so it may start the next pair
            _term.CopyBuffer(_held, 0, _heldLength);
            (_previous, _held) = (_held, _previous);
            _previousLength = _heldLength;
            _heldLength = -1;
            return true;
        }
        if (!NextWord())
        {
            return false;
        }
        if (!_pairs)
        {
            return true;
        }
        var word = _term.Buffer.AsSpan(0, _term.Length);
        if (!CommonWordPairs.IsCommon(word))
        {
            _previousLength = 0;
            return true;
        }
        if (_previousLength == 0)
        {
            Keep(ref _previous, ref _previousLength, word);
            return true;
        }
        // the pair goes out at the previous word's position, this word after it
        Keep(ref _held, ref _heldLength, word);
        var length = _previousLength + 1 + _heldLength;
        var buffer = _term.ResizeBuffer(length);
        _previous.AsSpan(0, _previousLength).CopyTo(buffer);
        buffer[_previousLength] = CommonWordPairs.Separator;
        _held.AsSpan(0, _heldLength).CopyTo(buffer.AsSpan(_previousLength + 1));
        _term.Length = length;
        _increment!.PositionIncrement = 0;
        return true;
    }

    private static void Keep(ref char[] buffer, ref int length, ReadOnlySpan<char> word)
    {
        if (buffer.Length < word.Length)
        {
            buffer = new char[Math.Max(word.Length, buffer.Length * 2)];
        }
        word.CopyTo(buffer);
        length = word.Length;
    }

    /// <summary>The next word folded into the term attribute; false at the end of the value.</summary>
    private bool NextWord()
    {
        var text = _text;
        var i = _next;
        var end = _length;
        var term = _term.Buffer;
        var n = 0;
        var inWord = false;
        var fold = AsciiFold;
        Span<char> folded = stackalloc char[2];
        while (i < end)
        {
            var c = text[i];
            if (c < 0x80)
            {
                // most text is ASCII: letters and digits are words, lower-cased; everything else separates
                var f = fold[c];
                i++;
                if (f != '\0')
                {
                    inWord = true;
                    if (n < LuceneSearchIndex.MaxTermChars)
                    {
                        if (n == term.Length)
                        {
                            term = _term.ResizeBuffer(n + 1);
                        }
                        term[n++] = f;
                    }
                    continue;
                }
                if (inWord)
                {
                    break;
                }
                continue;
            }
            var r = Rune.DecodeFromUtf16(text.AsSpan(i, end - i), out var rune, out var used) == System.Buffers.OperationStatus.Done
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
        _previousLength = 0;
        _heldLength = -1;
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

    /// <summary>
    /// The term attribute whose UTF-8 bytes (what the index stores of a term) are made by the runtime's vectorised
    /// ASCII narrowing when the term is ASCII, as nearly every folded word is; others by Lucene's own conversion.
    /// The bytes are the same either way.
    /// </summary>
    private sealed class FoldedTerms : CharTermAttribute
    {
        public static readonly AttributeSource.AttributeFactory Factory = new FoldedTermsFactory();

        public override void FillBytesRef()
        {
            var chars = Buffer.AsSpan(0, Length);
            var bytes = BytesRef;
            if (bytes.Bytes.Length < chars.Length)
            {
                bytes.Bytes = new byte[ArrayUtil.Oversize(chars.Length, 1)];
            }
            if (Ascii.FromUtf16(chars, bytes.Bytes, out var written) == System.Buffers.OperationStatus.Done)
            {
                bytes.Offset = 0;
                bytes.Length = written;
                return;
            }
            base.FillBytesRef();
        }

        private sealed class FoldedTermsFactory : AttributeSource.AttributeFactory
        {
            public override Lucene.Net.Util.Attribute CreateAttributeInstance<T>() =>
                typeof(T) == typeof(ICharTermAttribute) || typeof(T) == typeof(ITermToBytesRefAttribute)
                    ? new FoldedTerms()
                    : DEFAULT_ATTRIBUTE_FACTORY.CreateAttributeInstance<T>();
        }
    }
}
