using Chancery.Core.Documents;

namespace Chancery.Web.Html;

/// <summary>
/// Later FRUS volumes print the document's number at the head of its title ("284. Telegram From the CIA Station
/// in Guatemala…"); earlier ones print it on a line of its own. A page shows it once and a citation leaves it out.
/// </summary>
internal static class NumberedTitle
{
    /// <summary>True when the title already begins with the document's number and a full stop.</summary>
    public static bool Carries(Document d) => Carries(d.Title, d.Number);

    /// <summary>True when <paramref name="title"/> begins with <paramref name="number"/> and a full stop, and more follows.</summary>
    public static bool Carries(string title, string? number) =>
        number is { Length: > 0 } n && title.TrimStart() is var t && t.StartsWith(n + ".", StringComparison.Ordinal)
        && !string.IsNullOrWhiteSpace(t[(n.Length + 1)..]);

    /// <summary>The title without the number it begins with ("Telegram From the CIA Station in Guatemala…").</summary>
    public static string Bare(Document d) => Bare(d.Title, d.Number);

    /// <summary>The title without <paramref name="number"/> when it begins with it.</summary>
    public static string Bare(string title, string? number) =>
        Carries(title, number) ? title.TrimStart()[(number!.Length + 1)..].TrimStart() : title;
}
