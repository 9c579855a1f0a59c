using Chancery.Core.Documents;
using Chancery.Web.Html;

namespace Chancery.Web.Tests;

/// <summary>Later volumes print the number at the head of the title (frus1952-54Guat: "284. Telegram From …").</summary>
public sealed class NumberedTitleTests
{
    private static Document Titled(string title, string number) => new()
    {
        Id = "frus1952-54Guat#d284",
        Volume = "frus1952-54Guat",
        Number = number,
        Type = "Telegram",
        Title = title,
        SourceSha256 = new string('0', 64),
    };

    [Fact]
    public void A_title_that_begins_with_the_documents_number_carries_it()
    {
        Assert.True(NumberedTitle.Carries(Titled("284. Telegram From the CIA Station in Guatemala to the Central Intelligence Agency", "284")));
    }

    [Fact]
    public void A_title_that_begins_with_another_number_does_not_carry_the_documents_number()
    {
        Assert.False(NumberedTitle.Carries(Titled("284. Telegram From the CIA Station in Guatemala to the Central Intelligence Agency", "28")));
    }

    [Fact]
    public void A_contents_entry_is_bare_of_the_number_printed_before_it()
    {
        Assert.Equal("Editorial Note", NumberedTitle.Bare("1. Editorial Note", "1"));
    }

    [Fact]
    public void A_title_without_the_number_stays_whole()
    {
        Assert.Equal("The Acting Secretary of State to the Legation in Saudi Arabia",
            NumberedTitle.Bare("The Acting Secretary of State to the Legation in Saudi Arabia", "202"));
    }

    [Fact]
    public void A_citation_leaves_out_the_number_the_title_begins_with()
    {
        var d = Titled("284. Telegram From the CIA Station in Guatemala to the Central Intelligence Agency", "284");

        var chicago = Citations.For(d, null, "http://localhost/volumes/frus1952-54Guat/d284").Chicago;

        Assert.Equal("“Telegram From the CIA Station in Guatemala to the Central Intelligence Agency,” Document 284, in ", chicago.Before);
    }
}
