using Chancery.Web.Pages;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Hosting;

/// <summary>
/// Error answers: problem details under <c>/api</c> and <c>/oai</c>, a plain page elsewhere; never a stack trace.
/// </summary>
internal static class Failures
{
    public static bool WantsProblem(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/oai");

    /// <summary>The exception handler: logs the failure without its message (which could quote a document).</summary>
    public static Task Handle(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Chancery.Web");
        if (error is BadHttpRequestException bad)
        {
            var tooLarge = bad.StatusCode == StatusCodes.Status413PayloadTooLarge;
            return Respond(context, bad.StatusCode, tooLarge ? "request-too-large" : "bad-request",
                tooLarge ? "The request is too large" : "The request cannot be read",
                tooLarge ? $"Request bodies are limited to {WebHost.MaxRequestBodyBytes / 1024} KB." : "The request is malformed.");
        }
        logger.LogError("Unhandled {ExceptionType} answering {Method} {Path} (trace {TraceId}); at {StackTrace}",
            error?.GetType().FullName, context.Request.Method, context.Request.Path.Value, context.TraceIdentifier, error?.StackTrace);
        return Respond(context, StatusCodes.Status500InternalServerError, "server-error", "Something went wrong on the server",
            $"The server could not answer this request. The failure is logged with trace id {context.TraceIdentifier}.");
    }

    /// <summary>The answer for any route nothing else matched.</summary>
    public static Task NotFound(HttpContext context) =>
        Respond(context, StatusCodes.Status404NotFound, "not-found", "Not found", "Nothing is at this address.");

    /// <summary>An error answer in the form the caller expects.</summary>
    public static Task Respond(HttpContext context, int status, string type, string title, string detail)
    {
        if (WantsProblem(context))
        {
            return Problems.Write(context, status, type, title, detail);
        }
        var result = Layout.Page(context, title, h =>
        {
            h.Element("h1", title);
            h.Element("p", detail);
            h.Open("p").Link("/", "Go to the list of volumes").Text(" or ").Link("/search", "search the archive").Text(".").Close("p");
        }, status);
        return result.ExecuteAsync(context);
    }
}
