using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Hosting;

/// <summary>Headers every response carries, and the early refusal of oversized bodies.</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// No inline script or style anywhere, so the policy can forbid both; frames are refused outright.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static Task Apply(HttpContext context, RequestDelegate next)
    {
        // OnStarting: the exception handler clears headers before it writes its page, these must survive that
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // what a page shows depends on who asks
            headers.Vary = "Cookie, Authorization";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    public static Task LimitBody(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > WebHost.MaxRequestBodyBytes)
        {
            return Failures.Respond(context, StatusCodes.Status413PayloadTooLarge, "request-too-large", "The request is too large",
                $"Request bodies are limited to {WebHost.MaxRequestBodyBytes / 1024} KB.");
        }
        return next(context);
    }
}
