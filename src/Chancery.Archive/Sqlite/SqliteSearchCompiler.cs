using System.Globalization;
using System.Text;
using Chancery.Archive.Search;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// A query tree compiled for the embedded store: an optional FTS5 expression that drives the query, SQL predicates
/// over the search row <c>r</c>, and the values they bind. Every user term is quoted here and bound as a parameter;
/// the SQL text holds only our own column names and parameter names.
/// </summary>
internal sealed record SqliteSearchPlan(
    string? Match,
    string Where,
    IReadOnlyList<KeyValuePair<string, object>> Parameters,
    string? Highlight,
    bool HasDateRange);

/// <summary>Compiles a <see cref="QueryNode"/> tree into a <see cref="SqliteSearchPlan"/>.</summary>
internal sealed class SqliteSearchCompiler
{
    private readonly List<KeyValuePair<string, object>> _parameters = [];

    private SqliteSearchCompiler()
    {
    }

    /// <summary>
    /// The whole tree. Text terms ANDed at the top level (with their NOTs) become one MATCH that drives the query;
    /// whatever mixes text with fields under OR or NOT is evaluated per subtree as <c>r.id IN (… MATCH …)</c>.
    /// </summary>
    public static SqliteSearchPlan Compile(QueryNode root)
    {
        var compiler = new SqliteSearchCompiler();
        var children = root is AndNode and ? and.Children : [root];
        var (positive, negative, other) = Partition(children);
        string? match = null;
        var where = new List<string>();
        if (positive.Count > 0)
        {
            match = CombineAnd(positive, negative);
        }
        foreach (var child in other)
        {
            where.Add("(" + compiler.Sql(child) + ")");
        }
        var highlights = new List<string>();
        CollectHighlights(root, positive: true, highlights);
        var highlight = highlights.Count == 0 ? null : string.Join(" OR ", highlights.Distinct().Select(h => "(" + h + ")"));
        return new SqliteSearchPlan(match, where.Count == 0 ? "1" : string.Join(" AND ", where), compiler._parameters, highlight, HasDateRange(root));
    }

    /// <summary>
    /// The tree without its date ranges (null when nothing else is left), for counting the undated documents a
    /// date filter left out. An OR loses the date branch; an AND or a NOT around one loses it whole.
    /// </summary>
    public static QueryNode? WithoutDateRanges(QueryNode node) => node switch
    {
        DateNode { None: false } => null,
        NotNode n => WithoutDateRanges(n.Child) is { } c ? n with { Child = c } : null,
        AndNode a => Rebuild(a.Children.Select(WithoutDateRanges).OfType<QueryNode>().ToList(), list => new AndNode(list, a.Position)),
        OrNode o => Rebuild(o.Children.Select(WithoutDateRanges).OfType<QueryNode>().ToList(), list => new OrNode(list, o.Position)),
        _ => node,
    };

    private static QueryNode? Rebuild(List<QueryNode> list, Func<List<QueryNode>, QueryNode> make) => list.Count switch
    {
        0 => null,
        1 => list[0],
        _ => make(list),
    };

    private static bool HasDateRange(QueryNode node) => node switch
    {
        DateNode d => !d.None,
        NotNode n => HasDateRange(n.Child),
        AndNode a => a.Children.Any(HasDateRange),
        OrNode o => o.Children.Any(HasDateRange),
        _ => false,
    };

    /// <summary>Splits AND-ed children into text FTS can run, negated text FTS can run, and the rest.</summary>
    private static (List<string> Positive, List<string> Negative, List<QueryNode> Other) Partition(IReadOnlyList<QueryNode> children)
    {
        var positive = new List<string>();
        var negative = new List<string>();
        var other = new List<QueryNode>();
        foreach (var child in children)
        {
            if (Fts(child) is { } p)
            {
                positive.Add(p);
            }
            else if (child is NotNode not && Fts(not.Child) is { } n)
            {
                negative.Add(n);
            }
            else
            {
                other.Add(child);
            }
        }
        if (positive.Count == 0)
        {
            // FTS5 NOT is binary: without a positive side the negations go to SQL with everything else
            other = [.. children];
            negative.Clear();
        }
        return (positive, negative, other);
    }

    private static string CombineAnd(List<string> positive, List<string> negative)
    {
        var expr = positive.Count == 1 ? positive[0] : "(" + string.Join(" AND ", positive.Select(p => "(" + p + ")")) + ")";
        foreach (var n in negative)
        {
            expr = "(" + expr + " NOT (" + n + "))";
        }
        return expr;
    }

    /// <summary>The FTS5 expression for a subtree of text only, or null when FTS5 cannot express it positively.</summary>
    private static string? Fts(QueryNode node)
    {
        switch (node)
        {
            case TermNode t:
                return Quote(t.Text, t.Prefix);
            case PhraseNode p:
                return Quote(p.Text, p.Prefix);
            case FieldNode { Field: QueryField.Title } f:
                return "title : " + Quote(f.Value, f.Prefix);
            case OrNode o:
                var parts = new List<string>();
                foreach (var child in o.Children)
                {
                    if (Fts(child) is not { } part)
                    {
                        return null;
                    }
                    parts.Add("(" + part + ")");
                }
                return "(" + string.Join(" OR ", parts) + ")";
            case AndNode a:
                var (positive, negative, other) = Partition(a.Children);
                return positive.Count == 0 || other.Count > 0 ? null : CombineAnd(positive, negative);
            default:
                return null;
        }
    }

    /// <summary>An FTS5 string: the tokenizer splits it into words, so it is a phrase however it is punctuated.</summary>
    private static string Quote(string text, bool prefix)
    {
        var sb = new StringBuilder(text.Length + 6);
        sb.Append('"');
        foreach (var c in text)
        {
            if (c == '"')
            {
                sb.Append("\"\"");
            }
            else
            {
                sb.Append(char.IsControl(c) ? ' ' : c);
            }
        }
        sb.Append('"');
        if (prefix)
        {
            sb.Append(" *");
        }
        return sb.ToString();
    }

    private static void CollectHighlights(QueryNode node, bool positive, List<string> into)
    {
        switch (node)
        {
            case TermNode or PhraseNode or FieldNode { Field: QueryField.Title }:
                if (positive)
                {
                    into.Add(Fts(node)!);
                }
                break;
            case NotNode n:
                CollectHighlights(n.Child, !positive, into);
                break;
            case AndNode a:
                foreach (var c in a.Children)
                {
                    CollectHighlights(c, positive, into);
                }
                break;
            case OrNode o:
                foreach (var c in o.Children)
                {
                    CollectHighlights(c, positive, into);
                }
                break;
        }
    }

    private string Param(object value)
    {
        var name = "$p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        return name;
    }

    private string MatchIn(string fts) => $"r.id IN (SELECT rowid FROM search_text WHERE search_text MATCH {Param(fts)})";

    /// <summary>A SQL predicate over the search row <c>r</c>. Only date ranges can be NULL (undated: unknown).</summary>
    private string Sql(QueryNode node)
    {
        if (Fts(node) is { } fts)
        {
            return MatchIn(fts);
        }
        switch (node)
        {
            case NotNode n:
                return "NOT (" + Sql(n.Child) + ")";
            case AndNode a:
            {
                var (positive, negative, other) = Partition(a.Children);
                var parts = new List<string>();
                if (positive.Count > 0)
                {
                    parts.Add(MatchIn(CombineAnd(positive, negative)));
                }
                parts.AddRange(other.Select(c => "(" + Sql(c) + ")"));
                return string.Join(" AND ", parts);
            }
            case OrNode o:
            {
                var text = new List<string>();
                var parts = new List<string>();
                foreach (var c in o.Children)
                {
                    if (Fts(c) is { } t)
                    {
                        text.Add("(" + t + ")");
                    }
                    else
                    {
                        parts.Add("(" + Sql(c) + ")");
                    }
                }
                if (text.Count > 0)
                {
                    parts.Insert(0, MatchIn(string.Join(" OR ", text)));
                }
                return string.Join(" OR ", parts);
            }
            case DateNode d:
                return DateSql(d);
            case FieldNode f:
                return FieldSql(f);
            default:
                throw new InvalidOperationException("unknown query node " + node.GetType().Name);
        }
    }

    private string DateSql(DateNode d)
    {
        if (d.None)
        {
            return "r.date_min IS NULL";
        }
        // overlap: the document starts before the range ends and ends after it starts; NULL (unknown) when undated
        var parts = new List<string>();
        if (d.Max is not null)
        {
            parts.Add("r.date_min <= " + Param(SqliteSearchIndex.DateNumber(d.Max)));
        }
        if (d.Min is not null)
        {
            parts.Add("r.date_max >= " + Param(SqliteSearchIndex.DateNumber(d.Min)));
        }
        return "(" + string.Join(" AND ", parts) + ")";
    }

    private string FieldSql(FieldNode f)
    {
        switch (f.Field)
        {
            case QueryField.From:
                return $"r.sender IN ({TermsSql(SqliteSearchIndex.Facet.Sender, f, wordsInside: !f.Quoted)})";
            case QueryField.To:
                return $"r.recipient IN ({TermsSql(SqliteSearchIndex.Facet.Recipient, f, wordsInside: !f.Quoted)})";
            case QueryField.Place:
                return $"r.place IN ({TermsSql(SqliteSearchIndex.Facet.Place, f, wordsInside: !f.Quoted)})";
            case QueryField.Volume:
                return $"r.volume IN ({TermsSql(SqliteSearchIndex.Facet.Volume, f, wordsInside: false)})";
            case QueryField.Type:
                return $"r.type IN ({TermsSql(SqliteSearchIndex.Facet.Type, f, wordsInside: false)})";
            case QueryField.Classification:
                return $"r.classification IN ({TermsSql(SqliteSearchIndex.Facet.Classification, f, wordsInside: false)})";
            case QueryField.Person:
            {
                // a person is named by a persons-list id (always whole) or by a name (whole when quoted, else words in it)
                var ids = TermsSql(SqliteSearchIndex.Facet.PersonId, f, wordsInside: false);
                var names = TermsSql(SqliteSearchIndex.Facet.Person, f, wordsInside: !f.Quoted);
                return $"r.id IN (SELECT row FROM search_persons WHERE code IN ({ids} UNION ALL {names}))";
            }
            case QueryField.File:
            {
                // bare, a prefix; quoted, a whole number or subject (the numbers filed under it, as the file facet counts them)
                var key = SqliteSearchIndex.FileKey(f.Value);
                var match = f.Quoted && key.Length > 0
                    ? $"(file = {Param(key)} OR {StartsWith("file", key + "/")} OR {StartsWith("file", key + " /")})"
                    : StartsWith("file", key);
                return "r.id IN (SELECT row FROM search_files WHERE " + match + ")";
            }
            default:
                throw new InvalidOperationException("field " + f.Field + " is text, not a predicate");
        }
    }

    /// <summary>
    /// The codes of a facet's values that match: the whole value, values starting so (prefix), or — for name fields
    /// written without quotes — values with these whole words (or word start) anywhere inside. Values are compared
    /// as folded words (<c>" w1 w2 "</c>).
    /// </summary>
    private string TermsSql(SqliteSearchIndex.Facet facet, FieldNode f, bool wordsInside)
    {
        var words = SearchFolding.Words(f.Value);
        var where = wordsInside ? $"instr(key, {Param(f.Prefix ? words.TrimEnd() : words)}) > 0"
            : f.Prefix ? StartsWith("key", words.TrimEnd())
            : $"key = {Param(words)}";
        return $"SELECT id FROM search_terms WHERE facet = {(int)facet} AND {where}";
    }

    /// <summary>
    /// <paramref name="column"/> starts with <paramref name="prefix"/>: a range an index can use when the last character
    /// orders the same in UTF-16 and UTF-8 (below the surrogates, always so for folded words), else a substring test.
    /// </summary>
    private string StartsWith(string column, string prefix)
    {
        if (prefix.Length > 0 && prefix[^1] < 0xD7FF)
        {
            var after = prefix[..^1] + (char)(prefix[^1] + 1);
            return $"({column} >= {Param(prefix)} AND {column} < {Param(after)})";
        }
        var p = Param(prefix);
        return $"substr({column}, 1, length({p})) = {p}";
    }
}
