using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Ingest.Tei;

namespace Chancery.Archive.Tests;

/// <summary>Two real FRUS volumes (frus1894Nicaragua, frus1948v05p1) in an embedded archive, built once for the class.</summary>
public sealed class SearchCorpus : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-search-corpus-");

    public SearchCorpus()
    {
        Archive = SqliteArchive.Open(_folder.FullName);
        foreach (var volume in new[] { "frus1894Nicaragua", "frus1948v05p1" })
        {
            using var reader = TeiVolumeReader.Open(Path.Combine(CorpusFolder(), volume + ".xml"));
            Archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
        }
    }

    public SqliteArchive Archive { get; }

    /// <summary><c>&lt;repo&gt;/../shared/corpus/frus</c>, found by walking up from the test binaries.</summary>
    private static string CorpusFolder()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", "corpus", "frus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find shared/corpus/frus above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        Archive.Dispose();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Queries on real volumes, with the hits they must give (in date order unless a test says otherwise).</summary>
public sealed class SearchCorpusTests(SearchCorpus corpus) : IClassFixture<SearchCorpus>
{
    private SearchResults Search(string query, SearchSort sort = SearchSort.DateAscending, bool facets = false) =>
        corpus.Archive.Search(new SearchRequest(query, sort, 1, 100, facets), ReaderIdentity.Public, "test");

    private string[] Ids(string query) => Search(query).Hits.Select(h => h.Id).ToArray();

    private static string[] Nicaragua(params int[] numbers) => numbers.Select(n => "frus1894Nicaragua#d" + n).ToArray();

    [Fact]
    public void A_word_with_a_volume_finds_documents_of_that_volume_only()
    {
        var r = Search("Mosquito volume:frus1894Nicaragua");
        Assert.Equal((84, "frus1894Nicaragua"), (r.Total, string.Join(' ', r.Hits.Select(h => h.Volume).Distinct())));
    }

    [Fact]
    public void A_phrase_a_classification_and_a_month_find_the_Dhahran_telegram()
    {
        Assert.Contains("frus1948v05p1#d202", Ids("\"Saudi Arabia\" classification:\"top secret\" date:1948-12"));
    }

    [Fact]
    public void A_phrase_a_classification_and_a_month_give_these_telegrams()
    {
        Assert.Equal(["frus1948v05p1#d195", "frus1948v05p1#d196", "frus1948v05p1#d197", "frus1948v05p1#d198", "frus1948v05p1#d199",
            "frus1948v05p1#d200", "frus1948v05p1#d201", "frus1948v05p1#d202"], Ids("\"Saudi Arabia\" classification:\"top secret\" date:1948-12"));
    }

    [Fact]
    public void A_phrase_in_one_volume()
    {
        Assert.Equal(Nicaragua(10, 11, 12, 23, 24, 38, 42, 44, 81, 83, 91, 102), Ids("\"martial law\" volume:frus1894Nicaragua"));
    }

    [Fact]
    public void A_word_without_another()
    {
        Assert.Equal(Nicaragua(79, 108, 133), Ids("Clarence volume:frus1894Nicaragua -Mosquito"));
    }

    [Fact]
    public void A_prefix_in_one_volume()
    {
        Assert.Equal(Nicaragua(59, 66, 67), Ids("Cleveland* volume:frus1894Nicaragua"));
    }

    [Fact]
    public void The_undated_document_of_a_volume()
    {
        Assert.Equal(Nicaragua(27), Ids("volume:frus1894Nicaragua date:none"));
    }

    [Fact]
    public void A_month_counts_the_undated_documents_it_leaves_out()
    {
        var r = Search("Bluefields volume:frus1894Nicaragua date:1894-03");
        Assert.Equal((18, 1), (r.Total, r.Undated));
    }

    [Fact]
    public void The_best_match_comes_first()
    {
        Assert.Equal("frus1894Nicaragua#d6", Search("Mosquito volume:frus1894Nicaragua", SearchSort.Relevance).Hits[0].Id);
    }

    [Fact]
    public void The_file_facet_counts_decimal_file_subjects_of_every_hit()
    {
        // counted apart with SQL over documents.file_numbers: 32 Dhahran documents, 14 filed under 890F.7962, 7 under 741.90F
        var results = Search("Dhahran", facets: true);
        Assert.Equal((32, new FacetValue("890F.7962", 14), new FacetValue("741.90F", 7)), (results.Total, results.Facets["file"][0], results.Facets["file"][1]));
    }

    [Fact]
    public void The_file_subject_narrows_to_its_count_on_real_data()
    {
        Assert.Equal(14, Search("Dhahran file:\"890F.7962\"").Total);
    }

    [Fact]
    public void Facet_values_narrow_to_their_counts_on_real_data()
    {
        var query = "Dhahran OR Bluefields";
        var results = Search(query, facets: true);
        foreach (var (facet, values) in results.Facets)
        {
            foreach (var v in values.Take(5))
            {
                var narrowed = Search(QueryParser.Narrow(query, facet, v.Value));
                Assert.True(v.Count == narrowed.Total, $"{facet}={v.Value}: facet {v.Count}, narrowed {narrowed.Total}");
            }
        }
    }
}
