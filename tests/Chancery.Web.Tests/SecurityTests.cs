using System.Net;
using System.Reflection;
using System.Text;
using Chancery.Archive;
using Chancery.Core.Documents;
using Chancery.Web.Html;
using Chancery.Web.Pages;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class SecurityTests(WebFixture web)
{
    public static TheoryData<string> Addresses => new()
    {
        "/", "/volumes/frus1948v05p1", "/volumes/frus1948v05p1/d202", "/search?q=Dhahran", "/search?q=%22bad",
        "/signin", "/api/v1/volumes", "/api/v1/search?q=%22bad", "/oai?verb=Identify", "/no/such/page", "/assets/chancery.css",
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        Assert.Equal("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            page.Header("Content-Security-Policy"));
        Assert.Equal(("nosniff", "no-referrer", "DENY"), (page.Header("X-Content-Type-Options"), page.Header("Referrer-Policy"), page.Header("X-Frame-Options")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/volumes/frus-sample-1945/d3")]
    [InlineData("/search?q=Dhahran")]
    [InlineData("/signin")]
    public async Task Pages_have_no_inline_script_or_style(string path)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        Assert.Empty(page.Html.QuerySelectorAll("[style], style"));
        Assert.All(page.Html.QuerySelectorAll("script"), s => Assert.StartsWith("/assets/chancery.js?v=", s.GetAttribute("src")));
        Assert.DoesNotContain(" on", string.Concat(page.Html.All.SelectMany(e => e.Attributes).Select(a => " " + a.Name)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/volumes/frus-sample-1945/d3")]
    [InlineData("/search?q=Dhahran")]
    public async Task Pages_load_nothing_from_elsewhere(string path)
    {
        using var client = web.Client();
        var page = await client.Get(path);

        var sources = page.Html.QuerySelectorAll("link[href], script[src], img[src]").Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("/", s));
        Assert.Single(page.Html.QuerySelectorAll("link[rel=stylesheet]"));
    }

    [Fact]
    public async Task A_document_title_with_markup_is_shown_as_text()
    {
        var folder = Path.Combine(Path.GetTempPath(), "chancery-xss-" + Guid.NewGuid().ToString("N"));
        using var archive = Chancery.Archive.Sqlite.SqliteArchive.Open(folder);
        var volume = new Volume { Id = "xss-test", Title = "<b>Volume</b>", SourceKind = "telegram", SourceSha256 = new string('0', 64) };
        archive.UpsertDocuments(volume, [new Document
        {
            Id = "xss-test#d1", Volume = "xss-test", Number = "1", Type = "Telegram", Title = "<script>alert('x')</script> & \"friends\"",
            Body = [new Paragraph([new TextRun("<img src=x onerror=alert(1)>"), new ReferenceMark("bad link", "javascript:alert(1)")])],
            SourceSha256 = new string('0', 64),
        }]);
        var (app, address) = await WebFixture.StartHost(archive, []);
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            var page = await client.Get("/volumes/xss-test/d1");

            Assert.Equal("<script>alert('x')</script> & \"friends\"", page.Html.QuerySelector("article h1")!.TextContent);
            Assert.Equal("<img src=x onerror=alert(1)>bad link", page.Html.QuerySelector(".doc-body p")!.TextContent);
            Assert.Empty(page.Html.QuerySelectorAll(".doc-body img, .doc-body a"));
            Assert.Single(page.Html.QuerySelectorAll("script"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_builder_encodes_text_and_attribute_values()
    {
        var h = new HtmlBuilder().Open("a", ("href", "/x?a=1&b=\"2\""), ("title", "'<>'")).Text("<&>").Close("a");

        Assert.Equal("<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"&#39;&lt;&gt;&#39;\">&lt;&amp;&gt;</a>", h.ToString());
    }

    [Theory]
    [InlineData("#d577", "frus1945Berlinv01", "/volumes/frus1945Berlinv01/d577")]
    [InlineData("frus1948v04", "frus1948v05p1", "/volumes/frus1948v04")]
    [InlineData("frus1947v03#pg_179", "frus1948v05p1", "/volumes/frus1947v03#pg_179")]
    [InlineData("#d202fn1", "frus1948v05p1", "/volumes/frus1948v05p1/d202#fn1")]
    [InlineData("https://history.state.gov/", "v", "https://history.state.gov/")]
    [InlineData("javascript:alert(1)", "v", null)]
    [InlineData("data:text/html,x", "v", null)]
    public void Targets_resolve_to_addresses_on_this_site_or_http(string target, string volume, string? expected)
    {
        Assert.Equal(expected, DocumentRenderer.ResolveTarget(target, volume));
    }

    [Theory]
    [InlineData("/volumes/x", "/volumes/x")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("", "/")]
    public void Only_local_return_addresses_are_followed(string url, string expected)
    {
        Assert.Equal(expected, SignInPages.LocalUrl(url));
    }

    [Fact]
    public async Task A_request_body_over_64_KB_is_refused_with_413()
    {
        using var client = web.Client();
        using var content = new StringContent("verb=Identify&x=" + new string('a', 70 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded");
        var response = await client.PostAsync("/oai", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>An archive whose every call fails, to see what a user gets when the server breaks.</summary>
    public class BrokenArchive : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "Dispose" ? null : throw new InvalidOperationException("secret document text must never reach a user");
    }

    [Fact]
    public async Task A_failure_answers_a_plain_500_page_without_a_stack_trace()
    {
        var (app, address) = await WebFixture.StartHost(DispatchProxy.Create<IArchive, BrokenArchive>(), []);
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            var page = await client.Get("/");

            Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
            Assert.Equal("Something went wrong on the server", page.Html.QuerySelector("main h1")!.TextContent);
            Assert.DoesNotContain("secret document text", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("InvalidOperationException", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(" at Chancery", page.Body, StringComparison.Ordinal);
            Assert.Equal("nosniff", page.Header("X-Content-Type-Options"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_API_failure_answers_a_500_problem_without_a_stack_trace()
    {
        var (app, address) = await WebFixture.StartHost(DispatchProxy.Create<IArchive, BrokenArchive>(), []);
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            var page = await client.Get("/api/v1/volumes");

            Assert.Equal((HttpStatusCode.InternalServerError, "application/problem+json"), (page.Status, page.ContentType));
            Assert.DoesNotContain("secret document text", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", page.Body, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
