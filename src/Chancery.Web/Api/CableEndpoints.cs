using System.Text;
using System.Text.Json;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Export;
using Chancery.Web.Hosting;
using Chancery.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Api;

/// <summary>
/// <c>/api/v1/cables</c>: the cable office for programs. Reading works for any named reader (bearer token or
/// sign-in cookie); every step that changes something (draft, clear, release, send) needs a bearer token, so a
/// page on another site cannot act with a signed-in browser's cookie.
/// </summary>
internal static class CableEndpoints
{
    public static void Map(WebApplication app)
    {
        if (app.Services.GetRequiredService<IArchive>() is not ICableOffice office)
        {
            return;
        }
        var api = app.MapGroup("/api/v1/cables");
        api.MapRead("/inbox", (HttpContext c) => Reading(c, r =>
        {
            c.RequestServices.GetRequiredService<CablePages.CableWake>().Ensure();
            return Json(c, office.Inbox(r, Box(c), 200));
        }));
        api.MapRead("/drafts", (HttpContext c) => Reading(c, r => Json(c, office.ListDrafts(r))));
        api.MapRead("/{prefix}/{serial}", (HttpContext c, string prefix, string serial) =>
            Reading(c, r => CablePages.Number(prefix, serial) is { } n && office.Read(n, r, "api") is { } view ? Json(c, view) : NotFound(c)));
        api.MapRead("/{prefix}/{serial}/thread", (HttpContext c, string prefix, string serial) =>
            Reading(c, r => CablePages.Number(prefix, serial) is { } n && office.Thread(n, r) is { Count: > 0 } thread ? Json(c, thread) : NotFound(c)));
        // a handler of HttpContext alone would bind as a RequestDelegate and drop its result: cast to Delegate
        api.MapPost("/drafts", (Delegate)((HttpContext c) => Acting(c, async r =>
        {
            var content = await JsonSerializer.DeserializeAsync<DraftContent>(c.Request.Body, DocumentJson.Compact, c.RequestAborted)
                ?? throw new JsonException("empty body");
            var draft = office.CreateDraft(content, r);
            return Json(c, draft, StatusCodes.Status201Created);
        })));
        api.MapPost("/drafts/{id}/clear", (HttpContext c, string id) => Acting(c, id, async (r, draft) =>
        {
            var body = await JsonSerializer.DeserializeAsync<ClearRequest>(c.Request.Body, DocumentJson.Compact, c.RequestAborted)
                ?? throw new JsonException("empty body");
            return Json(c, office.Clear(draft, body.Office.Trim().ToUpperInvariant(), r, body.Comment));
        }));
        api.MapPost("/drafts/{id}/release", (HttpContext c, string id) => Acting(c, id, (r, draft) => Task.FromResult(Json(c, office.Release(draft, r)))));
        api.MapPost("/drafts/{id}/send", (HttpContext c, string id) => Acting(c, id, (r, draft) =>
        {
            var telegram = office.Send(draft, r);
            c.RequestServices.GetRequiredService<CablePages.CableWake>().Wake();
            return Task.FromResult(Json(c, telegram, StatusCodes.Status201Created));
        }));
    }

    /// <summary>The body of a clearance: the office cleared for and an optional comment.</summary>
    private sealed record ClearRequest(string Office, string? Comment = null);

    private static CableBox Box(HttpContext c) => c.Request.Query["box"] == "sent" ? CableBox.Sent : CableBox.Received;

    private static IResult Reading(HttpContext c, Func<ReaderIdentity, IResult> answer)
    {
        var reader = c.Reader();
        return reader.IsPublic ? SignInRequired(c) : answer(reader.Reader);
    }

    private static Task<IResult> Acting(HttpContext c, string draft, Func<ReaderIdentity, long, Task<IResult>> act) =>
        long.TryParse(draft, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? Acting(c, r => act(r, id))
            : Task.FromResult(Problems.Result(c, StatusCodes.Status400BadRequest, "bad-parameter", "A parameter is not valid", $"'{draft}' is not a draft number."));

    private static async Task<IResult> Acting(HttpContext c, Func<ReaderIdentity, Task<IResult>> act)
    {
        var reader = c.Reader();
        if (reader.Via != "bearer")
        {
            return SignInRequired(c);
        }
        try
        {
            return await act(reader.Reader);
        }
        catch (ArchiveException e)
        {
            return Problems.Result(c, StatusCodes.Status409Conflict, "cable-refused", "The cable office refused this step", e.Message);
        }
        catch (JsonException e)
        {
            return Problems.Result(c, StatusCodes.Status400BadRequest, "bad-request", "The request cannot be read", $"The JSON body is not valid here: {e.Message}");
        }
    }

    private static IResult SignInRequired(HttpContext c) =>
        Problems.Result(c, StatusCodes.Status401Unauthorized, "sign-in-required", "A named user is required",
            "The cable office serves named users: send a bearer token (`chancery users token NAME`). Changes need a bearer token even when signed in.");

    private static IResult NotFound(HttpContext c) =>
        Problems.Result(c, StatusCodes.Status404NotFound, "not-found", "Not found", "No telegram with this number that this reader may read.");

    private static IResult Json(HttpContext c, object value, int status = StatusCodes.Status200OK)
    {
        c.Response.Headers.CacheControl = "private, no-store";
        return Results.Text(JsonSerializer.Serialize(value, DocumentJson.Compact), "application/json; charset=utf-8", Encoding.UTF8, status);
    }
}
