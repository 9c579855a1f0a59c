using Chancery.Archive;
using Chancery.Archive.Search;
using CsCheck;

namespace Chancery.Ingest.Tests;

/// <summary>
/// Hostile queries: whatever is typed, the parser gives a tree or a <see cref="QueryException"/> with one printable
/// line and a position inside the query. (Running parsed queries against an archive is QueryPropertyTests' job.)
/// </summary>
public sealed class HostileQueryTests
{
    private static void ParsesOrRefusesCleanly(string query)
    {
        var result = Hostile.ParseQuery(query);
        Assert.True(result.Outcome != HostileOutcome.Escaped, result.Detail);
    }

    [Fact]
    public void Mutated_real_queries_parse_or_are_refused_in_one_line()
    {
        Hostile.MutatedQuery.Sample(ParsesOrRefusesCleanly, iter: 3000, threads: 1);
    }

    [Fact]
    public void Any_characters_parse_or_are_refused_in_one_line()
    {
        Gen.String[Gen.Char, 0, 80].Sample(ParsesOrRefusesCleanly, iter: 2000, threads: 1);
    }

    [Fact]
    public void Parentheses_seventeen_deep_are_refused_at_the_seventeenth()
    {
        var query = new string('(', 17) + "Dairen" + new string(')', 17);
        var e = Assert.Throws<QueryException>(() => QueryParser.Parse(query));
        Assert.Equal(16, e.Position);
        Assert.Equal("parentheses at character 17 are nested more than 16 deep", e.Message);
    }

    [Fact]
    public void Ten_thousand_parentheses_are_refused_for_their_length()
    {
        var e = Assert.Throws<QueryException>(() => QueryParser.Parse(new string('(', 10_000)));
        Assert.Equal(1000, e.Position);
        Assert.Equal("the query is 10,000 characters long; the limit is 1,000", e.Message);
    }

    [Fact]
    public void A_query_of_the_longest_length_made_of_negations_parses_or_is_refused_cleanly()
    {
        ParsesOrRefusesCleanly(string.Concat(Enumerable.Repeat("NOT ", 249)) + "x");
        ParsesOrRefusesCleanly(new string('-', 999) + "x");
    }
}
