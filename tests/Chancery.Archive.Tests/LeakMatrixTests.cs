using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The leak matrix: for every reader class and every archive surface, no canary the reader may not see appears
/// anywhere in the output, and every count is what that reader should see. Runs on every backend.
/// </summary>
public abstract class LeakMatrixTests : IDisposable
{
    protected abstract IArchive Archive { get; }

    public abstract void Dispose();

    // Each canary is a unique word that stands in exactly one place of the fixture.
    private static readonly string[] AllCanaries =
        ["canarypublic", "canaryconfidential", "canarysecret", "canarynodis", "canarypersonal", "canaryreleasedpart", "canaryexcised"];

    public static TheoryData<string> Readers => new() { "public", "confidential", "secret", "secret-nodis", "topsecret-personal" };

    private static ReaderIdentity Reader(string name) => name switch
    {
        "public" => ReaderIdentity.Public,
        "confidential" => User(name, ClassificationLevel.Confidential).Identity,
        "secret" => User(name, ClassificationLevel.Secret).Identity,
        "secret-nodis" => User(name, ClassificationLevel.Secret, "NODIS").Identity,
        "topsecret-personal" => User(name, ClassificationLevel.TopSecret, "PERSONAL-FOR").Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The canaries each reader may see, and so the documents it may see.</summary>
    private static (string[] Canaries, string[] Documents) Expected(string reader) => reader switch
    {
        "public" => (["canarypublic", "canaryreleasedpart"], ["leak#d1", "leak#d6"]),
        "confidential" => (["canarypublic", "canaryconfidential", "canaryreleasedpart"], ["leak#d1", "leak#d2", "leak#d6"]),
        "secret" => (["canarypublic", "canaryconfidential", "canarysecret", "canaryreleasedpart", "canaryexcised"], ["leak#d1", "leak#d2", "leak#d3", "leak#d6"]),
        "secret-nodis" => (["canarypublic", "canaryconfidential", "canarysecret", "canarynodis", "canaryreleasedpart", "canaryexcised"], ["leak#d1", "leak#d2", "leak#d3", "leak#d4", "leak#d6"]),
        "topsecret-personal" => (["canarypublic", "canaryconfidential", "canarysecret", "canarypersonal", "canaryreleasedpart", "canaryexcised"], ["leak#d1", "leak#d2", "leak#d3", "leak#d5", "leak#d6"]),
        _ => throw new ArgumentOutOfRangeException(nameof(reader)),
    };

    protected void Seed()
    {
        Store(Archive, "leak",
            Make("leak", 1, "Released canarypublic", "Open text canarypublic."),
            Withheld(Make("leak", 2, "Telegram canaryconfidential", "Body canaryconfidential."), ClassificationLevel.Confidential),
            Withheld(Make("leak", 3, "Telegram canarysecret", "Body canarysecret."), ClassificationLevel.Secret),
            Withheld(Make("leak", 4, "Telegram canarynodis", "Body canarynodis."), ClassificationLevel.Secret, "NODIS"),
            Withheld(Make("leak", 5, "Telegram canarypersonal", "Body canarypersonal."), ClassificationLevel.TopSecret, "PERSONAL-FOR"),
            Withheld(Make("leak", 6, "Telegram with a cut", "Released canaryreleasedpart.", "Cut canaryexcised here."), ClassificationLevel.Secret));
        var reviewer = User("reviewer", ClassificationLevel.TopSecret, "NODIS", "PERSONAL-FOR");
        Archive.AddUser(reviewer);
        Assert.NotNull(Archive.Review(new ReviewDecision("leak#d6", ReviewAction.Release, [new ExciseSpan(2)], "test"), reviewer));
    }

    private static void AssertOnlyAllowed(string reader, string output, string surface)
    {
        var allowed = Expected(reader).Canaries;
        foreach (var canary in AllCanaries.Except(allowed))
        {
            Assert.False(output.Contains(canary, StringComparison.OrdinalIgnoreCase), $"{surface} shows {canary} to {reader}");
        }
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Show_and_export_give_each_reader_exactly_its_documents(string reader)
    {
        Seed();
        var who = Reader(reader);
        var seen = new List<string>();
        for (var n = 1; n <= 7; n++)
        {
            var view = Archive.GetDocument($"leak#d{n}", who, "test");
            if (view is null)
            {
                continue;
            }
            seen.Add(view.Document.Id);
            AssertOnlyAllowed(reader, DocumentJson.Serialize(view.Document), "export json");
            AssertOnlyAllowed(reader, TextExporter.Write(view.Document), "export text");
            AssertOnlyAllowed(reader, TeiExporter.Write(view.Document), "export tei");
        }
        Assert.Equal(Expected(reader).Documents, seen);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Volume_counts_and_contents_show_only_readable_documents(string reader)
    {
        Seed();
        var who = Reader(reader);
        Assert.Equal(Expected(reader).Documents.Length, Archive.ListVolumes(who).Single().DocumentCount);
        var contents = Archive.GetVolume("leak", who)!.Contents;
        Assert.Equal(Expected(reader).Documents, contents.Select(c => c.DocumentId));
        AssertOnlyAllowed(reader, string.Join("\n", contents.Select(c => c.Title)), "volume contents");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Search_finds_each_canary_only_for_readers_who_may_see_it(string reader)
    {
        Seed();
        var who = Reader(reader);
        foreach (var canary in AllCanaries)
        {
            var results = Archive.Search(new SearchRequest(canary, Facets: true), who, "test");
            var may = Expected(reader).Canaries.Contains(canary);
            Assert.True(may ? results.Total == 1 : results.Total == 0, $"search {canary} as {reader}: total {results.Total}");
            var text = string.Join("\n", results.Hits.Select(h => h.Title + " " + h.Snippet))
                + string.Join("\n", results.Facets.SelectMany(f => f.Value.Select(v => v.Value)));
            AssertOnlyAllowed(reader, text, "search " + canary);
        }
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Search_totals_hits_and_facet_counts_count_only_readable_documents(string reader)
    {
        Seed();
        var expected = Expected(reader).Documents;
        var results = Archive.Search(new SearchRequest("volume:leak", SearchSort.DateAscending, Facets: true), Reader(reader), "test");
        Assert.Equal(expected.Length, results.Total);
        Assert.Equal(expected, results.Hits.Select(h => h.Id));
        Assert.Equal([new FacetValue("leak", expected.Length)], results.Facets["volume"]);
        Assert.Equal([new FacetValue("Telegram", expected.Length)], results.Facets["type"]);
        Assert.Equal(expected.Length, results.Facets["year"].Sum(v => v.Count));
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void An_unreadable_id_answers_exactly_like_a_missing_one(string reader)
    {
        Seed();
        var who = Reader(reader);
        var missing = (Archive.GetDocument("leak#d99", who, "test"), Archive.GetNeighbours("leak#d99", who), Archive.ListReviews("leak#d99", who).Count);
        foreach (var id in Enumerable.Range(1, 6).Select(n => $"leak#d{n}").Except(Expected(reader).Documents))
        {
            Assert.Equal(missing, (Archive.GetDocument(id, who, "test"), Archive.GetNeighbours(id, who), Archive.ListReviews(id, who).Count));
        }
    }

    [Theory]
    [InlineData("public", 0)]
    [InlineData("confidential", 0)]
    [InlineData("secret", 1)]
    [InlineData("secret-nodis", 1)]
    [InlineData("topsecret-personal", 1)]
    public void Review_history_is_shown_only_to_readers_cleared_for_the_original(string reader, int reviews)
    {
        Seed();
        Assert.Equal(reviews, Archive.ListReviews("leak#d6", Reader(reader)).Count);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Neighbours_never_name_an_unreadable_document(string reader)
    {
        Seed();
        var who = Reader(reader);
        var visible = Expected(reader).Documents;
        foreach (var id in visible)
        {
            var (previous, next) = Archive.GetNeighbours(id, who);
            Assert.True(previous is null || visible.Contains(previous), $"{previous} shown to {reader}");
            Assert.True(next is null || visible.Contains(next), $"{next} shown to {reader}");
        }
    }
}

public sealed class SqliteLeakMatrixTests : LeakMatrixTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-leak-test-");
    private readonly Sqlite.SqliteArchive _archive;

    public SqliteLeakMatrixTests() => _archive = Sqlite.SqliteArchive.Open(_folder.FullName);

    protected override IArchive Archive => _archive;

    public override void Dispose()
    {
        _archive.Dispose();
        _folder.Delete(recursive: true);
    }
}

[Collection("postgres")]
public sealed class PostgresLeakMatrixTests : LeakMatrixTests
{
    private readonly Postgres.PostgresArchive _archive;

    public PostgresLeakMatrixTests(Infrastructure.PostgresServer server) =>
        _archive = Postgres.PostgresArchive.Open(server.CreateDatabase("leak"));

    protected override IArchive Archive => _archive;

    public override void Dispose() => _archive.Dispose();
}
