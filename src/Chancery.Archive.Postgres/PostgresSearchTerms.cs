using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Npgsql;
using NpgsqlTypes;
// the kinds of field values kept in search_terms: the embedded index's own numbering, so the two cannot drift
using TermFacet = Chancery.Archive.Sqlite.SqliteSearchIndex.Facet;

namespace Chancery.Archive.Postgres;

/// <summary>
/// The dictionary of folded field values: each (facet, key) gets a code and keeps the first spelling seen, which is
/// what facets show and what breaks ties between equal counts, as in the embedded index.
/// </summary>
/// <remarks>
/// New values are registered in a short transaction of their own, committed at once under an advisory lock, not in
/// the ingest's transaction: two ingests adding the same new values in different orders would otherwise wait for
/// each other until one is killed as a deadlock. The price: values of an ingest that then fails stay registered
/// (unused codes, harmless; only a spelling seen first by a failed ingest could be the one shown).
/// </remarks>
internal sealed class PostgresSearchTerms(Func<NpgsqlConnection> connect)
{
    private readonly Dictionary<(TermFacet, string), long> _codes = [];

    /// <summary>The values a document view registers, in the embedded index's order (it decides which spelling is first).</summary>
    public static List<(TermFacet Facet, string Display)> Values(Document doc)
    {
        var values = new List<(TermFacet, string)> { (TermFacet.Volume, doc.Volume), (TermFacet.Type, doc.Type) };
        void Optional(TermFacet facet, string? display)
        {
            if (SearchFolding.Words(display).Length > 0)
            {
                values.Add((facet, display!));
            }
        }
        Optional(TermFacet.Classification, doc.Classification);
        Optional(TermFacet.Sender, doc.From);
        Optional(TermFacet.Recipient, doc.To);
        Optional(TermFacet.Place, doc.Place);
        values.AddRange(doc.Persons.Where(p => SearchFolding.Words(p.Name).Length > 0).Select(p => (TermFacet.Person, p.Name)));
        values.AddRange(doc.Persons.Where(p => SearchFolding.Words(p.Id).Length > 0).Select(p => (TermFacet.PersonId, p.Id!)));
        return values;
    }

    /// <summary>Makes sure every value has a code, registering the new ones in order.</summary>
    public void Register(IEnumerable<(TermFacet Facet, string Display)> values)
    {
        var missing = values.Select(v => (v.Facet, Key: SearchFolding.Words(v.Display), v.Display))
            .Where(v => !_codes.ContainsKey((v.Facet, v.Key)))
            .DistinctBy(v => (v.Facet, v.Key)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        using var c = connect();
        using var t = c.BeginTransaction();
        using (var lockTerms = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.Locks.Archive}, {PostgresSchema.Locks.Terms})", c, t))
        {
            lockTerms.ExecuteNonQuery();
        }
        using var cmd = new NpgsqlCommand("""
            INSERT INTO search_terms(facet, key, display)
            SELECT f, k, d FROM unnest(@f, @k, @d) WITH ORDINALITY AS u(f, k, d, n) ORDER BY n
            ON CONFLICT (facet, key) DO NOTHING;
            SELECT t.facet, t.key, t.id FROM search_terms t JOIN unnest(@f, @k) AS u(f, k) ON t.facet = u.f AND t.key = u.k;
            """, c, t);
        cmd.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = missing.Select(m => (short)m.Facet).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("k", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing.Select(m => m.Key).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing.Select(m => PlainText.Fold(m.Display)).ToArray() });
        using (var r = cmd.ExecuteReader())
        {
            // the reader skips the INSERT, which returns no rows, and starts at the SELECT
            while (r.Read())
            {
                _codes[((TermFacet)r.GetInt16(0), r.GetString(1))] = r.GetInt64(2);
            }
        }
        t.Commit();
    }

    /// <summary>The code of a registered value; 0 when the value has no words.</summary>
    public long Code(TermFacet facet, string? display) =>
        SearchFolding.Words(display) is { Length: > 0 } key ? _codes[(facet, key)] : 0;
}
