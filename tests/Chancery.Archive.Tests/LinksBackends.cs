using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;

namespace Chancery.Archive.Tests;

// The link and person tests on each backend: the same tests, the same expected values.

/// <summary><see cref="LinksTests{TArchive}"/> on the embedded archive.</summary>
public sealed class SqliteLinksTests : LinksTests<SqliteArchive>
{
    private readonly DirectoryInfo _folder;

    public SqliteLinksTests() : this(Directory.CreateTempSubdirectory("chancery-links-test-"))
    {
    }

    private SqliteLinksTests(DirectoryInfo folder) : base(SqliteArchive.Open(folder.FullName))
    {
        _folder = folder;
    }

    public override void Dispose()
    {
        base.Dispose();
        _folder.Delete(recursive: true);
    }
}

/// <summary><see cref="LinksTests{TArchive}"/> on the server archive, each test in a database of its own.</summary>
[Collection("postgres")]
public sealed class PostgresLinksTests(PostgresServer server) : LinksTests<PostgresArchive>(PostgresArchive.Open(server.CreateDatabase("links")));

/// <summary><see cref="LinksPeopleTests{TArchive}"/> on the embedded archive.</summary>
public sealed class SqliteLinksPeopleTests : LinksPeopleTests<SqliteArchive>
{
    private readonly DirectoryInfo _folder;

    public SqliteLinksPeopleTests() : this(Directory.CreateTempSubdirectory("chancery-people-test-"))
    {
    }

    private SqliteLinksPeopleTests(DirectoryInfo folder) : base(SqliteArchive.Open(folder.FullName))
    {
        _folder = folder;
    }

    public override void Dispose()
    {
        base.Dispose();
        _folder.Delete(recursive: true);
    }
}

/// <summary><see cref="LinksPeopleTests{TArchive}"/> on the server archive, each test in a database of its own.</summary>
[Collection("postgres")]
public sealed class PostgresLinksPeopleTests(PostgresServer server) : LinksPeopleTests<PostgresArchive>(PostgresArchive.Open(server.CreateDatabase("people")));
