using System.Net;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>The small routes: redirects, the stylesheet and script, the favicon, sign-out for the public.</summary>
[Collection(WebCollection.Name)]
public sealed class RouteTests(WebFixture web)
{
    [Theory]
    [InlineData("/volumes", "/")]
    [InlineData("/api/v1", "/api/v1/openapi.json")]
    [InlineData("/signout", "/")]
    public async Task Redirects(string path, string location)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        Assert.Equal((HttpStatusCode.Redirect, location), (page.Status, page.Response.Headers.Location?.OriginalString));
    }

    [Theory]
    [InlineData("/assets/chancery.css", "text/css; charset=utf-8", ":root")]
    [InlineData("/assets/chancery.js", "text/javascript; charset=utf-8", "// Chancery reader")]
    public async Task The_stylesheet_and_the_script_come_from_this_server(string path, string contentType, string start)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        Assert.Equal((HttpStatusCode.OK, contentType), (page.Status, page.ContentType));
        Assert.Contains(start, page.Body, StringComparison.Ordinal);
        Assert.True(page.Response.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task The_stylesheet_answers_304_to_its_ETag()
    {
        using var client = web.Client();
        var first = await client.Get("/assets/chancery.css");
        var second = await client.Get("/assets/chancery.css", r => r.Headers.TryAddWithoutValidation("If-None-Match", first.Header("ETag")));

        Assert.Equal(HttpStatusCode.NotModified, second.Status);
    }

    [Fact]
    public async Task Pages_link_the_stylesheet_by_its_content_version()
    {
        using var client = web.Client();
        var page = await client.Get("/");
        var css = await client.Get("/assets/chancery.css");

        Assert.Equal("/assets/chancery.css?v=" + css.Header("ETag")!.Trim('"'), page.Html.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_favicon_is_empty()
    {
        using var client = web.Client();
        var page = await client.Get("/favicon.ico");

        Assert.Equal(HttpStatusCode.NoContent, page.Status);
    }

    [Fact]
    public async Task A_PUT_to_the_sign_in_form_is_not_allowed()
    {
        using var client = web.Client();
        var response = await client.PutAsync("/signin", new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
