using System.Globalization;
using System.Text;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>The embedded archive's side of a search: SQLite read inside the search's one read transaction.</summary>
internal sealed class SqliteSearchSource(SqliteConnection c, SqliteTransaction t) : ISearchSource
{
    public SearchRows Rows(LuceneSearchIndex index) => SqliteSearchIndex.Rows(c, t, index);

    public List<(long Row, SearchText Text)> Texts(IEnumerable<long> rowIds) => SqliteSearchIndex.StoredTexts(c, t, rowIds);

    public Dictionary<int, string> Terms()
    {
        var display = new Dictionary<int, string>();
        using var cmd = Command("SELECT id, display FROM search_terms");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            display[(int)reader.GetInt64(0)] = reader.GetString(1);
        }
        return display;
    }

    public HashSet<long> Codes(SqliteSearchIndex.Facet facet, string words, bool wordsInside, bool prefix)
    {
        using var cmd = Command("");
        var where = wordsInside ? $"instr(key, {Param(cmd, prefix ? words.TrimEnd() : words)}) > 0"
            : prefix ? StartsWith(cmd, "key", words.TrimEnd())
            : $"key = {Param(cmd, words)}";
        cmd.CommandText = $"SELECT id FROM search_terms WHERE facet = {(int)facet} AND {where}";
        var codes = new HashSet<long>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            codes.Add(r.GetInt64(0));
        }
        return codes;
    }

    public List<long> PersonRows(IReadOnlyCollection<long> codes)
    {
        using var cmd = Command("SELECT row FROM search_persons WHERE code IN (SELECT value FROM json_each($codes))");
        cmd.Parameters.AddWithValue("$codes", "[" + string.Join(',', codes) + "]");
        return Ids(cmd);
    }

    public List<long> FileRows(string key, bool whole)
    {
        using var cmd = Command("");
        var match = whole
            ? $"(file = {Param(cmd, key)} OR {StartsWith(cmd, "file", key + "/")} OR {StartsWith(cmd, "file", key + " /")})"
            : StartsWith(cmd, "file", key);
        cmd.CommandText = "SELECT row FROM search_files WHERE " + match;
        return Ids(cmd);
    }

    public Dictionary<long, HitDetails> Details(IReadOnlyList<long> rowIds)
    {
        var details = new Dictionary<long, HitDetails>();
        using var cmd = Command("");
        var ids = new StringBuilder();
        for (var i = 0; i < rowIds.Count; i++)
        {
            ids.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"$r{i}");
            cmd.Parameters.AddWithValue($"$r{i}", rowIds[i]);
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
            details[reader.GetInt64(0)] = new HitDetails(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6) != 0);
        }
        return details;
    }

    private static List<long> Ids(SqliteCommand cmd)
    {
        var ids = new List<long>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }
        return ids;
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = sql;
        return cmd;
    }

    private static string Param(SqliteCommand cmd, object value)
    {
        var name = "$p" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        cmd.Parameters.AddWithValue(name, value);
        return name;
    }

    /// <summary>
    /// <paramref name="column"/> starts with <paramref name="prefix"/>: a range an index can use when the last character
    /// orders the same in UTF-16 and UTF-8 (below the surrogates, always so for folded words), else a substring test.
    /// </summary>
    private static string StartsWith(SqliteCommand cmd, string column, string prefix)
    {
        if (prefix.Length > 0 && prefix[^1] < 0xD7FF)
        {
            var after = prefix[..^1] + (char)(prefix[^1] + 1);
            return $"({column} >= {Param(cmd, prefix)} AND {column} < {Param(cmd, after)})";
        }
        var p = Param(cmd, prefix);
        return $"substr({column}, 1, length({p})) = {p}";
    }
}
