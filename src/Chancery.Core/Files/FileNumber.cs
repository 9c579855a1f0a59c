using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Chancery.Core.Files;

/// <summary>
/// A State Department Central Decimal File number as printed in a FRUS source note,
/// e.g. <c>761.93/7–1345</c>, <c>740.0011</c>, <c>890F.7962/12–1848</c> or <c>123 Harriman, W. Averell</c>.
/// </summary>
/// <param name="Text">The number exactly as printed (trimmed).</param>
/// <param name="Subject">The decimal subject before the slash, e.g. <c>761.93</c>; for a personnel file the class number and name.</param>
/// <param name="Suffix">What follows the slash: a date such as <c>7–1345</c> or an enclosure serial such as <c>1234</c>; null when absent.</param>
public sealed partial record FileNumber(string Text, string Subject, string? Suffix)
{
    // Decimal file numbers only ran 1910 to January 1963; a "date" outside that is a misread serial, not a date.
    private const int FirstFileYear = 1910;
    private const int LastFileYear = 1963;

    // Shared by TryParse (anchored) and FindAll (scanning). Class digit + two-digit country/subject code with an
    // optional letter (890F), a dot, then digits/capitals (800.00B, 501.BB, 500.A15A4). An optional office/subfile
    // code may sit before the slash (751G.5 MSP /10–553, 740.0011 EW/8–2045), but only when a suffix follows, so a
    // bare trailing word is never swallowed. Dated suffixes are tried before plain serials.
    private const string Core =
        @"(?<subject>[0-9]{3}[A-Z]?\.(?:[0-9][0-9A-Z]*|[A-Z][0-9A-Z]*))(?![a-z0-9])" +
        @"(?:(?:[ -]?(?<infix>[A-Z]{2,4}))?[ ]?/[ ]?(?<suffix>[0-9]{1,2}[ ]?[-–‑][ ]?[0-9]{3,4}|[0-9]{1,6})(?![0-9]))?";

    /// <summary>Finds file numbers in running text.</summary>
    /// <remarks>
    /// The lookbehind keeps the match off the tail of longer numbers ("11945.2"), money ("$123.45"),
    /// thousands ("1,234.56") and ranges; requiring a dot right after three digits is what rules out years,
    /// pages and "Telegram 482".
    /// </remarks>
    [GeneratedRegex(@"(?<![\w.,$/–-])" + Core, RegexOptions.CultureInvariant)]
    private static partial Regex ScanPattern();

    [GeneratedRegex(@"^" + Core + @"$", RegexOptions.CultureInvariant)]
    private static partial Regex ExactPattern();

    // Personnel files are cited by class number and a surname ("123 Harriman, W. Averell"); only accepted whole,
    // never scanned for, because "Telegram 123 Moscow" would look the same in running text.
    [GeneratedRegex(@"^(?<subject>1[0-9]{2} [\p{Lu}][\p{L}.,'’ -]*[\p{L}.])(?:[ ]?/[ ]?(?<suffix>[0-9]{1,2}[ ]?[-–‑][ ]?[0-9]{3,4}|[0-9]{1,6}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PersonnelPattern();

    [GeneratedRegex(@"^(?<month>[0-9]{1,2})[ ]?[-–‑][ ]?(?<dayYear>[0-9]{3,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSuffixPattern();

    /// <summary>
    /// The date encoded in a dated suffix (month–day–two-digit year, e.g. <c>7–1345</c> = 13 July 1945,
    /// <c>3-855</c> = 8 March 1955); null for an enclosure serial such as <c>1234</c>, for an impossible date such as
    /// <c>11–3245</c>, or for a year outside the life of the decimal file (1910–1963).
    /// </summary>
    public DateOnly? SuffixDate => ParseSuffixDate(Suffix);

    /// <summary>
    /// Parses one file number, tolerating surrounding spaces and either an en-dash or a hyphen in the date suffix.
    /// </summary>
    /// <param name="text">The text to parse; it must be a file number and nothing else.</param>
    /// <param name="fileNumber">The parsed number, or null when <paramref name="text"/> is not a file number.</param>
    /// <returns>True when <paramref name="text"/> is a file number.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out FileNumber? fileNumber)
    {
        fileNumber = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var match = ExactPattern().Match(trimmed);
        if (!match.Success)
        {
            // Letter sub-codes are printed in capitals, but a lower-case one ("890f") is still unambiguous here.
            match = ExactPattern().Match(UpperCodeLetters(trimmed));
        }

        if (!match.Success)
        {
            match = PersonnelPattern().Match(trimmed);
        }

        if (!match.Success)
        {
            return false;
        }

        fileNumber = FromMatch(trimmed, match);
        return true;
    }

    /// <summary>
    /// Finds every decimal file number in a FRUS source note or other text, in order of appearance,
    /// e.g. both numbers in "Central Files, 320.5774/4–1255; 611.61/3-855". Page numbers, years and telegram
    /// numbers are not matched: a file number needs three digits, a dot and a subject code.
    /// </summary>
    /// <param name="text">The text to scan.</param>
    /// <returns>The file numbers found; empty when there are none.</returns>
    public static IReadOnlyList<FileNumber> FindAll(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = new List<FileNumber>();
        foreach (Match match in ScanPattern().Matches(text))
        {
            found.Add(FromMatch(match.Value, match));
        }

        return found;
    }

    private static FileNumber FromMatch(string text, Match match)
    {
        var suffix = match.Groups["suffix"];
        return new FileNumber(
            text.Trim(),
            match.Groups["subject"].Value,
            suffix.Success ? suffix.Value : null);
    }

    // Upper-cases letters in the code part only (before any slash), so "890f.7962/12–1848" parses.
    private static string UpperCodeLetters(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? text.ToUpperInvariant()
            : string.Concat(text[..slash].ToUpperInvariant(), text[slash..]);
    }

    private static DateOnly? ParseSuffixDate(string? suffix)
    {
        if (suffix is null)
        {
            return null;
        }

        var match = DatedSuffixPattern().Match(suffix);
        if (!match.Success)
        {
            return null;
        }

        var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        var dayYear = match.Groups["dayYear"].Value;
        // The day takes one or two digits ("855" = 8th, "1345" = 13th); the year is always the last two.
        var day = int.Parse(dayYear[..^2], CultureInfo.InvariantCulture);
        var year = 1900 + int.Parse(dayYear[^2..], CultureInfo.InvariantCulture);

        if (month is < 1 or > 12 || year is < FirstFileYear or > LastFileYear)
        {
            return null;
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateOnly(year, month, day);
    }
}
