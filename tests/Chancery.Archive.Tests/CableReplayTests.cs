using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Documents;

namespace Chancery.Archive.Tests;

/// <summary>The seed's traffic replayed once: MOSCOW 120015, 120755 and the seed telegram citing them.</summary>
public sealed class SeedReplayFixture : IDisposable
{
    internal CableWorld World { get; } = new CableWorld().Staffed();

    public Telegram First { get; }
    public Telegram Second { get; }
    public Telegram Seed { get; }

    public SeedReplayFixture() => (First, Second, Seed) = World.ReplaySeedTraffic();

    public void Dispose() => World.Dispose();
}

/// <summary>
/// The acceptance: Embassy Moscow sends 120015 and 120755, then the seed telegram, top secret, personal for
/// the President and the Secretary of State, via Navy channels; both principals receive it, a Department user
/// cleared top secret does not see that it exists, it is filed under 761.93/7–1345 and the thread shows all three.
/// </summary>
public sealed class CableReplayTests(SeedReplayFixture replay) : IClassFixture<SeedReplayFixture>
{
    private ICableOffice Office => replay.World.Office;
    private IArchive Archive => replay.World.Archive;

    private static List<string> Numbers(IEnumerable<InboxEntry> entries) => entries.Select(e => e.Number.ToString()).ToList();

    [Fact]
    public void The_replayed_telegrams_carry_the_numbers_the_record_gives()
    {
        Assert.Equal(["MOSCOW 120015", "MOSCOW 120755", "MOSCOW 120756"],
            new[] { replay.First, replay.Second, replay.Seed }.Select(t => t.Number.ToString()).ToList());
    }

    [Fact]
    public void The_seed_telegram_has_its_date_time_group()
    {
        Assert.Equal("131100Z JUL 45", replay.Seed.DateTimeGroup);
    }

    [Fact]
    public void The_seed_telegram_goes_via_navy_channels()
    {
        Assert.Equal("Sent by the United States Naval Attaché, Moscow, via Navy channels.", replay.Seed.Route.SentBy);
    }

    [Fact]
    public void The_President_receives_the_seed_telegram()
    {
        Assert.Equal(["MOSCOW 120756"], Numbers(Office.Inbox(CableWorld.Truman)));
    }

    [Fact]
    public void The_Secretary_receives_the_seed_telegram_and_the_two_it_cites()
    {
        Assert.Equal(["MOSCOW 120756", "MOSCOW 120755", "MOSCOW 120015"], Numbers(Office.Inbox(CableWorld.Byrnes)));
    }

    [Fact]
    public void The_President_designee_receives_the_seed_telegram()
    {
        Assert.Equal(["MOSCOW 120756"], Numbers(Office.Inbox(CableWorld.Elsey)));
    }

    [Fact]
    public void A_Department_user_cleared_top_secret_has_only_the_secret_telegrams_in_the_inbox()
    {
        Assert.Equal(["MOSCOW 120755", "MOSCOW 120015"], Numbers(Office.Inbox(CableWorld.Dunn)));
    }

    [Fact]
    public void A_Department_user_holding_the_PERSONAL_FOR_control_but_not_named_does_not_receive_it()
    {
        Assert.Equal(["MOSCOW 120755", "MOSCOW 120015"], Numbers(Office.Inbox(CableWorld.Grew)));
    }

    [Fact]
    public void A_Department_user_not_named_cannot_read_it()
    {
        Assert.Null(Office.Read(replay.Seed.Number, CableWorld.Dunn, "test"));
    }

    [Fact]
    public void A_Department_user_not_named_does_not_find_it_in_cable_search()
    {
        Assert.Equal(["MOSCOW 120015"], Numbers(Office.SearchCables("Dairen", CableWorld.Dunn)));
    }

    [Fact]
    public void A_Department_user_not_named_does_not_find_it_in_archive_search()
    {
        var hits = Archive.Search(new SearchRequest("Dairen"), CableWorld.Dunn, "test");
        Assert.Equal(["cables1945#moscow-120015"], hits.Hits.Select(h => h.Id).ToList());
    }

    [Fact]
    public void A_Department_user_not_named_cannot_open_the_filed_document()
    {
        Assert.Null(Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Dunn, "test"));
    }

    [Fact]
    public void A_Department_user_not_named_sees_a_thread_without_it()
    {
        Assert.Equal(["MOSCOW 120015"], Office.Thread(replay.First.Number, CableWorld.Dunn).Select(e => e.Number.ToString()).ToList());
    }

    [Fact]
    public void A_Department_user_not_named_gets_no_thread_from_its_number()
    {
        Assert.Empty(Office.Thread(replay.Seed.Number, CableWorld.Dunn));
    }

    [Fact]
    public void The_thread_shows_all_three_to_the_Secretary()
    {
        var thread = Office.Thread(replay.Seed.Number, CableWorld.Byrnes);
        Assert.Equal(["MOSCOW 120015", "MOSCOW 120755", "MOSCOW 120756"], thread.Select(e => e.Number.ToString()).ToList());
    }

    [Fact]
    public void The_thread_entry_of_the_seed_lists_what_it_cites()
    {
        var seed = Office.Thread(replay.Seed.Number, CableWorld.Byrnes).Single(e => e.Number == replay.Seed.Number);
        Assert.Equal(["MOSCOW 120015", "MOSCOW 120755"], seed.Cites.Select(n => n.ToString()).ToList());
    }

    [Fact]
    public void The_Ambassador_sees_all_three_in_his_sent_box()
    {
        Assert.Equal(["MOSCOW 120756", "MOSCOW 120755", "MOSCOW 120015"], Numbers(Office.Inbox(CableWorld.Harriman, CableBox.Sent)));
    }

    [Fact]
    public void The_Map_Room_receipt_is_printed_as_FRUS_prints_it()
    {
        var view = Office.Read(replay.Seed.Number, CableWorld.Truman, "test")!;
        Assert.Equal(["maproom [Received 9 p.m.]", "state [Received 9 p.m.]"], view.Receipts.Select(r => r.Post + " " + r.Note).ToList());
    }

    [Fact]
    public void The_telegram_text_is_the_seed_text()
    {
        var view = Office.Read(replay.Seed.Number, CableWorld.Byrnes, "test")!;
        Assert.Equal(CableWorld.SeedParagraphs(), view.Telegram.Body);
    }

    [Fact]
    public void The_seed_telegram_is_filed_under_its_decimal_file_number()
    {
        var doc = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(["761.93/7–1345"], doc.FileNumbers);
    }

    [Fact]
    public void The_filed_document_has_the_cable_office_id()
    {
        Assert.Equal("cables1945#moscow-120756", replay.Seed.DocumentId);
    }

    [Fact]
    public void The_filed_document_carries_the_telegram_head()
    {
        var d = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(
            ("Telegram", "Embassy Moscow", "the President and the Secretary of State", "top secret", "120756", "Navy channels", "Moscow", "1945-07-13T14:00", "+03:00"),
            (d.Type, d.From, d.To, d.Classification, d.TelegramNumber, d.Channel, d.Place, d.Date!.From, d.Date.TimeZone));
    }

    [Fact]
    public void The_filed_document_prints_the_caption()
    {
        var d = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(["Personal for the President and the Secretary of State"], d.Captions);
    }

    [Fact]
    public void The_filed_document_is_marked_top_secret_personal_for_and_withheld()
    {
        var view = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!;
        Assert.Equal((ClassificationLevel.TopSecret, "PERSONAL-FOR", ReleaseState.Withheld),
            (view.Marking.Level, string.Join(",", view.Marking.Controls), view.Release));
    }

    [Fact]
    public void The_filed_document_notes_the_channel_as_FRUS_does()
    {
        var d = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(["1 Sent by the United States Naval Attaché, Moscow, via Navy channels."], d.Footnotes.Select(f => f.N + " " + f.Text).ToList());
    }

    [Fact]
    public void The_filed_document_opens_with_the_received_note_subject_and_references()
    {
        var d = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(["[Received 9 p.m.]", "SUBJECT: Soong–Stalin conversations", "REF: MOSCOW 120015, MOSCOW 120755"],
            d.ParagraphTexts.Take(3).ToList());
    }

    [Fact]
    public void The_filed_document_references_the_cited_telegrams_exactly()
    {
        var d = Archive.GetDocument(replay.Seed.DocumentId, CableWorld.Byrnes, "test")!.Document;
        Assert.Equal(
            ["telegram 120015", "document cables1945#moscow-120015", "telegram 120755", "document cables1945#moscow-120755"],
            d.References.Select(r => (r.Kind == ReferenceKind.Telegram ? "telegram " : "document ") + r.Target).ToList());
    }

    [Fact]
    public void The_public_sees_nothing_before_review()
    {
        Assert.Equal((0, false), (Archive.Search(new SearchRequest("Soong"), ReaderIdentity.Public, "test").Total,
            Archive.GetDocument(replay.Seed.DocumentId, ReaderIdentity.Public, "test") is not null));
    }

    [Fact]
    public void The_public_has_no_inbox()
    {
        Assert.Empty(Office.Inbox(ReaderIdentity.Public));
    }

    [Fact]
    public void Every_step_of_the_seed_draft_is_in_the_audit_trail()
    {
        var steps = Archive.ListAudit(null, null, 1000)
            .Where(a => a.Detail.Contains($"draft {replay.Seed.DraftId}", StringComparison.Ordinal))
            .Select(a => a.User + " " + a.Action)
            .ToList();
        Assert.Equal(["page cable drafted", "kennan cable cleared", "harriman cable released", "clerk cable sent"], steps);
    }

    [Fact]
    public void The_serial_changes_are_in_the_audit_trail()
    {
        var details = Archive.ListAudit("admin", null, 1000).Where(a => a.Action == "cable serial set").Select(a => a.Detail).ToList();
        Assert.Equal(["moscow: next serial 120015 (was 1)", "moscow: next serial 120755 (was 120016)"], details);
    }

    [Fact]
    public void The_audit_chain_still_verifies()
    {
        Assert.True(Archive.VerifyAudit().Ok);
    }

    [Fact]
    public void Nothing_is_left_to_deliver_or_file()
    {
        var status = Office.QueueStatus();
        Assert.Equal((0, 0), (status.TotalPending, status.Unfiled));
    }

    [Fact]
    public void The_next_serial_at_Moscow_follows_the_seed()
    {
        Assert.Equal(120757, Office.NextSerial("moscow"));
    }

    [Fact]
    public void The_archive_check_accepts_the_filed_volume()
    {
        var report = Archive.Check();
        Assert.Equal((true, 3), (report.Ok, report.Documents));
    }
}
