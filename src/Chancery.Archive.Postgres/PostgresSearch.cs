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
/// Each document has one search row per text readers may search (<see cref="SearchView"/>). A row holds the folded
/// field keys filters and facets compare, a tsvector (each word once per column kind, weighted title A, sender and
/// recipient B, body C, footnotes D) that a GIN index answers, and each column's folded words spaced out
/// (<c>" a  b "</c>) so that phrases and word counts are exact substring tests, free of the tsvector's limits of
/// 256 occurrences per word and 16,383 positions. Words are folded in C# (<see cref="SearchFolding"/>), never by
/// PostgreSQL's parser, so both stores split and fold text identically.
/// </remarks>
internal static class PostgresSearch
{
    /// <summary>
    /// BM25 weights of the column kinds: the embedded index weighs title 4, sender 3, recipient 3, body 1 and
    /// footnotes 0.4; sender and recipient share a kind here, which sums the same.
    /// </summary>
    private static readonly double[] KindWeights = [4.0, 3.0, 1.0, 0.4];

    /// <summary>Words in a snippet.</summary>
    private const int SnippetWords = 30;

    // ---- indexing ---------------------------------------------------------------------------------------------

    /// <summary>
    /// SQL inserting the search rows (with persons and files) of the document whose key the CTE <c>d</c> yields,
    /// one row per element of the view arrays.
    /// </summary>
    public const string InsertRowsSql = """
        r AS (
            INSERT INTO search_rows(doc, view, date_min, date_max, year_min, year_max, date_text,
                volume, type, classification, sender, recipient, place, persons,
                tsv, tokens, title_words, sender_words, recipient_words, body_words, notes_words)
            SELECT d.key, v.view, @s_date_min, @s_date_max, @s_year_min, @s_year_max, @s_date_text,
                @s_volume, @s_type, @s_classification, @s_sender, @s_recipient, @s_place, @s_persons,
                v.tsv::tsvector, v.tokens, v.title_words, v.sender_words, v.recipient_words, v.body_words, v.notes_words
            FROM d, unnest(@s_views, @s_tsvs, @s_tokens, @s_title_words, @s_sender_words, @s_recipient_words, @s_body_words, @s_notes_words)
                AS v(view, tsv, tokens, title_words, sender_words, recipient_words, body_words, notes_words)
            RETURNING id),
        p AS (
            INSERT INTO search_persons(code, row_id) SELECT u.code, r.id FROM r, unnest(@s_person_codes) AS u(code))
        INSERT INTO search_files(file, row_id) SELECT u.file, r.id FROM r, unnest(@s_files) AS u(file)
        """;

    /// <summary>
    /// Adds the parameters of <see cref="InsertRowsSql"/> for the views of one document; its field values must have
    /// been registered with <paramref name="terms"/>.
    /// </summary>
    public static void AddRowParameters(NpgsqlParameterCollection p, IReadOnlyList<(SearchView View, Document Doc)> views, PostgresSearchTerms terms)
    {
        // fields other than the text are the same in every view (a review cuts body text only)
        var doc = views[0].Doc;
        var date = doc.Date;
        var min = date?.MinKey;
        var max = date?.MaxKey;
        Text(p, "s_date_min", min);
        Text(p, "s_date_max", max);
        p.Add(new NpgsqlParameter("s_year_min", NpgsqlDbType.Integer) { Value = (object?)SearchText.Year(min) ?? DBNull.Value });
        p.Add(new NpgsqlParameter("s_year_max", NpgsqlDbType.Integer) { Value = (object?)SearchText.Year(max) ?? DBNull.Value });
        Text(p, "s_date_text", date?.ToString());
        Code(p, "s_volume", terms.Code(TermFacet.Volume, doc.Volume));
        Code(p, "s_type", terms.Code(TermFacet.Type, doc.Type));
        Code(p, "s_classification", terms.Code(TermFacet.Classification, doc.Classification));
        Code(p, "s_sender", terms.Code(TermFacet.Sender, doc.From));
        Code(p, "s_recipient", terms.Code(TermFacet.Recipient, doc.To));
        Code(p, "s_place", terms.Code(TermFacet.Place, doc.Place));
        // the person facet counts names; the person field finds names and persons-list ids
        var names = doc.Persons.Select(x => terms.Code(TermFacet.Person, x.Name)).Where(x => x != 0).Distinct().ToList();
        var codes = names.Concat(doc.Persons.Select(x => terms.Code(TermFacet.PersonId, x.Id)).Where(x => x != 0)).Distinct().ToArray();
        p.Add(new NpgsqlParameter("s_persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = names.ToArray() });
        p.Add(new NpgsqlParameter("s_person_codes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = codes });
        var files = doc.FileNumbers.Select(SearchText.FileKey).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        p.Add(new NpgsqlParameter("s_files", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = files });

        var texts = views.Select(v => SearchText.Build(v.Doc)).ToList();
        p.Add(new NpgsqlParameter("s_views", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = views.Select(v => (short)v.View).ToArray() });
        p.Add(new NpgsqlParameter("s_tsvs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts.Select(t => t.Vector()).ToArray() });
        p.Add(new NpgsqlParameter("s_tokens", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = texts.Select(t => t.Tokens).ToArray() });
        foreach (var column in Enum.GetValues<TextColumn>())
        {
            p.Add(new NpgsqlParameter("s_" + PostgresSearchCompiler.WordsColumn(column), NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = texts.Select(t => t.Spaced(column)).ToArray(),
            });
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

    private sealed record Hit(long Row, long Doc, string? DateMin)
    {
        public double Score { get; set; }
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

        var counter = request.Facets ? new FacetCounter() : null;
        var hits = FindHits(c, t, plan, access, undatedOnly: false, counter);
        if (ranked && hits.Count > 0)
        {
            // a query led by text is scored on that text; one led by fields on its text terms, where they occur
            ScoreHits(c, t, hits, plan.Match?.Phrases().ToList() ?? plan.Highlight!);
        }
        var undated = plan.HasDateRange ? CountLeftOutUndated(c, t, root, access, hits.Count(h => h.DateMin is null)) : 0;
        hits.Sort(sort switch
        {
            SearchSort.Relevance => (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc),
            SearchSort.DateDescending => (a, b) => CompareDates(a, b, descending: true),
            _ => (a, b) => CompareDates(a, b, descending: false),
        });
        var page = offset >= hits.Count ? [] : hits.GetRange((int)offset, (int)Math.Min(pageSize, hits.Count - offset));
        var (pageHits, originals) = ReadPage(c, t, page, plan.Highlight);
        var facets = counter?.Results(c, t) ?? new Dictionary<string, IReadOnlyList<FacetValue>>();
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
    /// The tsquery a GIN index can answer: every positive word of the driving text (a NOT is left to the exact
    /// predicate), a superset of the rows the query matches.
    /// </summary>
    private static string Drive(FtsExpr expr) => expr switch
    {
        FtsPhraseExpr p => "(" + p.Phrase.Presence() + ")",
        FtsAnd a => "(" + string.Join(" & ", a.Children.Select(Drive)) + ")",
        FtsOr o => "(" + string.Join(" | ", o.Children.Select(Drive)) + ")",
        FtsNot n => Drive(n.Left),
        _ => throw new InvalidOperationException("unknown expression " + expr.GetType().Name),
    };

    /// <summary>
    /// Every search row the reader may see that matches, with its document key and start date, counting facets on
    /// the way when asked.
    /// </summary>
    private static List<Hit> FindHits(NpgsqlConnection c, NpgsqlTransaction t, PostgresSearchPlan plan, AccessFilter access, bool undatedOnly, FacetCounter? counter)
    {
        var columns = "r.id, r.doc, r.date_min" + (counter is null ? "" : ", " + FacetCounter.Columns);
        using var cmd = new NpgsqlCommand($"""
            SELECT {columns} FROM search_rows r JOIN documents d ON d.key = r.doc
            WHERE {(plan.Match is null ? "" : "r.tsv @@ @drive::tsquery AND ")}{(undatedOnly ? "r.date_min IS NULL AND " : "")}{PostgresAccess.SearchViewSql("r", "d")} AND ({plan.Where})
            """, c, t);
        Bind(cmd, plan, access);
        using var r = cmd.ExecuteReader();
        var hits = new List<Hit>();
        while (r.Read())
        {
            hits.Add(new Hit(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));
            counter?.Count(r);
        }
        return hits;
    }

    private static void Bind(NpgsqlCommand cmd, PostgresSearchPlan plan, AccessFilter access)
    {
        access.AddPostgresParameters(cmd);
        if (plan.Match is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter("drive", NpgsqlDbType.Text) { Value = Drive(plan.Match) });
        }
        foreach (var (name, type, value) in plan.Parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }
    }

    // ---- BM25, as FTS5's bm25() computes it -------------------------------------------------------------------

    /// <summary>
    /// Scores rows by FTS5's BM25 over <paramref name="phrases"/>: k1 1.2, b 0.75, IDF from the share of all search
    /// rows (every view, every reader) holding each phrase, phrase frequency weighted per column, row length in
    /// words over the average. The arithmetic runs in the same order as fts5_aux.c, so scores agree to the bit.
    /// </summary>
    private static void ScoreHits(NpgsqlConnection c, NpgsqlTransaction t, List<Hit> hits, IReadOnlyList<FtsPhrase> phrases)
    {
        const double k1 = 1.2;
        const double b = 0.75;
        long nRow, nToken;
        using (var cmd = new NpgsqlCommand("SELECT coalesce(sum(rows), 0)::bigint, coalesce(sum(tokens), 0)::bigint FROM search_stats", c, t))
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            (nRow, nToken) = (r.GetInt64(0), r.GetInt64(1));
        }
        var avgdl = (double)nToken / (double)nRow;
        var idf = new double[phrases.Count];
        var hitCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < phrases.Count; i++)
        {
            var phrase = phrases[i];
            if (!hitCounts.TryGetValue(phrase.Key, out var nHit))
            {
                nHit = CountRows(c, t, phrase);
                hitCounts[phrase.Key] = nHit;
            }
            var value = Math.Log((nRow - nHit + 0.5) / (nHit + 0.5));
            idf[i] = value <= 0.0 ? 1e-6 : value;
        }

        var counts = Occurrences(c, t, hits.Select(h => h.Row).ToArray(), phrases);
        var freq = new double[phrases.Count];
        foreach (var hit in hits)
        {
            if (!counts.TryGetValue(hit.Row, out var row))
            {
                continue;
            }
            for (var i = 0; i < phrases.Count; i++)
            {
                // instances in column order, each adding its column kind's weight, as FTS5 walks them
                var f = 0.0;
                for (var kind = 0; kind < KindWeights.Length; kind++)
                {
                    for (var n = row.Counts[i][kind]; n > 0; n--)
                    {
                        f += KindWeights[kind];
                    }
                }
                freq[i] = f;
            }
            var D = (double)row.Tokens;
            var score = 0.0;
            for (var i = 0; i < phrases.Count; i++)
            {
                score += idf[i] * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * D / avgdl)));
            }
            // bm25() returns -score and the embedded archive ranks by -bm25(); keep the same double
            hit.Score = -(-1.0 * score);
        }
    }

    /// <summary>Search rows (of every view, visible or not) holding the phrase: FTS5's count for the IDF.</summary>
    private static long CountRows(NpgsqlConnection c, NpgsqlTransaction t, FtsPhrase phrase)
    {
        var (sql, parameters) = PostgresSearchCompiler.ForPhrase(phrase);
        using var cmd = new NpgsqlCommand($"SELECT count(*) FROM search_rows r WHERE {sql}", c, t);
        foreach (var (name, type, value) in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// Occurrences of each phrase in each row, per column kind (title, sender and recipient, body, footnotes). A
    /// single whole word is counted by the tsvector (its positions carry the counts: the vector is cut down to the
    /// query's words inside PostgreSQL and read here); a phrase or a word start is counted in the spaced words.
    /// </summary>
    private static Dictionary<long, (int Tokens, int[][] Counts)> Occurrences(NpgsqlConnection c, NpgsqlTransaction t, long[] rows, IReadOnlyList<FtsPhrase> phrases)
    {
        using var cmd = new NpgsqlCommand { Connection = c, Transaction = t };
        var words = phrases.Where(IsWord).Select(p => p.Words[0]).Distinct(StringComparer.Ordinal).ToArray();
        var cells = new List<string>();
        var patterns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var phrase in phrases.Where(p => !IsWord(p)))
        {
            // replace() counts occurrences that do not overlap; a phrase that can overlap itself ("a b a") is counted
            // at every start with a lookahead regular expression, as FTS5 counts its instances
            var overlapping = phrase.CanOverlapItself;
            var value = overlapping ? "(?=" + RegexLiteral(phrase.Pattern) + ")" : phrase.Pattern;
            if (!patterns.TryGetValue(value, out var name))
            {
                name = "pat" + patterns.Count.ToString(CultureInfo.InvariantCulture);
                patterns[value] = name;
                cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value });
            }
            foreach (var column in phrase.Columns)
            {
                var col = "r." + PostgresSearchCompiler.WordsColumn(column);
                cells.Add(overlapping
                    ? $"regexp_count({col}, @{name})"
                    : $"(octet_length({col}) - octet_length(replace({col}, @{name}, ''))) / octet_length(@{name})");
            }
        }
        cmd.CommandText = $"""
            SELECT r.id, r.tokens,
                   {(words.Length == 0 ? "''" : "ts_filter(setweight(setweight(r.tsv, 'D'), 'A', @words), '{a}')::text")},
                   ARRAY[{string.Join(", ", cells)}]::integer[]
            FROM unnest(@rows) AS h(id) JOIN search_rows r ON r.id = h.id
            """;
        cmd.Parameters.Add(new NpgsqlParameter("words", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = words });
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows });
        var map = new Dictionary<long, (int, int[][])>(rows.Length);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var vector = SearchText.DecodeCounts(r.GetString(2));
            var text = r.GetFieldValue<int[]>(3);
            var at = 0;
            var counts = new int[phrases.Count][];
            for (var i = 0; i < phrases.Count; i++)
            {
                var phrase = phrases[i];
                var n = new int[4];
                if (IsWord(phrase))
                {
                    if (vector.TryGetValue(phrase.Words[0], out var found))
                    {
                        Array.Copy(found, n, phrase.TitleOnly ? 1 : 4);
                    }
                }
                else
                {
                    foreach (var column in phrase.Columns)
                    {
                        n[SearchText.Kind(column)] += text[at++];
                    }
                }
                counts[i] = n;
            }
            map[r.GetInt64(0)] = (r.GetInt32(1), counts);
        }
        return map;
    }

    /// <summary>Text matched literally by a PostgreSQL regular expression (folded words hold no operators, but be sure).</summary>
    private static string RegexLiteral(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if ("\\.^$|?*+()[]{}".Contains(ch))
            {
                sb.Append('\\');
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>A single whole word: its counts are in the tsvector.</summary>
    private static bool IsWord(FtsPhrase phrase) => phrase.Words.Count == 1 && !phrase.Prefix;

    // ---- the page: titles, snippets -----------------------------------------------------------------------------

    private static (List<SearchHit> Hits, List<string> Originals) ReadPage(NpgsqlConnection c, NpgsqlTransaction t, List<Hit> page, IReadOnlyList<FtsPhrase>? highlight)
    {
        var hits = new List<SearchHit>(page.Count);
        var originals = new List<string>();
        if (page.Count == 0)
        {
            return (hits, originals);
        }
        using var cmd = new NpgsqlCommand($"""
            SELECT r.id, d.id, d.number, v.display, y.display, r.date_text,
                   r.view = 2 OR (r.view = 0 AND d.release NOT IN {AccessFilter.ReleasedStates}),
                   r.view, d.json, rv.excisions
            FROM unnest(@rows) WITH ORDINALITY AS h(id, ord)
            JOIN search_rows r ON r.id = h.id JOIN documents d ON d.key = r.doc
            JOIN search_terms v ON v.id = r.volume
            JOIN search_terms y ON y.id = r.type
            LEFT JOIN LATERAL (SELECT excisions FROM reviews WHERE document = d.id ORDER BY seq DESC LIMIT 1) rv ON r.view = 1
            ORDER BY h.ord
            """, c, t);
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = page.Select(h => h.Row).ToArray() });
        var scores = page.ToDictionary(h => h.Row, h => h.Score);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var id = r.GetString(1);
            var stored = DocumentJson.Deserialize(r.GetString(8));
            var doc = r.GetInt16(7) == (short)SearchView.Public && !r.IsDBNull(9)
                ? AccessView.CutExcisions(stored, JsonSerializer.Deserialize<List<ExciseSpan>>(r.GetString(9), DocumentJson.Compact) ?? [])
                : stored;
            var (snippet, inFootnote) = Snippet(SearchText.Build(doc), highlight);
            hits.Add(new SearchHit(id, r.GetString(3), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(4), doc.Title,
                r.IsDBNull(5) ? null : r.GetString(5), snippet, inFootnote, Math.Round(scores[r.GetInt64(0)], 6)));
            if (r.GetBoolean(6))
            {
                originals.Add(id);
            }
        }
        return (hits, originals);
    }

    /// <summary>
    /// The embedded archive's choice: a body snippet with a match, else a footnote one, else the opening words; lines
    /// (paragraphs, notes) run together with spaces.
    /// </summary>
    private static (string Snippet, bool InFootnote) Snippet(SearchText text, IReadOnlyList<FtsPhrase>? highlight)
    {
        var body = text.Texts[(int)TextColumn.Body];
        var notes = text.Texts[(int)TextColumn.Footnotes];
        if (highlight is not null)
        {
            // the body first: when it holds a match, the other columns need not be read
            var tokens = new List<TextToken>[5];
            tokens[(int)TextColumn.Body] = SearchText.Tokenize(body);
            var bodyOnly = new List<TextToken>[] { [], [], [], tokens[(int)TextColumn.Body], [] };
            var instances = Fts5Snippet.Instances(highlight, bodyOnly);
            if (instances.Count == 0)
            {
                foreach (var column in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                {
                    tokens[(int)column] = SearchText.Tokenize(text.Texts[(int)column]);
                }
                instances = Fts5Snippet.Instances(highlight, tokens);
            }
            // the row matches the highlight terms somewhere: FTS5 builds both snippets and keeps one with a mark
            if (instances.Count > 0)
            {
                if (instances.Any(i => i.Column == (int)TextColumn.Body) || body.Contains('«'))
                {
                    var bodySnippet = Fts5Snippet.Snippet(body, tokens[(int)TextColumn.Body], (int)TextColumn.Body, instances, highlight, "«", "»", "…", SnippetWords);
                    if (bodySnippet.Contains('«'))
                    {
                        return (bodySnippet.Replace('\n', ' '), false);
                    }
                }
                if (tokens[(int)TextColumn.Footnotes] is null)
                {
                    // a body match that left no mark in the window cannot happen, but if it did, read everything
                    foreach (var column in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                    {
                        tokens[(int)column] = SearchText.Tokenize(text.Texts[(int)column]);
                    }
                    instances = Fts5Snippet.Instances(highlight, tokens);
                }
                if (instances.Any(i => i.Column == (int)TextColumn.Footnotes) || notes.Contains('«'))
                {
                    var notesSnippet = Fts5Snippet.Snippet(notes, tokens[(int)TextColumn.Footnotes], (int)TextColumn.Footnotes, instances, highlight, "«", "»", "…", SnippetWords);
                    if (notesSnippet.Contains('«'))
                    {
                        var inHead = instances.Any(i => i.Column <= (int)TextColumn.Recipient) || text.Texts.Take(3).Any(s => s.Contains('«'));
                        return (notesSnippet.Replace('\n', ' '), !inHead);
                    }
                }
            }
        }
        return (Lead((body.Length > 0 ? body : notes).Replace('\n', ' ')), false);
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

    // ---- counts -------------------------------------------------------------------------------------------------

    /// <summary>Undated documents the query would match without its date ranges, minus those it matches anyway.</summary>
    private static int CountLeftOutUndated(NpgsqlConnection c, NpgsqlTransaction t, QueryNode root, AccessFilter access, int matchedUndated)
    {
        var stripped = PostgresSearchCompiler.WithoutDateRanges(root);
        var plan = stripped is null
            ? new PostgresSearchPlan(null, "true", [], null, false)
            : PostgresSearchCompiler.Compile(stripped);
        return Math.Max(0, FindHits(c, t, plan, access, undatedOnly: true, counter: null).Count - matchedUndated);
    }

    /// <summary>Counts facet values over every hit as the pass reads them, then names the top ones (as the embedded index).</summary>
    private sealed class FacetCounter
    {
        /// <summary>The columns <see cref="Count"/> reads, from the fourth on.</summary>
        public const string Columns = "r.year_min, r.year_max, r.volume, r.type, r.classification, r.sender, r.recipient, r.persons";

        private static readonly string[] Names = [SearchFacets.Volume, SearchFacets.Type, SearchFacets.Classification, SearchFacets.From, SearchFacets.To, SearchFacets.Person];
        private readonly Dictionary<long, int>[] _counts = [.. Names.Select(_ => new Dictionary<long, int>())];
        private readonly Dictionary<(int First, int Last), int> _years = [];

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

        public Dictionary<string, IReadOnlyList<FacetValue>> Results(NpgsqlConnection c, NpgsqlTransaction t)
        {
            // the top values by count; among equal counts the earlier code (the value seen first), so the choice is stable
            var top = _counts.Select(d => d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(SearchFacets.Top).ToList()).ToList();
            var names = Display(c, t, top.SelectMany(l => l.Select(kv => kv.Key)).Distinct().ToArray());
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
            return SearchFacets.All.ToDictionary(f => f, f => facets[f]);
        }

        private static Dictionary<long, string> Display(NpgsqlConnection c, NpgsqlTransaction t, long[] codes)
        {
            var names = new Dictionary<long, string>();
            if (codes.Length == 0)
            {
                return names;
            }
            using var cmd = new NpgsqlCommand("SELECT id, display FROM search_terms WHERE id = ANY(@codes)", c, t);
            cmd.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = codes });
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                names[reader.GetInt64(0)] = reader.GetString(1);
            }
            return names;
        }

        private static List<FacetValue> TopYears(Dictionary<int, int> counts, Func<int, string> label) =>
            counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(SearchFacets.Top)
                .Select(kv => new FacetValue(label(kv.Key), kv.Value)).ToList();
    }
}
