namespace Chancery.Archive.Search;

/// <summary>
/// A parsed query in the Chancery query language. Stores compile the tree into their own search syntax,
/// quoting every term themselves: no part of the user's text is ever spliced into SQL or FTS syntax.
/// <see cref="Position"/> is the 0-based offset in the query text where the node starts.
/// </summary>
/// <remarks><see cref="object.ToString"/> gives the tree as a compact S-expression, for messages and tests.</remarks>
public abstract record QueryNode(int Position);

/// <summary>A word, matched as a whole word anywhere in the text; <see cref="Prefix"/> for <c>word*</c>.</summary>
public sealed record TermNode(string Text, bool Prefix, int Position) : QueryNode(Position)
{
    public override string ToString() => Text + (Prefix ? "*" : "");
}

/// <summary>An exact phrase, <c>"the words in order"</c>; <see cref="Prefix"/> for <c>"words in ord"*</c>.</summary>
public sealed record PhraseNode(string Text, bool Prefix, int Position) : QueryNode(Position)
{
    public override string ToString() => "\"" + Text + "\"" + (Prefix ? "*" : "");
}

/// <summary>The fields a query can filter on (<c>from:</c>, <c>volume:</c>, …).</summary>
public enum QueryField
{
    /// <summary><c>title:</c> words of the title (text, like a term restricted to the title).</summary>
    Title,
    /// <summary><c>from:</c> the sender.</summary>
    From,
    /// <summary><c>to:</c> the recipient.</summary>
    To,
    /// <summary><c>place:</c> where the document was written.</summary>
    Place,
    /// <summary><c>volume:</c> the volume id, whole.</summary>
    Volume,
    /// <summary><c>type:</c> the document type, whole ("Telegram", "Editorial Note").</summary>
    Type,
    /// <summary><c>classification:</c> the printed classification, whole ("top secret").</summary>
    Classification,
    /// <summary><c>person:</c> a person mentioned, by persons-list id or by name.</summary>
    Person,
    /// <summary><c>file:</c> a decimal file number prefix (<c>file:761.93</c>).</summary>
    File,
}

/// <summary>
/// A field filter. <see cref="Quoted"/> values (<c>from:"The Secretary of State"</c>) match the whole value;
/// unquoted values of name fields (from, to, place, person) match words inside it (<c>from:Truman</c>).
/// Volume, type and classification always match the whole value; <see cref="Prefix"/> (a trailing <c>*</c>)
/// matches values that start so. Case and diacritics never matter.
/// </summary>
public sealed record FieldNode(QueryField Field, string Value, bool Quoted, bool Prefix, int Position) : QueryNode(Position)
{
    public override string ToString() =>
        Field.ToString().ToLowerInvariant() + ":" + (Quoted ? "\"" + Value + "\"" : Value) + (Prefix ? "*" : "");
}

/// <summary>
/// <c>date:</c> a range of sortable keys (<c>yyyy-MM-ddTHH:mm</c>), either end open (null); a document matches when
/// its own date range overlaps it. <see cref="None"/> is <c>date:none</c>: undated documents only.
/// </summary>
public sealed record DateNode(string? Min, string? Max, bool None, int Position) : QueryNode(Position)
{
    public override string ToString() => None ? "date:none" : $"date:{Min}..{Max}";
}

/// <summary>All children must match (words side by side, or <c>AND</c>).</summary>
public sealed record AndNode(IReadOnlyList<QueryNode> Children, int Position) : QueryNode(Position)
{
    public override string ToString() => "(AND " + string.Join(" ", Children) + ")";
}

/// <summary>Any child may match (<c>OR</c>).</summary>
public sealed record OrNode(IReadOnlyList<QueryNode> Children, int Position) : QueryNode(Position)
{
    public override string ToString() => "(OR " + string.Join(" ", Children) + ")";
}

/// <summary>The child must not match (<c>NOT x</c> or <c>-x</c>).</summary>
public sealed record NotNode(QueryNode Child, int Position) : QueryNode(Position)
{
    public override string ToString() => "(NOT " + Child + ")";
}
