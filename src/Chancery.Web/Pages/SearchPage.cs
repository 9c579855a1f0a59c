using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>
/// The search page: the query box takes the whole query language; facets with counts narrow the query; date
/// fields add <c>date:FROM..TO</c>; the URL holds the whole state. A query that cannot be read is shown back
/// with its problem and position, on an ordinary page.
/// </summary>
internal static class SearchPage
{
    private static readonly Dictionary<string, string> FacetLabels = new(StringComparer.Ordinal)
    {
        [SearchFacets.Volume] = "Volume",
        [SearchFacets.Decade] = "Decade",
        [SearchFacets.Year] = "Year",
        [SearchFacets.Type] = "Type",
        [SearchFacets.Classification] = "Classification",
        [SearchFacets.From] = "From",
        [SearchFacets.To] = "To",
        [SearchFacets.Person] = "Person",
        [SearchFacets.File] = "Decimal file",
    };

    public static IResult Handle(HttpContext context, IArchive archive, WebSettings settings)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("from") || query.ContainsKey("to"))
        {
            // the date fields become part of the query itself, so the address keeps one source of truth
            var combined = WithDateRange(query["q"].ToString(), query["from"].ToString(), query["to"].ToString());
            var sort = SearchParameters.ParseSort(query["sort"].ToString()) ?? SearchSort.Relevance;
            return Results.Redirect(SearchParameters.PageUrl(combined, sort));
        }

        var (p, problem) = SearchParameters.Read(query, settings.SearchPageSize, defaultFacets: true);
        if (problem is not null)
        {
            var echo = query["q"].ToString();
            return Layout.Page(context, "Search", h =>
            {
                h.Element("h1", "Search");
                Form(h, echo.Length > SearchParameters.MaxQueryLength ? "" : echo, SearchSort.Relevance);
                h.Open("div", ("class", "query-error"), ("role", "alert"));
                h.Element("h2", "The search cannot be run");
                h.Element("p", problem.Message);
                h.Close("div");
                QueryHelp(h, open: false);
            }, StatusCodes.Status400BadRequest, headerSearch: false);
        }

        var parameters = p!;
        var reader = context.Reader().Reader;
        if (parameters.Query.Length == 0)
        {
            return Layout.Page(context, "Search", h =>
            {
                h.Element("h1", "Search");
                Form(h, "", parameters.Sort);
                QueryHelp(h, open: true);
            }, headerSearch: false);
        }

        SearchResults? results = null;
        QueryException? error = null;
        try
        {
            results = archive.Search(parameters.ToRequest(), reader, ReaderPages.Surface);
            if (!results.Complete)
            {
                // the index was still catching up with an ingest: answer, but never keep this page (PageCache)
                context.Response.Headers.CacheControl = "no-store";
            }
        }
        catch (QueryException e)
        {
            error = e;
        }
        // titles of the volumes the hits and facets name; titles are public, whatever the reader may see
        IReadOnlyDictionary<string, string> volumeTitles = results is null ? new Dictionary<string, string>() : context.RequestServices.GetRequiredService<VolumeCatalog>()
            .Titles(results.Hits.Select(h => h.Volume).Concat(results.Facets.TryGetValue(SearchFacets.Volume, out var vf) ? vf.Select(f => f.Value) : []));

        return Layout.Page(context, parameters.Query + " · Search", h =>
        {
            h.Element("h1", "Search");
            Form(h, parameters.Query, parameters.Sort);
            if (error is not null)
            {
                QueryError(h, parameters.Query, error);
                QueryHelp(h, open: true);
                return;
            }
            h.Open("div", ("class", "search-layout"));
            // a page size the address chose is kept by every link that moves within these results
            int? pageSize = parameters.PageSize == settings.SearchPageSize ? null : parameters.PageSize;
            RenderResults(h, parameters, results!, volumeTitles, pageSize);
            if (parameters.Facets)
            {
                Facets(h, parameters, results!, volumeTitles, pageSize);
            }
            h.Close("div");
            QueryHelp(h, open: false);
        }, headerSearch: false);
    }

    /// <summary>Adds <c>date:FROM..TO</c> to a query (either end may be open); blank fields add nothing.</summary>
    public static string WithDateRange(string query, string? from, string? to)
    {
        static string Clean(string? s) => new((s ?? "").Where(c => !char.IsWhiteSpace(c) && c != '"').ToArray());
        var f = Clean(from);
        var t = Clean(to);
        if (f.Length == 0 && t.Length == 0)
        {
            return query.Trim();
        }
        var filter = f == t ? "date:" + f : "date:" + f + ".." + t;
        return string.IsNullOrWhiteSpace(query) ? filter : "(" + query.Trim() + ") " + filter;
    }

    private static void Form(HtmlBuilder h, string query, SearchSort sort)
    {
        h.Open("form", ("class", "search-form"), ("role", "search"), ("action", "/search"), ("method", "get"));
        h.Open("div", ("class", "field field-query"));
        h.Element("label", "Query", ("for", "q"));
        h.Open("div", ("class", "search-row"));
        h.Void("input", ("id", "q"), ("name", "q"), ("type", "search"), ("value", query), ("maxlength", "1000"),
            ("aria-describedby", "query-help-summary"), ("autocomplete", "off"));
        h.Element("button", "Search", ("type", "submit"));
        h.Close("div").Close("div");
        h.Open("fieldset", ("class", "field-dates"));
        h.Element("legend", "Date range (adds date:FROM..TO)");
        h.Element("label", "From", ("for", "from"));
        h.Void("input", ("id", "from"), ("name", "from"), ("type", "text"), ("inputmode", "numeric"), ("placeholder", "1945-07"), ("size", "10"), ("maxlength", "16"));
        h.Element("label", "To", ("for", "to"));
        h.Void("input", ("id", "to"), ("name", "to"), ("type", "text"), ("inputmode", "numeric"), ("placeholder", "1945-08-15"), ("size", "10"), ("maxlength", "16"));
        h.Close("fieldset");
        h.Open("div", ("class", "field field-sort"));
        h.Element("label", "Sort by", ("for", "sort"));
        h.Open("select", ("id", "sort"), ("name", "sort"));
        foreach (var (value, text) in new[] { (SearchSort.Relevance, "Relevance"), (SearchSort.DateAscending, "Date, oldest first"), (SearchSort.DateDescending, "Date, newest first") })
        {
            h.Element("option", text, ("value", SearchParameters.SortName(value)), ("selected", value == sort ? "" : null));
        }
        h.Close("select").Close("div");
        h.Close("form");
    }

    private static void QueryError(HtmlBuilder h, string query, QueryException e)
    {
        var at = Math.Clamp(e.Position, 0, query.Length);
        h.Open("div", ("class", "query-error"), ("role", "alert"));
        h.Element("h2", "The query cannot be read");
        var message = e.Message.Length == 0 ? "The query is not valid" : char.ToUpperInvariant(e.Message[0]) + e.Message[1..];
        h.Element("p", message.EndsWith('.') ? message : message + ".", ("class", "query-error-message"));
        h.Open("p").Text("At character " + (at + 1).ToString(CultureInfo.InvariantCulture) + ": ");
        h.Open("code", ("class", "query-echo"));
        h.Text(query[..at]);
        h.Element("mark", at < query.Length ? query[at].ToString() : " ", ("class", "query-at"));
        if (at + 1 < query.Length)
        {
            h.Text(query[(at + 1)..]);
        }
        h.Close("code").Close("p");
        h.Close("div");
    }

    private static void QueryHelp(HtmlBuilder h, bool open)
    {
        h.Open("details", ("class", "query-help"), ("id", "query-help"), ("open", open ? "" : null));
        h.Element("summary", "How to write a query", ("id", "query-help-summary"));
        h.Open("ul");
        Help(h, "Dairen Soviet", "documents with both words");
        Help(h, "\"Port Arthur\"", "an exact phrase; railroad* matches words starting so");
        Help(h, "Dairen OR \"Port Arthur\"", "either; NOT x or -x leaves x out; parentheses group");
        Help(h, "from:Harriman to:\"Secretary of State\"", "sender and recipient; also title:, place:, person:, file:761.93");
        Help(h, "volume:frus1945Berlinv01 type:Telegram classification:\"top secret\"", "whole values");
        Help(h, "date:1945-07..1945-08", "documents whose dates overlap the range; date:1945, date:1940s, date:none");
        h.Close("ul").Close("details");
    }

    private static void Help(HtmlBuilder h, string example, string meaning) =>
        h.Open("li").Element("code", example).Text(" — " + meaning).Close("li");

    private static void RenderResults(HtmlBuilder h, SearchParameters p, SearchResults r, IReadOnlyDictionary<string, string> volumeTitles, int? pageSize)
    {
        h.Open("section", ("class", "results"), ("aria-labelledby", "results-heading"));
        var total = r.Total.ToString("N0", CultureInfo.InvariantCulture);
        h.Element("h2", r.Total == 1 ? "1 document" : total + " documents", ("id", "results-heading"));
        if (r.Undated > 0)
        {
            h.Element("p", $"{r.Undated.ToString("N0", CultureInfo.InvariantCulture)} undated documents are not counted by the date filter; add date:none to see them.", ("class", "note"));
        }
        if (r.Hits.Count == 0)
        {
            if (r.Total == 0)
            {
                h.Element("p", "No document matches this query.");
            }
            else
            {
                var last = LastPage(p, r.Total);
                h.Open("p", ("class", "past-last-page")).Text($"Page {p.Page.ToString(CultureInfo.InvariantCulture)} is past the last page of these results. ")
                    .Link(SearchParameters.PageUrl(p.Query, p.Sort, last, pageSize: pageSize), $"Go to page {last.ToString(CultureInfo.InvariantCulture)}, the last").Text(".").Close("p");
            }
            h.Close("section");
            return;
        }
        var first = (p.Page - 1) * p.PageSize + 1;
        h.Open("ol", ("class", "hits"), ("start", first.ToString(CultureInfo.InvariantCulture)));
        foreach (var hit in r.Hits)
        {
            h.Open("li", ("class", "hit"));
            var href = DocumentIds.TrySplit(hit.Id, out var v, out var local) ? DocumentRenderer.DocumentUrl(v, local) : "/";
            h.Open("h3").Link(href, hit.Title).Close("h3");
            h.Open("p", ("class", "hit-meta"));
            var parts = new List<string> { volumeTitles.TryGetValue(hit.Volume, out var title) ? title : hit.Volume };
            if (!string.IsNullOrEmpty(hit.Number))
            {
                parts.Add("No. " + hit.Number);
            }
            parts.Add(hit.Type);
            if (!string.IsNullOrEmpty(hit.Date))
            {
                parts.Add(DateText.FormatIso(hit.Date));
            }
            h.Text(string.Join(" · ", parts));
            if (hit.InFootnote)
            {
                h.Text(" · ").Element("span", "match in a footnote", ("class", "in-footnote"));
            }
            h.Close("p");
            h.Open("p", ("class", "snippet"));
            Snippet(h, hit.Snippet);
            h.Close("p");
            h.Close("li");
        }
        h.Close("ol");
        Pager(h, p, r.Total, pageSize);
        h.Close("section");
    }

    /// <summary>A snippet with its «…» match markers turned into highlighting; every piece of text encoded.</summary>
    public static void Snippet(HtmlBuilder h, string snippet)
    {
        var inMatch = false;
        var start = 0;
        for (var i = 0; i <= snippet.Length; i++)
        {
            var c = i < snippet.Length ? snippet[i] : '\0';
            if (i < snippet.Length && c != '«' && c != '»')
            {
                continue;
            }
            var piece = snippet[start..i];
            if (inMatch)
            {
                h.Element("mark", piece);
            }
            else
            {
                h.Text(piece);
            }
            if (c == '«')
            {
                inMatch = true;
            }
            else if (c == '»')
            {
                inMatch = false;
            }
            start = i + 1;
        }
    }

    private static void Pager(HtmlBuilder h, SearchParameters p, int total, int? pageSize)
    {
        var pages = LastPage(p, total);
        if (pages <= 1)
        {
            return;
        }
        // every link stays within these results: same query, order and page size
        string Url(int page) => SearchParameters.PageUrl(p.Query, p.Sort, page, pageSize: pageSize);
        h.Open("nav", ("class", "pager"), ("aria-label", "Result pages")).Open("ul");
        if (p.Page > 1)
        {
            h.Open("li").Link(Url(p.Page - 1), "← Previous", ("rel", "prev")).Close("li");
        }
        foreach (var n in PageNumbers(p.Page, pages))
        {
            if (n == 0)
            {
                h.Element("li", "…", ("class", "gap"));
            }
            else if (n == p.Page)
            {
                h.Open("li").Element("a", n.ToString(CultureInfo.InvariantCulture), ("href", Url(n)), ("aria-current", "page")).Close("li");
            }
            else
            {
                h.Open("li").Link(Url(n), n.ToString(CultureInfo.InvariantCulture), ("aria-label", "Page " + n.ToString(CultureInfo.InvariantCulture))).Close("li");
            }
        }
        if (p.Page < pages)
        {
            h.Open("li").Link(Url(p.Page + 1), "Next →", ("rel", "next")).Close("li");
        }
        h.Close("ul").Close("nav");
    }

    /// <summary>The last page a reader can reach (the result window caps it).</summary>
    private static int LastPage(SearchParameters p, int total) =>
        (Math.Min(total, SearchParameters.ResultWindow) + p.PageSize - 1) / p.PageSize;

    /// <summary>First, last, and two either side of the current page; 0 marks a gap.</summary>
    private static IEnumerable<int> PageNumbers(int current, int pages)
    {
        var shown = new SortedSet<int> { 1, pages };
        for (var i = current - 2; i <= current + 2; i++)
        {
            if (i >= 1 && i <= pages)
            {
                shown.Add(i);
            }
        }
        var last = 0;
        foreach (var n in shown)
        {
            if (n > last + 1)
            {
                yield return 0;
            }
            yield return n;
            last = n;
        }
    }

    private static void Facets(HtmlBuilder h, SearchParameters p, SearchResults r, IReadOnlyDictionary<string, string> volumeTitles, int? pageSize)
    {
        var facets = r.Facets.Where(f => f.Value.Count > 0).ToList();
        if (facets.Count == 0)
        {
            return;
        }
        h.Open("aside", ("class", "facets"), ("aria-labelledby", "facets-heading"));
        h.Element("h2", "Narrow the search", ("id", "facets-heading"));
        foreach (var (name, values) in facets)
        {
            var label = FacetLabels.TryGetValue(name, out var l) ? l : name;
            h.Open("section", ("class", "facet facet-" + DocumentRenderer.Slug(name)));
            h.Element("h3", label);
            h.Open("ul");
            foreach (var value in values)
            {
                var display = name == SearchFacets.Volume && volumeTitles.TryGetValue(value.Value, out var t) ? t : value.Value;
                var narrowed = QueryParser.Narrow(p.Query, name, value.Value);
                h.Open("li");
                h.Link(SearchParameters.PageUrl(narrowed, p.Sort, pageSize: pageSize), display, ("class", "facet-value"), ("data-facet", name));
                h.Text(" ").Element("span", value.Count.ToString("N0", CultureInfo.InvariantCulture), ("class", "count"));
                h.Close("li");
            }
            h.Close("ul").Close("section");
        }
        h.Close("aside");
    }
}
