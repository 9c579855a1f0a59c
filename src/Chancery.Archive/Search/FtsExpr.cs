namespace Chancery.Archive.Search;

/// <summary>
/// One phrase of a full-text expression, as FTS5 would parse it from the embedded store's quoted string:
/// the folded words, a prefix on the last one, and whether it is restricted to the title column.
/// <see cref="Key"/> is the FTS5 text the embedded compiler writes for it (highlight phrases are distinct by it).
/// </summary>
internal sealed record FtsPhrase(string Key, IReadOnlyList<string> Words, bool Prefix, bool TitleOnly)
{
    /// <summary>What decides which rows hold the phrase (two phrases written differently can be the same one).</summary>
    public (string Words, bool Prefix, bool TitleOnly) Identity => (string.Join(' ', Words), Prefix, TitleOnly);
}

/// <summary>A full-text expression with FTS5's structure (NOT is binary: left NOT right).</summary>
internal abstract record FtsExpr
{
    /// <summary>The phrases in the order FTS5 numbers them (their order in the expression text).</summary>
    public abstract IEnumerable<FtsPhrase> Phrases();
}

internal sealed record FtsPhraseExpr(FtsPhrase Phrase) : FtsExpr
{
    public override IEnumerable<FtsPhrase> Phrases() => [Phrase];
}

internal sealed record FtsAnd(IReadOnlyList<FtsExpr> Children) : FtsExpr
{
    public override IEnumerable<FtsPhrase> Phrases() => Children.SelectMany(c => c.Phrases());
}

internal sealed record FtsOr(IReadOnlyList<FtsExpr> Children) : FtsExpr
{
    public override IEnumerable<FtsPhrase> Phrases() => Children.SelectMany(c => c.Phrases());
}

internal sealed record FtsNot(FtsExpr Left, FtsExpr Right) : FtsExpr
{
    public override IEnumerable<FtsPhrase> Phrases() => Left.Phrases().Concat(Right.Phrases());
}
