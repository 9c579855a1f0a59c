using static Chancery.Archive.Tests.SearchFixture;

namespace Chancery.Archive.Tests;

/// <summary>Pages of a result are stable: read one after another they give the whole result once, in order.</summary>
public sealed class SearchPagingTests : IDisposable
{
    private readonly SearchFixture _f = new();

    public SearchPagingTests()
    {
        // scores repeat (every third document has the same text) and dates repeat, so only the key breaks ties
        for (var i = 1; i <= 37; i++)
        {
            var body = string.Join(' ', Enumerable.Repeat("common", 1 + i % 3)) + " filler text";
            _f.Add(Doc($"v#d{i}", "Title " + i, body, date: i % 5 == 0 ? null : $"1945-07-{1 + i % 4:00}"));
        }
    }

    public void Dispose() => _f.Dispose();

    private string[] Paged(string query, SearchSort sort, int pageSize)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var hits = _f.Search(query, sort: sort, page: page, pageSize: pageSize).Hits;
            if (hits.Count == 0)
            {
                return [.. ids];
            }
            ids.AddRange(hits.Select(h => h.Id));
        }
    }

    [Theory]
    [InlineData(SearchSort.Relevance)]
    [InlineData(SearchSort.DateAscending)]
    [InlineData(SearchSort.DateDescending)]
    public void Pages_of_ten_give_the_whole_result_once_in_order(SearchSort sort)
    {
        var whole = _f.Search("common", sort: sort, pageSize: 100).Hits.Select(h => h.Id).ToArray();
        Assert.Equal((37, string.Join(' ', whole)), (whole.Distinct().Count(), string.Join(' ', Paged("common", sort, 10))));
    }

    [Fact]
    public void Equal_scores_are_ordered_by_document_key()
    {
        var hits = _f.Search("common", sort: SearchSort.Relevance, pageSize: 100).Hits;
        var firstGroup = hits.TakeWhile(h => h.Score == hits[0].Score).Select(h => h.Id).ToArray();
        Assert.Equal(["v#d2", "v#d5", "v#d8", "v#d11", "v#d14", "v#d17", "v#d20", "v#d23", "v#d26", "v#d29", "v#d32", "v#d35"], firstGroup);
    }

    [Fact]
    public void The_total_is_the_whole_result_on_every_page()
    {
        Assert.Equal((37, 37, 7), (_f.Search("common", pageSize: 10).Total, _f.Search("common", page: 4, pageSize: 10).Total,
            _f.Search("common", page: 4, pageSize: 10).Hits.Count));
    }

    [Fact]
    public void A_page_past_the_end_is_empty()
    {
        Assert.Equal((37, 0), (_f.Search("common", page: 99, pageSize: 10).Total, _f.Search("common", page: 99, pageSize: 10).Hits.Count));
    }
}
