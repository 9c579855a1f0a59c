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
        var where = SearchSourceShared.TermMatch(words, wordsInside, prefix, v => Param(cmd, v), Contains, StartsWith);
        cmd.CommandText = $"SELECT id FROM search_terms WHERE facet = {(int)facet} AND {where}";
        return [.. Ids(cmd)];
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
        cmd.CommandText = "SELECT row FROM search_files WHERE " + SearchSourceShared.FileMatch(key, whole, v => Param(cmd, v), StartsWith);
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

    private static string Contains(string column, string part) => $"instr({column}, {part}) > 0";

    private static string StartsWith(string column, string prefix) => $"substr({column}, 1, length({prefix})) = {prefix}";
}
