using System.Text.Json;
using System.Text.RegularExpressions;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chancery.Web.Tests.Browser;

/// <summary>The reader as a person uses it, in headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReaderBrowserTests(BrowserFixture fixture)
{
    private static async Task<string> Text(IPage page, string selector) => TestHttp.Folded(await page.Locator(selector).First.TextContentAsync());

    private static async Task SignIn(IPage page, string name, string password, string returnUrl)
    {
        await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form.signin-form button[type=submit]");
        await page.WaitForURLAsync(new Regex(Regex.Escape(returnUrl) + "$"));
    }

    [Fact]
    public async Task Search_for_a_word_then_narrow_by_a_facet()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/");
        await page.FillAsync("#home-q", "Dhahran");
        await page.PressAsync("#home-q", "Enter");
        await page.WaitForURLAsync("**/search?q=Dhahran");
        Assert.Equal("32 documents", await Text(page, "#results-heading"));

        var facet = page.Locator(".facet-type li").First;
        var value = await facet.Locator("a").TextContentAsync();
        var count = await facet.Locator(".count").TextContentAsync();
        await facet.Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("type%3A"));

        Assert.Equal(count + " documents", await Text(page, "#results-heading"));
        Assert.Equal($"(Dhahran) type:\"{value}\"", await page.InputValueAsync("#q"));
    }

    [Fact]
    public async Task Open_a_hit_and_read_its_footnote_in_place()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/search?q=" + Uri.EscapeDataString("\"Legtel 666\""));
        await page.ClickAsync("ol.hits h3 a");
        await page.WaitForURLAsync("**/volumes/frus1948v05p1/d202");

        await page.ClickAsync(".doc-body a.fn-link");
        var note = page.Locator("aside.fn-inline");
        await note.WaitForAsync();

        Assert.Equal("1 Not printed. Close note", TestHttp.Folded(await note.TextContentAsync()));
        Assert.Equal("true", await page.GetAttributeAsync(".doc-body a.fn-link", "aria-expanded"));
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal(0, await page.Locator("aside.fn-inline").CountAsync());
    }

    [Fact]
    public async Task Without_JavaScript_a_footnote_mark_jumps_to_the_note_and_back()
    {
        var page = await fixture.NewPage(javaScript: false);
        await page.GotoAsync("/volumes/frus1948v05p1/d202");
        await page.ClickAsync(".doc-body a.fn-link");
        await page.WaitForURLAsync("**#fn1");

        Assert.Equal("Not printed.", TestHttp.Folded((await page.Locator("li.footnote:target .fn-body").TextContentAsync())!.Replace("↩", "")));
        await page.ClickAsync("#fn1 a.fn-back");
        await page.WaitForURLAsync("**#fnref1");
    }

    [Fact]
    public async Task Follow_a_cross_reference_then_go_to_the_next_document()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus-sample-1945/d1");
        await page.ClickAsync(".doc-body a.ref:text-is('document 3')");
        await page.WaitForURLAsync("**/volumes/frus-sample-1945/d3");
        Assert.Equal("3.", await Text(page, ".doc-number"));

        await page.ClickAsync(".prev-next a[rel=next]");
        await page.WaitForURLAsync("**/volumes/frus-sample-1945/d4");
        Assert.Equal("4.", await Text(page, ".doc-number"));
    }

    [Fact]
    public async Task Follow_a_telegram_to_its_thread()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus-sample-1945/d4");
        await page.ClickAsync(".thread-link a");
        await page.WaitForURLAsync("**/volumes/frus-sample-1945/d4/thread");

        Assert.Equal("Telegram thread", await Text(page, "main h1"));
        Assert.Equal(6, await page.Locator("ol.thread > li").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, "thread.png"), FullPage = true });
    }

    [Fact]
    public async Task Follow_a_person_to_their_page_across_volumes()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus-sample-1945/d3");
        await page.ClickAsync("ul.persons a.person:text-is('Orlanov, Dmitri V.')");
        await page.WaitForURLAsync("**/persons/frus-sample-1945%23p_ODV1");

        Assert.Equal("Orlanov, Dmitri V.", await Text(page, "main h1"));
        Assert.Equal(4, await page.Locator("ol.mentioned > li").CountAsync());
    }

    [Fact]
    public async Task The_public_sees_the_excised_paragraph_as_a_marker()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus1945Berlinv01/d578");

        Assert.Matches(@"^\[1 paragraph \(\d+ lines\) not declassified\]$", await Text(page, ".doc-body .excision-block"));
        Assert.DoesNotContain(BrowserFixture.ExcisedParagraphStart, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_cleared_user_sees_the_withheld_paragraph_marked()
    {
        var page = await fixture.NewPage();
        await SignIn(page, WebFixture.Officer, WebFixture.OfficerPassword, "/volumes/frus1945Berlinv01/d578");

        Assert.Equal("Withheld from the public release", await Text(page, ".withheld-block .withheld-label"));
        Assert.StartsWith(BrowserFixture.ExcisedParagraphStart, await Text(page, ".withheld-block p:not(.withheld-label)"));
        Assert.StartsWith("Signed in as officer · cleared TOP SECRET · controls PERSONAL-FOR.", await Text(page, ".reader-banner p"));
        Assert.Equal(0, await page.Locator(".doc-body .excision-block").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, "document-cleared.png"), FullPage = true });
    }

    [Fact]
    public async Task Screenshots_of_the_document_and_search_pages()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus-sample-1945/d3");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, "document.png"), FullPage = true });
        await page.GotoAsync("/search?q=Dhahran");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, "search.png"), FullPage = true });
        var phone = await fixture.NewPage(width: 390, height: 844);
        await phone.GotoAsync("/volumes/frus-sample-1945/d3");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, "document-phone.png"), FullPage = true });

        Assert.All(new[] { "document.png", "search.png", "document-phone.png" }, f => Assert.True(new FileInfo(Path.Combine(TestPaths.Screenshots, f)).Length > 10_000));
    }

    [Theory]
    [InlineData("/volumes/frus-sample-1945/d3", 390)]
    [InlineData("/search?q=Dhahran", 390)]
    [InlineData("/", 390)]
    [InlineData("/volumes/frus1945Berlinv01/d578", 390)]
    [InlineData("/volumes/frus1945Berlinv01/d578", 1280)]
    [InlineData("/search?q=Dhahran", 1280)]
    public async Task Nothing_scrolls_sideways_on_a_phone_or_a_desktop(string path, int width)
    {
        var page = await fixture.NewPage(width: width, height: 844);
        await page.GotoAsync(path);

        var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
        Assert.True(scroll <= client, $"page is {scroll}px wide in a {client}px viewport");
    }

    [Fact]
    public async Task The_skip_link_is_the_first_stop_and_moves_to_the_main_content()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/volumes/frus-sample-1945/d3");
        await page.Keyboard.PressAsync("Tab");

        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    [Fact]
    public async Task The_pages_use_their_stylesheet_and_script_under_the_content_security_policy()
    {
        var page = await fixture.NewPage();
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                violations.Add(m.Text);
            }
        };
        await page.GotoAsync("/volumes/frus-sample-1945/d3");

        // the brand colour comes from the stylesheet; aria-expanded is set by the script
        Assert.Equal("rgb(122, 31, 31)", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.brand')).color"));
        Assert.Equal("false", await page.GetAttributeAsync("article a.fn-link", "aria-expanded"));
        Assert.Empty(violations);
    }

    public static TheoryData<string> AuditedPages => new()
    {
        "/", "/volumes/frus-sample-1945/d3", "/search?q=Dhahran", "/volumes/frus1948v05p1", "/signin",
        "/persons/frus-sample-1945%23p_ODV1", "/files/761.93", "/volumes/frus-sample-1945/d4/thread",
    };

    [Theory]
    [MemberData(nameof(AuditedPages))]
    public async Task Axe_finds_no_serious_or_critical_violations(string path)
    {
        var page = await fixture.NewPage();
        await page.GotoAsync(path);
        await page.EvaluateAsync(fixture.AxeScript);
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') }))");

        var serious = result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {v.GetProperty("targets").GetString()}")
            .ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }
}
