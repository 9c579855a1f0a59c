using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chancery.Core.Documents;

namespace Chancery.Web.Html;

/// <summary>A citation styled in three parts so a page can set the container title in italics.</summary>
internal sealed record StyledCitation(string Before, string Container, string After)
{
    public string PlainText => Before + Container + After;
}

/// <summary>"Cite this": Chicago (notes and bibliography), MLA 9, BibTeX and CSL-JSON for one document.</summary>
internal sealed record Citations(StyledCitation Chicago, StyledCitation Mla, string BibTex, string CslJson)
{
    public static Citations For(Document d, Volume? volume, string url)
    {
        // the number is cited as "Document N" after the title, so a title that begins with it drops it
        var title = NumberedTitle.Bare(d).Trim().TrimEnd('.');
        var container = volume?.Title ?? d.Volume;
        var editors = volume?.Editors ?? [];
        var year = Year(volume?.PublicationDate);
        var date = d.Date is null ? null : DateText.Format(d.Date);
        var number = d.Number is { Length: > 0 } n ? n : null;

        // Chicago 17, 14.105 (a document in an edited collection)
        var chicagoBefore = new StringBuilder();
        chicagoBefore.Append('“').Append(title).Append(",”");
        if (date is not null)
        {
            chicagoBefore.Append(' ').Append(date).Append(',');
        }
        if (number is not null)
        {
            chicagoBefore.Append(" Document ").Append(number).Append(',');
        }
        chicagoBefore.Append(" in ");
        var chicagoAfter = new StringBuilder();
        if (editors.Count > 0)
        {
            chicagoAfter.Append(", ed. ").Append(JoinNames(editors, "and"));
        }
        if (year is not null)
        {
            chicagoAfter.Append(" (").Append(year).Append(')');
        }
        chicagoAfter.Append(", ").Append(url).Append('.');

        // MLA 9: "Title." Container, edited by …, year, doc. N. Site, URL.
        var mlaAfter = new StringBuilder();
        if (editors.Count > 0)
        {
            mlaAfter.Append(", edited by ").Append(JoinNames(editors, "and"));
        }
        if (year is not null)
        {
            mlaAfter.Append(", ").Append(year);
        }
        if (number is not null)
        {
            mlaAfter.Append(", doc. ").Append(number);
        }
        mlaAfter.Append(". Chancery, ").Append(url).Append('.');

        return new Citations(
            new StyledCitation(chicagoBefore.ToString(), container, chicagoAfter.ToString()),
            new StyledCitation("“" + title + ".” ", container, mlaAfter.ToString()),
            BibTexEntry(d, title, container, editors, year, date, number, url),
            Csl(d, title, container, editors, year, number, url));
    }

    private static string? Year(string? publicationDate) =>
        publicationDate is { Length: >= 4 } p && p[..4].All(char.IsAsciiDigit) ? p[..4] : null;

    private static string JoinNames(IReadOnlyList<string> names, string and) => names.Count switch
    {
        1 => names[0],
        2 => names[0] + " " + and + " " + names[1],
        _ => string.Join(", ", names.Take(names.Count - 1)) + ", " + and + " " + names[^1],
    };

    private static string BibTexEntry(Document d, string title, string container, IReadOnlyList<string> editors, string? year, string? date, string? number, string url)
    {
        var key = BibKey(d.Volume + "-" + d.LocalId);
        var sb = new StringBuilder();
        sb.Append("@incollection{").Append(key).Append(",\n");
        Field(sb, "title", "{" + Bib(title) + "}");
        Field(sb, "booktitle", "{" + Bib(container) + "}");
        if (editors.Count > 0)
        {
            Field(sb, "editor", string.Join(" and ", editors.Select(e => "{" + Bib(e) + "}")));
        }
        if (year is not null)
        {
            Field(sb, "year", year);
        }
        if (number is not null)
        {
            Field(sb, "number", Bib(number));
        }
        var note = string.Join(", ", new[] { number is null ? null : "Document " + number, date }.Where(x => x is not null));
        if (note.Length > 0)
        {
            Field(sb, "note", Bib(note));
        }
        Field(sb, "url", url.Replace("}", "%7D", StringComparison.Ordinal).Replace("{", "%7B", StringComparison.Ordinal));
        sb.Length -= 2;
        sb.Append("\n}");
        return sb.ToString();
    }

    private static void Field(StringBuilder sb, string name, string value) =>
        sb.Append("  ").Append(name).Append(" = {").Append(value).Append("},\n");

    private static string BibKey(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.' ? c : '-').ToArray());

    /// <summary>Escapes BibTeX's special characters so a title cannot unbalance the braces.</summary>
    private static string Bib(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\textbackslash{}"); break;
                case '{': sb.Append("\\{"); break;
                case '}': sb.Append("\\}"); break;
                case '%' or '&' or '$' or '#' or '_': sb.Append('\\').Append(c); break;
                case '~': sb.Append("\\textasciitilde{}"); break;
                case '^': sb.Append("\\textasciicircum{}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions CslOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Csl(Document d, string title, string container, IReadOnlyList<string> editors, string? year, string? number, string url)
    {
        var item = new JsonObject
        {
            ["id"] = d.Volume + "-" + d.LocalId,
            ["type"] = "chapter",
            ["title"] = title,
            ["container-title"] = container,
        };
        if (editors.Count > 0)
        {
            item["editor"] = new JsonArray(editors.Select(e => (JsonNode)new JsonObject { ["literal"] = e }).ToArray());
        }
        if (number is not null)
        {
            item["number"] = number;
        }
        if (d.Date is not null && DateParts(d.Date.From) is { } parts)
        {
            item["original-date"] = new JsonObject { ["date-parts"] = new JsonArray(new JsonArray(parts.Select(p => (JsonNode)p).ToArray())) };
        }
        if (year is not null)
        {
            item["issued"] = new JsonObject { ["date-parts"] = new JsonArray(new JsonArray(int.Parse(year, CultureInfo.InvariantCulture))) };
        }
        item["URL"] = url;
        return new JsonArray(item).ToJsonString(CslOptions);
    }

    private static int[]? DateParts(string iso)
    {
        var parts = new List<int>();
        foreach (var (start, len) in new[] { (0, 4), (5, 2), (8, 2) })
        {
            if (iso.Length >= start + len && int.TryParse(iso.AsSpan(start, len), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                parts.Add(v);
            }
            else
            {
                break;
            }
        }
        return parts.Count == 0 ? null : parts.ToArray();
    }
}
