using Chancery.Core.Access;

namespace Chancery.Core.Cables;

/// <summary>How the cable office's surfaces (CLI, web) write a draft's state, a marking and a typed body.</summary>
public static class CableText
{
    /// <summary>"TOP SECRET PERSONAL-FOR": the level as printed in capitals, then the captions.</summary>
    public static string Marking(ClassificationLevel level, IReadOnlyList<string> captions) =>
        Markings.CommandName(level).ToUpperInvariant().Replace('-', ' ') + (captions.Count == 0 ? "" : " " + string.Join(" ", captions));

    /// <summary>Where a draft stands: sent, released, waiting for clearances, or cleared and waiting for release.</summary>
    public static string Status(CableDraft d)
    {
        var waiting = d.Clearances.Where(c => c.ClearedBy is null).Select(c => c.Office).ToList();
        return d.Status switch
        {
            DraftStatus.Sent => $"sent as {d.SentAs}",
            DraftStatus.Released => $"released by {d.ReleasedBy}, waiting for transmission",
            _ when waiting.Count > 0 => $"waiting for clearance by {string.Join(", ", waiting)}",
            _ => "cleared, waiting for release",
        };
    }

    /// <summary>A typed body as paragraphs: separated by blank lines, the lines of each joined by one space.</summary>
    public static IReadOnlyList<string> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => string.Join(' ', p.Split('\n', StringSplitOptions.TrimEntries)))
            .Where(p => p.Length > 0)
            .ToList();
}
