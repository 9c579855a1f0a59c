using System.Globalization;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>The reader: home (volumes), a volume's contents, its persons and terms, and documents.</summary>
internal static class ReaderPages
{
    /// <summary>The audit trail's name for reads through these pages.</summary>
    public const string Surface = "web";

    public static void Map(WebApplication app)
    {
        app.MapRead("/", Home).CachedForPublic();
        app.MapRead("/volumes", () => Results.Redirect("/"));
        app.MapRead("/volumes/{volume}", VolumePage).CachedForPublic();
        app.MapRead("/volumes/{volume}/persons", PersonsPage).CachedForPublic();
        app.MapRead("/volumes/{volume}/terms", TermsPage).CachedForPublic();
        app.MapRead("/volumes/{volume}/{doc}", ShowDocument).CachedForPublic();
        app.MapRead("/search", SearchPage.Handle).CachedForPublic();
    }

    private static IResult Home(HttpContext context, IArchive archive)
    {
        var reader = context.Reader().Reader;
        // a volume with nothing this reader may see is not listed (its page still answers, saying so)
        var volumes = archive.ListVolumes(reader).Where(v => v.DocumentCount > 0).ToList();
        return Layout.Page(context, "Volumes", h =>
        {
            h.Element("h1", "Foreign Relations of the United States and telegrams");
            h.Open("form", ("class", "home-search"), ("role", "search"), ("action", "/search"), ("method", "get"));
            h.Element("label", "Search every document", ("for", "home-q"));
            h.Open("div", ("class", "search-row"));
            h.Void("input", ("id", "home-q"), ("name", "q"), ("type", "search"), ("maxlength", "1000"), ("placeholder", "Dairen OR \"Port Arthur\" date:1945"));
            h.Element("button", "Search", ("type", "submit"));
            h.Close("div").Close("form");

            h.Element("h2", "Volumes", ("id", "volumes-heading"));
            if (volumes.Count == 0)
            {
                h.Element("p", "The archive holds no volumes yet. Ingest one with `chancery ingest FILE`.");
                return;
            }
            var total = volumes.Sum(v => v.DocumentCount);
            h.Element("p", $"{volumes.Count.ToString("N0", CultureInfo.InvariantCulture)} volumes, {total.ToString("N0", CultureInfo.InvariantCulture)} documents.", ("class", "summary"));
            h.Open("div", ("class", "table-scroll"));
            h.Open("table", ("class", "volumes"), ("aria-labelledby", "volumes-heading"));
            h.Open("thead").Open("tr");
            h.Element("th", "Volume", ("scope", "col"));
            h.Element("th", "Dates", ("scope", "col"));
            h.Element("th", "Documents", ("scope", "col"), ("class", "num"));
            h.Close("tr").Close("thead").Open("tbody");
            foreach (var v in volumes)
            {
                h.Open("tr", ("id", "volume-" + DocumentRenderer.Slug(v.Id)));
                h.Open("td").Link(DocumentRenderer.VolumeUrl(v.Id), v.Title).Open("span", ("class", "volume-id")).Text(v.Id).Close("span").Close("td");
                h.Element("td", DateText.Range(v.DateFrom, v.DateTo), ("class", "dates"));
                h.Element("td", v.DocumentCount.ToString("N0", CultureInfo.InvariantCulture), ("class", "num count"));
                h.Close("tr");
            }
            h.Close("tbody").Close("table").Close("div");
        });
    }

    private static IResult VolumePage(HttpContext context, IArchive archive, string volume)
    {
        var reader = context.Reader().Reader;
        var v = archive.GetVolume(volume, reader);
        if (v is null)
        {
            return VolumeNotFound(context, volume);
        }
        var summary = archive.ListVolumes(reader).FirstOrDefault(s => s.Id == v.Id);
        return Layout.Page(context, v.Title, h =>
        {
            Breadcrumb(h, (v.Title, null));
            h.Element("h1", v.Title);
            h.Open("dl", ("class", "volume-meta"));
            Meta(h, "Volume id", v.Id);
            Meta(h, "Series", v.Series);
            Meta(h, "Published", v.PublicationDate);
            if (v.Editors.Count > 0)
            {
                Meta(h, v.Editors.Count == 1 ? "Editor" : "Editors", string.Join("; ", v.Editors));
            }
            if (summary is not null)
            {
                Meta(h, "Documents", summary.DocumentCount.ToString("N0", CultureInfo.InvariantCulture));
                Meta(h, "Dates", DateText.Range(summary.DateFrom, summary.DateTo));
            }
            h.Close("dl");
            h.Open("p", ("class", "volume-links"));
            if (v.Persons.Count > 0)
            {
                h.Link(DocumentRenderer.PersonsUrl(v.Id, null), $"Persons ({v.Persons.Count.ToString(CultureInfo.InvariantCulture)})").Text(" · ");
            }
            if (v.Terms.Count > 0)
            {
                h.Link(DocumentRenderer.TermsUrl(v.Id, null), $"Abbreviations and terms ({v.Terms.Count.ToString(CultureInfo.InvariantCulture)})").Text(" · ");
            }
            h.Link("/search?q=" + Uri.EscapeDataString(Archive.Search.QueryParser.Field("volume", v.Id)), "Search this volume");
            h.Close("p");

            h.Element("h2", "Contents", ("id", "contents-heading"));
            if (!v.Contents.Any(e => e.DocumentId is not null))
            {
                h.Element("p", "No documents of this volume are available to you.");
            }
            h.Open("nav", ("aria-labelledby", "contents-heading"), ("class", "toc"));
            Contents(h, v);
            h.Close("nav");
        });
    }

    private static void Meta(HtmlBuilder h, string term, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            h.Element("dt", term).Element("dd", value);
        }
    }

    /// <summary>The contents as nested lists, one level per depth: compilations hold chapters hold documents.</summary>
    private static void Contents(HtmlBuilder h, Volume v)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var depth = -1;
        foreach (var e in v.Contents)
        {
            var d = Math.Min(Math.Max(0, e.Depth), depth + 1);
            if (d == depth + 1)
            {
                h.Open("ol", ("class", d == 0 ? "toc-list" : "toc-sublist"));
                depth = d;
            }
            else
            {
                h.Close("li");
                while (depth > d)
                {
                    h.Close("ol").Close("li");
                    depth--;
                }
            }
            var anchor = DocumentRenderer.Slug(e.LocalId);
            h.Open("li", ("class", "toc-" + DocumentRenderer.Slug(e.Kind.ToLowerInvariant())), ("id", ids.Add(anchor) ? anchor : null));
            if (e.DocumentId is not null && DocumentIds.TrySplit(e.DocumentId, out var vol, out var local))
            {
                h.Open("a", ("href", DocumentRenderer.DocumentUrl(vol, local)));
                if (!string.IsNullOrEmpty(e.Number))
                {
                    h.Element("span", e.Number + ".", ("class", "toc-number"));
                    h.Text(" ");
                }
                // the number is printed just before: a title that begins with it (later volumes) does not repeat it
                h.Text(string.IsNullOrEmpty(e.Number) ? e.Title : NumberedTitle.Bare(e.Title, e.Number)).Close("a");
                if (!string.IsNullOrEmpty(e.Date))
                {
                    h.Text(" ").Element("span", DateText.FormatIso(e.Date), ("class", "toc-date"));
                }
            }
            else
            {
                h.Element("span", e.Title, ("class", "toc-heading"));
            }
        }
        if (depth >= 0)
        {
            h.Close("li");
            while (depth > 0)
            {
                h.Close("ol").Close("li");
                depth--;
            }
            h.Close("ol");
        }
    }

    private static IResult PersonsPage(HttpContext context, IArchive archive, string volume)
    {
        var v = archive.GetVolume(volume, context.Reader().Reader);
        if (v is null)
        {
            return VolumeNotFound(context, volume);
        }
        return Layout.Page(context, "Persons · " + v.Title, h =>
        {
            Breadcrumb(h, (v.Title, DocumentRenderer.VolumeUrl(v.Id)), ("Persons", null));
            h.Element("h1", "Persons");
            h.Open("p").Text("Persons named in ").Link(DocumentRenderer.VolumeUrl(v.Id), v.Title).Text(".").Close("p");
            if (v.Persons.Count == 0)
            {
                h.Element("p", "This volume has no list of persons.");
                return;
            }
            h.Open("dl", ("class", "glossary"));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in v.Persons)
            {
                var id = DocumentRenderer.Slug(p.Id);
                h.Element("dt", p.Name, ("id", ids.Add(id) ? id : null));
                h.Element("dd", p.Description);
            }
            h.Close("dl");
        });
    }

    private static IResult TermsPage(HttpContext context, IArchive archive, string volume)
    {
        var v = archive.GetVolume(volume, context.Reader().Reader);
        if (v is null)
        {
            return VolumeNotFound(context, volume);
        }
        return Layout.Page(context, "Abbreviations and terms · " + v.Title, h =>
        {
            Breadcrumb(h, (v.Title, DocumentRenderer.VolumeUrl(v.Id)), ("Abbreviations and terms", null));
            h.Element("h1", "Abbreviations and terms");
            h.Open("p").Text("Abbreviations and code words used in ").Link(DocumentRenderer.VolumeUrl(v.Id), v.Title).Text(".").Close("p");
            if (v.Terms.Count == 0)
            {
                h.Element("p", "This volume has no list of terms.");
                return;
            }
            h.Open("dl", ("class", "glossary"));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in v.Terms)
            {
                var id = DocumentRenderer.Slug(t.Id);
                h.Element("dt", t.Term, ("id", ids.Add(id) ? id : null));
                h.Element("dd", t.Description);
            }
            h.Close("dl");
        });
    }

    /// <summary>A breadcrumb trail after "Volumes"; the last crumb (null link) is the current page.</summary>
    public static void Breadcrumb(HtmlBuilder h, params (string Text, string? Href)[] crumbs)
    {
        h.Open("nav", ("aria-label", "Breadcrumb"), ("class", "breadcrumb")).Open("ol");
        h.Open("li").Link("/", "Volumes").Close("li");
        foreach (var (text, href) in crumbs)
        {
            if (href is null)
            {
                h.Element("li", text, ("aria-current", "page"));
            }
            else
            {
                h.Open("li").Link(href, text).Close("li");
            }
        }
        h.Close("ol").Close("nav");
    }

    private static IResult VolumeNotFound(HttpContext context, string volume) =>
        Layout.Page(context, "Volume not found", h =>
        {
            h.Element("h1", "Volume not found");
            h.Open("p").Text("There is no volume ").Element("code", volume).Text(" in this archive.").Close("p");
            h.Open("p").Link("/", "See the list of volumes").Text(" or ").Link("/search", "search the archive").Text(".").Close("p");
        }, StatusCodes.Status404NotFound);

    private static IResult ShowDocument(HttpContext context, IArchive archive, string volume, string doc)
    {
        var (local, format) = DocumentFormats.Parse(doc, context.Request.Query["format"].ToString());
        if (format is null)
        {
            return Layout.Page(context, "Unknown format", h =>
            {
                h.Element("h1", "Unknown format");
                h.Open("p").Text("A document is available as ").Element("code", "html").Text(", ").Element("code", "tei").Text(" (.xml), ")
                    .Element("code", "json").Text(" (.json) or ").Element("code", "text").Text(" (.txt).").Close("p");
            }, StatusCodes.Status400BadRequest);
        }
        var reader = context.Reader();
        var id = DocumentIds.Make(volume, local);
        var view = archive.GetDocument(id, reader.Reader, Surface);
        if (view is null)
        {
            return DocumentNotFound(context, volume, local);
        }
        if (format != DocumentFormat.Html)
        {
            return DocumentFormats.Download(context, view, format.Value);
        }
        // title, editors, persons and terms: the same for every reader, so read through the catalog
        var v = context.RequestServices.GetRequiredService<VolumeCatalog>().Header(view.Document.Volume);
        var (previous, next) = archive.GetNeighbours(view.Document.Id, reader.Reader);
        var links = (archive as ILinkArchive)?.LinksOf(view.Document.Id, reader.Reader);
        return DocumentPage.Render(context, view, v, previous, next, links);
    }

    /// <summary>
    /// The answer for a document that is missing or that this reader may not see: the two are the same page,
    /// word for word, apart from the id asked for.
    /// </summary>
    public static IResult DocumentNotFound(HttpContext context, string volume, string local) =>
        Layout.Page(context, "Document not found", h =>
        {
            h.Element("h1", "Document not found");
            h.Open("p").Text("There is no document ").Element("code", volume + "/" + local).Text(" that you can read here.").Close("p");
            h.Element("p", "The address may be mistyped, or the document may not be available to you.");
            h.Open("ul");
            h.Open("li").Link(DocumentRenderer.VolumeUrl(volume), "Open the contents of volume " + volume).Close("li");
            h.Open("li").Link("/search", "Search the archive").Close("li");
            h.Open("li").Link("/", "See the list of volumes").Close("li");
            if (context.Reader().Via is null)
            {
                h.Open("li").Link(Layout.SignInUrl(context), "Sign in").Text(" if you are a named reader cleared for documents withheld from the public").Close("li");
            }
            h.Close("ul");
        }, StatusCodes.Status404NotFound);
}
