using System.Net;
using Chancery.Core.Dates;
using Chancery.Web.Pages;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class DocumentPageTests(WebFixture web)
{
    private async Task<Fetched> Page(string path, string? bearer = null)
    {
        using var client = web.Client(bearer);
        return await client.Get(path);
    }

    [Fact]
    public async Task Shows_the_file_number_and_type_line_as_printed()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("890F.7962/12–1848: Telegram", page.Html.QuerySelector(".file-line")!.TextContent);
    }

    [Fact]
    public async Task Shows_number_title_dateline_marking_and_caption()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");
        var header = page.Html.QuerySelector("article.document header")!;

        Assert.Equal("3.", header.QuerySelector(".doc-number")!.TextContent);
        var title = header.QuerySelector("h1")!;
        Assert.Equal(("The Ambassador in the Soviet Union (Crane) to the Secretary of State", "1"),
            (TestHttp.Folded(string.Concat(title.ChildNodes.Where(n => n.NodeName != "SUP").Select(n => n.TextContent))), title.QuerySelector("sup")!.TextContent));
        Assert.Equal("Moscow, July 3, 1945—4 p.m.", TestHttp.Folded(header.QuerySelector(".dateline")!.TextContent));
        Assert.Equal("1945-07-03T16:00", header.QuerySelector(".dateline time")!.GetAttribute("datetime"));
        Assert.Equal("secret", header.QuerySelector(".marking")!.TextContent);
        Assert.Equal("(Personal and secret for the Secretary from Crane.)", header.QuerySelector(".caption")!.TextContent);
    }

    [Fact]
    public async Task The_dateline_prints_noon_as_the_volume_does()
    {
        var page = await Page("/volumes/frus-sample-1945/d6");

        Assert.Equal("Washington, July 7, 1945—noon", TestHttp.Folded(page.Html.QuerySelector("article.document header .dateline")!.TextContent));
    }

    [Fact]
    public void A_dateline_time_in_GMT_keeps_its_zone()
    {
        var date = new DocumentDate("1954-08-24T03:37", "1954-08-24T03:37", DatePrecision.Minute, DateSource.Dateline, "+00:00");

        Assert.Equal("August 24, 1954—3:37 a.m. GMT", DocumentPage.PrintedDate(date));
    }

    [Fact]
    public void A_dateline_time_in_GMT_gives_its_zone_to_machines()
    {
        var date = new DocumentDate("1954-08-24T03:37", "1954-08-24T03:37", DatePrecision.Minute, DateSource.Dateline, "+00:00");

        Assert.Equal("1954-08-24T03:37+00:00", DocumentPage.MachineDate(date));
    }

    [Fact]
    public void A_date_the_editors_supplied_is_bracketed()
    {
        var date = new DocumentDate("1945-07", "1945-07", DatePrecision.Month, DateSource.Editor);

        Assert.Equal("[July 1945]", DocumentPage.PrintedDate(date));
    }

    [Fact]
    public async Task Footnote_marks_are_anchors_to_the_notes_with_links_back()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        var mark = page.Html.QuerySelector("article sup.fn-ref a")!;
        var note = page.Html.GetElementById("fn1")!;
        Assert.Equal(("#fn1", "fnref1", "1"), (mark.GetAttribute("href"), mark.Id, mark.TextContent));
        Assert.Equal(("1", "Sent by the Naval Attaché, Moscow, Commander Brandt, via Navy channels. ↩"),
            (note.QuerySelector(".fn-label")!.TextContent, TestHttp.Folded(note.QuerySelector(".fn-body")!.TextContent)));
        Assert.Equal("#fnref1", note.QuerySelector("a.fn-back")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Footnotes_of_the_corpus_are_anchors_too()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.Equal("#fn1", page.Html.QuerySelector(".doc-body a.fn-link")!.GetAttribute("href"));
        Assert.Equal("Not printed.", TestHttp.Folded(page.Html.QuerySelector("#fn1 .fn-body")!.TextContent.Replace("↩", "")));
    }

    [Fact]
    public async Task A_page_break_inside_a_paragraph_prints_the_page_number_in_the_margin()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        var pb = page.Html.GetElementById("pg_2")!;
        Assert.Equal(("[Page 2]", "page-number page-inline"), (pb.TextContent, pb.ClassName));
        Assert.Equal("P", pb.ParentElement!.TagName);
    }

    [Fact]
    public async Task A_page_break_between_paragraphs_prints_the_page_number_in_the_margin()
    {
        var page = await Page("/volumes/frus1948v05p1/d1");

        Assert.Equal("[Page 3]", page.Html.GetElementById("pg_3")!.TextContent);
        var block = page.Html.GetElementById("pg_4")!;
        Assert.Equal(("page-break", "[Page 4]"), (block.ClassName, block.TextContent));
    }

    [Fact]
    public async Task Editorial_insertions_keep_their_brackets_and_their_own_style()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        Assert.Equal(["[be?]"], page.Html.QuerySelectorAll(".doc-body .editorial").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Excision_markers_are_printed_as_FRUS_prints_them_and_styled_apart()
    {
        var page = await Page("/volumes/frus-sample-1945/d7");

        Assert.Equal(["[name not declassified]"], page.Html.QuerySelectorAll(".doc-body .excision").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Persons_are_explained_on_hover_and_linked_to_the_persons_list()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        var person = page.Html.QuerySelectorAll(".doc-body a.person").First(a => a.TextContent == "Orlanov");
        Assert.Equal("/volumes/frus-sample-1945/persons#p_ODV1", person.GetAttribute("href"));
        Assert.StartsWith("Orlanov, Dmitri V., ", person.GetAttribute("title"));
    }

    [Fact]
    public async Task Terms_are_explained_on_hover_and_linked_to_the_terms_list()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        var term = page.Html.QuerySelector(".doc-body a.term")!;
        Assert.Equal(("SAG", "/volumes/frus1948v05p1/terms#t_SAG1"), (term.TextContent, term.GetAttribute("href")));
        Assert.StartsWith("SAG, ", term.GetAttribute("title"));
    }

    [Fact]
    public async Task Cross_references_link_to_the_document_they_name()
    {
        var page = await Page("/volumes/frus-sample-1945/d1");

        var reference = page.Html.QuerySelectorAll(".doc-body a.ref").First(a => a.TextContent == "document 3");
        Assert.Equal("/volumes/frus-sample-1945/d3", reference.GetAttribute("href"));
    }

    [Fact]
    public async Task The_references_list_links_document_targets()
    {
        var page = await Page("/volumes/frus-sample-1945/d4");

        var links = page.Html.QuerySelectorAll("ul.references li").Where(li => li.TextContent.StartsWith("Document: ", StringComparison.Ordinal))
            .Select(li => li.QuerySelector("a")!).Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Equal([("Document 2", "/volumes/frus-sample-1945/d2"), ("Document 3", "/volumes/frus-sample-1945/d3")], links);
    }

    [Fact]
    public async Task Previous_and_next_link_the_neighbouring_documents()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        Assert.Equal("/volumes/frus-sample-1945/d2", page.Html.QuerySelector(".prev-next a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/volumes/frus-sample-1945/d4", page.Html.QuerySelector(".prev-next a[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Next_skips_a_document_the_public_may_not_read()
    {
        var page = await Page("/volumes/frus-sample-1945/d13");

        Assert.Equal("/volumes/frus-sample-1945/d15", page.Html.QuerySelector(".prev-next a[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Offers_TEI_JSON_and_text_downloads()
    {
        var page = await Page("/volumes/frus-sample-1945/d3");

        Assert.Equal(["/volumes/frus-sample-1945/d3.xml", "/volumes/frus-sample-1945/d3.json", "/volumes/frus-sample-1945/d3.txt"],
            page.Html.QuerySelectorAll("ul.downloads a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Cite_this_gives_a_Chicago_citation_with_the_documents_address()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.Equal("“The Acting Secretary of State to the Legation in Saudi Arabia,” December 30, 1948, 4:00 p.m., Document 202, in "
            + "Foreign Relations of the United States, 1948, The Near East, South Asia, and Africa, Volume V, Part 1, ed. Herbert A. Fine and David H. Stauffer (1975), "
            + web.BaseAddress.GetLeftPart(UriPartial.Authority) + "/volumes/frus1948v05p1/d202.",
            page.Html.GetElementById("cite-chicago")!.TextContent);
    }

    [Fact]
    public async Task Cite_this_gives_MLA_BibTeX_and_CSL_JSON()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.StartsWith("“The Acting Secretary of State to the Legation in Saudi Arabia.” Foreign Relations of the United States, 1948",
            page.Html.GetElementById("cite-mla")!.TextContent);
        Assert.StartsWith("@incollection{frus1948v05p1-d202,\n  title = {{The Acting Secretary of State to the Legation in Saudi Arabia}},",
            page.Html.GetElementById("cite-bibtex")!.TextContent);
        using var csl = System.Text.Json.JsonDocument.Parse(page.Html.GetElementById("cite-csl")!.TextContent);
        Assert.Equal(("chapter", "202"), (csl.RootElement[0].GetProperty("type").GetString(), csl.RootElement[0].GetProperty("number").GetString()));
    }

    [Fact]
    public async Task The_signature_printed_in_the_body_is_not_repeated()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.Equal(1, page.Html.QuerySelectorAll("article.document *").Count(e => e.ChildElementCount == 0 && e.TextContent.Trim() == "Lovett"));
    }

    [Fact]
    public async Task Downloads_answer_with_the_exported_text()
    {
        var page = await Page("/volumes/frus1948v05p1/d202.txt");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/plain; charset=utf-8", page.ContentType);
        Assert.StartsWith("890F.7962/12–1848: Telegram\n", page.Body);
    }

    [Fact]
    public async Task The_TEI_download_is_the_TEI_export_of_the_readers_view()
    {
        var expected = Chancery.Core.Export.TeiExporter.Write(web.Archive.GetDocument("frus1948v05p1#d202", Chancery.Core.Access.ReaderIdentity.Public, "test")!.Document);
        var page = await Page("/volumes/frus1948v05p1/d202.xml");

        Assert.Equal((HttpStatusCode.OK, "application/tei+xml; charset=utf-8"), (page.Status, page.ContentType));
        Assert.Equal(expected, page.Body);
    }

    [Fact]
    public async Task The_JSON_download_is_the_JSON_export_of_the_readers_view()
    {
        var expected = Chancery.Core.Export.DocumentJson.Serialize(web.Archive.GetDocument("frus-sample-1945#d3", Chancery.Core.Access.ReaderIdentity.Public, "test")!.Document);
        var page = await Page("/volumes/frus-sample-1945/d3.json");

        Assert.Equal(expected, page.Body);
    }

    [Fact]
    public async Task A_download_answers_304_to_its_own_ETag()
    {
        using var client = web.Client();
        var first = await client.Get("/volumes/frus-sample-1945/d3.txt");
        var second = await client.Get("/volumes/frus-sample-1945/d3.txt", r => r.Headers.TryAddWithoutValidation("If-None-Match", first.Header("ETag")));

        Assert.Equal(HttpStatusCode.NotModified, second.Status);
    }

    [Fact]
    public async Task Pages_answer_HEAD_without_a_body()
    {
        using var client = web.Client();
        using var request = new HttpRequestMessage(HttpMethod.Head, "/volumes/frus-sample-1945/d3");
        var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, ""), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Format_in_the_query_string_picks_the_download()
    {
        var page = await Page("/volumes/frus1948v05p1/d202?format=json");

        Assert.Equal("application/json; charset=utf-8", page.ContentType);
        Assert.StartsWith("{\n  \"id\": \"frus1948v05p1#d202\",", page.Body);
    }

    [Fact]
    public async Task An_unknown_format_answers_400()
    {
        var page = await Page("/volumes/frus1948v05p1/d202?format=pdf");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
    }

    [Fact]
    public async Task The_public_does_not_see_a_reader_banner()
    {
        var page = await Page("/volumes/frus1948v05p1/d202");

        Assert.Null(page.Html.QuerySelector(".reader-banner"));
    }
}
