using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Documents;
using CsCheck;
using Lucene.Net.Analysis.TokenAttributes;

namespace Chancery.Archive.Tests;

/// <summary>
/// The full-text index's tokenizer and word count against <see cref="SearchFolding.Words"/>, which queries and the
/// server store fold with: the index must split and fold exactly alike, or words are not found.
/// </summary>
public sealed class SearchTokenizerTests
{
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        using var analyzer = LuceneSearchIndex.NewAnalyzer();
        using var stream = analyzer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(term.ToString());
        }
        stream.End();
        return tokens;
    }

    private static List<string> Words(string text) =>
        [.. SearchFolding.Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > LuceneSearchIndex.MaxTermChars ? w[..LuceneSearchIndex.MaxTermChars] : w)];

    [Fact]
    public void Words_are_letters_and_digits_lower_cased_without_accents()
    {
        Assert.Equal(["the", "attache", "in", "dairen", "761", "93", "7", "1345"], Tokens("The Attaché, in Dairen—761.93/7–1345"));
    }

    [Fact]
    public void A_combining_accent_stays_with_its_letter_and_is_dropped()
    {
        Assert.Equal(["cafe", "au", "lait"], Tokens("Cafe\u0301 au lait"));
    }

    [Fact]
    public void Letters_outside_the_basic_plane_make_words_and_a_lone_surrogate_separates()
    {
        Assert.Equal(["\uD835\uDC00b", "c", "日本"], Tokens("\uD835\uDC00B \uD800c 日本"));
    }

    [Fact]
    public void A_word_longer_than_a_term_may_be_is_cut()
    {
        Assert.Equal([new string('a', LuceneSearchIndex.MaxTermChars), "b"], Tokens(new string('A', 9000) + " b"));
    }

    [Fact]
    public void The_tokenizer_and_the_word_count_agree_with_the_folding_on_any_text()
    {
        var text = Gen.String[Gen.OneOf(Gen.Char["aZ09 .,-é\n"], Gen.Char['\u0300', '\u036F'], Gen.Char['\uD800', '\uDFFF'],
            Gen.OneOf(Gen.Const('Ł'), Gen.Const('ǅ'), Gen.Const('½'), Gen.Const('٣'), Gen.Const('\u1E9E'), Gen.Const('日'))), 0, 80];
        text.Sample(t =>
        {
            var words = Words(t);
            Assert.Equal(words, Tokens(t));
            Assert.Equal(words.Count, SearchFolding.CountWords(t));
        });
    }

    [Fact]
    public void The_body_column_folds_each_paragraph_and_skips_empty_ones()
    {
        var doc = TestDocuments.Make("volA", 1, "T") with
        {
            Body =
            [
                new Paragraph([new TextRun("  Soviet \n forces "), new LineBreak(), new TextRun("will enter.")]),
                new Paragraph([new TextRun(" \n ")]),
                new PageBreak("864"),
                new Paragraph([new TextRun("Dairen")]),
            ],
            Signed = "Harriman",
        };
        Assert.Equal("Soviet forces will enter.\nDairen\nHarriman", SearchText.BodyText(doc));
    }

    [Fact]
    public void The_footnotes_column_is_the_source_note_then_each_footnote_folded()
    {
        var doc = TestDocuments.Make("volA", 1, "T") with
        {
            SourceNote = "761.93/7–1345",
            Footnotes = [new Footnote("1", [new TextRun(" Not \n printed. ")]), new Footnote("2", [new TextRun(" ")]), new Footnote("3", [new TextRun("Ibid.")])],
        };
        Assert.Equal("761.93/7–1345\nNot printed.\nIbid.", SearchText.FootnoteText(doc));
    }
}
