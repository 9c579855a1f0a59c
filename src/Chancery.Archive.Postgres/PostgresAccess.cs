using Chancery.Archive.Access;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// <see cref="AccessFilter"/> in PostgreSQL's dialect: the same columns (<c>release</c>, <c>level</c>,
/// <c>controls</c>), the same three search views, with Npgsql parameters <c>@acc_cleared</c> (boolean),
/// <c>@acc_level</c> and <c>@acc_mask</c>. The SQLite predicate cannot be reused as text because it uses
/// <c>$name</c> parameters, which PostgreSQL reads as positional ones.
/// </summary>
internal static class PostgresAccess
{
    private const string ReleasedStates = AccessFilter.ReleasedStates;

    /// <summary>SQL true when the reader may read the original of document row <paramref name="alias"/>.</summary>
    public static string OriginalSql(string alias) =>
        $"(@acc_cleared AND {alias}.level <= @acc_level AND ({alias}.controls & ~@acc_mask) = 0)";

    /// <summary>SQL true when the reader may see document row <paramref name="alias"/> at all.</summary>
    public static string VisibleSql(string alias) =>
        $"({alias}.release IN {ReleasedStates} OR {OriginalSql(alias)})";

    /// <summary>SQL true when search row <paramref name="rowAlias"/> is the one view of the document this reader searches.</summary>
    public static string SearchViewSql(string rowAlias, string docAlias) =>
        $"(({rowAlias}.view = 0 AND {VisibleSql(docAlias)}) OR ({rowAlias}.view = 1 AND {docAlias}.release IN {ReleasedStates} AND NOT {OriginalSql(docAlias)}) OR ({rowAlias}.view = 2 AND {OriginalSql(docAlias)}))";

    /// <summary>Adds the reader's parameters to a command.</summary>
    public static void AddPostgresParameters(this AccessFilter access, NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("acc_cleared", NpgsqlDbType.Boolean) { Value = access.Cleared });
        command.Parameters.Add(new NpgsqlParameter("acc_level", NpgsqlDbType.Integer) { Value = access.Level });
        command.Parameters.Add(new NpgsqlParameter("acc_mask", NpgsqlDbType.Bigint) { Value = access.Mask });
    }
}
