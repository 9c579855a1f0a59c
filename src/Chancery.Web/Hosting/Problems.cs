using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Hosting;

/// <summary>
/// RFC 9457 problem details: <c>application/problem+json</c> with type, title, status and detail, plus
/// extension members (a bad query's <c>position</c>, a bad parameter's name). Types are pages under
/// <c>/api/v1/problems/</c> that explain each problem.
/// </summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The problem types this API answers with, and what each means.</summary>
    public static readonly IReadOnlyDictionary<string, (string Title, string Explanation)> Types = new Dictionary<string, (string, string)>
    {
        ["bad-query"] = ("The query cannot be read", "The q parameter is not valid in the Chancery query language; position is the 0-based offset of the problem in the query."),
        ["query-too-long"] = ("The query is too long", "Queries are limited to 1,000 characters."),
        ["bad-parameter"] = ("A parameter is not valid", "A query-string parameter has a value the API does not accept; parameter names it."),
        ["result-window"] = ("The page is beyond the result window", "page × pageSize may not exceed 10,000: narrow the query instead of paging further."),
        ["not-found"] = ("Not found", "Nothing is here for this reader: the resource is missing, or this reader may not see it (the two are answered alike)."),
        ["links-unavailable"] = ("Links are not available", "This archive's backend does not keep links between documents, so links, threads, persons and the decimal file cannot be answered; documents, volumes and search work as usual."),
        ["sign-in-required"] = ("A named user is required", "The cable office serves named users: send a bearer token; steps that change something (draft, clear, release, send) need a bearer token even when signed in."),
        ["cable-refused"] = ("The cable office refused this step", "The step is not allowed for this user or this draft (for example: not a drafter at the post, an approver not cleared for the marking, a draft not yet cleared); detail says why."),
        ["invalid-token"] = ("Invalid bearer token", "The Authorization header does not carry a bearer token this archive issued."),
        ["too-many-requests"] = ("Too many requests", "The client sent too many requests of this kind; wait for the number of seconds in Retry-After."),
        ["server-busy"] = ("The server is busy", "Too many requests are running at once; wait for the number of seconds in Retry-After and try again."),
        ["request-too-large"] = ("The request is too large", "Request bodies are limited to 64 KB."),
        ["bad-request"] = ("The request cannot be read", "The request is malformed."),
        ["server-error"] = ("Something went wrong on the server", "The server failed to answer; the failure is logged with the trace id given here."),
    };

    public static string TypeUri(string type) => "/api/v1/problems/" + type;

    /// <summary>Writes a problem response.</summary>
    public static Task Write(HttpContext context, int status, string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var body = Build(context, status, type, title, detail, extensions);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body.ToJsonString(JsonOptions));
    }

    /// <summary>A problem as a minimal API result.</summary>
    public static IResult Result(HttpContext context, int status, string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new ProblemResult(Build(context, status, type, title, detail, extensions).ToJsonString(JsonOptions), status);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static JsonObject Build(HttpContext context, int status, string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions)
    {
        var o = new JsonObject
        {
            ["type"] = TypeUri(type),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value,
        };
        if (extensions is not null)
        {
            foreach (var (k, v) in extensions)
            {
                o[k] = JsonSerializer.SerializeToNode(v, JsonOptions);
            }
        }
        return o;
    }

    private sealed class ProblemResult(string json, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = ContentType;
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsync(json);
        }
    }
}
