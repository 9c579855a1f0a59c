using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Core.Files;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>One document as its reader may see it, laid out as FRUS prints it, with its notes, links and citations.</summary>
internal static class DocumentPage
{
    /// <summary>The page; <paramref name="links"/> are the document's links as the reader may see them, null when the archive keeps none.</summary>
    public static IResult Render(HttpContext context, DocumentView view, Volume? volume, string? previous, string? next, DocumentLinks? links)
    {
        var d = view.Document;
        var missing = MissingDocuments(links);
        var renderer = new DocumentRenderer(d, volume, missing);
        var url = AbsoluteUrl(context.Request, DocumentRenderer.DocumentUrl(d.Volume, d.LocalId));
        var label = d.Number is { Length: > 0 } n ? "Document " + n : d.LocalId;
        return Layout.Page(context, d.Title, h =>
        {
            ReaderPages.Breadcrumb(h, (volume?.Title ?? d.Volume, DocumentRenderer.VolumeUrl(d.Volume)), (label, null));
            h.Open("div", ("class", "doc-layout"));
            h.Open("article", ("class", "document"), ("aria-labelledby", "doc-title"));
            Header(h, context, view, renderer);
            h.Open("div", ("class", "doc-body"));
            renderer.Body(h, d.Body);
            h.Close("div");
            // the reader usually keeps the closer in the body as printed; the signature is shown once
            var closerInBody = d.Body.OfType<Paragraph>().Any(p => p.Style == "closer" && d.Signed is not null && p.Text.Contains(d.Signed, StringComparison.Ordinal));
            if (!string.IsNullOrWhiteSpace(d.Signed) && !closerInBody)
            {
                h.Element("p", d.Signed, ("class", "signed"));
            }
            renderer.Footnotes(h, d.Footnotes);
            PreviousNext(h, previous, next);
            h.Close("article");
            Aside(h, d, volume, url, links, missing);
            h.Close("div");
        });
    }

    private static void Header(HtmlBuilder h, HttpContext context, DocumentView view, DocumentRenderer renderer)
    {
        var d = view.Document;
        h.Open("header", ("class", "doc-header"));
        var fileLine = d.FileNumbers.Count > 0 ? string.Join("; ", d.FileNumbers) + ": " + d.Type : d.Type;
        h.Element("p", fileLine, ("class", "file-line"));
        if (d.Number is { Length: > 0 } number && !NumberedTitle.Carries(d))
        {
            h.Element("p", number + ".", ("class", "doc-number"));
        }
        h.Open("h1", ("id", "doc-title"));
        if (d.Head.Count > 0)
        {
            renderer.Inlines(h, d.Head);
        }
        else
        {
            h.Text(d.Title);
        }
        h.Close("h1");

        if (d.Place is not null || d.Date is not null)
        {
            h.Open("p", ("class", "dateline"));
            if (d.Place is not null)
            {
                h.Element("span", d.Place, ("class", "place"));
                if (d.Date is not null)
                {
                    h.Text(", ");
                }
            }
            if (d.Date is not null)
            {
                h.Element("time", PrintedDate(d.Date), ("datetime", MachineDate(d.Date)), ("class", "date"));
            }
            h.Close("p");
        }
        if (!string.IsNullOrWhiteSpace(d.Classification))
        {
            h.Element("p", d.Classification, ("class", "marking"));
        }
        foreach (var caption in d.Captions)
        {
            h.Element("p", caption, ("class", "caption"));
        }
        if (!string.IsNullOrWhiteSpace(d.Channel))
        {
            h.Element("p", d.Channel, ("class", "channel"));
        }
        ReleaseNotice(h, context, view);
        if (!string.IsNullOrWhiteSpace(d.SourceNote) && d.SourceNote.Trim() != fileLine)
        {
            h.Element("p", d.SourceNote, ("class", "source-note"));
        }
        h.Close("header");
    }

    /// <summary>
    /// The dateline's date as FRUS prints it and as the plain-text export gives it ("July 7, 1945—noon",
    /// "August 24, 1954—3:37 a.m. GMT"); a date the editors supplied or the file number implies is bracketed.
    /// </summary>
    internal static string PrintedDate(DocumentDate date)
    {
        var printed = TextExporter.FormatDate(date);
        return date.Source is DateSource.Editor or DateSource.FileNumber ? "[" + printed + "]" : printed;
    }

    /// <summary>The <c>datetime</c> of the dateline's <c>time</c>: its first moment, with its zone when known.</summary>
    internal static string MachineDate(DocumentDate date) =>
        date.From.Length == 16 && date.TimeZone is { Length: > 0 } zone ? date.From + (zone == "Z" ? "+00:00" : zone) : date.From;

    /// <summary>Says plainly what kind of text the reader has in front of them.</summary>
    private static void ReleaseNotice(HtmlBuilder h, HttpContext context, DocumentView view)
    {
        var reader = context.Reader();
        if (view.IsOriginal && view.Release == ReleaseState.ReleasedWithExcisions)
        {
            h.Element("p", "Released with excisions. You are reading the original: passages withheld from the public are marked.", ("class", "release-notice original"));
        }
        else if (view.IsOriginal && view.Release is ReleaseState.Withheld or ReleaseState.PendingReview)
        {
            var controls = view.Marking.Controls.Count == 0 ? "" : " · " + string.Join(", ", view.Marking.Controls);
            h.Element("p", $"Withheld from the public ({Markings.Printed(view.Marking.Level).ToUpperInvariant()}{controls}). You see it because you are cleared for it.",
                ("class", "release-notice original"));
        }
        else if (view.Release == ReleaseState.ReleasedWithExcisions && !reader.IsPublic)
        {
            h.Element("p", "Released with excisions; you are not cleared for the withheld passages.", ("class", "release-notice"));
        }
    }

    private static void PreviousNext(HtmlBuilder h, string? previous, string? next)
    {
        if (previous is null && next is null)
        {
            return;
        }
        h.Open("nav", ("class", "prev-next"), ("aria-label", "Previous and next documents")).Open("ul");
        if (previous is not null && DocumentIds.TrySplit(previous, out var pv, out var pl))
        {
            h.Open("li", ("class", "prev")).Link(DocumentRenderer.DocumentUrl(pv, pl), "← Previous document", ("rel", "prev")).Close("li");
        }
        if (next is not null && DocumentIds.TrySplit(next, out var nv, out var nl))
        {
            h.Open("li", ("class", "next")).Link(DocumentRenderer.DocumentUrl(nv, nl), "Next document →", ("rel", "next")).Close("li");
        }
        h.Close("ul").Close("nav");
    }

    /// <summary>The addresses of the documents this one cites that are not in the archive (their links would answer 404).</summary>
    private static HashSet<string> MissingDocuments(DocumentLinks? links) =>
        links is null ? [] : links.Cites.Where(l => l.Kind == ReferenceKind.Document && l.Status == LinkStatus.Unresolved)
            .Select(l => LinkPages.DocumentUrl(l.Target)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static void Aside(HtmlBuilder h, Document d, Volume? volume, string url, DocumentLinks? links, HashSet<string> missing)
    {
        h.Open("aside", ("class", "doc-aside"), ("aria-label", "About this document"));

        h.Open("section", ("aria-labelledby", "download-heading"));
        h.Element("h2", "Download", ("id", "download-heading"));
        h.Open("ul", ("class", "downloads"));
        var baseUrl = DocumentRenderer.DocumentUrl(d.Volume, d.LocalId);
        h.Open("li").Link(baseUrl + ".xml", "TEI XML", ("type", "application/tei+xml")).Close("li");
        h.Open("li").Link(baseUrl + ".json", "JSON", ("type", "application/json")).Close("li");
        h.Open("li").Link(baseUrl + ".txt", "Plain text", ("type", "text/plain")).Close("li");
        h.Close("ul").Close("section");

        Cite(h, Citations.For(d, volume, url));
        DecimalFile(h, d);
        if (links is not null)
        {
            Links(h, d, links);
        }
        References(h, d, links, missing);
        Persons(h, d, volume, links is not null);
        Terms(h, d, volume);
        h.Close("aside");
    }

    private static void Cite(HtmlBuilder h, Citations c)
    {
        h.Open("section", ("class", "cite"), ("aria-labelledby", "cite-heading"));
        h.Element("h2", "Cite this", ("id", "cite-heading"));
        StyledCitation(h, "Chicago", "cite-chicago", c.Chicago, open: true);
        StyledCitation(h, "MLA", "cite-mla", c.Mla, open: false);
        Preformatted(h, "BibTeX", "cite-bibtex", c.BibTex);
        Preformatted(h, "CSL-JSON", "cite-csl", c.CslJson);
        h.Close("section");
    }

    private static void StyledCitation(HtmlBuilder h, string name, string id, StyledCitation c, bool open)
    {
        h.Open("details", ("class", "citation"), ("open", open ? "" : null));
        h.Element("summary", name);
        h.Open("p", ("id", id), ("class", "citation-text")).Text(c.Before).Element("cite", c.Container).Text(c.After).Close("p");
        h.Element("button", "Copy", ("type", "button"), ("class", "copy"), ("data-copy", id), ("hidden", ""));
        h.Close("details");
    }

    private static void Preformatted(HtmlBuilder h, string name, string id, string text)
    {
        h.Open("details", ("class", "citation"));
        h.Element("summary", name);
        h.Open("pre", ("id", id), ("tabindex", "0")).Element("code", text).Close("pre");
        h.Element("button", "Copy", ("type", "button"), ("class", "copy"), ("data-copy", id), ("hidden", ""));
        h.Close("details");
    }

    private static void References(HtmlBuilder h, Document d, DocumentLinks? links, HashSet<string> missing)
    {
        if (d.References.Count == 0)
        {
            return;
        }
        h.Open("section", ("aria-labelledby", "refs-heading"));
        h.Element("h2", "References", ("id", "refs-heading"));
        h.Open("ul", ("class", "references"));
        foreach (var r in d.References)
        {
            h.Open("li");
            var href = r.Kind switch
            {
                ReferenceKind.Document or ReferenceKind.Volume or ReferenceKind.Page or ReferenceKind.External => DocumentRenderer.ResolveTarget(r.Target, d.Volume),
                ReferenceKind.Footnote => DocumentRenderer.ResolveTarget(r.Target, d.Volume) ?? "#" + DocumentRenderer.FootnoteId(r.Target),
                // a cited telegram the link graph found is linked to; otherwise a search for its number
                ReferenceKind.Telegram => ResolvedTelegram(links, r.Target)
                    ?? "/search?q=" + Uri.EscapeDataString("\"" + r.Target.Replace("\"", " ", StringComparison.Ordinal) + "\""),
                ReferenceKind.File => "/search?q=" + Uri.EscapeDataString(Archive.Search.QueryParser.Field("file", r.Target)),
                _ => null,
            };
            h.Text(KindLabel(r.Kind) + ": ");
            if (href is not null && missing.Contains(href))
            {
                h.Text(r.Text).Element("span", " (not in this archive)", ("class", "ref-missing"));
            }
            else if (href is null)
            {
                h.Text(r.Text);
            }
            else
            {
                h.Link(href, r.Text, ("class", "ref"), ("rel", r.Kind == ReferenceKind.External ? "noopener noreferrer" : null));
            }
            h.Element("span", " (" + r.Where + ")", ("class", "ref-where"));
            h.Close("li");
        }
        h.Close("ul").Close("section");
    }

    /// <summary>Each decimal file number with what it means, linked to the file's page.</summary>
    private static void DecimalFile(HtmlBuilder h, Document d)
    {
        if (d.FileNumbers.Count == 0)
        {
            return;
        }
        DateOnly? day = d.Date is { From.Length: >= 10 } date && DateOnly.TryParseExact(date.From[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : null;
        h.Open("section", ("aria-labelledby", "file-heading"));
        h.Element("h2", "Decimal file", ("id", "file-heading"));
        h.Open("ul", ("class", "file-numbers"));
        foreach (var text in d.FileNumbers.Distinct(StringComparer.Ordinal))
        {
            h.Open("li");
            if (FileNumber.TryParse(text, out var number))
            {
                h.Link(LinkPages.FileUrl(number.Subject), text, ("class", "file-number"), ("title", "Documents filed under " + number.Subject));
                h.Element("span", ": " + FileNumberDecoder.Decode(number, day).Summary, ("class", "desc file-meaning"));
            }
            else
            {
                h.Text(text);
            }
            h.Close("li");
        }
        h.Close("ul").Close("section");
    }

    /// <summary>
    /// The documents this one cites and those citing it, as the reader may see them, and its telegram thread. A cited
    /// document the reader may not see is only "document withheld"; references that reached no document stay in the
    /// references list below.
    /// </summary>
    private static void Links(HtmlBuilder h, Document d, DocumentLinks links)
    {
        var cites = links.Cites.Where(l => l.Document is not null)
            .DistinctBy(l => l.Document!.Withheld ? "withheld " + l.Target : l.Document.Id)
            .ToList();
        var citedBy = links.CitedBy.Where(l => l.Document is { Withheld: false }).DistinctBy(l => l.SourceId).ToList();
        var telegram = IsTelegram(d.Type, d.TelegramNumber);
        var thread = links.Cites.Concat(links.CitedBy).Any(l => l.Status == LinkStatus.Resolved && l.Document is { Withheld: false } other
            && (l.Kind == ReferenceKind.Telegram || (telegram && other.TelegramNumber is not null)));
        if (cites.Count == 0 && citedBy.Count == 0)
        {
            return;
        }
        h.Open("section", ("class", "links"), ("aria-labelledby", "links-heading"));
        h.Element("h2", "Links", ("id", "links-heading"));
        if (cites.Count > 0)
        {
            h.Element("h3", $"Cites ({cites.Count})", ("id", "cites-heading"));
            h.Open("ul", ("class", "cites"), ("aria-labelledby", "cites-heading"));
            foreach (var l in cites)
            {
                LinkedItem(h, l.Document!);
            }
            h.Close("ul");
        }
        if (citedBy.Count > 0)
        {
            h.Element("h3", $"Cited by ({citedBy.Count})", ("id", "cited-by-heading"));
            h.Open("ul", ("class", "cited-by"), ("aria-labelledby", "cited-by-heading"));
            foreach (var l in citedBy)
            {
                LinkedItem(h, l.Document!);
            }
            h.Close("ul");
        }
        if (thread)
        {
            h.Open("p", ("class", "thread-link")).Link(LinkPages.ThreadUrl(d.Volume, d.LocalId), "Telegram thread", ("rel", "related")).Close("p");
        }
        h.Close("section");
    }

    private static bool IsTelegram(string? type, string? telegramNumber) =>
        telegramNumber is not null || string.Equals(type, "Telegram", StringComparison.Ordinal);

    private static void LinkedItem(HtmlBuilder h, LinkedDocument linked)
    {
        h.Open("li");
        if (linked.Withheld || LinkPages.DocumentUrl(linked.Id) is not { } url)
        {
            h.Element("span", LinkedDocument.WithheldLabel, ("class", "withheld-link"));
        }
        else
        {
            h.Link(url, linked.Label);
            if (!string.IsNullOrEmpty(linked.Date))
            {
                h.Text(" ").Element("span", DateText.FormatIso(linked.Date), ("class", "toc-date"));
            }
            // telegrams between the same two posts on one day share title and date: the number tells them apart
            if (!string.IsNullOrEmpty(linked.TelegramNumber))
            {
                h.Text(" ").Element("span", "No. " + linked.TelegramNumber, ("class", "telegram-number"));
            }
        }
        h.Close("li");
    }

    private static string? ResolvedTelegram(DocumentLinks? links, string number) =>
        links?.Cites.FirstOrDefault(l => l.Kind == ReferenceKind.Telegram && l.Status == LinkStatus.Resolved
            && l.Target == number && l.Document is { Withheld: false }) is { } link ? LinkPages.DocumentUrl(link.Document!.Id) : null;

    private static string KindLabel(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Document => "Document",
        ReferenceKind.Telegram => "Telegram",
        ReferenceKind.File => "File",
        ReferenceKind.Page => "Page",
        ReferenceKind.Volume => "Volume",
        ReferenceKind.Footnote => "Footnote",
        _ => "Link",
    };

    private static void Persons(HtmlBuilder h, Document d, Volume? volume, bool personPages)
    {
        if (d.Persons.Count == 0)
        {
            return;
        }
        var entries = Glossary.Of(volume).Persons;
        h.Open("section", ("aria-labelledby", "persons-heading"));
        h.Element("h2", "Persons", ("id", "persons-heading"));
        h.Open("ul", ("class", "persons"));
        foreach (var p in d.Persons.DistinctBy(p => (p.Id, p.Name)))
        {
            h.Open("li");
            var id = p.Id?.TrimStart('#');
            if (id is not null && !id.Contains('#') && entries.TryGetValue(id, out var entry))
            {
                // the person's page across volumes when the archive keeps a person index, else the volume's list
                var href = personPages ? LinkPages.PersonUrl(DocumentIds.Make(d.Volume, id)) : DocumentRenderer.PersonsUrl(d.Volume, id);
                h.Link(href, entry.Name, ("class", "person"), ("title", entry.Description));
                if (!string.IsNullOrWhiteSpace(entry.Description))
                {
                    h.Element("span", ", " + entry.Description, ("class", "desc"));
                }
            }
            else
            {
                h.Text(p.Name);
            }
            h.Close("li");
        }
        h.Close("ul").Close("section");
    }

    private static void Terms(HtmlBuilder h, Document d, Volume? volume)
    {
        if (d.Terms.Count == 0)
        {
            return;
        }
        var entries = Glossary.Of(volume).Terms;
        h.Open("section", ("aria-labelledby", "terms-heading"));
        h.Element("h2", "Terms", ("id", "terms-heading"));
        h.Open("ul", ("class", "terms"));
        foreach (var t in d.Terms.Distinct(StringComparer.Ordinal))
        {
            var id = t.TrimStart('#');
            h.Open("li");
            if (entries.TryGetValue(id, out var entry))
            {
                h.Link(DocumentRenderer.TermsUrl(d.Volume, id), entry.Term, ("class", "term"), ("title", entry.Description));
                h.Element("span", ", " + entry.Description, ("class", "desc"));
            }
            else
            {
                h.Text(t);
            }
            h.Close("li");
        }
        h.Close("ul").Close("section");
    }

    /// <summary>The page's address as a citation gives it.</summary>
    public static string AbsoluteUrl(HttpRequest request, string path)
    {
        var host = request.Host.HasValue ? request.Host.Value : "localhost";
        return request.Scheme + "://" + host + path;
    }
}
