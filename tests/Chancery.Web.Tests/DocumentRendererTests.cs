using Chancery.Core.Documents;
using Chancery.Web.Html;

namespace Chancery.Web.Tests;

public sealed class DocumentRendererTests
{
    private static readonly Document Sample = new()
    {
        Id = "v#d1",
        Volume = "v",
        Type = "Telegram",
        Title = "T",
        SourceSha256 = new string('0', 64),
        Footnotes = [new Footnote("1", [new TextRun("Note.")])],
    };

    private static string Body(params Block[] blocks)
    {
        var h = new HtmlBuilder();
        new DocumentRenderer(Sample, null).Body(h, blocks);
        return h.ToString();
    }

    [Fact]
    public void Text_a_review_cut_is_marked_as_withheld_from_the_public()
    {
        var html = Body(new Paragraph([new TextRun("before "), new ExcisedText("the cut"), new TextRun(" after")]));

        Assert.Equal("<p>before <span class=\"withheld-text\" title=\"Withheld from the public release\"><span class=\"visually-hidden\">[withheld from public: </span>"
            + "the cut<span class=\"visually-hidden\">]</span></span> after</p>\n", html);
    }

    [Fact]
    public void A_paragraph_a_review_cut_is_boxed_and_labelled()
    {
        var html = Body(new Paragraph([new TextRun("All of it.")], Excised: true));

        Assert.Equal("<div class=\"withheld-block\"><p class=\"withheld-label\">Withheld from the public release</p><p>All of it.</p></div>\n", html);
    }

    [Fact]
    public void A_withheld_block_is_printed_as_its_marker()
    {
        var html = Body(new ExcisionBlock(Excision.ForCut(1, 3)));

        Assert.Equal("<p class=\"excision excision-block\">[1 paragraph (3 lines) not declassified]</p>\n", html);
    }

    [Fact]
    public void A_page_printed_twice_keeps_its_ids_unique()
    {
        var html = Body(new PageBreak("5"), new Paragraph([new PageBreakMark("5")]));

        Assert.Contains("id=\"pg_5\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"pg_5-2\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mark_for_a_note_the_document_lacks_is_printed_without_a_link()
    {
        var html = Body(new Paragraph([new TextRun("x"), new FootnoteMark("9")]));

        Assert.Equal("<p>x<sup class=\"fn-ref\">9</sup></p>\n", html);
    }

    [Fact]
    public void A_note_marked_twice_links_back_to_both_places()
    {
        var renderer = new DocumentRenderer(Sample, null);
        var h = new HtmlBuilder();
        renderer.Body(h, [new Paragraph([new FootnoteMark("1")]), new Paragraph([new FootnoteMark("1")])]);
        var notes = new HtmlBuilder();
        renderer.Footnotes(notes, Sample.Footnotes);

        Assert.Contains("href=\"#fnref1\"", notes.ToString(), StringComparison.Ordinal);
        Assert.Contains("href=\"#fnref1-2\"", notes.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_person_without_a_list_entry_is_linked_without_a_hover_text()
    {
        var html = Body(new Paragraph([new PersonMention("Soong", "#p_STV1")]));

        Assert.Equal("<p><a href=\"/volumes/v/persons#p_STV1\" class=\"person\">Soong</a></p>\n", html);
    }
}
