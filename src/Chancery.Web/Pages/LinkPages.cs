using System.Globalization;
using Chancery.Archive;
using Chancery.Core.Documents;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>
/// Pages over the link graph: a person across volumes, a decimal file, and a telegram thread. They need an archive
/// that keeps links (<see cref="ILinkArchive"/>); on one that does not they answer 404 and say so.
/// </summary>
internal static class LinkPages
{
    /// <summary>Longest person name or id looked up.</summary>
    public const int MaxPersonLength = 200;

    public static void Map(WebApplication app)
    {
        app.MapRead("/persons/{id}", PersonPage).CachedForPublic();
        app.MapRead("/files/{**number}", FilePage).CachedForPublic();
        app.MapRead("/volumes/{volume}/{doc}/thread", ThreadPage).CachedForPublic();
    }

    /// <summary>A person's page: an index id, a persons-list id (<c>volume#p_X</c>) or a name.</summary>
    public static string PersonUrl(string nameOrId) => "/persons/" + Uri.EscapeDataString(nameOrId);

    /// <summary>The page of a decimal file (<c>761.93</c>, <c>740.0011 EW/8-2045</c>); the slash stays readable.</summary>
    public static string FileUrl(string prefix) => "/files/" + Uri.EscapeDataString(prefix).Replace("%2F", "/", StringComparison.Ordinal);

    /// <summary>The thread page of a document.</summary>
    public static string ThreadUrl(string volume, string localId) => DocumentRenderer.DocumentUrl(volume, localId) + "/thread";

    /// <summary>The page address of a document id (<c>volume#d12</c>), or null when the id is not one.</summary>
    public static string? DocumentUrl(string? id) =>
        id is not null && DocumentIds.TrySplit(id, out var volume, out var local) ? DocumentRenderer.DocumentUrl(volume, local) : null;

    /// <summary>The answer on an archive without links: a 404 that says why, not a bare "not found".</summary>
    public static IResult Unavailable(HttpContext context) =>
        Layout.Page(context, "Links are not available", h =>
        {
            h.Element("h1", "Links are not available");
            h.Element("p", "This archive's backend does not keep links between documents, so person, decimal file and thread pages cannot be shown here. Documents, volumes and search work as usual.");
            h.Open("p").Link("/", "Go to the list of volumes").Text(" or ").Link("/search", "search the archive").Text(".").Close("p");
        }, StatusCodes.Status404NotFound);

    private static IResult PersonPage(HttpContext context, IArchive archive, string id)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        // no name runs to hundreds of characters: a longer one is not looked up
        var person = id.Length <= MaxPersonLength ? links.GetPerson(id, context.Reader().Reader) : null;
        if (person is null)
        {
            return Layout.Page(context, "Person not found", h =>
            {
                h.Element("h1", "Person not found");
                h.Open("p").Text("No person ").Element("code", id).Text(" is known to this archive.").Close("p");
                h.Open("p").Text("A person is found by the name in either order (").Element("code", "Harriman, W. Averell").Text(", ")
                    .Element("code", "W. Averell Harriman").Text(") or by surname alone. ")
                    .Link("/search?q=" + Uri.EscapeDataString(Archive.Search.QueryParser.Field("person", id)), "Search documents naming " + id).Text(".").Close("p");
            }, StatusCodes.Status404NotFound);
        }
        return Layout.Page(context, person.Name, h =>
        {
            ReaderPages.Breadcrumb(h, (person.Name, null));
            h.Element("h1", person.Name);
            var others = person.Names.Where(n => !n.Equals(person.Name, StringComparison.Ordinal)).ToList();
            if (others.Count > 0)
            {
                h.Open("p", ("class", "also-named")).Text("Also named: ").Text(string.Join("; ", others)).Close("p");
            }
            if (person.Listings.Count > 0)
            {
                h.Element("h2", "In the volumes' lists of persons", ("id", "listings-heading"));
                h.Open("dl", ("class", "glossary listings"), ("aria-labelledby", "listings-heading"));
                foreach (var l in person.Listings)
                {
                    h.Open("dt").Link(DocumentRenderer.PersonsUrl(l.Volume, l.PersonId), l.Name).Text(" ").Element("span", "(" + l.Volume + ")", ("class", "volume-id")).Close("dt");
                    h.Element("dd", l.Description);
                }
                h.Close("dl");
            }
            if (person.Posts.Count > 0)
            {
                h.Element("h2", "Posts", ("id", "posts-heading"));
                h.Open("ul", ("class", "posts"), ("aria-labelledby", "posts-heading"));
                foreach (var p in person.Posts)
                {
                    h.Open("li").Text(p.Title);
                    if (!string.IsNullOrWhiteSpace(p.Where))
                    {
                        h.Text(", " + p.Where);
                    }
                    h.Text(" ").Element("span", "(" + p.Years + ")", ("class", "years")).Close("li");
                }
                h.Close("ul");
            }
            PersonDocuments(h, "Sent", "sent", person.Sent);
            PersonDocuments(h, "Received", "received", person.Received);
            PersonDocuments(h, "Mentioned in", "mentioned", person.Mentioned);
            if (person.Sent.Count + person.Received.Count + person.Mentioned.Count == 0)
            {
                h.Element("p", "No documents available to you name this person.");
            }
            if (person.Evidence.Count > 0)
            {
                h.Open("details", ("class", "evidence"));
                h.Element("summary", "How the index identified this person");
                h.Open("ul");
                foreach (var e in person.Evidence)
                {
                    h.Element("li", e);
                }
                h.Close("ul").Close("details");
            }
        });
    }

    private static void PersonDocuments(HtmlBuilder h, string heading, string id, IReadOnlyList<PersonDocument> documents)
    {
        if (documents.Count == 0)
        {
            return;
        }
        h.Element("h2", $"{heading} ({documents.Count.ToString("N0", CultureInfo.InvariantCulture)})", ("id", id + "-heading"));
        h.Open("ol", ("class", "linked-documents " + id), ("aria-labelledby", id + "-heading"));
        foreach (var d in documents)
        {
            h.Open("li");
            DocumentLink(h, d.Id, d.Title, d.Date);
            h.Close("li");
        }
        h.Close("ol");
    }

    private static void DocumentLink(HtmlBuilder h, string id, string title, string? date)
    {
        var url = DocumentUrl(id);
        if (url is null)
        {
            h.Text(title);
        }
        else
        {
            h.Link(url, title);
        }
        if (!string.IsNullOrEmpty(date))
        {
            h.Text(" ").Element("span", DateText.FormatIso(date), ("class", "toc-date"));
        }
    }

    private static IResult FilePage(HttpContext context, IArchive archive, string? number)
    {
        var prefix = (number ?? "").Trim();
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        if (prefix.Length is 0 or > 200)
        {
            return Layout.Page(context, "No file number", h =>
            {
                h.Element("h1", "No file number");
                h.Open("p").Text("Give a decimal file number or the start of one after ").Element("code", "/files/").Text(", for example ")
                    .Link(FileUrl("761.93"), "761.93").Text(" or ").Link(FileUrl("740.0011 EW"), "740.0011 EW").Text(".").Close("p");
            }, StatusCodes.Status400BadRequest);
        }
        var documents = links.DocumentsInFile(prefix, context.Reader().Reader);
        var meaning = Core.Files.FileNumber.TryParse(prefix, out var parsed) ? Core.Files.FileNumberDecoder.Decode(parsed).Summary : null;
        return Layout.Page(context, "File " + prefix, h =>
        {
            ReaderPages.Breadcrumb(h, ("Decimal file " + prefix, null));
            h.Element("h1", "Decimal file " + prefix);
            if (meaning is not null)
            {
                h.Element("p", meaning, ("class", "file-meaning"));
            }
            h.Open("p", ("class", "summary"))
                .Text(documents.Count == 1 ? "1 document" : documents.Count.ToString("N0", CultureInfo.InvariantCulture) + " documents")
                .Text(" filed under numbers starting ").Element("code", prefix).Text(", by date.").Close("p");
            if (documents.Count == 0)
            {
                h.Element("p", "No documents available to you are filed under this number.");
                return;
            }
            h.Open("ol", ("class", "linked-documents filed"));
            foreach (var d in documents)
            {
                h.Open("li");
                DocumentLink(h, d.Id, d.Title, d.Date);
                Parties(h, d.From, d.To);
                h.Open("ul", ("class", "file-numbers"));
                foreach (var n in d.Numbers)
                {
                    h.Open("li").Element("code", n.Text).Text(": ").Element("span", n.Meaning, ("class", "desc")).Close("li");
                }
                h.Close("ul");
                h.Close("li");
            }
            h.Close("ol");
        });
    }

    private static void Parties(HtmlBuilder h, string? from, string? to)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            return;
        }
        h.Text(" ").Element("span", (from ?? "?") + " → " + (to ?? "?"), ("class", "parties"));
    }

    private static IResult ThreadPage(HttpContext context, IArchive archive, string volume, string doc)
    {
        if (archive is not ILinkArchive links)
        {
            return Unavailable(context);
        }
        var id = DocumentIds.Make(volume, doc);
        var thread = links.GetThread(id, context.Reader().Reader);
        if (thread.Count == 0)
        {
            // missing and hidden alike, as for the document itself
            return ReaderPages.DocumentNotFound(context, volume, doc);
        }
        var self = thread.FirstOrDefault(t => t.Id == id);
        var label = self?.Title ?? doc;
        var volumeTitle = context.RequestServices.GetRequiredService<VolumeCatalog>().Header(volume)?.Title ?? volume;
        return Layout.Page(context, "Thread · " + label, h =>
        {
            ReaderPages.Breadcrumb(h, (volumeTitle, DocumentRenderer.VolumeUrl(volume)), (label, DocumentRenderer.DocumentUrl(volume, doc)), ("Thread", null));
            h.Element("h1", "Telegram thread");
            h.Open("p", ("class", "summary")).Text(thread.Count == 1 ? "1 telegram" : thread.Count.ToString("N0", CultureInfo.InvariantCulture) + " telegrams")
                .Text(" citing each other, by date. The thread of ").Link(DocumentRenderer.DocumentUrl(volume, doc), label).Text(".").Close("p");
            h.Open("ol", ("class", "thread"));
            foreach (var t in thread)
            {
                h.Open("li", ("class", t.Id == id ? "current" : null), ("aria-current", t.Id == id ? "page" : null));
                DocumentLink(h, t.Id, t.Title, t.Date);
                Parties(h, t.From, t.To);
                if (!string.IsNullOrEmpty(t.TelegramNumber))
                {
                    h.Text(" ").Element("span", "No. " + t.TelegramNumber, ("class", "telegram-number"));
                }
                if (t.FirstLine.Length > 0)
                {
                    h.Element("p", t.FirstLine, ("class", "first-line"));
                }
                h.Close("li");
            }
            h.Close("ol");
        });
    }
}
