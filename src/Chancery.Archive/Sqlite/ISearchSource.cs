using Chancery.Archive.Search;

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
