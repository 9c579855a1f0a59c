using System.Globalization;
using Chancery.Core.Dates;
using Chancery.Core.Export;

namespace Chancery.Web.Html;

/// <summary>Dates as a reader writes them: "December 30, 1948, 4:00 p.m.", "July 7, 1945, noon", "July 1945", "1945".</summary>
internal static class DateText
{
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>A document's date with its zone, if the source gives one ("August 24, 1954, 3:37 a.m. GMT").</summary>
    public static string Format(DocumentDate date) =>
        (date.From == date.To ? FormatIso(date.From) : FormatIso(date.From) + " – " + FormatIso(date.To))
        + TextExporter.ZoneSuffix(date.TimeZone);

    /// <summary>Formats an ISO prefix (<c>1948</c>, <c>1948-12</c>, <c>1948-12-30</c>, <c>1948-12-30T16:00</c>); other text is returned as given.</summary>
    public static string FormatIso(string? iso)
    {
        if (string.IsNullOrEmpty(iso))
        {
            return "";
        }
        var p = DocumentDate.ParseIso(iso);
        if (p is null)
        {
            // a range written as one value: "1945-07-16 – 1945-07-18", "1945-07-16/1945-07-18"
            var parts = iso.Split(['–', '/'], 2, StringSplitOptions.TrimEntries);
            return parts.Length == 2 && DocumentDate.ParseIso(parts[0]) is not null && DocumentDate.ParseIso(parts[1]) is not null
                ? FormatIso(parts[0]) + " – " + FormatIso(parts[1])
                : iso;
        }
        var v = p.Value.Value;
        var year = v[..4];
        if (p.Value.Precision == DatePrecision.Year)
        {
            return year;
        }
        var month = Months[int.Parse(v[5..7], CultureInfo.InvariantCulture) - 1];
        if (p.Value.Precision == DatePrecision.Month)
        {
            return month + " " + year;
        }
        var day = int.Parse(v[8..10], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        var text = month + " " + day + ", " + year;
        if (p.Value.Precision == DatePrecision.Minute)
        {
            var hour = int.Parse(v[11..13], CultureInfo.InvariantCulture);
            var minute = v[14..16];
            var h12 = hour % 12 == 0 ? 12 : hour % 12;
            // as FRUS prints them: "12:00 p.m." and "12:00 a.m." are read both ways
            text += (hour, minute) switch
            {
                (12, "00") => ", noon",
                (0, "00") => ", midnight",
                _ => ", " + h12.ToString(CultureInfo.InvariantCulture) + ":" + minute + (hour < 12 ? " a.m." : " p.m."),
            };
        }
        return text;
    }

    /// <summary>A range of two ISO prefixes, either missing.</summary>
    public static string Range(string? from, string? to)
    {
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to))
        {
            return "undated";
        }
        if (from == to || string.IsNullOrEmpty(to))
        {
            return FormatIso(from);
        }
        if (string.IsNullOrEmpty(from))
        {
            return FormatIso(to);
        }
        return FormatIso(from) + " – " + FormatIso(to);
    }
}
