using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// The server archive's side of a search: PostgreSQL read inside the search's one repeatable-read transaction. The
/// search itself is the embedded archive's (<see cref="SqliteSearchIndex"/>) over a Lucene index this process keeps
/// (<see cref="PostgresArchive"/> says where): PostgreSQL stays the truth, a Lucene hit counts only through a search
/// row of this snapshot that the reader may read, and whatever the index lacks is indexed from the stored documents.
/// </summary>
internal sealed class PostgresSearchSource(NpgsqlConnection c, NpgsqlTransaction t) : ISearchSource
{
    /// <summary>
    /// The rows as this snapshot sees them. The generation is the number of transactions that changed the search rows
    /// or the documents' access (<c>search_changes</c>, one line each, written by triggers): a later snapshot sees
    /// every transaction an earlier one saw, so two snapshots seeing as many see the same rows.
    /// </summary>
    public SearchRows Rows(LuceneSearchIndex index)
    {
        long generation, high;
        using (var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM search_changes), (SELECT coalesce(max(id), 0) FROM search_rows)", c, t))
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            generation = r.GetInt64(0);
            high = r.GetInt64(1);
        }
        return SqliteSearchIndex.CachedRows(index, generation, high, () => Load(generation, high));
    }

    /// <summary>Reads every search row, in id order, with its document's access columns.</summary>
    private SearchRows Load(long generation, long high)
    {
        var ids = new List<long>();
        var docs = new List<long>();
        var views = new List<byte>();
        var releases = new List<byte>();
        var levels = new List<int>();
        var controls = new List<long>();
        var dateMin = new List<long>();
        var dateMax = new List<long>();
        var dated = new List<bool>();
        var codes = new List<int>[6];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = [];
        }
        var personStart = new List<int>();
        var persons = new List<int>();
        var numbers = new List<string?>();
        using (var cmd = new NpgsqlCommand("""
            SELECT r.id, r.doc, r.view, d.release, d.level, d.controls, r.date_min, r.date_max,
                   r.volume, r.type, r.classification, r.sender, r.recipient, r.place, r.persons,
                   CASE WHEN EXISTS (SELECT 1 FROM search_files f WHERE f.row_id = r.id) THEN d.file_numbers END
            FROM search_rows r JOIN documents d ON d.key = r.doc
            ORDER BY r.id
            """, c, t))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                ids.Add(r.GetInt64(0));
                docs.Add(r.GetInt64(1));
                views.Add((byte)r.GetInt16(2));
                releases.Add((byte)r.GetInt32(3));
                levels.Add(r.GetInt32(4));
                controls.Add(r.GetInt64(5));
                var isDated = !r.IsDBNull(6);
                dated.Add(isDated);
                dateMin.Add(isDated ? SqliteSearchIndex.DateNumber(r.GetString(6)) : 0);
                dateMax.Add(isDated && !r.IsDBNull(7) ? SqliteSearchIndex.DateNumber(r.GetString(7)) : 0);
                for (var i = 0; i < codes.Length; i++)
                {
                    codes[i].Add((int)r.GetInt64(8 + i));
                }
                personStart.Add(persons.Count);
                foreach (var code in r.GetFieldValue<long[]>(14))
                {
                    persons.Add((int)code);
                }
                numbers.Add(r.IsDBNull(15) ? null : r.GetString(15));
            }
        }
        personStart.Add(persons.Count);
        var count = ids.Count;
        var rows = new SearchRows(generation, high, count)
        {
            Ids = [.. ids],
            Docs = [.. docs],
            Views = [.. views],
            Releases = [.. releases],
            Levels = [.. levels],
            Controls = [.. controls],
            DateMin = [.. dateMin],
            DateMax = [.. dateMax],
            Dated = [.. dated],
            Volume = [.. codes[0]],
            Type = [.. codes[1]],
            Classification = [.. codes[2]],
            Sender = [.. codes[3]],
            Recipient = [.. codes[4]],
            Place = [.. codes[5]],
            PersonStart = [.. personStart],
            PersonCodes = [.. persons],
        };
        // file numbers, walked in row order beside the rows
        var fileStart = new int[count + 1];
        var files = new List<string>();
        using (var cmd = new NpgsqlCommand("SELECT row_id, file FROM search_files ORDER BY row_id, file", c, t))
        using (var r = cmd.ExecuteReader())
        {
            var slot = 0;
            while (r.Read())
            {
                var row = r.GetInt64(0);
                while (slot < count && rows.Ids[slot] < row)
                {
                    fileStart[++slot] = files.Count;
                }
                if (slot < count && rows.Ids[slot] == row)
                {
                    files.Add(r.GetString(1));
                }
            }
            while (slot < count)
            {
                fileStart[++slot] = files.Count;
            }
        }
        rows.SetFiles(fileStart, [.. files], [.. numbers]);
        return rows;
    }

    public List<(long Row, SearchText Text)> Texts(IEnumerable<long> rowIds)
    {
        var list = new List<(long, SearchText)>();
        using var cmd = new NpgsqlCommand("""
            SELECT r.id, r.view, d.json, rv.excisions
            FROM search_rows r JOIN documents d ON d.key = r.doc
            LEFT JOIN LATERAL (SELECT excisions FROM reviews WHERE document = d.id ORDER BY seq DESC LIMIT 1) rv ON r.view = 1
            WHERE r.id = ANY(@rows)
            """, c, t);
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rowIds.ToArray() });
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), SearchSourceShared.RowText(r.GetString(2), r.GetInt16(1), r.IsDBNull(3) ? null : r.GetString(3))));
        }
        return list;
    }

    public Dictionary<int, string> Terms()
    {
        var display = new Dictionary<int, string>();
        using var cmd = new NpgsqlCommand("SELECT id, display FROM search_terms", c, t);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            display[(int)r.GetInt64(0)] = r.GetString(1);
        }
        return display;
    }

    public HashSet<long> Codes(SqliteSearchIndex.Facet facet, string words, bool wordsInside, bool prefix)
    {
        using var cmd = new NpgsqlCommand("", c, t);
        cmd.Parameters.Add(new NpgsqlParameter("facet", NpgsqlDbType.Smallint) { Value = (short)facet });
        var where = SearchSourceShared.TermMatch(words, wordsInside, prefix, v => Param(cmd, v), Contains, StartsWith);
        cmd.CommandText = $"SELECT id FROM search_terms WHERE facet = @facet AND {where}";
        return [.. Ids(cmd)];
    }

    public List<long> PersonRows(IReadOnlyCollection<long> codes)
    {
        using var cmd = new NpgsqlCommand("SELECT row_id FROM search_persons WHERE code = ANY(@codes)", c, t);
        cmd.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = codes.ToArray() });
        return Ids(cmd);
    }

    public List<long> FileRows(string key, bool whole)
    {
        using var cmd = new NpgsqlCommand("", c, t);
        cmd.CommandText = "SELECT row_id FROM search_files WHERE " + SearchSourceShared.FileMatch(key, whole, v => Param(cmd, v), StartsWith);
        return Ids(cmd);
    }

    public Dictionary<long, HitDetails> Details(IReadOnlyList<long> rowIds)
    {
        var details = new Dictionary<long, HitDetails>();
        using var cmd = new NpgsqlCommand($"""
            SELECT r.id, d.id, d.number, d.volume, d.type, r.date_text,
                   r.view = 2 OR (r.view = 0 AND d.release NOT IN {AccessFilter.ReleasedStates})
            FROM search_rows r JOIN documents d ON d.key = r.doc
            WHERE r.id = ANY(@rows)
            """, c, t);
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rowIds.ToArray() });
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            details[r.GetInt64(0)] = new HitDetails(r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetBoolean(6));
        }
        return details;
    }

    private static List<long> Ids(NpgsqlCommand cmd)
    {
        var ids = new List<long>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }
        return ids;
    }

    private static string Param(NpgsqlCommand cmd, string value)
    {
        var name = "p" + cmd.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value });
        return "@" + name;
    }

    private static string Contains(string column, string part) => $"strpos({column}, {part}) > 0";

    private static string StartsWith(string column, string prefix) => $"starts_with({column}, {prefix})";
}
