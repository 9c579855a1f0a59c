using Chancery.Archive.Search;
using static Chancery.Archive.Tests.SearchFixture;

namespace Chancery.Archive.Tests;

/// <summary>
/// Search over the small standard archive of <see cref="SearchFixture.Standard"/>. Hit lists are in date order
/// (undated last) unless a test is about ranking.
/// </summary>
public sealed class SearchTests : IDisposable
{
    private readonly SearchFixture _f = Standard();

    public void Dispose() => _f.Dispose();

    // ---- words, phrases, operators ----------------------------------------------------------------------------

    [Fact]
    public void A_word_finds_the_documents_that_contain_it()
    {
        Assert.Equal(["volA#d2", "volA#d1"], _f.Ids("Dairen"));
    }

    [Fact]
    public void Words_must_all_be_present()
    {
        Assert.Equal(["volA#d2"], _f.Ids("Dairen railway"));
    }

    [Fact]
    public void A_phrase_needs_its_words_in_order()
    {
        Assert.Equal(new string[][] { ["volA#d2"], [] }, [_f.Ids("\"Port Arthur\""), _f.Ids("\"Arthur Port\"")]);
    }

    [Fact]
    public void The_same_words_without_quotes_match_in_any_order()
    {
        Assert.Equal(["volA#d2"], _f.Ids("Arthur Port"));
    }

    [Fact]
    public void Or_finds_either()
    {
        Assert.Equal(["volB#d1", "volA#d3"], _f.Ids("Kurile OR Potsdam"));
    }

    [Fact]
    public void Minus_excludes_a_word()
    {
        Assert.Equal(["volA#d1"], _f.Ids("Dairen -railway"));
    }

    [Fact]
    public void Not_excludes_a_word()
    {
        Assert.Equal(["volA#d1"], _f.Ids("Dairen NOT railway"));
    }

    [Fact]
    public void A_query_of_only_exclusions_finds_everything_else()
    {
        Assert.Equal(["volB#d2", "volB#d4", "volB#d1", "volA#d3"], _f.Ids("-Dairen"));
    }

    [Fact]
    public void A_prefix_matches_longer_words()
    {
        Assert.Equal(["volB#d2", "volB#d1"], _f.Ids("treat*"));
    }

    [Fact]
    public void Case_and_diacritics_fold()
    {
        Assert.Equal(new string[][] { ["volA#d2", "volA#d1"], ["volA#d2", "volA#d1"] }, [_f.Ids("attache"), _f.Ids("ATTACHÉ")]);
    }

    [Fact]
    public void Text_or_a_field_under_or()
    {
        Assert.Equal(["volB#d2", "volB#d1"], _f.Ids("from:truman OR Kurile"));
    }

    [Fact]
    public void A_group_mixing_fields_and_text_combines_with_words()
    {
        Assert.Equal(["volB#d2", "volA#d1"], _f.Ids("(Dairen OR type:Letter) -railway"));
    }

    [Fact]
    public void Excluding_a_field()
    {
        Assert.Equal(["volA#d1"], _f.Ids("Dairen -type:Memorandum"));
    }

    // ---- fields -----------------------------------------------------------------------------------------------

    [Fact]
    public void From_quoted_is_the_whole_sender()
    {
        Assert.Equal(["volB#d1"], _f.Ids("from:\"The Secretary of State\""));
    }

    [Fact]
    public void From_unquoted_is_a_word_of_the_sender()
    {
        Assert.Equal(["volB#d2"], _f.Ids("from:truman"));
    }

    [Fact]
    public void A_quoted_word_is_not_a_whole_sender()
    {
        Assert.Equal([], _f.Ids("from:\"Truman\""));
    }

    [Fact]
    public void To_quoted_is_the_whole_recipient()
    {
        Assert.Equal(["volA#d1", "volB#d4"], _f.Ids("to:\"the secretary of state\""));
    }

    [Fact]
    public void To_unquoted_is_a_word_of_the_recipient()
    {
        Assert.Equal(["volA#d1", "volB#d4", "volB#d1"], _f.Ids("to:secretary"));
    }

    [Fact]
    public void Title_searches_the_title_only()
    {
        Assert.Equal(["volA#d2"], _f.Ids("title:memorandum"));
    }

    [Fact]
    public void Volume_is_the_whole_volume_id()
    {
        Assert.Equal(new string[][] { ["volB#d2", "volB#d4", "volB#d1"], [] }, [_f.Ids("volume:volB"), _f.Ids("volume:vol")]);
    }

    [Fact]
    public void Volume_with_a_star_is_a_prefix()
    {
        Assert.Equal(["volB#d2", "volA#d2", "volA#d1", "volB#d4", "volB#d1", "volA#d3"], _f.Ids("volume:vol*"));
    }

    [Fact]
    public void Type_is_the_whole_type()
    {
        Assert.Equal(new string[][] { ["volA#d2"], ["volA#d3"] }, [_f.Ids("type:memorandum"), _f.Ids("type:\"Editorial Note\"")]);
    }

    [Fact]
    public void Classification_is_the_whole_marking()
    {
        Assert.Equal(new string[][] { ["volA#d1"], ["volA#d2", "volB#d4", "volB#d1"] },
            [_f.Ids("classification:\"top secret\""), _f.Ids("classification:secret")]);
    }

    [Fact]
    public void Person_by_id()
    {
        Assert.Equal(["volA#d2", "volA#d1"], _f.Ids("person:p_SJ1"));
    }

    [Fact]
    public void Person_by_whole_name()
    {
        Assert.Equal(["volA#d2", "volA#d1"], _f.Ids("person:\"Stalin, Joseph\""));
    }

    [Fact]
    public void Person_by_a_word_of_the_name()
    {
        Assert.Equal(["volB#d2"], _f.Ids("person:truman"));
    }

    [Fact]
    public void File_is_a_decimal_prefix()
    {
        Assert.Equal(new string[][] { ["volA#d1", "volB#d1"], ["volB#d1"], ["volA#d2"] },
            [_f.Ids("file:761.93"), _f.Ids("file:761.931"), _f.Ids("file:740.00119")]);
    }

    [Fact]
    public void Place_by_word()
    {
        Assert.Equal(["volA#d2"], _f.Ids("place:chungking"));
    }

    // ---- dates ------------------------------------------------------------------------------------------------

    [Fact]
    public void A_date_range_finds_documents_whose_range_overlaps_it()
    {
        Assert.Equal(["volA#d2"], _f.Ids("date:1945-07-15..1945-08"));
    }

    [Fact]
    public void A_document_range_that_ends_before_the_query_range_is_not_found()
    {
        Assert.Equal([], _f.Ids("date:1945-08"));
    }

    [Fact]
    public void A_day_finds_documents_dated_that_day_and_ranges_around_it()
    {
        Assert.Equal(["volA#d2", "volA#d1"], _f.Ids("date:1945-07-13"));
    }

    [Fact]
    public void A_range_across_a_year_end_is_found_in_both_years()
    {
        Assert.Equal(new string[][] { ["volB#d2"], ["volB#d2"] }, [_f.Ids("date:1939"), _f.Ids("date:1940")]);
    }

    [Fact]
    public void A_decade()
    {
        Assert.Equal(["volB#d2", "volA#d2", "volA#d1", "volB#d4", "volB#d1"], _f.Ids("date:1940s"));
    }

    [Fact]
    public void Open_ranges()
    {
        Assert.Equal(new string[][] { ["volB#d2"], ["volB#d1"] }, [_f.Ids("date:..1940"), _f.Ids("date:1946..")]);
    }

    [Fact]
    public void Date_none_finds_undated_documents()
    {
        Assert.Equal(["volA#d3"], _f.Ids("date:none"));
    }

    [Fact]
    public void A_date_filter_counts_the_undated_documents_it_left_out()
    {
        var r = _f.Search("Potsdam date:1945");
        Assert.Equal((0, 1), (r.Total, r.Undated));
    }

    [Fact]
    public void Without_a_date_filter_nothing_is_left_out()
    {
        var r = _f.Search("Potsdam");
        Assert.Equal((1, 0), (r.Total, r.Undated));
    }

    [Fact]
    public void A_date_under_or_leaves_undated_matches_in()
    {
        var r = _f.Search("Potsdam OR date:1945");
        Assert.Equal(("volA#d2 volA#d1 volB#d4 volA#d3", 0), (string.Join(' ', r.Hits.Select(h => h.Id)), r.Undated));
    }

    [Fact]
    public void Excluding_a_date_leaves_undated_documents_out_and_counts_them()
    {
        var r = _f.Search("-date:1945");
        Assert.Equal(("volB#d2 volB#d1", 1), (string.Join(' ', r.Hits.Select(h => h.Id)), r.Undated));
    }

    // ---- access -----------------------------------------------------------------------------------------------

    [Fact]
    public void A_withheld_document_is_found_only_by_a_cleared_reader()
    {
        Assert.Equal(new string[][] { ["volA#d2", "volA#d1"], ["volA#d2", "volA#d1", "volB#d3"] },
            [_f.Ids("Dairen", Public), _f.Ids("Dairen", Cleared)]);
    }

    [Fact]
    public void An_excised_word_is_found_only_by_a_cleared_reader()
    {
        Assert.Equal(new string[][] { [], ["volB#d4"] }, [_f.Ids("uranium", Public), _f.Ids("uranium", Cleared)]);
    }

    [Fact]
    public void The_public_searches_the_excision_marker_not_the_cut_text()
    {
        Assert.Equal(new string[][] { ["volB#d4"], [] }, [_f.Ids("declassified", Public), _f.Ids("declassified", Cleared)]);
    }

    [Fact]
    public void Text_both_views_share_finds_the_document_once()
    {
        Assert.Equal(new string[][] { ["volB#d4"], ["volB#d4"] }, [_f.Ids("matters", Public), _f.Ids("matters", Cleared)]);
    }

    [Fact]
    public void Hits_from_original_text_are_reported_for_the_audit()
    {
        SqliteSearchIndexSearch("uranium OR Dairen OR matters", Cleared, out var originals);
        Assert.Equal(["volB#d3", "volB#d4"], originals.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Public_hits_are_never_reported_as_original()
    {
        SqliteSearchIndexSearch("Dairen OR matters", Public, out var originals);
        Assert.Empty(originals);
    }

    [Fact]
    public void Totals_count_only_what_the_reader_may_see()
    {
        Assert.Equal((2, 3), (_f.Search("Dairen", Public).Total, _f.Search("Dairen", Cleared).Total));
    }

    [Fact]
    public void Facets_count_only_what_the_reader_may_see()
    {
        var pub = _f.Search("Dairen", Public, facets: true).Facets["classification"];
        var cleared = _f.Search("Dairen", Cleared, facets: true).Facets["classification"];
        Assert.Equal(new FacetValue[][] { [new("secret", 1), new("top secret", 1)], [new("top secret", 2), new("secret", 1)] },
            [[.. pub], [.. cleared]]);
    }

    private void SqliteSearchIndexSearch(string query, Access.AccessFilter access, out IReadOnlyList<string> originals) =>
        Sqlite.SqliteSearchIndex.Search(_f.Connection, _f.Index, new SearchRequest(query, PageSize: 50), access, out originals);

    // ---- ranking and paging -----------------------------------------------------------------------------------

    [Fact]
    public void A_title_match_ranks_above_a_footnote_match()
    {
        Assert.Equal(["volA#d2", "volA#d1"], _f.Ids("attache", sort: SearchSort.Relevance));
    }

    [Fact]
    public void A_query_without_words_ranks_by_date()
    {
        Assert.Equal(["volA#d2", "volA#d1", "volA#d3"], _f.Ids("volume:volA", sort: SearchSort.Relevance));
    }

    [Fact]
    public void Date_descending_puts_undated_last()
    {
        Assert.Equal(["volA#d1", "volA#d2", "volA#d3"], _f.Ids("volume:volA", sort: SearchSort.DateDescending));
    }

    [Fact]
    public void Text_under_or_with_a_field_still_ranks_text_matches_first()
    {
        Assert.Equal(["volB#d1", "volB#d2"], _f.Ids("from:truman OR Kurile", sort: SearchSort.Relevance));
    }

    [Fact]
    public void Scores_are_positive_and_ordered()
    {
        var scores = _f.Search("attache", sort: SearchSort.Relevance).Hits.Select(h => h.Score).ToArray();
        Assert.True(scores[0] > scores[1] && scores[1] > 0, string.Join(", ", scores));
    }

    [Fact]
    public void Hit_fields_come_from_the_document()
    {
        var hit = _f.Search("Kurile").Hits.Single();
        Assert.Equal(("volB#d1", "volB", "1", "Telegram", "The Secretary of State to the Acting Secretary of State", "1946-01-05", false),
            (hit.Id, hit.Volume, hit.Number, hit.Type, hit.Title, hit.Date, hit.InFootnote));
    }

    [Fact]
    public void A_ranged_date_is_shown_as_a_range()
    {
        Assert.Equal("1945-07-10 – 1945-07-20", _f.Search("railway").Hits.Single().Date);
    }

    // ---- snippets ---------------------------------------------------------------------------------------------

    [Fact]
    public void A_snippet_marks_the_match()
    {
        Assert.Equal("Soviet forces will enter «Dairen» after the agreement with China is signed. The Generalissimo agreed to the terms.",
            _f.Search("Dairen -railway").Hits.Single().Snippet);
    }

    [Fact]
    public void A_phrase_is_marked_whole()
    {
        Assert.Equal("«Port Arthur» and Dairen were discussed at length. The Soviet side asked about the railway.",
            _f.Search("\"Port Arthur\"").Hits.Single().Snippet);
    }

    [Fact]
    public void A_match_only_in_a_footnote_takes_the_snippet_from_the_footnote()
    {
        var hit = _f.Search("Mosquito").Hits.Single();
        Assert.Equal(("An earlier draft mentioned the «Mosquito» Coast.", true), (hit.Snippet, hit.InFootnote));
    }

    [Fact]
    public void A_match_in_the_title_and_a_footnote_is_not_only_in_the_footnote()
    {
        // volA#d2 has Attaché in its title; volA#d1 only in a footnote
        var hits = _f.Search("attache").Hits.ToDictionary(h => h.Id, h => h.InFootnote);
        Assert.Equal((false, true), (hits["volA#d2"], hits["volA#d1"]));
    }

    [Fact]
    public void A_title_match_shows_the_start_of_the_body()
    {
        Assert.Equal("The conference at Potsdam opened on July 17 at the Cecilienhof.", _f.Search("title:editorial").Hits.Single().Snippet);
    }

    [Fact]
    public void A_query_without_words_shows_the_start_of_the_body()
    {
        Assert.Equal("Treaty negotiations over the Kurile Islands continued without result.", _f.Search("from:\"The Secretary of State\"").Hits.Single().Snippet);
    }

    [Fact]
    public void A_prefix_match_marks_the_whole_word()
    {
        Assert.Equal("Treaty negotiations over the «Kurile» Islands continued without result.", _f.Search("Kuril*").Hits.Single().Snippet);
    }

    [Fact]
    public void A_document_whose_fields_have_no_words_is_still_found()
    {
        using var f = new SearchFixture();
        f.Add(Doc("v#d1", "—", "Dairen", type: "—", from: "…", classification: "–"));
        var hit = f.Search("Dairen", facets: true).Hits.Single();
        Assert.Equal(("v#d1", "—", "—"), (hit.Id, hit.Type, hit.Title));
    }

    // ---- index maintenance ------------------------------------------------------------------------------------

    [Fact]
    public void Remove_takes_a_document_out_of_search()
    {
        _f.Remove("volA#d1");
        Assert.Equal(["volA#d2"], _f.Ids("Dairen"));
    }

    [Fact]
    public void Remove_deletes_every_row_of_the_document()
    {
        var before = (_f.Count("search_rows"), _f.Count("search_persons"), _f.Count("search_files"));
        _f.Remove("volB#d4");
        _f.Remove("volA#d1");
        Assert.Equal((before.Item1 - 3, before.Item2 - 4, before.Item3 - 1),
            (_f.Count("search_rows"), _f.Count("search_persons"), _f.Count("search_files")));
    }
}
