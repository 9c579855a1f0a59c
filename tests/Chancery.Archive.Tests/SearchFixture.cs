using Chancery.Archive.Access;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Tests;

/// <summary>
/// A throwaway SQLite database with the archive's tables and a full-text index in a scratch folder, filled directly
/// (documents rows plus the search rows each view needs), so search is tested without the rest of the archive.
/// </summary>
internal sealed class SearchFixture : IDisposable
{
    private readonly SqliteConnection _c;
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-search-").FullName;
    private readonly LuceneSearchIndex _index;
    private long _key;

    public SearchFixture()
    {
        _index = LuceneSearchIndex.For(_folder);
        _c = new SqliteConnection("Data Source=:memory:");
        _c.Open();
        using var cmd = _c.CreateCommand();
        cmd.CommandText = SqliteSchema.Create + SqliteSearchIndex.CreateSchema;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The anonymous public.</summary>
    public static readonly AccessFilter Public = new(ReaderIdentity.Public, false, 0, 0);

    /// <summary>A reader cleared for everything.</summary>
    public static readonly AccessFilter Cleared = new(ReaderIdentity.System, true, int.MaxValue, -1);

    public SqliteConnection Connection => _c;

    /// <summary>The full-text index beside the database.</summary>
    public LuceneSearchIndex Index => _index;

    /// <summary>Stores a document; released with excisions needs <paramref name="released"/>, the text the public reads.</summary>
    public void Add(Document doc, Document? released = null)
    {
        using var t = _c.BeginTransaction();
        var key = ++_key;
        using (var cmd = _c.CreateCommand())
        {
            cmd.Transaction = t;
            cmd.CommandText = """
                INSERT INTO documents(key, id, volume, seq, number, type, title, sender, recipient, place, date_min, date_max,
                    classification, level, controls, release, file_numbers, persons, telegram_number, json, sha256)
                VALUES ($key, $id, $volume, $key, $number, $type, $title, $sender, $recipient, $place, $min, $max,
                    $classification, $level, 0, $release, $files, '', NULL, '{}', 'test')
                """;
            cmd.Parameters.AddWithValue("$key", key);
            cmd.Parameters.AddWithValue("$id", doc.Id);
            cmd.Parameters.AddWithValue("$volume", doc.Volume);
            cmd.Parameters.AddWithValue("$number", (object?)doc.Number ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$type", doc.Type);
            cmd.Parameters.AddWithValue("$title", doc.Title);
            cmd.Parameters.AddWithValue("$sender", (object?)doc.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$recipient", (object?)doc.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$place", (object?)doc.Place ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$min", (object?)doc.Date?.MinKey ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$max", (object?)doc.Date?.MaxKey ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$classification", (object?)doc.Classification ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$level", (int)doc.Marking.Level);
            cmd.Parameters.AddWithValue("$release", (int)doc.Release);
            cmd.Parameters.AddWithValue("$files", string.Join('|', doc.FileNumbers));
            cmd.ExecuteNonQuery();
        }
        using var search = new SqliteSearchWriter(_c, t);
        if (doc.Release == ReleaseState.ReleasedWithExcisions)
        {
            search.Index(key, SearchView.Public, released ?? throw new ArgumentNullException(nameof(released)));
            search.Index(key, SearchView.Original, doc);
        }
        else
        {
            search.Index(key, SearchView.All, doc);
        }
        t.Commit();
        Apply(search);
    }

    /// <summary>Removes a document's search rows (as a re-ingest would before indexing anew).</summary>
    public void Remove(string id)
    {
        using var t = _c.BeginTransaction();
        using var cmd = _c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = "SELECT key FROM documents WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        var key = (long)cmd.ExecuteScalar()!;
        using var search = new SqliteSearchWriter(_c, t);
        search.Remove(key);
        t.Commit();
        Apply(search);
    }

    private void Apply(SqliteSearchWriter search)
    {
        if (!_index.TryApply(search.Added, search.Removed, 10_000))
        {
            throw new InvalidOperationException("the full-text index of the fixture is locked");
        }
    }

    public long Count(string table)
    {
        using var cmd = _c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM " + table;
        return (long)cmd.ExecuteScalar()!;
    }

    public SearchResults Search(string query, AccessFilter? access = null, SearchSort sort = SearchSort.DateAscending, int page = 1, int pageSize = 50, bool facets = false) =>
        Search(new SearchRequest(query, sort, page, pageSize, facets), access);

    public SearchResults Search(SearchRequest request, AccessFilter? access = null) =>
        SqliteSearchIndex.Search(_c, _index, request, access ?? Public, out _);

    /// <summary>Ids of the hits, in order.</summary>
    public string[] Ids(string query, AccessFilter? access = null, SearchSort sort = SearchSort.DateAscending) =>
        Search(query, access, sort).Hits.Select(h => h.Id).ToArray();

    public void Dispose()
    {
        _c.Dispose();
        LuceneSearchIndex.Forget(_folder);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a scratch folder left in the temp folder is harmless
        }
    }

    // ---- documents --------------------------------------------------------------------------------------------

    public static Document Doc(string id, string title, string body, string? date = null, string? to = null, string type = "Telegram",
        string? from = null, string? classification = null, string? place = null, string[]? footnotes = null,
        string[]? files = null, PersonRef[]? persons = null, ReleaseState release = ReleaseState.Released,
        ClassificationLevel level = ClassificationLevel.Unclassified, string? sourceNote = null)
    {
        DocumentIds.TrySplit(id, out var volume, out var local);
        DocumentDate? d = null;
        if (date is not null)
        {
            var parts = date.Split("..");
            d = parts.Length == 1 ? DocumentDate.FromIso(parts[0], DateSource.Dateline) : DocumentDate.Range(parts[0], parts[1], DateSource.Dateline);
        }
        return new Document
        {
            Id = id,
            Volume = volume,
            Number = local.TrimStart('d'),
            Type = type,
            Title = title,
            From = from,
            To = to,
            Date = d,
            Place = place,
            Classification = classification,
            FileNumbers = files ?? [],
            Persons = persons ?? [],
            SourceNote = sourceNote,
            Body = body.Split('\n').Select(p => (Block)new Paragraph([new TextRun(p)])).ToList(),
            Footnotes = (footnotes ?? []).Select((f, i) => new Footnote((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), [new TextRun(f)])).ToList(),
            SourceSha256 = "test",
            Marking = new Marking(level, []),
            Release = release,
        };
    }

    /// <summary>
    /// A small archive with every case the search tests need: two volumes, ranged and undated documents,
    /// a withheld document and a document released with one paragraph excised.
    /// </summary>
    public static SearchFixture Standard()
    {
        var f = new SearchFixture();
        f.Add(Doc("volA#d1", "The Ambassador in the Soviet Union (Harriman) to the Secretary of State",
            "Soviet forces will enter Dairen after the agreement with China is signed.\nThe Generalissimo agreed to the terms.",
            date: "1945-07-13", from: "The Ambassador in the Soviet Union (Harriman)", to: "The Secretary of State",
            place: "Moscow", classification: "top secret", files: ["761.93/7-1345"],
            persons: [new PersonRef("p_HWA1", "Harriman, W. Averell"), new PersonRef("p_SJ1", "Stalin, Joseph")],
            footnotes: ["The Attaché in Chungking reported on July 12."], sourceNote: "Source: Department of State, Central Files, 761.93/7-1345."));
        f.Add(Doc("volA#d2", "Memorandum of Conversation, by the Attaché",
            "Port Arthur and Dairen were discussed at length. The Soviet side asked about the railway.",
            date: "1945-07-10..1945-07-20", type: "Memorandum", from: "The Attaché", place: "Chungking",
            classification: "secret", files: ["740.00119 Potsdam/7-2045"],
            persons: [new PersonRef("p_SJ1", "Stalin, Joseph"), new PersonRef(null, "Chiang Kai-shek")]));
        f.Add(Doc("volA#d3", "Editorial Note", "The conference at Potsdam opened on July 17 at the Cecilienhof.", type: "Editorial Note"));
        f.Add(Doc("volB#d1", "The Secretary of State to the Acting Secretary of State",
            "Treaty negotiations over the Kurile Islands continued without result.",
            date: "1946-01-05", from: "The Secretary of State", to: "The Acting Secretary of State", place: "Washington",
            classification: "secret", files: ["761.9311/1-546"],
            footnotes: ["An earlier draft mentioned the Mosquito Coast."]));
        f.Add(Doc("volB#d2", "President Truman to Prime Minister Attlee", "The treaty of friendship was signed; the treaty text follows.",
            date: "1939-12-31..1940-01-02", type: "Letter", from: "President Truman", to: "Prime Minister Attlee",
            classification: "confidential", persons: [new PersonRef("p_TH1", "Truman, Harry S.")]));
        f.Add(Doc("volB#d3", "Memorandum for the President", "The naval base at Dairen is to be kept secret.",
            date: "1945-08-01", type: "Memorandum", classification: "top secret",
            release: ReleaseState.Withheld, level: ClassificationLevel.TopSecret));
        var original = Doc("volB#d4", "The Chargé in China (Robertson) to the Secretary of State",
            "The uranium shipment leaves Tsingtao on Monday.\nOther matters remain as reported.",
            date: "1945-09-03", from: "The Chargé in China (Robertson)", to: "The Secretary of State",
            classification: "secret", release: ReleaseState.ReleasedWithExcisions, level: ClassificationLevel.Secret);
        var released = original with
        {
            Body =
            [
                new ExcisionBlock(Excision.ForCut(1, 1)),
                new Paragraph([new TextRun("Other matters remain as reported.")]),
            ],
        };
        f.Add(original, released);
        return f;
    }
}
