using System.Buffers.Binary;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Writes search rows inside one transaction with statements prepared once, and remembers the codes of the facet
/// values it has seen: ingesting a volume prepares a handful of statements instead of several per document. The
/// rows it adds (with their texts) and removes are kept in <see cref="Added"/> and <see cref="Removed"/> for the
/// full-text index, which the caller updates once the transaction has committed (<see cref="LuceneSearchIndex.TryApply"/>).
/// </summary>
internal sealed class SqliteSearchWriter : IDisposable
{
    private readonly SqliteCommand _findTerm;
    private readonly SqliteCommand _addTerm;
    private readonly SqliteCommand _addRow;
    private readonly SqliteCommand _addPerson;
    private readonly SqliteCommand _addFile;
    private readonly SqliteCommand _rowsOf;
    private readonly SqliteCommand _removeRows;
    private readonly Dictionary<(SqliteSearchIndex.Facet, string), long> _codes = [];
    private readonly List<(long Row, SearchText Text)> _added = [];
    private readonly List<long> _removed = [];
    private long _nextRow;

    public SqliteSearchWriter(SqliteConnection c, SqliteTransaction t)
    {
        _findTerm = Prepare(c, t, "SELECT id FROM search_terms WHERE facet = $facet AND key = $key", "$facet", "$key");
        _addTerm = Prepare(c, t, "INSERT INTO search_terms(facet, key, display) VALUES ($facet, $key, $display) RETURNING id", "$facet", "$key", "$display");
        _addRow = Prepare(c, t, """
            INSERT INTO search_rows(id, doc, view, release, level, controls, date_min, date_max,
                volume, type, classification, sender, recipient, place, persons, date_text)
            SELECT $id, key, $view, release, level, controls, $date_min, $date_max,
                $volume, $type, $classification, $sender, $recipient, $place, $persons, $date_text
            FROM documents WHERE key = $doc
            RETURNING id
            """, "$id", "$doc", "$view", "$date_min", "$date_max", "$volume", "$type", "$classification", "$sender", "$recipient", "$place", "$persons", "$date_text");
        _addPerson = Prepare(c, t, "INSERT OR IGNORE INTO search_persons(code, row) VALUES ($code, $row)", "$code", "$row");
        _addFile = Prepare(c, t, "INSERT OR IGNORE INTO search_files(file, row) VALUES ($file, $row)", "$file", "$row");
        _rowsOf = Prepare(c, t, "SELECT id FROM search_rows WHERE doc = $doc", "$doc");
        _removeRows = Prepare(c, t, """
            DELETE FROM search_persons WHERE row IN (SELECT id FROM search_rows WHERE doc = $doc);
            DELETE FROM search_files WHERE row IN (SELECT id FROM search_rows WHERE doc = $doc);
            DELETE FROM search_rows WHERE doc = $doc;
            """, "$doc");
        // ids are never reused: the id of a removed row may still name a document in the full-text index
        using var high = Prepare(c, t, """
            SELECT max(coalesce((SELECT max(id) FROM search_rows), 0),
                       coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_row_high'), 0))
            """);
        _nextRow = (long)high.ExecuteScalar()! + 1;
    }

    /// <summary>Rows added so far, with their texts, for the full-text index.</summary>
    public IReadOnlyList<(long Row, SearchText Text)> Added => _added;

    /// <summary>Ids of the rows removed so far, for the full-text index.</summary>
    public IReadOnlyList<long> Removed => _removed;

    /// <summary>Removes every search row of a document.</summary>
    public void Remove(long docKey)
    {
        _rowsOf.Parameters["$doc"].Value = docKey;
        using (var r = _rowsOf.ExecuteReader())
        {
            while (r.Read())
            {
                _removed.Add(r.GetInt64(0));
            }
        }
        _removeRows.Parameters["$doc"].Value = docKey;
        _removeRows.ExecuteNonQuery();
    }

    /// <summary>Adds one searchable text of a document; its <c>documents</c> row must be written already.</summary>
    public void Index(long docKey, SearchView view, Document doc)
    {
        // person names go in the row for the facet; names and ids both go in search_persons for person:
        var names = doc.Persons.Select(p => Code(SqliteSearchIndex.Facet.Person, p.Name)).Where(x => x != 0).Distinct().ToList();
        var people = names.Concat(doc.Persons.Select(p => Code(SqliteSearchIndex.Facet.PersonId, p.Id)).Where(x => x != 0)).Distinct().ToList();
        var blob = new byte[names.Count * 4];
        for (var i = 0; i < names.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(i * 4), (int)names[i]);
        }

        var date = doc.Date;
        var p = _addRow.Parameters;
        p["$id"].Value = _nextRow;
        p["$doc"].Value = docKey;
        p["$view"].Value = (int)view;
        p["$date_min"].Value = date is null ? DBNull.Value : SqliteSearchIndex.DateNumber(date.MinKey);
        p["$date_max"].Value = date is null ? DBNull.Value : SqliteSearchIndex.DateNumber(date.MaxKey);
        p["$volume"].Value = Code(SqliteSearchIndex.Facet.Volume, doc.Volume);
        p["$type"].Value = Code(SqliteSearchIndex.Facet.Type, doc.Type);
        p["$classification"].Value = Code(SqliteSearchIndex.Facet.Classification, doc.Classification);
        p["$sender"].Value = Code(SqliteSearchIndex.Facet.Sender, doc.From);
        p["$recipient"].Value = Code(SqliteSearchIndex.Facet.Recipient, doc.To);
        p["$place"].Value = Code(SqliteSearchIndex.Facet.Place, doc.Place);
        p["$persons"].Value = blob.Length == 0 ? DBNull.Value : blob;
        p["$date_text"].Value = (object?)date?.ToString() ?? DBNull.Value;
        if (_addRow.ExecuteScalar() is not long row)
        {
            throw new InvalidOperationException($"document key {docKey} ({doc.Id}) has no documents row to index");
        }

        _nextRow = row + 1;
        _added.Add((row, SearchText.Build(doc)));

        _addPerson.Parameters["$row"].Value = row;
        foreach (var code in people)
        {
            _addPerson.Parameters["$code"].Value = code;
            _addPerson.ExecuteNonQuery();
        }
        _addFile.Parameters["$row"].Value = row;
        foreach (var file in doc.FileNumbers.Select(SqliteSearchIndex.FileKey).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal))
        {
            _addFile.Parameters["$file"].Value = file;
            _addFile.ExecuteNonQuery();
        }
    }

    /// <summary>The code of a facet value (0 when it has no words), added the first time it is seen with this spelling shown.</summary>
    private long Code(SqliteSearchIndex.Facet facet, string? display)
    {
        var key = SearchFolding.Words(display);
        if (key.Length == 0)
        {
            return 0;
        }
        if (_codes.TryGetValue((facet, key), out var code))
        {
            return code;
        }
        _findTerm.Parameters["$facet"].Value = (int)facet;
        _findTerm.Parameters["$key"].Value = key;
        if (_findTerm.ExecuteScalar() is long found)
        {
            code = found;
        }
        else
        {
            _addTerm.Parameters["$facet"].Value = (int)facet;
            _addTerm.Parameters["$key"].Value = key;
            _addTerm.Parameters["$display"].Value = PlainText.Fold(display!);
            code = (long)_addTerm.ExecuteScalar()!;
        }
        _codes[(facet, key)] = code;
        return code;
    }

    private static SqliteCommand Prepare(SqliteConnection c, SqliteTransaction t, string sql, params string[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }
        return cmd;
    }

    public void Dispose()
    {
        _findTerm.Dispose();
        _addTerm.Dispose();
        _addRow.Dispose();
        _rowsOf.Dispose();
        _removeRows.Dispose();
        _addPerson.Dispose();
        _addFile.Dispose();
    }
}
