using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chancery.Archive;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Chancery.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Api;

/// <summary>
/// The JSON API under <c>/api/v1</c>: volumes, a volume, a document (the export JSON of the reader's view, with an
/// ETag), search with facets and paging, and the OpenAPI description. Errors are RFC 9457 problem details.
/// </summary>
internal static class ApiEndpoints
{
    public const string Surface = "api";

    private static readonly JsonSerializerOptions Options = DocumentJson.Indented;

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapRead("/", () => Results.Redirect("/api/v1/openapi.json"));
        api.MapRead("/volumes", Volumes);
        api.MapRead("/volumes/{volume}", VolumeById);
        api.MapRead("/documents/{volume}/{doc}", DocumentById);
        api.MapRead("/search", Search);
        api.MapRead("/openapi.json", (HttpContext c) => Json(c, OpenApiDocument.Json));
        api.MapRead("/problems/{type}", ProblemType);
        LinkEndpoints.Map(api);
    }

    internal static IResult Json(HttpContext context, string json, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers.CacheControl = context.Reader().IsPublic ? "no-cache" : "private, no-cache";
        return Results.Text(json, "application/json; charset=utf-8", Encoding.UTF8, status);
    }

    internal static IResult NotFound(HttpContext context, string what) =>
        Problems.Result(context, StatusCodes.Status404NotFound, "not-found", "Not found", what);

    private static IResult Volumes(HttpContext context, IArchive archive)
    {
        var list = new JsonArray();
        foreach (var v in archive.ListVolumes(context.Reader().Reader).Where(v => v.DocumentCount > 0))
        {
            list.Add(new JsonObject
            {
                ["id"] = v.Id,
                ["title"] = v.Title,
                ["documentCount"] = v.DocumentCount,
                ["dateFrom"] = v.DateFrom,
                ["dateTo"] = v.DateTo,
                ["url"] = DocumentRenderer.VolumeUrl(v.Id),
                ["api"] = "/api/v1/volumes/" + Uri.EscapeDataString(v.Id),
            });
        }
        return Json(context, new JsonObject { ["volumes"] = list }.ToJsonString(Options));
    }

    private static IResult VolumeById(HttpContext context, IArchive archive, string volume)
    {
        var v = archive.GetVolume(volume, context.Reader().Reader);
        return v is null
            ? NotFound(context, $"There is no volume {volume}.")
            : Json(context, JsonSerializer.Serialize(v, Options));
    }

    private static IResult DocumentById(HttpContext context, IArchive archive, string volume, string doc)
    {
        var local = doc.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? doc[..^5] : doc;
        var view = archive.GetDocument(DocumentIds.Make(volume, local), context.Reader().Reader, Surface);
        if (view is null)
        {
            // missing and withheld are answered alike
            return NotFound(context, $"There is no document {volume}/{local} that this reader may read.");
        }
        var json = DocumentJson.Serialize(view.Document);
        var etag = DocumentFormats.ETag(view, context.Reader(), DocumentFormat.Json, json);
        DocumentFormats.SetCaching(context, etag);
        if (DocumentFormats.Matches(context.Request, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Text(json, "application/json; charset=utf-8", Encoding.UTF8);
    }

    private static IResult Search(HttpContext context, IArchive archive)
    {
        var (p, problem) = SearchParameters.Read(context.Request.Query, defaultPageSize: 20, defaultFacets: false);
        if (problem is not null)
        {
            var status = StatusCodes.Status400BadRequest;
            return Problems.Result(context, status, problem.Type, Problems.Types[problem.Type].Title, problem.Message,
                new Dictionary<string, object?> { ["parameter"] = problem.Parameter });
        }
        var parameters = p!;
        if (parameters.Query.Length == 0)
        {
            return Problems.Result(context, StatusCodes.Status400BadRequest, "bad-parameter", Problems.Types["bad-parameter"].Title,
                "q is required: a query in the Chancery query language.", new Dictionary<string, object?> { ["parameter"] = "q" });
        }
        SearchResults results;
        try
        {
            results = archive.Search(parameters.ToRequest(), context.Reader().Reader, Surface);
        }
        catch (QueryException e)
        {
            return Problems.Result(context, StatusCodes.Status400BadRequest, "bad-query", Problems.Types["bad-query"].Title,
                e.Message, new Dictionary<string, object?> { ["parameter"] = "q", ["position"] = e.Position, ["query"] = parameters.Query });
        }

        var hits = new JsonArray();
        foreach (var hit in results.Hits)
        {
            DocumentIds.TrySplit(hit.Id, out var v, out var local);
            hits.Add(new JsonObject
            {
                ["id"] = hit.Id,
                ["volume"] = hit.Volume,
                ["number"] = hit.Number,
                ["type"] = hit.Type,
                ["title"] = hit.Title,
                ["date"] = hit.Date,
                ["snippet"] = hit.Snippet,
                ["inFootnote"] = hit.InFootnote,
                ["score"] = hit.Score,
                ["url"] = DocumentRenderer.DocumentUrl(v, local),
                ["api"] = "/api/v1/documents/" + Uri.EscapeDataString(v) + "/" + Uri.EscapeDataString(local),
            });
        }
        var reachable = Math.Min(results.Total, SearchParameters.ResultWindow);
        var pages = (reachable + parameters.PageSize - 1) / parameters.PageSize;
        string? PageLink(int n) => n >= 1 && n <= pages
            ? SearchParameters.PageUrl(parameters.Query, parameters.Sort, n, "/api/v1/search", parameters.PageSize) + (parameters.Facets ? "&facets=true" : "")
            : null;
        var body = new JsonObject
        {
            ["query"] = parameters.Query,
            ["sort"] = SearchParameters.SortName(parameters.Sort),
            ["page"] = parameters.Page,
            ["pageSize"] = parameters.PageSize,
            ["total"] = results.Total,
            ["undated"] = results.Undated,
            ["hits"] = hits,
        };
        if (parameters.Facets)
        {
            var facets = new JsonObject();
            foreach (var (name, values) in results.Facets)
            {
                facets[name] = new JsonArray(values.Select(f => (JsonNode)new JsonObject
                {
                    ["value"] = f.Value,
                    ["count"] = f.Count,
                    ["query"] = QueryParser.Narrow(parameters.Query, name, f.Value),
                }).ToArray());
            }
            body["facets"] = facets;
        }
        body["paging"] = new JsonObject
        {
            ["pages"] = pages,
            ["previous"] = PageLink(parameters.Page - 1),
            ["next"] = PageLink(parameters.Page + 1),
        };
        return Json(context, body.ToJsonString(Options));
    }

    private static IResult ProblemType(HttpContext context, string type)
    {
        if (!Problems.Types.TryGetValue(type, out var t))
        {
            return NotFound(context, $"There is no problem type {type}.");
        }
        return Json(context, new JsonObject { ["type"] = Problems.TypeUri(type), ["title"] = t.Title, ["explanation"] = t.Explanation }.ToJsonString(Options));
    }
}
