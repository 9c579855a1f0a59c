using System.Net;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>A missing document and one the reader may not see are answered alike: nothing tells them apart.</summary>
[Collection(WebCollection.Name)]
public sealed class NotFoundTests(WebFixture web)
{
    [Fact]
    public async Task The_withheld_seed_answers_404_to_the_public()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Document not found", page.Html.QuerySelector("main h1")!.TextContent);
    }

    [Fact]
    public async Task The_page_offers_the_public_to_sign_in_and_come_back_to_the_document()
    {
        using var client = web.Client();
        var page = await client.Get("/volumes/frus1945Berlinv01/d578");

        var signIn = page.Html.QuerySelectorAll("main a").Single(a => a.TextContent == "Sign in");
        Assert.Equal("/signin?returnUrl=%2Fvolumes%2Ffrus1945Berlinv01%2Fd578", signIn.GetAttribute("href"));
    }

    [Fact]
    public async Task A_withheld_document_and_a_missing_one_get_the_same_page_apart_from_the_id()
    {
        using var client = web.Client();
        var withheld = await client.Get("/volumes/frus1945Berlinv01/d578");
        var missing = await client.Get("/volumes/frus1945Berlinv01/d579");

        Assert.Equal(withheld.Status, missing.Status);
        Assert.Equal(withheld.Body.Replace("d578", "ID", StringComparison.Ordinal), missing.Body.Replace("d579", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_document_pending_clearance_and_a_missing_one_get_the_same_page_apart_from_the_id()
    {
        using var client = web.Client();
        var pending = await client.Get("/volumes/frus-sample-1945/d14");
        var missing = await client.Get("/volumes/frus-sample-1945/d99");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (pending.Status, missing.Status));
        Assert.Equal(pending.Body.Replace("d14", "ID", StringComparison.Ordinal), missing.Body.Replace("d99", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_holds_for_the_API()
    {
        using var client = web.Client();
        var withheld = await client.Get("/api/v1/documents/frus1945Berlinv01/d578");
        var missing = await client.Get("/api/v1/documents/frus1945Berlinv01/d579");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (withheld.Status, withheld.ContentType));
        Assert.Equal(withheld.Body.Replace("d578", "ID", StringComparison.Ordinal), missing.Body.Replace("d579", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_holds_for_downloads()
    {
        using var client = web.Client();
        var withheld = await client.Get("/volumes/frus1945Berlinv01/d578.json");
        var missing = await client.Get("/volumes/frus1945Berlinv01/d579.json");

        Assert.Equal(HttpStatusCode.NotFound, withheld.Status);
        Assert.Equal(withheld.Body.Replace("d578", "ID", StringComparison.Ordinal), missing.Body.Replace("d579", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reader_cleared_below_the_seed_gets_the_same_404()
    {
        using var client = web.Client(web.SecretToken);
        var page = await client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Fact]
    public async Task An_unknown_address_answers_a_404_page()
    {
        using var client = web.Client();
        var page = await client.Get("/no/such/page");

        Assert.Equal((HttpStatusCode.NotFound, "Not found"), (page.Status, page.Html.QuerySelector("main h1")!.TextContent));
    }

    [Fact]
    public async Task An_unknown_API_address_answers_a_404_problem()
    {
        using var client = web.Client();
        var page = await client.Get("/api/v1/nothing");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (page.Status, page.ContentType));
    }
}
