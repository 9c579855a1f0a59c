using Chancery.Core.Documents;

namespace Chancery.Archive.Search;

/// <summary>
/// The <see cref="SearchFacets.File"/> facet: the decimal file subjects of the hits, the part of each file number
/// before the <c>/</c> (<c>890F.7962/12–1848</c> → <c>890F.7962</c>). Both backends count through this class from
/// the stored file keys (lower case, white space folded), then name the top subjects as the documents print them.
/// </summary>
public sealed class FileSubjects
{
    private readonly Dictionary<string, (int Count, long FirstRow)> _counts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _row = new(StringComparer.Ordinal);
    private long _current = long.MinValue;
    private List<KeyValuePair<string, (int Count, long FirstRow)>>? _top;

    /// <summary>The subject of a file number (white space folded and trimmed): <c>761.93/7–1345</c> → <c>761.93</c>.</summary>
    public static string Subject(string fileNumber)
    {
        var folded = PlainText.Fold(fileNumber);
        var slash = folded.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? folded : folded[..slash]).Trim();
    }

    /// <summary>
    /// Counts one stored file key of one hit row. Keys must arrive grouped by row, so a document with several numbers
    /// under one subject counts once for it.
    /// </summary>
    public void Add(long row, string fileKey)
    {
        if (row != _current)
        {
            _current = row;
            _row.Clear();
        }
        var subject = Subject(fileKey);
        if (subject.Length > 0 && _row.Add(subject))
        {
            var (count, first) = _counts.GetValueOrDefault(subject, (0, row));
            _counts[subject] = (count + 1, Math.Min(first, row));
        }
    }

    /// <summary>
    /// The rows whose documents name the top subjects: the first hit row of each (their printed file numbers give
    /// the display values, so only these documents are read).
    /// </summary>
    public IReadOnlyList<long> TopRows() => [.. Top().Select(kv => kv.Value.FirstRow).Distinct()];

    /// <summary>
    /// The top <see cref="SearchFacets.Top"/> subjects by count, equal counts in ordinal order of value, named from
    /// <paramref name="printedByRow"/>: the <c>|</c>-separated file numbers of the <see cref="TopRows"/> documents.
    /// </summary>
    public IReadOnlyList<FacetValue> Results(IReadOnlyDictionary<long, string> printedByRow) =>
        Top().Select(kv => new FacetValue(Printed(kv.Key, printedByRow.GetValueOrDefault(kv.Value.FirstRow) ?? ""), kv.Value.Count))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList();

    // the documents print the letters of file numbers in capitals: ties are broken on that form before it is read
    private List<KeyValuePair<string, (int Count, long FirstRow)>> Top() =>
        _top ??= [.. _counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key.ToUpperInvariant(), StringComparer.Ordinal).Take(SearchFacets.Top)];

    /// <summary>
    /// A subject as a document prints it: the subject of the first of its <c>|</c>-separated file numbers that has
    /// it, else the subject in capitals.
    /// </summary>
    internal static string Printed(string subject, string numbers)
    {
        foreach (var number in numbers.Split('|'))
        {
            var printed = Subject(number);
            if (printed.ToLowerInvariant() == subject)
            {
                return printed;
            }
        }
        return subject.ToUpperInvariant();
    }
}
