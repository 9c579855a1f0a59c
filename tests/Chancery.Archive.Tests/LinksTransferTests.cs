using System.Text.Json;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.People;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// Moving links between backends: the editors' person decisions and the officials read from an embedded archive and
/// written to a server archive holding the same documents give the same person index there.
/// </summary>
[Collection("postgres")]
public sealed class LinksTransferTests : IDisposable
{
    private static readonly Official Smith = new("smith-john", "Smith", "John", [], "1900", "1970",
        [new OfficialPost("gb-1945-smit-01", "Minister", "Minister", "the United Kingdom", "united-kingdom", "1945-01-01", "1945-02-01", "1946-01-01", null)]);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-links-transfer-");
    private readonly SqliteArchive _from;
    private readonly PostgresArchive _to;

    public LinksTransferTests(PostgresServer server)
    {
        _from = SqliteArchive.Open(_folder.FullName);
        _to = PostgresArchive.Open(server.CreateDatabase("links_transfer"));
    }

    public void Dispose()
    {
        _from.Dispose();
        _to.Dispose();
        _folder.Delete(recursive: true);
    }

    // Two Smiths the rules keep apart, in both archives; the editor merges them in the embedded one only.
    private void StoreTwoSmithsInBothAndMergeInTheEmbeddedOne()
    {
        foreach (IArchive archive in new IArchive[] { _from, _to })
        {
            Document[] a = [Make("volA", 1, "A", "Smith spoke.") with { Persons = [new PersonRef("p_SJ1", "Smith")] }];
            Document[] b = [Make("volB", 1, "B", "Smith replied.") with { Persons = [new PersonRef("p_SJ2", "Smith")] }];
            archive.IngestVolume(a, () => VolumeOf("volA", a) with { Persons = [new("p_SJ1", "Smith, J.", "British Minister of Food")] });
            archive.IngestVolume(b, () => VolumeOf("volB", b) with { Persons = [new("p_SJ2", "Smith, John", "Governor of Texas")] });
        }
        _from.ImportOfficials([Smith]);
        _from.MergePersons("volA#p_SJ1", "volB#p_SJ2", "ada", "the Minister of Food is the same man");
    }

    private void Transfer()
    {
        _to.ImportOfficials(_from.ListOfficials());
        _to.ReplacePersonDecisions(_from.ListPersonDecisions());
    }

    [Fact]
    public void After_the_transfer_the_merged_person_reads_the_same_on_both_backends()
    {
        StoreTwoSmithsInBothAndMergeInTheEmbeddedOne();
        Transfer();
        var copied = _to.GetPerson("volA#p_SJ1", ReaderIdentity.Public)!;
        Assert.Equal(["volA#p_SJ1", "volB#p_SJ2"], copied.Listings.Select(l => l.Volume + "#" + l.PersonId));
        Assert.Equal(JsonSerializer.Serialize(_from.GetPerson("volA#p_SJ1", ReaderIdentity.Public)), JsonSerializer.Serialize(copied));
    }

    [Fact]
    public void After_the_transfer_the_destination_keeps_the_decision_as_it_was_made()
    {
        StoreTwoSmithsInBothAndMergeInTheEmbeddedOne();
        Transfer();
        var decision = Assert.Single(_to.ListPersonDecisions());
        Assert.Equal(("merge", "volA#p_SJ1", "volB#p_SJ2", "ada", "the Minister of Food is the same man", Assert.Single(_from.ListPersonDecisions()).Time),
            (decision.Action, decision.A, decision.B, decision.Editor, decision.Reason, decision.Time));
    }

    [Fact]
    public void After_the_transfer_the_destination_has_the_officials()
    {
        StoreTwoSmithsInBothAndMergeInTheEmbeddedOne();
        Transfer();
        Assert.Equal(JsonSerializer.Serialize(new[] { Smith }), JsonSerializer.Serialize(_to.ListOfficials()));
    }

    [Fact]
    public void Without_the_transfer_the_destination_keeps_the_two_persons_apart()
    {
        StoreTwoSmithsInBothAndMergeInTheEmbeddedOne();
        Assert.Equal(["volA#p_SJ1"], _to.GetPerson("volA#p_SJ1", ReaderIdentity.Public)!.Listings.Select(l => l.Volume + "#" + l.PersonId));
    }

    [Fact]
    public void Replacing_the_decisions_drops_the_ones_made_before()
    {
        StoreTwoSmithsInBothAndMergeInTheEmbeddedOne();
        _to.MergePersons("volA#p_SJ1", "volB#p_SJ2", "bob", "a decision of the destination's own");
        _to.ReplacePersonDecisions([]);
        Assert.Equal(["volA#p_SJ1"], _to.GetPerson("volA#p_SJ1", ReaderIdentity.Public)!.Listings.Select(l => l.Volume + "#" + l.PersonId));
    }
}
