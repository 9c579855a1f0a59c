using System.Net;
using System.Text.Json;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Chancery.Web.Tests;

/// <summary>On an archive that keeps no links, link pages and routes answer 404 and say why; documents still read.</summary>
[Collection(WebCollection.Name)]
public sealed class NoLinksTests(WebFixture web) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        (_app, var address) = await WebFixture.StartHost(ArchiveWithoutLinks.Over(web.Archive), []);
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/persons/frus-sample-1945%23p_ODV1")]
    [InlineData("/files/761.93")]
    [InlineData("/volumes/frus-sample-1945/d4/thread")]
    public async Task Link_pages_answer_404_saying_links_are_not_available(string path)
    {
        var page = await _client.Get(path);

        Assert.Equal((HttpStatusCode.NotFound, "Links are not available"), (page.Status, page.Html.QuerySelector("main h1")!.TextContent));
    }

    [Theory]
    [InlineData("/api/v1/persons/frus-sample-1945%23p_ODV1")]
    [InlineData("/api/v1/files/761.93")]
    [InlineData("/api/v1/documents/frus-sample-1945/d4/thread")]
    [InlineData("/api/v1/documents/frus-sample-1945/d4/links")]
    public async Task Link_routes_of_the_API_answer_a_links_unavailable_problem(string path)
    {
        var page = await _client.Get(path);

        Assert.Equal((HttpStatusCode.NotFound, "/api/v1/problems/links-unavailable"),
            (page.Status, JsonDocument.Parse(page.Body).RootElement.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_document_page_still_reads_without_a_links_section()
    {
        var page = await _client.Get("/volumes/frus-sample-1945/d4");

        Assert.Equal((HttpStatusCode.OK, 0), (page.Status, page.Html.QuerySelectorAll("section.links").Length));
    }

    [Fact]
    public async Task Persons_then_link_to_the_volumes_list()
    {
        var page = await _client.Get("/volumes/frus-sample-1945/d3");

        var person = page.Html.QuerySelectorAll("ul.persons a.person").First(a => a.TextContent == "Orlanov, Dmitri V.");
        Assert.Equal("/volumes/frus-sample-1945/persons#p_ODV1", person.GetAttribute("href"));
    }
}
