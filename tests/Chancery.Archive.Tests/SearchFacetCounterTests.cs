using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;

namespace Chancery.Archive.Tests;

/// <summary>
/// The facet counter over rows made in memory: the edges of the year and decade counts and of value codes that the
/// stored corpus does not reach.
/// </summary>
public sealed class SearchFacetCounterTests
{
    [Fact]
    public void A_range_counts_in_at_most_the_500_years_after_its_first()
    {
        // 1000 to 1600 counts in 1000..1500 only: 1501 has the two one-year rows alone
        var facets = Count((1000, 1600), (1500, 1500), (1501, 1501), (1501, 1501));

        Assert.Equal([new FacetValue("1500", 2), new FacetValue("1501", 2), new FacetValue("1000", 1)], facets[SearchFacets.Year].Take(3));
    }

    [Fact]
    public void A_range_ending_before_its_first_year_counts_in_no_year_and_in_its_decade_only_when_it_ends_inside_it()
    {
        var facets = Count((1945, 1941), (1945, 1939), (1950, 1950));

        Assert.Equal([new FacetValue("1950", 1)], facets[SearchFacets.Year]);
        Assert.Equal([new FacetValue("1940s", 1), new FacetValue("1950s", 1)], facets[SearchFacets.Decade]);
    }

    [Fact]
    public void Codes_below_one_count_as_no_value()
    {
        var facets = Count([(1945, 1945), (1945, 1945), (1945, 1945)], senders: [0, -3, 7]);

        Assert.Equal([new FacetValue("Acheson", 1)], facets[SearchFacets.From]);
    }

    /// <summary>The facets of every row of dated rows (years, no months), all of them hits.</summary>
    private static Dictionary<string, IReadOnlyList<FacetValue>> Count(params (int First, int Last)[] years) =>
        Count(years, senders: null);

    private static Dictionary<string, IReadOnlyList<FacetValue>> Count((int First, int Last)[] years, int[]? senders)
    {
        var n = years.Length;
        var rows = new SearchRows(1, n, n)
        {
            Ids = [.. Enumerable.Range(1, n).Select(i => (long)i)],
            Docs = [.. Enumerable.Range(1, n).Select(i => (long)i)],
            Views = new byte[n],
            Releases = new byte[n],
            Levels = new int[n],
            Controls = new long[n],
            DateMin = [.. years.Select(y => y.First * 100_000_000L + 1010000)],
            DateMax = [.. years.Select(y => y.Last * 100_000_000L + 12312359)],
            Dated = [.. years.Select(_ => true)],
            Volume = new int[n],
            Type = new int[n],
            Classification = new int[n],
            Sender = senders ?? new int[n],
            Recipient = new int[n],
            Place = new int[n],
            PersonStart = new int[n + 1],
        };
        using var counter = new SqliteSearchIndex.FacetCounter(new Names(), rows);
        counter.Count(Bits.All(n));
        return counter.Results();
    }

    /// <summary>A store that only names value codes.</summary>
    private sealed class Names : ISearchSource
    {
        public Dictionary<int, string> Terms() => new() { [7] = "Acheson" };

        public SearchRows Rows(LuceneSearchIndex index) => throw new NotSupportedException();

        public List<(long Row, SearchText Text)> Texts(IEnumerable<long> rowIds) => throw new NotSupportedException();

        public HashSet<long> Codes(SqliteSearchIndex.Facet facet, string words, bool wordsInside, bool prefix) => throw new NotSupportedException();

        public List<long> PersonRows(IReadOnlyCollection<long> codes) => throw new NotSupportedException();

        public List<long> FileRows(string key, bool whole) => throw new NotSupportedException();

        public Dictionary<long, HitDetails> Details(IReadOnlyList<long> rowIds) => throw new NotSupportedException();
    }
}
