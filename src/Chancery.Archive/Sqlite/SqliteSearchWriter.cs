using System.Buffers.Binary;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Writes search rows inside one transaction with statements prepared once, and remembers the codes of the facet
/// values it has seen: ingesting a volume prepares a handful of statements instead of several per document. The
/// rows it adds (with their texts) and removes are kept in <see cref="Added"/> and <see cref="Removed"/> for the
/// full-text index, which the caller updates once the transaction has committed (<see cref="LuceneSearchIndex.TryApply"/>).
/// </summary>
internal sealed class SqliteSearchWriter : IDisposable
{
    private const string AddRowSql = """
        INSERT INTO search_rows(id, doc, view, release, level, controls, date_min, date_max,
            volume, type, classification, sender, recipient, place, persons, date_text)
        SELECT ?1, key, ?2, release, level, controls, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12
        FROM documents WHERE key = ?13
        """;

    private readonly SqliteConnection _c;
    private readonly SqliteCommand _findTerm;
    private readonly SqliteCommand _addTerm;
    // the statements run for every row are raw prepared statements bound by position: the provider's command
    // (statement lookup, parameters bound by name) cost more than the insert itself (bench ingest, BENCHMARKS.md)
    private readonly sqlite3_stmt _addRow;
    private readonly sqlite3_stmt _addPerson;
    private readonly sqlite3_stmt _addFile;
    private readonly SqliteCommand _rowsOf;
    private readonly SqliteCommand _removeRows;
    private readonly Dictionary<(SqliteSearchIndex.Facet, string), long> _codes = [];
    // the same, by the value as written: most values recur, and are then not folded again
    private readonly Dictionary<(SqliteSearchIndex.Facet, string), long> _written = [];
    private readonly List<long> _names = [];
    private readonly List<long> _people = [];
    private readonly List<string> _files = [];
    private readonly List<(long Row, SearchText Text)> _added = [];
    private readonly List<long> _removed = [];
    private readonly IndexSession.Ticket? _ticket;
    private long _nextRow;

    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction the rows are written in.</param>
    /// <param name="ticket">
    /// An ingest run's ticket: rows added go to the run's index thread as they are written (and are not kept in
    /// <see cref="Added"/>); null keeps them for <see cref="LuceneSearchIndex.TryApply"/> after the commit.
    /// </param>
    public SqliteSearchWriter(SqliteConnection c, SqliteTransaction t, IndexSession.Ticket? ticket = null)
    {
        _ticket = ticket;
        _c = c;
        _findTerm = Prepare(c, t, "SELECT id FROM search_terms WHERE facet = $facet AND key = $key", "$facet", "$key");
        _addTerm = Prepare(c, t, "INSERT INTO search_terms(facet, key, display) VALUES ($facet, $key, $display) RETURNING id", "$facet", "$key", "$display");
        Check(raw.sqlite3_prepare_v2(c.Handle, AddRowSql, out _addRow));
        Check(raw.sqlite3_prepare_v2(c.Handle, "INSERT OR IGNORE INTO search_persons(code, row) VALUES (?1, ?2)", out _addPerson));
        Check(raw.sqlite3_prepare_v2(c.Handle, "INSERT OR IGNORE INTO search_files(file, row) VALUES (?1, ?2)", out _addFile));
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
        _names.Clear();
        _people.Clear();
        foreach (var p in doc.Persons)
        {
            AddDistinct(_names, Code(SqliteSearchIndex.Facet.Person, p.Name));
        }
        _people.AddRange(_names);
        foreach (var p in doc.Persons)
        {
            AddDistinct(_people, Code(SqliteSearchIndex.Facet.PersonId, p.Id));
        }
        var blob = new byte[_names.Count * 4];
        for (var i = 0; i < _names.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(i * 4), (int)_names[i]);
        }

        var row = _nextRow;
        var date = doc.Date;
        var s = _addRow;
        Check(raw.sqlite3_bind_int64(s, 1, row));
        Check(raw.sqlite3_bind_int64(s, 2, (int)view));
        Int(3, date is null ? null : SqliteSearchIndex.DateNumber(date.MinKey));
        Int(4, date is null ? null : SqliteSearchIndex.DateNumber(date.MaxKey));
        Check(raw.sqlite3_bind_int64(s, 5, Code(SqliteSearchIndex.Facet.Volume, doc.Volume)));
        Check(raw.sqlite3_bind_int64(s, 6, Code(SqliteSearchIndex.Facet.Type, doc.Type)));
        Check(raw.sqlite3_bind_int64(s, 7, Code(SqliteSearchIndex.Facet.Classification, doc.Classification)));
        Check(raw.sqlite3_bind_int64(s, 8, Code(SqliteSearchIndex.Facet.Sender, doc.From)));
        Check(raw.sqlite3_bind_int64(s, 9, Code(SqliteSearchIndex.Facet.Recipient, doc.To)));
        Check(raw.sqlite3_bind_int64(s, 10, Code(SqliteSearchIndex.Facet.Place, doc.Place)));
        Check(blob.Length == 0 ? raw.sqlite3_bind_null(s, 11) : raw.sqlite3_bind_blob(s, 11, blob));
        var dateText = date?.ToString();
        Check(dateText is null ? raw.sqlite3_bind_null(s, 12) : raw.sqlite3_bind_text16(s, 12, dateText.AsSpan()));
        Check(raw.sqlite3_bind_int64(s, 13, docKey));
        Step(s);
        if (raw.sqlite3_changes(_c.Handle) != 1)
        {
            throw new InvalidOperationException($"document key {docKey} ({doc.Id}) has no documents row to index");
        }

        _nextRow = row + 1;
        if (_ticket is null)
        {
            _added.Add((row, SearchText.Build(doc)));
        }
        else
        {
            _ticket.Add(row, doc);
        }

        foreach (var code in _people)
        {
            Check(raw.sqlite3_bind_int64(_addPerson, 1, code));
            Check(raw.sqlite3_bind_int64(_addPerson, 2, row));
            Step(_addPerson);
        }
        _files.Clear();
        foreach (var number in doc.FileNumbers)
        {
            var file = SqliteSearchIndex.FileKey(number);
            if (file.Length > 0 && !_files.Contains(file))
            {
                _files.Add(file);
                Check(raw.sqlite3_bind_text16(_addFile, 1, file.AsSpan()));
                Check(raw.sqlite3_bind_int64(_addFile, 2, row));
                Step(_addFile);
            }
        }
    }

    // as Distinct() keeps them: the first of each, in order, without the zeros of values with no words
    private static void AddDistinct(List<long> list, long code)
    {
        if (code != 0 && !list.Contains(code))
        {
            list.Add(code);
        }
    }

    private void Int(int index, long? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_addRow, index) : raw.sqlite3_bind_int64(_addRow, index, value.Value));

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _c.Handle);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _c.Handle);
        }
    }

    /// <summary>The code of a facet value (0 when it has no words), added the first time it is seen with this spelling shown.</summary>
    private long Code(SqliteSearchIndex.Facet facet, string? display)
    {
        if (display is null)
        {
            return 0;
        }
        if (_written.TryGetValue((facet, display), out var known))
        {
            return known;
        }
        known = CodeOfKey(facet, display);
        _written[(facet, display)] = known;
        return known;
    }

    private long CodeOfKey(SqliteSearchIndex.Facet facet, string display)
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
            _addTerm.Parameters["$display"].Value = PlainText.Fold(display);
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
