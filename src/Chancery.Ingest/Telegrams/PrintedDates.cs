using System.Globalization;
using Chancery.Core.Dates;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// Reads dates as FRUS prints them in datelines: "July 13, 1945—5 p.m.", "July 11–12, 1945",
/// "July 30–August 2, 1945", "December 1948", "1945–1946", "noon", "7.45 p.m.".
/// </summary>
internal static partial class PrintedDates
{
    private static readonly string[] MonthNames =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>What a phrase turned out to be.</summary>
    internal enum Outcome { NotADate, Date, Invalid }

    /// <summary>One end of a printed date, as far as it is given.</summary>
    private record struct Point(int? Year, int? Month, int? Day, int? Hour, int? Minute, bool Zulu = false);

    // " GMT", " GMT+09:00" after a date: the time zone the exporter prints.
    [System.Text.RegularExpressions.GeneratedRegex(@"\s+GMT(?<z>[+-]\d{2}:\d{2})?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ZoneSuffix();

    /// <summary>
    /// Parses a whole date phrase (no place). <see cref="Outcome.Invalid"/> means it has the shape of a date
    /// but names no real day ("July 32, 1945"); <paramref name="problem"/> then says why.
    /// </summary>
    public static Outcome TryParse(string phrase, DateSource source, out DocumentDate? date, out string? problem)
    {
        date = null;
        problem = null;
        var s = phrase.Trim();
        if (s.EndsWith('.') && !EndsWithMeridiem(s))
        {
            s = s[..^1].TrimEnd();
        }
        string? zone = null;
        var gmt = ZoneSuffix().Match(s);
        if (gmt.Success)
        {
            zone = gmt.Groups["z"].Success ? gmt.Groups["z"].Value : "+00:00";
            s = s[..gmt.Index];
        }
        if (s.Length == 0)
        {
            return Outcome.NotADate;
        }
        var pos = 0;
        if (!TryPoint(s, ref pos, second: false, out var first))
        {
            return Outcome.NotADate;
        }
        var second = first;
        var isRange = false;
        if (pos < s.Length && (s[pos] == '–' || s[pos] == '-'))
        {
            var save = pos;
            pos++;
            if (TryPoint(s, ref pos, second: true, out var b))
            {
                second = b;
                isRange = true;
            }
            else
            {
                pos = save;
            }
        }
        if (pos != s.Length)
        {
            return Outcome.NotADate;
        }
        if (isRange)
        {
            // "July 11–12, 1945": the second end borrows the month, the first the year.
            if (second.Month is null && second.Day is not null)
            {
                second = second with { Month = first.Month };
            }
            if (first.Year is null)
            {
                first = first with { Year = second.Year };
            }
            if (second.Year is null)
            {
                second = second with { Year = first.Year };
            }
        }
        if (first.Year is null || second.Year is null)
        {
            return Outcome.NotADate;
        }
        var from = ToIso(first, out problem);
        var to = ToIso(second, out var problem2);
        problem ??= problem2;
        if (from is null || to is null)
        {
            return Outcome.Invalid;
        }
        date = isRange ? DocumentDate.Range(from, to, source) : DocumentDate.FromIso(from, source);
        zone ??= first.Zulu || second.Zulu ? "+00:00" : null;
        if (date is not null && zone is not null)
        {
            date = date with { TimeZone = zone };
        }
        return date is null ? Outcome.Invalid : Outcome.Date;
    }

    private static bool EndsWithMeridiem(string s) =>
        s.EndsWith("a.m.", StringComparison.Ordinal) || s.EndsWith("p.m.", StringComparison.Ordinal)
        || s.EndsWith("a. m.", StringComparison.Ordinal) || s.EndsWith("p. m.", StringComparison.Ordinal);

    private static string? ToIso(Point p, out string? problem)
    {
        problem = null;
        var y = p.Year!.Value;
        if (y is < 1 or > 9999)
        {
            problem = $"year {y} is out of range";
            return null;
        }
        if (p.Month is null)
        {
            return y.ToString("0000", CultureInfo.InvariantCulture);
        }
        var m = p.Month.Value;
        if (p.Day is null)
        {
            return $"{y:0000}-{m:00}";
        }
        var d = p.Day.Value;
        if (d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            problem = $"{MonthNames[m - 1]} {d}, {y} is not a date";
            return null;
        }
        if (p.Hour is null)
        {
            return $"{y:0000}-{m:00}-{d:00}";
        }
        return $"{y:0000}-{m:00}-{d:00}T{p.Hour:00}:{p.Minute ?? 0:00}";
    }

    // One end: Month [Day [, Year] | Year], or a bare year; the second end of a range may also be a bare day
    // ("12, 1945" in "July 11–12, 1945"). A day with its year may carry a time ("—5 p.m.", ", 6 p.m.").
    private static bool TryPoint(string s, ref int pos, bool second, out Point point)
    {
        point = default;
        var p = pos;
        int? month = null, day = null, year = null, hour = null, minute = null;
        var zulu = false;
        if (TryMonth(s, ref p, out var mo))
        {
            month = mo;
            var q = p;
            if (Space(s, ref q) && TryNumber(s, ref q, 1, 4, out var n, out var digits))
            {
                p = q;
                if (digits == 4)
                {
                    year = n;
                }
                else
                {
                    day = n;
                    year = TryYearAfterComma(s, ref p);
                }
            }
        }
        else if (TryNumber(s, ref p, 1, 4, out var n, out var digits))
        {
            if (digits == 4)
            {
                year = n;
            }
            else if (second)
            {
                day = n;
                year = TryYearAfterComma(s, ref p);
            }
            else
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        if (day is not null && year is not null)
        {
            var r = p;
            if (Literal(s, ref r, "—") || Literal(s, ref r, ", ") || Literal(s, ref r, " "))
            {
                Space(s, ref r);
                if (TryTime(s, ref r, out var hh, out var mm, out zulu))
                {
                    hour = hh;
                    minute = mm;
                    p = r;
                }
            }
        }
        point = new Point(year, month, day, hour, minute, zulu);
        pos = p;
        return true;
    }

    private static int? TryYearAfterComma(string s, ref int pos)
    {
        var r = pos;
        if (Literal(s, ref r, ",") && Space(s, ref r) && TryNumber(s, ref r, 4, 4, out var year, out _))
        {
            pos = r;
            return year;
        }
        return null;
    }

    private static bool TryTime(string s, ref int pos, out int hour, out int minute, out bool zulu)
    {
        hour = minute = 0;
        zulu = false;
        var p = pos;
        // "2322Z": a military time in Greenwich time
        if (p + 5 <= s.Length && s[p + 4] == 'Z' && TryNumber(s, ref p, 4, 4, out var hhmm, out _) && hhmm / 100 < 24 && hhmm % 100 < 60)
        {
            hour = hhmm / 100;
            minute = hhmm % 100;
            zulu = true;
            pos = p + 1;
            return true;
        }
        p = pos;
        if (Literal(s, ref p, "noon"))
        {
            hour = 12;
            pos = p;
            return true;
        }
        if (Literal(s, ref p, "midnight"))
        {
            pos = p;
            return true;
        }
        if (!TryNumber(s, ref p, 1, 2, out var h, out _))
        {
            return false;
        }
        var m = 0;
        var q = p;
        if ((Literal(s, ref q, ":") || Literal(s, ref q, ".")) && TryNumber(s, ref q, 2, 2, out var mm, out _))
        {
            m = mm;
            p = q;
        }
        Space(s, ref p);
        bool pm;
        if (Literal(s, ref p, "a.m.") || Literal(s, ref p, "a. m.") || Literal(s, ref p, "a.m"))
        {
            pm = false;
        }
        else if (Literal(s, ref p, "p.m.") || Literal(s, ref p, "p. m.") || Literal(s, ref p, "p.m"))
        {
            pm = true;
        }
        else
        {
            return false;
        }
        if (h is < 1 or > 12 || m > 59)
        {
            return false;
        }
        hour = (h % 12) + (pm ? 12 : 0);
        minute = m;
        pos = p;
        return true;
    }

    private static bool TryMonth(string s, ref int pos, out int month)
    {
        month = 0;
        for (var i = 0; i < MonthNames.Length; i++)
        {
            var name = MonthNames[i];
            var p = pos;
            if (Literal(s, ref p, name) && (p == s.Length || !char.IsLetter(s[p])))
            {
                month = i + 1;
                pos = p;
                return true;
            }
        }
        // abbreviations FRUS uses in older volumes: "Sept.", "Jan."
        for (var i = 0; i < MonthNames.Length; i++)
        {
            foreach (var abbr in new[] { MonthNames[i][..3] + ".", i == 8 ? "Sept." : null })
            {
                var p = pos;
                if (abbr is not null && Literal(s, ref p, abbr))
                {
                    month = i + 1;
                    pos = p;
                    return true;
                }
            }
        }
        return false;
    }

    private static bool TryNumber(string s, ref int pos, int minDigits, int maxDigits, out int value, out int digits)
    {
        value = 0;
        digits = 0;
        var p = pos;
        while (p < s.Length && char.IsAsciiDigit(s[p]) && digits < maxDigits)
        {
            value = (value * 10) + (s[p] - '0');
            p++;
            digits++;
        }
        if (digits < minDigits || (p < s.Length && char.IsAsciiDigit(s[p])))
        {
            return false;
        }
        pos = p;
        return true;
    }

    private static bool Literal(string s, ref int pos, string literal)
    {
        if (pos + literal.Length <= s.Length && string.CompareOrdinal(s, pos, literal, 0, literal.Length) == 0)
        {
            pos += literal.Length;
            return true;
        }
        return false;
    }

    private static bool Space(string s, ref int pos)
    {
        var p = pos;
        while (p < s.Length && s[p] == ' ')
        {
            p++;
        }
        if (p == pos)
        {
            return false;
        }
        pos = p;
        return true;
    }
}
