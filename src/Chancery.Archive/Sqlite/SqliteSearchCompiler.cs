using Chancery.Archive.Search;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// A query tree compiled for the embedded store: the full-text expression that drives the query (and is scored),
/// the other AND-ed subtrees (fields, dates, and text mixed with them under OR or NOT), the highlight phrases and
/// whether a date range is in it. The structure is the one FTS5 gave the query; the server store searches through
/// this same plan (<see cref="ISearchSource"/>), so both stores find the same rows and score the same phrases.
/// </summary>
internal sealed record SqliteSearchPlan(
    FtsExpr? Match,
    IReadOnlyList<QueryNode> Other,
    IReadOnlyList<FtsPhrase>? Highlight,
    bool HasDateRange);

/// <summary>Compiles a <see cref="QueryNode"/> tree into a <see cref="SqliteSearchPlan"/>.</summary>
internal static class SqliteSearchCompiler
{
    /// <summary>
    /// The whole tree. Text terms ANDed at the top level (with their NOTs) become the driving expression; whatever
    /// mixes text with fields under OR or NOT is evaluated per subtree.
    /// </summary>
    public static SqliteSearchPlan Compile(QueryNode root)
    {
        var children = root is AndNode and ? and.Children : [root];
        var (positive, negative, other) = Partition(children);
        var match = positive.Count > 0 ? CombineAnd(positive, negative) : null;
        var highlights = new List<FtsPhrase>();
        CollectHighlights(root, positive: true, highlights);
        var distinct = highlights.DistinctBy(h => h.Key, StringComparer.Ordinal).ToList();
        return new SqliteSearchPlan(match, other, distinct.Count == 0 ? null : distinct, HasDateRange(root));
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

    /// <summary>Splits AND-ed children into text, negated text, and the rest.</summary>
    public static (List<FtsExpr> Positive, List<FtsExpr> Negative, List<QueryNode> Other) Partition(IReadOnlyList<QueryNode> children)
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
            // NOT is binary in a full-text expression: without a positive side the negations are evaluated with the rest
            other = [.. children];
            negative.Clear();
        }
        return (positive, negative, other);
    }

    public static FtsExpr CombineAnd(List<FtsExpr> positive, List<FtsExpr> negative)
    {
        var expr = positive.Count == 1 ? positive[0] : new FtsAnd(positive);
        foreach (var n in negative)
        {
            expr = new FtsNot(expr, n);
        }
        return expr;
    }

    /// <summary>The full-text expression for a subtree of text only, or null when it cannot be expressed positively.</summary>
    public static FtsExpr? Fts(QueryNode node)
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
        var key = (titleOnly ? "title : " : "") + "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (prefix ? " *" : "");
        return new FtsPhraseExpr(new FtsPhrase(key, words, prefix, titleOnly));
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
}

/// <summary>
/// Evaluates a plan over the slots of one <see cref="SearchRows"/>: phrases come from the Lucene index (only rows
/// SQLite has count), fields and dates from the row columns and the term tables. Subtrees evaluate to SQL's three
/// truth values (true, false, unknown: a date range on an undated row), so NOT and OR treat undated rows as the SQL
/// predicates of the FTS5 store did. Phrases are read on both cores from an index of <paramref name="split"/>'s size.
/// </summary>
internal sealed class SqliteSearchEvaluator(ISearchSource source, Lucene.Net.Search.IndexSearcher? searcher, RowMap? map, SearchRows rows,
    LuceneSearchIndex.SplitSize split)
{
    private readonly Dictionary<(string, bool, bool), PhraseRows> _phrases = [];

    public SearchRows Rows => rows;

    /// <summary>The rows holding a phrase, worked out once per search.</summary>
    public PhraseRows this[FtsPhrase phrase]
    {
        get
        {
            if (!_phrases.TryGetValue(phrase.Identity, out var found))
            {
                found = searcher is null || map is null ? new PhraseRows(rows.Count) : LuceneSearchIndex.FindPhrase(searcher, map, phrase, split);
                _phrases[phrase.Identity] = found;
            }
            return found;
        }
    }

    /// <summary>The rows a full-text expression matches.</summary>
    public ulong[] Match(FtsExpr expr)
    {
        switch (expr)
        {
            case FtsPhraseExpr p:
                return this[p.Phrase].Set;
            case FtsAnd a:
            {
                var set = Match(a.Children[0]);
                foreach (var child in a.Children.Skip(1))
                {
                    set = Bits.And(set, Match(child));
                }
                return set;
            }
            case FtsOr o:
            {
                var set = Bits.New(rows.Count);
                foreach (var child in o.Children)
                {
                    set = Bits.Or(set, Match(child));
                }
                return set;
            }
            case FtsNot n:
                return Bits.AndNot(Match(n.Left), Match(n.Right));
            default:
                throw new InvalidOperationException("unknown expression " + expr.GetType().Name);
        }
    }

    /// <summary>The rows the plan matches (before access), or null for all rows.</summary>
    public ulong[] Matching(SqliteSearchPlan plan)
    {
        var set = plan.Match is null ? Bits.All(rows.Count) : Match(plan.Match);
        foreach (var node in plan.Other)
        {
            set = Bits.And(set, Eval(node).True);
        }
        return set;
    }

    /// <summary>A subtree as the rows where it is true and the rows where it is false; the rest are unknown.</summary>
    private (ulong[] True, ulong[] False) Eval(QueryNode node)
    {
        if (SqliteSearchCompiler.Fts(node) is { } fts)
        {
            return Known(Match(fts));
        }
        switch (node)
        {
            case NotNode n:
            {
                var (tr, fa) = Eval(n.Child);
                return (fa, tr);
            }
            case AndNode a:
            {
                var (positive, negative, other) = SqliteSearchCompiler.Partition(a.Children);
                var tr = Bits.All(rows.Count);
                var fa = Bits.New(rows.Count);
                if (positive.Count > 0)
                {
                    var m = Match(SqliteSearchCompiler.CombineAnd(positive, negative));
                    tr = m;
                    fa = Bits.AndNot(Bits.All(rows.Count), m);
                }
                foreach (var child in other)
                {
                    var (ct, cf) = Eval(child);
                    tr = Bits.And(tr, ct);
                    fa = Bits.Or(fa, cf);
                }
                return (tr, fa);
            }
            case OrNode o:
            {
                var text = new List<FtsExpr>();
                var tr = Bits.New(rows.Count);
                var fa = Bits.All(rows.Count);
                foreach (var child in o.Children)
                {
                    if (SqliteSearchCompiler.Fts(child) is { } x)
                    {
                        text.Add(x);
                    }
                    else
                    {
                        var (ct, cf) = Eval(child);
                        tr = Bits.Or(tr, ct);
                        fa = Bits.And(fa, cf);
                    }
                }
                if (text.Count > 0)
                {
                    var (ct, cf) = Known(Match(text.Count == 1 ? text[0] : new FtsOr(text)));
                    tr = Bits.Or(tr, ct);
                    fa = Bits.And(fa, cf);
                }
                return (tr, fa);
            }
            case DateNode d:
                return Date(d);
            case FieldNode f:
                return Known(Field(f));
            default:
                throw new InvalidOperationException("unknown query node " + node.GetType().Name);
        }
    }

    private (ulong[] True, ulong[] False) Known(ulong[] set) => (set, Bits.AndNot(Bits.All(rows.Count), set));

    private (ulong[] True, ulong[] False) Date(DateNode d)
    {
        var tr = Bits.New(rows.Count);
        var fa = Bits.New(rows.Count);
        if (d.None)
        {
            for (var s = 0; s < rows.Count; s++)
            {
                Bits.Set(rows.Dated[s] ? fa : tr, s);
            }
            return (tr, fa);
        }
        // overlap: the document starts before the range ends and ends after it starts; unknown when undated
        var max = d.Max is null ? long.MaxValue : SqliteSearchIndex.DateNumber(d.Max);
        var min = d.Min is null ? long.MinValue : SqliteSearchIndex.DateNumber(d.Min);
        for (var s = 0; s < rows.Count; s++)
        {
            if (rows.Dated[s])
            {
                Bits.Set(rows.DateMin[s] <= max && rows.DateMax[s] >= min ? tr : fa, s);
            }
        }
        return (tr, fa);
    }

    private ulong[] Field(FieldNode f)
    {
        switch (f.Field)
        {
            case QueryField.From:
                return Column(rows.Sender, Codes(SqliteSearchIndex.Facet.Sender, f, wordsInside: !f.Quoted));
            case QueryField.To:
                return Column(rows.Recipient, Codes(SqliteSearchIndex.Facet.Recipient, f, wordsInside: !f.Quoted));
            case QueryField.Place:
                return Column(rows.Place, Codes(SqliteSearchIndex.Facet.Place, f, wordsInside: !f.Quoted));
            case QueryField.Volume:
                return Column(rows.Volume, Codes(SqliteSearchIndex.Facet.Volume, f, wordsInside: false));
            case QueryField.Type:
                return Column(rows.Type, Codes(SqliteSearchIndex.Facet.Type, f, wordsInside: false));
            case QueryField.Classification:
                return Column(rows.Classification, Codes(SqliteSearchIndex.Facet.Classification, f, wordsInside: false));
            case QueryField.Person:
            {
                // a person is named by a persons-list id (always whole) or by a name (whole when quoted, else words in it)
                var codes = Codes(SqliteSearchIndex.Facet.PersonId, f, wordsInside: false);
                codes.UnionWith(Codes(SqliteSearchIndex.Facet.Person, f, wordsInside: !f.Quoted));
                if (codes.Count == 0)
                {
                    return Bits.New(rows.Count);
                }
                return RowSet(source.PersonRows(codes));
            }
            case QueryField.File:
            {
                // bare, a prefix; quoted, a whole number or subject (the numbers filed under it, as the file facet counts them)
                var key = SqliteSearchIndex.FileKey(f.Value);
                return RowSet(source.FileRows(key, whole: f.Quoted && key.Length > 0));
            }
            default:
                throw new InvalidOperationException("field " + f.Field + " is text, not a predicate");
        }
    }

    private ulong[] Column(int[] column, HashSet<long> codes)
    {
        var set = Bits.New(rows.Count);
        if (codes.Count == 0)
        {
            return set;
        }
        var (start, slots) = rows.ByCode(column);
        foreach (var code in codes)
        {
            if (code < 0 || code + 1 >= start.Length)
            {
                continue;
            }
            for (var i = start[code]; i < start[code + 1]; i++)
            {
                Bits.Set(set, slots[i]);
            }
        }
        return set;
    }

    private ulong[] RowSet(List<long> ids)
    {
        var set = Bits.New(rows.Count);
        foreach (var id in ids)
        {
            var slot = rows.SlotOf(id);
            if (slot >= 0)
            {
                Bits.Set(set, slot);
            }
        }
        return set;
    }

    /// <summary>
    /// The codes of a facet's values that match: the whole value, values starting so (prefix), or — for name fields
    /// written without quotes — values with these whole words (or word start) anywhere inside. Values are compared
    /// as folded words (<c>" w1 w2 "</c>).
    /// </summary>
    private HashSet<long> Codes(SqliteSearchIndex.Facet facet, FieldNode f, bool wordsInside) =>
        source.Codes(facet, SearchFolding.Words(f.Value), wordsInside, f.Prefix);
}
