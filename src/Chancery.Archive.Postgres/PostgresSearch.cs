using System.Globalization;
using System.Text.Json;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// Full-text search for the server archive, giving the embedded archive's answers: the same query tree compiled the
/// same way, the same hit set, the same BM25 (FTS5's formula, column weights and statistics over every search row),
/// the same ordering with ties broken by document key, the same snippets, facets and undated count.
/// </summary>
/// <remarks>
/// Each document has one search row per text readers may search (<see cref="SearchView"/>), holding the codes of
/// its field values (filters and facets), its length in words and each column's folded words spaced out
/// (<c>" a  b "</c>). Words are folded in C# (<see cref="SearchFolding"/>), never by PostgreSQL's parser or the
/// unaccent extension, so both stores split and fold text identically. The inverted index
/// (<see cref="PostgresPostings"/>) tells which rows hold a word and how often, per column kind; a phrase of several
/// words is then found and counted in the spaced words of the rows holding all its words. PostgreSQL's tsvector is
/// not used: its limits (256 occurrences of a word, positions up to 16,383) would make long documents match and
/// score differently, and FTS5's BM25 needs counts it does not give.
/// </remarks>
internal static class PostgresSearch
{
    /// <summary>
    /// BM25 weights of the column kinds: the embedded index weighs title 4, sender 3, recipient 3, body 1 and
    /// footnotes 0.4; sender and recipient share a kind here, which sums the same.
    /// </summary>
    private static readonly double[] KindWeights = [4.0, 3.0, 1.0, 0.4];

    // ---- indexing ---------------------------------------------------------------------------------------------

    /// <summary>
    /// SQL inserting the search rows (with persons and files) of the document whose key the CTE <c>d</c> yields,
    /// one row per element of the view arrays.
    /// </summary>
    public const string InsertRowsSql = """
        r AS (
            INSERT INTO search_rows(id, doc, view, date_min, date_max, year_min, year_max, date_text,
                volume, type, classification, sender, recipient, place, persons, tokens, lexemes)
            SELECT v.id, d.key, v.view, @s_date_min, @s_date_max, @s_year_min, @s_year_max, @s_date_text,
                @s_volume, @s_type, @s_classification, @s_sender, @s_recipient, @s_place, @s_persons, v.tokens,
                string_to_array(v.lexemes, ' ')
            FROM d, unnest(@s_ids, @s_views, @s_tokens, @s_lexemes) AS v(id, view, tokens, lexemes)
            RETURNING id),
        p AS (
            INSERT INTO search_persons(code, row_id) SELECT u.code, r.id FROM r, unnest(@s_person_codes) AS u(code))
        INSERT INTO search_files(file, row_id) SELECT u.file, r.id FROM r, unnest(@s_files) AS u(file)
        """;

    /// <summary>Takes <paramref name="count"/> new search row ids, so rows and their postings can be written together.</summary>
    public static long[] NewRowIds(NpgsqlConnection c, NpgsqlTransaction t, int count) => NewIds(c, t, "search_rows", "id", count);

    /// <summary>Takes <paramref name="count"/> values of an identity column's sequence, ascending.</summary>
    public static long[] NewIds(NpgsqlConnection c, NpgsqlTransaction t, string table, string column, int count)
    {
        using var cmd = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence(@t, @c)) FROM generate_series(1, @n)", c, t);
        cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Text) { Value = table });
        cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Text) { Value = column });
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = count });
        var ids = new List<long>(count);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }
        ids.Sort();
        return [.. ids];
    }

    /// <summary>What a document's search rows hold: the fields all its views share, and per view the row id, words and length.</summary>
    public sealed record RowValues(
        string? DateMin, string? DateMax, int? YearMin, int? YearMax, string? DateText,
        long Volume, long Type, long Classification, long Sender, long Recipient, long Place,
        long[] Persons, long[] PersonCodes, string[] Files,
        long[] Ids, short[] Views, int[] Tokens, string[][] Lexemes);

    /// <summary>
    /// The values of the search rows for the views of one document, recording their postings; its field values must
    /// have been registered with <paramref name="terms"/>.
    /// </summary>
    public static RowValues Rows(IReadOnlyList<(SearchView View, Document Doc)> views, PostgresSearchTerms terms, ReadOnlySpan<long> ids, PostgresPostings postings)
    {
        // fields other than the text are the same in every view (a review cuts body text only)
        var doc = views[0].Doc;
        var date = doc.Date;
        var min = date?.MinKey;
        var max = date?.MaxKey;
        // the person facet counts names; the person field finds names and persons-list ids
        var names = doc.Persons.Select(x => terms.Code(TermFacet.Person, x.Name)).Where(x => x != 0).Distinct().ToList();
        var codes = names.Concat(doc.Persons.Select(x => terms.Code(TermFacet.PersonId, x.Id)).Where(x => x != 0)).Distinct().ToArray();
        var files = doc.FileNumbers.Select(SearchText.FileKey).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var texts = views.Select(v => SearchText.Build(v.Doc)).ToList();
        var lexemes = new string[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var rowPostings = texts[i].Postings();
            postings.Add(doc.Volume, ids[i], rowPostings);
            lexemes[i] = [.. rowPostings.Keys];
        }
        return new RowValues(min, max, SearchText.Year(min), SearchText.Year(max), date?.ToString(),
            terms.Code(TermFacet.Volume, doc.Volume), terms.Code(TermFacet.Type, doc.Type), terms.Code(TermFacet.Classification, doc.Classification),
            terms.Code(TermFacet.Sender, doc.From), terms.Code(TermFacet.Recipient, doc.To), terms.Code(TermFacet.Place, doc.Place),
            names.ToArray(), codes, files,
            ids.ToArray(), views.Select(v => (short)v.View).ToArray(), texts.Select(t => t.Tokens).ToArray(), lexemes);
    }

    /// <summary>
    /// Adds the parameters of <see cref="InsertRowsSql"/> for the views of one document; its field values must have
    /// been registered with <paramref name="terms"/>.
    /// </summary>
    public static void AddRowParameters(NpgsqlParameterCollection p, IReadOnlyList<(SearchView View, Document Doc)> views, PostgresSearchTerms terms,
        ReadOnlySpan<long> ids, PostgresPostings postings)
    {
        var v = Rows(views, terms, ids, postings);
        Text(p, "s_date_min", v.DateMin);
        Text(p, "s_date_max", v.DateMax);
        p.Add(new NpgsqlParameter("s_year_min", NpgsqlDbType.Integer) { Value = (object?)v.YearMin ?? DBNull.Value });
        p.Add(new NpgsqlParameter("s_year_max", NpgsqlDbType.Integer) { Value = (object?)v.YearMax ?? DBNull.Value });
        Text(p, "s_date_text", v.DateText);
        Code(p, "s_volume", v.Volume);
        Code(p, "s_type", v.Type);
        Code(p, "s_classification", v.Classification);
        Code(p, "s_sender", v.Sender);
        Code(p, "s_recipient", v.Recipient);
        Code(p, "s_place", v.Place);
        p.Add(new NpgsqlParameter("s_persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = v.Persons });
        p.Add(new NpgsqlParameter("s_person_codes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = v.PersonCodes });
        p.Add(new NpgsqlParameter("s_files", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = v.Files });
        p.Add(new NpgsqlParameter("s_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = v.Ids });
        p.Add(new NpgsqlParameter("s_views", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = v.Views });
        p.Add(new NpgsqlParameter("s_tokens", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = v.Tokens });
        // folded words hold no spaces: one string per row, split in the statement
        p.Add(new NpgsqlParameter("s_lexemes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = v.Lexemes.Select(l => string.Join(' ', l)).ToArray() });
    }

    /// <summary>
    /// Writes the search rows of many documents, with their persons and files, by binary COPY: <paramref name="documents"/>
    /// pairs each document's key with its <see cref="Rows"/>.
    /// </summary>
    public static void CopyRows(NpgsqlConnection c, IReadOnlyList<(long Key, RowValues Rows)> documents)
    {
        using (var copy = c.BeginBinaryImport("""
            COPY search_rows(id, doc, view, date_min, date_max, year_min, year_max, date_text,
                volume, type, classification, sender, recipient, place, persons, tokens, lexemes) FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var (key, v) in documents)
            {
                for (var i = 0; i < v.Ids.Length; i++)
                {
                    copy.StartRow();
                    copy.Write(v.Ids[i], NpgsqlDbType.Bigint);
                    copy.Write(key, NpgsqlDbType.Bigint);
                    copy.Write(v.Views[i], NpgsqlDbType.Smallint);
                    CopyText(copy, v.DateMin);
                    CopyText(copy, v.DateMax);
                    CopyInt(copy, v.YearMin);
                    CopyInt(copy, v.YearMax);
                    CopyText(copy, v.DateText);
                    copy.Write(v.Volume, NpgsqlDbType.Bigint);
                    copy.Write(v.Type, NpgsqlDbType.Bigint);
                    copy.Write(v.Classification, NpgsqlDbType.Bigint);
                    copy.Write(v.Sender, NpgsqlDbType.Bigint);
                    copy.Write(v.Recipient, NpgsqlDbType.Bigint);
                    copy.Write(v.Place, NpgsqlDbType.Bigint);
                    copy.Write(v.Persons, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
                    copy.Write(v.Tokens[i], NpgsqlDbType.Integer);
                    copy.Write(v.Lexemes[i], NpgsqlDbType.Array | NpgsqlDbType.Text);
                }
            }
            copy.Complete();
        }
        CopyPerRow(c, "COPY search_persons(code, row_id) FROM STDIN (FORMAT BINARY)", documents, v => v.PersonCodes, NpgsqlDbType.Bigint);
        CopyPerRow(c, "COPY search_files(file, row_id) FROM STDIN (FORMAT BINARY)", documents, v => v.Files, NpgsqlDbType.Text);
    }

    /// <summary>
    /// Copies, for every search row of every document, one line per value of the document (its persons, its files):
    /// the value, then the row id. Nothing is opened when no document has a value.
    /// </summary>
    private static void CopyPerRow<T>(NpgsqlConnection c, string command, IReadOnlyList<(long Key, RowValues Rows)> documents,
        Func<RowValues, T[]> values, NpgsqlDbType type)
    {
        if (!documents.Any(d => values(d.Rows).Length > 0))
        {
            return;
        }
        using var copy = c.BeginBinaryImport(command);
        foreach (var (_, v) in documents)
        {
            foreach (var row in v.Ids)
            {
                foreach (var value in values(v))
                {
                    copy.StartRow();
                    copy.Write(value, type);
                    copy.Write(row, NpgsqlDbType.Bigint);
                }
            }
        }
        copy.Complete();
    }

    /// <summary>Writes a text field of a COPY row, or null.</summary>
    public static void CopyText(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void CopyInt(NpgsqlBinaryImporter copy, int? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value.Value, NpgsqlDbType.Integer);
        }
    }

    private static void Code(NpgsqlParameterCollection p, string name, long code) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = code });

    /// <summary>
    /// Recounts a volume's search rows and words for the BM25 statistics. Each volume has its own line, written
    /// under that volume's lock, so ingests of different volumes do not wait for each other.
    /// </summary>
    public static void UpdateStatistics(NpgsqlConnection c, NpgsqlTransaction t, string volumeId)
    {
        using var cmd = new NpgsqlCommand("""
            INSERT INTO search_stats(volume, rows, tokens)
            SELECT @v, count(*), coalesce(sum(r.tokens), 0) FROM search_rows r JOIN documents d ON d.key = r.doc WHERE d.volume = @v
            ON CONFLICT (volume) DO UPDATE SET rows = excluded.rows, tokens = excluded.tokens
            """, c, t);
        cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Text) { Value = volumeId });
        cmd.ExecuteNonQuery();
    }

    private static void Text(NpgsqlParameterCollection p, string name, string? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    // ---- searching --------------------------------------------------------------------------------------------

    private sealed record Hit(long Row, long Doc, string? DateMin, int Tokens)
    {
        public double Score { get; set; }
    }

    /// <summary>The rows holding a phrase (in every view, for every reader), with its occurrences per column kind.</summary>
    private sealed class PhraseRows(Dictionary<long, int[]> rows)
    {
        public Dictionary<long, int[]> Rows { get; } = rows;

        public long[] Ids() => [.. Rows.Keys];
    }

    /// <summary>One search's phrase rows, each phrase worked out once however often the query names it.</summary>
    private sealed class Phrases(NpgsqlConnection c, NpgsqlTransaction t)
    {
        private readonly Dictionary<(string, bool, bool), PhraseRows> _known = [];
        private readonly Dictionary<(string Word, bool Prefix, bool Positions), Dictionary<long, Posting>> _postings = [];

        /// <summary>
        /// Reads the postings of every word of <paramref name="wanted"/> in one round trip, so that each
        /// phrase a query needs does not cost a round trip of its own.
        /// </summary>
        public void Prefetch(IEnumerable<FtsPhrase> wanted)
        {
            var lookups = wanted.Where(p => !_known.ContainsKey(p.Identity)).SelectMany(Lookups).Distinct().Where(l => !_postings.ContainsKey(l)).ToList();
            foreach (var (lookup, rows) in lookups.Zip(PostgresPostings.RowsOf(c, t, lookups)))
            {
                _postings[lookup] = rows;
            }
        }

        /// <summary>The word lookups <see cref="Find"/> makes for a phrase.</summary>
        private static IEnumerable<(string, bool, bool)> Lookups(FtsPhrase phrase) =>
            phrase.Words.Count == 1
                ? [(phrase.Words[0], phrase.Prefix, false)]
                : phrase.Words.Select((w, i) => (w, phrase.Prefix && i == phrase.Words.Count - 1, true));

        private Dictionary<long, Posting> Postings(string word, bool prefix, bool positions) =>
            _postings.TryGetValue((word, prefix, positions), out var rows) ? rows : PostgresPostings.Rows(c, t, word, prefix, positions);

        public PhraseRows this[FtsPhrase phrase]
        {
            get
            {
                if (!_known.TryGetValue(phrase.Identity, out var rows))
                {
                    _known[phrase.Identity] = rows = Find(phrase);
                }
                return rows;
            }
        }

        private PhraseRows Find(FtsPhrase phrase)
        {
            if (phrase.Words.Count == 1)
            {
                var rows = Postings(phrase.Words[0], phrase.Prefix, positions: false);
                var counts = new Dictionary<long, int[]>(rows.Count);
                foreach (var (row, posting) in rows)
                {
                    if (!phrase.TitleOnly)
                    {
                        counts[row] = posting.Counts;
                    }
                    else if (posting.Counts[0] > 0)
                    {
                        counts[row] = [posting.Counts[0], 0, 0, 0];
                    }
                }
                return new PhraseRows(counts);
            }
            // a longer phrase: in the rows holding all its words, every position where they follow each other, as
            // FTS5 finds phrase instances (overlapping ones too); an instance's column kind is its first word's
            var words = new List<Dictionary<long, Posting>>();
            for (var i = 0; i < phrase.Words.Count; i++)
            {
                words.Add(Postings(phrase.Words[i], phrase.Prefix && i == phrase.Words.Count - 1, positions: true));
            }
            var found = new Dictionary<long, int[]>();
            foreach (var (row, first) in words[0])
            {
                var rest = new HashSet<int>[words.Count];
                var complete = true;
                for (var i = 1; i < words.Count && complete; i++)
                {
                    complete = words[i].TryGetValue(row, out var later);
                    if (complete)
                    {
                        rest[i] = [.. later!.Positions];
                    }
                }
                if (!complete)
                {
                    continue;
                }
                var n = new int[PostgresPostings.Kinds];
                var at = 0;
                for (var kind = 0; kind < PostgresPostings.Kinds; kind++)
                {
                    for (var j = 0; j < first.Counts[kind]; j++, at++)
                    {
                        if (phrase.TitleOnly && kind != 0)
                        {
                            continue;
                        }
                        var start = first.Positions[at];
                        var follows = true;
                        for (var i = 1; i < words.Count && follows; i++)
                        {
                            follows = rest[i].Contains(start + i);
                        }
                        if (follows)
                        {
                            n[kind]++;
                        }
                    }
                }
                if (n[0] + n[1] + n[2] + n[3] > 0)
                {
                    found[row] = n;
                }
            }
            return new PhraseRows(found);
        }

        /// <summary>The rows an expression matches: phrases combined as FTS5 combines them.</summary>
        public HashSet<long> Match(FtsExpr expr)
        {
            switch (expr)
            {
                case FtsPhraseExpr p:
                    return [.. this[p.Phrase].Rows.Keys];
                case FtsAnd a:
                {
                    var set = Match(a.Children[0]);
                    foreach (var child in a.Children.Skip(1))
                    {
                        set.IntersectWith(Match(child));
                    }
                    return set;
                }
                case FtsOr o:
                {
                    var set = new HashSet<long>();
                    foreach (var child in o.Children)
                    {
                        set.UnionWith(Match(child));
                    }
                    return set;
                }
                case FtsNot n:
                {
                    var set = Match(n.Left);
                    set.ExceptWith(Match(n.Right));
                    return set;
                }
                default:
                    throw new InvalidOperationException("unknown expression " + expr.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="request"/> for the reader <paramref name="access"/> describes, inside the caller's
    /// (repeatable read) transaction. Throws <see cref="QueryException"/> for a bad query.
    /// </summary>
    public static SearchResults Search(NpgsqlConnection c, NpgsqlTransaction t, SearchRequest request, AccessFilter access, out IReadOnlyList<string> originalHits)
    {
        var root = QueryParser.Parse(request.Query);
        var plan = PostgresSearchCompiler.Compile(root);
        var pageSize = Math.Clamp(request.PageSize, 1, 1000);
        var offset = (Math.Max(request.Page, 1) - 1L) * pageSize;
        var ranked = plan.Highlight is not null && request.Sort == SearchSort.Relevance;
        var sort = ranked ? SearchSort.Relevance : request.Sort == SearchSort.Relevance ? SearchSort.DateAscending : request.Sort;

        var phrases = new Phrases(c, t);
        phrases.Prefetch((plan.Match?.Phrases() ?? [])
            .Concat(plan.Parameters.Select(p => p.Value).OfType<FtsPhrase>())
            .Concat(ranked ? plan.Highlight ?? [] : []));
        var counter = request.Facets ? new FacetCounter() : null;
        var hits = FindHits(c, t, plan, phrases, access, undatedOnly: false, counter, out var totals);
        counter?.CountFiles(c, t, hits);
        if (ranked && hits.Count > 0)
        {
            // a query led by text is scored on that text; one led by fields on its text terms, where they occur
            ScoreHits(hits, totals, plan.Match?.Phrases().ToList() ?? plan.Highlight!, phrases);
        }
        var undated = plan.HasDateRange ? CountLeftOutUndated(c, t, root, phrases, access, hits.Count(h => h.DateMin is null)) : 0;
        hits.Sort(sort switch
        {
            SearchSort.Relevance => (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc),
            SearchSort.DateDescending => (a, b) => CompareDates(a, b, descending: true),
            _ => (a, b) => CompareDates(a, b, descending: false),
        });
        var page = offset >= hits.Count ? [] : hits.GetRange((int)offset, (int)Math.Min(pageSize, hits.Count - offset));
        var top = counter?.Top();
        var (pageHits, originals, names) = ReadPage(c, t, page, plan.Highlight, top?.SelectMany(l => l.Select(kv => kv.Key)).Distinct().ToArray() ?? []);
        var facets = counter?.Results(top!, names) ?? new Dictionary<string, IReadOnlyList<FacetValue>>();
        originalHits = originals;
        return new SearchResults(hits.Count, pageHits, facets, undated);
    }

    private static int CompareDates(Hit a, Hit b, bool descending)
    {
        if ((a.DateMin is null) != (b.DateMin is null))
        {
            return a.DateMin is null ? 1 : -1;
        }
        var d = string.CompareOrdinal(a.DateMin, b.DateMin);
        if (d != 0)
        {
            return descending ? -d : d;
        }
        return a.Doc.CompareTo(b.Doc);
    }

    /// <summary>
    /// Every search row the reader may see that matches, with its document key and start date, counting facets on
    /// the way when asked. The full-text part arrives as the rows it matches; fields and access are SQL.
    /// </summary>
    /// <remarks>
    /// Each row comes with its length in words, and <paramref name="totals"/> are the rows and words of all search
    /// rows (for BM25): both in this one statement, as every round trip to the server costs more than the reading.
    /// </remarks>
    private static List<Hit> FindHits(NpgsqlConnection c, NpgsqlTransaction t, PostgresSearchPlan plan, Phrases phrases, AccessFilter access, bool undatedOnly, FacetCounter? counter, out (long Rows, long Tokens) totals)
    {
        var hits = new List<Hit>();
        totals = (0, 0);
        long[]? drive = null;
        if (plan.Match is not null)
        {
            drive = [.. phrases.Match(plan.Match)];
            if (drive.Length == 0)
            {
                return hits;
            }
        }
        var columns = "r.id, r.doc, r.date_min" + (counter is null ? "" : ", " + FacetCounter.Columns)
            + ", r.tokens, (SELECT coalesce(sum(rows), 0)::bigint FROM search_stats), (SELECT coalesce(sum(tokens), 0)::bigint FROM search_stats)";
        var tokens = counter is null ? 3 : 11;
        using var cmd = new NpgsqlCommand($"""
            SELECT {columns} FROM search_rows r JOIN documents d ON d.key = r.doc
            WHERE {(drive is null ? "" : "r.id = ANY(@drive) AND ")}{(undatedOnly ? "r.date_min IS NULL AND " : "")}{PostgresAccess.SearchViewSql("r", "d")} AND ({plan.Where})
            """, c, t);
        access.AddPostgresParameters(cmd);
        if (drive is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter("drive", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = drive });
        }
        foreach (var (name, type, value) in plan.Parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, type) { Value = value is FtsPhrase phrase ? phrases[phrase].Ids() : value });
        }
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            hits.Add(new Hit(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(tokens)));
            totals = (r.GetInt64(tokens + 1), r.GetInt64(tokens + 2));
            counter?.Count(r);
        }
        return hits;
    }

    // ---- BM25, as FTS5's bm25() computes it -------------------------------------------------------------------

    /// <summary>
    /// Scores rows by FTS5's BM25 over <paramref name="scored"/>: k1 1.2, b 0.75, IDF from the share of all search
    /// rows (every view, every reader) holding each phrase, phrase frequency weighted per column, row length in
    /// words over the average. The arithmetic runs in the same order as fts5_aux.c, so scores agree to the bit.
    /// </summary>
    private static void ScoreHits(List<Hit> hits, (long Rows, long Tokens) totals, IReadOnlyList<FtsPhrase> scored, Phrases phrases)
    {
        const double k1 = 1.2;
        const double b = 0.75;
        var (nRow, nToken) = totals;
        var avgdl = (double)nToken / (double)nRow;
        var idf = new double[scored.Count];
        var rows = new Dictionary<long, int[]>[scored.Count];
        for (var i = 0; i < scored.Count; i++)
        {
            rows[i] = phrases[scored[i]].Rows;
            long nHit = rows[i].Count;
            var value = Math.Log((nRow - nHit + 0.5) / (nHit + 0.5));
            idf[i] = value <= 0.0 ? 1e-6 : value;
        }

        var freq = new double[scored.Count];
        foreach (var hit in hits)
        {
            for (var i = 0; i < scored.Count; i++)
            {
                // instances in column order, each adding its column kind's weight, as FTS5 walks them
                var f = 0.0;
                if (rows[i].TryGetValue(hit.Row, out var n))
                {
                    for (var kind = 0; kind < KindWeights.Length; kind++)
                    {
                        for (var j = n[kind]; j > 0; j--)
                        {
                            f += KindWeights[kind];
                        }
                    }
                }
                freq[i] = f;
            }
            var D = (double)hit.Tokens;
            var score = 0.0;
            for (var i = 0; i < scored.Count; i++)
            {
                score += idf[i] * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * D / avgdl)));
            }
            // bm25() returns -score and the embedded archive ranks by -bm25(); keep the same double
            hit.Score = -(-1.0 * score);
        }
    }

    // ---- the page: titles, snippets -----------------------------------------------------------------------------

    /// <summary>
    /// The page's hits with their snippets, and the display names of the facet values <paramref name="facetCodes"/>:
    /// both in one round trip.
    /// </summary>
    private static (List<SearchHit> Hits, List<string> Originals, Dictionary<long, string> FacetNames) ReadPage(
        NpgsqlConnection c, NpgsqlTransaction t, List<Hit> page, IReadOnlyList<FtsPhrase>? highlight, long[] facetCodes)
    {
        var hits = new List<SearchHit>(page.Count);
        var originals = new List<string>();
        var names = new Dictionary<long, string>();
        if (page.Count == 0 && facetCodes.Length == 0)
        {
            return (hits, originals, names);
        }
        using var batch = new NpgsqlBatch(c, t);
        var cmd = new NpgsqlBatchCommand($"""
            SELECT r.id, d.id, d.number, v.display, y.display, r.date_text,
                   r.view = 2 OR (r.view = 0 AND d.release NOT IN {AccessFilter.ReleasedStates}),
                   r.view, d.json, rv.excisions
            FROM unnest(@rows) WITH ORDINALITY AS h(id, ord)
            JOIN search_rows r ON r.id = h.id JOIN documents d ON d.key = r.doc
            JOIN search_terms v ON v.id = r.volume
            JOIN search_terms y ON y.id = r.type
            LEFT JOIN LATERAL (SELECT excisions FROM reviews WHERE document = d.id ORDER BY seq DESC LIMIT 1) rv ON r.view = 1
            ORDER BY h.ord
            """);
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = page.Select(h => h.Row).ToArray() });
        batch.BatchCommands.Add(cmd);
        var display = new NpgsqlBatchCommand("SELECT id, display FROM search_terms WHERE id = ANY(@codes)");
        display.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = facetCodes });
        batch.BatchCommands.Add(display);
        var scores = page.ToDictionary(h => h.Row, h => h.Score);
        using var r = batch.ExecuteReader();
        while (r.Read())
        {
            var id = r.GetString(1);
            var stored = DocumentJson.Deserialize(r.GetString(8));
            var doc = r.GetInt16(7) == (short)SearchView.Public && !r.IsDBNull(9)
                ? AccessView.CutExcisions(stored, JsonSerializer.Deserialize<List<ExciseSpan>>(r.GetString(9), DocumentJson.Compact) ?? [])
                : stored;
            var (snippet, inFootnote) = SearchSnippets.For(SearchText.Build(doc), highlight);
            hits.Add(new SearchHit(id, r.GetString(3), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(4), doc.Title,
                r.IsDBNull(5) ? null : r.GetString(5), snippet, inFootnote, Math.Round(scores[r.GetInt64(0)], 6)));
            if (r.GetBoolean(6))
            {
                originals.Add(id);
            }
        }
        r.NextResult();
        while (r.Read())
        {
            names[r.GetInt64(0)] = r.GetString(1);
        }
        return (hits, originals, names);
    }

    // ---- counts -------------------------------------------------------------------------------------------------

    /// <summary>Undated documents the query would match without its date ranges, minus those it matches anyway.</summary>
    private static int CountLeftOutUndated(NpgsqlConnection c, NpgsqlTransaction t, QueryNode root, Phrases phrases, AccessFilter access, int matchedUndated)
    {
        var stripped = PostgresSearchCompiler.WithoutDateRanges(root);
        var plan = stripped is null
            ? new PostgresSearchPlan(null, "true", [], null, false)
            : PostgresSearchCompiler.Compile(stripped);
        return Math.Max(0, FindHits(c, t, plan, phrases, access, undatedOnly: true, counter: null, out _).Count - matchedUndated);
    }

    /// <summary>Counts facet values over every hit as the pass reads them, then names the top ones (as the embedded index).</summary>
    private sealed class FacetCounter
    {
        /// <summary>The columns <see cref="Count"/> reads, from the fourth on.</summary>
        public const string Columns = "r.year_min, r.year_max, r.volume, r.type, r.classification, r.sender, r.recipient, r.persons";

        private static readonly string[] Names = [SearchFacets.Volume, SearchFacets.Type, SearchFacets.Classification, SearchFacets.From, SearchFacets.To, SearchFacets.Person];
        private readonly Dictionary<long, int>[] _counts = [.. Names.Select(_ => new Dictionary<long, int>())];
        private readonly Dictionary<(int First, int Last), int> _years = [];
        private readonly FileSubjects _files = new();
        private readonly Dictionary<long, string> _printed = [];

        /// <summary>Counts the file subjects of <paramref name="hits"/> after the pass and reads the printed forms of the top ones (as the embedded index).</summary>
        public void CountFiles(NpgsqlConnection c, NpgsqlTransaction t, List<Hit> hits)
        {
            if (hits.Count == 0)
            {
                return;
            }
            using var cmd = new NpgsqlCommand("SELECT row_id, file FROM search_files WHERE row_id = ANY(@rows) ORDER BY row_id", c, t);
            cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = hits.Select(h => h.Row).ToArray() });
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                _files.Add(r.GetInt64(0), r.GetString(1));
            }
            r.Close();
            // the display values: the printed file numbers of the documents naming the top subjects
            var top = _files.TopRows();
            if (top.Count > 0)
            {
                using var names = new NpgsqlCommand(
                    "SELECT r.id, d.file_numbers FROM search_rows r JOIN documents d ON d.key = r.doc WHERE r.id = ANY(@rows)", c, t);
                names.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = top.ToArray() });
                using var n = names.ExecuteReader();
                while (n.Read())
                {
                    _printed[n.GetInt64(0)] = n.GetString(1);
                }
            }
        }

        public void Count(NpgsqlDataReader reader)
        {
            for (var i = 0; i < 5; i++)
            {
                var code = reader.GetInt64(5 + i);
                if (code != 0)
                {
                    _counts[i][code] = _counts[i].GetValueOrDefault(code) + 1;
                }
            }
            foreach (var code in reader.GetFieldValue<long[]>(10))
            {
                _counts[5][code] = _counts[5].GetValueOrDefault(code) + 1;
            }
            if (!reader.IsDBNull(2))
            {
                var years = (reader.GetInt32(3), reader.GetInt32(4));
                _years[years] = _years.GetValueOrDefault(years) + 1;
            }
        }

        /// <summary>
        /// The top values of each facet by count; among equal counts the earlier code (the value seen first), so the
        /// choice is stable.
        /// </summary>
        public List<List<KeyValuePair<long, int>>> Top() =>
            _counts.Select(d => d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(SearchFacets.Top).ToList()).ToList();

        /// <summary>The facets from <see cref="Top"/> with the display names of their codes.</summary>
        public Dictionary<string, IReadOnlyList<FacetValue>> Results(List<List<KeyValuePair<long, int>>> top, Dictionary<long, string> names)
        {
            var facets = new Dictionary<string, IReadOnlyList<FacetValue>>();
            for (var i = 0; i < Names.Length; i++)
            {
                facets[Names[i]] = top[i].Select(kv => new FacetValue(names[kv.Key], kv.Value))
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
            facets[SearchFacets.File] = _files.Results(_printed);
            return SearchFacets.All.ToDictionary(f => f, f => facets[f]);
        }

        private static List<FacetValue> TopYears(Dictionary<int, int> counts, Func<int, string> label) =>
            counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(SearchFacets.Top)
                .Select(kv => new FacetValue(label(kv.Key), kv.Value)).ToList();
    }
}
