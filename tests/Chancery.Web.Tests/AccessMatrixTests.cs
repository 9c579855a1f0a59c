using System.Net;
using System.Text.Json;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>
/// The access matrix over HTTP: the seed telegram (top secret, PERSONAL-FOR, withheld) reaches exactly the readers
/// cleared for it, on every route, whether they come by sign-in cookie or bearer token.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccessMatrixTests(WebFixture web)
{
    private const string SeedDocument = "frus1945Berlinv01#d578";

    public static TheoryData<Reader, bool> Readers => new()
    {
        { Reader.Public, false },
        { Reader.SecretReaderCookie, false },
        { Reader.SecretReaderBearer, false },
        { Reader.OfficerCookie, true },
        { Reader.OfficerBearer, true },
    };

    private async Task<Fetched> Get(Reader reader, string path)
    {
        using var client = await web.ClientAs(reader);
        return await client.Get(path);
    }

    private static JsonElement Json(Fetched f) => JsonDocument.Parse(f.Body).RootElement;

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_document_page(Reader reader, bool sees)
    {
        var page = await Get(reader, "/volumes/frus1945Berlinv01/d578");

        Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_text_download(Reader reader, bool sees)
    {
        var page = await Get(reader, "/volumes/frus1945Berlinv01/d578.txt");

        Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_document_in_the_API(Reader reader, bool sees)
    {
        var page = await Get(reader, "/api/v1/documents/frus1945Berlinv01/d578");

        Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Search_in_the_API(Reader reader, bool sees)
    {
        var page = await Get(reader, "/api/v1/search?q=Soong+Stalin+Dairen");

        Assert.Equal(sees ? [SeedDocument] : [], Json(page).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_search_page(Reader reader, bool sees)
    {
        var page = await Get(reader, "/search?q=Soong+Stalin+Dairen");

        Assert.Equal(sees ? ["/volumes/frus1945Berlinv01/d578"] : [], page.Html.QuerySelectorAll("ol.hits h3 a").Select(a => a.GetAttribute("href")));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_links_in_the_API(Reader reader, bool sees)
    {
        var page = await Get(reader, "/api/v1/documents/frus1945Berlinv01/d578/links");

        Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_thread_page(Reader reader, bool sees)
    {
        var page = await Get(reader, "/volumes/frus1945Berlinv01/d578/thread");

        Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_decimal_file_in_the_API(Reader reader, bool sees)
    {
        var page = await Get(reader, "/api/v1/files/761.93");

        Assert.Equal(sees ? ["frus-sample-1945#d11", SeedDocument] : ["frus-sample-1945#d11"],
            Json(page).GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task A_citation_of_the_seed_on_a_released_document(Reader reader, bool sees)
    {
        var page = await Get(reader, "/volumes/frus-sample-1945/d1");

        var hrefs = page.Html.QuerySelectorAll("ul.cites a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal((sees, !sees), (hrefs.Contains("/volumes/frus1945Berlinv01/d578"), page.Html.QuerySelector("ul.cites .withheld-link") is not null));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task The_volume_list_in_the_API(Reader reader, bool sees)
    {
        var page = await Get(reader, "/api/v1/volumes");

        Assert.Equal(sees, Json(page).GetProperty("volumes").EnumerateArray().Any(v => v.GetProperty("id").GetString() == "frus1945Berlinv01"));
    }
}
