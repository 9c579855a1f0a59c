using System.Net;
using System.Text.Json;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Chancery.Web.Tests;

/// <summary>
/// Every route the host maps answers a good request, and every API route answers bad input with problem details.
/// The table is checked against the host's own endpoints, so a new route without a row here fails the build's tests.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RouteCoverageTests(WebFixture web)
{
    /// <summary>Route pattern → a request to it as the public reader, and the answer's status and media type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Path, HttpStatusCode Status, string? MediaType)> GetRoutes =
        new Dictionary<string, (string, HttpStatusCode, string?)>
        {
            ["/"] = ("/", HttpStatusCode.OK, "text/html"),
            ["/volumes"] = ("/volumes", HttpStatusCode.Redirect, null),
            ["/volumes/{volume}"] = ("/volumes/frus-sample-1945", HttpStatusCode.OK, "text/html"),
            ["/volumes/{volume}/persons"] = ("/volumes/frus-sample-1945/persons", HttpStatusCode.OK, "text/html"),
            ["/volumes/{volume}/terms"] = ("/volumes/frus1948v05p1/terms", HttpStatusCode.OK, "text/html"),
            ["/volumes/{volume}/{doc}"] = ("/volumes/frus-sample-1945/d3", HttpStatusCode.OK, "text/html"),
            ["/volumes/{volume}/{doc}/thread"] = ("/volumes/frus-sample-1945/d4/thread", HttpStatusCode.OK, "text/html"),
            ["/persons/{id}"] = ("/persons/frus-sample-1945%23p_ODV1", HttpStatusCode.OK, "text/html"),
            ["/files/{**number}"] = ("/files/761.93", HttpStatusCode.OK, "text/html"),
            ["/search"] = ("/search?q=Dhahran", HttpStatusCode.OK, "text/html"),
            ["/signin"] = ("/signin", HttpStatusCode.OK, "text/html"),
            ["/signout"] = ("/signout", HttpStatusCode.Redirect, null),
            ["/assets/chancery.css"] = ("/assets/chancery.css", HttpStatusCode.OK, "text/css"),
            ["/assets/chancery.js"] = ("/assets/chancery.js", HttpStatusCode.OK, "text/javascript"),
            ["/favicon.ico"] = ("/favicon.ico", HttpStatusCode.NoContent, null),
            ["/oai"] = ("/oai?verb=Identify", HttpStatusCode.OK, "text/xml"),
            ["/api/v1/"] = ("/api/v1/", HttpStatusCode.Redirect, null),
            ["/api/v1/volumes"] = ("/api/v1/volumes", HttpStatusCode.OK, "application/json"),
            ["/api/v1/volumes/{volume}"] = ("/api/v1/volumes/frus-sample-1945", HttpStatusCode.OK, "application/json"),
            ["/api/v1/documents/{volume}/{doc}"] = ("/api/v1/documents/frus-sample-1945/d3", HttpStatusCode.OK, "application/json"),
            ["/api/v1/documents/{volume}/{doc}/links"] = ("/api/v1/documents/frus-sample-1945/d3/links", HttpStatusCode.OK, "application/json"),
            ["/api/v1/documents/{volume}/{doc}/thread"] = ("/api/v1/documents/frus-sample-1945/d3/thread", HttpStatusCode.OK, "application/json"),
            ["/api/v1/persons/{id}"] = ("/api/v1/persons/orlanov-dmitri-v", HttpStatusCode.OK, "application/json"),
            ["/api/v1/files/{**number}"] = ("/api/v1/files/890F.7962", HttpStatusCode.OK, "application/json"),
            ["/api/v1/search"] = ("/api/v1/search?q=Dhahran", HttpStatusCode.OK, "application/json"),
            ["/api/v1/openapi.json"] = ("/api/v1/openapi.json", HttpStatusCode.OK, "application/json"),
            ["/api/v1/problems/{type}"] = ("/api/v1/problems/not-found", HttpStatusCode.OK, "application/json"),
        };

    /// <summary>Routes answering POST only besides GET: tested with their forms in SignInTests and OaiPmhTests.</summary>
    private static readonly string[] PostRoutes = ["POST /oai", "POST /signin", "POST /signout"];

    public static TheoryData<string> GetRouteNames => new(GetRoutes.Keys);

    [Fact]
    public void Every_mapped_route_has_a_row_in_the_table()
    {
        var mapped = web.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.Contains("{*path", StringComparison.Ordinal))
            // the telegram office's routes have their own tests (CableWebTests)
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/cables", StringComparison.Ordinal) && !e.RoutePattern.RawText.StartsWith("/api/v1/cables", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            // GET and HEAD share a row; POST routes are named with their method
            .Select(r => r.Method == HttpMethods.Post ? "POST " + r.Pattern : r.Pattern)
            .ToHashSet();

        Assert.Equal(GetRoutes.Keys.Concat(PostRoutes).Order(StringComparer.Ordinal), mapped.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GetRouteNames))]
    public async Task Every_route_answers_a_good_request(string route)
    {
        var (path, status, mediaType) = GetRoutes[route];
        using var client = web.Client();
        var page = await client.Get(path);

        Assert.Equal((status, mediaType), (page.Status, page.Response.Content.Headers.ContentType?.MediaType));
    }

    [Theory]
    [InlineData("/api/v1/volumes/nosuchvolume", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/documents/frus-sample-1945/d999", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/documents/frus-sample-1945/d999/links", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/documents/frus-sample-1945/d999/thread", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/persons/Nobody%20At%20All", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/files/", HttpStatusCode.BadRequest, "bad-parameter")]
    [InlineData("/api/v1/search", HttpStatusCode.BadRequest, "bad-parameter")]
    [InlineData("/api/v1/search?q=%22unclosed", HttpStatusCode.BadRequest, "bad-query")]
    [InlineData("/api/v1/search?q=x&page=0", HttpStatusCode.BadRequest, "bad-parameter")]
    [InlineData("/api/v1/search?q=x&facets=maybe", HttpStatusCode.BadRequest, "bad-parameter")]
    [InlineData("/api/v1/problems/no-such-problem", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/v1/nothing/here", HttpStatusCode.NotFound, "not-found")]
    public async Task Bad_input_to_the_API_answers_problem_details(string path, HttpStatusCode status, string type)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        var problem = JsonDocument.Parse(page.Body).RootElement;
        Assert.Equal((status, "application/problem+json", "/api/v1/problems/" + type, (int)status),
            (page.Status, page.Response.Content.Headers.ContentType?.MediaType, problem.GetProperty("type").GetString(), problem.GetProperty("status").GetInt32()));
    }
}
