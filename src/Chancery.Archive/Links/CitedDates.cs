using System.Globalization;
using System.Text.RegularExpressions;

namespace Chancery.Archive.Links;

/// <summary>
/// Dates printed with a citation ("July 11–12", "of November 22, 1947", "Apr 27", "September 29"): the year is
/// taken from the citing document when not printed, stepping back a year when the day would fall after it.
/// </summary>
internal static partial class CitedDates
{
    private static readonly string[] MonthNames =
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ];

    [GeneratedRegex(
        @"\b(?<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)\s+(?<day>\d{1,2})(?:\s*(?:[–-]|and)\s*(?<day2>\d{1,2}))?(?!\d)(?:,?\s+(?<year>1[789]\d\d|20\d\d))?",
        RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoPattern();

    /// <summary>A cited date range: <see cref="Text"/> as printed.</summary>
    public readonly record struct CitedDate(DateOnly From, DateOnly To, string Text);

    /// <summary>
    /// The date printed after position <paramref name="from"/> of <paramref name="text"/> (the first one), read
    /// against the citing document's day; null when none is printed or it cannot be placed in a year.
    /// </summary>
    public static CitedDate? Find(string text, int from, DateOnly? citingDay, bool mayBeLater)
    {
        var m = DatePattern().Match(text, Math.Clamp(from, 0, text.Length));
        return m.Success ? FromMatch(m, citingDay, mayBeLater) : null;
    }

    /// <summary><paramref name="text"/> with every printed date taken out.</summary>
    public static string Strip(string text) => PagePattern().Replace(DatePattern().Replace(text, " "), " ");

    // "p. 412", "pp. 516", "Document 31": pointers, not other numbers
    [GeneratedRegex(@"\b(?:pp?\.|pages?|[Dd]ocuments?|[Nn]os?\.)\s*\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PagePattern();

    /// <summary>A date printed on its own ("July 11–12") or as ISO, read against the citing document's day.</summary>
    public static CitedDate? Parse(string? text, DateOnly? citingDay, bool mayBeLater)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (IsoPattern().IsMatch(text) && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            return new CitedDate(iso, iso, text);
        }
        return Find(text, 0, citingDay, mayBeLater);
    }

    private static CitedDate? FromMatch(Match m, DateOnly? citingDay, bool mayBeLater)
    {
        var monthText = m.Groups["month"].Value.ToLowerInvariant();
        var month = Array.FindIndex(MonthNames, n => n.StartsWith(monthText.TrimEnd('.')[..3], StringComparison.Ordinal)) + 1;
        var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        var day2 = m.Groups["day2"].Success ? int.Parse(m.Groups["day2"].Value, CultureInfo.InvariantCulture) : day;
        int year;
        if (m.Groups["year"].Success)
        {
            year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        }
        else if (citingDay is { } c)
        {
            year = c.Year;
            // "your 1295, December 30" in a telegram of January 3: last year's December
            if (Make(year, month, day) is { } guess && guess.DayNumber > c.DayNumber + (mayBeLater ? 200 : 3))
            {
                year--;
            }
        }
        else
        {
            return null;
        }
        if (Make(year, month, day) is not { } a || Make(year, month, Math.Max(day, day2)) is not { } b)
        {
            return null;
        }
        return new CitedDate(a, b, m.Value);
    }

    private static DateOnly? Make(int year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
}
