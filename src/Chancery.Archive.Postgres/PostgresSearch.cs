using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Npgsql;
using NpgsqlTypes;
using TermFacet = Chancery.Archive.Sqlite.SqliteSearchIndex.Facet;

namespace Chancery.Archive.Postgres;

/// <summary>
/// The server archive's search rows as ingest and reviews write them: one row per text readers may search
/// (<see cref="SearchView"/>), holding the codes of its field values, its dates and its view, with its persons and
/// file numbers beside it, as the embedded archive keeps them. The words are not in PostgreSQL: each process indexes
/// the rows' texts in its own Lucene index (<see cref="PostgresSearchSource"/>, docs/decisions/004-postgres-search.md).
/// </summary>
internal static class PostgresSearch
{
    // ---- indexing ---------------------------------------------------------------------------------------------

    /// <summary>
    /// SQL inserting the search rows (with persons and files) of the document whose key the CTE <c>d</c> yields,
    /// one row per element of the view arrays.
    /// </summary>
    public const string InsertRowsSql = """
        r AS (
            INSERT INTO search_rows(id, doc, view, date_min, date_max, year_min, year_max, date_text,
                volume, type, classification, sender, recipient, place, persons)
            SELECT v.id, d.key, v.view, @s_date_min, @s_date_max, @s_year_min, @s_year_max, @s_date_text,
                @s_volume, @s_type, @s_classification, @s_sender, @s_recipient, @s_place, @s_persons
            FROM d, unnest(@s_ids, @s_views) AS v(id, view)
            RETURNING id),
        p AS (
            INSERT INTO search_persons(code, row_id) SELECT u.code, r.id FROM r, unnest(@s_person_codes) AS u(code))
        INSERT INTO search_files(file, row_id) SELECT u.file, r.id FROM r, unnest(@s_files) AS u(file)
        """;

    /// <summary>Takes <paramref name="count"/> new search row ids, so rows and their texts can be written together.</summary>
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

    /// <summary>What a document's search rows hold: the fields all its views share, and per view the row id.</summary>
    public sealed record RowValues(
        string? DateMin, string? DateMax, int? YearMin, int? YearMax, string? DateText,
        long Volume, long Type, long Classification, long Sender, long Recipient, long Place,
        long[] Persons, long[] PersonCodes, string[] Files,
        long[] Ids, short[] Views);

    /// <summary>
    /// The values of the search rows for the views of one document; its field values must have been registered with
    /// <paramref name="terms"/>.
    /// </summary>
    public static RowValues Rows(IReadOnlyList<(SearchView View, Document Doc)> views, PostgresSearchTerms terms, ReadOnlySpan<long> ids)
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
        return new RowValues(min, max, SearchText.Year(min), SearchText.Year(max), date?.ToString(),
            terms.Code(TermFacet.Volume, doc.Volume), terms.Code(TermFacet.Type, doc.Type), terms.Code(TermFacet.Classification, doc.Classification),
            terms.Code(TermFacet.Sender, doc.From), terms.Code(TermFacet.Recipient, doc.To), terms.Code(TermFacet.Place, doc.Place),
            names.ToArray(), codes, files,
            ids.ToArray(), views.Select(v => (short)v.View).ToArray());
    }

    /// <summary>
    /// Adds the parameters of <see cref="InsertRowsSql"/> for the views of one document; its field values must have
    /// been registered with <paramref name="terms"/>.
    /// </summary>
    public static void AddRowParameters(NpgsqlParameterCollection p, IReadOnlyList<(SearchView View, Document Doc)> views, PostgresSearchTerms terms,
        ReadOnlySpan<long> ids)
    {
        var v = Rows(views, terms, ids);
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
    }

    /// <summary>
    /// Writes the search rows of many documents, with their persons and files, by binary COPY: <paramref name="documents"/>
    /// pairs each document's key with its <see cref="Rows"/>.
    /// </summary>
    public static void CopyRows(NpgsqlConnection c, IReadOnlyList<(long Key, RowValues Rows)> documents)
    {
        using (var copy = c.BeginBinaryImport("""
            COPY search_rows(id, doc, view, date_min, date_max, year_min, year_max, date_text,
                volume, type, classification, sender, recipient, place, persons) FROM STDIN (FORMAT BINARY)
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

    private static void Text(NpgsqlParameterCollection p, string name, string? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
}
