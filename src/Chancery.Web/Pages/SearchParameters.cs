using System.Globalization;
using System.Text;
using Chancery.Archive;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>
/// A search as the URL states it: <c>q</c>, <c>sort</c>, <c>page</c>, <c>pageSize</c>, <c>facets</c>. The page and the
/// API read it the same way and refuse the same things: a query over 1,000 characters, a page size over 100,
/// a page beyond the 10,000-hit result window.
/// </summary>
internal sealed record SearchParameters(string Query, SearchSort Sort, int Page, int PageSize, bool Facets)
{
    public const int MaxQueryLength = 1000;
    public const int MaxPageSize = 100;
    public const int ResultWindow = 10_000;

    /// <summary>A refusal: the problem type, the parameter and a sentence for the reader.</summary>
    public sealed record Problem(string Type, string? Parameter, string Message);

    public static string SortName(SearchSort sort) => sort switch
    {
        SearchSort.DateAscending => "date-asc",
        SearchSort.DateDescending => "date-desc",
        _ => "relevance",
    };

    public static SearchSort? ParseSort(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "relevance" => SearchSort.Relevance,
        "date-asc" or "date" or "oldest" => SearchSort.DateAscending,
        "date-desc" or "newest" => SearchSort.DateDescending,
        _ => null,
    };

    public static (SearchParameters? Parameters, Problem? Problem) Read(IQueryCollection query, int defaultPageSize, bool defaultFacets)
    {
        var q = query["q"].ToString();
        if (q.Length > MaxQueryLength)
        {
            return (null, new Problem("query-too-long", "q",
                $"The query is {q.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; the limit is {MaxQueryLength.ToString("N0", CultureInfo.InvariantCulture)}."));
        }
        var sort = ParseSort(query["sort"].ToString());
        if (sort is null)
        {
            return (null, new Problem("bad-parameter", "sort", "sort must be relevance, date-asc or date-desc."));
        }
        var page = 1;
        if (query.TryGetValue("page", out var pageText) && pageText.ToString().Length > 0
            && (!int.TryParse(pageText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return (null, new Problem("bad-parameter", "page", "page must be a whole number from 1."));
        }
        var pageSize = defaultPageSize;
        if (query.TryGetValue("pageSize", out var sizeText) && sizeText.ToString().Length > 0
            && (!int.TryParse(sizeText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxPageSize))
        {
            return (null, new Problem("bad-parameter", "pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}."));
        }
        if ((long)page * pageSize > ResultWindow)
        {
            return (null, new Problem("result-window", "page",
                $"page × pageSize may not exceed {ResultWindow.ToString("N0", CultureInfo.InvariantCulture)}; narrow the query instead of paging further."));
        }
        var facets = defaultFacets;
        if (query.TryGetValue("facets", out var facetText))
        {
            bool? parsed = facetText.ToString().Trim().ToLowerInvariant() switch
            {
                "" or "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => null,
            };
            if (parsed is null)
            {
                return (null, new Problem("bad-parameter", "facets", "facets must be true or false."));
            }
            facets = parsed.Value;
        }
        return (new SearchParameters(q.Trim(), sort.Value, page, pageSize, facets), null);
    }

    public SearchRequest ToRequest() => new(Query, Sort, Page, PageSize, Facets);

    /// <summary>The search page's address for a query, sort and page (the URL holds the whole state).</summary>
    public static string PageUrl(string query, SearchSort sort = SearchSort.Relevance, int page = 1, string path = "/search", int? pageSize = null)
    {
        var sb = new StringBuilder(path).Append("?q=").Append(Uri.EscapeDataString(query));
        if (sort != SearchSort.Relevance)
        {
            sb.Append("&sort=").Append(SortName(sort));
        }
        if (page > 1)
        {
            sb.Append("&page=").Append(page.ToString(CultureInfo.InvariantCulture));
        }
        if (pageSize is not null)
        {
            sb.Append("&pageSize=").Append(pageSize.Value.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
