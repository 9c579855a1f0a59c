using System.Text.RegularExpressions;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// The references plain telegram text makes in words: telegram numbers ("my last message (numbers 120015 and
/// 120755, July 11–12)", "your 1295", "Deptel 482") and documents of the same volume ("See document No. 577").
/// </summary>
internal static partial class TelegramReferences
{
    private const string Month = "(?:January|February|March|April|May|June|July|August|September|October|November|December)";

    // A telegram cited by number, optionally with its date: "telegram No. 984 of November 22", "numbers 1 and 2, July 11–12".
    [GeneratedRegex(
        @"\b(?:(?:[Tt]elegrams?|[Tt]els?|[Cc]ables?|[Mm]essages?)(?:\s+\(?(?:Nos?\.|numbers?))?|(?:[Mm]y|[Yy]our|[Oo]ur)(?:\s+(?:last|telegram|tel|message|cable))?|[Mm]ytels?|[Uu]rtels?|[Dd]eptels?|[Ee]mbtels?|[Rr]eftels?)" +
        @"\s+(?<n>\d{1,7})(?![\d/.]\d)(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)(?<n>\d{1,7})(?![\d/.]\d))*" +
        @"(?:(?:,\s*|\s+of\s+)(?<date>" + Month + @"\s+\d{1,2}(?:[–-]\d{1,2})?(?:,\s+\d{4})?))?",
        RegexOptions.CultureInvariant)]
    private static partial Regex TelegramPattern();

    // A document of this volume: "document No. 577", "Document 7"; "See" is kept as part of the evidence.
    [GeneratedRegex(@"(?:\b[Ss]ee\s+)?\b[Dd]ocument\s+(?:No\.\s*)?(?<n>\d{1,5}[a-z]?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentPattern();

    // Words that put a cited document in another volume ("Foreign Relations, 1961–1963, vol. XXII, Document 383").
    [GeneratedRegex(@"Foreign Relations|\bvol\.|\bvolume\b|\b[Ii]bid\.?|\bfrus\d", RegexOptions.CultureInvariant)]
    private static partial Regex OtherVolume();

    /// <summary>The references a stretch of plain text makes; <paramref name="where"/> says where it stands.</summary>
    public static IEnumerable<Reference> Find(string text, string where, string volumeId)
    {
        foreach (Match m in TelegramPattern().Matches(text))
        {
            var date = m.Groups["date"].Success ? m.Groups["date"].Value : null;
            foreach (Capture n in m.Groups["n"].Captures)
            {
                var number = n.Value;
                // a year after "my" or "your" is not a telegram ("your 1945 report")
                if (number.Length == 4 && number.StartsWith("19", StringComparison.Ordinal) && m.Groups["n"].Captures.Count == 1 && date is null
                    && !m.Value.Contains("tel", StringComparison.OrdinalIgnoreCase) && !m.Value.Contains("egram", StringComparison.Ordinal))
                {
                    continue;
                }
                yield return new Reference(ReferenceKind.Telegram, number, m.Value, where, date);
            }
        }
        foreach (Match m in DocumentPattern().Matches(text))
        {
            var sentenceStart = Math.Max(text.LastIndexOf(". ", m.Index, StringComparison.Ordinal), 0);
            if (OtherVolume().IsMatch(text[sentenceStart..m.Index]))
            {
                continue;
            }
            yield return new Reference(ReferenceKind.Document, DocumentIds.Make(volumeId, "d" + m.Groups["n"].Value), m.Value.TrimEnd('.', ' '), where);
        }
    }
}
