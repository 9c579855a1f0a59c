using System.Text.Json;
using System.Text.Json.Nodes;
using Chancery.Archive;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Chancery.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Api;

/// <summary>
/// The link graph in the API: a document's links and thread, a person, a decimal file. Every answer is what the
/// reader may see (the archive trims it); on an archive without links they answer 404 <c>links-unavailable</c>.
/// </summary>
internal static class LinkEndpoints
{
    private static readonly JsonSerializerOptions Options = DocumentJson.Indented;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapRead("/documents/{volume}/{doc}/links", DocumentLinks);
        api.MapRead("/documents/{volume}/{doc}/thread", Thread);
        api.MapRead("/persons/{id}", Person);
        api.MapRead("/files/{**number}", File);
    }

    private static IResult Unavailable(HttpContext context) =>
        Problems.Result(context, StatusCodes.Status404NotFound, "links-unavailable", Problems.Types["links-unavailable"].Title,
            "This archive's backend does not keep links between documents (the embedded SQLite archive does).");

    private static IResult DocumentMissing(HttpContext context, string volume, string doc) =>
        ApiEndpoints.NotFound(context, $"There is no document {volume}/{doc} that this reader may read.");

    private static IResult DocumentLinks(HttpContext context, IArchive archive, string volume, string doc)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        var found = links.LinksOf(DocumentIds.Make(volume, doc), context.Reader().Reader);
        if (found is null)
        {
            return DocumentMissing(context, volume, doc);
        }
        var body = JsonSerializer.SerializeToNode(found, Options)!.AsObject();
        AddAddresses(body["cites"], "document");
        AddAddresses(body["citedBy"], "document");
        return ApiEndpoints.Json(context, body.ToJsonString(Options));
    }

    private static IResult Thread(HttpContext context, IArchive archive, string volume, string doc)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        var id = DocumentIds.Make(volume, doc);
        var thread = links.GetThread(id, context.Reader().Reader);
        if (thread.Count == 0)
        {
            return DocumentMissing(context, volume, doc);
        }
        var entries = JsonSerializer.SerializeToNode(thread, Options);
        AddAddresses(entries, null);
        return ApiEndpoints.Json(context, new JsonObject { ["id"] = id, ["thread"] = entries }.ToJsonString(Options));
    }

    private static IResult Person(HttpContext context, IArchive archive, string id)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        var person = id.Length <= LinkPages.MaxPersonLength ? links.GetPerson(id, context.Reader().Reader) : null;
        if (person is null)
        {
            return ApiEndpoints.NotFound(context, $"No person {id} is known to this archive.");
        }
        var body = JsonSerializer.SerializeToNode(person, Options)!.AsObject();
        body["url"] = LinkPages.PersonUrl(person.Id);
        AddAddresses(body["sent"], null);
        AddAddresses(body["received"], null);
        AddAddresses(body["mentioned"], null);
        return ApiEndpoints.Json(context, body.ToJsonString(Options));
    }

    private static IResult File(HttpContext context, IArchive archive, string? number)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        var prefix = (number ?? "").Trim();
        if (prefix.Length is 0 or > 200)
        {
            return Problems.Result(context, StatusCodes.Status400BadRequest, "bad-parameter", Problems.Types["bad-parameter"].Title,
                "A decimal file number or the start of one is required after /api/v1/files/ (at most 200 characters), e.g. /api/v1/files/761.93.",
                new Dictionary<string, object?> { ["parameter"] = "number" });
        }
        var documents = JsonSerializer.SerializeToNode(links.DocumentsInFile(prefix, context.Reader().Reader), Options);
        AddAddresses(documents, null);
        var meaning = Core.Files.FileNumber.TryParse(prefix, out var parsed) ? Core.Files.FileNumberDecoder.Decode(parsed).Summary : null;
        return ApiEndpoints.Json(context, new JsonObject
        {
            ["file"] = prefix,
            ["meaning"] = meaning,
            ["url"] = LinkPages.FileUrl(prefix),
            ["documents"] = documents,
        }.ToJsonString(Options));
    }

    /// <summary>
    /// Gives each entry of <paramref name="list"/> with a document id its page (<c>url</c>) and API (<c>api</c>)
    /// addresses; with <paramref name="inner"/> the id is read from that member (a link's described document).
    /// </summary>
    private static void AddAddresses(JsonNode? list, string? inner)
    {
        if (list is not JsonArray array)
        {
            return;
        }
        foreach (var item in array.OfType<JsonObject>())
        {
            var holder = inner is null ? item : item[inner] as JsonObject;
            if (holder?["id"]?.GetValueKind() == JsonValueKind.String
                && DocumentIds.TrySplit(holder["id"]!.GetValue<string>(), out var volume, out var local))
            {
                holder["url"] = DocumentRenderer.DocumentUrl(volume, local);
                holder["api"] = "/api/v1/documents/" + Uri.EscapeDataString(volume) + "/" + Uri.EscapeDataString(local);
            }
        }
    }
}
