using System.Globalization;
using System.Text;
using Chancery.Archive.Search;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// A query compiled for PostgreSQL: the full-text part that drives the query (and is scored), SQL predicates over the
/// search row <c>r</c> with their parameters, the highlight phrases, and whether a date range is in it. A parameter
/// whose value is an <see cref="FtsPhrase"/> stands for the rows holding that phrase.
/// </summary>
internal sealed record PostgresSearchPlan(
    FtsExpr? Match,
    string Where,
    IReadOnlyList<(string Name, NpgsqlDbType Type, object Value)> Parameters,
    IReadOnlyList<FtsPhrase>? Highlight,
    bool HasDateRange);

/// <summary>
/// Compiles a <see cref="QueryNode"/> tree for PostgreSQL with the same structure as the embedded store's compiler
/// (<c>SqliteSearchCompiler</c>): the same text becomes the driving full-text part, the same subtrees become SQL, so
/// both stores find the same rows and score the same phrases. Every user word is bound as a parameter.
/// </summary>
internal sealed class PostgresSearchCompiler
{
    private readonly List<(string Name, NpgsqlDbType Type, object Value)> _parameters = [];

    private PostgresSearchCompiler()
    {
    }

    public static PostgresSearchPlan Compile(QueryNode root)
    {
        var compiler = new PostgresSearchCompiler();
        var children = root is AndNode and ? and.Children : [root];
        var (positive, negative, other) = Partition(children);
        FtsExpr? match = null;
        var where = new List<string>();
        if (positive.Count > 0)
        {
            // the full-text part drives the query: its rows are worked out from the postings before the SQL runs
            match = CombineAnd(positive, negative);
        }
        else
        {
            other = [.. children];
        }
        foreach (var child in other)
        {
            where.Add(compiler.Sql(child));
        }
        var highlights = new List<FtsPhrase>();
        CollectHighlights(root, positive: true, highlights);
        var distinct = highlights.DistinctBy(h => h.Key, StringComparer.Ordinal).ToList();
        return new PostgresSearchPlan(match, where.Count == 0 ? "true" : string.Join(" AND ", where), compiler._parameters,
            distinct.Count == 0 ? null : distinct, HasDateRange(root));
    }

    /// <summary>The tree without its date ranges (as the embedded compiler strips them), for counting left-out undated documents.</summary>
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

    private static (List<FtsExpr> Positive, List<FtsExpr> Negative, List<QueryNode> Other) Partition(IReadOnlyList<QueryNode> children)
    {
        var positive = new List<FtsExpr>();
        var negative = new List<FtsExpr>();
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
            other = [.. children];
            negative.Clear();
        }
        return (positive, negative, other);
    }

    private static FtsExpr CombineAnd(List<FtsExpr> positive, List<FtsExpr> negative)
    {
        var expr = positive.Count == 1 ? positive[0] : new FtsAnd(positive);
        foreach (var n in negative)
        {
            expr = new FtsNot(expr, n);
        }
        return expr;
    }

    /// <summary>The full-text expression for a subtree of text only, or null when FTS cannot express it positively.</summary>
    private static FtsExpr? Fts(QueryNode node)
    {
        switch (node)
        {
            case TermNode t:
                return Phrase(t.Text, t.Prefix, titleOnly: false);
            case PhraseNode p:
                return Phrase(p.Text, p.Prefix, titleOnly: false);
            case FieldNode { Field: QueryField.Title } f:
                return Phrase(f.Value, f.Prefix, titleOnly: true);
            case OrNode o:
                var parts = new List<FtsExpr>();
                foreach (var child in o.Children)
                {
                    if (Fts(child) is not { } part)
                    {
                        return null;
                    }
                    parts.Add(part);
                }
                return new FtsOr(parts);
            case AndNode a:
                var (positive, negative, other) = Partition(a.Children);
                return positive.Count == 0 || other.Count > 0 ? null : CombineAnd(positive, negative);
            default:
                return null;
        }
    }

    private static FtsPhraseExpr Phrase(string text, bool prefix, bool titleOnly)
    {
        var words = SearchFolding.Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var key = (titleOnly ? "title : " : "") + Quote(text, prefix);
        return new FtsPhraseExpr(new FtsPhrase(key, words, prefix, titleOnly));
    }

    /// <summary>The FTS5 string the embedded compiler writes for a phrase (only its identity matters here).</summary>
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

    private static void CollectHighlights(QueryNode node, bool positive, List<FtsPhrase> into)
    {
        switch (node)
        {
            case TermNode or PhraseNode or FieldNode { Field: QueryField.Title }:
                if (positive)
                {
                    into.Add(((FtsPhraseExpr)Fts(node)!).Phrase);
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

    private string Param(object value, NpgsqlDbType type = NpgsqlDbType.Text)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, type, value));
        return "@" + name;
    }

    /// <summary>
    /// SQL true exactly when the row matches the expression. Each phrase becomes a parameter the search binds to the
    /// rows that hold it (worked out once per search from the postings), so no text is read here.
    /// </summary>
    public string ExactSql(FtsExpr expr) => expr switch
    {
        FtsPhraseExpr p => $"r.id = ANY({Param(p.Phrase, NpgsqlDbType.Array | NpgsqlDbType.Bigint)})",
        FtsAnd a => "(" + string.Join(" AND ", a.Children.Select(ExactSql)) + ")",
        FtsOr o => "(" + string.Join(" OR ", o.Children.Select(ExactSql)) + ")",
        FtsNot n => "(" + ExactSql(n.Left) + " AND NOT " + ExactSql(n.Right) + ")",
        _ => throw new InvalidOperationException("unknown expression " + expr.GetType().Name),
    };

    /// <summary>A SQL predicate over the search row <c>r</c>. Only date ranges can be NULL (undated: unknown).</summary>
    private string Sql(QueryNode node)
    {
        if (Fts(node) is { } fts)
        {
            return ExactSql(fts);
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
                    parts.Add(ExactSql(CombineAnd(positive, negative)));
                }
                parts.AddRange(other.Select(c => "(" + Sql(c) + ")"));
                return string.Join(" AND ", parts);
            }
            case OrNode o:
            {
                var text = new List<FtsExpr>();
                var parts = new List<string>();
                foreach (var c in o.Children)
                {
                    if (Fts(c) is { } t)
                    {
                        text.Add(t);
                    }
                    else
                    {
                        parts.Add("(" + Sql(c) + ")");
                    }
                }
                if (text.Count > 0)
                {
                    parts.Insert(0, ExactSql(text.Count == 1 ? text[0] : new FtsOr(text)));
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
        var parts = new List<string>();
        if (d.Max is not null)
        {
            parts.Add("r.date_min <= " + Param(d.Max));
        }
        if (d.Min is not null)
        {
            parts.Add("r.date_max >= " + Param(d.Min));
        }
        return "(" + string.Join(" AND ", parts) + ")";
    }

    private string FieldSql(FieldNode f)
    {
        switch (f.Field)
        {
            case QueryField.From:
                return $"r.sender IN ({TermsSql(TermFacet.Sender, f, wordsInside: !f.Quoted)})";
            case QueryField.To:
                return $"r.recipient IN ({TermsSql(TermFacet.Recipient, f, wordsInside: !f.Quoted)})";
            case QueryField.Place:
                return $"r.place IN ({TermsSql(TermFacet.Place, f, wordsInside: !f.Quoted)})";
            case QueryField.Volume:
                return $"r.volume IN ({TermsSql(TermFacet.Volume, f, wordsInside: false)})";
            case QueryField.Type:
                return $"r.type IN ({TermsSql(TermFacet.Type, f, wordsInside: false)})";
            case QueryField.Classification:
                return $"r.classification IN ({TermsSql(TermFacet.Classification, f, wordsInside: false)})";
            case QueryField.Person:
            {
                // a person is named by a persons-list id (always whole) or by a name (whole when quoted, else words in it)
                var ids = TermsSql(TermFacet.PersonId, f, wordsInside: false);
                var names = TermsSql(TermFacet.Person, f, wordsInside: !f.Quoted);
                return $"r.id IN (SELECT s.row_id FROM search_persons s WHERE s.code IN ({ids} UNION ALL {names}))";
            }
            case QueryField.File:
            {
                // bare, a prefix; quoted, a whole number or subject (as the embedded index)
                var key = SearchText.FileKey(f.Value);
                var match = f.Quoted && key.Length > 0
                    ? $"(s.file = {Param(key)} OR {StartsWith("s.file", key + "/")} OR {StartsWith("s.file", key + " /")})"
                    : StartsWith("s.file", key);
                return "r.id IN (SELECT s.row_id FROM search_files s WHERE " + match + ")";
            }
            default:
                throw new InvalidOperationException("field " + f.Field + " is text, not a predicate");
        }
    }

    /// <summary>
    /// The codes of a facet's values that match: the whole value, values starting so (prefix), or — for name fields
    /// written without quotes — values with these whole words (or word start) anywhere inside, compared as folded
    /// words (<c>" w1 w2 "</c>).
    /// </summary>
    private string TermsSql(TermFacet facet, FieldNode f, bool wordsInside)
    {
        var words = SearchFolding.Words(f.Value);
        var where = wordsInside ? $"strpos(key, {Param(f.Prefix ? words.TrimEnd() : words)}) > 0"
            : f.Prefix ? StartsWith("key", words.TrimEnd())
            : $"key = {Param(words)}";
        return $"SELECT id FROM search_terms WHERE facet = {(int)facet} AND {where}";
    }

    /// <summary>
    /// <paramref name="column"/> starts with <paramref name="prefix"/>: a range an index can use when the last
    /// character orders the same in UTF-16 and UTF-8, else a substring test (as the embedded compiler decides).
    /// </summary>
    private string StartsWith(string column, string prefix)
    {
        if (prefix.Length > 0 && prefix[^1] < 0xD7FF)
        {
            var after = prefix[..^1] + (char)(prefix[^1] + 1);
            return $"({column} >= {Param(prefix)} AND {column} < {Param(after)})";
        }
        var p = Param(prefix);
        return $"left({column}, length({p})) = {p}";
    }
}
