using System.Net;
using System.Text.Json;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>The link graph in the JSON API: links, threads, persons and the decimal file.</summary>
[Collection(WebCollection.Name)]
public sealed class LinkApiTests(WebFixture web)
{
    private async Task<Fetched> Get(string path, string? bearer = null)
    {
        using var client = web.Client(bearer);
        return await client.Get(path);
    }

    private static JsonElement Json(Fetched f) => JsonDocument.Parse(f.Body).RootElement;

    private static List<string?> Ids(JsonElement list, string? inner = null) =>
        list.EnumerateArray().Select(e => (inner is null ? e : e.GetProperty(inner)).GetProperty("id").GetString()).ToList();

    [Fact]
    public async Task Links_give_the_cited_document_with_its_addresses()
    {
        var page = await Get("/api/v1/documents/frus-sample-1945/d4/links");

        var first = Json(page).GetProperty("cites")[0];
        Assert.Equal((HttpStatusCode.OK, "document", "resolved", "Document 2", "frus-sample-1945#d2", "/volumes/frus-sample-1945/d2", "/api/v1/documents/frus-sample-1945/d2"),
            (page.Status, first.GetProperty("kind").GetString(), first.GetProperty("status").GetString(), first.GetProperty("evidence").GetString(),
                first.GetProperty("document").GetProperty("id").GetString(), first.GetProperty("document").GetProperty("url").GetString(),
                first.GetProperty("document").GetProperty("api").GetString()));
    }

    [Fact]
    public async Task Links_give_the_citing_documents()
    {
        var page = await Get("/api/v1/documents/frus-sample-1945/d2/links");

        Assert.Equal(["frus-sample-1945#d3", "frus-sample-1945#d4", "frus-sample-1945#d23"], Ids(Json(page).GetProperty("citedBy"), "document").Distinct());
    }

    [Fact]
    public async Task A_cited_document_the_public_may_not_see_has_no_id_title_or_parties()
    {
        var page = await Get("/api/v1/documents/frus-sample-1945/d1/links");

        var withheld = Json(page).GetProperty("cites").EnumerateArray().Select(l => l.GetProperty("document")).Single(d => d.ValueKind == JsonValueKind.Object && d.GetProperty("withheld").GetBoolean());
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null, "document withheld"),
            (withheld.GetProperty("id").ValueKind, withheld.GetProperty("title").ValueKind, withheld.GetProperty("from").ValueKind, withheld.GetProperty("label").GetString()));
        Assert.DoesNotContain("Harriman", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_of_a_withheld_document_are_a_404_problem_for_the_public()
    {
        var withheld = await Get("/api/v1/documents/frus1945Berlinv01/d578/links");
        var missing = await Get("/api/v1/documents/frus1945Berlinv01/d579/links");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (withheld.Status, withheld.ContentType));
        Assert.Equal(withheld.Body.Replace("d578", "ID", StringComparison.Ordinal), missing.Body.Replace("d579", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_thread_lists_the_telegrams_by_date()
    {
        var page = await Get("/api/v1/documents/frus-sample-1945/d4/thread");

        var root = Json(page);
        Assert.Equal("frus-sample-1945#d4", root.GetProperty("id").GetString());
        Assert.Equal(["frus-sample-1945#d2", "frus-sample-1945#d3", "frus-sample-1945#d4", "frus-sample-1945#d10", "frus-sample-1945#d18", "frus-sample-1945#d23"], Ids(root.GetProperty("thread")));
        Assert.Equal("/volumes/frus-sample-1945/d2", root.GetProperty("thread")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_thread_of_a_missing_document_is_a_404_problem()
    {
        var page = await Get("/api/v1/documents/frus-sample-1945/d999/thread");

        Assert.Equal((HttpStatusCode.NotFound, "/api/v1/problems/not-found"), (page.Status, Json(page).GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_person_by_persons_list_id_gives_the_documents_naming_them()
    {
        var page = await Get("/api/v1/persons/frus-sample-1945%23p_ODV1");

        var root = Json(page);
        Assert.Equal(("orlanov-dmitri-v", "Orlanov, Dmitri V.", "/persons/orlanov-dmitri-v"),
            (root.GetProperty("id").GetString(), root.GetProperty("name").GetString(), root.GetProperty("url").GetString()));
        Assert.Equal(["frus-sample-1945#d2", "frus-sample-1945#d3", "frus-sample-1945#d11", "frus-sample-1945#d23"], Ids(root.GetProperty("mentioned")));
    }

    [Fact]
    public async Task An_unknown_person_is_a_404_problem()
    {
        var page = await Get("/api/v1/persons/Nobody");

        Assert.Equal((HttpStatusCode.NotFound, "/api/v1/problems/not-found"), (page.Status, Json(page).GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_file_gives_its_meaning_and_documents()
    {
        var page = await Get("/api/v1/files/761.93");

        var root = Json(page);
        Assert.Equal(("761.93", "Political relations between states: USSR – China", "/files/761.93"),
            (root.GetProperty("file").GetString(), root.GetProperty("meaning").GetString(), root.GetProperty("url").GetString()));
        Assert.Equal(["frus-sample-1945#d11"], Ids(root.GetProperty("documents")));
        Assert.Equal("Political relations between states: USSR – China, 11 July 1945", root.GetProperty("documents")[0].GetProperty("numbers")[0].GetProperty("meaning").GetString());
    }

    [Fact]
    public async Task A_file_without_a_number_is_a_400_problem_naming_the_parameter()
    {
        var page = await Get("/api/v1/files/");

        var root = Json(page);
        Assert.Equal((HttpStatusCode.BadRequest, "/api/v1/problems/bad-parameter", "number"),
            (page.Status, root.GetProperty("type").GetString(), root.GetProperty("parameter").GetString()));
    }
}
