using Chancery.Archive.Search;
using Chancery.Core.Documents;
using static Chancery.Archive.Tests.SearchFixture;

namespace Chancery.Archive.Tests;

/// <summary>Facets: counts over the whole result set, and values that narrow to exactly the hits they count.</summary>
public sealed class SearchFacetTests : IDisposable
{
    private readonly SearchFixture _f = Standard();

    public void Dispose() => _f.Dispose();

    private IReadOnlyList<FacetValue> Facet(string query, string facet, Access.AccessFilter? access = null) =>
        _f.Search(query, access, facets: true).Facets[facet];

    [Fact]
    public void Every_facet_is_present()
    {
        Assert.Equal(["volume", "decade", "year", "type", "classification", "from", "to", "person", "file"], _f.Search("Dairen", facets: true).Facets.Keys);
    }

    [Fact]
    public void Every_facet_is_present_and_empty_when_nothing_matches()
    {
        Assert.All(_f.Search("nonesuch", facets: true).Facets.Values, Assert.Empty);
    }

    [Fact]
    public void No_facets_unless_asked()
    {
        Assert.Empty(_f.Search("Dairen").Facets);
    }

    [Fact]
    public void Volume_counts()
    {
        Assert.Equal([new FacetValue("volB", 3), new FacetValue("volA", 1)], Facet("secretary OR treaty", "volume"));
    }

    [Fact]
    public void Type_counts()
    {
        Assert.Equal([new FacetValue("Telegram", 3), new FacetValue("Editorial Note", 1), new FacetValue("Letter", 1), new FacetValue("Memorandum", 1)],
            Facet("date:none OR -date:none", "type"));
    }

    [Fact]
    public void A_document_counts_in_every_year_its_range_overlaps()
    {
        Assert.Equal([new FacetValue("1939", 1), new FacetValue("1940", 1), new FacetValue("1946", 1)], Facet("treaty", "year"));
    }

    [Fact]
    public void Decades_are_written_like_1940s()
    {
        Assert.Equal([new FacetValue("1940s", 2), new FacetValue("1930s", 1)], Facet("treaty", "decade"));
    }

    [Fact]
    public void Person_counts_use_names()
    {
        Assert.Equal([new FacetValue("Stalin, Joseph", 2), new FacetValue("Chiang Kai-shek", 1), new FacetValue("Harriman, W. Averell", 1)],
            Facet("Dairen", "person"));
    }

    [Fact]
    public void From_counts_whole_senders()
    {
        Assert.Equal([new FacetValue("President Truman", 1), new FacetValue("The Chargé in China (Robertson)", 1), new FacetValue("The Secretary of State", 1)],
            Facet("volume:volB", "from"));
    }

    [Fact]
    public void File_counts_subjects_as_the_documents_print_them()
    {
        Assert.Equal([new FacetValue("740.00119 Potsdam", 1), new FacetValue("761.93", 1), new FacetValue("761.9311", 1)],
            Facet("date:none OR -date:none", "file"));
    }

    [Fact]
    public void A_quoted_file_subject_leaves_out_longer_subjects_it_prefixes()
    {
        Assert.Equal((2, 1), (_f.Search("file:761.93").Total, _f.Search(QueryParser.Narrow("", "file", "761.93")).Total));
    }

    [Fact]
    public void A_quoted_whole_file_number_still_matches()
    {
        Assert.Equal(["volA#d2"], _f.Search("file:\"740.00119 POTSDAM/7-2045\"").Hits.Select(h => h.Id));
    }

    [Fact]
    public void A_document_counts_once_per_file_subject()
    {
        using var f = new SearchFixture();
        f.Add(Doc("v#d1", "A", "oil", date: "1948-01-01", files: ["890F.7962/12-1848", "890F.7962/12-2048", "890F.79621/1-149"]));
        f.Add(Doc("v#d2", "B", "oil", date: "1948-01-02", files: ["890F.7962 /1-248"]));
        Assert.Equal([new FacetValue("890F.7962", 2), new FacetValue("890F.79621", 1)], f.Search("oil", facets: true).Facets["file"]);
    }

    [Fact]
    public void File_subjects_tie_in_ordinal_order_and_stop_at_twenty()
    {
        using var f = new SearchFixture();
        for (var i = 25; i >= 1; i--)
        {
            f.Add(Doc($"v#d{i}", "T", "common", date: "1945-01-01", files: [$"711.{i:00}/1-145"]));
        }
        var values = f.Search("common", facets: true).Facets["file"];
        Assert.Equal((20, "711.01", "711.20"), (values.Count, values[0].Value, values[19].Value));
    }

    [Fact]
    public void Undated_documents_have_no_year()
    {
        Assert.Empty(Facet("Potsdam", "year"));
    }

    [Theory]
    [InlineData("date:none OR -date:none")]
    [InlineData("Dairen OR treaty OR secretary")]
    [InlineData("the")]
    [InlineData("date:1940s")]
    [InlineData("-Dairen")]
    [InlineData("secretary OR from:truman")]
    [InlineData("file:761")]
    public void Each_facet_value_narrows_to_exactly_its_count(string query)
    {
        foreach (var access in new[] { Public, Cleared })
        {
            var results = _f.Search(query, access, facets: true);
            var checkedValues = 0;
            foreach (var (facet, values) in results.Facets)
            {
                foreach (var v in values)
                {
                    var narrowed = _f.Search(QueryParser.Narrow(query, facet, v.Value), access);
                    Assert.True(v.Count == narrowed.Total, $"{facet}={v.Value}: facet {v.Count}, narrowed {narrowed.Total}");
                    checkedValues++;
                }
            }
            Assert.True(checkedValues > 5, $"only {checkedValues} facet values for {query}");
        }
    }

    [Fact]
    public void Senders_spelled_alike_count_as_one_value()
    {
        using var f = new SearchFixture();
        f.Add(Doc("v#d1", "A", "one", date: "1945-01-01", from: "The Secretary of State"));
        f.Add(Doc("v#d2", "B", "two", date: "1945-01-02", from: "the Secretary of State."));
        var values = f.Search("volume:v", facets: true).Facets["from"];
        Assert.Equal((1, 2, 2), (values.Count, values[0].Count, f.Search(QueryParser.Narrow("volume:v", "from", values[0].Value)).Total));
    }

    [Fact]
    public void A_facet_lists_at_most_twenty_values()
    {
        using var f = new SearchFixture();
        for (var i = 1; i <= 25; i++)
        {
            f.Add(Doc($"v#d{i}", "T", "common", date: "1945-01-01", from: $"Sender {i:00}", persons: [new PersonRef(null, $"Person {i:00}")]));
        }
        var facets = f.Search("common", facets: true).Facets;
        Assert.Equal((20, 20, "Sender 01", "Sender 20"), (facets["from"].Count, facets["person"].Count, facets["from"][0].Value, facets["from"][19].Value));
    }
}
