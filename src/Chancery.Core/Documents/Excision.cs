using System.Text.RegularExpressions;

namespace Chancery.Core.Documents;

/// <summary>
/// Withheld text as FRUS marks it: <c>[1 paragraph (3 lines) not declassified]</c>, <c>[name not declassified]</c>.
/// <see cref="Unit"/> is what was cut (line, paragraph, page, name, …), <see cref="Quantity"/> how many
/// (null when printed as "less than 1"), <see cref="Lines"/> the line count some markers add in parentheses.
/// </summary>
public sealed partial record Excision(string Text, string Unit, int? Quantity, int? Lines, bool LessThan)
{
    // "[less than 1 line not declassified]", "[3 paragraphs (19 lines) not declassified]",
    // "[name not declassified]", "[1½ lines of source text not declassified]", "[text not declassified]".
    [GeneratedRegex(@"\[(?<body>[^\[\]]{0,120}?)\s+not\s+declassified\]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^(?:(?<less>less than)\s+)?(?:(?<q>\d+(?:[½¼¾]|\.\d+)?|[½¼¾]|one|two|three|four|five|six|seven|eight|nine|ten)\s+)?(?<unit>[A-Za-z][A-Za-z \-]*?)(?:\s*\((?<lines>\d+)(?:[½¼¾])?\s+lines?\))?(?:\s+of\s+source\s+text)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BodyPattern();

    /// <summary>Finds every excision marker in <paramref name="text"/>, with its start index and length.</summary>
    public static IEnumerable<(int Index, int Length, Excision Excision)> FindAll(string text)
    {
        foreach (Match m in MarkerPattern().Matches(text))
        {
            yield return (m.Index, m.Length, Parse(m.Value, m.Groups["body"].Value));
        }
    }

    /// <summary>True when <paramref name="text"/> holds at least one excision marker.</summary>
    public static bool Contains(string text) => text.Contains("declassified", StringComparison.Ordinal) && MarkerPattern().IsMatch(text);

    private static Excision Parse(string marker, string body)
    {
        var folded = PlainText.Fold(body);
        var m = BodyPattern().Match(folded);
        if (!m.Success)
        {
            return new Excision(PlainText.Fold(marker), "text", null, null, false);
        }
        var unit = Singular(m.Groups["unit"].Value.Trim().ToLowerInvariant());
        int? quantity = m.Groups["q"].Success ? ParseQuantity(m.Groups["q"].Value) : null;
        int? lines = m.Groups["lines"].Success ? int.Parse(m.Groups["lines"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new Excision(PlainText.Fold(marker), unit, quantity, lines, m.Groups["less"].Success);
    }

    private static int? ParseQuantity(string q) => q.ToLowerInvariant() switch
    {
        "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5,
        "six" => 6, "seven" => 7, "eight" => 8, "nine" => 9, "ten" => 10,
        _ => int.TryParse(new string(q.TakeWhile(char.IsAsciiDigit).ToArray()), out var n) ? n : 1,
    };

    private static string Singular(string unit)
    {
        if (unit.EndsWith("ies", StringComparison.Ordinal))
        {
            return unit[..^3] + "y";
        }
        return unit.EndsWith('s') && !unit.EndsWith("ss", StringComparison.Ordinal) ? unit[..^1] : unit;
    }

    /// <summary>
    /// The FRUS-style marker for text a review cut: less than a line, or whole paragraphs with their line count.
    /// </summary>
    public static Excision ForCut(int paragraphs, int lines)
    {
        if (paragraphs == 0)
        {
            return lines <= 1
                ? new Excision("[less than 1 line not declassified]", "line", 1, null, true)
                : new Excision($"[{lines} lines not declassified]", "line", lines, null, false);
        }
        var unit = paragraphs == 1 ? "paragraph" : "paragraphs";
        var lineWord = lines == 1 ? "line" : "lines";
        return new Excision($"[{paragraphs} {unit} ({lines} {lineWord}) not declassified]", "paragraph", paragraphs, lines, false);
    }
}
