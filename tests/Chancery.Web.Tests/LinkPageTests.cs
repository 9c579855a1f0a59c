using System.Net;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>Links on document pages, and the person, decimal file and thread pages.</summary>
[Collection(WebCollection.Name)]
public sealed class LinkPageTests(WebFixture web)
{
    private async Task<Fetched> Page(string path, string? bearer = null)
    {
        using var client = web.Client(bearer);
        return await client.Get(path);
    }

    private static List<(string Text, string? Href)> Items(Fetched page, string selector) =>
        page.Html.QuerySelectorAll(selector).Select(li => (TestHttp.Folded(li.TextContent), li.QuerySelector("a")?.GetAttribute("href"))).ToList();

    [Fact]
    public async Task A_cited_document_that_is_not_in_the_archive_is_named_not_linked()
    {
        // the seed's footnote 2 cites document 577, which the archive lacks: a link would answer 404
        var page = await Page("/volumes/frus1945Berlinv01/d578", web.OfficerToken);

        Assert.Contains(("Document: See document No. 577 (not in this archive) (footnote 2)", null), Items(page, "ul.references li"));
    }

    [Fact]
    public async Task A_document_lists_the_documents_it_cites()
    {
        var page = await Page("/volumes/frus-sample-1945/d4");

        Assert.Equal([
            ("The Acting Secretary of State to the Ambassador in the Soviet Union (Crane) July 1, 1945 No. 1422", "/volumes/frus-sample-1945/d2"),
            ("The Ambassador in the Soviet Union (Crane) to the Secretary of State July 3, 1945 No. 2617", "/volumes/frus-sample-1945/d3"),
        ], Items(page, "ul.cites li"));
    }

    [Fact]
    public async Task A_cited_document_the_public_may_not_see_is_only_document_withheld()
    {
        var page = await Page("/volumes/frus-sample-1945/d1");

        var withheld = page.Html.QuerySelectorAll("ul.cites li").Where(li => li.QuerySelector(".withheld-link") is not null).ToList();
        Assert.Equal(["document withheld"], withheld.Select(li => TestHttp.Folded(li.TextContent)));
        Assert.Null(withheld[0].QuerySelector("a"));
        Assert.DoesNotContain("Harriman", page.Html.QuerySelector("section.links")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cleared_reader_sees_the_withheld_citation_by_its_title()
    {
        var page = await Page("/volumes/frus-sample-1945/d1", web.OfficerToken);

        Assert.Contains(("The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State July 13, 1945", "/volumes/frus1945Berlinv01/d578"),
            Items(page, "ul.cites li"));
        Assert.Empty(page.Html.QuerySelectorAll("ul.cites .withheld-link"));
    }

    [Fact]
    public async Task A_document_lists_the_documents_citing_it()
    {
        var page = await Page("/volumes/frus-sample-1945/d2");

        Assert.Equal(["/volumes/frus-sample-1945/d3", "/volumes/frus-sample-1945/d4", "/volumes/frus-sample-1945/d23"], Items(page, "ul.cited-by li").Select(i => i.Href));
        Assert.Equal("The Ambassador in the Soviet Union (Crane) to the Secretary of State July 5, 1945 No. 2688", Items(page, "ul.cited-by li")[1].Text);
    }

    [Fact]
    public async Task A_cited_telegram_the_links_found_is_linked_to_its_document_and_one_not_found_to_a_search()
    {
        var page = await Page("/volumes/frus-sample-1945/d4");

        var telegrams = page.Html.QuerySelectorAll("ul.references li").Where(li => li.TextContent.StartsWith("Telegram: ", StringComparison.Ordinal))
            .Select(li => li.QuerySelector("a")!).Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Equal([("Deptel 1422, July 1", "/volumes/frus-sample-1945/d2"), ("mytel 2617, July 3", "/volumes/frus-sample-1945/d3"), ("Embtel 120015, June 28", "/search?q=%22120015%22")], telegrams);
    }

    [Fact]
    public async Task A_telegram_links_to_its_thread()
    {
        var page = await Page("/volumes/frus-sample-1945/d4");

        Assert.Equal("/volumes/frus-sample-1945/d4/thread", page.Html.QuerySelector(".thread-link a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_document_without_links_shows_no_links_section()
    {
        var page = await Page("/volumes/frus-sample-1945/d5");

        Assert.Null(page.Html.QuerySelector("section.links"));
    }

    [Fact]
    public async Task The_thread_page_lists_the_telegrams_by_date_and_marks_the_current_one()
    {
        var page = await Page("/volumes/frus-sample-1945/d4/thread");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["/volumes/frus-sample-1945/d2", "/volumes/frus-sample-1945/d3", "/volumes/frus-sample-1945/d4", "/volumes/frus-sample-1945/d10", "/volumes/frus-sample-1945/d18", "/volumes/frus-sample-1945/d23"],
            page.Html.QuerySelectorAll("ol.thread > li > a").Select(a => a.GetAttribute("href")));
        Assert.Equal("/volumes/frus-sample-1945/d4", page.Html.QuerySelector("ol.thread > li[aria-current=page] > a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_thread_of_a_withheld_document_is_the_document_not_found_page()
    {
        var withheld = await Page("/volumes/frus1945Berlinv01/d578/thread");
        var missing = await Page("/volumes/frus1945Berlinv01/d579/thread");

        Assert.Equal((HttpStatusCode.NotFound, "Document not found"), (withheld.Status, withheld.Html.QuerySelector("main h1")!.TextContent));
        Assert.Equal(withheld.Body.Replace("d578", "ID", StringComparison.Ordinal), missing.Body.Replace("d579", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_document_gives_its_decoded_file_number_linked_to_the_file()
    {
        var page = await Page("/volumes/frus-sample-1945/d11");

        var item = page.Html.QuerySelector("ul.file-numbers li")!;
        Assert.Equal(("761.93/7–1145", "/files/761.93"), (item.QuerySelector("a")!.TextContent, item.QuerySelector("a")!.GetAttribute("href")));
        Assert.Equal(": Political relations between states: USSR – China, 11 July 1945", item.QuerySelector(".file-meaning")!.TextContent);
    }

    [Fact]
    public async Task The_file_page_gives_the_meaning_and_the_documents_the_public_may_see()
    {
        var page = await Page("/files/761.93");

        Assert.Equal(("Decimal file 761.93", "Political relations between states: USSR – China"),
            (page.Html.QuerySelector("main h1")!.TextContent, page.Html.QuerySelector(".file-meaning")!.TextContent));
        Assert.Equal(["/volumes/frus-sample-1945/d11"], page.Html.QuerySelectorAll("ol.filed > li > a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_file_page_shows_a_cleared_reader_the_withheld_telegram_too()
    {
        var page = await Page("/files/761.93", web.OfficerToken);

        Assert.Equal(["/volumes/frus-sample-1945/d11", "/volumes/frus1945Berlinv01/d578"], page.Html.QuerySelectorAll("ol.filed > li > a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_dated_file_number_with_its_slash_is_one_address()
    {
        var page = await Page("/files/761.93/7-1145");

        Assert.Equal(["761.93/7–1145: Political relations between states: USSR – China, 11 July 1945"],
            page.Html.QuerySelectorAll("ol.filed ul.file-numbers li").Select(li => TestHttp.Folded(li.TextContent)));
    }

    [Fact]
    public async Task The_file_page_without_a_number_answers_400_with_examples()
    {
        var page = await Page("/files/");

        Assert.Equal((HttpStatusCode.BadRequest, "No file number"), (page.Status, page.Html.QuerySelector("main h1")!.TextContent));
    }

    [Fact]
    public async Task A_person_in_the_aside_links_to_the_persons_page()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        var person = page.Html.QuerySelectorAll("ul.persons a.person").First(a => a.TextContent == "Orlanov, Dmitri V.");
        Assert.Equal("/persons/frus-sample-1945%23p_ODV1", person.GetAttribute("href"));
    }

    [Fact]
    public async Task The_person_page_lists_the_volumes_entries_and_the_documents_naming_the_person()
    {
        var page = await Page("/persons/frus-sample-1945%23p_ODV1");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Orlanov, Dmitri V.", page.Html.QuerySelector("main h1")!.TextContent);
        Assert.Equal("Soviet Deputy People’s Commissar for Foreign Affairs", page.Html.QuerySelector("dl.listings dd")!.TextContent);
        Assert.Equal(["/volumes/frus-sample-1945/d2", "/volumes/frus-sample-1945/d3", "/volumes/frus-sample-1945/d11", "/volumes/frus-sample-1945/d23"],
            page.Html.QuerySelectorAll("ol.mentioned > li > a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_person_is_found_by_name_too()
    {
        var page = await Page("/persons/" + Uri.EscapeDataString("Dmitri V. Orlanov"));

        Assert.Equal((HttpStatusCode.OK, "Orlanov, Dmitri V."), (page.Status, page.Html.QuerySelector("main h1")!.TextContent));
    }

    [Fact]
    public async Task An_unknown_person_answers_a_404_page_that_offers_a_search()
    {
        var page = await Page("/persons/Nobody");

        Assert.Equal((HttpStatusCode.NotFound, "Person not found"), (page.Status, page.Html.QuerySelector("main h1")!.TextContent));
        Assert.Equal("/search?q=person%3A%22Nobody%22", page.Html.QuerySelectorAll("main a").First(a => a.TextContent.StartsWith("Search", StringComparison.Ordinal)).GetAttribute("href"));
    }
}
