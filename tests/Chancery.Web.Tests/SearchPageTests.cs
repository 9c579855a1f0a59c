using System.Net;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Web.Pages;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class SearchPageTests(WebFixture web)
{
    private async Task<Fetched> Page(string path, string? bearer = null)
    {
        using var client = web.Client(bearer);
        return await client.Get(path);
    }

    [Fact]
    public async Task Shows_the_total_the_archive_counts_for_the_public()
    {
        var expected = web.Archive.Search(new SearchRequest("Dhahran"), ReaderIdentity.Public, "test").Total;
        var page = await Page("/search?q=Dhahran");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"{expected} documents", page.Html.GetElementById("results-heading")!.TextContent);
    }

    [Fact]
    public async Task Finds_the_Saudi_Arabia_telegram_d202_for_a_phrase()
    {
        var page = await Page("/search?q=%22Saudi+Arabia%22");

        Assert.Contains("/volumes/frus1948v05p1/d202", page.Html.QuerySelectorAll("ol.hits h3 a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Snippets_mark_the_matches()
    {
        var page = await Page("/search?q=Dhahran");

        var marks = page.Html.QuerySelectorAll("ol.hits .snippet mark").Select(m => m.TextContent).Distinct().ToList();
        Assert.Equal(["Dhahran"], marks);
    }

    [Fact]
    public async Task Keeps_the_query_in_the_box()
    {
        var page = await Page("/search?q=Dhahran+date%3A1948");

        Assert.Equal("Dhahran date:1948", page.Html.GetElementById("q")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Facets_show_counts_over_the_whole_result_set()
    {
        var expected = web.Archive.Search(new SearchRequest("Dhahran", Facets: true), ReaderIdentity.Public, "test").Facets["year"];
        var page = await Page("/search?q=Dhahran");

        var shown = page.Html.QuerySelectorAll(".facet-year li")
            .Select(li => (li.QuerySelector("a")!.TextContent, li.QuerySelector(".count")!.TextContent)).ToList();
        Assert.Equal(expected.Select(f => (f.Value, f.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))), shown);
    }

    [Fact]
    public async Task A_facet_value_links_to_the_narrowed_query()
    {
        var page = await Page("/search?q=Dhahran");

        var link = page.Html.QuerySelector(".facet-volume a")!;
        Assert.Equal("Foreign Relations of the United States, 1948, The Near East, South Asia, and Africa, Volume V, Part 1", link.TextContent);
        Assert.Equal("/search?q=" + Uri.EscapeDataString("(Dhahran) volume:\"frus1948v05p1\""), link.GetAttribute("href"));
    }

    [Fact]
    public async Task The_decimal_file_facet_links_to_its_whole_subject()
    {
        var page = await Page("/search?q=Dhahran");

        var section = page.Html.QuerySelector(".facet-file")!;
        var link = section.QuerySelector("a")!;
        Assert.Equal(("Decimal file", "890F.7962", "14", "/search?q=" + Uri.EscapeDataString("(Dhahran) file:\"890F.7962\"")),
            (section.QuerySelector("h3")!.TextContent, link.TextContent, section.QuerySelector(".count")!.TextContent, link.GetAttribute("href")));
    }

    [Fact]
    public async Task A_narrowed_query_counts_what_its_facet_promised()
    {
        var first = await Page("/search?q=Dhahran");
        var facet = first.Html.QuerySelectorAll(".facet-type li").First();
        var narrowed = await Page(facet.QuerySelector("a")!.GetAttribute("href")!);

        Assert.Equal(facet.QuerySelector(".count")!.TextContent + " documents", narrowed.Html.GetElementById("results-heading")!.TextContent);
    }

    [Fact]
    public async Task Date_fields_become_a_date_range_in_the_query()
    {
        var page = await Page("/search?q=Dhahran&from=1948-12&to=1948-12-31&sort=date-desc");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/search?q=" + Uri.EscapeDataString("(Dhahran) date:1948-12..1948-12-31") + "&sort=date-desc", page.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public void Blank_date_fields_leave_the_query_alone()
    {
        Assert.Equal("Dhahran", SearchPage.WithDateRange(" Dhahran ", "", " "));
    }

    [Fact]
    public void One_date_field_gives_an_open_range()
    {
        Assert.Equal("(a OR b) date:..1945-08", SearchPage.WithDateRange("a OR b", "", "1945-08"));
    }

    [Fact]
    public async Task Sorting_by_date_puts_the_oldest_first()
    {
        var page = await Page("/search?q=Dhahran&sort=date-asc");

        var dates = page.Html.QuerySelectorAll("ol.hits li").Select(li => li.QuerySelector("h3 a")!.GetAttribute("href")!).ToList();
        var expected = web.Archive.Search(new SearchRequest("Dhahran", SearchSort.DateAscending), ReaderIdentity.Public, "test").Hits
            .Select(h => "/volumes/" + h.Id.Replace('#', '/')).ToList();
        Assert.Equal(expected, dates);
    }

    [Fact]
    public async Task Pages_link_to_each_other_in_the_address()
    {
        var page = await Page("/search?q=Dhahran&page=2");

        Assert.Equal("21", page.Html.QuerySelector("ol.hits")!.GetAttribute("start"));
        Assert.Equal("/search?q=Dhahran", page.Html.QuerySelector("nav.pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("2", page.Html.QuerySelector("nav.pager a[aria-current=page]")!.TextContent);
    }

    [Fact]
    public async Task Pages_keep_the_page_size_the_address_chose()
    {
        var page = await Page("/search?q=Dhahran&pageSize=10");

        Assert.Equal("/search?q=Dhahran&page=2&pageSize=10", page.Html.QuerySelector("nav.pager a[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Facets_keep_the_page_size_the_address_chose()
    {
        var page = await Page("/search?q=Dhahran&pageSize=10");

        Assert.Equal("/search?q=%28Dhahran%29%20type%3A%22Telegram%22&pageSize=10", page.Html.QuerySelector("a.facet-value[data-facet=type]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_page_past_the_last_links_to_the_last()
    {
        var page = await Page("/search?q=Dhahran&page=9");

        var past = page.Html.QuerySelector("p.past-last-page")!;
        Assert.Equal(("Page 9 is past the last page of these results. Go to page 2, the last.", "/search?q=Dhahran&page=2"),
            (past.TextContent, past.QuerySelector("a")!.GetAttribute("href")));
    }

    [Fact]
    public async Task A_bad_query_shows_its_problem_and_position_on_an_ordinary_page()
    {
        var page = await Page("/search?q=%22unbalanced");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var error = page.Html.QuerySelector(".query-error")!;
        Assert.Equal("Unbalanced quote: the phrase that starts at character 1 is never closed.", error.QuerySelector(".query-error-message")!.TextContent);
        Assert.Equal("\"", error.QuerySelector("mark.query-at")!.TextContent);
    }

    [Fact]
    public async Task A_bad_field_is_pointed_at_where_it_stands()
    {
        var query = "Dhahran date:someday";
        var expected = Assert.Throws<QueryException>(() => web.Archive.Search(new SearchRequest(query), ReaderIdentity.Public, "test"));
        var page = await Page("/search?q=" + Uri.EscapeDataString(query));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"At character {expected.Position + 1}: {query}", TestHttp.Folded(page.Html.QuerySelector(".query-error p:last-child")!.TextContent));
        Assert.Equal(query[expected.Position].ToString(), page.Html.QuerySelector("mark.query-at")!.TextContent);
    }

    [Fact]
    public async Task A_query_over_1000_characters_is_refused_with_a_message()
    {
        var page = await Page("/search?q=" + new string('a', 1001));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("The query is 1,001 characters long; the limit is 1,000.", page.Html.QuerySelector(".query-error p")!.TextContent);
    }

    [Fact]
    public async Task A_page_beyond_the_result_window_is_refused_with_a_message()
    {
        var page = await Page("/search?q=Dhahran&page=501");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
    }

    [Fact]
    public async Task An_empty_search_shows_the_form_and_the_query_help()
    {
        var page = await Page("/search");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Html.QuerySelector("details.query-help[open]"));
        Assert.Null(page.Html.GetElementById("results-heading"));
    }

    [Fact]
    public async Task The_public_does_not_find_the_withheld_seed()
    {
        var page = await Page("/search?q=Soong+Stalin+Dairen");

        Assert.Equal("0 documents", page.Html.GetElementById("results-heading")!.TextContent);
    }

    [Fact]
    public async Task A_cleared_reader_finds_the_seed()
    {
        var page = await Page("/search?q=Soong+Stalin+Dairen", web.OfficerToken);

        Assert.Equal(["/volumes/frus1945Berlinv01/d578"], page.Html.QuerySelectorAll("ol.hits h3 a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Snippet_markers_become_marks_and_text_stays_encoded()
    {
        var h = new Chancery.Web.Html.HtmlBuilder();
        SearchPage.Snippet(h, "a <b> «match» and «<i>»");

        Assert.Equal("a &lt;b&gt; <mark>match</mark> and <mark>&lt;i&gt;</mark>", h.ToString());
    }
}
