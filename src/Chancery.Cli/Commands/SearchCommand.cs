using System.CommandLine;
using System.Globalization;
using System.Text;
using Chancery.Archive;
using Chancery.Cli.Output;
using Spectre.Console;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery search QUERY [--sort relevance|date|-date] [--page N] [--page-size N] [--facets] [--json]</c></summary>
public static class SearchCommand
{
    public static Command Create(Globals g)
    {
        var query = new Argument<string>("QUERY") { Description = "A query in the Chancery query language, e.g. 'Soong AND Stalin date:1945-07'" };
        var sort = new Option<string>("--sort")
        {
            Description = "relevance, date (oldest first) or -date (newest first); date-asc and date-desc, the web's and the API's names, work too",
            HelpName = "ORDER",
            DefaultValueFactory = _ => "relevance",
        };
        sort.AcceptOnlyFromAmong("relevance", "date", "-date", "date-asc", "date-desc");
        var page = new Option<int>("--page") { Description = "Page of results, from 1", HelpName = "N", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Hits per page (1–1000)", HelpName = "N", DefaultValueFactory = _ => 20 };
        var facets = new Option<bool>("--facets") { Description = "Count hits by facet (volume, type, year, …)" };
        var json = Globals.JsonOption();
        var command = new Command("search", "Search documents the reader may see") { query, sort, page, pageSize, facets, json };
        g.Handle(command, (parse, session) =>
        {
            var text = parse.GetValue(query)!;
            var request = new SearchRequest(
                text,
                parse.GetValue(sort) switch
                {
                    "date" or "date-asc" => SearchSort.DateAscending,
                    "-date" or "date-desc" => SearchSort.DateDescending,
                    _ => SearchSort.Relevance,
                },
                parse.GetValue(page),
                parse.GetValue(pageSize),
                parse.GetValue(facets));
            if (request.Page < 1)
            {
                throw new CliException("--page must be 1 or more");
            }
            if (request.PageSize is < 1 or > 1000)
            {
                throw new CliException("--page-size must be between 1 and 1000");
            }
            var archive = session.ExistingArchive;
            var reader = session.Reader(archive);
            SearchResults results;
            try
            {
                results = archive.Search(request, reader, Session.Surface);
            }
            catch (QueryException e)
            {
                throw BadQuery(text, e);
            }
            if (parse.GetValue(json))
            {
                WriteJson(session.Terminal.Out, results);
            }
            else
            {
                WriteText(session.Terminal, request, results);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>chancery: bad query at character N: message</c> (N counted from 1, as the message counts), then the query
    /// with a caret under that character. Line breaks in the query are shown as spaces so the caret lines up.
    /// </summary>
    public static CliException BadQuery(string query, QueryException e)
    {
        var shown = new string([.. query.Select(c => char.IsControl(c) ? ' ' : c)]);
        var position = Math.Clamp(e.Position, 0, shown.Length);
        return new CliException(BadQueryLine(e), ExitCodes.Error,
            ["  " + shown, "  " + new string(' ', position) + "^"]);
    }

    /// <summary><c>bad query at character N: message</c>, N counted from 1 as the message counts.</summary>
    public static string BadQueryLine(QueryException e) => $"bad query at character {e.Position + 1}: {e.Message}";

    private static void WriteJson(TextWriter output, SearchResults r) =>
        Json.Write(output, new
        {
            total = r.Total,
            undated = r.Undated,
            hits = r.Hits.Select(h => new
            {
                id = h.Id,
                volume = h.Volume,
                number = h.Number,
                type = h.Type,
                date = h.Date,
                title = h.Title,
                snippet = h.Snippet,
                inFootnote = h.InFootnote,
                score = h.Score,
            }),
            facets = r.Facets.ToDictionary(f => f.Key, f => f.Value.Select(v => new { value = v.Value, count = v.Count })),
        });

    private static void WriteText(Terminal terminal, SearchRequest request, SearchResults r)
    {
        var output = terminal.Out;
        var pages = Math.Max(1, (r.Total + request.PageSize - 1) / request.PageSize);
        var head = new StringBuilder(Ingester.Count(r.Total, "hit"));
        if (r.Total > 0 && request.Page > pages)
        {
            head.Append(CultureInfo.InvariantCulture, $"; page {request.Page} is past the last page ({pages})");
        }
        else if (r.Total > 0)
        {
            head.Append(CultureInfo.InvariantCulture, $", page {request.Page} of {pages}");
        }
        if (r.Undated > 0)
        {
            head.Append(CultureInfo.InvariantCulture, $" ({Ingester.Count(r.Undated, "undated document")} left out by the date filter)");
        }
        output.WriteLine(head.ToString());
        foreach (var hit in r.Hits)
        {
            output.WriteLine();
            var where = hit.InFootnote ? " (in a footnote)" : "";
            output.WriteLine($"{hit.Id}  {hit.Date ?? "undated"}  {hit.Type}: {hit.Title}{where}");
            var snippet = PlainText(hit.Snippet);
            if (snippet.Length == 0)
            {
                continue;
            }
            if (terminal.IsTerminal)
            {
                // wrapped lines keep the indent
                terminal.Ansi.Write(new Padder(new Markup(Highlight(snippet)), new Padding(4, 0, 0, 0)));
            }
            else
            {
                output.WriteLine("    " + snippet);
            }
        }
        if (r.Facets.Any(f => f.Value.Count > 0))
        {
            output.WriteLine();
            foreach (var (name, values) in r.Facets.Where(f => f.Value.Count > 0))
            {
                output.WriteLine($"{name}: " + string.Join(", ", values.Select(v => $"{v.Value} ({v.Count})")));
            }
        }
    }

    /// <summary>Snippet text on one line.</summary>
    private static string PlainText(string snippet) => Chancery.Core.Documents.PlainText.Fold(snippet);

    /// <summary>Spectre markup for a snippet: «match» becomes bold, everything else is escaped.</summary>
    public static string Highlight(string snippet)
    {
        var sb = new StringBuilder();
        var rest = snippet.AsSpan();
        while (true)
        {
            var open = rest.IndexOf('«');
            if (open < 0)
            {
                break;
            }
            var close = rest[open..].IndexOf('»');
            if (close < 0)
            {
                break;
            }
            sb.Append(Markup.Escape(rest[..open].ToString()));
            sb.Append("[bold]").Append(Markup.Escape(rest.Slice(open + 1, close - 1).ToString())).Append("[/]");
            rest = rest[(open + close + 1)..];
        }
        sb.Append(Markup.Escape(rest.ToString()));
        return sb.ToString();
    }
}
