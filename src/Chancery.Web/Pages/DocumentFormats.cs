using System.Security.Cryptography;
using System.Text;
using Chancery.Archive;
using Chancery.Core.Export;
using Chancery.Web.Hosting;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>The forms a document is served in.</summary>
internal enum DocumentFormat { Html, Tei, Json, Text }

/// <summary>
/// Downloads (<c>/volumes/v/d.xml|.json|.txt</c> or <c>?format=</c>) and the API document: the exporters' output
/// of the reader's view, with an ETag that names both the content and the view, so a cleared reader's original
/// and the public's release never share one.
/// </summary>
internal static class DocumentFormats
{
    /// <summary>Splits <c>d202.json</c> into the local id and its format; <paramref name="format"/> (the query) wins when given.</summary>
    public static (string Local, DocumentFormat? Format) Parse(string doc, string? format)
    {
        var local = doc;
        DocumentFormat? byExtension = null;
        var dot = doc.LastIndexOf('.');
        if (dot > 0)
        {
            byExtension = doc[(dot + 1)..].ToLowerInvariant() switch
            {
                "xml" or "tei" => DocumentFormat.Tei,
                "json" => DocumentFormat.Json,
                "txt" => DocumentFormat.Text,
                "html" or "htm" => DocumentFormat.Html,
                _ => null,
            };
            if (byExtension is not null)
            {
                local = doc[..dot];
            }
        }
        if (string.IsNullOrEmpty(format))
        {
            return (local, byExtension ?? DocumentFormat.Html);
        }
        DocumentFormat? byQuery = format.ToLowerInvariant() switch
        {
            "html" => DocumentFormat.Html,
            "tei" or "xml" => DocumentFormat.Tei,
            "json" => DocumentFormat.Json,
            "text" or "txt" => DocumentFormat.Text,
            _ => null,
        };
        return (local, byQuery);
    }

    public static string Extension(DocumentFormat f) => f switch
    {
        DocumentFormat.Tei => "xml",
        DocumentFormat.Json => "json",
        DocumentFormat.Text => "txt",
        _ => "html",
    };

    private static (string Body, string ContentType) Export(DocumentView view, DocumentFormat format) => format switch
    {
        DocumentFormat.Tei => (TeiExporter.Write(view.Document), "application/tei+xml; charset=utf-8"),
        DocumentFormat.Json => (DocumentJson.Serialize(view.Document), "application/json; charset=utf-8"),
        _ => (TextExporter.Write(view.Document), "text/plain; charset=utf-8"),
    };

    /// <summary>
    /// The entity tag of a view in a format: a hash of what is sent, prefixed by the kind of reader
    /// (<c>p</c> public, <c>r</c> a named reader's released view, <c>o</c> an original), so views never share one.
    /// </summary>
    public static string ETag(DocumentView view, ReaderContext reader, DocumentFormat format, string body)
    {
        var kind = reader.IsPublic ? "p" : view.IsOriginal ? "o" : "r";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + Extension(format) + "\n" + body));
        return "\"" + kind + "-" + Convert.ToHexStringLower(hash)[..32] + "\"";
    }

    /// <summary>True when If-None-Match names <paramref name="etag"/> (weak comparison, as RFC 9110 asks for GET).</summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
        {
            foreach (var raw in (value ?? "").Split(','))
            {
                var tag = raw.Trim();
                if (tag == "*")
                {
                    return true;
                }
                if (tag.StartsWith("W/", StringComparison.Ordinal))
                {
                    tag = tag[2..];
                }
                if (tag == etag)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Caching of a document answer: anyone's cache for the public view, only the reader's own otherwise.</summary>
    public static void SetCaching(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = context.Reader().IsPublic ? "public, no-cache" : "private, no-cache";
    }

    public static IResult Download(HttpContext context, DocumentView view, DocumentFormat format)
    {
        var (body, contentType) = Export(view, format);
        var etag = ETag(view, context.Reader(), format, body);
        SetCaching(context, etag);
        if (Matches(context.Request, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var file = view.Document.Volume + "-" + view.Document.LocalId + "." + Extension(format);
        context.Response.Headers.ContentDisposition = "inline; filename=\"" + Html.DocumentRenderer.Slug(file) + "\"";
        return Results.Text(body, contentType, Encoding.UTF8);
    }
}
