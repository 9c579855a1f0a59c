using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Export;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// What a search reads from the store that is the truth, besides the Lucene index: the copy of its search rows, the
/// texts of rows (to index what the index lacks), the field values' codes and names, the rows naming persons and
/// file numbers, and the details of a page of hits. The embedded archive reads them from SQLite
/// (<see cref="SqliteSearchSource"/>), the server archive from PostgreSQL; both then search through
/// <see cref="SqliteSearchIndex.Search(ISearchSource, LuceneSearchIndex, SearchRequest, Access.AccessFilter, out IReadOnlyList{string})"/>,
/// so they give the same answers. Every call of one search sees one snapshot of the store.
/// </summary>
internal interface ISearchSource
{
    /// <summary>The search rows as this snapshot sees them (a cached copy while the store's generation stands).</summary>
    SearchRows Rows(LuceneSearchIndex index);

    /// <summary>The search texts of rows, made from the stored documents as ingest made them; rows that are gone are left out.</summary>
    List<(long Row, SearchText Text)> Texts(IEnumerable<long> rowIds);

    /// <summary>The display name of every field value code (<c>search_terms</c>).</summary>
    Dictionary<int, string> Terms();

    /// <summary>
    /// The codes of a facet's values matching folded <paramref name="words"/>: the whole value, values starting so
    /// (<paramref name="prefix"/>), or values holding the words anywhere inside (<paramref name="wordsInside"/>).
    /// </summary>
    HashSet<long> Codes(SqliteSearchIndex.Facet facet, string words, bool wordsInside, bool prefix);

    /// <summary>The ids of the rows naming any person code of <paramref name="codes"/>.</summary>
    List<long> PersonRows(IReadOnlyCollection<long> codes);

    /// <summary>
    /// The ids of the rows with a file number starting with <paramref name="key"/>, or (<paramref name="whole"/>)
    /// equal to it or filed under it as a subject.
    /// </summary>
    List<long> FileRows(string key, bool whole);

    /// <summary>What a page shows of each row besides its text, by row id.</summary>
    Dictionary<long, HitDetails> Details(IReadOnlyList<long> rowIds);
}

/// <summary>A hit's document as the page shows it: volume, type and number as the document spells them.</summary>
internal readonly record struct HitDetails(string Id, string? Number, string Volume, string Type, string? Date, bool Original);

/// <summary>What both stores' <see cref="ISearchSource"/> do alike: a row's text from its stored document, and the SQL conditions of field filters.</summary>
internal static class SearchSourceShared
{
    /// <summary>
    /// The search text of a row made from its document's stored JSON, as ingest made it: the released text of a
    /// row of <see cref="SearchView.Public"/> is cut again from its latest review's excisions (JSON; null when none).
    /// </summary>
    public static SearchText RowText(string json, long view, string? excisions)
    {
        var stored = DocumentJson.Deserialize(json);
        var doc = view == (long)SearchView.Public && excisions is not null
            ? AccessView.CutExcisions(stored, JsonSerializer.Deserialize<List<ExciseSpan>>(excisions, DocumentJson.Compact) ?? [])
            : stored;
        return SearchText.Build(doc);
    }

    /// <summary>
    /// The condition on <c>search_terms.key</c> for <see cref="ISearchSource.Codes"/>. <paramref name="param"/> binds a
    /// value and returns its name; <paramref name="contains"/> and <paramref name="startsWith"/> spell the store's
    /// substring tests (<c>(column or text, part)</c>).
    /// </summary>
    public static string TermMatch(string words, bool wordsInside, bool prefix, Func<string, string> param,
        Func<string, string, string> contains, Func<string, string, string> startsWith) =>
        wordsInside ? contains("key", param(prefix ? words.TrimEnd() : words))
            : prefix ? StartsWith("key", words.TrimEnd(), param, startsWith)
            : $"key = {param(words)}";

    /// <summary>The condition on <c>search_files.file</c> for <see cref="ISearchSource.FileRows"/> (arguments as <see cref="TermMatch"/>).</summary>
    public static string FileMatch(string key, bool whole, Func<string, string> param, Func<string, string, string> startsWith) =>
        whole
            ? $"(file = {param(key)} OR {StartsWith("file", key + "/", param, startsWith)} OR {StartsWith("file", key + " /", param, startsWith)})"
            : StartsWith("file", key, param, startsWith);

    /// <summary>
    /// <paramref name="column"/> starts with <paramref name="prefix"/>: a range an index can use when the last character
    /// orders the same in UTF-16 and UTF-8 (below the surrogates, always so for folded words; both stores compare
    /// bytes), else the store's own test.
    /// </summary>
    private static string StartsWith(string column, string prefix, Func<string, string> param, Func<string, string, string> startsWith)
    {
        if (prefix.Length > 0 && prefix[^1] < 0xD7FF)
        {
            var after = prefix[..^1] + (char)(prefix[^1] + 1);
            return $"({column} >= {param(prefix)} AND {column} < {param(after)})";
        }
        return startsWith(column, param(prefix));
    }
}
