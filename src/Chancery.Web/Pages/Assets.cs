using System.Security.Cryptography;
using Chancery.Web.Hosting;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>
/// The one stylesheet and the one script, embedded in the assembly and served from our own origin, so the
/// reader works offline and the content security policy can allow only 'self'.
/// </summary>
internal static class Assets
{
    private static readonly Asset Css = Load("chancery.css", "text/css; charset=utf-8");
    private static readonly Asset Js = Load("chancery.js", "text/javascript; charset=utf-8");

    /// <summary>Versioned addresses: a new build changes the query, so caches never serve a stale file.</summary>
    public static string CssUrl => "/assets/chancery.css?v=" + Css.Version;

    public static string JsUrl => "/assets/chancery.js?v=" + Js.Version;

    public static void Map(WebApplication app)
    {
        app.MapRead("/assets/chancery.css", (HttpContext c) => Serve(c, Css));
        app.MapRead("/assets/chancery.js", (HttpContext c) => Serve(c, Js));
        // browsers ask for it on every site; answering empty keeps 404 pages out of the logs
        app.MapRead("/favicon.ico", () => Results.NoContent());
    }

    private static IResult Serve(HttpContext context, Asset asset)
    {
        var etag = "\"" + asset.Version + "\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "public, max-age=86400";
        if (context.Request.Headers.IfNoneMatch.ToString().Contains(etag, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("Chancery.Web.Assets." + name)
            ?? throw new InvalidOperationException($"embedded asset {name} is missing from the build");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var bytes = ms.ToArray();
        return new Asset(bytes, contentType, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);
}
