using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Full-text search for the embedded archive. Each document has one search row per text readers may search
/// (<see cref="SearchView"/>). The row in SQLite holds what filters, facets, sorting and access need as small
/// integers (field values are codes into <c>search_terms</c>, dates are <c>yyyyMMddHHmm</c> numbers, and the
/// document's access columns are copied, kept equal by triggers); its words are in the Lucene index beside the
/// database (<see cref="LuceneSearchIndex"/>). SQLite decides which rows exist and who may read them
/// (<see cref="SearchRows"/>); Lucene only says which rows hold which words.
/// </summary>
/// <remarks>
/// Search row ids are never reused (<c>meta.search_row_high</c>) and a row's text never changes: a review or a
/// re-ingest removes rows and adds new ones. So a Lucene document is either exactly its row's text or the text of a
/// row that no longer exists, which no search returns or counts; rows the index lacks (a crash between the SQLite
/// commit and the Lucene commit, a writer that could not take the lock, an archive from before the index) are
/// indexed from the stored documents by the next search that can take the write lock.
/// </remarks>
internal static class SqliteSearchIndex
{
    /// <summary>BM25 weights of the text columns: title, sender, recipient, body, footnotes (as FTS5's bm25() was given).</summary>
    private static readonly double[] Weights = [4.0, 3.0, 3.0, 1.0, 0.4];

    /// <summary>The kinds of values stored in <c>search_terms</c>.</summary>
    public enum Facet
    {
        Volume = 1,
        Type = 2,
        Classification = 3,
        Sender = 4,
        Recipient = 5,
        Place = 6,
        Person = 7,
        PersonId = 8,
    }

    public const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS search_terms(
            id INTEGER PRIMARY KEY,
            facet INTEGER NOT NULL,
            key TEXT NOT NULL,
            display TEXT NOT NULL,
            UNIQUE(facet, key));
        CREATE TABLE IF NOT EXISTS search_rows(
            id INTEGER PRIMARY KEY,
            doc INTEGER NOT NULL,
            view INTEGER NOT NULL,
            release INTEGER NOT NULL,
            level INTEGER NOT NULL,
            controls INTEGER NOT NULL,
            date_min INTEGER,
            date_max INTEGER,
            volume INTEGER NOT NULL,
            type INTEGER NOT NULL,
            classification INTEGER NOT NULL,
            sender INTEGER NOT NULL,
            recipient INTEGER NOT NULL,
            place INTEGER NOT NULL,
            persons BLOB,
            date_text TEXT);
        CREATE INDEX IF NOT EXISTS search_rows_doc ON search_rows(doc);
        CREATE INDEX IF NOT EXISTS search_rows_volume ON search_rows(volume);
        CREATE INDEX IF NOT EXISTS search_rows_date ON search_rows(date_min);
        CREATE TABLE IF NOT EXISTS search_persons(
            code INTEGER NOT NULL,
            row INTEGER NOT NULL,
            PRIMARY KEY(code, row)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS search_persons_row ON search_persons(row);
        CREATE TABLE IF NOT EXISTS search_files(
            file TEXT NOT NULL,
            row INTEGER NOT NULL,
            PRIMARY KEY(file, row)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS search_files_row ON search_files(row);
        -- search_generation moves with every change of search_rows (a search's cached copy of them is checked against
        -- it); search_row_high is the largest row id ever given, so ids are never reused
        INSERT OR IGNORE INTO meta(key, value) VALUES('search_generation', '0');
        INSERT OR IGNORE INTO meta(key, value) SELECT 'search_row_high', coalesce(max(id), 0) FROM search_rows;
        CREATE TRIGGER IF NOT EXISTS search_rows_added AFTER INSERT ON search_rows
        BEGIN
            UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'search_generation';
            UPDATE meta SET value = NEW.id WHERE key = 'search_row_high' AND CAST(value AS INTEGER) < NEW.id;
        END;
        CREATE TRIGGER IF NOT EXISTS search_rows_removed AFTER DELETE ON search_rows
        BEGIN
            UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'search_generation';
        END;
        CREATE TRIGGER IF NOT EXISTS search_rows_changed AFTER UPDATE ON search_rows
        BEGIN
            UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'search_generation';
        END;
        CREATE TRIGGER IF NOT EXISTS search_rows_access AFTER UPDATE OF release, level, controls ON documents
        BEGIN
            UPDATE search_rows SET release = NEW.release, level = NEW.level, controls = NEW.controls WHERE doc = NEW.key;
        END;
        CREATE TRIGGER IF NOT EXISTS search_rows_document_gone AFTER DELETE ON documents
        BEGIN
            DELETE FROM search_persons WHERE row IN (SELECT id FROM search_rows WHERE doc = OLD.key);
            DELETE FROM search_files WHERE row IN (SELECT id FROM search_rows WHERE doc = OLD.key);
            DELETE FROM search_rows WHERE doc = OLD.key;
        END;
        """;

    /// <summary>
    /// Brings an archive written before the Lucene index up to date: the FTS5 table <c>search_text</c> and the trigger
    /// that wrote to it go (the index is built from the stored documents by the first search). Runs before
    /// <see cref="CreateSchema"/>, inside the opening transaction.
    /// </summary>
    public static void Migrate(SqliteConnection c, SqliteTransaction t)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'search_text'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return;
        }
        cmd.CommandText = "DROP TRIGGER IF EXISTS search_rows_document_gone; DROP TABLE IF EXISTS search_text;";
        cmd.ExecuteNonQuery();
    }

    /// <summary>A file number as stored and compared: lower case, white space folded.</summary>
    public static string FileKey(string fileNumber) => PlainText.Fold(fileNumber).ToLowerInvariant();

    /// <summary>A sortable date key <c>yyyy-MM-ddTHH:mm</c> as the number <c>yyyyMMddHHmm</c>.</summary>
    public static long DateNumber(string key)
    {
        long n = 0;
        foreach (var c in key)
        {
            if (char.IsAsciiDigit(c))
            {
                n = n * 10 + (c - '0');
            }
        }
        return n;
    }

    // ---- the copy of search_rows and the index ------------------------------------------------------------------

    private static readonly ConditionalWeakTable<LuceneSearchIndex, RowsCache> Caches = new();

    private sealed class RowsCache
    {
        public SearchRows? Rows;
    }

    /// <summary>The search rows as this read transaction sees them: the cached copy while the generation stands.</summary>
    internal static SearchRows Rows(SqliteConnection c, SqliteTransaction t, LuceneSearchIndex index)
    {
        long generation, high;
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = t;
            cmd.CommandText = """
                SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_generation'),
                       (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_row_high')
                """;
            using var r = cmd.ExecuteReader();
            r.Read();
            generation = r.IsDBNull(0) ? 0 : r.GetInt64(0);
            high = r.IsDBNull(1) ? 0 : r.GetInt64(1);
        }
        return CachedRows(index, generation, high, () => SearchRows.Load(c, generation, high));
    }

    /// <summary>
    /// The copy of the rows kept for <paramref name="index"/> when it is of <paramref name="generation"/> and
    /// <paramref name="high"/>, else the rows <paramref name="load"/> reads, kept in its place.
    /// </summary>
    internal static SearchRows CachedRows(LuceneSearchIndex index, long generation, long high, Func<SearchRows> load)
    {
        var cache = Caches.GetOrCreateValue(index);
        lock (cache)
        {
            if (cache.Rows is { } rows && rows.Generation == generation && rows.High == high)
            {
                return rows;
            }
        }
        var loaded = load();
        lock (cache)
        {
            cache.Rows = loaded;
        }
        return loaded;
    }

    /// <summary>
    /// Indexes the rows the index lacks and drops the documents of rows that are gone, reading the texts from the
    /// stored documents (the released text of a row cut by a review is cut again from its latest review). False when
    /// another writer holds the index: the search then runs on what is there, which is still right about access.
    /// </summary>
    private static bool CatchUp(ISearchSource source, LuceneSearchIndex index, SearchRows rows, RowMap? map)
    {
        var missing = map?.Missing ?? Enumerable.Range(0, rows.Count).ToList();
        var extra = map?.Extra ?? [];
        try
        {
            return index.TryWrite(writer =>
            {
                foreach (var id in extra)
                {
                    LuceneSearchIndex.Remove(writer, id);
                }
                foreach (var batch in missing.Chunk(500))
                {
                    foreach (var (row, text) in source.Texts(batch.Select(s => rows.Ids[s])))
                    {
                        LuceneSearchIndex.Add(writer, row, text);
                    }
                }
            }, waitMs: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The search texts of rows, made from the stored documents as ingest made them.</summary>
    internal static List<(long Row, SearchText Text)> StoredTexts(SqliteConnection c, SqliteTransaction? t, IEnumerable<long> rowIds)
    {
        var list = new List<(long, SearchText)>();
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = """
            SELECT r.id, r.view, d.json,
                   CASE WHEN r.view = 1 THEN (SELECT excisions FROM reviews WHERE document = d.id ORDER BY seq DESC LIMIT 1) END
            FROM search_rows r JOIN documents d ON d.key = r.doc
            WHERE r.id IN (SELECT value FROM json_each($rows))
            """;
        cmd.Parameters.AddWithValue("$rows", "[" + string.Join(',', rowIds.Select(r => r.ToString(CultureInfo.InvariantCulture))) + "]");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), SearchSourceShared.RowText(r.GetString(2), r.GetInt64(1), r.IsDBNull(3) ? null : r.GetString(3))));
        }
        return list;
    }

    // ---- searching --------------------------------------------------------------------------------------------

    /// <summary>One matching row, as the pass over the result set keeps it.</summary>
    private struct Hit
    {
        public int Slot;
        public long Row;
        public long Doc;
        public double Score;
        public long DateMin;
        public bool Dated;
    }

    /// <summary>
    /// Runs <paramref name="request"/> for the reader <paramref name="access"/> describes. Throws
    /// <see cref="QueryException"/> for a bad query. The connection must have no transaction pending.
    /// </summary>
    public static SearchResults Search(SqliteConnection c, LuceneSearchIndex index, SearchRequest request, AccessFilter access, out IReadOnlyList<string> originalHits)
    {
        // one read snapshot for the rows, the pass, the page and the facets
        using var t = c.BeginTransaction(deferred: true);
        var results = Search(new SqliteSearchSource(c, t), index, request, access, out originalHits);
        t.Commit();
        return results;
    }

    /// <summary>
    /// Runs <paramref name="request"/> for the reader <paramref name="access"/> describes over the rows of
    /// <paramref name="source"/> (one snapshot of the store that is the truth) and the words of <paramref name="index"/>.
    /// Throws <see cref="QueryException"/> for a bad query. <paramref name="phase"/>, when given, is called with the
    /// name of each phase as it ends (the bench's <c>search-profile</c> times them).
    /// </summary>
    public static SearchResults Search(ISearchSource source, LuceneSearchIndex index, SearchRequest request, AccessFilter access, out IReadOnlyList<string> originalHits,
        Action<string>? phase = null)
    {
        var root = QueryParser.Parse(request.Query);
        var plan = SqliteSearchCompiler.Compile(root);
        var pageSize = Math.Clamp(request.PageSize, 1, 1000);
        var offset = (Math.Max(request.Page, 1) - 1L) * pageSize;
        var ranked = plan.Highlight is not null && request.Sort == SearchSort.Relevance;
        var sort = ranked ? SearchSort.Relevance : request.Sort == SearchSort.Relevance ? SearchSort.DateAscending : request.Sort;

        var rows = source.Rows(index);
        var searcher = index.Acquire(rows);
        try
        {
            var map = searcher is null ? null : index.Map(searcher.Index, rows);
            bool Behind() => (map is null && rows.Count > 0) || (map is not null && (map.Missing.Count > 0 || map.Extra.Count > 0));
            if (Behind())
            {
                // another process may have indexed the rows since the reader was opened: look again before writing
                searcher?.Dispose();
                searcher = index.Acquire(null);
                map = searcher is null ? null : index.Map(searcher.Index, rows);
            }
            if (Behind())
            {
                if (CatchUp(source, index, rows, map))
                {
                    searcher?.Dispose();
                    searcher = index.Acquire(null);
                    map = searcher is null ? null : index.Map(searcher.Index, rows);
                }
            }
            phase?.Invoke("rows and reader");
            var eval = new SqliteSearchEvaluator(source, searcher?.Index, map, rows, index.Split);
            var readable = rows.Readable(access);
            var matching = Bits.And(eval.Matching(plan), readable);
            phase?.Invoke("match");
            // an index large enough to split its phrases splits the rest of a large result set's work too
            var large = map is not null && map.Reader.MaxDoc >= index.Split.FromDocs;
            var found = Bits.Count(matching);
            var split = large && found >= Math.Min(SplitHits, index.Split.FromDocs / 10);
            var hits = HitList(matching, found, rows, split);
            phase?.Invoke("hit list");
            using var counter = request.Facets ? new FacetCounter(source, rows) : null;
            var score = ranked && hits.Count > 0 && map is not null;
            var scores = score ? ArrayPool<double>.Shared.Rent(rows.Count) : null;
            List<Hit>? page = null;
            try
            {
                // counting facets and scoring (or, in date order, picking the page) read the hits and write nothing the
                // other reads (the scores go to an array of their own, not into the hits the counting reads): on a large
                // result set they run side by side
                WorkSplit.Run(2, part =>
                {
                    if (part == 0)
                    {
                        counter?.Count(matching);
                    }
                    else if (scores is not null)
                    {
                        // a query led by text is scored on that text; one led by fields on its text terms, where they
                        // occur; with the facets counted on the other core, one core is left for it
                        ScoreHits(hits, scores, matching, map!, plan.Match?.Phrases().ToList() ?? plan.Highlight!, eval, split && counter is null);
                    }
                    else if (counter is not null)
                    {
                        page = Page(hits, sort, offset, pageSize, split: false);
                    }
                }, split && counter is not null);
                if (scores is not null)
                {
                    var span = CollectionsMarshal.AsSpan(hits);
                    for (var i = 0; i < span.Length; i++)
                    {
                        span[i].Score = scores[span[i].Slot];
                    }
                }
            }
            finally
            {
                if (scores is not null)
                {
                    ArrayPool<double>.Shared.Return(scores);
                }
            }
            page ??= Page(hits, sort, offset, pageSize, split);
            phase?.Invoke("facet counts, score and page");
            var undated = 0;
            if (plan.HasDateRange)
            {
                var stripped = SqliteSearchCompiler.WithoutDateRanges(root);
                var all = stripped is null ? Bits.All(rows.Count) : eval.Matching(SqliteSearchCompiler.Compile(stripped));
                var left = 0;
                foreach (var slot in Bits.Slots(Bits.And(all, readable)))
                {
                    left += rows.Dated[slot] ? 0 : 1;
                }
                undated = Math.Max(0, left - hits.Count(h => !h.Dated));
                phase?.Invoke("undated");
            }
            var (pageHits, originals) = ReadPage(source, searcher, map, plan, page, large);
            phase?.Invoke("read page");
            var facets = counter?.Results() ?? new Dictionary<string, IReadOnlyList<FacetValue>>();
            phase?.Invoke("facet results");
            originalHits = originals;
            // rows the index has not caught up with are not found yet; rows it holds beyond SQLite are never returned
            return new SearchResults(hits.Count, pageHits, facets, undated) { Complete = rows.Count == 0 || map is { Missing.Count: 0 } };
        }
        finally
        {
            searcher?.Dispose();
        }
    }

    /// <summary>
    /// Hit lists from this long are built, counted and scored on both cores (in an index large enough to split its
    /// phrases, <see cref="LuceneSearchIndex.Split"/>).
    /// </summary>
    private const int SplitHits = 20_000;

    /// <summary>The <paramref name="count"/> hits of <paramref name="matching"/> in slot order; on a large set, its two halves filled side by side.</summary>
    private static List<Hit> HitList(ulong[] matching, int count, SearchRows rows, bool split)
    {
        var hits = new List<Hit>(count);
        CollectionsMarshal.SetCount(hits, count);
        var middle = matching.Length / 2;
        var before = 0;
        for (var w = 0; w < middle; w++)
        {
            before += BitOperations.PopCount(matching[w]);
        }
        WorkSplit.Run(2, half =>
        {
            var span = CollectionsMarshal.AsSpan(hits);
            var n = half == 0 ? 0 : before;
            var (from, to) = half == 0 ? (0, middle) : (middle, matching.Length);
            for (var w = from; w < to; w++)
            {
                var bits = matching[w];
                while (bits != 0)
                {
                    var slot = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    ref var h = ref span[n++];
                    h.Slot = slot;
                    h.Row = rows.Ids[slot];
                    h.Doc = rows.Docs[slot];
                    h.DateMin = rows.DateMin[slot];
                    h.Dated = rows.Dated[slot];
                    h.Score = 0;
                }
            }
        }, split);
        return hits;
    }

    /// <summary>
    /// FTS5's BM25 over <paramref name="scored"/>, into <paramref name="scores"/> by slot: k1 1.2, b 0.75, IDF from the
    /// share of all search rows holding the phrase, each occurrence weighted by its column, the row's length in words of
    /// all columns against the average. Summed phrase by phrase in order, as bm25() does, so the doubles come out the same.
    /// </summary>
    private static void ScoreHits(List<Hit> hits, double[] scores, ulong[] matching, RowMap map, IReadOnlyList<FtsPhrase> scored, SqliteSearchEvaluator eval, bool split)
    {
        const double k1 = 1.2;
        const double b = 0.75;
        var rows = map.Rows;
        var nRow = (double)rows.Count;
        var avgdl = map.TotalTokens / nRow;
        var found = scored.Select(phrase => eval[phrase]).ToList();
        var idfs = found.Select(f =>
        {
            long nHit = f.Count;
            var value = Math.Log((nRow - nHit + 0.5) / (nHit + 0.5));
            return value <= 0.0 ? 1e-6 : value;
        }).ToList();
        foreach (var h in hits)
        {
            scores[h.Slot] = 0.0;
        }
        // every phrase of one search was read in the same parts of the index, so a row is in part i of each phrase
        // that holds it: the parts are scored side by side, each adding its rows' phrases in order, the same doubles
        var parts = found.Count == 0 ? 0 : found.Max(f => f.Parts.Count);
        WorkSplit.Run(parts, i =>
        {
            for (var p = 0; p < found.Count; p++)
            {
                if (i >= found[p].Parts.Count)
                {
                    continue;
                }
                var part = found[p].Parts[i];
                var idf = idfs[p];
                var slots = part.Slots;
                var counts = part.Counts;
                for (var e = 0; e < part.Count; e++)
                {
                    var slot = slots[e];
                    if (!Bits.Get(matching, slot))
                    {
                        continue;
                    }
                    // occurrences in column order, each adding its column's weight, as FTS5 walks them
                    var freq = 0.0;
                    for (var column = 0; column < Weights.Length; column++)
                    {
                        for (var j = counts[e * 5 + column]; j > 0; j--)
                        {
                            freq += Weights[column];
                        }
                    }
                    var d = (double)map.Tokens[slot];
                    scores[slot] += idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * d / avgdl)));
                }
            }
        }, split);
    }

    /// <summary>
    /// The hits of one page in order. Ties fall to the document key, so pages never repeat or skip a hit.
    /// Only the first <c>offset + size</c> are ordered, with a bounded heap.
    /// </summary>
    private static List<Hit> Page(List<Hit> hits, SearchSort sort, long offset, int size, bool split)
    {
        Comparison<Hit> order = sort switch
        {
            SearchSort.Relevance => (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc != b.Doc ? a.Doc.CompareTo(b.Doc) : a.Row.CompareTo(b.Row),
            SearchSort.DateDescending => (a, b) => a.Dated != b.Dated ? (a.Dated ? -1 : 1)
                : a.DateMin != b.DateMin ? b.DateMin.CompareTo(a.DateMin) : a.Doc != b.Doc ? a.Doc.CompareTo(b.Doc) : a.Row.CompareTo(b.Row),
            _ => (a, b) => a.Dated != b.Dated ? (a.Dated ? -1 : 1)
                : a.DateMin != b.DateMin ? a.DateMin.CompareTo(b.DateMin) : a.Doc != b.Doc ? a.Doc.CompareTo(b.Doc) : a.Row.CompareTo(b.Row),
        };
        if (offset >= hits.Count)
        {
            return [];
        }
        var keep = (int)Math.Min(hits.Count, offset + size);
        List<Hit> first;
        if (keep <= 64 && keep * 4 < hits.Count)
        {
            // a first page: the best few kept in order, each hit compared with the worst of them only; on a large
            // result set, the best of each half side by side, then the best of both (the order is total: no ties)
            var halves = new List<Hit>[2];
            var middle = split ? hits.Count / 2 : hits.Count;
            WorkSplit.Run(2, half => halves[half] = Best(half == 0 ? CollectionsMarshal.AsSpan(hits)[..middle] : CollectionsMarshal.AsSpan(hits)[middle..], order, keep), split);
            first = halves[1].Count == 0 ? halves[0] : Best([.. halves[0], .. halves[1]], order, keep);
        }
        else if (keep * 4 >= hits.Count)
        {
            first = [.. hits];
            first.Sort(order);
        }
        else
        {
            // the worst kept hit on top, so each better one replaces it
            var heap = new PriorityQueue<Hit, Hit>(keep + 1, Comparer<Hit>.Create((a, b) => order(b, a)));
            foreach (var h in hits)
            {
                heap.Enqueue(h, h);
                if (heap.Count > keep)
                {
                    heap.Dequeue();
                }
            }
            first = new List<Hit>(heap.Count);
            while (heap.Count > 0)
            {
                first.Add(heap.Dequeue());
            }
            first.Reverse();
        }
        return first.GetRange((int)offset, Math.Min(size, first.Count - (int)offset));
    }

    /// <summary>The first <paramref name="keep"/> of <paramref name="hits"/> in <paramref name="order"/>, kept in order as they are met.</summary>
    private static List<Hit> Best(ReadOnlySpan<Hit> hits, Comparison<Hit> order, int keep)
    {
        var best = new List<Hit>(keep + 1);
        foreach (var h in hits)
        {
            if (best.Count == keep && order(h, best[^1]) >= 0)
            {
                continue;
            }
            var at = best.Count;
            while (at > 0 && order(h, best[at - 1]) < 0)
            {
                at--;
            }
            best.Insert(at, h);
            if (best.Count > keep)
            {
                best.RemoveAt(best.Count - 1);
            }
        }
        return best;
    }

    private static (List<SearchHit> Hits, List<string> Originals) ReadPage(ISearchSource source,
        LuceneSearchIndex.Searcher? searcher, RowMap? map, SqliteSearchPlan plan, List<Hit> page, bool split)
    {
        var hits = new List<SearchHit>(page.Count);
        var originals = new List<string>();
        if (page.Count == 0)
        {
            return (hits, originals);
        }
        var details = source.Details(page.Select(h => h.Row).ToList());
        var missing = page.Where(h => searcher is null || map is null || map.DocOf[h.Slot] < 0).Select(h => h.Row).ToList();
        var fromDocuments = missing.Count == 0 ? [] : source.Texts(missing).ToDictionary(x => x.Row, x => x.Text);
        var made = new SearchHit?[page.Count];
        // each hit's stored texts and snippet are its own: on a large index, half the page is made on the other core
        WorkSplit.Run(2, half =>
        {
            for (var i = half; i < page.Count; i += 2)
            {
                var h = page[i];
                if (!details.TryGetValue(h.Row, out var d))
                {
                    continue;
                }
                // the row's own text: stored with its index document (columns read as the snippet needs them), or (a row
                // not indexed yet) made from the stored document
                Func<int, string> column = fromDocuments.TryGetValue(h.Row, out var text) ? c => text.Texts[c]
                    : new LuceneSearchIndex.StoredRow(searcher!.Index, map!.DocOf[h.Slot]).Column;
                var (snippet, inFootnote) = SearchSnippets.For(column, plan.Highlight);
                made[i] = new SearchHit(d.Id, d.Volume, d.Number, d.Type, column((int)TextColumn.Title), d.Date, snippet, inFootnote, Math.Round(h.Score, 6));
            }
        }, split);
        for (var i = 0; i < page.Count; i++)
        {
            if (made[i] is { } hit)
            {
                hits.Add(hit);
                if (details[page[i].Row].Original)
                {
                    originals.Add(hit.Id);
                }
            }
        }
        return (hits, originals);
    }

    /// <summary>
    /// Counts facet values over every hit, reading each hit's one record of <see cref="SearchRows.Facets"/>: in one array
    /// indexed by value code (codes are unique across facets), one of steps per year and per decade, and one indexed by
    /// file subject; then names the top ones.
    /// </summary>
    internal sealed class FacetCounter : IDisposable
    {
        // volume, type, classification, sender, recipient, persons
        private static readonly string[] Names = [SearchFacets.Volume, SearchFacets.Type, SearchFacets.Classification, SearchFacets.From, SearchFacets.To, SearchFacets.Person];
        private readonly ISearchSource _source;
        private readonly SearchRows _rows;
        private readonly FacetTable _table;
        private readonly List<int>[] _seen = [.. Names.Select(_ => new List<int>())];
        private readonly List<int> _subjectsSeen = [];
        private readonly int[] _counts;
        private readonly int[] _subjectCounts;
        // per subject, the file entry of the first hit row naming it (the facet prints the subject as that document does)
        private readonly int[] _subjectFirst;
        // the years' and decades' counts as steps: +1 where a row's run of years starts, -1 after it ends (summed in Results)
        private readonly int[] _yearSteps;
        private readonly int[] _decadeSteps;

        /// <summary>A counter of the facets of <paramref name="rows"/>, naming values from <paramref name="source"/>.</summary>
        public FacetCounter(ISearchSource source, SearchRows rows)
        {
            _source = source;
            _rows = rows;
            _table = rows.Facets();
            // codes are those of these rows (MaxCode), so the counts never need to grow
            _counts = Rent(rows.MaxCode() + 1);
            _subjectCounts = Rent(rows.Subjects.Length);
            _subjectFirst = ArrayPool<int>.Shared.Rent(rows.Subjects.Length);
            _yearSteps = Rent(Math.Max(_table.LastYear - _table.FirstYear + 2, 0));
            _decadeSteps = Rent(Math.Max(_table.LastYear / 10 - _table.FirstYear / 10 + 2, 0));
        }

        private static int[] Rent(int length)
        {
            var array = ArrayPool<int>.Shared.Rent(length);
            Array.Clear(array, 0, length);
            return array;
        }

        /// <summary>Counts every facet over the slots set in <paramref name="matching"/>.</summary>
        public void Count(ulong[] matching)
        {
            var table = _table.Rows;
            var counts = _counts;
            var codes = _table.PersonCodes;
            var (volumes, types, classifications, senders, recipients, persons) = (_seen[0], _seen[1], _seen[2], _seen[3], _seen[4], _seen[5]);
            var low = _table.FirstYear;
            var lowDecade = low / 10;
            var years = _yearSteps;
            var decades = _decadeSteps;
            for (var i = 0; i < matching.Length; i++)
            {
                for (var w = matching[i]; w != 0; w &= w - 1)
                {
                    var slot = (i << 6) + BitOperations.TrailingZeroCount(w);
                    ref readonly var f = ref table[slot];
                    ref readonly var next = ref table[slot + 1];
                    Add(counts, f.Volume, volumes);
                    Add(counts, f.Type, types);
                    Add(counts, f.Classification, classifications);
                    Add(counts, f.Sender, senders);
                    Add(counts, f.Recipient, recipients);
                    for (var p = f.PersonStart; p < next.PersonStart; p++)
                    {
                        Add(counts, codes[p], persons);
                    }
                    // a document counts in every year (and decade) its date range overlaps, as date:1945 would find it
                    int first = f.FirstYear, last = f.LastYear;
                    if (last >= first)
                    {
                        years[first - low]++;
                        years[last - low + 1]--;
                    }
                    if (last >= first / 10 * 10)
                    {
                        decades[first / 10 - lowDecade]++;
                        decades[last / 10 - lowDecade + 1]--;
                    }
                    if (next.FileStart > f.FileStart)
                    {
                        CountFiles(f.FileStart, next.FileStart);
                    }
                }
            }
        }

        /// <summary>
        /// Counts <paramref name="code"/>; its first hit lists it in <paramref name="seen"/>. 0 (no value) is counted and
        /// listed too and left out by <see cref="Results"/>: a test for it here costs a mispredicted branch per hit where
        /// many rows lack a sender or recipient.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(int[] counts, int code, List<int> seen)
        {
            if (counts[code]++ == 0)
            {
                seen.Add(code);
            }
        }

        /// <summary>
        /// Counts the file subjects of one hit row's file entries <paramref name="start"/> to <paramref name="end"/>,
        /// each subject once however many of its numbers the row has. Hits come in row order, so the first row seen
        /// naming a subject is the smallest.
        /// </summary>
        private void CountFiles(int start, int end)
        {
            var r = _rows;
            var fileSubject = r.FileSubject;
            for (var i = start; i < end; i++)
            {
                var subject = fileSubject[i];
                if (r.Subjects[subject].Length == 0)
                {
                    continue;
                }
                var again = false;
                for (var j = start; j < i && !again; j++)
                {
                    again = fileSubject[j] == subject;
                }
                if (again)
                {
                    continue;
                }
                if (_subjectCounts[subject]++ == 0)
                {
                    _subjectFirst[subject] = i;
                    _subjectsSeen.Add(subject);
                }
            }
        }

        /// <summary>The top values of every facet (<see cref="SearchFacets.All"/>) with their counts.</summary>
        public Dictionary<string, IReadOnlyList<FacetValue>> Results()
        {
            // the top values by count; among equal counts the earlier code, so the choice is stable
            var counts = _counts;
            Comparison<int> byCount = (a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b);
            var facets = new Dictionary<string, IReadOnlyList<FacetValue>>();
            for (var i = 0; i < Names.Length; i++)
            {
                _seen[i].Remove(0);
                facets[Names[i]] = Best(_seen[i], byCount).Select(code => new FacetValue(_rows.Display(_source, code) ?? "", counts[code]))
                    .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList();
            }
            var (low, high) = (_table.FirstYear, _table.LastYear);
            facets[SearchFacets.Year] = TopYears(_yearSteps, low, high - low + 1, y => y.ToString("0000", CultureInfo.InvariantCulture));
            facets[SearchFacets.Decade] = TopYears(_decadeSteps, low / 10, high / 10 - low / 10 + 1,
                d => (d * 10).ToString("0000", CultureInfo.InvariantCulture) + "s");
            // as FileSubjects counts them: equal counts ordered by the subject in capitals, each named as the first hit
            // row's document prints it
            var subjectCounts = _subjectCounts;
            var upper = _rows.SubjectsUpper;
            Comparison<int> bySubject = (a, b) => subjectCounts[a] != subjectCounts[b] ? subjectCounts[b].CompareTo(subjectCounts[a])
                : string.CompareOrdinal(upper[a], upper[b]);
            facets[SearchFacets.File] = Best(_subjectsSeen, bySubject)
                .Select(subject => new FacetValue(_rows.FilePrinted[_subjectFirst[subject]] is var p and >= 0 ? _rows.PrintedSubjects[p] : upper[subject], subjectCounts[subject]))
                .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList();
            return SearchFacets.All.ToDictionary(f => f, f => facets[f]);
        }

        /// <summary>The first <see cref="SearchFacets.Top"/> of <paramref name="items"/> in <paramref name="order"/>, without sorting them all.</summary>
        private static List<int> Best(List<int> items, Comparison<int> order)
        {
            var best = new List<int>(SearchFacets.Top + 1);
            foreach (var item in items)
            {
                if (best.Count == SearchFacets.Top && order(item, best[^1]) >= 0)
                {
                    continue;
                }
                var at = best.Count;
                while (at > 0 && order(item, best[at - 1]) < 0)
                {
                    at--;
                }
                best.Insert(at, item);
                if (best.Count > SearchFacets.Top)
                {
                    best.RemoveAt(best.Count - 1);
                }
            }
            return best;
        }

        /// <summary>
        /// The counts of <paramref name="length"/> keys from <paramref name="first"/>, summed from their
        /// <paramref name="steps"/>: the largest first, equal counts in key order.
        /// </summary>
        private static List<FacetValue> TopYears(int[] steps, int first, int length, Func<int, string> label)
        {
            var counts = new List<(int Key, int Count)>();
            var n = 0;
            for (var i = 0; i < length; i++)
            {
                n += steps[i];
                if (n > 0)
                {
                    counts.Add((first + i, n));
                }
            }
            counts.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a.Key.CompareTo(b.Key));
            return [.. counts.Take(SearchFacets.Top).Select(kv => new FacetValue(label(kv.Key), kv.Count))];
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_counts);
            ArrayPool<int>.Shared.Return(_subjectCounts);
            ArrayPool<int>.Shared.Return(_subjectFirst);
            ArrayPool<int>.Shared.Return(_yearSteps);
            ArrayPool<int>.Shared.Return(_decadeSteps);
        }
    }
}
