using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>The cable query language of searches and saved searches.</summary>
public sealed class CableQueryTests
{
    private static readonly Telegram Sample = new()
    {
        MessageId = "m1",
        Number = new CableNumber("MOSCOW", 120756),
        FromPost = "moscow",
        FromName = "Embassy Moscow",
        Place = "Moscow",
        Recipients = [new Recipient(Addressee.Individual("truman"), "the President", "maproom", true)],
        Classification = ClassificationLevel.TopSecret,
        Captions = ["PERSONAL-FOR"],
        Precedence = Precedence.Immediate,
        Subject = "Soong–Stalin conversations",
        Tags = ["PREL"],
        SubjectCode = "761.93",
        Body = ["Soong offered Port Arthur as a naval base for joint use.", "The meeting parted in a friendly atmosphere."],
        Sent = new DateTimeOffset(1945, 7, 13, 14, 0, 0, TimeSpan.FromHours(3)),
        DateTimeGroup = "131100Z JUL 45",
        Route = new ChannelRoute("moscow", CableChannel.Navy, "the United States Naval Attaché, Moscow"),
        Drafter = "page",
        Approver = "harriman",
        TransmittedBy = "clerk",
        DraftId = 1,
        DocumentId = "cables1945#moscow-120756",
    };

    private static bool Matches(string query) => CableQuery.Parse(query).Matches(Sample);

    [Fact]
    public void A_word_matches_in_any_case()
    {
        Assert.True(Matches("port"));
    }

    [Fact]
    public void A_word_must_be_whole()
    {
        Assert.False(Matches("Por"));
    }

    [Fact]
    public void A_prefix_matches_the_start_of_a_word()
    {
        Assert.True(Matches("frien*"));
    }

    [Fact]
    public void A_phrase_matches_words_in_order()
    {
        Assert.Equal((true, false), (Matches("\"Port Arthur\""), Matches("\"Arthur Port\"")));
    }

    [Fact]
    public void All_parts_must_match()
    {
        Assert.False(Matches("Soong Dairen"));
    }

    [Fact]
    public void Fields_match_post_precedence_class_code_tag_and_caption()
    {
        Assert.True(Matches("from:moscow to:maproom precedence:immediate class:top-secret code:761 tag:prel caption:personal-for"));
    }

    [Fact]
    public void A_negated_part_excludes()
    {
        Assert.False(Matches("Soong -precedence:immediate"));
    }

    [Fact]
    public void Accents_do_not_matter()
    {
        Assert.True(CableQuery.Parse("Attache").Matches(Sample with { Body = ["the Naval Attaché reports"] }));
    }

    [Fact]
    public void An_unclosed_quote_says_where()
    {
        var e = Assert.Throws<ArchiveException>(() => CableQuery.Parse("Soong \"Port Arthur"));
        Assert.Equal("cable query:7: the quote is not closed", e.Message);
    }

    [Fact]
    public void A_bad_precedence_is_refused()
    {
        var e = Assert.Throws<ArchiveException>(() => CableQuery.Parse("precedence:urgent"));
        Assert.Equal("cable query:1: 'urgent' is not a precedence (FLASH, NIACT IMMEDIATE, IMMEDIATE, PRIORITY, ROUTINE)", e.Message);
    }

    [Fact]
    public void A_query_of_only_negations_is_refused()
    {
        var e = Assert.Throws<ArchiveException>(() => CableQuery.Parse("-Soong"));
        Assert.Equal("cable query:1: give at least one word or field to match", e.Message);
    }
}
