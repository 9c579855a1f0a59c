using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Full-text search for the embedded archive. Each document has one search row per text readers may search
/// (<see cref="SearchView"/>). The row holds what filters, facets, sorting and access need as small integers
/// (field values are codes into <c>search_terms</c>, dates are <c>yyyyMMddHHmm</c> numbers, and the document's
/// access columns are copied, kept equal by triggers); the FTS5 table <c>search_text</c> (rowid = search row id)
/// holds its words. A query streams the matching rows once, filtered by <see cref="AccessFilter.SearchViewSql"/>
/// inside the SQL, and counts the total, the facets and the page from that one pass.
/// </summary>
internal static class SqliteSearchIndex
{
    /// <summary>BM25 column weights: title, sender, recipient, body, footnotes.</summary>
    private const string Bm25 = "bm25(search_text, 4.0, 3.0, 3.0, 1.0, 0.4)";

    /// <summary>Words in a snippet.</summary>
    private const int SnippetWords = 30;

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
        CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
            title, sender, recipient, body, footnotes,
            tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER IF NOT EXISTS search_rows_access AFTER UPDATE OF release, level, controls ON documents
        BEGIN
            UPDATE search_rows SET release = NEW.release, level = NEW.level, controls = NEW.controls WHERE doc = NEW.key;
        END;
        CREATE TRIGGER IF NOT EXISTS search_rows_document_gone AFTER DELETE ON documents
        BEGIN
            DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_rows WHERE doc = OLD.key);
            DELETE FROM search_persons WHERE row IN (SELECT id FROM search_rows WHERE doc = OLD.key);
            DELETE FROM search_files WHERE row IN (SELECT id FROM search_rows WHERE doc = OLD.key);
            DELETE FROM search_rows WHERE doc = OLD.key;
        END;
        """;

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

    // ---- writing ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Adds one searchable text of a document (called once per <see cref="SearchView"/> row, after the
    /// <c>documents</c> row is written: its access columns are copied from there). For many documents in one
    /// transaction, <see cref="SqliteSearchWriter"/> prepares its statements once.
    /// </summary>
    public static void Index(SqliteConnection c, SqliteTransaction t, long docKey, SearchView view, Document doc)
    {
        using var writer = new SqliteSearchWriter(c, t);
        writer.Index(docKey, view, doc);
    }

    /// <summary>Removes every search row of a document.</summary>
    public static void Remove(SqliteConnection c, SqliteTransaction t, long docKey)
    {
        using var cmd = Command(c, t, """
            DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_rows WHERE doc = $doc);
            DELETE FROM search_persons WHERE row IN (SELECT id FROM search_rows WHERE doc = $doc);
            DELETE FROM search_files WHERE row IN (SELECT id FROM search_rows WHERE doc = $doc);
            DELETE FROM search_rows WHERE doc = $doc;
            """);
        Add(cmd, "$doc", docKey);
        cmd.ExecuteNonQuery();
    }

    // ---- searching --------------------------------------------------------------------------------------------

    /// <summary>One matching row, as the single pass over the result set keeps it.</summary>
    private struct Hit
    {
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
    public static SearchResults Search(SqliteConnection c, SearchRequest request, AccessFilter access, out IReadOnlyList<string> originalHits)
    {
        var root = QueryParser.Parse(request.Query);
        var plan = SqliteSearchCompiler.Compile(root);
        var pageSize = Math.Clamp(request.PageSize, 1, 1000);
        var offset = (Math.Max(request.Page, 1) - 1L) * pageSize;
        var ranked = plan.Highlight is not null && request.Sort == SearchSort.Relevance;
        var sort = ranked ? SearchSort.Relevance : request.Sort == SearchSort.Relevance ? SearchSort.DateAscending : request.Sort;

        // one read snapshot for the pass, the page and the snippets
        using var t = c.BeginTransaction(deferred: true);
        using var counter = request.Facets ? new FacetCounter(c, t) : null;
        var hits = ReadHits(c, plan, access, ranked && plan.Match is not null, counter);
        counter?.CountFiles(hits);
        if (ranked && plan.Match is null && hits.Count > 0)
        {
            ScoreHits(c, t, plan.Highlight!, hits);
        }
        var undated = plan.HasDateRange ? CountLeftOutUndated(c, t, root, access, hits.Count(h => !h.Dated)) : 0;
        var page = Page(hits, sort, offset, pageSize);
        var (pageHits, originals) = ReadPage(c, t, plan, page);
        var facets = counter?.Results() ?? new Dictionary<string, IReadOnlyList<FacetValue>>();
        t.Commit();
        originalHits = originals;
        return new SearchResults(hits.Count, pageHits, facets, undated);
    }

    /// <summary>
    /// The single pass: every row the reader may see that matches, with what sorting and facets need. It runs on the
    /// raw SQLite statement: on tens of thousands of rows the per-column cost of the ADO.NET reader is most of the time.
    /// </summary>
    private static List<Hit> ReadHits(SqliteConnection c, SqliteSearchPlan plan, AccessFilter access, bool score, FacetCounter? counter)
    {
        var columns = "r.id, r.doc, " + (score ? "-" + Bm25 : "0") + ", r.date_min"
            + (counter is null ? "" : ", r.date_max, r.volume, r.type, r.classification, r.sender, r.recipient, r.persons");
        var sql = plan.Match is null
            ? $"""
              SELECT {columns} FROM search_rows r
              WHERE {AccessFilter.SearchViewSql("r", "r")} AND ({plan.Where})
              """
            : $"""
              SELECT {columns} FROM search_text CROSS JOIN search_rows r ON r.id = search_text.rowid
              WHERE search_text MATCH $match AND {AccessFilter.SearchViewSql("r", "r")} AND ({plan.Where})
              """;
        using var statement = new RawStatement(c, sql);
        statement.Bind(plan, access);
        var hits = new List<Hit>();
        var stmt = statement.Handle;
        while (statement.Step())
        {
            var dated = raw.sqlite3_column_type(stmt, 3) != raw.SQLITE_NULL;
            hits.Add(new Hit
            {
                Row = raw.sqlite3_column_int64(stmt, 0),
                Doc = raw.sqlite3_column_int64(stmt, 1),
                Score = raw.sqlite3_column_double(stmt, 2),
                DateMin = dated ? raw.sqlite3_column_int64(stmt, 3) : 0,
                Dated = dated,
            });
            counter?.Count(stmt, dated);
        }
        return hits;
    }

    /// <summary>A statement on the connection's own SQLite handle, inside whatever transaction the connection is in.</summary>
    private sealed class RawStatement : IDisposable
    {
        private readonly sqlite3 _db;

        public RawStatement(SqliteConnection c, string sql)
        {
            _db = c.Handle ?? throw new InvalidOperationException("the connection is not open");
            var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
            SqliteException.ThrowExceptionForRC(rc, _db);
            Handle = stmt;
        }

        public sqlite3_stmt Handle { get; }

        public void Bind(SqliteSearchPlan plan, AccessFilter access)
        {
            Bind("$acc_cleared", access.Cleared ? 1L : 0L);
            Bind("$acc_level", (long)access.Level);
            Bind("$acc_mask", access.Mask);
            if (plan.Match is not null)
            {
                Bind("$match", plan.Match);
            }
            foreach (var (name, value) in plan.Parameters)
            {
                Bind(name, value);
            }
        }

        private void Bind(string name, object value)
        {
            var i = raw.sqlite3_bind_parameter_index(Handle, name);
            if (i == 0)
            {
                return;
            }
            var rc = value switch
            {
                long l => raw.sqlite3_bind_int64(Handle, i, l),
                int n => raw.sqlite3_bind_int64(Handle, i, n),
                double d => raw.sqlite3_bind_double(Handle, i, d),
                string s => raw.sqlite3_bind_text(Handle, i, s),
                _ => throw new InvalidOperationException("cannot bind " + value.GetType().Name),
            };
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        public bool Step()
        {
            var rc = raw.sqlite3_step(Handle);
            if (rc == raw.SQLITE_ROW)
            {
                return true;
            }
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return false;
        }

        public void Dispose() => Handle.Dispose();
    }

    /// <summary>Relevance for hits found without a driving MATCH (text under OR with fields): BM25 of the text terms.</summary>
    private static void ScoreHits(SqliteConnection c, SqliteTransaction t, string highlight, List<Hit> hits)
    {
        var scores = new Dictionary<long, double>();
        using (var cmd = Command(c, t, $"SELECT rowid, -{Bm25} FROM search_text WHERE search_text MATCH $hl"))
        {
            Add(cmd, "$hl", highlight);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                scores[reader.GetInt64(0)] = reader.GetDouble(1);
            }
        }
        var span = CollectionsMarshal.AsSpan(hits);
        for (var i = 0; i < span.Length; i++)
        {
            span[i].Score = scores.GetValueOrDefault(span[i].Row);
        }
    }

    /// <summary>
    /// The hits of one page in order. Ties fall to the document key, so pages never repeat or skip a hit.
    /// Only the first <c>offset + size</c> are ordered, with a bounded heap.
    /// </summary>
    private static List<Hit> Page(List<Hit> hits, SearchSort sort, long offset, int size)
    {
        Comparison<Hit> order = sort switch
        {
            SearchSort.Relevance => (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc),
            SearchSort.DateDescending => (a, b) => a.Dated != b.Dated ? (a.Dated ? -1 : 1)
                : a.DateMin != b.DateMin ? b.DateMin.CompareTo(a.DateMin) : a.Doc.CompareTo(b.Doc),
            _ => (a, b) => a.Dated != b.Dated ? (a.Dated ? -1 : 1)
                : a.DateMin != b.DateMin ? a.DateMin.CompareTo(b.DateMin) : a.Doc.CompareTo(b.Doc),
        };
        if (offset >= hits.Count)
        {
            return [];
        }
        var keep = (int)Math.Min(hits.Count, offset + size);
        List<Hit> first;
        if (keep * 4 >= hits.Count)
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

    private static (List<SearchHit> Hits, List<string> Originals) ReadPage(SqliteConnection c, SqliteTransaction t, SqliteSearchPlan plan, List<Hit> page)
    {
        var hits = new List<SearchHit>(page.Count);
        var originals = new List<string>();
        if (page.Count == 0)
        {
            return (hits, originals);
        }
        var details = new Dictionary<long, (string Id, string? Number, string Volume, string Type, string? Date, bool Original)>();
        // volume, type and number as the document itself spells them
        using (var cmd = Command(c, t, ""))
        {
            var ids = new StringBuilder();
            for (var i = 0; i < page.Count; i++)
            {
                ids.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"$r{i}");
                Add(cmd, $"$r{i}", page[i].Row);
            }
            cmd.CommandText = $"""
                SELECT r.id, d.id, d.number, d.volume, d.type, r.date_text,
                       r.view = 2 OR (r.view = 0 AND r.release NOT IN {AccessFilter.ReleasedStates})
                FROM search_rows r JOIN documents d ON d.key = r.doc
                WHERE r.id IN ({ids})
                """;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                details[reader.GetInt64(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6) != 0);
            }
        }
        using var snippets = new Snippets(c, t, plan.Highlight);
        foreach (var h in page)
        {
            if (!details.TryGetValue(h.Row, out var d))
            {
                continue;
            }
            var (title, snippet, inFootnote) = snippets.For(h.Row);
            hits.Add(new SearchHit(d.Id, d.Volume, d.Number, d.Type, title, d.Date, snippet, inFootnote, Math.Round(h.Score, 6)));
            if (d.Original)
            {
                originals.Add(d.Id);
            }
        }
        return (hits, originals);
    }

    /// <summary>Titles and keyword-in-context snippets for the rows of one page, from each row's own text.</summary>
    private sealed class Snippets : IDisposable
    {
        private readonly SqliteCommand? _body;
        private readonly SqliteCommand? _notes;
        private readonly SqliteCommand _plain;

        public Snippets(SqliteConnection c, SqliteTransaction t, string? highlight)
        {
            if (highlight is not null)
            {
                _body = Command(c, t, $"""
                    SELECT title, snippet(search_text, 3, '«', '»', '…', {SnippetWords})
                    FROM search_text WHERE search_text MATCH $hl AND rowid = $row
                    """);
                Add(_body, "$hl", highlight);
                Add(_body, "$row", 0L);
                _notes = Command(c, t, $"""
                    SELECT instr(highlight(search_text, 0, '«', '»'), '«') + instr(highlight(search_text, 1, '«', '»'), '«')
                             + instr(highlight(search_text, 2, '«', '»'), '«'),
                           snippet(search_text, 4, '«', '»', '…', {SnippetWords})
                    FROM search_text WHERE search_text MATCH $hl AND rowid = $row
                    """);
                Add(_notes, "$hl", highlight);
                Add(_notes, "$row", 0L);
            }
            _plain = Command(c, t, "SELECT title, body, footnotes FROM search_text WHERE rowid = $row");
            Add(_plain, "$row", 0L);
        }

        public (string Title, string Snippet, bool InFootnote) For(long row)
        {
            if (_body is not null && _notes is not null)
            {
                string? title = null;
                _body.Parameters["$row"].Value = row;
                using (var reader = _body.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        title = reader.GetString(0);
                        // paragraphs and notes are stored one per line; a snippet reads as one run of text
                        var body = reader.GetString(1);
                        if (body.Contains('«'))
                        {
                            return (title, body.Replace('\n', ' '), false);
                        }
                    }
                }
                if (title is not null)
                {
                    _notes.Parameters["$row"].Value = row;
                    using var reader = _notes.ExecuteReader();
                    if (reader.Read())
                    {
                        var notes = reader.GetString(1);
                        if (notes.Contains('«'))
                        {
                            return (title, notes.Replace('\n', ' '), reader.GetInt64(0) == 0);
                        }
                    }
                }
            }
            _plain.Parameters["$row"].Value = row;
            using (var reader = _plain.ExecuteReader())
            {
                if (reader.Read())
                {
                    var body = reader.GetString(1);
                    return (reader.GetString(0), Lead((body.Length > 0 ? body : reader.GetString(2)).Replace('\n', ' ')), false);
                }
            }
            return ("", "", false);
        }

        /// <summary>The first words of a text, cut between words.</summary>
        private static string Lead(string text)
        {
            var words = 0;
            var inWord = false;
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    if (inWord && ++words == SnippetWords)
                    {
                        return text[..i] + "…";
                    }
                    inWord = false;
                }
                else
                {
                    inWord = true;
                }
            }
            return text;
        }

        public void Dispose()
        {
            _body?.Dispose();
            _notes?.Dispose();
            _plain.Dispose();
        }
    }

    /// <summary>Undated documents the query would match without its date ranges, minus those it matches anyway.</summary>
    private static int CountLeftOutUndated(SqliteConnection c, SqliteTransaction t, QueryNode root, AccessFilter access, int matchedUndated)
    {
        var stripped = SqliteSearchCompiler.WithoutDateRanges(root);
        var plan = stripped is null ? null : SqliteSearchCompiler.Compile(stripped);
        var sql = plan?.Match is null
            ? $"""
              SELECT count(*) FROM search_rows r
              WHERE r.date_min IS NULL AND {AccessFilter.SearchViewSql("r", "r")} AND ({plan?.Where ?? "1"})
              """
            : $"""
              SELECT count(*) FROM search_text CROSS JOIN search_rows r ON r.id = search_text.rowid
              WHERE search_text MATCH $match AND r.date_min IS NULL AND {AccessFilter.SearchViewSql("r", "r")} AND ({plan.Where})
              """;
        using var count = Command(c, t, sql);
        if (plan is not null)
        {
            Bind(count, plan, access);
        }
        else
        {
            access.AddParameters(count);
        }
        return (int)Math.Max(0, (long)count.ExecuteScalar()! - matchedUndated);
    }

    /// <summary>
    /// Counts facet values over every hit as the pass reads them, in one array indexed by value code (codes are
    /// unique across facets), then names the top ones.
    /// </summary>
    private sealed class FacetCounter : IDisposable
    {
        // the pass's columns 5..9 (volume, type, classification, sender, recipient) and 10 (persons)
        private static readonly string[] Names = [SearchFacets.Volume, SearchFacets.Type, SearchFacets.Classification, SearchFacets.From, SearchFacets.To, SearchFacets.Person];
        private readonly SqliteConnection _c;
        private readonly SqliteTransaction _t;
        private readonly List<int>[] _seen = [.. Names.Select(_ => new List<int>())];
        private readonly Dictionary<(int First, int Last), int> _years = [];
        private readonly FileSubjects _files = new();
        private int[] _counts;

        public FacetCounter(SqliteConnection c, SqliteTransaction t)
        {
            _c = c;
            _t = t;
            using var cmd = Command(c, t, "SELECT coalesce(max(id), 0) FROM search_terms");
            _counts = ArrayPool<int>.Shared.Rent((int)(long)cmd.ExecuteScalar()! + 1);
            Array.Clear(_counts);
        }

        public void Count(sqlite3_stmt stmt, bool dated)
        {
            for (var i = 0; i < 5; i++)
            {
                Increment(i, raw.sqlite3_column_int64(stmt, 5 + i));
            }
            var persons = raw.sqlite3_column_blob(stmt, 10);
            for (var i = 0; i + 4 <= persons.Length; i += 4)
            {
                Increment(5, BinaryPrimitives.ReadInt32LittleEndian(persons[i..]));
            }
            if (dated)
            {
                var years = ((int)(raw.sqlite3_column_int64(stmt, 3) / 100_000_000), (int)(raw.sqlite3_column_int64(stmt, 4) / 100_000_000));
                ref var n = ref CollectionsMarshal.GetValueRefOrAddDefault(_years, years, out _);
                n++;
            }
        }

        private void Increment(int facet, long code)
        {
            if (code <= 0)
            {
                return;
            }
            if (code >= _counts.Length)
            {
                // a value added since the pass began: cannot happen inside one read snapshot, but stay safe
                var bigger = ArrayPool<int>.Shared.Rent((int)code + 1);
                Array.Clear(bigger);
                _counts.AsSpan().CopyTo(bigger);
                ArrayPool<int>.Shared.Return(_counts);
                _counts = bigger;
            }
            if (_counts[code]++ == 0)
            {
                _seen[facet].Add((int)code);
            }
        }

        /// <summary>
        /// Counts the file subjects of <paramref name="hits"/> after the pass: file numbers live in their own table,
        /// and most documents have none, so the pass does not join them.
        /// </summary>
        public void CountFiles(List<Hit> hits)
        {
            if (hits.Count == 0)
            {
                return;
            }
            // few hits against the file numbers there are: look each hit up; many: one pass over the table is cheaper
            using var few = Command(_c, _t, "SELECT count(*) FROM (SELECT 1 FROM search_files LIMIT $limit)");
            SqliteSearchIndex.Add(few, "$limit", hits.Count * 4L);
            if ((long)few.ExecuteScalar()! < hits.Count * 4L)
            {
                var rows = new HashSet<long>(hits.Count);
                foreach (var hit in hits)
                {
                    rows.Add(hit.Row);
                }
                using var all = Command(_c, _t, "SELECT row, file FROM search_files ORDER BY row");
                using var scan = all.ExecuteReader();
                while (scan.Read())
                {
                    if (rows.Contains(scan.GetInt64(0)))
                    {
                        _files.Add(scan.GetInt64(0), scan.GetString(1));
                    }
                }
                return;
            }
            var list = new StringBuilder(hits.Count * 8).Append('[');
            for (var i = 0; i < hits.Count; i++)
            {
                list.Append(i == 0 ? "" : ",").Append(hits[i].Row.ToString(CultureInfo.InvariantCulture));
            }
            using var cmd = Command(_c, _t, "SELECT row, file FROM search_files WHERE row IN (SELECT value FROM json_each($rows)) ORDER BY row");
            SqliteSearchIndex.Add(cmd, "$rows", list.Append(']').ToString());
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                _files.Add(reader.GetInt64(0), reader.GetString(1));
            }
        }

        /// <summary>The printed file numbers of the documents naming the top file subjects.</summary>
        private Dictionary<long, string> PrintedFiles()
        {
            var printed = new Dictionary<long, string>();
            var rows = _files.TopRows();
            if (rows.Count == 0)
            {
                return printed;
            }
            using var cmd = Command(_c, _t, """
                SELECT r.id, d.file_numbers FROM search_rows r JOIN documents d ON d.key = r.doc
                WHERE r.id IN (SELECT value FROM json_each($rows))
                """);
            SqliteSearchIndex.Add(cmd, "$rows", "[" + string.Join(',', rows.Select(r => r.ToString(CultureInfo.InvariantCulture))) + "]");
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                printed[reader.GetInt64(0)] = reader.GetString(1);
            }
            return printed;
        }

        public Dictionary<string, IReadOnlyList<FacetValue>> Results()
        {
            // the top values by count; among equal counts the earlier code, so the choice is stable
            var top = _seen.Select(codes => codes.OrderByDescending(code => _counts[code]).ThenBy(code => code).Take(SearchFacets.Top).ToList()).ToList();
            var names = Display(top.SelectMany(codes => codes).ToList());
            var facets = new Dictionary<string, IReadOnlyList<FacetValue>>();
            for (var i = 0; i < Names.Length; i++)
            {
                facets[Names[i]] = top[i].Select(code => new FacetValue(names[code], _counts[code]))
                    .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList();
            }
            // a document counts in every year (and decade) its date range overlaps, as date:1945 would find it
            var years = new Dictionary<int, int>();
            var decades = new Dictionary<int, int>();
            foreach (var ((first, lastYear), n) in _years)
            {
                var last = Math.Min(lastYear, first + 500);
                for (var y = first; y <= last; y++)
                {
                    years[y] = years.GetValueOrDefault(y) + n;
                }
                for (var d = first / 10 * 10; d <= last; d += 10)
                {
                    decades[d] = decades.GetValueOrDefault(d) + n;
                }
            }
            facets[SearchFacets.Year] = TopYears(years, y => y.ToString("0000", CultureInfo.InvariantCulture));
            facets[SearchFacets.Decade] = TopYears(decades, d => d.ToString("0000", CultureInfo.InvariantCulture) + "s");
            facets[SearchFacets.File] = _files.Results(PrintedFiles());
            return SearchFacets.All.ToDictionary(f => f, f => facets[f]);
        }

        private Dictionary<int, string> Display(List<int> codes)
        {
            var names = new Dictionary<int, string>();
            if (codes.Count == 0)
            {
                return names;
            }
            using var cmd = Command(_c, _t, "");
            var list = new StringBuilder();
            for (var i = 0; i < codes.Count; i++)
            {
                list.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"$c{i}");
                SqliteSearchIndex.Add(cmd, $"$c{i}", (long)codes[i]);
            }
            cmd.CommandText = $"SELECT id, display FROM search_terms WHERE id IN ({list})";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                names[(int)reader.GetInt64(0)] = reader.GetString(1);
            }
            return names;
        }

        private static List<FacetValue> TopYears(Dictionary<int, int> counts, Func<int, string> label) =>
            counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(SearchFacets.Top)
                .Select(kv => new FacetValue(label(kv.Key), kv.Value)).ToList();

        public void Dispose() => ArrayPool<int>.Shared.Return(_counts);
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    internal static string BodyText(Document doc)
    {
        var sb = new StringBuilder();
        foreach (var block in doc.Body)
        {
            var text = block switch
            {
                Paragraph p => p.Text,
                ExcisionBlock e => e.Text,
                _ => null,
            };
            if (!string.IsNullOrEmpty(text))
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }
                sb.Append(text);
            }
        }
        if (!string.IsNullOrEmpty(doc.Signed))
        {
            sb.Append('\n').Append(doc.Signed);
        }
        return sb.ToString();
    }

    internal static string FootnoteText(Document doc)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(doc.SourceNote))
        {
            parts.Add(doc.SourceNote);
        }
        parts.AddRange(doc.Footnotes.Select(f => f.Text).Where(t => t.Length > 0));
        return string.Join('\n', parts);
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static void Bind(SqliteCommand cmd, SqliteSearchPlan plan, AccessFilter access)
    {
        access.AddParameters(cmd);
        if (plan.Match is not null)
        {
            Add(cmd, "$match", plan.Match);
        }
        foreach (var (name, value) in plan.Parameters)
        {
            Add(cmd, name, value);
        }
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? t, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Add(SqliteCommand cmd, string name, object? value) =>
        cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
}
