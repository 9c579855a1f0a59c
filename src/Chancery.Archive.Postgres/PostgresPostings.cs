using Chancery.Archive.Search;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// The server archive's inverted index, <c>search_postings</c>: for each word and volume, the search rows holding
/// the word, how often per column kind, and where. It answers what FTS5's index answers for the embedded archive
/// (which rows hold a word or a phrase, how many, how often) from a few arrays instead of every row's text. Each
/// volume has its own lines, written under that volume's lock, so ingests of different volumes never wait for
/// each other.
/// </summary>
internal sealed class PostgresPostings
{
    /// <summary>Counts per row: title, sender and recipient, body, footnotes.</summary>
    public const int Kinds = 4;

    private readonly Dictionary<(string Volume, string Lexeme), List<(long Row, Posting Posting)>> _added = [];
    private readonly Dictionary<string, HashSet<long>> _removedRows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _removedLexemes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fresh = new(StringComparer.Ordinal);

    /// <summary>Records a new search row of <paramref name="volume"/>.</summary>
    public void Add(string volume, long row, Dictionary<string, Posting> postings)
    {
        foreach (var (lexeme, p) in postings)
        {
            if (!_added.TryGetValue((volume, lexeme), out var list))
            {
                _added[(volume, lexeme)] = list = [];
            }
            list.Add((row, p));
        }
    }

    /// <summary>Records the search rows of a document about to be deleted, with the words they held.</summary>
    public void RemoveDocument(NpgsqlConnection c, NpgsqlTransaction t, string documentId)
    {
        using var cmd = new NpgsqlCommand("SELECT r.id, d.volume, r.lexemes FROM search_rows r JOIN documents d ON d.key = r.doc WHERE d.id = @id", c, t);
        cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text) { Value = documentId });
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var volume = r.GetString(1);
            if (!_removedRows.TryGetValue(volume, out var rows))
            {
                _removedRows[volume] = rows = [];
                _removedLexemes[volume] = new HashSet<string>(StringComparer.Ordinal);
            }
            rows.Add(r.GetInt64(0));
            _removedLexemes[volume].UnionWith(r.GetFieldValue<string[]>(2));
        }
    }

    /// <summary>Drops every line of a volume (its documents are being replaced whole): its new lines need no merging.</summary>
    public void RemoveVolume(NpgsqlConnection c, NpgsqlTransaction t, string volume)
    {
        _fresh.Add(volume);
        using var cmd = new NpgsqlCommand("DELETE FROM search_postings WHERE volume = @v", c, t);
        cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Text) { Value = volume });
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Writes what was recorded. Lines of a volume written afresh go straight in; lines that may exist already are
    /// taken out, merged (removed rows dropped, new rows added) and put back.
    /// </summary>
    public void Write(NpgsqlConnection c, NpgsqlTransaction t)
    {
        if (_added.Count == 0 && _removedRows.Count == 0)
        {
            return;
        }
        var lines = new Dictionary<(string Volume, string Lexeme), List<(long Row, Posting Posting)>>();
        var touched = _added.Keys.Select(k => k.Volume).Concat(_removedLexemes.Keys).Distinct(StringComparer.Ordinal)
            .Where(v => !_fresh.Contains(v)).ToList();
        foreach (var volume in touched)
        {
            var lexemes = _added.Keys.Where(k => k.Volume == volume).Select(k => k.Lexeme)
                .Concat(_removedLexemes.GetValueOrDefault(volume) ?? []).Distinct(StringComparer.Ordinal).ToArray();
            var removed = _removedRows.GetValueOrDefault(volume);
            using var take = new NpgsqlCommand("""
                DELETE FROM search_postings WHERE volume = @v AND lexeme = ANY(@lexemes) RETURNING lexeme, rows, counts, positions
                """, c, t);
            take.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Text) { Value = volume });
            take.Parameters.Add(new NpgsqlParameter("lexemes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = lexemes });
            using var r = take.ExecuteReader();
            while (r.Read())
            {
                var list = new List<(long, Posting)>();
                foreach (var (row, posting) in Unpack(r.GetFieldValue<long[]>(1), r.GetFieldValue<int[]>(2), r.GetFieldValue<int[]>(3)))
                {
                    if (removed is null || !removed.Contains(row))
                    {
                        list.Add((row, posting));
                    }
                }
                lines[(volume, r.GetString(0))] = list;
            }
        }
        foreach (var (key, all) in _added)
        {
            // a row written and removed again by the same writer (one telegram twice in one call) is gone
            var removed = _removedRows.GetValueOrDefault(key.Volume);
            var added = removed is null ? all : all.Where(a => !removed.Contains(a.Row)).ToList();
            if (lines.TryGetValue(key, out var list))
            {
                list.AddRange(added);
            }
            else
            {
                lines[key] = added;
            }
        }

        using (var copy = c.BeginBinaryImport("COPY search_postings(lexeme, volume, rows, counts, positions) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var ((volume, lexeme), list) in lines)
            {
                if (list.Count == 0)
                {
                    continue;
                }
                list.Sort((a, b) => a.Row.CompareTo(b.Row));
                var rows = new long[list.Count];
                var counts = new int[list.Count * Kinds];
                var positions = new List<int>();
                for (var i = 0; i < list.Count; i++)
                {
                    rows[i] = list[i].Row;
                    list[i].Posting.Counts.CopyTo(counts, i * Kinds);
                    positions.AddRange(list[i].Posting.Positions);
                }
                copy.StartRow();
                copy.Write(lexeme, NpgsqlDbType.Text);
                copy.Write(volume, NpgsqlDbType.Text);
                copy.Write(rows, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
                copy.Write(counts, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                copy.Write(positions.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
            }
            copy.Complete();
        }
        _added.Clear();
        _removedRows.Clear();
        _removedLexemes.Clear();
    }

    /// <summary>Splits a line into its rows: each row's counts and, after the previous rows', its positions.</summary>
    private static IEnumerable<(long Row, Posting Posting)> Unpack(long[] rows, int[] counts, int[]? positions)
    {
        var at = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var n = counts.AsSpan(i * Kinds, Kinds).ToArray();
            var total = n[0] + n[1] + n[2] + n[3];
            var list = positions is null ? [] : new List<int>(positions.AsSpan(at, total).ToArray());
            at += total;
            yield return (rows[i], new Posting(n, list));
        }
    }

    /// <summary>
    /// The rows holding a word (or, with <paramref name="prefix"/>, any word starting so), in every volume: the
    /// occurrences per column kind summed over the words and, when asked, their positions (ascending).
    /// </summary>
    public static Dictionary<long, Posting> Rows(NpgsqlConnection c, NpgsqlTransaction t, string word, bool prefix, bool positions) =>
        RowsOf(c, t, [(word, prefix, positions)])[0];

    /// <summary>
    /// <see cref="Rows"/> for several lookups in one round trip (a query's words are known before any is needed).
    /// </summary>
    public static List<Dictionary<long, Posting>> RowsOf(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<(string Word, bool Prefix, bool Positions)> lookups)
    {
        var results = new List<Dictionary<long, Posting>>(lookups.Count);
        if (lookups.Count == 0)
        {
            return results;
        }
        using var batch = new NpgsqlBatch(c, t);
        foreach (var (word, prefix, positions) in lookups)
        {
            batch.BatchCommands.Add(RowsCommand(word, prefix, positions));
        }
        using var r = batch.ExecuteReader();
        for (var i = 0; i < lookups.Count; i++)
        {
            if (i > 0)
            {
                r.NextResult();
            }
            results.Add(ReadRows(r, lookups[i].Positions));
        }
        return results;
    }

    private static NpgsqlBatchCommand RowsCommand(string word, bool prefix, bool positions)
    {
        var cmd = new NpgsqlBatchCommand();
        cmd.Parameters.Add(new NpgsqlParameter("w", NpgsqlDbType.Text) { Value = word });
        var select = "SELECT rows, counts" + (positions ? ", positions" : "") + " FROM search_postings WHERE ";
        if (!prefix)
        {
            cmd.CommandText = select + "lexeme = @w";
        }
        else if (word.Length > 0 && word[^1] < 0xD7FF)
        {
            // a range the primary key answers: "C" order is UTF-8 byte order, which a last character below the
            // surrogates keeps when incremented
            cmd.CommandText = select + "lexeme >= @w AND lexeme < @after";
            cmd.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = word[..^1] + (char)(word[^1] + 1) });
        }
        else
        {
            cmd.CommandText = select + "left(lexeme, length(@w)) = @w";
        }
        return cmd;
    }

    /// <summary>Reads the current result set of a <see cref="RowsCommand"/>.</summary>
    private static Dictionary<long, Posting> ReadRows(NpgsqlDataReader r, bool positions)
    {
        var map = new Dictionary<long, Posting>();
        var merged = false;
        while (r.Read())
        {
            foreach (var (row, posting) in Unpack(r.GetFieldValue<long[]>(0), r.GetFieldValue<int[]>(1), positions ? r.GetFieldValue<int[]>(2) : null))
            {
                if (!map.TryGetValue(row, out var known))
                {
                    map[row] = posting;
                    continue;
                }
                // several words start so in this row
                for (var k = 0; k < Kinds; k++)
                {
                    known.Counts[k] += posting.Counts[k];
                }
                known.Positions.AddRange(posting.Positions);
                merged = true;
            }
        }
        if (merged && positions)
        {
            foreach (var posting in map.Values)
            {
                posting.Positions.Sort();
            }
        }
        return map;
    }
}
