using System.Net;
using Chancery.Core.Access;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class HomeAndVolumePageTests(WebFixture web)
{
    private static (string Title, string Dates, string Count)? Row(Fetched page, string volume)
    {
        var row = page.Html.GetElementById("volume-" + volume);
        if (row is null)
        {
            return null;
        }
        var cells = row.QuerySelectorAll("td");
        return (row.QuerySelector("td a")!.TextContent, cells[1].TextContent, cells[2].TextContent);
    }

    [Fact]
    public async Task Home_lists_the_corpus_volume_with_its_title_dates_and_all_412_documents()
    {
        using var client = web.Client();
        var page = await client.Get("/");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(("Foreign Relations of the United States, 1948, The Near East, South Asia, and Africa, Volume V, Part 1",
            "November 26, 1947 – December 31, 1948", "412"), Row(page, WebFixture.CorpusVolume));
    }

    [Fact]
    public async Task Home_counts_only_the_23_released_documents_of_the_sample_volume_for_the_public()
    {
        using var client = web.Client();
        var page = await client.Get("/");

        Assert.Equal("23", Row(page, "frus-sample-1945")?.Count);
        Assert.Equal("2 volumes, 435 documents.", page.Html.QuerySelector("p.summary")!.TextContent);
    }

    [Fact]
    public async Task Home_leaves_out_a_volume_whose_only_document_the_public_may_not_read()
    {
        using var client = web.Client();
        var page = await client.Get("/");

        Assert.Null(Row(page, WebFixture.SeedVolume));
    }

    [Fact]
    public async Task Home_lists_the_seed_volume_with_one_document_for_a_reader_cleared_for_the_seed()
    {
        using var client = web.Client(web.OfficerToken);
        var page = await client.Get("/");

        Assert.Equal("1", Row(page, WebFixture.SeedVolume)?.Count);
    }

    [Fact]
    public async Task Home_has_a_search_box_that_sends_q_to_the_search_page()
    {
        using var client = web.Client();
        var page = await client.Get("/");

        var form = page.Html.QuerySelector("form.home-search")!;
        Assert.Equal(("/search", "get", "q"), (form.GetAttribute("action"), form.GetAttribute("method"), form.QuerySelector("input[type=search]")!.GetAttribute("name")));
    }

    [Fact]
    public async Task Volume_page_lists_documents_with_number_title_and_date_under_their_chapter()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus-sample-1945");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var chapter = page.Html.GetElementById("ch1")!;
        Assert.StartsWith("toc-chapter", chapter.ClassName);
        var d4 = chapter.QuerySelector("a[href='/volumes/frus-sample-1945/d4']")!;
        Assert.Equal("4. The Ambassador in the Soviet Union (Crane) to the Secretary of State", TestHttp.Folded(d4.TextContent));
        Assert.Equal("July 5, 1945, 1:00 p.m.", d4.ParentElement!.QuerySelector(".toc-date")!.TextContent);
    }

    [Fact]
    public async Task Volume_page_does_not_list_a_document_withheld_from_the_public()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus-sample-1945");

        Assert.Null(page.Html.QuerySelector("a[href='/volumes/frus-sample-1945/d14']"));
        Assert.Equal(23, page.Html.QuerySelectorAll("nav.toc a").Length);
    }

    [Fact]
    public async Task Volume_page_shows_editors_and_the_document_count()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus1948v05p1");

        var meta = page.Html.QuerySelectorAll("dl.volume-meta dt").Select(dt => (dt.TextContent, dt.NextElementSibling!.TextContent)).ToList();
        Assert.Contains(("Editors", "Herbert A. Fine; David H. Stauffer"), meta);
        Assert.Contains(("Documents", "412"), meta);
    }

    [Fact]
    public async Task Persons_page_anchors_each_person_for_links_from_documents()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus-sample-1945/persons");

        var crane = page.Html.GetElementById("p_CHH1");
        Assert.Equal(("Crane, Hollister H.", "Ambassador in the Soviet Union"), (crane?.TextContent, crane?.NextElementSibling?.TextContent));
    }

    [Fact]
    public async Task Terms_page_anchors_each_term()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus1948v05p1/terms");

        var term = page.Html.GetElementById("t_Embtel1");
        Assert.Equal(("Embtel", "Embassy telegram"), (term?.TextContent, term?.NextElementSibling?.TextContent));
    }

    [Fact]
    public async Task A_missing_volume_answers_404_with_a_page()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus1900v99");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Volume not found", page.Html.QuerySelector("main h1")!.TextContent);
    }

    [Fact]
    public void The_officer_is_cleared_for_the_seed_and_the_secret_reader_is_not()
    {
        var seed = web.Archive.GetDocument(web.SeedId, ReaderIdentity.System, "test")!;

        Assert.Equal((true, false), (web.OfficerAccount.Identity.MayReadOriginal(seed.Marking),
            web.Archive.GetUser(WebFixture.SecretReader)!.Identity.MayReadOriginal(seed.Marking)));
    }
}
