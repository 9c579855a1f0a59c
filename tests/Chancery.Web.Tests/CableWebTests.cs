using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Chancery.Web.Tests;

/// <summary>
/// The cable office over HTTP on its own archive: Embassy Moscow's Harriman drafts and releases, the clerk sends
/// over Navy channels, the President reads it in the inbox page and the API; a top-secret desk officer without
/// the PERSONAL-FOR caption gets the same 404 as for a number that does not exist.
/// </summary>
public sealed class CableWebTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-cable-web-");
    private SqliteArchive _archive = null!;
    private WebApplication _app = null!;
    private Uri _base = null!;
    private readonly Dictionary<string, string> _tokens = [];

    public async Task InitializeAsync()
    {
        _archive = SqliteArchive.Open(_folder.FullName);
        ICableOffice office = _archive;
        foreach (var user in new[] { "harriman", "clerk", "truman" })
        {
            _archive.AddUser(new UserAccount(user, ClassificationLevel.TopSecret, ["PERSONAL-FOR"], DateTimeOffset.UtcNow));
        }
        _archive.AddUser(new UserAccount("deskofficer", ClassificationLevel.TopSecret, [], DateTimeOffset.UtcNow));
        office.AddPost(new Post("moscow", "Embassy Moscow", "Moscow", "MOSCOW", TimeSpan.FromHours(3)), "test");
        office.AddPost(new Post("state", "Department of State", "Washington", "DEPTEL", TimeSpan.FromHours(-4)), "test");
        office.AddMember(new PostMember("moscow", "harriman", CableRole.Drafter), "test");
        office.AddMember(new PostMember("moscow", "harriman", CableRole.Approver), "test");
        office.AddMember(new PostMember("moscow", "clerk", CableRole.CommunicationsClerk), "test");
        office.AddMember(new PostMember("state", "truman", CableRole.Principal, Title: "the President"), "test");
        office.AddMember(new PostMember("state", "deskofficer", CableRole.Drafter), "test");
        office.SetRoute(new ChannelRoute("moscow", CableChannel.Navy, "the United States Naval Attaché, Moscow"), "test");
        office.SetNextSerial("moscow", 120800, "test");
        foreach (var user in new[] { "harriman", "clerk", "truman", "deskofficer" })
        {
            _tokens[user] = _archive.IssueToken(user);
        }
        (_app, _base) = await WebFixture.StartHost(_archive, []);
    }

    private HttpClient Client(string? user)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _base };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[user]);
        }
        return client;
    }

    private async Task<(HttpStatusCode Status, string Body)> Post(string user, string path, string json = "")
    {
        using var client = Client(user);
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> Get(string? user, string path)
    {
        using var client = Client(user);
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Drafts, releases and sends the seed-like telegram through the API; returns its number.</summary>
    private async Task<string> SendSeed()
    {
        var draft = await Post("harriman", "/api/v1/cables/drafts", """
            {"fromPost":"moscow","action":[{"kind":"user","target":"truman"}],"classification":"top secret",
             "captions":["PERSONAL-FOR"],"personalFor":["truman"],"precedence":"IMMEDIATE","subject":"Soong and Stalin",
             "subjectCode":"761.93","channel":"Navy","signature":"Harriman","body":["Soong saw Stalin again."]}
            """);
        Assert.Equal(HttpStatusCode.Created, draft.Status);
        var id = JsonDocument.Parse(draft.Body).RootElement.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await Post("harriman", $"/api/v1/cables/drafts/{id}/release")).Status);
        var sent = await Post("clerk", $"/api/v1/cables/drafts/{id}/send");
        Assert.Equal(HttpStatusCode.Created, sent.Status);
        return JsonDocument.Parse(sent.Body).RootElement.GetProperty("number").GetString()!;
    }

    /// <summary>The inbox numbers of a user once the deliverer has run (it works in the background).</summary>
    private async Task<List<string>> Inbox(string user, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (status, body) = await Get(user, "/api/v1/cables/inbox");
            Assert.Equal(HttpStatusCode.OK, status);
            var numbers = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("number").GetString()!).ToList();
            if (numbers.Count >= expected || attempt == 100)
            {
                return numbers;
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_principal_receives_the_telegram_in_the_api_inbox()
    {
        var number = await SendSeed();

        Assert.Equal("MOSCOW 120800", number);
        Assert.Equal(["MOSCOW 120800"], await Inbox("truman", 1));
    }

    [Fact]
    public async Task A_reader_without_the_caption_gets_the_same_404_as_for_a_missing_number()
    {
        await SendSeed();
        await Inbox("truman", 1);

        var hidden = await Get("deskofficer", "/api/v1/cables/MOSCOW/120800");
        var missing = await Get("deskofficer", "/api/v1/cables/MOSCOW/999999");
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal(missing.Body.Replace("999999", "120800", StringComparison.Ordinal), hidden.Body);
        Assert.Equal([], await Inbox("deskofficer", 0));
    }

    [Fact]
    public async Task The_telegram_page_prints_the_channel_and_the_receipt()
    {
        await SendSeed();
        await Inbox("truman", 1);

        var (status, body) = await Get("truman", "/cables/MOSCOW/120800");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<p class=\"channel\">Sent by the United States Naval Attaché, Moscow, via Navy channels.</p>", body);
        Assert.Contains("<dt>File</dt><dd>761.93/", body);
        Assert.Contains("<p class=\"receipt\">[Received ", body);
    }

    [Fact]
    public async Task The_inbox_page_links_each_telegram()
    {
        await SendSeed();
        await Inbox("truman", 1);

        var (status, body) = await Get("truman", "/cables");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<td><a href=\"/cables/MOSCOW/120800\">MOSCOW 120800</a></td>", body);
    }

    [Fact]
    public async Task The_public_has_no_office()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(null, "/cables")).Status);
        var api = await Get(null, "/api/v1/cables/inbox");
        Assert.Equal(HttpStatusCode.Unauthorized, api.Status);
        Assert.Equal("/api/v1/problems/sign-in-required", JsonDocument.Parse(api.Body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_refused_step_is_a_409_problem_saying_why()
    {
        var draft = await Post("harriman", "/api/v1/cables/drafts", """{"fromPost":"moscow","action":[{"kind":"user","target":"truman"}],"subject":"x","body":["y"]}""");
        var id = JsonDocument.Parse(draft.Body).RootElement.GetProperty("id").GetInt64();

        var send = await Post("clerk", $"/api/v1/cables/drafts/{id}/send");
        Assert.Equal(HttpStatusCode.Conflict, send.Status);
        Assert.Equal("/api/v1/problems/cable-refused", JsonDocument.Parse(send.Body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_bad_draft_body_is_a_400_problem()
    {
        var draft = await Post("harriman", "/api/v1/cables/drafts", """{"fromPost":"moscow","precedence":"SOON"}""");
        Assert.Equal(HttpStatusCode.BadRequest, draft.Status);
        Assert.Equal("/api/v1/problems/bad-request", JsonDocument.Parse(draft.Body).RootElement.GetProperty("type").GetString());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _archive.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // the host may still be closing a reader; the temp folder is cleared by the system
        }
    }
}
