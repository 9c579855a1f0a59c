using Chancery.Archive.Search;

namespace Chancery.Archive.Tests;

/// <summary>The query language: the trees queries parse into, and the one-line errors bad queries give.</summary>
public sealed class QueryParserTests
{
    private static QueryException Error(string query) => Assert.Throws<QueryException>(() => QueryParser.Parse(query));

    private static (string Message, int Position) Fails(string query)
    {
        var e = Error(query);
        return (e.Message, e.Position);
    }

    private static string Tree(string query) => QueryParser.Parse(query).ToString();

    [Fact]
    public void Words_side_by_side_are_all_required()
    {
        Assert.Equal("(AND Dairen Soviet)", Tree("Dairen Soviet"));
    }

    [Fact]
    public void Words_bind_tighter_than_or()
    {
        Assert.Equal("(OR Dairen (AND Port Arthur))", Tree("Dairen OR Port Arthur"));
    }

    [Fact]
    public void And_may_be_written()
    {
        Assert.Equal("(AND Dairen Soviet)", Tree("Dairen AND Soviet"));
    }

    [Fact]
    public void A_phrase_keeps_its_words_together()
    {
        Assert.Equal(new PhraseNode("Port Arthur", false, 0), QueryParser.Parse("\"Port Arthur\""));
    }

    [Fact]
    public void Typographic_quotes_delimit_a_phrase_too()
    {
        Assert.Equal(new PhraseNode("Port Arthur", false, 0), QueryParser.Parse("\u201CPort Arthur\u201D"));
    }

    [Fact]
    public void A_trailing_star_makes_a_prefix()
    {
        Assert.Equal(new TermNode("treat", true, 0), QueryParser.Parse("treat*"));
    }

    [Fact]
    public void A_star_after_a_phrase_makes_its_last_word_a_prefix()
    {
        Assert.Equal(new PhraseNode("Port Art", true, 0), QueryParser.Parse("\"Port Art\"*"));
    }

    [Fact]
    public void Minus_excludes()
    {
        Assert.Equal("(AND Dairen (NOT railway))", Tree("Dairen -railway"));
    }

    [Fact]
    public void Not_excludes()
    {
        Assert.Equal("(AND Dairen (NOT railway))", Tree("Dairen NOT railway"));
    }

    [Fact]
    public void Minus_applies_to_a_group()
    {
        Assert.Equal("(AND Dairen (NOT (OR railway port)))", Tree("Dairen -(railway OR port)"));
    }

    [Fact]
    public void Double_negation_cancels()
    {
        Assert.Equal(new TermNode("Dairen", false, 8), QueryParser.Parse("NOT NOT Dairen"));
    }

    [Fact]
    public void Parentheses_group()
    {
        Assert.Equal("(AND (OR Dairen \"Port Arthur\") Soviet)", Tree("(Dairen OR \"Port Arthur\") Soviet"));
    }

    [Fact]
    public void Lower_case_or_is_a_word()
    {
        Assert.Equal("(AND war or peace)", Tree("war or peace"));
    }

    [Fact]
    public void Punctuation_inside_a_word_stays_in_the_word()
    {
        Assert.Equal(new TermNode("U.S.S.R.", false, 0), QueryParser.Parse("U.S.S.R."));
    }

    [Fact]
    public void A_quoted_field_value_is_one_value()
    {
        Assert.Equal(new FieldNode(QueryField.Classification, "top secret", true, false, 0), QueryParser.Parse("classification:\"top secret\""));
    }

    [Fact]
    public void A_bare_field_value_ends_at_white_space()
    {
        var q = (AndNode)QueryParser.Parse("from:Truman treaty");
        Assert.Equal(new FieldNode(QueryField.From, "Truman", false, false, 0), q.Children[0]);
    }

    [Fact]
    public void Field_names_ignore_case()
    {
        Assert.Equal(new FieldNode(QueryField.Volume, "frus1894Nicaragua", false, false, 0), QueryParser.Parse("Volume:frus1894Nicaragua"));
    }

    [Fact]
    public void A_file_number_keeps_its_dots()
    {
        Assert.Equal(new FieldNode(QueryField.File, "761.93", false, false, 0), QueryParser.Parse("file:761.93"));
    }

    [Fact]
    public void A_day_is_its_whole_day()
    {
        Assert.Equal(new DateNode("1945-07-13T00:00", "1945-07-13T23:59", false, 0), QueryParser.Parse("date:1945-07-13"));
    }

    [Fact]
    public void A_month_range_runs_from_the_first_day_to_the_last()
    {
        Assert.Equal(new DateNode("1945-07-01T00:00", "1945-08-31T23:59", false, 0), QueryParser.Parse("date:1945-07..1945-08"));
    }

    [Fact]
    public void A_year_is_its_whole_year()
    {
        Assert.Equal(new DateNode("1945-01-01T00:00", "1945-12-31T23:59", false, 0), QueryParser.Parse("date:1945"));
    }

    [Fact]
    public void A_decade_is_ten_years()
    {
        Assert.Equal(new DateNode("1940-01-01T00:00", "1949-12-31T23:59", false, 0), QueryParser.Parse("date:1940s"));
    }

    [Fact]
    public void A_range_may_be_open_at_one_end()
    {
        Assert.Equal(new DateNode(null, "1945-12-31T23:59", false, 0), QueryParser.Parse("date:..1945"));
    }

    [Fact]
    public void Date_none_asks_for_undated_documents()
    {
        Assert.Equal(new DateNode(null, null, true, 0), QueryParser.Parse("date:none"));
    }

    [Fact]
    public void Field_writes_a_value_the_parser_reads_back()
    {
        Assert.Equal(new FieldNode(QueryField.From, "The  Big Three ", true, false, 0), QueryParser.Parse(QueryParser.Field("from", "The \"Big Three\"")));
    }

    [Fact]
    public void Narrow_keeps_the_query_whole()
    {
        Assert.Equal("(Dairen OR Port Arthur) date:1945", QueryParser.Narrow("Dairen OR Port Arthur", "year", "1945"));
    }

    [Fact]
    public void Narrow_quotes_field_values()
    {
        Assert.Equal("(Dairen) type:\"Editorial Note\"", QueryParser.Narrow("Dairen", "type", "Editorial Note"));
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    [Fact]
    public void An_unclosed_quote_says_where_the_phrase_starts()
    {
        Assert.Equal(("unbalanced quote: the phrase that starts at character 12 is never closed", 11), Fails("Dairen AND \"Port Arthur"));
    }

    [Fact]
    public void An_unclosed_parenthesis_says_where_the_group_opens()
    {
        Assert.Equal(("unbalanced parenthesis: the group that opens at character 8 is never closed", 7), Fails("Dairen (Port OR Arthur"));
    }

    [Fact]
    public void A_stray_closing_parenthesis_is_an_error()
    {
        Assert.Equal(("unbalanced parenthesis: the ')' at character 7 closes no group", 6), Fails("Dairen)"));
    }

    [Fact]
    public void Empty_parentheses_are_an_error()
    {
        Assert.Equal(("empty parentheses at character 8", 7), Fails("Dairen ()"));
    }

    [Fact]
    public void An_unknown_field_lists_the_known_ones()
    {
        Assert.Equal(("unknown field \"author\" at character 8: use one of title, from, to, place, volume, type, classification, person, file, date", 7),
            Fails("Dairen author:Kennan"));
    }

    [Fact]
    public void An_empty_query_is_an_error()
    {
        Assert.Equal(("the query is empty", 0), Fails("   "));
    }

    [Fact]
    public void A_query_over_the_limit_is_an_error()
    {
        Assert.Equal(("the query is 10,000 characters long; the limit is 1,000", 1000), Fails(new string('a', 10_000)));
    }

    [Fact]
    public void A_query_at_the_limit_parses()
    {
        Assert.Equal(new TermNode(new string('a', 1000), false, 0), QueryParser.Parse(new string('a', 1000)));
    }

    [Fact]
    public void Sql_injection_is_an_error()
    {
        Assert.Equal(("\"';\" at character 1 is not a word: it has no letters or digits (put punctuation inside quotes)", 0),
            Fails("'; DROP TABLE documents; --"));
    }

    [Fact]
    public void Fts_syntax_is_an_error()
    {
        Assert.Equal(("the wildcard at character 7 has no word before it", 6), Fails("title:* NEAR("));
    }

    [Fact]
    public void Near_with_an_open_parenthesis_is_an_error()
    {
        Assert.Equal(("unbalanced parenthesis: the group that opens at character 12 is never closed", 11), Fails("Dairen NEAR(Soviet"));
    }

    [Fact]
    public void Or_needs_a_term_on_each_side()
    {
        Assert.Equal(("'OR' at character 8 needs a term on each side", 7), Fails("Dairen OR"));
    }

    [Fact]
    public void Or_cannot_start_a_query()
    {
        Assert.Equal(("'OR' at character 1 needs a term on each side", 0), Fails("OR Dairen"));
    }

    [Fact]
    public void Not_needs_something_to_exclude()
    {
        Assert.Equal(("'NOT' at character 8 has nothing after it to exclude", 7), Fails("Dairen NOT"));
    }

    [Fact]
    public void A_lone_minus_is_an_error()
    {
        Assert.Equal(("'-' at character 8 has nothing after it to exclude", 7), Fails("Dairen - Soviet"));
    }

    [Fact]
    public void A_wildcard_must_end_the_word()
    {
        Assert.Equal(("the wildcard at character 3 must end a word (write treat*)", 2), Fails("tr*eat"));
    }

    [Fact]
    public void A_leading_wildcard_is_an_error()
    {
        Assert.Equal(("the wildcard at character 1 cannot start a word (write treat*)", 0), Fails("*eat"));
    }

    [Fact]
    public void A_one_letter_prefix_is_an_error()
    {
        Assert.Equal(("the wildcard at character 2 needs at least 2 letters before it", 1), Fails("t*"));
    }

    [Fact]
    public void A_field_without_a_value_is_an_error()
    {
        Assert.Equal(("the field 'from:' at character 8 has no value", 7), Fails("Dairen from: Truman"));
    }

    [Fact]
    public void A_field_value_cannot_be_a_group()
    {
        Assert.Equal(("field values cannot be grouped at character 8: write (volume:a OR volume:b)", 7), Fails("volume:(a OR b)"));
    }

    [Fact]
    public void A_bad_date_is_an_error()
    {
        Assert.Equal(("\"1945-13\" at character 6 is not a date: use date:1945, date:1945-07, date:1945-07-13, date:1945-07..1945-08, date:1940s or date:none", 5),
            Fails("date:1945-13"));
    }

    [Fact]
    public void A_reversed_date_range_is_an_error()
    {
        Assert.Equal(("the date range at character 6 ends before it starts", 5), Fails("date:1946..1945"));
    }

    [Fact]
    public void An_empty_phrase_is_an_error()
    {
        Assert.Equal(("the phrase at character 8 has no words in it", 7), Fails("Dairen \" \""));
    }

    [Fact]
    public void Deep_nesting_is_an_error()
    {
        Assert.Equal(("parentheses at character 17 are nested more than 16 deep", 16), Fails(new string('(', 17) + "a" + new string(')', 17)));
    }

    [Fact]
    public void Control_characters_in_a_message_are_shown_as_question_marks()
    {
        Assert.Equal("\"?;\" at character 1 is not a word: it has no letters or digits (put punctuation inside quotes)", Error("\u001b;").Message);
    }
}
