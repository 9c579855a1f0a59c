using Chancery.Archive.Search;
using CsCheck;
using static Chancery.Archive.Tests.SearchFixture;

namespace Chancery.Archive.Tests;

/// <summary>
/// Whatever is typed, a query either parses or throws <see cref="QueryException"/>; whatever parses runs
/// against a real archive without any other exception, for the public and for a cleared reader.
/// </summary>
public sealed class QueryPropertyTests : IDisposable
{
    private readonly SearchFixture _f = Standard();

    public void Dispose() => _f.Dispose();

    private static readonly string[] Pieces =
    [
        "Dairen", "treaty", "Soviet", "attaché", "ATTACHE", "Port", "Arthur", "U.S.S.R.", "761.93", "7-1345", "a", "the",
        "OR", "AND", "NOT", "or", "-", "--", "*", "**", "(", ")", "((", "))", "\"", "\u201C", "\u201D", ":", "'", ";", "\\",
        "NEAR", "NEAR(", "^", "{", "}", "+", "%", "_", "[", "]", "$p0", "$match", "?", "@", "#", "\0", "\u001b", "\n", "\t",
        "title:", "from:", "to:", "place:", "volume:", "type:", "classification:", "person:", "file:", "date:", "author:",
        "1945", "1945-07", "1945-07-13", "1945-07..1945-08", "..1945", "1946..", "1940s", "none", "1945-13", "1946..1945", "..",
        "volA", "vol*", "treat*", "t*", "\"top secret\"", "\"Port Arthur\"", "\"Port Art\"*", "\"\"", "'; DROP TABLE documents; --",
        "title:* NEAR(", "\uD835\uDC00", "\uD800", "ǅ", "Łódź", "日本", "٣", "½", "é", "e\u0301",
    ];

    private static readonly Gen<string> Structured =
        Gen.Int[1, 12].SelectMany(n => Gen.OneOf(Pieces).Array[n]).SelectMany(parts =>
            Gen.OneOf("", " ").Array[parts.Length].Select(seps => string.Concat(parts.Select((p, i) => p + seps[i]))));

    private static readonly Gen<string> Random = Gen.String[Gen.Char["a-zA-Z0-9 \"()*:-.ÉéŁ\u201C\u201D'\\;"], 0, 60];

    private static readonly Gen<string> Anything = Gen.String[0, 40];

    private static readonly Gen<string> Leaf = Gen.OneOf(
        Gen.OneOf("Dairen", "treaty", "Soviet", "attaché", "U.S.S.R.", "761.93", "Łódź", "日本", "Kuril*", "treat*"),
        Gen.OneOf("\"Port Arthur\"", "\"the treaty\"", "\"Port Art\"*", "\"Łódź 日本\""),
        Gen.OneOf("title:memorandum", "from:truman", "from:\"The Secretary of State\"", "to:secretary", "place:chungking",
            "volume:volA", "volume:vol*", "type:Telegram", "type:\"Editorial Note\"", "classification:\"top secret\"",
            "person:p_SJ1", "person:\"Stalin, Joseph\"", "person:stal*", "file:761.93", "file:740"),
        Gen.OneOf("date:1945", "date:1945-07", "date:1945-07-13", "date:1945-07..1945-08", "date:..1940", "date:1946..", "date:1940s", "date:none"));

    /// <summary>Queries built from the grammar: every one must parse.</summary>
    private static readonly Gen<string> WellFormed = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (2, Gen.Select(self, self, (a, b) => a + " " + b)),
            (2, Gen.Select(self, self, (a, b) => a + " OR " + b)),
            (1, self.Select(a => "-" + (a.Contains(' ') ? "(" + a + ")" : a))),
            (1, self.Select(a => "NOT (" + a + ")")),
            (1, self.Select(a => "(" + a + ")"))));

    private static readonly Gen<string> Long = Gen.Int[990, 1010].Select(n => new string('x', n));

    private void Run(string query)
    {
        QueryNode tree;
        try
        {
            tree = QueryParser.Parse(query);
        }
        catch (QueryException e)
        {
            Assert.InRange(e.Position, 0, Math.Max(0, query.Length));
            Assert.DoesNotContain('\n', e.Message);
            return;
        }
        Assert.NotNull(tree);
        foreach (var access in new[] { Public, Cleared })
        {
            foreach (var sort in new[] { SearchSort.Relevance, SearchSort.DateDescending })
            {
                var r = _f.Search(new SearchRequest(query, sort, 1, 5, Facets: true), access);
                Assert.InRange(r.Total, 0, 7);
            }
        }
    }

    [Fact]
    public void Structured_queries_parse_or_fail_cleanly_and_run()
    {
        Structured.Sample(Run, iter: 1500, threads: 1);
    }

    [Fact]
    public void Well_formed_queries_always_parse_and_run()
    {
        WellFormed.Where(q => q.Length <= QueryParser.MaxLength).Sample(q =>
        {
            QueryParser.Parse(q);
            Run(q);
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Random_characters_parse_or_fail_cleanly_and_run()
    {
        Random.Sample(Run, iter: 1000, threads: 1);
    }

    [Fact]
    public void Any_string_parses_or_fails_cleanly_and_runs()
    {
        Anything.Sample(Run, iter: 1000, threads: 1);
    }

    [Fact]
    public void Queries_around_the_length_limit_parse_or_fail_cleanly()
    {
        Long.Sample(Run, iter: 30, threads: 1);
    }

    [Fact]
    public void The_deepest_nesting_allowed_runs()
    {
        var query = string.Concat(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? "(Dairen OR " : "(-railway date:1945 ")) + "Soviet" + new string(')', 16);
        Assert.Equal(3, _f.Search(query, Cleared, facets: true).Total);
    }

    [Fact]
    public void The_most_terms_that_fit_run()
    {
        var query = string.Join(" OR ", Enumerable.Repeat("from:a -b", 75));
        Assert.True(query.Length <= QueryParser.MaxLength);
        Assert.Equal(0, _f.Search(query, Cleared, facets: true).Total);
    }

    [Fact]
    public void A_long_chain_of_negations_runs()
    {
        var query = string.Concat(Enumerable.Repeat("NOT -", 150)) + "Dairen";
        Assert.Equal(2, _f.Search(query).Total);
    }

    [Fact]
    public void Nul_characters_and_broken_surrogates_in_a_phrase_run()
    {
        Assert.Equal(0, _f.Search("\"Dairen\0\uD800 x\"").Total);
    }
}
