using System.Net;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Web.Hosting;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Chancery.Web.Tests;

/// <summary>
/// The public's pages kept until the archive changes, on the shared host: kept and served again for the public,
/// never served to or kept from a named reader.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PageCacheTests(WebFixture web)
{
    private PageCache Cache => web.App.Services.GetRequiredService<PageCache>();

    [Fact]
    public async Task A_public_page_read_twice_is_answered_from_the_cache_the_second_time()
    {
        using var client = web.Client();
        // the first read of a document may build the link graph, a write that makes the page just kept stale
        await client.Get("/volumes/frus1948v05p1/d10");
        await client.Get("/volumes/frus1948v05p1/d10");
        var hits = Cache.Hits;

        await client.Get("/volumes/frus1948v05p1/d10");

        Assert.Equal(hits + 1, Cache.Hits);
    }

    [Fact]
    public async Task A_page_from_the_cache_is_the_page_as_rendered()
    {
        using var client = web.Client();
        await client.Get("/volumes/frus1948v05p1/d11");
        var first = await client.Get("/volumes/frus1948v05p1/d11");

        var second = await client.Get("/volumes/frus1948v05p1/d11");

        Assert.Equal((first.Status, first.Body, first.ContentType, first.Header("Cache-Control"), first.Header("Content-Security-Policy")),
            (second.Status, second.Body, second.ContentType, second.Header("Cache-Control"), second.Header("Content-Security-Policy")));
    }

    [Fact]
    public async Task A_head_request_is_answered_from_the_cache_without_a_body()
    {
        using var client = web.Client();
        await client.Get("/volumes/frus1948v05p1/d12");
        var page = await client.Get("/volumes/frus1948v05p1/d12");
        var hits = Cache.Hits;

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/volumes/frus1948v05p1/d12"));
        var body = await head.Content.ReadAsByteArrayAsync();

        Assert.Equal((HttpStatusCode.OK, System.Text.Encoding.UTF8.GetByteCount(page.Body), 0, hits + 1),
            (head.StatusCode, (int)head.Content.Headers.ContentLength!.Value, body.Length, Cache.Hits));
    }

    [Theory]
    [InlineData(Reader.OfficerBearer)]
    [InlineData(Reader.OfficerCookie)]
    public async Task A_cleared_reader_is_not_served_the_publics_kept_page(Reader reader)
    {
        using var anonymous = web.Client();
        var asPublic = await anonymous.Get("/volumes/frus1945Berlinv01/d578");
        await anonymous.Get("/volumes/frus1945Berlinv01/d578");
        using var cleared = await web.ClientAs(reader);

        var asCleared = await cleared.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (asPublic.Status, asCleared.Status));
    }

    [Theory]
    [InlineData(Reader.OfficerBearer)]
    [InlineData(Reader.OfficerCookie)]
    public async Task A_cleared_readers_page_is_not_kept_for_the_public(Reader reader)
    {
        using var cleared = await web.ClientAs(reader);
        var asCleared = await cleared.Get("/search?q=Soong&sort=date");
        using var anonymous = web.Client();

        var asPublic = await anonymous.Get("/search?q=Soong&sort=date");

        Assert.Equal((1, 0), (asCleared.Html.QuerySelectorAll("ol.hits > li").Length, asPublic.Html.QuerySelectorAll("ol.hits > li").Length));
    }

    [Fact]
    public async Task A_cleared_readers_read_of_a_withheld_document_is_audited_every_time()
    {
        using var cleared = web.Client(web.OfficerToken);
        await cleared.Get("/volumes/frus1945Berlinv01/d578");
        var before = web.Archive.ListAudit(WebFixture.Officer, "frus1945Berlinv01#d578", 10_000).Count;

        await cleared.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(before + 1, web.Archive.ListAudit(WebFixture.Officer, "frus1945Berlinv01#d578", 10_000).Count);
    }

    [Fact]
    public async Task The_sign_in_page_is_not_kept()
    {
        using var client = web.Client();
        await client.Get("/signin");
        var hits = Cache.Hits;

        await client.Get("/signin");

        Assert.Equal(hits, Cache.Hits);
    }
}

/// <summary>The page cache on hosts of their own: invalidation by the archive's change marker, the memory bound, off.</summary>
public sealed class PageCacheHostTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chancery-page-cache-" + Guid.NewGuid().ToString("N"));
    private SqliteArchive _archive = null!;
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync()
    {
        _archive = SqliteArchive.Open(_folder);
        WebFixture.IngestTei(_archive, TestPaths.SampleVolume);
        WebFixture.IngestSeed(_archive);
        _archive.AddUser(new UserAccount(WebFixture.Officer, ClassificationLevel.TopSecret, ["PERSONAL-FOR"], DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    private async Task<(HttpClient Client, PageCache Cache)> Host(params string[] args)
    {
        var (app, address) = await WebFixture.StartHost(_archive, args);
        _apps.Add(app);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        return (client, app.Services.GetRequiredService<PageCache>());
    }

    [Fact]
    public async Task A_release_shows_to_the_public_at_once()
    {
        var (client, _) = await Host();
        var before = await client.Get("/volumes/frus1945Berlinv01/d578");
        await client.Get("/volumes/frus1945Berlinv01/d578");

        _archive.Review(new ReviewDecision("frus1945Berlinv01#d578", ReviewAction.Release, [], "released"), _archive.GetUser(WebFixture.Officer)!);
        var after = await client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (before.Status, after.Status));
    }

    [Fact]
    public async Task A_change_made_through_another_opening_of_the_archive_empties_the_cache()
    {
        var (client, cache) = await Host();
        await client.Get("/volumes/frus-sample-1945/d1");
        var marker = _archive.ChangeMarker();

        // another process (an ingest, the CLI) writes through its own connections
        using (var other = SqliteArchive.Open(_folder))
        {
            other.AddUser(new UserAccount("another", ClassificationLevel.Secret, [], DateTimeOffset.UtcNow));
        }
        await client.Get("/search?q=Potsdam");

        Assert.Equal((true, 1), (_archive.ChangeMarker() != marker, cache.Count));
    }

    [Fact]
    public async Task Housekeeping_with_nothing_in_the_log_keeps_the_kept_pages()
    {
        var (client, cache) = await Host();
        // the first read may build the link graph; the housekeeping after it empties the log of those writes
        await client.Get("/volumes/frus-sample-1945/d1");
        _archive.Maintain();
        await client.Get("/volumes/frus-sample-1945/d1");
        var hits = cache.Hits;

        _archive.Maintain();
        await client.Get("/volumes/frus-sample-1945/d1");

        Assert.Equal(hits + 1, cache.Hits);
    }

    [Fact]
    public async Task The_kept_pages_stay_within_the_memory_given()
    {
        var (client, cache) = await Host("--Chancery:PageCacheMegabytes=1");

        // the address is the key: 200 addresses of one page of several kilobytes are more than a megabyte
        for (var copy = 1; copy <= 200; copy++)
        {
            await client.Get($"/volumes/frus-sample-1945/d2?copy={copy}");
        }

        Assert.Equal((200L, true, true), (cache.Stores, cache.Count < 200, cache.Bytes <= 1024 * 1024));
    }

    [Fact]
    public async Task A_cache_of_zero_megabytes_keeps_nothing()
    {
        var (client, cache) = await Host("--Chancery:PageCacheMegabytes=0");

        await client.Get("/volumes/frus-sample-1945/d1");
        await client.Get("/volumes/frus-sample-1945/d1");

        Assert.Equal((0L, 0L), (cache.Stores, cache.Hits));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _archive.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a reader still closing; the temp folder is left for the system to clear
        }
    }
}
