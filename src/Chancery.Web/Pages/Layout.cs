using Chancery.Core.Access;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>The page frame: skip link, header with navigation and the reader's banner, main, footer.</summary>
internal static class Layout
{
    /// <summary>A whole HTML page as a result, with the caching rule for its reader.</summary>
    public static IResult Page(HttpContext context, string title, Action<HtmlBuilder> main, int status = StatusCodes.Status200OK, bool headerSearch = true)
    {
        var h = HtmlBuilder.Rent();
        try
        {
            Write(h, context, title, main, headerSearch);
            SetCaching(context);
            return new HtmlPage(h.ToUtf8(), status);
        }
        finally
        {
            h.Return();
        }
    }

    /// <summary>A rendered page: sent with its length, and handed to the page cache when the request may be kept.</summary>
    private sealed class HtmlPage(byte[] body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength = body.Length;
            if (PageCapture.Of(context) is { } capture)
            {
                capture.Body = body;
            }
            return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        }
    }

    /// <summary>
    /// Public pages may be revalidated by any cache; a named reader's pages are private to that reader. A page that
    /// carries an anti-forgery token keeps the no-store its token set.
    /// </summary>
    public static void SetCaching(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (!context.Reader().IsPublic)
        {
            headers.CacheControl = "private, no-store";
        }
        else if (!headers.CacheControl.ToString().Contains("no-store", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-cache";
        }
    }

    public static string Render(HttpContext context, string title, Action<HtmlBuilder> main, bool headerSearch = true)
    {
        var h = new HtmlBuilder();
        Write(h, context, title, main, headerSearch);
        return h.ToString();
    }

    private static void Write(HtmlBuilder h, HttpContext context, string title, Action<HtmlBuilder> main, bool headerSearch)
    {
        var settings = context.RequestServices.GetRequiredService<WebSettings>();
        var reader = context.Reader();
        h.Markup("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        h.Element("title", title + " · " + settings.RepositoryName);
        h.Void("link", ("rel", "stylesheet"), ("href", Assets.CssUrl));
        h.Open("script", ("src", Assets.JsUrl), ("defer", "")).Close("script");
        h.Markup("\n</head>\n<body>\n");
        h.Link("#main", "Skip to main content", ("class", "skip-link"));

        h.Open("header", ("class", "site-header")).Open("div", ("class", "wrap header-row"));
        h.Link("/", settings.RepositoryName, ("class", "brand"));
        h.Open("nav", ("aria-label", "Site"), ("class", "site-nav")).Open("ul");
        h.Open("li").Link("/", "Volumes").Close("li");
        h.Open("li").Link("/search", "Search").Close("li");
        h.Open("li").Link("/api/v1/openapi.json", "API").Close("li");
        if (reader.Via is null)
        {
            h.Open("li").Link(SignInUrl(context), "Sign in").Close("li");
        }
        h.Close("ul").Close("nav");
        if (headerSearch)
        {
            h.Open("form", ("class", "header-search"), ("role", "search"), ("action", "/search"), ("method", "get"));
            h.Element("label", "Search the archive", ("for", "header-q"), ("class", "visually-hidden"));
            h.Void("input", ("id", "header-q"), ("name", "q"), ("type", "search"), ("placeholder", "Search…"), ("maxlength", "1000"));
            h.Element("button", "Search", ("type", "submit"));
            h.Close("form");
        }
        h.Close("div");
        if (reader.User is { } user)
        {
            Banner(h, context, user.Name, reader.Reader, reader.Via);
        }
        h.Close("header");

        h.Markup("\n");
        h.Open("main", ("id", "main"), ("class", "wrap"), ("tabindex", "-1"));
        main(h);
        h.Close("main");
        h.Markup("\n");

        h.Open("footer", ("class", "site-footer")).Open("div", ("class", "wrap"));
        h.Open("p").Text(settings.RepositoryName + " — documents of the Foreign Relations of the United States and diplomatic telegrams. ")
            .Link("/api/v1/openapi.json", "JSON API").Text(" · ").Link("/oai?verb=Identify", "OAI-PMH").Close("p");
        h.Close("div").Close("footer");
        h.Markup("\n</body>\n</html>\n");
    }

    /// <summary>
    /// The sign-in page, brought back to the page being read: a reader who meets a document that is not available to
    /// them signs in and lands on it again.
    /// </summary>
    public static string SignInUrl(HttpContext context)
    {
        var request = context.Request;
        var here = request.Path.Value + request.QueryString.Value;
        return !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) || here is "" or "/" || request.Path.StartsWithSegments("/signin")
            || here.Length > 2000
            ? "/signin"
            : "/signin?returnUrl=" + Uri.EscapeDataString(here);
    }

    private static void Banner(HtmlBuilder h, HttpContext context, string name, ReaderIdentity identity, string? via)
    {
        h.Open("section", ("class", "reader-banner"), ("aria-label", "Signed-in reader")).Open("div", ("class", "wrap banner-row"));
        h.Open("p");
        h.Text("Signed in as ").Element("strong", name).Text(" · cleared ").Element("strong", Markings.Printed(identity.Clearance).ToUpperInvariant());
        h.Text(" · controls ").Element("strong", identity.Controls.Count == 0 ? "none" : string.Join(", ", identity.Controls.Order(StringComparer.Ordinal)));
        h.Text(". Pages may show text withheld from the public; it is marked.");
        h.Close("p");
        if (via == "cookie")
        {
            var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            h.Open("form", ("method", "post"), ("action", "/signout"), ("class", "signout-form"));
            h.Void("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
            h.Element("button", "Sign out", ("type", "submit"));
            h.Close("form");
        }
        h.Close("div").Close("section");
    }
}
