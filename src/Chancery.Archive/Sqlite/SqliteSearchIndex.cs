// PLACEHOLDER written by the lead so the archive builds while the search engine is being written;
// the search engineer owns this file and replaces it whole.
using Chancery.Archive.Access;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

internal static class SqliteSearchIndex
{
    public const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS search_rows(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, view INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS search_rows_doc ON search_rows(doc);
        CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        """;

    public static void Index(SqliteConnection c, SqliteTransaction t, long docKey, SearchView view, Document doc)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "INSERT INTO search_rows(doc, view) VALUES($d, $v) RETURNING id";
        cmd.Parameters.AddWithValue("$d", docKey);
        cmd.Parameters.AddWithValue("$v", (int)view);
        var id = (long)cmd.ExecuteScalar()!;
        cmd.Parameters.Clear();
        cmd.CommandText = "INSERT INTO search_text(rowid, title, body) VALUES($id, $t, $b)";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$t", doc.Title);
        cmd.Parameters.AddWithValue("$b", string.Join("\n", doc.ParagraphTexts));
        cmd.ExecuteNonQuery();
    }

    public static void Remove(SqliteConnection c, SqliteTransaction t, long docKey)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_rows WHERE doc = $d); DELETE FROM search_rows WHERE doc = $d";
        cmd.Parameters.AddWithValue("$d", docKey);
        cmd.ExecuteNonQuery();
    }

    public static SearchResults Search(SqliteConnection c, SearchRequest request, AccessFilter access, out IReadOnlyList<string> originalHits)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT d.id, d.volume, d.number, d.type, d.title, d.date_min FROM search_text s
            JOIN search_rows r ON r.id = s.rowid JOIN documents d ON d.key = r.doc
            WHERE search_text MATCH $q AND {AccessFilter.SearchViewSql("r", "d")} ORDER BY d.key LIMIT 20
            """;
        cmd.Parameters.AddWithValue("$q", "\"" + request.Query.Replace("\"", "\"\"") + "\"");
        access.AddParameters(cmd);
        using var r = cmd.ExecuteReader();
        var hits = new List<SearchHit>();
        while (r.Read())
        {
            hits.Add(new SearchHit(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), "", false, 0));
        }
        originalHits = [];
        return new SearchResults(hits.Count, hits, new Dictionary<string, IReadOnlyList<FacetValue>>());
    }
}
