using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;

namespace Chancery.Archive.Tests;

/// <summary>
/// A search of a large index works on both cores (phrases read in parts of each leaf, the hit list filled in halves,
/// facets counted beside the scoring): forced here on two real volumes by lowering the size it starts at, it must
/// give exactly the answers of the search on one core.
/// </summary>
public sealed class SearchSplitTests(SearchCorpus corpus) : IClassFixture<SearchCorpus>
{
    private static readonly LuceneSearchIndex.SplitSize Always = new(0, 100);
    private static readonly LuceneSearchIndex.SplitSize Never = new(int.MaxValue, int.MaxValue);

    private LuceneSearchIndex Index => LuceneSearchIndex.For(corpus.Archive.Location);

    private SearchResults Search(SearchRequest request, LuceneSearchIndex.SplitSize split)
    {
        Index.Split = split;
        try
        {
            return corpus.Archive.Search(request, ReaderIdentity.Public, "test");
        }
        finally
        {
            Index.Split = LuceneSearchIndex.DefaultSplit;
        }
    }

    /// <summary>Everything a search answers, as text: the total, the hits with their scores and snippets, the facets.</summary>
    private static List<string> Answer(SearchResults r) =>
    [
        $"total {r.Total}, undated {r.Undated}",
        .. r.Hits.Select(h => $"{h.Id} {h.Score:R} {h.Title} | {h.Snippet} | {h.InFootnote}"),
        .. r.Facets.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => f.Value.Select(v => $"{f.Key}: {v.Value} {v.Count}")),
    ];

    [Theory]
    [InlineData("\"Secretary of State\"")]
    [InlineData("\"the Government of\"")]
    [InlineData("Nicaragua")]
    [InlineData("\"Saudi Arabia\"")]
    [InlineData("milit*")]
    [InlineData("\"Mosquito Res\"*")]
    [InlineData("\"Secretary of St\"*")]
    [InlineData("Soviet OR oil")]
    [InlineData("(oil OR petroleum) Saudi -Aramco")]
    [InlineData("title:secretary")]
    [InlineData("classification:secret")]
    [InlineData("the date:1948")]
    public void A_search_split_across_both_cores_answers_as_on_one(string query)
    {
        // with facets, they are counted beside the scoring; without, the scoring and the page's ordering are split
        foreach (var facets in new[] { true, false })
        {
            var request = new SearchRequest(query, SearchSort.Relevance, 1, 20, facets);
            var one = Answer(Search(request, Never));
            Assert.True(one.Count > 1, "the query finds nothing: " + query);
            Assert.Equal(one, Answer(Search(request, Always)));
        }
    }

    [Fact]
    public void A_second_page_in_date_order_is_the_same_split_or_not()
    {
        var request = new SearchRequest("the", SearchSort.DateDescending, 2, 50, Facets: true);
        Assert.Equal(Answer(Search(request, Never)), Answer(Search(request, Always)));
    }

    [Fact]
    public void A_phrase_read_in_parts_finds_the_rows_and_counts_of_one_reading()
    {
        using var c = corpus.Archive.Connect();
        using var t = c.BeginTransaction(deferred: true);
        var rows = new SqliteSearchSource(c, t).Rows(Index);
        using var searcher = Index.Acquire(rows)!;
        var map = Index.Map(searcher.Index, rows);
        var phrase = new FtsPhrase("\"secretary of state\"", ["secretary", "of", "state"], false, false);

        var whole = LuceneSearchIndex.FindPhrase(searcher.Index, map, phrase, Never);
        var parts = LuceneSearchIndex.FindPhrase(searcher.Index, map, phrase, Always);

        Assert.Equal((1, true), (whole.Parts.Count, parts.Parts.Count > 1));
        Assert.Equal(Counts(whole), Counts(parts));
    }

    /// <summary>Each row's counts per column, by slot.</summary>
    private static SortedDictionary<int, string> Counts(PhraseRows rows)
    {
        var counts = new SortedDictionary<int, string>();
        foreach (var part in rows.Parts)
        {
            for (var e = 0; e < part.Count; e++)
            {
                counts.Add(part.Slots[e], string.Join(',', part.Counts.AsSpan(e * 5, 5).ToArray()));
            }
        }
        return counts;
    }
}
