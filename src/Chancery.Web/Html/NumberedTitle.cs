using Chancery.Core.Documents;

namespace Chancery.Web.Html;

/// <summary>
/// Later FRUS volumes print the document's number at the head of its title ("284. Telegram From the CIA Station
/// in Guatemala…"); earlier ones print it on a line of its own. A page shows it once and a citation leaves it out.
/// </summary>
internal static class NumberedTitle
{
    /// <summary>True when the title already begins with the document's number and a full stop.</summary>
    public static bool Carries(Document d) =>
        d.Number is { Length: > 0 } n && d.Title.TrimStart() is var t && t.StartsWith(n + ".", StringComparison.Ordinal)
        && !string.IsNullOrWhiteSpace(t[(n.Length + 1)..]);

    /// <summary>The title without the number it begins with ("Telegram From the CIA Station in Guatemala…").</summary>
    public static string Bare(Document d) =>
        Carries(d) ? d.Title.TrimStart()[(d.Number!.Length + 1)..].TrimStart() : d.Title;
}
