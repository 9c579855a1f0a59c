using System.Net;
using System.Text.Json;
using Chancery.Core.Access;
using Chancery.Core.Export;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ApiTests(WebFixture web)
{
    private async Task<Fetched> Get(string path, string? bearer = null, string? ifNoneMatch = null)
    {
        using var client = web.Client(bearer);
        return await client.Get(path, r =>
        {
            if (ifNoneMatch is not null)
            {
                r.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            }
        });
    }

    private static JsonElement Json(Fetched f) => JsonDocument.Parse(f.Body).RootElement;

    [Fact]
    public async Task Volumes_lists_ids_titles_counts_and_dates()
    {
        var page = await Get("/api/v1/volumes");

        Assert.Equal("application/json; charset=utf-8", page.ContentType);
        var v = Json(page).GetProperty("volumes").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "frus1948v05p1");
        Assert.Equal((412, "1947-11-26", "1948-12-31"), (v.GetProperty("documentCount").GetInt32(), v.GetProperty("dateFrom").GetString(), v.GetProperty("dateTo").GetString()));
    }

    [Fact]
    public async Task A_volume_gives_its_contents_for_the_reader()
    {
        var page = await Get("/api/v1/volumes/frus-sample-1945");

        var ids = Json(page).GetProperty("contents").EnumerateArray()
            .Select(e => e.GetProperty("documentId")).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).ToList();
        Assert.Equal(23, ids.Count);
        Assert.DoesNotContain("frus-sample-1945#d14", ids);
    }

    [Fact]
    public async Task A_missing_volume_is_a_404_problem()
    {
        var page = await Get("/api/v1/volumes/nothing");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (page.Status, page.ContentType));
        Assert.Equal(("/api/v1/problems/not-found", "Not found", 404), (Json(page).GetProperty("type").GetString(), Json(page).GetProperty("title").GetString(), Json(page).GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task The_document_JSON_is_the_export_of_the_public_view()
    {
        var expected = DocumentJson.Serialize(web.Archive.GetDocument("frus1948v05p1#d202", ReaderIdentity.Public, "test")!.Document);
        var page = await Get("/api/v1/documents/frus1948v05p1/d202");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(expected, page.Body);
    }

    [Fact]
    public async Task The_document_carries_the_file_number()
    {
        var page = await Get("/api/v1/documents/frus1948v05p1/d202");

        Assert.Equal("890F.7962/12–1848", Json(page).GetProperty("fileNumbers")[0].GetString());
    }

    [Fact]
    public async Task The_public_does_not_get_the_withheld_seed()
    {
        var page = await Get("/api/v1/documents/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Fact]
    public async Task A_bearer_token_of_a_cleared_user_reads_the_withheld_seed()
    {
        var expected = DocumentJson.Serialize(web.Archive.GetDocument(web.SeedId, web.OfficerAccount.Identity, "test")!.Document);
        var page = await Get("/api/v1/documents/frus1945Berlinv01/d578", web.OfficerToken);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(expected, page.Body);
        Assert.Equal("761.93/7–1345", Json(page).GetProperty("fileNumbers")[0].GetString());
    }

    [Fact]
    public async Task A_bearer_token_of_a_user_cleared_only_to_secret_does_not_read_the_seed()
    {
        var page = await Get("/api/v1/documents/frus1945Berlinv01/d578", web.SecretToken);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Fact]
    public async Task A_named_reader_gets_private_caching()
    {
        var page = await Get("/api/v1/documents/frus1945Berlinv01/d578", web.OfficerToken);

        var cc = page.Response.Headers.CacheControl!;
        Assert.Equal((true, true, false), (cc.Private, cc.NoCache, cc.Public));
    }

    [Fact]
    public async Task The_public_view_may_be_cached_by_anyone_and_revalidated()
    {
        var page = await Get("/api/v1/documents/frus1948v05p1/d202");

        var cc = page.Response.Headers.CacheControl!;
        Assert.Equal((false, true, true), (cc.Private, cc.NoCache, cc.Public));
    }

    [Fact]
    public async Task An_unknown_token_is_refused_with_401_not_served_as_the_public()
    {
        var page = await Get("/api/v1/documents/frus1948v05p1/d202", "not-a-token");

        Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), (page.Status, page.ContentType));
        Assert.Equal("Bearer error=\"invalid_token\"", page.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task A_document_answers_304_to_its_own_ETag()
    {
        var first = await Get("/api/v1/documents/frus1948v05p1/d202");
        var etag = first.Header("ETag")!;
        var second = await Get("/api/v1/documents/frus1948v05p1/d202", ifNoneMatch: etag);

        Assert.Equal((HttpStatusCode.NotModified, ""), (second.Status, second.Body));
        Assert.Equal(etag, second.Header("ETag"));
    }

    [Fact]
    public async Task A_stale_ETag_gets_the_document()
    {
        var page = await Get("/api/v1/documents/frus1948v05p1/d202", ifNoneMatch: "\"p-0000\"");

        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task A_cleared_reader_and_the_public_never_share_an_ETag()
    {
        var pub = await Get("/api/v1/documents/frus1948v05p1/d202");
        var cleared = await Get("/api/v1/documents/frus1948v05p1/d202", web.OfficerToken);
        var crossed = await Get("/api/v1/documents/frus1948v05p1/d202", web.OfficerToken, pub.Header("ETag"));

        Assert.NotEqual(pub.Header("ETag"), cleared.Header("ETag"));
        Assert.Equal(HttpStatusCode.OK, crossed.Status);
    }

    [Fact]
    public async Task Search_returns_total_hits_and_paging()
    {
        var page = await Get("/api/v1/search?q=Dhahran&pageSize=5&page=2");

        var root = Json(page);
        Assert.Equal((32, 2, 5, 5), (root.GetProperty("total").GetInt32(), root.GetProperty("page").GetInt32(), root.GetProperty("pageSize").GetInt32(), root.GetProperty("hits").GetArrayLength()));
        Assert.Equal("/api/v1/search?q=Dhahran&page=3&pageSize=5", root.GetProperty("paging").GetProperty("next").GetString());
        Assert.Equal(7, root.GetProperty("paging").GetProperty("pages").GetInt32());
    }

    [Fact]
    public async Task Search_counts_facets_when_asked()
    {
        var page = await Get("/api/v1/search?q=Dhahran&facets=true");

        var volume = Json(page).GetProperty("facets").GetProperty("volume")[0];
        Assert.Equal(("frus1948v05p1", 32, "(Dhahran) volume:\"frus1948v05p1\""),
            (volume.GetProperty("value").GetString(), volume.GetProperty("count").GetInt32(), volume.GetProperty("query").GetString()));
    }

    [Fact]
    public async Task A_bad_query_is_a_400_problem_with_its_position()
    {
        var expected = Assert.Throws<Chancery.Archive.QueryException>(() => web.Archive.Search(new Chancery.Archive.SearchRequest("Dhahran (Soviet"), ReaderIdentity.Public, "test"));
        var page = await Get("/api/v1/search?q=" + Uri.EscapeDataString("Dhahran (Soviet"));

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (page.Status, page.ContentType));
        var p = Json(page);
        Assert.Equal(("/api/v1/problems/bad-query", "The query cannot be read", 400), (p.GetProperty("type").GetString(), p.GetProperty("title").GetString(), p.GetProperty("status").GetInt32()));
        Assert.Equal((expected.Position, expected.Message), (p.GetProperty("position").GetInt32(), p.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_query_over_1000_characters_is_a_400_problem()
    {
        var page = await Get("/api/v1/search?q=" + new string('a', 1001));

        var p = Json(page);
        Assert.Equal((HttpStatusCode.BadRequest, "/api/v1/problems/query-too-long", "The query is 1,001 characters long; the limit is 1,000."),
            (page.Status, p.GetProperty("type").GetString(), p.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_page_size_over_100_is_a_400_problem_naming_the_parameter()
    {
        var page = await Get("/api/v1/search?q=Dhahran&pageSize=101");

        var p = Json(page);
        Assert.Equal((HttpStatusCode.BadRequest, "/api/v1/problems/bad-parameter", "pageSize"), (page.Status, p.GetProperty("type").GetString(), p.GetProperty("parameter").GetString()));
    }

    [Fact]
    public async Task A_page_past_the_10000_result_window_is_a_400_problem()
    {
        var page = await Get("/api/v1/search?q=Dhahran&pageSize=100&page=101");

        Assert.Equal((HttpStatusCode.BadRequest, "/api/v1/problems/result-window"), (page.Status, Json(page).GetProperty("type").GetString()));
    }

    [Fact]
    public async Task The_last_page_inside_the_result_window_is_allowed()
    {
        var page = await Get("/api/v1/search?q=Dhahran&pageSize=100&page=100");

        Assert.Equal((HttpStatusCode.OK, 0), (page.Status, Json(page).GetProperty("hits").GetArrayLength()));
    }

    [Fact]
    public async Task A_missing_query_is_a_400_problem()
    {
        var page = await Get("/api/v1/search");

        Assert.Equal((HttpStatusCode.BadRequest, "q"), (page.Status, Json(page).GetProperty("parameter").GetString()));
    }

    [Fact]
    public async Task An_unknown_sort_is_a_400_problem()
    {
        var page = await Get("/api/v1/search?q=Dhahran&sort=sideways");

        Assert.Equal((HttpStatusCode.BadRequest, "sort"), (page.Status, Json(page).GetProperty("parameter").GetString()));
    }

    [Fact]
    public async Task Problem_types_explain_themselves()
    {
        var page = await Get("/api/v1/problems/bad-query");

        Assert.Equal("The query cannot be read", Json(page).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_route()
    {
        var page = await Get("/api/v1/openapi.json");

        // every JSON route the host maps, apart from the redirect to this document and the problem explanations
        var mapped = web.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/').Replace("{**", "{", StringComparison.Ordinal))
            .Where(r => r.StartsWith("/api/v1/", StringComparison.Ordinal) && !r.StartsWith("/api/v1/problems/", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();   // one path may have GET and POST endpoints
        var root = Json(page);
        Assert.Equal("3.0.3", root.GetProperty("openapi").GetString());
        Assert.Equal(mapped, root.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_OpenAPI_reference_resolves()
    {
        var page = await Get("/api/v1/openapi.json");

        var root = Json(page);
        var schemas = root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(p => "#/components/schemas/" + p.Name).ToHashSet();
        var refs = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "$ref")
                    {
                        refs.Add(p.Value.GetString()!);
                    }
                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var x in e.EnumerateArray())
                {
                    Walk(x);
                }
            }
        }
        Walk(root);
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.Contains(r, schemas));
    }

    [Fact]
    public async Task The_API_searches_as_the_bearer_reader()
    {
        var pub = await Get("/api/v1/search?q=Soong+Stalin+Dairen");
        var cleared = await Get("/api/v1/search?q=Soong+Stalin+Dairen", web.OfficerToken);

        Assert.Equal((0, 1), (Json(pub).GetProperty("total").GetInt32(), Json(cleared).GetProperty("total").GetInt32()));
    }
}
