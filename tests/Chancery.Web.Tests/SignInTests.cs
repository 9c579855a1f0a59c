using System.Net;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Chancery.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class SignInTests(WebFixture web)
{
    private sealed class Browser : IDisposable
    {
        public Browser(Uri baseAddress)
        {
            Cookies = new CookieContainer();
            Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true }) { BaseAddress = baseAddress };
        }

        public CookieContainer Cookies { get; }

        public HttpClient Client { get; }

        public void Dispose() => Client.Dispose();
    }

    private static async Task<(string Token, Fetched Page)> Form(HttpClient client)
    {
        var page = await client.Get("/signin");
        var token = page.Html.QuerySelector("form.signin-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return (token, page);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await client.PostAsync(path, content);
    }

    private static async Task<HttpResponseMessage> SignIn(HttpClient client, string name, string password, string returnUrl = "/")
    {
        var (token, _) = await Form(client);
        return await Post(client, "/signin", ("__RequestVerificationToken", token), ("name", name), ("password", password), ("returnUrl", returnUrl));
    }

    [Fact]
    public async Task Signing_in_redirects_to_the_page_asked_for()
    {
        using var b = new Browser(web.BaseAddress);
        var response = await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword, "/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/volumes/frus1945Berlinv01/d578", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_signed_in_cleared_user_reads_the_withheld_seed()
    {
        using var b = new Browser(web.BaseAddress);
        await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword);
        var page = await b.Client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("761.93/7–1345: Telegram", page.Html.QuerySelector(".file-line")!.TextContent);
        Assert.Equal("top secret", page.Html.QuerySelector(".marking")!.TextContent);
    }

    [Fact]
    public async Task A_signed_in_user_sees_a_banner_with_name_clearance_and_controls()
    {
        using var b = new Browser(web.BaseAddress);
        await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword);
        var page = await b.Client.Get("/");

        var banner = page.Html.QuerySelector(".reader-banner p")!;
        Assert.Equal("Signed in as officer · cleared TOP SECRET · controls PERSONAL-FOR. Pages may show text withheld from the public; it is marked.",
            TestHttp.Folded(banner.TextContent));
        Assert.Equal((true, true), (page.Response.Headers.CacheControl!.Private, page.Response.Headers.CacheControl.NoStore));
    }

    [Fact]
    public async Task The_withheld_seed_tells_a_cleared_reader_that_it_is_withheld_from_the_public()
    {
        using var b = new Browser(web.BaseAddress);
        await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword);
        var page = await b.Client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal("Withheld from the public (TOP SECRET · PERSONAL-FOR). You see it because you are cleared for it.",
            page.Html.QuerySelector(".release-notice")!.TextContent);
    }

    [Fact]
    public async Task A_user_cleared_only_to_secret_does_not_read_the_seed()
    {
        using var b = new Browser(web.BaseAddress);
        await SignIn(b.Client, WebFixture.SecretReader, WebFixture.SecretReaderPassword);
        var page = await b.Client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_HttpOnly_and_SameSite()
    {
        using var b = new Browser(web.BaseAddress);
        var response = await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chancery.signin=", StringComparison.Ordinal));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_anti_forgery_cookie_is_HttpOnly_and_SameSite_strict()
    {
        using var client = web.Client();
        var page = await client.Get("/signin");

        var cookie = page.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chancery.antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_headers_sign_in_link_returns_to_the_page_being_read()
    {
        using var client = web.Client();
        var page = await client.Get("/search?q=Dhahran&page=2");

        var signIn = page.Html.QuerySelectorAll("nav.site-nav a").Single(a => a.TextContent == "Sign in");
        Assert.Equal("/signin?returnUrl=%2Fsearch%3Fq%3DDhahran%26page%3D2", signIn.GetAttribute("href"));
    }

    [Fact]
    public async Task The_sign_in_form_is_never_stored_by_a_cache()
    {
        using var client = web.Client();
        var page = await client.Get("/signin");

        Assert.True(page.Response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_one_message()
    {
        using var b = new Browser(web.BaseAddress);
        var response = await SignIn(b.Client, WebFixture.Officer, "wrong");
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The name or password is not right.", html.QuerySelector(".form-error")!.TextContent);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("chancery.signin=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_name_gets_the_same_message_as_a_wrong_password()
    {
        using var b = new Browser(web.BaseAddress);
        var response = await SignIn(b.Client, "nobody", "whatever");
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal("The name or password is not right.", html.QuerySelector(".form-error")!.TextContent);
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused()
    {
        using var b = new Browser(web.BaseAddress);
        await Form(b.Client);
        var response = await Post(b.Client, "/signin", ("name", WebFixture.Officer), ("password", WebFixture.OfficerPassword));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_return_address_on_another_site_is_not_followed()
    {
        using var b = new Browser(web.BaseAddress);
        var response = await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword, "//evil.example/");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var b = new Browser(web.BaseAddress);
        await SignIn(b.Client, WebFixture.Officer, WebFixture.OfficerPassword);
        var home = await b.Client.Get("/");
        var token = home.Html.QuerySelector("form.signout-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await Post(b.Client, "/signout", ("__RequestVerificationToken", token));
        var after = await b.Client.Get("/volumes/frus1945Berlinv01/d578");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.Status);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_are_answered_429()
    {
        var (app, address) = await WebFixture.StartHost(web.Archive, ["--Chancery:SignInPermitsPerMinute=2"]);
        try
        {
            using var b = new Browser(address);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                statuses.Add((await SignIn(b.Client, WebFixture.Officer, "wrong")).StatusCode);
            }
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
