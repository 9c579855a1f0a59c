using System.Text.Json.Nodes;
using Chancery.Web.Hosting;

namespace Chancery.Web.Api;

/// <summary>The <c>/api/v1/cables</c> routes in the OpenAPI document (<see cref="CableEndpoints"/>).</summary>
internal static class CableOpenApi
{
    public static void AddTo(JsonObject paths)
    {
        var number = new JsonArray { Path("prefix", "The sending post's number prefix, e.g. MOSCOW."), Path("serial", "The serial, e.g. 120015.") };
        var draftId = new JsonArray { Path("id", "The draft's number.") };
        paths["/api/v1/cables/inbox"] = new JsonObject
        {
            ["get"] = Operation("cableInbox", "Your telegrams",
                "The reader's received telegrams (or sent ones with box=sent), newest first. Needs a named reader.",
                [new JsonObject { ["name"] = "box", ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("received", "sent") } }],
                Ok("The inbox entries."), Problem("401", "No named reader.")),
        };
        paths["/api/v1/cables/drafts"] = new JsonObject
        {
            ["get"] = Operation("cableDrafts", "Your drafts",
                "Drafts the reader wrote or must clear, release or send.", [], Ok("The drafts."), Problem("401", "No named reader.")),
            ["post"] = Body(Operation("createCableDraft", "Write a draft",
                "Creates a draft from a DraftContent body (fromPost, action, info, classification, captions, personalFor, precedence, subject, subjectCode, references, body, requiredClearances, channel, signature). Needs a bearer token.",
                [], Created("The draft."), Problem("400", "The body is not a draft."), Problem("401", "No bearer token."), Problem("409", "The office refused (e.g. not a drafter at the post)."))),
        };
        paths["/api/v1/cables/drafts/{id}/clear"] = new JsonObject
        {
            ["post"] = Body(Operation("clearCableDraft", "Clear a draft",
                "Clears the draft for an office ({\"office\": \"POL\", \"comment\": …}). Needs a bearer token.",
                draftId.DeepClone().AsArray(), Ok("The draft."), Problem("400", "A bad draft number or body."), Problem("401", "No bearer token."), Problem("409", "The office refused."))),
        };
        paths["/api/v1/cables/drafts/{id}/release"] = new JsonObject
        {
            ["post"] = Operation("releaseCableDraft", "Release a draft",
                "An approver cleared for its marking releases the cleared draft for transmission. Needs a bearer token.",
                draftId.DeepClone().AsArray(), Ok("The draft."), Problem("400", "A bad draft number."), Problem("401", "No bearer token."), Problem("409", "The office refused.")),
        };
        paths["/api/v1/cables/drafts/{id}/send"] = new JsonObject
        {
            ["post"] = Operation("sendCableDraft", "Send a draft",
                "A communications clerk transmits the released draft: the post's next serial, the date-time group, the channel; delivery follows at once. Needs a bearer token.",
                draftId.DeepClone().AsArray(), Created("The telegram."), Problem("400", "A bad draft number."), Problem("401", "No bearer token."), Problem("409", "The office refused.")),
        };
        paths["/api/v1/cables/{prefix}/{serial}"] = new JsonObject
        {
            ["get"] = Operation("readCable", "Read a telegram",
                "The telegram with its receipts. A missing telegram and one the reader may not read both answer 404.",
                number.DeepClone().AsArray(), Ok("The telegram."), Problem("401", "No named reader."), Problem("404", "No such telegram for this reader.")),
        };
        paths["/api/v1/cables/{prefix}/{serial}/thread"] = new JsonObject
        {
            ["get"] = Operation("cableThread", "A telegram's thread",
                "The exchange the telegram belongs to, oldest first, as far as the reader may read.",
                number.DeepClone().AsArray(), Ok("The thread."), Problem("401", "No named reader."), Problem("404", "No such telegram for this reader.")),
        };
    }

    private static JsonObject Path(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Operation(string id, string summary, string description, JsonArray parameters, params (string Status, JsonObject Response)[] responses)
    {
        var r = new JsonObject();
        foreach (var (status, response) in responses)
        {
            r[status] = response;
        }
        return new JsonObject
        {
            ["operationId"] = id,
            ["summary"] = summary,
            ["description"] = description,
            ["parameters"] = parameters,
            ["responses"] = r,
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
        };
    }

    private static JsonObject Body(JsonObject operation)
    {
        operation["requestBody"] = new JsonObject
        {
            ["required"] = true,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
        };
        return operation;
    }

    private static (string, JsonObject) Ok(string description) => ("200", Json(description));

    private static (string, JsonObject) Created(string description) => ("201", Json(description));

    private static JsonObject Json(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
    };

    private static (string, JsonObject) Problem(string status, string description) => (status, new JsonObject
    {
        ["description"] = description,
        ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
    });
}
