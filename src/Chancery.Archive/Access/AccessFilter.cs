using Chancery.Core.Access;

namespace Chancery.Archive.Access;

/// <summary>
/// A reader turned into SQL: the one place where "may this reader see this row" is decided for queries.
/// Columns used: <c>release</c> (<see cref="ReleaseState"/> as int), <c>level</c> (<see cref="ClassificationLevel"/>
/// as int) and <c>controls</c> (a bit mask of the archive's control names).
/// Parameters: <c>$acc_cleared</c> (1 for a named user), <c>$acc_level</c>, <c>$acc_mask</c>.
/// </summary>
public sealed record AccessFilter(ReaderIdentity Reader, bool Cleared, int Level, long Mask)
{
    /// <summary>Released or released with excisions.</summary>
    public const string ReleasedStates = "(0, 1)";

    /// <summary>SQL true when the reader may read the original of the document row <paramref name="alias"/>.</summary>
    public static string OriginalSql(string alias) =>
        $"($acc_cleared = 1 AND {alias}.level <= $acc_level AND ({alias}.controls & ~$acc_mask) = 0)";

    /// <summary>SQL true when the reader may see the document row at all (released, or cleared for the original).</summary>
    public static string VisibleSql(string alias) =>
        $"({alias}.release IN {ReleasedStates} OR {OriginalSql(alias)})";

    /// <summary>
    /// SQL true when search row <paramref name="rowAlias"/> (with a <c>view</c> column: 0 all, 1 public, 2 original)
    /// of document <paramref name="docAlias"/> is the one this reader searches: the original for cleared readers,
    /// the released text for everyone else. Exactly one row per visible document matches.
    /// <c>SearchRows.Readable</c> decides the same over its in-memory copy of the rows for the embedded search: keep them equal.
    /// </summary>
    public static string SearchViewSql(string rowAlias, string docAlias) =>
        $"(({rowAlias}.view = 0 AND {VisibleSql(docAlias)}) OR ({rowAlias}.view = 1 AND {docAlias}.release IN {ReleasedStates} AND NOT {OriginalSql(docAlias)}) OR ({rowAlias}.view = 2 AND {OriginalSql(docAlias)}))";

    /// <summary>Adds this reader's parameters to a command.</summary>
    public void AddParameters(System.Data.Common.DbCommand command)
    {
        Add(command, "$acc_cleared", Cleared ? 1 : 0);
        Add(command, "$acc_level", Level);
        Add(command, "$acc_mask", Mask);
    }

    private static void Add(System.Data.Common.DbCommand command, string name, long value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}

/// <summary>Which text of a document a search row holds.</summary>
public enum SearchView
{
    /// <summary>Released without excisions, or withheld: one text for everyone allowed to see the document.</summary>
    All = 0,
    /// <summary>The released text of a document released with excisions (markers in place of cut text).</summary>
    Public = 1,
    /// <summary>The original of a document released with excisions: only readers cleared for it search this row.</summary>
    Original = 2,
}
