using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.People;
using static Chancery.Archive.Tests.LinkTestDocuments;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The person index: the same person across volumes, POCOM posts, documents sent, received and mentioned; every
/// backend runs these same tests (<see cref="SqliteLinksPeopleTests"/>, <see cref="PostgresLinksPeopleTests"/>).
/// </summary>
public abstract class LinksPeopleTests<TArchive> : IDisposable where TArchive : IArchive, ILinkArchive
{
    private const string Moscow = "The Ambassador in the Soviet Union (Harriman)";
    private const string Department = "the Secretary of State";

    private static readonly Official Harriman = new(
        "harriman-william-averell", "Harriman", "William Averell", ["W. Averell Harriman"], "1891", "1986",
        [
            new OfficialPost("ru-1943-harr-01", "Ambassador Extraordinary and Plenipotentiary", "Ambassador", "the Soviet Union", "russia",
                "1943-10-07", "1943-10-23", "1946-01-24", "Commissioned to the Union of Soviet Socialist Republics."),
            new OfficialPost("gb-1946-harr-01", "Ambassador Extraordinary and Plenipotentiary", "Ambassador", "the United Kingdom", "united-kingdom",
                "1946-04-02", "1946-04-30", "1946-10-01", null),
        ]);

    private readonly TArchive _archive;

    protected LinksPeopleTests(TArchive archive)
    {
        _archive = archive;
    }

    public virtual void Dispose()
    {
        _archive.Dispose();
        GC.SuppressFinalize(this);
    }

    private void StoreWithPersons(string volume, PersonEntry[] persons, params Document[] docs) =>
        _archive.IngestVolume(docs, () => VolumeOf(volume, docs) with { Persons = persons });

    [Fact]
    public void The_same_name_form_in_two_volumes_is_one_person()
    {
        StoreWithPersons("volA", [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union")], Make("volA", 1, "A"));
        StoreWithPersons("volB", [new("p_HWA2", "Harriman, W. Averell", "Secretary of Commerce")], Make("volB", 1, "B"));
        var person = _archive.GetPerson("W. Averell Harriman", ReaderIdentity.Public)!;
        Assert.Equal(
            [
                new PersonListing("volA", "p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union"),
                new PersonListing("volB", "p_HWA2", "Harriman, W. Averell", "Secretary of Commerce"),
            ],
            person.Listings);
        Assert.Equal(["“Harriman, W. Averell” (volA) and “Harriman, W. Averell” (volB): the same name"], person.Evidence);
    }

    [Fact]
    public void An_initial_and_a_full_name_are_one_person_when_the_descriptions_agree()
    {
        StoreWithPersons("volA", [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union")], Make("volA", 1, "A"));
        StoreWithPersons("volB", [new("p_HWA1", "Harriman, William Averell", "Ambassador in the Soviet Union until January 1946")], Make("volB", 1, "B"));
        var person = _archive.GetPerson("volB#p_HWA1", ReaderIdentity.Public)!;
        Assert.Equal(["volA#p_HWA1", "volB#p_HWA1"], person.Listings.Select(l => l.Volume + "#" + l.PersonId));
        Assert.Equal("“Harriman, W. Averell” (volA) and “Harriman, William Averell” (volB): names agree and descriptions share ambassador, soviet, union", Assert.Single(person.Evidence));
    }

    [Fact]
    public void Agreeing_names_with_unrelated_descriptions_stay_two_people()
    {
        StoreWithPersons("volA", [new("p_SJ1", "Smith, J.", "British Minister of Food")], Make("volA", 1, "A"));
        StoreWithPersons("volB", [new("p_SJ2", "Smith, John", "Governor of Texas")], Make("volB", 1, "B"));
        Assert.Equal(["volA"], _archive.GetPerson("volA#p_SJ1", ReaderIdentity.Public)!.Listings.Select(l => l.Volume));
        Assert.Equal(["volB"], _archive.GetPerson("volB#p_SJ2", ReaderIdentity.Public)!.Listings.Select(l => l.Volume));
    }

    [Fact]
    public void A_listed_person_who_is_a_pocom_official_carries_the_posts()
    {
        _archive.ImportOfficials([Harriman]);
        StoreWithPersons("volA", [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union")], Make("volA", 1, "A"));
        var person = _archive.GetPerson("Harriman", ReaderIdentity.Public)!;
        Assert.Equal(("harriman-william-averell", "harriman-william-averell"), (person.Id, person.OfficialId));
        Assert.Equal(["Ambassador to the Soviet Union (1943–1946)", "Ambassador to the United Kingdom (1946)"], person.Posts.Select(p => p.Summary));
        Assert.Equal("POCOM harriman-william-averell (1891–1986): name “William Averell Harriman” agrees; the description speaks of Ambassador to the Soviet Union (1943–1946)",
            Assert.Single(person.Evidence));
    }

    [Fact]
    public void Sender_recipient_and_mentions_are_found_through_the_persons_list()
    {
        var sent = Telegram("volA", 1, "2500", Moscow, Department, "1945-07-03") with { Persons = [new PersonRef("p_SJV1", "Stalin")] };
        var received = Telegram("volA", 2, "120", Department, Moscow, "1945-07-05");
        var mentioning = Make("volA", 3, "Memorandum") with { From = "Bohlen", To = "Byrnes", Persons = [new PersonRef("p_HWA1", "Harriman")] };
        StoreWithPersons("volA",
            [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union"), new("p_SJV1", "Stalin, Iosif V.", "Chairman of the Council of People’s Commissars")],
            sent, received, mentioning);
        var person = _archive.GetPerson("Harriman, W. Averell", ReaderIdentity.Public)!;
        Assert.Equal(
            ("volA#d1", "volA#d2", "volA#d3"),
            (string.Join(" ", person.Sent.Select(d => d.Id)), string.Join(" ", person.Received.Select(d => d.Id)), string.Join(" ", person.Mentioned.Select(d => d.Id))));
        Assert.Equal("“The Ambassador in the Soviet Union (Harriman)” names Harriman: Harriman, W. Averell in the persons list of volA (p_HWA1)", person.Sent[0].Evidence);
    }

    [Fact]
    public void Documents_the_reader_may_not_see_are_left_out_of_a_profile()
    {
        var open = Telegram("volA", 1, "2500", Moscow, Department, "1945-07-03");
        var secret = Withheld(Telegram("volA", 2, "2501", Moscow, Department, "1945-07-04"), ClassificationLevel.TopSecret);
        StoreWithPersons("volA", [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union")], open, secret);
        Assert.Equal(["volA#d1"], _archive.GetPerson("Harriman", ReaderIdentity.Public)!.Sent.Select(d => d.Id));
        Assert.Equal(["volA#d1", "volA#d2"], _archive.GetPerson("Harriman", ReaderIdentity.System)!.Sent.Select(d => d.Id));
    }

    [Fact]
    public void A_sender_no_persons_list_names_is_found_among_officials_in_post_that_day()
    {
        _archive.ImportOfficials([Harriman]);
        Store(_archive, "volA", Telegram("volA", 1, "2500", Moscow, Department, "1945-07-03"));
        var person = _archive.GetPerson("W. Averell Harriman", ReaderIdentity.Public)!;
        Assert.Equal(("harriman-william-averell", "Harriman, William Averell"), (person.Id, person.Name));
        var sent = Assert.Single(person.Sent);
        Assert.Equal(("volA#d1", "“The Ambassador in the Soviet Union (Harriman)” names Harriman: POCOM William Averell Harriman, Ambassador to the Soviet Union (1943–1946), in post on 1945-07-03"),
            (sent.Id, sent.Evidence));
    }

    [Fact]
    public void The_secretary_of_state_as_sender_is_whoever_held_the_office_that_day()
    {
        var dulles = new Official("dulles-john-foster", "Dulles", "John Foster", [], "1888", "1959",
            [new OfficialPost("secretary-1953-dulles", "Secretary of State", "Secretary of State", null, null, "1953-01-21", "1953-01-21", "1959-04-22", null)]);
        _archive.ImportOfficials([Harriman, dulles]);
        Store(_archive, "volA",
            Telegram("volA", 1, "100", Department, "the Embassy in France", "1955-03-01"),
            Telegram("volA", 2, "200", "the Embassy in France", Department, "1955-03-02"));
        var person = _archive.GetPerson("Dulles", ReaderIdentity.Public)!;
        var sent = Assert.Single(person.Sent);
        Assert.Equal(("volA#d1", "“the Secretary of State” on 1955-03-01: POCOM John Foster Dulles, Secretary of State (1953–1959)"), (sent.Id, sent.Evidence));
        Assert.Empty(person.Received);
    }

    [Fact]
    public void An_official_in_no_volume_is_still_found_with_posts()
    {
        _archive.ImportOfficials([Harriman]);
        var person = _archive.GetPerson("Harriman, William Averell", ReaderIdentity.Public)!;
        Assert.Equal(("harriman-william-averell", 2, 0), (person.Id, person.Posts.Count, person.Listings.Count));
    }

    [Fact]
    public void A_second_import_of_officials_replaces_the_first()
    {
        _archive.ImportOfficials([Harriman]);
        _archive.ImportOfficials([]);
        Assert.Null(_archive.GetPerson("Harriman, William Averell", ReaderIdentity.Public));
    }

    [Fact]
    public void An_unknown_name_finds_no_one()
    {
        Store(_archive, "volA", Make("volA", 1, "A"));
        Assert.Null(_archive.GetPerson("Nobody, Never", ReaderIdentity.Public));
    }

    // Two Smiths the rules keep apart (their descriptions share nothing), each mentioned in one document of their volume.
    private void StoreTwoSmiths()
    {
        StoreWithPersons("volA", [new("p_SJ1", "Smith, J.", "British Minister of Food")],
            Make("volA", 1, "A", "Smith spoke.") with { Persons = [new PersonRef("p_SJ1", "Smith")] });
        StoreWithPersons("volB", [new("p_SJ2", "Smith, John", "Governor of Texas")],
            Make("volB", 1, "B", "Smith replied.") with { Persons = [new PersonRef("p_SJ2", "Smith")] });
    }

    private void StoreHarrimanInTwoVolumes(string titleB = "B")
    {
        StoreWithPersons("volA", [new("p_HWA1", "Harriman, W. Averell", "Ambassador in the Soviet Union")], Make("volA", 1, "A"));
        StoreWithPersons("volB", [new("p_HWA2", "Harriman, W. Averell", "Secretary of Commerce")], Make("volB", 1, titleB));
    }

    [Fact]
    public void An_editors_merge_joins_two_persons_with_the_documents_of_both_and_says_who_merged_them()
    {
        StoreTwoSmiths();
        _archive.MergePersons("volA#p_SJ1", "smith-john", "ada", "the Minister of Food is the same man");
        var person = _archive.GetPerson("volA#p_SJ1", ReaderIdentity.Public)!;
        Assert.Equal(
            ("smith-john", "volA#p_SJ1 volB#p_SJ2", "volA#d1 volB#d1", "merged by ada: the Minister of Food is the same man"),
            (person.Id, string.Join(" ", person.Listings.Select(l => l.Volume + "#" + l.PersonId)), string.Join(" ", person.Mentioned.Select(d => d.Id)),
                Assert.Single(person.Evidence)));
    }

    [Fact]
    public void An_editors_split_takes_a_listing_out_of_the_person_it_was_joined_to()
    {
        StoreHarrimanInTwoVolumes();
        _archive.SplitPerson("harriman-w-averell", "volB#p_HWA2", "ada", "a namesake at Commerce");
        var left = _archive.GetPerson("volA#p_HWA1", ReaderIdentity.Public)!;
        var split = _archive.GetPerson("volB#p_HWA2", ReaderIdentity.Public)!;
        Assert.Equal(
            ("harriman-w-averell", "volA#p_HWA1", 0, "harriman-w-averell-2", "volB#p_HWA2", "volB#d1", "split by ada: a namesake at Commerce"),
            (left.Id, string.Join(" ", left.Listings.Select(l => l.Volume + "#" + l.PersonId)), left.Evidence.Count,
                split.Id, string.Join(" ", split.Listings.Select(l => l.Volume + "#" + l.PersonId)), string.Join(" ", split.Sent.Select(d => d.Id)),
                Assert.Single(split.Evidence)));
    }

    [Fact]
    public void Editors_decisions_survive_a_reingest_and_a_rebuild_of_the_links()
    {
        StoreTwoSmiths();
        _archive.MergePersons("volA#p_SJ1", "volB#p_SJ2", "ada", "same man");
        StoreWithPersons("volB", [new("p_SJ2", "Smith, John", "Governor of Texas")],
            Make("volB", 1, "B revised", "Smith replied.") with { Persons = [new PersonRef("p_SJ2", "Smith")] });
        _archive.RebuildLinks();
        var person = _archive.GetPerson("volB#p_SJ2", ReaderIdentity.Public)!;
        Assert.Equal(("volA#p_SJ1 volB#p_SJ2", "merged by ada: same man"),
            (string.Join(" ", person.Listings.Select(l => l.Volume + "#" + l.PersonId)), Assert.Single(person.Evidence)));
    }

    [Fact]
    public void A_merge_is_recorded_in_the_audit_trail()
    {
        StoreTwoSmiths();
        _archive.MergePersons("volA#p_SJ1", "volB#p_SJ2", "ada", "same man");
        var entry = Assert.Single(_archive.ListAudit("ada", null, 10));
        Assert.Equal(("person merge", "people", "smith-j and smith-john: same man"), (entry.Action, entry.Surface, entry.Detail));
    }

    [Fact]
    public void The_public_cannot_merge_persons()
    {
        StoreTwoSmiths();
        var e = Assert.Throws<ArchiveException>(() => _archive.MergePersons("volA#p_SJ1", "volB#p_SJ2", ReaderIdentity.Public.Name, "same man"));
        Assert.Equal("merging and splitting persons is for named editors, not the public", e.Message);
    }

    [Fact]
    public void Merging_an_unknown_person_is_an_error()
    {
        StoreTwoSmiths();
        var e = Assert.Throws<ArchiveException>(() => _archive.MergePersons("volA#p_SJ1", "volC#p_XX9", "ada", "same man"));
        Assert.Equal("no person volC#p_XX9 (give an index id such as harriman-william-averell or a persons-list id such as frus1945Berlinv01#p_HWA1)", e.Message);
    }

    [Fact]
    public void Splitting_a_listing_of_another_person_is_an_error()
    {
        StoreTwoSmiths();
        var e = Assert.Throws<ArchiveException>(() => _archive.SplitPerson("smith-j", "volB#p_SJ2", "ada", "namesake"));
        Assert.Equal("volB#p_SJ2 is not a persons-list entry of smith-j (see `chancery person smith-j`)", e.Message);
    }
}
