using Chancery.Archive.Search;

namespace Chancery.Archive.Tests;

/// <summary>
/// The words snippets are built from: split as <see cref="SearchFolding.Words"/> splits, with a folded string only for
/// words outside ASCII (an ASCII word is compared in place).
/// </summary>
public sealed class SearchTextTokenTests
{
    [Fact]
    public void Only_a_word_with_a_character_outside_ascii_carries_its_folded_form()
    {
        Assert.Equal(
            [new TextToken(null, 0, 3), new TextToken("attache", 4, 11), new TextToken(null, 13, 15), new TextToken(null, 16, 22)],
            SearchText.Tokenize("The Attaché, in Dairen"));
    }

    [Fact]
    public void A_combining_accent_stays_inside_the_word_before_it()
    {
        Assert.Equal([new TextToken("attache", 0, 8), new TextToken(null, 9, 10)], SearchText.Tokenize("Attache\u0301 x"));
    }

    [Fact]
    public void An_ascii_word_matches_a_folded_query_word_whatever_its_case()
    {
        const string text = "to DAIREN today";
        var dairen = SearchText.Tokenize(text)[1];

        Assert.Equal(
            (true, true, false, false),
            (dairen.Is(text, "dairen", prefix: false), dairen.Is(text, "dai", prefix: true), dairen.Is(text, "dai", prefix: false), dairen.Is(text, "daireni", prefix: true)));
    }

    [Fact]
    public void A_folded_word_matches_the_query_word_without_accents()
    {
        const string text = "l'Attaché";
        var attache = SearchText.Tokenize(text)[1];

        Assert.Equal((true, true, false), (attache.Is(text, "attache", prefix: false), attache.Is(text, "atta", prefix: true), attache.Is(text, "attaché", prefix: false)));
    }
}
